"""Regenerate screenshots/*.svg from the running app (Pilot) on a temporary library of the seeds.

Usage: python scripts/screenshots.py [OUTPUT_DIR]   (default: screenshots/ beside this folder)
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from textual.worker import WorkerCancelled, WorkerFailed  # noqa: E402

from tui.ui.app import PaperReaderApp  # noqa: E402
from tui.records import SearchRequest  # noqa: E402
from tui.service import open_service  # noqa: E402

NOTES = {
    "graph": "Compare with GraphSAGE on ogbn-arxiv; the augmentation idea could help our sparse nodes.",
    "diffusion": "Read section 4 (sampling schedule) before Thursday's reading group.",
}


async def settle(pilot) -> None:
    """Wait for the workers and the messages they post."""
    for _ in range(10):
        try:
            await pilot.app.workers.wait_for_complete()
        except (WorkerCancelled, WorkerFailed):
            pass  # a superseded search; failures show up as notifications
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            return


def prepare(home: Path) -> dict[str, str]:
    """Seed the library, build the index, star a few papers with notes; returns useful ids."""
    backend = open_service(home)
    try:
        backend.import_files(sorted((ROOT / "seeds").glob("*.txt")))
        backend.upkeep.ensure()
        ids: dict[str, str] = {}
        for word, note in NOTES.items():
            paper = backend.page(SearchRequest(word, limit=1)).papers[0]
            backend.set_starred(paper.id, True)
            backend.set_note(paper.id, note)
            ids["noted"] = paper.id
        for paper in backend.page(SearchRequest("attention", limit=3)).papers:
            backend.set_starred(paper.id, True)
        everything = backend.papers(backend.view_ids("all"))
        ids["latex"] = next(p.id for p in everything.values() if "$O(n^2" in p.abstract)
        return ids
    finally:
        backend.close()


async def shoot(home: Path, out: Path, size: tuple[int, int], script) -> None:
    """Run the app at `size` and let `script(pilot, save)` drive it."""
    backend = open_service(home)
    app = PaperReaderApp(backend)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)

            def save(name: str) -> None:
                app.save_screenshot(f"{name}.svg", path=str(out))
                print(f"wrote {out / name}.svg")

            await script(pilot, save)
    finally:
        backend.close()


def main_screen(ids):
    async def script(pilot, save) -> None:
        await pilot.press("slash", *"graph neural")
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("escape", "j")
        await settle(pilot)
        save("search-results")
        screen = pilot.app.screen
        screen.search_bar.set_query("")
        screen.start_search()
        await settle(pilot)
        screen.select_paper(ids["latex"])
        await pilot.press("enter")
        await settle(pilot)
        save("abstract-pane")
        await pilot.press("escape", "3")
        await settle(pilot)
        screen.select_paper(ids["noted"])
        await settle(pilot)
        save("reading-list")
        await pilot.press("n")
        await pilot.pause()
        pilot.app.screen.query_one("TextArea").insert("\nAlso: check the ablation in table 3.")
        await pilot.pause()
        save("note-editor")
        await pilot.press("ctrl+s", "2", "t")
        await settle(pilot)
        save("triage")
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        save("help")
    return script


async def tagging(pilot, save) -> None:
    """Tags in the rows and the detail pane, and the tag editor completing a tag."""
    screen = pilot.app.screen
    service = screen.session.service
    graphs = [hit.id for hit, _ in service.page(SearchRequest('title:"graph neural"', limit=6)).rows]
    service.add_tag(graphs, "gnn")
    service.add_tag(graphs[:3], "to-read")
    service.upkeep.catch_up()
    await pilot.press("slash", *"tag:gnn")
    await pilot.pause(0.3)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen._typed_at = 0.0  # a pause after the query: letters are commands again
    await pilot.press("j")
    await settle(pilot)
    save("tags")
    await pilot.press("T")
    await pilot.pause()
    await pilot.press(*"message-passing t")
    await pilot.pause(0.2)
    save("tag-editor")


async def narrow(pilot, save) -> None:
    save("narrow-80x24")
    await pilot.press("enter")
    await pilot.pause()
    save("narrow-80x24-abstract")


async def wide(pilot, save) -> None:
    await pilot.press("slash", *"attention")
    await pilot.pause(0.3)
    await settle(pilot)
    await pilot.press("escape")
    save("wide-200x60")


async def digests(pilot, save) -> None:
    """The Digests view, one digest listed with papers picked for a bulk decision, its triage."""
    await pilot.press("d")
    await settle(pilot)
    save("digests-view")
    await pilot.press("j", "j", "enter")
    await settle(pilot)
    await pilot.press("space", "space", "j", "space")
    await settle(pilot)
    save("bulk-selection")
    await pilot.press("escape")
    await pilot.press("t")
    await settle(pilot)
    await pilot.press("s", "x")
    await settle(pilot)
    save("triage-by-digest")


def organise(home: Path) -> None:
    """A saved search, watched authors and keywords, and enough decisions for the for-you order."""
    backend = open_service(home)
    try:
        backend.upkeep.ensure()
        backend.add_saved_search("graphs", "graph neural")
        backend.add_watch("author", "Stefanie Jegelka")
        backend.add_watch("keyword", "diffusion")
        kept = [p.id for p in backend.page(SearchRequest("graph", limit=8)).papers]
        dismissed = [p.id for p in backend.page(SearchRequest("language -graph", limit=8)).papers]
        backend.decide(kept, "kept")
        backend.decide(dismissed, "dismissed")
        backend.upkeep.catch_up()
    finally:
        backend.close()


async def lists_and_for_you(pilot, save) -> None:
    """The saved search beside the views, watched matches marked, then the for-you order."""
    await settle(pilot)
    await pilot.press("1")
    await settle(pilot)
    save("saved-search-and-watches")
    await pilot.press("4")
    await settle(pilot)
    save("saved-search-opened")
    await pilot.press("slash", "escape", "escape", "2")  # clear the query, back to the Inbox
    await settle(pilot)
    for _ in range(3):  # relevance, newest, most upvoted, for you
        await pilot.press("S")
    await pilot.pause(1.0)
    await settle(pilot)
    save("for-you")


async def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        home = Path(temp) / "library"
        os.environ["PAPER_READER_HOME"] = str(home)
        ids = prepare(home)
        await shoot(home, out, (120, 36), main_screen(ids))
        await shoot(home, out, (120, 36), tagging)
        await shoot(home, out, (80, 24), narrow)
        await shoot(home, out, (200, 60), wide)
        await shoot(home, out, (120, 36), digests)
        organise(home)
        await shoot(home, out, (120, 36), lists_and_for_you)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots"))
