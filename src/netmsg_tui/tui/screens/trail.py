"""The delivery trail of a message: what happened to it after it was stored.

Opened with `t` on a thread (its messages, newest first; ←/→ step through them) or from the
mail log (an emailed reply, found by its Message-ID, also when it was rejected). Everything on
it comes from outside (names, addresses, SMTP errors, Message-IDs, file paths): it is built as
inert text, each string through the terminal sanitiser.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.widgets import Static

from ...i18n import N_, _, ngettext
from ...model import ORIGIN_LABELS, DeliveryTrail, InboundMail, NotificationRecord
from ...store import StoreError
from ..base import NetmsgScreen
from ..format import clock_time
from ..safe_text import safe_text
from ..widgets.header import AppHeader
from ..widgets.key_bar import KeyBar

#: A message to show the trail of: a stored message's id, or an emailed reply's Message-ID.
TrailTarget = int | str

STATE_MARKS = {
    "sent": ("✓", N_("sent"), "green"),
    "digested": ("✓", N_("in a digest"), "green"),
    "failed": ("✕", N_("failed"), "bold red"),
    "pending": ("…", N_("pending"), "yellow"),
    "sending": ("…", N_("sending"), "yellow"),
    "skipped": ("–", N_("skipped"), "dim"),
}
AUTHOR_KINDS = {"customer": N_("customer"), "supplier": N_("supplier")}
#: The labels of the rows; the column is as wide as the longest in the language shown.
ROW_LABELS = (
    N_("Message"),
    N_("Stored"),
    N_("From where"),
    N_("Thread"),
    N_("Idempotency"),
    N_("Customer read"),
)
LABEL_WIDTH = 14


def _row(text: Text, label: str, value: Text | str, style: str = "") -> None:
    """``label`` (a msgid of ROW_LABELS) in the label column, then ``value``."""
    width = max(LABEL_WIDTH, *(len(_(each)) + 1 for each in ROW_LABELS))
    text.append(f"{_(label):<{width}}", style="dim")
    text.append(value if isinstance(value, Text) else safe_text(value, style))
    text.append("\n")


def _notification(text: Text, record: NotificationRecord) -> None:
    known = STATE_MARKS.get(record.state)
    mark, style = str(record.state), ""  # a state from a newer server: shown as data
    if known is not None:
        mark, style = f"{known[0]} {_(known[1])}", known[2]
    text.append("  ")
    text.append(safe_text(mark, style))
    tries = ngettext("{n} try", "{n} tries", record.attempts).format(n=record.attempts)
    created = _("created {when}").format(when=clock_time(record.created))
    text.append(f" · {tries} · {created}", "dim")
    if record.sent_at is not None:
        text.append(" · " + _("sent {when}").format(when=clock_time(record.sent_at)), "dim")
    text.append("\n    " + _("to") + " ")
    text.append(safe_text(", ".join(record.addresses) or _("(no address)")))
    text.append(" (")
    text.append(safe_text(record.user_name))
    text.append(")\n")
    if record.last_error:
        text.append("    " + _("last error:") + " ", "dim")
        text.append(safe_text(record.last_error, "red"))
        text.append("\n")
    if record.email_message_id:
        text.append("    Message-ID: ", "dim")
        text.append(safe_text(record.email_message_id))
        text.append("\n")


def _inbound(text: Text, mail: InboundMail) -> None:
    if mail.status == "accepted":
        text.append("  ✓ " + _("accepted"), "green")
    else:
        text.append("  ✕ " + _("rejected:") + " ", "bold red")
        text.append(safe_text(mail.reason or _("(no reason recorded)"), "red"))
    received = _("received {when}").format(when=clock_time(mail.received))
    text.append(f" · {received}\n", "dim")
    text.append("    Message-ID: ", "dim")
    text.append(safe_text(mail.message_id))
    text.append("\n")
    if mail.kept_at:
        text.append("    " + _("raw mail kept at:") + " ", "dim")
        text.append(safe_text(mail.kept_at))
        text.append("\n")
    if mail.stripped_text:
        lines = mail.stripped_text.count("\n") + 1
        taken = ngettext(
            "quoted history taken off: {n} line", "quoted history taken off: {n} lines", lines
        ).format(n=lines)
        text.append(f"    {taken}\n", "dim")


def trail_text(trail: DeliveryTrail) -> Text:
    """Everything the trail holds, as inert text (one sanitised string per field)."""
    text = Text()
    message = trail.message
    if message is not None:
        _row(text, "Message", f"#{message.id}")
        stored = Text(clock_time(message.sent_at))
        stored.append(" " + _("by") + " ")
        stored.append(safe_text(message.author, "bold"))
        kind = AUTHOR_KINDS.get(message.author_kind)
        stored.append(safe_text(f" ({_(kind) if kind else message.author_kind})"))
        _row(text, "Stored", stored)
        where = ORIGIN_LABELS.get(message.origin, message.origin)
        if message.author_kind == "customer" and message.origin == "app":
            where = ORIGIN_LABELS["api"]  # a customer types on the network, not in this app
        _row(text, "From where", _(where))  # the model marks its labels for translation
    else:
        _row(text, "Message", _("not stored (see the emailed reply below)"), "yellow")
    if trail.conversation_id is not None:
        _row(text, "Thread", f"#{trail.conversation_id}")
    _row(text, "Idempotency", trail.idempotency_key or _("none (sent without a key)"))
    if trail.customer_read_at is not None:
        read = Text(clock_time(trail.customer_read_at))
        if trail.customer_reader:
            read.append(" " + _("by") + " ")
            read.append(safe_text(trail.customer_reader))
        _row(text, "Customer read", read)
    elif message is not None and message.author_kind == "supplier":
        _row(text, "Customer read", _("not yet"), "dim")
    text.append("\n")
    if trail.notifications:
        count = len(trail.notifications)
        text.append(_("Notification emails ({n})").format(n=count) + "\n", "bold")
        for record in trail.notifications:
            _notification(text, record)
    elif message is not None and message.author_kind == "customer":
        text.append(_("Notification emails: none") + "\n", "bold")
    if trail.inbound is not None:
        text.append(_("Emailed reply") + "\n", "bold")
        _inbound(text, trail.inbound)
    return text


class TrailScreen(NetmsgScreen[None]):
    """The trail of ``targets[index]``; ←/→ step to the older/newer target."""

    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="back"),
        Binding("left", "step(-1)", N_("Older"), id="trail-older", priority=True),
        Binding("right", "step(1)", N_("Newer"), id="trail-newer", priority=True),
        Binding("ctrl+r", "reload", N_("Reload"), id="trail-reload"),
    ]

    #: Which target is shown.
    index: var[int] = var(0, bindings=True)

    def __init__(self, targets: Sequence[TrailTarget], index: int = -1) -> None:
        super().__init__()
        if not targets:
            raise ValueError("a trail needs a message")
        self.targets = tuple(targets)
        self.set_reactive(TrailScreen.index, index % len(self.targets))
        #: The trail shown (None while loading or after an error).
        self.trail: DeliveryTrail | None = None

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        yield Static("", id="trail-title", classes="screen-title", markup=False)
        with VerticalScroll(id="trail-scroll"):
            yield Static(_("Loading…"), id="trail", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#trail-scroll").focus()
        self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            return len(self.targets) > 1  # False: hidden from the key bar and help
        return True

    @property
    def target(self) -> TrailTarget:
        return self.targets[self.index]

    def _title(self) -> Text:
        target = self.target
        if isinstance(target, int):
            title = Text(_("Delivery trail of message #{id}").format(id=target))
        else:
            title = Text(_("Delivery trail of emailed reply") + " ")
            title.append(safe_text(target))
        if len(self.targets) > 1:
            where = _("{index} of {count}").format(index=self.index + 1, count=len(self.targets))
            title.append(f"  ({where}, ←/→)", "dim")
        return title

    @work(exclusive=True, group="trail")
    async def _load(self) -> None:
        self.query_one("#trail-title", Static).update(self._title())
        body = self.query_one("#trail", Static)
        self.trail = None
        try:
            trail = await self.app.store.message_trail(self.target)
        except StoreError as exc:
            body.update(safe_text(f"⚠ {exc}", "red", multi_line=True))
            return
        self.trail = trail
        body.update(trail_text(trail))

    def action_step(self, step: int) -> None:
        new = self.index + step
        if 0 <= new < len(self.targets):
            self.index = new
            self._load()

    def action_reload(self) -> None:
        self._load()

    def action_back(self) -> None:
        self.dismiss()
