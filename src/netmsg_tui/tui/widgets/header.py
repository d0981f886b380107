"""The one-line header on every screen: account, plan, where the store is and, for a network
server, whether it is reachable (connected / reconnecting / offline) and how many sends wait in
the offline outbox ("2 queued", "1 failed"; a click opens the outbox)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from ...i18n import N_, _, ngettext
from ...terminal_text import printable_line
from ..base import NetmsgWidget

#: What the header says per connection state of a remote store (the SQLite store has none).
STATE_LABELS = {
    "connecting": (N_("◌ connecting…"), "dim"),
    "connected": (N_("● connected"), "green"),
    "reconnecting": (N_("◌ reconnecting…"), "yellow"),
    "offline": (N_("✕ offline"), "bold red"),
}


class AppHeader(NetmsgWidget, Static):
    """Shows ``app.header_text`` and, for a store that can lose its server, the connection
    state and the count of queued and failed sends, right-aligned. It watches the app's state
    and repaints only when that changes (no clock: an idle screen stays idle)."""

    class QueuedSendsRequested(Message):
        """A click on the header of a network store: show the queued sends."""

    def on_mount(self) -> None:
        for state in ("identity", "connection_state", "queued_sends"):
            self.watch(self.app, state, self._app_state_changed, init=False)

    def _app_state_changed(self) -> None:
        self.refresh()

    def on_click(self) -> None:
        if self.app.connection_state is not None:
            self.post_message(self.QueuedSendsRequested())

    def render(self) -> Text:
        width = max(self.content_size.width, 1)
        # The account name and the store's address come from the server.
        left = printable_line(str(self.app.header_text))
        state = self.app.connection_state
        if state is None:
            return Text(left, no_wrap=True, overflow="ellipsis")
        known = STATE_LABELS.get(state)
        label, style = (_(known[0]), known[1]) if known else (state, "")
        sends = self.app.queued_sends
        queued = sum(1 for entry in sends if entry.state == "queued")
        failed = sum(1 for entry in sends if entry.state == "failed")
        if queued:
            label += " · " + ngettext("{n} queued", "{n} queued", queued).format(n=queued)
        if failed:
            label += " · " + ngettext("{n} failed", "{n} failed", failed).format(n=failed)
            style = "bold red"
        room = width - cell_len(label) - 2
        if room < 8:  # too narrow for both: the state matters more
            return Text(label, style=style, no_wrap=True, overflow="ellipsis")
        text = Text(left, no_wrap=True)
        text.truncate(room, overflow="ellipsis")
        text.append(" " * (width - text.cell_len - cell_len(label)))
        text.append(label, style=style)
        return text
