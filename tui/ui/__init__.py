"""The Textual app: the only room that imports Textual or Rich.

    app.py, app.tcss   the App, its stylesheet and `run_app`
    session.py         the app's handle on the service (writes land at once, index follows)
    searcher.py        the library screen's background work (imports, index, searches, pages)
    palette.py         the command palette provider
    workers.py         turning failed workers into notifications
    screens/           library (main), triage, note editor, help
    widgets/           search bar, view bar, results list, abstract pane, content builders
"""

from tui.ui.app import PaperReaderApp, run_app

__all__ = ["PaperReaderApp", "run_app"]
