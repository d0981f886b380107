"""A message of this user that the network server does not have yet: written while the server
could not be reached and kept in the remote store's local outbox (see
:mod:`netmsg_tui.store.offline`). It shows at the end of its thread as *queued* until it
is delivered (the thread then shows the stored message, marked sent), or as *failed* with the
server's reason: `r` queues it again, `x` discards it and puts its text back in the reply box.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import var
from textual.widgets import Static

from ...i18n import N_, _, formats
from ...terminal_text import printable, printable_line
from .message_view import SENT_MARK

if TYPE_CHECKING:
    from ...store import QueuedSend

QUEUED_MARK = N_("⏳ queued: sent when the server is back")
FAILED_MARK = N_("✕ failed")


class OutboxView(Vertical):
    """One outbox entry of a thread (state queued or failed)."""

    DEFAULT_CSS = """
    OutboxView {
        height: auto;
        margin: 1 0 0 0;
        padding: 0 1;
        border-left: thick $warning;
    }
    OutboxView.-failed {
        border-left: thick $error;
    }
    OutboxView:focus {
        background: $boost;
    }
    OutboxView .outbox-head, OutboxView .outbox-state {
        height: 1;
    }
    OutboxView .outbox-body, OutboxView .outbox-reason {
        height: auto;
    }
    """

    can_focus = True
    #: Only a failed send can be retried or discarded: r and x, and the red border.
    failed: var[bool] = var(False, bindings=True, toggle_class="-failed")
    BINDINGS = [
        Binding("r", "retry", N_("Retry"), id="outbox-retry"),
        Binding("x", "discard", N_("Discard"), id="outbox-discard"),
    ]

    class Retry(Message):
        def __init__(self, view: OutboxView) -> None:
            super().__init__()
            self.view = view

    class Discard(Message):
        def __init__(self, view: OutboxView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, entry: QueuedSend, *, where: str = "") -> None:
        super().__init__(classes="outbox-message")
        self.entry = entry
        self.where = where  # shown above the text in the outbox list ("New conversation …")

    @property
    def key(self) -> str:
        return self.entry.key

    def compose(self) -> ComposeResult:
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(_("You"), style="bold")
        when = formats.date_time(self.entry.created.astimezone())
        head.append("  " + _("{time} · not on the server yet").format(time=when), style="dim")
        yield Static(head, classes="outbox-head")
        if self.where:
            yield Static(Text(printable_line(self.where), style="bold"), classes="outbox-head")
        if self.entry.body:
            yield Static(Text(printable(self.entry.body)), classes="outbox-body")
        for name in self.entry.attachment_names:
            yield Static(Text(f"📎 {printable_line(name)}"), classes="attachment")
        yield Static(classes="outbox-state")
        yield Static(classes="outbox-reason")

    def on_mount(self) -> None:
        self._show()

    def update_entry(self, entry: QueuedSend) -> None:
        if entry != self.entry:
            self.entry = entry
            self._show()

    def _show(self) -> None:
        failed = self.failed = self.entry.state == "failed"
        state = self.query_one(".outbox-state", Static)
        reason = self.query_one(".outbox-reason", Static)
        if self.entry.state == "sent":  # until the thread shows the stored message instead
            state.update(Text(_(SENT_MARK), style="green"))
            reason.display = False
        elif failed:
            keys = ("  " + _("r: retry · x: discard (text back to the reply box)"), "dim")
            state.update(Text.assemble((_(FAILED_MARK), "bold red"), keys))
            reason.update(Text(printable(self.entry.error or _("The server refused it."))))
            reason.display = True
        else:
            state.update(Text(_(QUEUED_MARK), style="bold yellow"))
            reason.display = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A queued send may be on its way right now: only a failed one can be retried or
        # discarded (discarding a send in flight could not promise it was not stored).
        if action in ("retry", "discard"):
            return self.failed
        return True

    def action_retry(self) -> None:
        self.post_message(self.Retry(self))

    def action_discard(self) -> None:
        self.post_message(self.Discard(self))

    def on_click(self) -> None:
        self.focus()
