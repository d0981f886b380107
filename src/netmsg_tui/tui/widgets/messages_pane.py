"""The Messages tab: the ✎ pencil above the search bar, and the conversations paged in."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.widgets import OptionList

from ...i18n import N_, _
from ...model import Conversation, Identity, Page
from .conversation_list import FIRST_PAGE, PAGE_SIZE, PREFETCH_ROWS, ConversationList, Filter
from .notices import UpgradeNotice
from .paged_list import PagedList
from .pencil import Pencil


class MessagesPane(PagedList[Conversation, Filter]):
    FIRST_PAGE = FIRST_PAGE
    PAGE_SIZE = PAGE_SIZE
    PREFETCH_ROWS = PREFETCH_ROWS
    SEARCH_DELAY = 0.25
    WORKERS = "conversation-list"
    SEARCH_ID = "conversation-search"
    SEARCH_PLACEHOLDER = N_("Search conversations  (/)")
    STATUS_ID = "list-status"

    def __init__(
        self, first_page: Page[Conversation] | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(Filter(), first_page, id=id)

    def compose_above(self) -> ComposeResult:
        # The plan is known when the home screen is built: its classes are set before the
        # children mount (set after, each class restyles the whole pane before the first frame).
        # No restyle of the pane for them: only the children below, styled as they mount, differ.
        self._set_plan(self.app.identity, restyle=False)
        if self.app.read_only:
            return  # support staff write nothing: no pencil, no upgrade text
        # Both are there from the start; the plan (known a moment later) picks one by CSS class,
        # which is cheaper at start-up than mounting one then.
        yield Pencil(_("✎ New conversation"), id="pencil")
        yield UpgradeNotice(id="upgrade-notice")

    def make_view(self) -> ConversationList:
        return ConversationList(id="conversations")

    def on_mount(self) -> None:
        # Not super().on_mount(): Textual calls the handler of each class in the MRO (8.x), so
        # PagedList.on_mount ran twice, the second time loading and rendering the first page
        # again (a second query and 20 rows built twice at start-up).
        self.watch(self.app, "identity", self._show_plan)

    def _show_plan(self, identity: Identity | None) -> None:
        """The ✎ pencil for Enterprise, the upgrade text for Standard (once the plan is known)."""
        self._set_plan(identity, restyle=True)

    def _set_plan(self, identity: Identity | None, *, restyle: bool) -> None:
        if identity is not None:
            enterprise = identity.account.can_message
            self.set_class(enterprise, "-enterprise", update=restyle)
            self.set_class(not enterprise, "-standard", update=restyle)

    @property
    def list(self) -> ConversationList:
        return self.query_one(ConversationList)

    def toggle_unread(self) -> None:
        self.reload(replace(self.filter, unread_only=not self.filter.unread_only))

    async def fetch(self, filter: Filter, cursor: str | None, limit: int) -> Page[Conversation]:
        return await self.app.store.list_conversations(
            filter.query, unread_only=filter.unread_only, cursor=cursor, limit=limit
        )

    def show_rows(self, items: Sequence[Conversation], *, first: bool) -> None:
        self.list.show(items, first=first)

    def item_key(self, item: Conversation) -> Hashable:
        return item.id

    def status_text(self) -> str:
        f = self.filter
        parts = []
        if f.unread_only:
            parts.append(_("Unread only (u: show all)"))
        if f.query:
            parts.append(_("matching “{query}”").format(query=f.query))
        if not self.items:
            if f.query or f.unread_only:
                parts.append(_("— no threads"))
            elif self.app.can_message:
                parts.append(_("No conversations yet: press n to write to a customer"))
            else:
                parts.append(_("No conversations"))
        return " ".join(parts)

    def submitted(self, searching: object) -> None:
        self.list.focus()

    @on(OptionList.OptionHighlighted, "#conversations")
    def _prefetch(self, event: OptionList.OptionHighlighted) -> None:
        self.cursor_at(event.option_index)
