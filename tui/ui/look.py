"""Your look: the theme from the settings file, else the one last picked in the palette, remembered."""

from __future__ import annotations

from tui.settings.remembered import load_remembered, remember
from tui.textsafe import one_line


def start_theme(available: set[str], configured: str, remembered: str) -> tuple[str | None, str | None]:
    """The theme to open with (None: Textual's default) and a one-line notice for a name that is no theme."""
    for name, where in ((configured, "the settings' ui.theme"), (remembered, "the remembered theme")):
        if not name:
            continue
        if name in available:
            return name, None
        return None, f"{where} {one_line(name)!r} is not a theme here; using the default (ctrl+p, theme: to pick one)"
    return None, None


class RemembersTheme:
    """Mixin for the app: applies the start theme, then stores every theme the user picks."""

    def apply_start_theme(self) -> str | None:
        """Set the theme the app opens with; returns a notice if a named theme does not exist."""
        data_dir = self.session.service.data_dir
        configured = self.loaded_settings.settings.ui.theme
        name, notice = start_theme(set(self.available_themes), configured, load_remembered(data_dir).get("theme", ""))
        if name:
            self.theme = name
        self._theme_shown = self.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        return notice

    def _remember_theme(self, theme) -> None:
        """The user picked a theme: keep it for the next start (a settings file's theme still wins)."""
        if theme.name == self._theme_shown:
            return  # the start theme arriving, or no change
        self._theme_shown = theme.name
        try:
            remember(self.session.service.data_dir, theme=theme.name)
        except OSError as exc:
            self.notify(f"Theme not remembered: {one_line(exc.strerror or str(exc))}", severity="warning",
                        markup=False, timeout=4)
            return
        if configured := self.loaded_settings.settings.ui.theme:
            self.notify(f"Theme remembered, but the settings file sets ui.theme = {one_line(configured)!r}, "
                        "which wins at the next start.", markup=False, timeout=6)
