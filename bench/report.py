"""Turn the measurements of one library size into a Markdown table, with the 100k targets beside them."""

from __future__ import annotations

import math
import os
import statistics
from collections.abc import Callable

Value = float | tuple[float, ...] | None

#: (class in the worker's "ms", row label, target as (p50 max, p95 max) in ms or None)
LATENCY_ROWS = (
    ("words", "warm: 1-3 words, p50 / p95 / max (ms)", None),
    ("phrases", 'warm: "phrases", p50 / p95 / max (ms)', None),
    ("fields", "warm: title: / author:, p50 / p95 / max (ms)", None),
    ("ranges", "warm: date: / upvotes: ranges, p50 / p95 / max (ms)", None),
    ("typing", "keystroke: search + visible highlights, p50 / p95 / max (ms)", (15.0, 50.0)),
    ("typing_2", "... of which 2-letter keystrokes, p50 / p95 / max (ms)", None),
    ("highlight", "highlights of the 20 visible rows alone, p50 / p95 / max (ms)", None),
    ("related", "related papers (top 20), p50 / p95 / max (ms)", None),
)


def percentiles(values: list[float]) -> tuple[float, float, float] | None:
    """(p50, p95, max); p95 by nearest rank, so with 20 values it is the second largest."""
    if not values:
        return None
    ordered = sorted(values)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered), p95, ordered[-1]


def number(x: float) -> str:
    """Three significant digits, thousands separated: 0.0123, 1.23, 12.3, 123, 1,234."""
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"


def cell(value: Value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, tuple):
        return " / ".join(number(v) for v in value)
    return number(value)


def ratio(w: Value, f: Value) -> str:
    """Whoosh / FTS5, element-wise for p50 / p95 / max."""
    if w is None or f is None:
        return "n/a"
    pairs = zip(w, f) if isinstance(w, tuple) else [(w, f)]
    return " / ".join(f"{a / b:.3g}x" if b else "-" for a, b in pairs)


def status(value: Value, check: Callable[[Value], bool] | None) -> str:
    if check is None:
        return ""
    if value is None:
        return "n/a"
    return "met" if check(value) else "**missed**"


def rows(data: dict) -> list[tuple[str, Value, Value, str, Callable | None]]:
    """(label, Whoosh value, FTS5 value, target text, check) for every row of one size."""
    w, f = data.get("whoosh") or {}, data.get("fts5") or {}
    cold = data.get("cold", {})

    def get(side: dict, key: str, fn=lambda v: v) -> Value:
        return fn(side[key]) if key in side else None

    out = [
        ("full build (papers/s)", get(w, "build_s", lambda s: w["indexed"] / s),
         get(f, "build_s", lambda s: f["indexed"] / s), "", None),
        ("full build (s)", get(w, "build_s"), get(f, "build_s"), "<= 60 s", lambda v: v <= 60),
        ("add one 50-paper digest (s)", get(w, "digest_s"), get(f, "digest_s"), "<= 1 s", lambda v: v <= 1),
        ("index size on disk (MB)", get(w, "size_mb"), get(f, "size_mb"), "", None),
        ("cold start: import + open + first results (ms)", get(cold, "whoosh"), get(cold, "fts5"),
         "<= 1,000 ms", lambda v: v <= 1000),
        ("cold start: whole process, interpreter included (ms)", get(cold, "whoosh_process"),
         get(cold, "fts5_process"), "", None),
    ]
    for key, label, target in LATENCY_ROWS:
        wv = percentiles(w["ms"].get(key, []) if key != "typing_2" else w.get(key, [])) if w else None
        fv = percentiles(f["ms"].get(key, []) if key != "typing_2" else f.get(key, [])) if f else None
        text = f"p50 <= {target[0]:g}, p95 <= {target[1]:g} ms" if target else ""
        check = (lambda v, t=target: v[0] <= t[0] and v[1] <= t[1]) if target else None
        out.append((label, wv, fv, text, check))
    fits = lambda v: v <= 300  # noqa: E731
    out += [
        ("peak RSS after the build (MB)", get(w, "rss_build_mb"), get(f, "rss_build_mb"), "", None),
        ("peak RSS, build + all searches (MB)", get(w, "rss_total_mb"), get(f, "rss_total_mb"),
         "<= 300 MB", fits),
        ("peak RSS of the largest child process, e.g. an indexing worker (MB)", get(w, "rss_children_mb"),
         get(f, "rss_children_mb"), "", None),
        ("peak memory of process + children together, sum of PSS sampled every 0.1 s (MB)",
         get(w, "tree_total_mb"), get(f, "tree_total_mb"), "<= 300 MB", fits),
    ]
    return out


def table(size: int, data: dict) -> str:
    """The Markdown section for one library size."""
    lines = [f"### {size:,} papers", "",
             "| measurement | Whoosh | FTS5 | Whoosh/FTS5 | target (100k) | at this size |",
             "|---|---:|---:|---:|---|---|"]
    for label, wv, fv, target, check in rows(data):
        lines.append(f"| {label} | {cell(wv)} | {cell(fv)} | {ratio(wv, fv)} | {target} | {status(wv, check)} |")
    lines += ["", overlap_line(data)] if data.get("whoosh") and data.get("fts5") else []
    if "load" in data:
        lines.append(f"\nLoad average (1, 5, 15 min) when this size finished: "
                     f"{', '.join(f'{x:.2f}' for x in data['load'])} ({os.cpu_count()} cores).")
    for engine, error in data.get("errors", {}).items():
        lines.append(f"\n**{engine} failed:** `{error}`")
    return "\n".join(lines) + "\n"


def overlap_line(data: dict) -> str:
    """Mean share of FTS5's top 10 that Whoosh also returns, per class (a sanity check, not a score)."""
    w, f = data.get("whoosh"), data.get("fts5")
    if not (w and f):
        return ""
    parts = []
    for key in ("words", "phrases", "fields", "ranges", "typing"):
        shares = [len(set(w["top10"][q]) & set(ids)) / len(ids)
                  for q, ids in f["top10"].items() if ids and q in w["top10"] and _in_class(f, key, q)]
        if shares:
            parts.append(f"{key} {statistics.mean(shares):.2f}")
    empty = sum(1 for ids in w["top10"].values() if not ids)
    cut = [f"{key} {sum(_in_class(w, key, q) for q in w['partial'])} of {len(w['queries'][key])}"
           for key in ("words", "phrases", "fields", "ranges", "typing") if key in w.get("queries", {})]
    return (f"Top-10 overlap with FTS5 (sanity check; the rankers differ): {', '.join(parts)}. "
            f"Queries or keystrokes with no Whoosh hit: {empty} of {len(w['top10'])}. "
            f"Whoosh results cut short by its time cap (partial): {', '.join(cut)}.")


def _in_class(side: dict, key: str, query: str) -> bool:
    return query in side.get("queries", {}).get(key, ())
