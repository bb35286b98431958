"""Time parsing and importing the digest formats at realistic sizes, and measure peak memory.

    python bench/parse_formats.py [--runs 3] [--mails 250] [--per-mail 200] [--items 2000]

Generates, in a temporary folder, a year of one archive's mailings (an mbox of 250 mails,
about 50,000 entries), a 2,000-item arXiv RSS feed and format A digests of comparable size,
all from the structure of the real samples with resampled real text (sample digests and
`seeds/`). Prints one Markdown table: parse time in this process, and the whole
`paper-reader import --no-index` process (wall time and peak RSS), medians of `--runs` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SAMPLES = ROOT.parent / "shared" / "samples"
sys.path.insert(0, str(ROOT))

from tui.parsing.digest import parse_digest  # noqa: E402

#: Fixed so every run generates the same digests.
SEED = 20261203
#: Where arXiv wraps listing lines.
WIDTH = 78
RULE = "-" * WIDTH


def real_text() -> tuple[list[str], list[str], list[str]]:
    """Titles, abstract sentences and author names from the seeds and the sample digests."""
    titles, sentences, names = [], [], []
    papers = [p for f in sorted((ROOT / "seeds").glob("*.txt")) for p in parse_digest(f).entries]
    if SAMPLES.is_dir():
        papers += [p for f in sorted(SAMPLES.rglob("*.expected.json")) for p in _json_papers(f)]
    for paper in papers:
        titles.append(paper.title)
        sentences += [s.strip() + "." for s in paper.abstract.split(". ") if len(s) > 20]
        names += list(paper.authors)
    return titles, sentences, names or ["Ann Lee", "Bo Chen"]


def _json_papers(path: Path):
    """Papers of an expected file, as light records with title, abstract and authors."""
    from tui.records import Paper

    for item in json.loads(path.read_text("utf-8")):
        yield Paper(title=item["title"], abstract=item["abstract"] or "", authors=tuple(item["authors"]))


class Resampler:
    """Draws titles, abstracts and author lists from real text, reproducibly."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.titles, self.sentences, self.names = real_text()

    def title(self, number: int) -> str:
        """A real title with a number, so every generated paper is distinct."""
        return f"{self.rng.choice(self.titles)} {number}"

    def abstract(self) -> str:
        """Five to nine real sentences."""
        return " ".join(self.rng.choices(self.sentences, k=self.rng.randint(5, 9)))

    def authors(self) -> list[str]:
        """One to eight real names."""
        return self.rng.sample(self.names, k=min(len(self.names), self.rng.randint(1, 8)))


def mail_block(sample: Resampler, arxiv_id: str, replaced: bool) -> str:
    """One listing block as arXiv prints it (wrapped fields, a two-space first abstract line)."""
    wrap = lambda text: "\n  ".join(textwrap.wrap(text, WIDTH - 2))  # noqa: E731
    when = "replaced with revised version" if replaced else "Date:"
    lines = ["\\\\", f"arXiv:{arxiv_id}", f"{when} Wed, 15 Mar 2023 18:34:08 GMT   (243kb,D)", "",
             f"Title: {wrap(sample.title(0))}", f"Authors: {wrap(', '.join(sample.authors()))}",
             "Categories: q-fin.ST cs.LG"]
    if not replaced:
        lines += ["\\\\", "  " + "\n".join(textwrap.wrap(sample.abstract(), WIDTH))]
    return "\n".join(lines + [f"\\\\ ( https://arxiv.org/abs/{arxiv_id} ,  243kb)"])


def write_mbox(path: Path, sample: Resampler, mails: int, per_mail: int) -> int:
    """An mbox of `mails` daily mailings of `per_mail` entries (a tenth of them replacements)."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for day in range(mails):
            blocks = []
            for n in range(per_mail):
                count += 1
                blocks.append(mail_block(sample, f"23{day % 12 + 1:02d}.{count:05d}", replaced=n >= per_mail * 9 // 10))
            body = f"{RULE}\nSend any comments regarding submissions directly to submitter.\n{RULE}\n"
            body += f"\n{RULE}\n".join(blocks) + "\n" + "%%%---" * 13 + "\n"
            out.write(f"From no-reply@arxiv.org Fri Mar 17 00:31:14 2023\nFrom: no-reply@arxiv.org\n"
                      f"To: reader@example.org\nSubject: q-fin daily {per_mail} new\n"
                      f"Date: Fri, 17 Mar 2023 00:31:14 -0000\nContent-Type: text/plain; charset=utf-8\n\n{body}\n")
    return count


def write_rss(path: Path, sample: Resampler, items: int) -> int:
    """An rss.arxiv.org feed with `items` items."""
    from xml.sax.saxutils import escape

    parts = ['<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" '
             'version="2.0"><channel><title>cs.LG updates on arXiv.org</title>'
             '<pubDate>Mon, 27 Apr 2026 00:00:00 -0400</pubDate>']
    for n in range(items):
        parts.append(f"<item><title>{escape(sample.title(n))}</title><description>arXiv:2604.{n:05d}v1 Announce "
                     f"Type: new \nAbstract: {escape(sample.abstract())}</description><category>cs.LG</category>"
                     f"<pubDate>Mon, 27 Apr 2026 00:00:00 -0400</pubDate><arxiv:announce_type>new"
                     f"</arxiv:announce_type><dc:creator>{escape(', '.join(sample.authors()))}</dc:creator></item>")
    path.write_text("".join(parts) + "</channel></rss>", encoding="utf-8")
    return items


def write_format_a(path: Path, sample: Resampler, entries: int) -> int:
    """A Hugging Face daily page (format A) with `entries` entries."""
    with path.open("w", encoding="utf-8") as out:
        out.write("Daily Papers\n\nbyAK and the research community\n\nApr 22\n\n")
        for n in range(entries):
            out.write(f"{sample.title(n)}\n\n{sample.abstract()}\n\n  • {len(sample.authors())} authors\n·\nSep 8, 2021\n\n")
    return entries


def parse_seconds(path: Path) -> tuple[float, int]:
    """Seconds to parse the file in this process, and its entry count."""
    started = time.perf_counter()
    count = sum(1 for _ in __import__("tui.parsing", fromlist=["open_digest"]).open_digest(path).entries())
    return time.perf_counter() - started, count


def import_run(path: Path, data: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one `paper-reader import --no-index` into a new library."""
    command = [sys.executable, "-m", "tui.cli", "--data-dir", str(data), "import", "--no-index", str(path)]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"import of {path.name} failed with exit status {child.returncode}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def measure(name: str, path: Path, runs: int, folder: Path) -> list[str]:
    """One table row: the medians of `runs` parses and imports."""
    parses = [parse_seconds(path) for _ in range(runs)]
    imports = [import_run(path, folder / f"lib-{name}-{n}") for n in range(runs)]
    size = path.stat().st_size / 2**20
    return [name, f"{parses[0][1]:,}", f"{size:.1f}", f"{statistics.median(p for p, _ in parses):.2f}",
            f"{statistics.median(t for t, _ in imports):.2f}", f"{statistics.median(m for _, m in imports):.0f}"]


def main() -> None:
    """Generate the digests, measure them and print the table."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=3)
    options.add_argument("--mails", type=int, default=250)
    options.add_argument("--per-mail", type=int, default=200)
    options.add_argument("--items", type=int, default=2000)
    args = options.parse_args()
    sample = Resampler()
    with tempfile.TemporaryDirectory(prefix="parse-bench-") as tmp:
        folder = Path(tmp)
        entries = write_mbox(folder / "year.mbox", sample, args.mails, args.per_mail)
        write_format_a(folder / "year_a.txt", sample, entries)
        write_rss(folder / "feed.xml", sample, args.items)
        write_format_a(folder / "feed_a.txt", sample, args.items)
        rows = [measure(name, folder / file, args.runs, folder) for name, file in (
            ("arXiv mbox (year)", "year.mbox"), ("format A, same entries", "year_a.txt"),
            ("arXiv RSS feed", "feed.xml"), ("format A, same items", "feed_a.txt"))]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Medians of {args.runs} runs; load average {load}; import is `paper-reader import --no-index`.\n")
    print("| digest | entries | MB | parse s | import s | import peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
