"""A conversation: its header, its messages (:class:`ThreadMessages`) and the reply box
(:class:`ReplyBox`). Opening a thread marks it read; replies arriving while it is open show at
once.

On a network server's store, a reply written while the server cannot be reached is queued in
the store's offline send queue: it shows at the end of the thread marked *queued*, turns into
the stored message marked *sent* once delivered, or shows *failed* with the reason
(retry/discard). The app reads the queue; this screen hands its thread's entries to the list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Static

from ...i18n import N_, _
from ...model import Conversation, CustomerRead, Message
from ...store import MessageStore, QueuedSend, StoreError
from ...terminal_text import printable_line
from ..base import READER_BINDINGS
from ..events import ConversationSent, StoreChanged
from ..format import clock_time, one_line
from ..widgets.composer import Composer
from ..widgets.header import AppHeader
from ..widgets.key_bar import KeyBar
from ..widgets.message_view import AttachmentItem
from ..widgets.outbox_view import OutboxView
from ..widgets.reply_box import ReplyBox, thread_draft_key
from ..widgets.shared_line import SharedLine
from ..widgets.thread_messages import PAGE_SIZE, ThreadMessages
from .queued_sends import discard_queued, retry_queued
from .thread_read import FirstRead, customer_reads, start_reading
from .with_composer import ComposerScreen

__all__ = ["PAGE_SIZE", "ThreadScreen"]

#: Seconds the screen shows nothing new while its first page loads; a slower store (a server
#: far away) gets "Loading…" after this.
FIRST_PAGE_WAIT = 0.2
#: Seconds after the first frame is painted that the garbage collector runs again.
AFTER_FRAME_S = 0.02


def _bars(widget: Widget) -> tuple[bool, bool]:
    return widget.show_vertical_scrollbar, widget.show_horizontal_scrollbar


class ThreadScreen(ComposerScreen):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="back"),
        Binding("ctrl+s", "send", N_("Send"), id="send"),
        Binding("ctrl+o", "attach", N_("Attach"), id="attach"),
        Binding("r", "reply", N_("Reply"), id="reply"),
        Binding("d", "open_document", N_("Document"), id="open-document"),
        Binding("e", "export", N_("Export"), id="export-thread"),
        # A supplier's key bar is full here (F1 lists `t`); support staff, with nothing to
        # send, see it in the bar. check_action keeps one of the two.
        Binding("t", "trail", N_("Trail"), id="trail", show=False),
        Binding("t", "trail('bar')", N_("Trail"), id="support-trail"),
        Binding("right_square_bracket", "app.next_unread", N_("Next unread"), id="next-unread"),
        *READER_BINDINGS,
    ]

    #: The thread, once read (`d` opens its document, if it has one).
    conversation: var[Conversation | None] = var(None, bindings=True)
    #: A reply box is there (not the upgrade text or a contact card): Send, Attach, Reply.
    can_reply: var[bool] = var(False, bindings=True)

    def __init__(self, conversation_id: int, *, write: bool = False) -> None:
        """``write``: opened to write (from a document, after sending): the cursor starts in
        the reply box, as it does when the thread has a draft."""
        super().__init__()
        self.conversation_id = conversation_id
        self.draft_key = thread_draft_key(conversation_id)
        self._write = write
        self._opened = False  # live updates wait until the first page is on screen
        self._frames_held = False  # see _hold_frames
        self._resumed = False  # see _on_screen_resume
        self._reading: asyncio.Task[FirstRead] | None = None  # see read_ahead

    def read_ahead(self, store: MessageStore) -> None:
        """Begin reading what the first frame shows now, before the screen is composed: the
        store answers while Textual builds the screen. (Without it the screen reads when it
        is mounted.)"""
        if self._reading is None:
            key = thread_draft_key(self.conversation_id)
            self._reading = start_reading(store, self.conversation_id, key)

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        yield SharedLine(_("Loading…"), id="thread-header", classes="screen-title")
        yield Static("", id="thread-read", markup=False)
        yield ThreadMessages(self.conversation_id, id="thread-messages")
        yield ReplyBox(self.conversation_id, id="reply-slot")
        yield KeyBar()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Called before Screen's own handler (Textual calls each class's, subclass first).
        # Shown for the first time, every widget was styled when it was mounted: Textual's
        # restyle of the whole screen (the first page's messages, the reply box) came again.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def on_mount(self) -> None:
        # Keys typed meanwhile wait for the focus: the reply box or the messages.
        self.app.key_gate.hold(self)
        self._hold_frames()
        self._open()

    def on_unmount(self) -> None:
        self.app.key_gate.release(self)
        self._release_frames()
        self.app.collector.resume(self)

    def _hold_frames(self) -> None:
        """No frame until the first page is in, or FIRST_PAGE_WAIT has passed: the screen's
        first frame is the thread. (Painted at once, "Loading…" was laid out and sent to the
        terminal only to be replaced a few milliseconds later, the whole screen again.)"""
        self.app._begin_batch()  # Textual's batch_update, held across the store's answer
        self._frames_held = True
        self.set_timer(FIRST_PAGE_WAIT, self._release_frames)

    def _release_frames(self) -> None:
        if self._frames_held:
            self._frames_held = False
            self.app._end_batch()
            if self.is_current and not self.app._batch_count:
                self._update_now()
            elif not self.app._batch_count:
                # A screen shown over this one meanwhile (F1, the palette): Textual dropped its
                # frames during the batch.
                self.app.screen.refresh()
            # The collector paused by open_thread runs again once the frame is out: a pass
            # holds the interpreter, and Textual's thread writing to the terminal would wait.
            self.set_timer(AFTER_FRAME_S, lambda: self.app.collector.resume(self))

    def _update_now(self) -> None:
        """Lay out and paint what the widgets hold now. Textual does it from the screen's update
        timer, made with the screen: its first tick comes a whole interval (1/60 s) after it
        is started, so the finished thread waited ~17 ms, idle. The widgets first tell the
        screen what they changed (as they do when idle: some are not, yet), then the screen
        updates once, after their messages."""
        for widget in self.walk_children(Widget):
            widget._check_refresh()
        self.call_later(self._on_timer_update)

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        # Textual (8.x) sets the virtual size of every widget a layout placed, and a changed
        # one asks for another layout and a repaint: the first page (the reply box's widgets,
        # the header) was laid out and painted twice, then painted a third time. A layout
        # places widgets by their content, never by their virtual size, so what this layout
        # asked of itself is dropped, but where a scrollbar came or went (that changes the
        # room inside: a real layout). Repaints it asked for go too when the whole screen is
        # about to be painted (a screen shown: Textual's ScreenResume asks for that).
        layers = self._compositor.layers
        before = {w: (w._layout_required, w._repaint_required, _bars(w)) for w, _g in layers}
        super()._refresh_layout(size, scroll)
        whole = self._repaint_required
        for widget, _geometry in self._compositor.layers:  # placed by it (scrollbars too)
            layout, repaint, bars = before.get(widget, (False, False, (False, False)))
            if widget._layout_required and not layout and _bars(widget) == bars:
                widget._layout_required = False
            if whole and widget._repaint_required and not repaint:
                widget._repaint_required = False

    def _compositor_refresh(self) -> None:
        if self._repaint_required and self.app.screen is self:
            # The whole screen is painted on the next update (Textual's ScreenResume asked):
            # a layout's paint of its changes first sent most of the screen twice.
            return
        super()._compositor_refresh()

    @property
    def thread(self) -> ThreadMessages:
        return self.query_one(ThreadMessages)

    @property
    def messages(self) -> list[Message]:
        """The messages shown, oldest first."""
        return self.thread.messages

    @property
    def reply_box(self) -> ReplyBox:
        return self.query_one(ReplyBox)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_document":
            return self.conversation is not None and self.conversation.document_id is not None
        if action == "export":
            return self.conversation is not None
        if action in ("send", "attach", "reply"):
            return self.can_reply
        if action == "trail":
            in_bar = parameters == ("bar",)
            if in_bar != self.app.read_only:
                return False
            return bool(self.query(ThreadMessages)) and bool(self.messages)
        return True

    @work(exclusive=True, group="thread-open")
    async def _open(self) -> None:
        try:
            opened = await self._show_first_page()
        finally:
            self._release_frames()
            self.app.key_gate.release(self)
        if not opened or self.gone:
            return  # the store failed (said in the header), or closed meanwhile
        self._opened = True
        self.thread.load_new()  # anything that arrived while the first page was loading
        # From now on the app's reads of the queue update the rows (at once if it has read it:
        # a read of it may have finished since ours).
        known = self.app.queued_sends_known
        self.watch(self.app, "queued_sends", self._queue_changed, init=known)
        if self.conversation is not None and self.conversation.unread_count:
            await self._mark_read()

    async def _show_first_page(self) -> bool:
        """The header, the first page and the reply box; False when the store failed or the
        screen closed while it answered (the key gate is released by the caller either way)."""
        # Found once: the screen may close while this runs (its widgets then go, not these).
        thread, reply_box = self.thread, self.reply_box
        self.read_ahead(self.app.store)
        assert self._reading is not None
        try:
            # The read line is read with the page: shown after it, its line would lay out and
            # paint the screen a second time.
            read = await self._reading
        except StoreError as exc:
            if not self.gone:
                self.query_one("#thread-header", SharedLine).update(printable_line(f"⚠ {exc}"))
            return False
        if self.gone:  # closed (or the app quit) while the store answered
            return False
        if read.queue_error is not None:
            self.notify(
                _("Cannot read the offline outbox: {error}").format(error=read.queue_error),
                severity="error",
            )
        conversation, page, customer = read.conversation, read.page, read.customer
        # The page, the header and the reply box in one go: one layout, one paint.
        with self.app.batch_update():
            self._show_header(conversation)
            # Send, Attach and Reply from the reply box's mount on, as a query for it would say.
            self.can_reply = reply_box.can_reply_to(customer)
            showing = thread.show_first(page, read.queued)  # scrolled to its end (anchored)
            self._show_read_line(read.reads)
            await reply_box.show_for(customer, read.kept)
            await showing
            if self.gone:
                return False
            thread.focus()
            composer = reply_box.composer
            if composer is not None and (self._write or not composer.is_empty):
                reply_box.focus_text()
        return True

    def _queue_changed(self, entries: tuple[QueuedSend, ...]) -> None:
        if self.gone:
            return
        self.thread.track_queue([e for e in entries if e.conversation_id == self.conversation_id])

    async def _mark_read(self) -> None:
        if self.app.read_only:
            return  # a support read leaves the supplier's unread state as it was
        try:
            await self.app.store.mark_read(self.conversation_id)
        except StoreError as exc:
            self.notify(
                _("Could not mark the thread read: {error}").format(error=exc), severity="warning"
            )

    def _show_header(self, conversation: Conversation) -> None:
        self.conversation = conversation
        # One line each, cut with "…": a long name gives way so the subject stays in sight.
        second = None
        if conversation.document_number:
            second = Text(no_wrap=True, overflow="ellipsis")
            second.append(printable_line(conversation.document_number), style="bold")
            second.append("  " + _("(d: open the document)"), style="dim")
        self.query_one("#thread-header", SharedLine).show(
            Text(one_line(conversation.customer_name, 10_000), style="bold"),
            Text(" — " + one_line(conversation.subject, 10_000)),
            second,
        )

    # -- live -----------------------------------------------------------------------------------
    def on_store_changed(self, event: StoreChanged) -> None:
        # Posted by the app's watcher, maybe just before this screen began to go.
        if self.conversation_id in event.conversation_ids and self._opened and not self.gone:
            self.thread.load_new()
            self._show_reads()

    @work(exclusive=True, group="thread-reads", exit_on_error=False)
    async def _show_reads(self) -> None:
        """The read line again (the store reported a change to this thread)."""
        reads = await self._customer_reads()
        if reads is not None and not self.gone:
            self._show_read_line(reads)

    async def _customer_reads(self) -> list[CustomerRead] | None:
        return await customer_reads(self.app.store, self.conversation_id)

    def _show_read_line(self, reads: Sequence[CustomerRead] | None) -> None:
        """'Read by the customer' under the header: when the customer's contacts last opened the
        thread (the customer API records it), and whether that covered our newest message."""
        if reads is None:
            return
        line = self.query_one("#thread-read", Static)
        ours = [m.id for m in self.messages if m.author_kind != "customer"]
        theirs = [m.id for m in self.messages if m.author_kind == "customer"]
        if not ours or (theirs and max(theirs) > max(ours)):
            line.display = False  # nothing of ours to read, or their reply says they read it
            return
        line.display = True
        if not reads:
            line.update(Text(_("Not yet read by the customer"), style="dim"))
            return
        last = max(reads, key=lambda r: r.read_at)
        text = Text()
        if last.up_to_message_id >= max(ours):
            text.append("✓ " + _("Read by the customer"), style="green")
        else:
            text.append(_("Read by the customer up to an earlier message"), style="yellow")
        text.append(
            f" · {printable_line(last.contact_name)}, {clock_time(last.read_at)}", style="dim"
        )
        line.update(text)

    @on(ThreadMessages.CustomerWrote)
    async def _customer_wrote(self) -> None:
        if self.is_current:  # the user is looking at it
            await self._mark_read()

    # -- replying -------------------------------------------------------------------------------
    def action_send(self) -> None:
        self.reply_box.send()

    def action_attach(self) -> None:
        self.reply_box.attach()

    def template_ids(self) -> tuple[int | None, int | None]:
        conversation = self.conversation  # read when the thread opened: customer, document
        if conversation is None:
            return None, None
        return conversation.customer_id, conversation.document_id

    def action_export(self) -> None:
        """Write the thread to a file (Markdown, mbox or JSON) in a folder the user confirms."""
        from ..dialogs.export_thread import ExportThreadDialog

        if self.conversation is not None:
            self.app.push_screen(ExportThreadDialog(self.conversation))

    def action_reply(self) -> None:
        """Straight to the reply box: Tab would stop at each attachment on the way."""
        self.focus_text()

    def focus_text(self) -> None:
        self.reply_box.focus_text()

    @on(ReplyBox.Sent)
    def _sent(self) -> None:
        self.app.post_message(ConversationSent(self.conversation_id))
        self.thread.load_new()

    @on(ReplyBox.Queued)
    async def _queued(self, event: ReplyBox.Queued) -> None:
        await self.thread.add_queued(event.entry)
        if self.gone:
            return
        self.reply_box.say_queued(event.reason)
        self.app.look_at_queued_sends()

    @on(ReplyBox.Closed)
    def _reply_closed(self) -> None:
        self.can_reply = False

    @on(AttachmentItem.SaveRequested)
    def _save_attachment(self, event: AttachmentItem.SaveRequested) -> None:
        from ..dialogs.save_attachment import SaveAttachmentDialog

        self.app.push_screen(SaveAttachmentDialog(event.attachment, self.app.last_save_folder))

    # -- the offline send queue (network server only) -------------------------------------------
    @on(OutboxView.Retry)
    async def _retry_send(self, event: OutboxView.Retry) -> None:
        if (queued := await retry_queued(self, event.view.entry)) is not None and not self.gone:
            await self.thread.add_queued(queued)
            self.app.look_at_queued_sends()

    @on(OutboxView.Discard)
    def _outbox_discard(self, event: OutboxView.Discard) -> None:
        composer = self.reply_box.composer
        if composer is None or not composer.is_empty:
            # Its text goes back to the reply box, so that box must be there and empty.
            self.notify(
                _("Send or clear the reply box first: the discarded text goes back there."),
                severity="warning",
            )
            return
        # In the box before the queue forgets it: should the thread close meanwhile (Escape,
        # the palette, ctrl+q), its text is kept as the thread's draft or asked about.
        self.reply_box.take_back(event.view.entry.body)
        self._discard_send(event.view, composer)

    @work(group="outbox-discard")
    async def _discard_send(self, view: OutboxView, composer: Composer) -> None:
        # A worker: the screen goes on with its messages while the outbox file is slow.
        entry = view.entry
        if not await discard_queued(self, entry):
            if not self.gone and composer.body == entry.body:
                composer.clear()  # still in the outbox (the store said why)
            return
        if self.gone:
            return
        await view.remove()
        self.app.look_at_queued_sends()
        if entry.attachment_names:
            names = ", ".join(entry.attachment_names)
            self.notify(
                _("Discarded. The text is back in the reply box; attach again: {names}").format(
                    names=names
                )
            )
        else:
            self.notify(_("Discarded. The text is back in the reply box."))

    def action_trail(self, _shown: str = "") -> None:
        """The delivery trail of the message with the focus (on one of its attachments), else
        of the newest one; ←/→ on the trail step through the thread's other messages."""
        ids = [m.id for m in self.messages]
        if not ids:
            return
        index = len(ids) - 1
        focused = self.focused  # an attachment (Tab) tells its message
        if isinstance(focused, AttachmentItem) and focused.message_id in ids:
            index = ids.index(focused.message_id)
        self.app.show_trail(ids, index)

    def action_open_document(self) -> None:
        if self.conversation is not None and self.conversation.document_id is not None:
            self.app.open_document(self.conversation.document_id)

    # -- HoldsUnsentText: the app asks before quitting with text in the reply box ---------------
    def has_unsent_text(self) -> bool:
        return self.reply_box.has_unsent_text()

    async def send_unsent(self) -> bool:
        return await self.reply_box.send_now()

    async def keep_unsent(self) -> None:
        await self.reply_box.keep_now()

    async def discard_unsent(self) -> None:
        await self.reply_box.discard_now()

    def action_back(self) -> None:
        self.dismiss()

    def closing(self) -> None:
        # However the thread closes (Back, the palette, `]`): its text is kept as its draft.
        if (box := next(iter(self.query(ReplyBox)), None)) is not None and box.leave():
            self.notify(_("Draft kept: it is back when you open this thread again."))
