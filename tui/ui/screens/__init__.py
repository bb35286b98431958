"""The app's screens: the library (search, list, abstract), triage, the note editor and help."""

from tui.ui.screens.help import HelpScreen
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.note import NoteEditor
from tui.ui.screens.triage import TriageScreen

__all__ = ["HelpScreen", "LibraryScreen", "NoteEditor", "TriageScreen"]
