"""The conversation list: two lines per thread, paged from the store as you move down."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...model import Conversation, Page
from ...store import StoreError
from ..base import NetmsgWidget
from ..format import one_line, relative_time

PAGE_SIZE = 50
#: The first page only needs to fill a screen (a row is two lines): start-up renders fewer rows.
FIRST_PAGE = 20
#: Load the next page when the highlight comes this close to the end of what is loaded: ahead,
#: so that holding ↓ never waits on a page, but fewer than a first page, whose rows are then
#: the only work of a search or of start-up.
PREFETCH_ROWS = 15
DOCUMENT_WIDTH = 20


def conversation_prompt(conv: Conversation, width: int) -> Text:
    """Line 1: customer, document number, age, unread badge. Line 2: subject — preview."""
    width = max(width, 30)
    age = relative_time(conv.last_activity)
    badge = f" {conv.unread_count} " if conv.unread_count else ""
    # Capped: a long number from outside must not push the name off the row.
    right = f"{one_line(conv.document_number or '', DOCUMENT_WIDTH)}  {age}".strip()
    name_width = width - len(right) - len(badge) - 3
    text = Text(no_wrap=True, overflow="ellipsis")
    marker = "● " if conv.unread_count else "  "
    text.append(marker, style="bold" if conv.unread_count else "")
    name = one_line(conv.customer_name, name_width)
    text.append(name, style="bold" if conv.unread_count else "")
    text.append(" " * max(name_width - len(name), 1))
    text.append(right, style="dim")
    if badge:
        text.append(" ")
        text.append(badge, style="reverse bold")
    text.append("\n  ")
    line2 = conv.subject
    if conv.last_preview:
        line2 += " — " + conv.last_preview
    text.append(one_line(line2, width - 2), style="" if conv.unread_count else "dim")
    return text


@dataclass
class Filter:
    query: str = ""
    unread_only: bool = False


class ConversationList(NetmsgWidget, OptionList):
    """Conversations, most recent activity first; option ids are conversation ids."""

    @dataclass
    class Opened(Message):
        conversation_id: int

    @dataclass
    class Loaded(Message):
        """A load finished: ``count`` rows shown in total, or ``error`` text."""

        count: int
        error: str = ""

    def __init__(self, first_page: Page[Conversation] | None = None, *, id: str | None = None):
        super().__init__(id=id)
        self.filter = Filter()
        self.conversations: list[Conversation] = []
        self._next_cursor: str | None = None
        self._loading_more = False
        self._rendered_width = 0
        self._first_page = first_page

    def on_mount(self) -> None:
        if self._first_page is not None:
            # Read before the screen was built: the rows are in the very first frame.
            self.show_page(self._first_page)
            self._first_page = None
            self.post_message(self.Loaded(len(self.conversations)))
        else:
            self.reload()

    def reload(self, filter: Filter | None = None) -> None:
        """Load the first page again (keeps the highlighted thread when it is still there)."""
        new_filter = filter is not None and filter != self.filter
        if filter is not None:
            self.filter = filter
        # A live refresh keeps at least as many rows as are shown now, so the list does not
        # shrink under the highlight; a new search or filter starts with a screenful.
        limit = FIRST_PAGE if new_filter else min(max(FIRST_PAGE, len(self.conversations)), 500)
        self._load_first(limit)

    @work(exclusive=True, group="conversation-list")
    async def _load_first(self, limit: int) -> None:
        try:
            page = await self.app.store.list_conversations(
                self.filter.query, unread_only=self.filter.unread_only, limit=limit
            )
        except StoreError as exc:
            self.post_message(self.Loaded(len(self.conversations), str(exc)))
            return
        self.show_page(page)

    def show_page(self, page: Page[Conversation]) -> None:
        """Show ``page`` as the first page (keeps the highlighted thread if it is still there)."""
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        self.conversations = list(page.items)
        self._next_cursor = page.next_cursor
        self.set_options(self._make_options(self.conversations))
        if self.conversations:
            ids = [str(c.id) for c in self.conversations]
            self.highlighted = ids.index(highlighted) if highlighted in ids else 0
        self.post_message(self.Loaded(len(self.conversations)))

    @work(group="conversation-list-more")
    async def _load_more(self) -> None:
        cursor = self._next_cursor
        if cursor is None:
            return
        self._loading_more = True
        try:
            page = await self.app.store.list_conversations(
                self.filter.query,
                unread_only=self.filter.unread_only,
                cursor=cursor,
                limit=PAGE_SIZE,
            )
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        finally:
            self._loading_more = False
        if cursor != self._next_cursor:  # a reload replaced the list meanwhile
            return
        known = {c.id for c in self.conversations}
        fresh = [c for c in page.items if c.id not in known]
        self.conversations += fresh
        self._next_cursor = page.next_cursor
        self.add_options(self._make_options(fresh))

    def _row_width(self) -> int:
        # Option padding (2) and the scrollbar (1), which is not there yet before the first
        # page, are not ours to use; one column spare. Before layout (the first page usually
        # arrives first) guess what the layout gives at any terminal width, so that no second
        # rendering of the rows follows at start-up.
        return (self.scrollable_content_region.width or self.app.size.width - 3) - 4

    def _make_options(self, conversations: list[Conversation]) -> list[Option]:
        width = self._rendered_width = self._row_width()
        return [Option(conversation_prompt(c, width), id=str(c.id)) for c in conversations]

    def on_resize(self) -> None:
        if self.conversations and self._row_width() != self._rendered_width:
            highlighted = self.highlighted
            self.set_options(self._make_options(self.conversations))
            self.highlighted = highlighted

    @on(OptionList.OptionHighlighted)
    def _prefetch(self, event: OptionList.OptionHighlighted) -> None:
        if (
            self._next_cursor is not None
            and not self._loading_more
            and event.option_index >= len(self.conversations) - PREFETCH_ROWS
        ):
            self._load_more()

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Opened(int(event.option.id)))
