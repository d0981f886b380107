"""A thread's messages, oldest first: older pages load as you scroll up (or press ▲), new ones
are appended as the store reports them, and this user's sends still in the offline queue show
last, as *queued* or *failed*, until the stored message replaces them (marked *sent*).

The widget reads messages from the store; what to do about them (mark read, retry, discard)
is its screen's: it posts :class:`ThreadMessages.CustomerWrote`, and its :class:`OutboxView`
rows post Retry and Discard.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.layout import DockArrangeResult
from textual.message import Message as TextualMessage
from textual.widget import AwaitMount
from textual.widgets import Button

from ...i18n import _
from ...model import Message, Page
from ...store import QueuedSend, StoreError
from ..base import NetmsgWidget
from .message_view import MessageView, message_widgets
from .outbox_view import OutboxView

PAGE_SIZE = 30


class ThreadMessages(NetmsgWidget, VerticalScroll):
    class CustomerWrote(TextualMessage):
        """New messages of the customer were appended (the screen marks the thread read)."""

    def __init__(self, conversation_id: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.conversation_id = conversation_id
        self.messages: list[Message] = []
        self._older_cursor: str | None = None
        self._loading_older = False
        #: Ids of messages seen queued here and delivered since (marked "sent").
        self._delivered: set[int] = set()
        #: Keys of sends queued here that no read of the queue has shown yet.
        self._unread: set[str] = set()
        # New messages load one after the other, never cancelled halfway: a load cut off
        # between noting messages as shown and mounting them would hide them for good.
        self._new_lock = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield Button(_("▲ Older messages"), id="older", compact=True)

    def on_mount(self) -> None:
        self.query_one("#older", Button).display = False
        self.watch(self, "scroll_y", self._scrolled, init=False)

    def show_first(self, page: Page[Message], queued: Sequence[QueuedSend]) -> AwaitMount:
        """Show the newest page and, after it, the sends still queued or failed."""
        self.messages = list(page.items)
        self._older_cursor = page.next_cursor
        self.query_one("#older", Button).display = page.next_cursor is not None
        views = [w for m in self.messages for w in message_widgets(m)]
        views += [OutboxView(entry) for entry in queued if entry.state != "sent"]
        # Textual scrolls an anchored widget to its end in the layout that places its children:
        # the page shows its newest message in its first frame, not after a second layout.
        # The anchor holds while the view is at its end (new messages stay in sight) and lets
        # go when the user scrolls up (Textual releases it on any scroll but to the end).
        self.anchor()
        # A page surely taller than the terminal (each message is at least its author line,
        # its lines and a blank one) has its scrollbar from the first layout: Textual shows it
        # after a layout finds the overflow, and that asked for another layout and paint.
        lines = sum(m.body.count("\n") + 3 for m in self.messages)
        if lines > self.app.size.height:
            self.show_vertical_scrollbar = True
        return self.mount_all(views)

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        arranged = super().arrange(size, optimal)
        if self._anchored and not self._anchor_released:
            # Textual (8.x) scrolls an anchored widget to its end right after this, by
            # ``container_size``, which is still the size of the layout before: when the
            # header, the read line or the reply box change height in the same layout (the
            # first page shows them all), the newest message was cut off until another
            # layout. The content has ``size`` now (the scrollbar's column is kept in CSS, so
            # the width holds when it appears). A page shorter than the view stays at the top:
            # Textual's end would be a negative scroll, the messages under empty space.
            height = min(size.height, arranged.spatial_map.total_region.bottom) or size.height
            self._container_size = Size(
                size.width + self.scrollbar_size_vertical,
                height + self.scrollbar_size_horizontal,
            )
        return arranged

    # -- older pages ----------------------------------------------------------------------------
    def _scrolled(self, scroll_y: float) -> None:
        if scroll_y <= 0 and self._older_cursor and not self._loading_older:
            self._load_older()

    @on(Button.Pressed, "#older")
    def _older_pressed(self) -> None:
        if self._older_cursor and not self._loading_older:
            self._load_older()

    @work(group="thread-older")
    async def _load_older(self) -> None:
        cursor = self._older_cursor
        if cursor is None:
            return
        self._loading_older = True
        try:
            page = await self.app.store.list_messages(
                self.conversation_id, cursor=cursor, limit=PAGE_SIZE
            )
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        finally:
            self._loading_older = False
        if self.gone:  # the thread closed (or the app quit) while the store answered
            return
        first = next(iter(self.query(MessageView)), None)
        views = [w for m in page.items for w in message_widgets(m)]
        self.release_anchor()  # the older page goes above: the view stays where it is
        if first is not None:
            await self.mount_all(views, before=first)
        else:
            await self.mount_all(views)
        if self.gone:
            return
        self.messages = list(page.items) + self.messages
        self._older_cursor = page.next_cursor
        self.query_one("#older", Button).display = page.next_cursor is not None
        if first is not None:
            # Keep the message that was on top where it was, instead of jumping to the start.
            self.call_after_refresh(self.scroll_to_widget, first, top=True, animate=False)

    # -- new messages ---------------------------------------------------------------------------
    @work(group="thread-new")
    async def load_new(self) -> None:
        """Append what the store has beyond the last message shown. (The change feed, a send
        and the send queue all ask, sometimes at the same moment: one load at a time.)"""
        async with self._new_lock:
            await self._load_new_now()
            await self._settle_sent()

    async def _load_new_now(self) -> None:
        try:
            page = await self.app.store.list_messages(self.conversation_id, limit=PAGE_SIZE)
        except StoreError:
            return  # the app's poll loop reports an unavailable store
        if self.gone:  # the thread closed (or the app quit) while the store answered
            return
        shown = {m.id for m in self.messages}
        last_id = self.messages[-1].id if self.messages else 0
        fresh = [m for m in page.items if m.id > last_id and m.id not in shown]
        if not fresh:
            return
        at_end = self.scroll_y >= self.max_scroll_y - 1
        self.messages += fresh
        views = [
            w for m in fresh for w in message_widgets(m, delivered_late=m.id in self._delivered)
        ]
        pending = self.queued_views  # what is not on the server yet stays last
        if pending:
            await self.mount_all(views, before=pending[0])
        else:
            await self.mount_all(views)
        if at_end or any(m.author_kind == "supplier" for m in fresh):
            self.scroll_end(animate=False)
        if any(m.author_kind == "customer" for m in fresh):
            self.post_message(self.CustomerWrote())

    # -- the offline send queue -----------------------------------------------------------------
    @property
    def queued_views(self) -> list[OutboxView]:
        return list(self.query(OutboxView))

    async def add_queued(self, entry: QueuedSend, *, scroll: bool = True) -> None:
        """Show ``entry`` (a send just queued, or queued again) at the end, or update its row."""
        for view in self.queued_views:
            if view.key == entry.key:
                view.update_entry(entry)
                break
        else:
            self._unread.add(entry.key)
            await self.mount(OutboxView(entry))
        if scroll:
            self.scroll_end(animate=False)

    @work(exclusive=True, group="thread-queue")
    async def track_queue(self, entries: Sequence[QueuedSend]) -> None:
        """The queue as the app read it (this thread's entries): update the rows shown; a row
        delivered meanwhile makes way for the stored message, marked sent."""
        by_key = {entry.key: entry for entry in entries}
        delivered = False
        for view in self.queued_views:
            entry = by_key.get(view.key)
            if entry is None:
                if view.key not in self._unread:
                    await view.remove()  # discarded elsewhere (another window, the CLI)
                continue  # queued here after that read began: the next one has it
            self._unread.discard(view.key)
            if entry.state == "sent" and entry.message_id is not None:
                self._delivered.add(entry.message_id)
                delivered = True
            view.update_entry(entry)
        if delivered:
            async with self._new_lock:
                await self._settle_sent()
            self.load_new()

    async def _settle_sent(self) -> None:
        """A delivered send whose stored message is on screen: drop its queued row and mark the
        message sent. (The change feed and the queue may tell in either order.)"""
        for view in self.queued_views:
            if view.entry.state != "sent" or view.entry.message_id is None:
                continue
            self._delivered.add(view.entry.message_id)
            shown = self.query(f"#message-{view.entry.message_id}").results(MessageView)
            for message_view in shown:
                message_view.mark_delivered_late()
                await view.remove()
