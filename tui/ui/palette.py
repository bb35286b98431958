"""Command palette provider: the active screen's commands, and a jump to any listed paper."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.textsafe import one_line
from tui.ui.keys import key_display

#: Titles shorter than this many typed characters are not searched (keeps the palette quick).
MIN_TITLE_QUERY = 2
MAX_PAPER_HITS = 30
#: The app's own commands in the palette, by binding id, with the title they are listed under.
APP_COMMANDS = {"fetch": "Fetch subscriptions", "help": "Help: keys and search syntax"}


def _bindings_for(screen) -> list[Binding]:
    from tui.ui.screens.library import COMMAND_BINDINGS, LibraryScreen
    from tui.ui.screens.triage import TRIAGE_BINDINGS, TriageScreen

    if isinstance(screen, LibraryScreen):
        return COMMAND_BINDINGS
    if isinstance(screen, TriageScreen):
        return TRIAGE_BINDINGS
    return []


class PaperCommands(Provider):
    """Yields one command per key of the screen the palette was opened on, and listed papers.

    Paper titles are data: they are shown as `Content` built from plain text with the match
    offsets styled here, never through `Matcher.highlight` (which parses markup).
    """

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        for binding in _bindings_for(screen):
            title = binding.tooltip or binding.description
            key = key_display(self.app, binding)
            yield title, f"key: {key}", partial(screen.run_action, binding.action)
        for binding in self.app.BINDINGS:
            if binding.id in APP_COMMANDS:
                yield APP_COMMANDS[binding.id], f"key: {key_display(self.app, binding)}", partial(
                    self.app.run_action, binding.action)

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(Content(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, self._highlight(matcher, title), callback, text=title, help=help_text)
        for hit in self._tag_hits(matcher):
            yield hit
        for hit in self._paper_hits(matcher, query):
            yield hit

    def _tag_hits(self, matcher) -> Iterator[Hit]:
        """`Show tag #gnn`: list the papers carrying one of your tags (`tag:gnn`)."""
        from tui.ui.screens.library import LibraryScreen

        screen = self.screen
        if not isinstance(screen, LibraryScreen):
            return
        for tag, count in screen.session.tags():
            title = f"Show tag #{one_line(tag)}"
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, self._highlight(matcher, title), partial(screen.show_query, f"tag:{tag}"),
                          text=title, help=Content(f"{count:,} paper{'s' if count != 1 else ''}"))

    def _paper_hits(self, matcher, query: str) -> Iterator[Hit]:
        from tui.ui.screens.library import LibraryScreen

        screen = self.screen
        if not isinstance(screen, LibraryScreen) or len(query.strip()) < MIN_TITLE_QUERY:
            return
        found = 0
        for paper in list(screen.results.papers.values()):
            title = one_line(paper.title)
            score = matcher.match(title)
            if score > 0:
                label = Content.assemble(("Go to: ", "dim"), self._highlight(matcher, title))
                yield Hit(score * 0.9, label, partial(screen.select_paper, paper.id), text=title,
                          help=Content(f"paper · {one_line(paper.date or '')}"))
                found += 1
                if found >= MAX_PAPER_HITS:
                    return

    @staticmethod
    def _highlight(matcher, text: str) -> Content:
        """`text` with the fuzzy-matched characters styled; offsets come from the matcher."""
        content = Content(text)
        score, offsets = matcher.fuzzy_search.match(matcher.query, text)
        if not score:
            return content
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
        return content
