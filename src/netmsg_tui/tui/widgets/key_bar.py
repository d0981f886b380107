"""The bottom line of keys: one Static instead of Textual's Footer.

Textual's Footer recomposes itself (a widget per key, each styled and laid out) on every focus
change, since any focus change may change the active bindings. On a large store that was half
the time of a full-text search (the list takes focus after Enter). This bar renders the same
information as one line of text and repaints only when that text changes. F1 lists every
binding, including those hidden here (``show=False``).
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ...i18n import _


def key_bar_text(bindings: list[tuple[Binding, bool]], key_display: dict[str, str]) -> Content:
    """`` key description`` for each shown action, disabled ones dimmed; one key per action (the
    first bound key wins, as in Textual's Footer). Colours come from the theme's footer ones."""
    parts: list[tuple[str, str]] = []
    seen: set[str] = set()
    for binding, enabled in bindings:
        if binding.action in seen:
            continue
        seen.add(binding.action)
        dim = "" if enabled else " dim"
        parts.append((f" {key_display[binding.key]} ", f"bold $footer-key-foreground{dim}"))
        parts.append((f"{_(binding.description)} ", dim.strip()))  # marked N_ where bound
    return Content.assemble(*parts)


class KeyBar(Static):
    """The screen's shown bindings on one line (keys as remapped by ``[keymap]``)."""

    DEFAULT_CSS: ClassVar[str] = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-description-foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._shown: tuple[tuple[str, str, str, bool], ...] | None = None
        self._pending = False

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._show_bindings)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # Several focus changes in one go (a screen being built) cost one look at the bindings.
        if screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._show_bindings)

    def _show_bindings(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        app = self.app
        shown = [
            (active.binding, active.enabled)
            for active in self.screen.active_bindings.values()
            if active.binding.show
        ]
        key_display = {binding.key: app.get_key_display(binding) for binding, _ in shown}
        signature = tuple(
            (b.action, key_display[b.key], _(b.description), enabled) for b, enabled in shown
        )
        if signature != self._shown:  # the usual case, a focus change, ends here
            self._shown = signature
            # One docked line whatever it says: no layout, only a repaint.
            self.update(key_bar_text(shown, key_display), layout=False)
