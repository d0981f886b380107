"""A thread's messages, oldest first: older pages load as you scroll up (or press ▲), new ones
are appended as the store reports them, and this user's sends still in the offline queue show
last, as *queued* or *failed*, until the stored message replaces them (marked *sent*).

A page is read in one query, but only its newest messages, enough to fill the screen, are
mounted when it is shown; the older ones of the page are mounted above them as soon as the user
scrolls up (issue 15: mounting, styling and wrapping the 30 messages of a page was most of
opening a thread, and at 80×24 the user sees three or four of them).

Messages are drawn by :class:`MessageRun` widgets, each drawing consecutive messages line by
line; a message's attachments follow its run as widgets that take the focus.

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
from textual.geometry import Region, Size
from textual.layout import DockArrangeResult
from textual.message import Message as TextualMessage
from textual.scrollbar import ScrollBar
from textual.widget import AwaitMount, Widget

from ...i18n import _
from ...model import Message, Page
from ...store import QueuedSend, StoreError
from ..base import NetmsgWidget
from .message_run import MessageRun, column_widgets
from .outbox_view import OutboxView
from .pencil import Pencil

PAGE_SIZE = 30
#: Lines mounted beyond the height of the view when a page is shown: the first ↑ scrolls
#: within them (and mounts the rest of the page above).
MARGIN_LINES = 4


def least_height(message: Message) -> int:
    """Lines ``message`` takes in the column at least, at any width: its author line, one line
    per line of its text (wrapping only adds), the margin above it and its attachments."""
    body = message.body.count("\n") + 1 if message.body else 0
    return 2 + body + len(message.attachments)


class OlderButton(Pencil):
    """▲ Older messages, at the top of the column: drawn and pressed as Textual's compact
    Button (see Pencil; its label's spaces are the Button's line padding, so every cell is the
    same), without Button's CSS (~7,000 characters of rules): the column's Button was styled
    when a thread opened and again when the column took the focus, ~0.5 ms each (issue 15)."""


class ThreadMessages(NetmsgWidget, VerticalScroll):
    class CustomerWrote(TextualMessage):
        """New messages of the customer were appended (the screen marks the thread read)."""

    def __init__(self, conversation_id: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.conversation_id = conversation_id
        self.messages: list[Message] = []
        self._older_cursor: str | None = None
        self._loading_older = False
        #: The shown page's older messages, not mounted yet (oldest first): mounted above the
        #: others when the user scrolls up.
        self._held: list[Message] = []
        #: A widget to keep where it is in the view while messages are mounted above it, and its
        #: distance from the view's top (see arrange).
        self._keep: tuple[Widget, int] | None = None
        self._arranged: DockArrangeResult | None = None  # the last arrangement (see arrange)
        #: Ids of messages seen queued here and delivered since (marked "sent").
        self._delivered: set[int] = set()
        #: Keys of sends queued here that no read of the queue has shown yet.
        self._unread: set[str] = set()
        # New messages load one after the other, never cancelled halfway: a load cut off
        # between noting messages as shown and mounting them would hide them for good.
        self._new_lock = asyncio.Lock()

    def compose(self) -> ComposeResult:
        label = _("▲ Older messages")
        yield OlderButton(f" {label} ", id="older")

    def on_mount(self) -> None:
        self.query_one(OlderButton).display = False
        self.watch(self, "scroll_y", self._scrolled, init=False)

    def show_first(self, page: Page[Message], queued: Sequence[QueuedSend]) -> AwaitMount:
        """Show the newest page and, after it, the sends still queued or failed. Only the
        page's newest messages that fill the view (and MARGIN_LINES) are mounted; the older
        ones wait in ``_held`` until the user scrolls up."""
        self.messages = list(page.items)
        self._older_cursor = page.next_cursor
        # The view is at most this tall: laid out while the page loaded, without the reply box.
        room = (self.size.height or self.app.size.height) + MARGIN_LINES
        lines, first = 0, len(self.messages)
        while first > 0 and lines <= room:
            first -= 1
            lines += least_height(self.messages[first])
        self._held = self.messages[:first]
        # Shown for older pages only: the held messages come when the user scrolls up (shown
        # for them, it would take Tab from the attachments in a thread of one page).
        self.query_one(OlderButton).display = page.next_cursor is not None
        views = column_widgets(self.messages[first:])
        views += [OutboxView(entry) for entry in queued if entry.state != "sent"]
        # Textual scrolls an anchored widget to its end in the layout that places its children:
        # the page shows its newest message in its first frame, not after a second layout.
        # The anchor holds while the view is at its end (new messages stay in sight) and lets
        # go when the user scrolls up (Textual releases it on any scroll but to the end).
        self.anchor()
        # A page surely taller than the terminal (each message is at least its author line,
        # its lines and a blank one) has its scrollbar from the first layout: Textual shows it
        # after a layout finds the overflow, and that asked for another layout and paint.
        if self._held or lines > self.app.size.height:
            self.show_vertical_scrollbar = True
        return self.mount_all(views)

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        arranged = super().arrange(size, optimal)
        self._arranged = arranged
        if self._keep is not None:
            self._keep_in_place(arranged)
        if self._held and arranged.spatial_map.total_region.bottom <= size.height:
            # The view is as tall as the messages mounted (the terminal grew since the page
            # was shown): no scroll would bring the page's older ones. Now, then.
            self.call_later(self._show_held, keep=False)
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

    def _keep_in_place(self, arranged: DockArrangeResult) -> None:
        """Messages were mounted above ``_keep``'s widget: scroll down by what they added, in
        the layout that places them (as Textual scrolls an anchored widget), so the view does
        not show them for a frame before it jumps back to where the user was. A scroll under
        way (↑ and PageUp animate) ends where it was going, moved down as much."""
        assert self._keep is not None
        widget, before = self._keep
        y = next((p.region.y for p in arranged.placements if p.widget is widget), None)
        if y is None:
            self._keep = None  # removed meanwhile
            return
        added = y - before
        if added <= 0:
            return  # laid out before the new messages were: keep waiting for them
        self._keep = None
        # An animation would go on in the old positions: stopped, it sets where it was going.
        self.app.animator.force_stop_animation(self, "scroll_y")
        scroll_y = self.scroll_y + added
        self.set_reactive(ThreadMessages.scroll_y, scroll_y)
        self.set_reactive(ThreadMessages.scroll_target_y, scroll_y)
        self.vertical_scrollbar.set_reactive(ScrollBar.position, scroll_y)

    # -- older pages ----------------------------------------------------------------------------
    def _scrolled(self, old: float, scroll_y: float) -> None:
        if self._held and (scroll_y < old or scroll_y <= 0):
            self._show_held(keep=True)  # the user scrolls up: the rest of the page goes above
        elif scroll_y <= 0:
            self._at_top()

    def action_scroll_home(self) -> None:
        # Home: to the page's oldest message, as before the page's older messages were held.
        self._show_held(keep=False)
        super().action_scroll_home()

    @on(OlderButton.Pressed)
    def _older_pressed(self, event: OlderButton.Pressed) -> None:
        event.stop()
        self._show_held(keep=False)
        self._at_top()

    def _at_top(self) -> None:
        if self._older_cursor and not self._loading_older:
            self._load_older()

    def _show_held(self, *, keep: bool) -> None:
        """Mount the shown page's older messages above the others; ``keep``: the messages in
        sight stay where they are (else the view stays at its scroll offset: at the top, the
        page's oldest message)."""
        held, self._held = self._held, []
        if not held:
            return
        first = next(iter(self.query(MessageRun)), None)
        views = column_widgets(held, delivered_late=self._delivered)
        if self._anchored and not self._anchor_released:
            self.release_anchor()  # the messages go above: the view stays where it is
        if first is None:
            self.mount_all(views)
            return
        if keep:
            self._keep_from_top(first)
        self.mount_all(views, before=first)

    def _keep_from_top(self, widget: Widget) -> bool:
        """Keep ``widget`` where it is in the view through the next layout that moves it down;
        False when it has no place yet (not laid out)."""
        arranged = self._arranged
        if arranged is None:
            return False
        y = next((p.region.y for p in arranged.placements if p.widget is widget), None)
        if y is None:
            return False
        self._keep = (widget, y)
        return True

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
        first = next(iter(self.query(MessageRun)), None)
        views = column_widgets(page.items)
        self.release_anchor()  # the older page goes above: the view stays where it is
        # Keep the message that was on top where it was, instead of jumping to the start.
        kept = first is not None and self._keep_from_top(first)
        if first is not None:
            await self.mount_all(views, before=first)
        else:
            await self.mount_all(views)
        if self.gone:
            return
        self.messages = list(page.items) + self.messages
        self._older_cursor = page.next_cursor
        older = self.query_one(OlderButton)
        had_focus = older.has_focus
        older.display = page.next_cursor is not None
        if had_focus and not older.display:
            # The oldest page is in: the button goes, and the focus with it would leave the
            # screen with none (keys would scroll nothing). The column keeps it.
            self.focus()
        if first is not None and not kept:
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
        views = column_widgets(fresh, delivered_late=self._delivered)
        pending = self.queued_views  # what is not on the server yet stays last
        if pending:
            await self.mount_all(views, before=pending[0])
        else:
            await self.mount_all(views)
        if at_end or any(m.author_kind == "supplier" for m in fresh):
            self.scroll_end(animate=False)
        if any(m.author_kind == "customer" for m in fresh):
            self.post_message(self.CustomerWrote())

    # -- where a message is -------------------------------------------------------------------
    def run_of(self, message_id: int) -> MessageRun | None:
        """The run that draws message ``message_id``, if it is mounted."""
        return next((run for run in self.query(MessageRun) if message_id in run), None)

    def region_of(self, message_id: int) -> Region | None:
        """Where message ``message_id`` is on the screen (None: not mounted, or no place yet)."""
        run = self.run_of(message_id)
        return None if run is None else run.region_of(message_id)

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
            run = self.run_of(view.entry.message_id)
            if run is not None:
                run.mark_delivered_late(view.entry.message_id)
                await view.remove()
