"""The app benchmark's Markdown table: p50 / p95 / max per row, the previous main's figures, targets."""

from __future__ import annotations

import json
import os
from pathlib import Path

from report import number, percentiles

REFERENCE_FILE = Path(__file__).resolve().parent / "app_reference.json"


def load_reference() -> dict:
    """The checked-in figures of issue 10 (the previous main at 100k) and the targets."""
    return json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))


def reference_key(row: str) -> str:
    """Which reference entry a measured row is compared with."""
    rules = (("right after a star", "after-write"), ("launch in-process", "launch-pilot"),
             ("launch", "launch"), ("type", "type"), ("switch view", "view"), ("`reindex`", "reindex"),
             ("`export`", "export"), ("`search", "search"), ("`import`", "import"))
    if "handler" in row or "stall" in row:
        return "write"
    return next((key for needle, key in rules if needle in row), "")


def _reference_values(entry: dict, row: str) -> list[float]:
    """The previous main's values for this row (a typed word's own values when the issue gave them)."""
    for word, values in entry.get("words", {}).items():
        if f"`{word}`" in row:
            return values
    return entry.get("values", [])


def _reference_cell(values: list[float], entry: dict) -> str:
    if not values:
        return "n/a"
    text = " / ".join(number(v) for v in values) if len(values) > 2 else "-".join(number(v) for v in values)
    return text + (f" s, {entry['peak_mb']} MB" if "peak_mb" in entry else " s")


def _gain(reference: list[float], p50: float) -> str:
    """How many times faster than the previous main: its middle value over this run's p50."""
    if not reference or not p50 or p50 == float("inf"):
        return "n/a"
    middle = sorted(reference)[len(reference) // 2] if len(reference) > 2 else sum(reference) / len(reference)
    return f"{middle / p50:.3g}x"


def _target_cell(target: dict) -> str:
    parts = [f"{stat} <= {number(limit * 1000)} ms" if limit < 1 and stat != "peak_mb" else
             (f"<= {limit} MB" if stat == "peak_mb" else f"{stat} <= {number(limit)} s")
             for stat, limit in target.items()]
    return ", ".join(parts)


def _met(target: dict, stats: tuple[float, float, float], peak: float | None) -> str:
    """met when every limit holds (p50 / p95 / peak MB); with few runs p95 is the maximum."""
    values = {"p50": stats[0], "p95": stats[1], "peak_mb": peak}
    checks = [values[stat] <= limit for stat, limit in target.items() if values.get(stat) is not None]
    return "" if not checks else ("met" if all(checks) else "**missed**")


def table(size: int, rows: dict[str, list[float]], peaks: dict[str, tuple[float, float]], calibration: tuple[float, float],
          notes: list[str]) -> str:
    """One size's table; seconds measured, shown in ms below 1 s."""
    reference = load_reference()
    lines = [f"### {size:,} papers\n",
             "| what the user does | n | p50 | p95 | max | peak RSS / tree PSS | previous main (100k) | gain | target | |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for name, values in rows.items():
        stats = percentiles(values)
        entry = reference["rows"].get(reference_key(name), {})
        ref_values, target, memory = _reference_values(entry, name), entry.get("target", {}), peaks.get(name)
        peak = max(memory) if memory else None
        lines.append(f"| {name} | {len(values)} | {' | '.join(_seconds(s) for s in stats)} | "
                     f"{f'{memory[0]:.0f} / {memory[1]:.0f} MB' if memory else ''} | {_reference_cell(ref_values, entry)} | "
                     f"{_gain(ref_values, stats[0])} | {_target_cell(target)} | {_met(target, stats, peak)} |")
    load = os.getloadavg()
    lines.append(f"\nLoad average when this table was printed: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
                 f"(1 / 5 / 15 min). Calibration, a fixed pure-Python loop in this process: "
                 f"{calibration[0] * 1000:.0f} ms before the rows, {calibration[1] * 1000:.0f} ms after.")
    lines.append("Peak RSS is the CLI process's own VmHWM; tree PSS is the largest sum, sampled every 0.1 s, "
                 "over it and its children (the reindex workers); the MB target is checked on the larger.")
    lines.extend(f"- {note}" for note in notes)
    return "\n".join(lines) + "\n"


def _seconds(value: float) -> str:
    if value == float("inf"):
        return "timeout"
    return f"{number(value * 1000)} ms" if value < 1 else f"{number(value)} s"
