"""The library screen's saved searches and watches: save, open on 4-9, manage, watch an author.

A mixin of `LibraryScreen`, kept apart so the screen itself stays about searching and
reading. Counting runs in `SavedCounter`'s worker; the writes (a name, a watch) are single
SQLite statements done on the UI thread like a star.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.binding import Binding

from tui.library import LibraryError
from tui.records import SavedSearch
from tui.textsafe import one_line
from tui.ui.screens.saved import AuthorPicker, ListAction, ListsScreen, TextPrompt
from tui.ui.widgets.saved_bar import SAVED_KEYS, SavedCounter
from tui.vocabulary import Sort, View

#: Shown in the help and the palette (with the screen's other commands).
LIST_COMMANDS = [
    Binding("ctrl+s", "save_search", "Save search", show=False, id="save-search",
            tooltip="Save the query (and its sort) under a name: it opens on 4-9"),
    Binding("4", "open_saved(4)", "Saved 4", show=False, id="saved-4",
            tooltip="Open saved search 4 (5-9 open the next ones)"),
    Binding("w", "watch_author", "Watch", show=False, id="watch-author",
            tooltip="Watch an author of this paper (again: stop watching)"),
    Binding("L", "manage_lists", "Lists", show=False, id="lists",
            tooltip="Saved searches and watches: open, rename, edit, delete"),
]
#: Number keys 5-9 (4 is listed above with the others).
SAVED_BINDINGS = [Binding(key, f"open_saved({key})", f"Saved {key}", show=False, id=f"saved-{key}")
                  for key in SAVED_KEYS[1:]]
#: What a failed list write says (a taken name, an empty query, a read-only library).
LIST_ERRORS = (ValueError, LibraryError)
#: Seconds without another write before the saved searches are counted again.
COUNT_AFTER = 0.3


class ListKeys:
    """Saved searches and watches on the library screen (needs its `session`, `saved`, `saved_name`)."""

    def count_saved(self) -> None:
        """Count the saved searches again in the background (after imports, writes, openings).

        Asked for after every key that writes: a burst of them is counted once, after a pause.
        """
        if not self.is_mounted:
            return
        timer = getattr(self, "_count_timer", None)
        if timer is not None:
            timer.stop()
        self._count_timer = self.set_timer(COUNT_AFTER, self.query_one(SavedCounter).count)

    def on_saved_counter_counted(self, message: SavedCounter.Counted) -> None:
        self.saved = message.searches
        if self.saved_name and all(search.name != self.saved_name for search in message.searches):
            self.saved_name = ""

    def _say(self, text: str, error: bool = False) -> None:
        self.notify(one_line(text), severity="error" if error else "information", markup=False,
                    timeout=6 if error else 3)

    # -- saving and opening --------------------------------------------------------------------
    def action_save_search(self) -> None:
        """Ask a name for the current query, then save it with its sort."""
        query = self.search_text.strip()
        if not query:
            self._say("Type a query first: ctrl+s saves the search bar's query under a name.", error=True)
            return
        default = one_line(query)[:40]
        self.app.push_screen(TextPrompt(f"Save “{one_line(query)}” as:", "", f"a short name (enter: {default})",
                                        default),
                             partial(self._save_named, query, str(self.sort)))

    def _save_named(self, query: str, sort: str, name: str | None) -> None:
        if not name:
            return
        try:
            saved = self.session.service.add_saved_search(name, query, sort)
        except LIST_ERRORS as exc:
            self._say(f"Not saved: {exc}", error=True)
            return
        place = len(self.saved)
        key = f" on key {SAVED_KEYS[place]}" if place < len(SAVED_KEYS) else ""
        self._say(f"Saved “{saved.name}”{key}.")
        self.saved = (*self.saved, saved)
        self.saved_name = saved.name
        self.count_saved()

    def action_open_saved(self, key: int) -> None:
        """Open the saved search on this number key: its query and sort, in all papers."""
        index = int(key) - int(SAVED_KEYS[0])
        if not 0 <= index < len(self.saved):
            self._say(f"No saved search on {key}: ctrl+s saves the current query.")
            return
        self.open_saved(self.saved[index])

    def open_saved(self, search: SavedSearch) -> None:
        """Show a saved search's results; from now on only later matches count as new."""
        try:
            search = self.session.service.open_saved_search(search.name)
        except ValueError as exc:  # deleted by another paper-reader meanwhile
            self._say(f"Cannot open it: {exc}", error=True)
            return
        except LibraryError:  # read-only or busy: open it all the same, its "new" count stays
            pass
        self.related_to = None
        self.reading = False
        self.search_bar.set_query(search.query)
        self.view = View.ALL
        self.sort = Sort(search.sort)
        self.search_text = search.query
        self.saved_name = search.name
        self.start_search(full=True)
        self.results.focus()
        self.saved = tuple(SavedSearch(s.name, s.query, s.sort, s.position, s.created_at, s.opened_at,
                                       s.opened_seq, s.count, 0 if s.name == search.name else s.new)
                           for s in self.saved)
        self.count_saved()

    # -- managing ------------------------------------------------------------------------------
    def action_manage_lists(self) -> None:
        """The saved searches and watches, to open, rename, edit or delete."""
        self.app.push_screen(ListsScreen(self.saved, self.session.service.watches()), self.act_on_list)

    def act_on_list(self, action: ListAction | None) -> None:
        """Do what the lists screen (or the palette) asked."""
        if action is None:
            return
        service = self.session.service
        found = next((s for s in self.saved if s.name == action.target), None)
        if action.verb == "open" and found is not None:
            self.open_saved(found)
        elif action.verb == "rename" and found is not None:
            self.app.push_screen(TextPrompt(f"Rename “{one_line(found.name)}” to:", found.name),
                                 partial(self._change_saved, found.name, "name"))
        elif action.verb == "edit" and found is not None:
            self.app.push_screen(TextPrompt(f"Query of “{one_line(found.name)}”:", found.query),
                                 partial(self._change_saved, found.name, "query"))
        elif action.verb == "delete" and found is not None:
            if self._run_list_write(lambda: service.delete_saved_search(found.name), f"Deleted “{found.name}”."):
                self.saved = tuple(s for s in self.saved if s.name != found.name)
        elif action.verb == "delete-watch":
            try:
                watch = service.delete_watch(None, action.target)
            except LIST_ERRORS as exc:
                self._say(str(exc), error=True)
                return
            if watch is not None:
                self._say(f"Stopped watching {watch.kind} “{watch.label}”.")
                self.watches_changed()
        elif action.verb == "search-watch":
            watch = next((w for w in service.watches() if str(w.id) == action.target), None)
            if watch is not None:
                self.saved_name = ""
                self.search_bar.set_query(watch.query)
                self.search_text = watch.query
                self.start_search(full=True)

    def _change_saved(self, name: str, what: str, value: str | None) -> None:
        if not value:
            return
        service = self.session.service
        if what == "name":
            self._run_list_write(lambda: service.update_saved_search(name, new_name=value), f"Renamed to “{value}”.")
            if self.saved_name == name:
                self.saved_name = value
        else:
            self._run_list_write(lambda: service.update_saved_search(name, query=value), f"Changed “{name}”.")

    def _run_list_write(self, write: Callable[[], object], done: str) -> bool:
        try:
            write()
        except LIST_ERRORS as exc:
            self._say(str(exc), error=True)
            return False
        self._say(done)
        self.count_saved()
        return True

    def list_commands(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """Palette commands for each saved search and watch (title, help, callback)."""
        for index, search in enumerate(self.saved):
            key = f"key: {SAVED_KEYS[index]}" if index < len(SAVED_KEYS) else "saved search"
            name = one_line(search.name)
            yield f"Open saved search: {name}", key, partial(self.act_on_list, ListAction("open", search.name))
            for verb, words in (("rename", "Rename"), ("edit", "Edit the query of"), ("delete", "Delete")):
                yield (f"{words} saved search: {name}", "saved search",
                       partial(self.act_on_list, ListAction(verb, search.name)))
        for watch in self.session.service.watches():
            yield (f"Stop watching {watch.kind}: {one_line(watch.label)}", "watch",
                   partial(self.act_on_list, ListAction("delete-watch", str(watch.id))))

    # -- watching ------------------------------------------------------------------------------
    def action_watch_author(self) -> None:
        """Watch an author of the shown paper (a picker when it has several; a watched one is dropped)."""
        paper = self._current()
        if paper is None:
            return
        if not paper.authors:
            self._say("This paper names no authors to watch.", error=True)
            return
        watched = {w.label.lower() for w in self.session.service.watches() if w.kind == "author"}
        if len(paper.authors) == 1:
            self.toggle_author(watched, paper.authors[0])
        else:
            self.app.push_screen(AuthorPicker(paper.authors, watched), partial(self.toggle_author, watched))

    def toggle_author(self, watched: set[str], name: str | None) -> None:
        """Watch `name`, or stop watching it when it is watched already."""
        if not name:
            return
        service = self.session.service
        try:
            if name.lower() in watched:
                watch = service.delete_watch("author", name)
                self._say(f"Stopped watching “{watch.label}”.")
            else:
                watch, _ = service.add_watch("author", name)
                self._say(f"Watching “{watch.label}”: marked wherever they appear (is:watched finds them).")
        except LIST_ERRORS as exc:
            self._say(str(exc), error=True)
            return
        self.watches_changed()

    def watches_changed(self) -> None:
        """Redraw the list (its marks) and count the saved searches again (`is:watched` may be in one)."""
        if self.related_to is None:
            self.start_search()
        self.count_saved()


def watched_first(service, queue: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    """A triage queue of (paper id, digest) with the papers a watch matches moved to the front,
    each part in its own order."""
    watched = service.watched_ids(paper_id for paper_id, _ in queue)
    return [e for e in queue if e[0] in watched] + [e for e in queue if e[0] not in watched]
