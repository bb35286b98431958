"""The app's widgets: each announces what happened with a nested Message; screens decide."""

from tui.ui.widgets.abstract import AbstractPane
from tui.ui.widgets.results import ResultsList, Row
from tui.ui.widgets.search_bar import SearchBar
from tui.ui.widgets.view_bar import ViewBar

__all__ = ["AbstractPane", "ResultsList", "Row", "SearchBar", "ViewBar"]
