"""The Messages tab: the ✎ pencil above the search bar, and the conversation list."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from ...model import MAX_SEARCH_CHARS, Conversation, Page
from ...terminal_text import printable_line
from ..base import NetmsgWidget
from .conversation_list import ConversationList, Filter
from .notices import UpgradeNotice
from .steady import steady

SEARCH_DELAY = 0.25  # seconds of no typing before the store is searched


class MessagesPane(NetmsgWidget, Vertical):
    def __init__(
        self, first_page: Page[Conversation] | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._search_timer: Timer | None = None
        self._first_page = first_page

    def compose(self) -> ComposeResult:
        # Both are there from the start; the plan (known a moment later) picks one by CSS class,
        # which is cheaper at start-up than mounting one then.
        yield Button("✎ New conversation", id="pencil", compact=True)
        yield UpgradeNotice(id="upgrade-notice")
        yield steady(
            Input(
                placeholder="Search conversations  (/)",
                id="conversation-search",
                max_length=MAX_SEARCH_CHARS,
                compact=True,
            )
        )
        yield Static("", id="list-status", markup=False)
        yield ConversationList(self._first_page, id="conversations")

    def on_mount(self) -> None:
        self.show_plan()

    def show_plan(self) -> None:
        """The ✎ pencil for Enterprise, the upgrade text for Standard (once the plan is known)."""
        identity = self.app.identity
        if identity is not None:
            self.set_class(identity.account.can_message, "-enterprise")
            self.set_class(not identity.account.can_message, "-standard")

    @property
    def list(self) -> ConversationList:
        return self.query_one(ConversationList)

    @property
    def search(self) -> Input:
        return self.query_one("#conversation-search", Input)

    def toggle_unread(self) -> None:
        current = self.list.filter
        self.list.reload(Filter(current.query, not current.unread_only))

    def reload(self) -> None:
        self.list.reload()

    @on(Input.Changed, "#conversation-search")
    def _search_changed(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._search_now)

    def _search_now(self) -> None:
        query = self.search.value.strip()
        if query != self.list.filter.query:
            self.list.reload(Filter(query, self.list.filter.unread_only))

    @on(Input.Submitted, "#conversation-search")
    def _search_submitted(self) -> None:
        self._search_now()
        self.list.focus()

    @on(ConversationList.Loaded)
    def _show_status(self, event: ConversationList.Loaded) -> None:
        status = self.query_one("#list-status", Static)
        f = self.list.filter
        if event.error:
            status.update(printable_line(f"⚠ {event.error}"), layout=False)
            status.set_class(False, "-empty")  # hidden while there was nothing to say
            return
        parts = []
        if f.unread_only:
            parts.append("Unread only (u: show all)")
        if f.query:
            parts.append(f"matching “{f.query}”")
        if not event.count:
            if f.query or f.unread_only:
                parts.append("— no threads")
            elif self.app.can_message:
                parts.append("No conversations yet: press n to write to a customer")
            else:
                parts.append("No conversations")
        # One line, shown or not by the -empty class: the new text alone needs no layout.
        status.update(printable_line(" ".join(parts)), layout=False)
        status.set_class(not parts, "-empty")
