"""The inbound mail log of the account: the emailed replies to its threads, newest first,
accepted or rejected and why (what ``netmsg mail log`` shows). Enter opens a reply's delivery
trail. Reasons, Message-IDs and paths come from outside: every one is sanitised."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...i18n import N_, _, ngettext
from ...model import InboundMail
from ...store import StoreError
from ..base import NetmsgScreen
from ..format import clock_time, one_line
from ..widgets.header import AppHeader
from ..widgets.key_bar import KeyBar

#: How many entries the screen reads (the port's limit is 1..500).
LOG_LIMIT = 200


def mail_prompt(mail: InboundMail, width: int = 76) -> Text:
    """Line 1: when, accepted/rejected, the thread. Line 2: the reason, or the Message-ID."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(clock_time(mail.received), "dim")
    if mail.status == "accepted":
        text.append("  ✓ " + _("accepted"), "green")
    else:
        text.append("  ✕ " + _("rejected"), "bold red")
    if mail.conversation_id is not None:
        text.append("  " + _("thread #{id}").format(id=mail.conversation_id), "dim")
    if mail.stored_message_id is not None:
        text.append(" · " + _("message #{id}").format(id=mail.stored_message_id), "dim")
    text.append("\n  ")
    if mail.status == "rejected":
        text.append(one_line(mail.reason or _("(no reason recorded)"), width - 2))
    else:
        text.append(one_line(mail.message_id, width - 2), "dim")
    return text


class MailLogScreen(NetmsgScreen[None]):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="back"),
        Binding("ctrl+r", "reload", N_("Reload"), id="mail-log-reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[InboundMail] = []
        self.loaded = False  # True once the first read answered (or failed)

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        yield Static(_("Inbound mail: emailed replies to this account"), classes="screen-title")
        yield Static(_("Loading…"), id="mail-log-status", classes="hint", markup=False)
        yield OptionList(id="mail-log")
        yield KeyBar()

    @property
    def entry_list(self) -> OptionList:
        return self.query_one("#mail-log", OptionList)

    def on_mount(self) -> None:
        self.entry_list.focus()
        self._load()

    @work(exclusive=True, group="mail-log")
    async def _load(self) -> None:
        status = self.query_one("#mail-log-status", Static)
        try:
            entries = await self.app.store.mail_log(limit=LOG_LIMIT)
        except StoreError as exc:
            status.update(Text(one_line(f"⚠ {exc}", 200), "red"))
            self.loaded = True
            return
        if self.gone:  # closed (or the app quit) while the store answered
            return
        self.entries = list(entries)
        width = max(self.entry_list.content_size.width - 2, 40)
        self.entry_list.clear_options()
        self.entry_list.add_options([Option(mail_prompt(m, width)) for m in self.entries])
        if self.entries:
            self.entry_list.highlighted = 0  # Enter opens the newest at once
        rejected = sum(1 for m in self.entries if m.status == "rejected")
        if self.entries:
            n = len(self.entries)
            replies = ngettext(
                "{n} emailed reply, {rejected} rejected",
                "{n} emailed replies, {rejected} rejected",
                n,
            ).format(n=n, rejected=rejected)
            status.update(replies + " · " + _("Enter: delivery trail"))
        else:
            status.update(_("No emailed replies to this account yet."))
        self.loaded = True

    @on(OptionList.OptionSelected, "#mail-log")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        from .trail import TrailScreen

        mail = self.entries[event.option_index]
        self.app.push_screen(TrailScreen([mail.message_id]))

    def action_reload(self) -> None:
        self._load()

    def action_back(self) -> None:
        self.dismiss()
