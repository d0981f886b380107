"""The one-line header on every screen: account, plan and where the store is."""

from __future__ import annotations

from textual.widgets import Static


class AppHeader(Static):
    """Shows ``app.header_text``; static after mount (no clock: an idle screen stays idle)."""

    def on_mount(self) -> None:
        self.update(self.app.header_text)  # type: ignore[attr-defined]
