"""The conversation pane: header, messages oldest-first (older pages load as you scroll up), and
the reply box. Opening a thread marks it read; replies arriving while it is open show at once.

On a network server's store, a reply written while the server cannot be reached is queued in
the store's local outbox: it shows at the end of the thread marked *queued*, turns into the
stored message marked *sent* once delivered, or shows *failed* with the reason (retry/discard).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Static, TextArea

from ...files import AttachmentFileError
from ...model import Conversation, Message, attachment_count_problem, body_problem
from ...store import (
    MessagingDisabled,
    OfflineStore,
    QueuedOffline,
    QueuedSend,
    StoreError,
    UpgradeRequired,
)
from ...terminal_text import printable_line
from ..base import NetmsgScreen
from ..events import ConversationSent, StoreChanged
from ..widgets.composer import Composer, read_files
from ..widgets.header import AppHeader
from ..widgets.key_bar import KeyBar
from ..widgets.message_view import AttachmentItem, MessageView
from ..widgets.notices import ContactCard, UpgradeNotice
from ..widgets.outbox_drafts import DraftKeeper, kept_draft
from ..widgets.outbox_view import OutboxView

PAGE_SIZE = 30


class ThreadScreen(NetmsgScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("ctrl+s", "send", "Send", id="send"),
        Binding("ctrl+o", "attach", "Attach", id="attach"),
        Binding("r", "reply", "Reply", id="reply"),
        Binding("d", "open_document", "Document", id="open-document"),
        Binding("right_square_bracket", "app.next_unread", "Next unread", id="next-unread"),
    ]

    def __init__(self, conversation_id: int) -> None:
        super().__init__()
        self.conversation_id = conversation_id
        self.conversation: Conversation | None = None
        self.messages: list[Message] = []
        self._opened = False  # live updates wait until the first page is on screen
        self._older_cursor: str | None = None
        self._loading_older = False
        #: Ids of messages seen queued in this screen and delivered since (marked "sent").
        self._delivered: set[int] = set()
        self._new_lock = asyncio.Lock()
        #: A reply box is there (not the upgrade text or a contact card). A flag, not a query:
        #: check_action runs for each binding whenever the bindings are looked at.
        self._can_reply = False
        self.draft_key = f"thread:{conversation_id}"
        self._draft_keeper = DraftKeeper(self, self.draft_key)  # kept across app restarts

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        yield Static("Loading…", id="thread-header", classes="screen-title")
        with VerticalScroll(id="thread-messages"):
            yield Button("▲ Older messages", id="older", compact=True)
        yield Vertical(id="reply-slot")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#older", Button).display = False
        self.watch(self.scroller, "scroll_y", self._scrolled, init=False)
        self._open()

    @property
    def scroller(self) -> VerticalScroll:
        return self.query_one("#thread-messages", VerticalScroll)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_document":
            return self.conversation is not None and self.conversation.document_id is not None
        if action in ("send", "attach", "reply"):
            return self._can_reply
        return True

    @work(exclusive=True, group="thread-open")
    async def _open(self) -> None:
        store = self.app.store
        try:
            conversation, page = await asyncio.gather(
                store.get_conversation(self.conversation_id),
                store.list_messages(self.conversation_id, limit=PAGE_SIZE),
            )
            customer = await store.get_customer(conversation.customer_id)
            outbox = await self._outbox_entries()
            kept = await kept_draft(self.app, self.draft_key)
        except StoreError as exc:
            self.query_one("#thread-header", Static).update(f"⚠ {exc}")
            return
        self.messages = list(page.items)
        self._older_cursor = page.next_cursor
        views: list[MessageView | OutboxView] = [MessageView(m) for m in self.messages]
        views += [OutboxView(entry) for entry in outbox]
        reply: Widget
        if not self.app.can_message:
            reply = UpgradeNotice()
        elif not customer.messaging_enabled:
            reply = ContactCard(customer)
        else:
            placeholder = f"Reply to {printable_line(customer.name)}…"
            reply = Composer(placeholder=placeholder, id="composer")
            self._can_reply = True  # from its mount on, as a query for it would say
        # The page, the header and the reply box in one go: one layout, one paint.
        with self.app.batch_update():
            self._show_header(conversation)
            self.query_one("#older", Button).display = page.next_cursor is not None
            mounting = [
                self.scroller.mount_all(views),
                self.query_one("#reply-slot", Vertical).mount(reply),
            ]
            for done in mounting:
                await done
            self.scroller.scroll_end(animate=False)
            if isinstance(reply, Composer):
                draft = self.app.drafts.pop(self.draft_key, None) or kept
                if draft is not None:
                    reply.restore(draft)
            self.scroller.focus()
        self._opened = True
        self._load_new()  # anything that arrived while the first page was loading
        if any(entry.state == "queued" for entry in outbox):
            self._follow_outbox()
        self.refresh_bindings()
        if conversation.unread_count:
            await self._mark_read()

    async def _mark_read(self) -> None:
        try:
            await self.app.store.mark_read(self.conversation_id)
        except StoreError as exc:
            self.notify(f"Could not mark the thread read: {exc}", severity="warning")

    def _show_header(self, conversation: Conversation) -> None:
        self.conversation = conversation
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(printable_line(conversation.customer_name), style="bold")
        text.append(f" — {printable_line(conversation.subject)}")
        if conversation.document_number:
            text.append(f"\n{printable_line(conversation.document_number)}", style="bold")
            text.append("  (d: open the document)", style="dim")
        self.query_one("#thread-header", Static).update(text)

    # -- paging -------------------------------------------------------------------------------
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
        first = next(iter(self.query(MessageView)), None)
        views = [MessageView(m) for m in page.items]
        if first is not None:
            await self.scroller.mount_all(views, before=first)
        else:
            await self.scroller.mount_all(views)
        self.messages = list(page.items) + self.messages
        self._older_cursor = page.next_cursor
        self.query_one("#older", Button).display = page.next_cursor is not None
        if first is not None:
            # Keep the message that was on top where it was, instead of jumping to the start.
            self.call_after_refresh(self.scroller.scroll_to_widget, first, top=True, animate=False)

    # -- live ---------------------------------------------------------------------------------
    def on_store_changed(self, event: StoreChanged) -> None:
        if self.conversation_id in event.conversation_ids and self._opened:
            self._load_new()

    @work(group="thread-new")
    async def _load_new(self) -> None:
        # One after the other, never cancelled halfway: a load cut off between noting messages
        # as shown and mounting them would hide them for good. (The change feed, a send and
        # the outbox all ask for new messages, sometimes at the same moment.)
        async with self._new_lock:
            await self._load_new_now()
            await self._settle_sent()

    async def _load_new_now(self) -> None:
        store = self.app.store
        try:
            page = await store.list_messages(self.conversation_id, limit=PAGE_SIZE)
        except StoreError:
            return  # the app's poll loop reports an unavailable store
        shown = {m.id for m in self.messages}
        last_id = self.messages[-1].id if self.messages else 0
        fresh = [m for m in page.items if m.id > last_id and m.id not in shown]
        if not fresh:
            return
        at_end = self.scroller.scroll_y >= self.scroller.max_scroll_y - 1
        self.messages += fresh
        views = [MessageView(m, delivered_late=m.id in self._delivered) for m in fresh]
        pending = self.outbox_views  # what is not on the server yet stays last
        if pending:
            await self.scroller.mount_all(views, before=pending[0])
        else:
            await self.scroller.mount_all(views)
        if at_end or any(m.author_kind == "supplier" for m in fresh):
            self.scroller.scroll_end(animate=False)
        if self.is_current and any(m.author_kind == "customer" for m in fresh):
            await self._mark_read()  # the user is looking at it

    # -- replying -----------------------------------------------------------------------------
    def action_send(self) -> None:
        if self.query(Composer):
            self._send()

    @on(Composer.SendRequested)
    def _send_requested(self) -> None:
        self.action_send()

    @on(Composer.AttachRequested)
    def _choose_attachment(self, event: Composer.AttachRequested) -> None:
        from ..dialogs.attach import AttachmentChooser

        self.app.push_screen(AttachmentChooser(event.start), event.composer.attach_chosen)

    @on(AttachmentItem.SaveRequested)
    def _save_attachment(self, event: AttachmentItem.SaveRequested) -> None:
        from ..dialogs.save_attachment import SaveAttachmentDialog

        self.app.push_screen(SaveAttachmentDialog(event.attachment))

    def action_attach(self) -> None:
        for composer in self.query(Composer):
            composer.action_attach()

    @work(exclusive=True, group="send")
    async def _send(self) -> None:
        composer = self.query_one(Composer)
        problem = attachment_count_problem(len(composer.attachments)) or body_problem(
            composer.body, len(composer.attachments)
        )
        if problem:
            composer.show_error(problem)
            return
        composer.set_busy(True)
        try:
            files = await asyncio.to_thread(read_files, list(composer.attachments))
            await self.app.store.reply(
                self.conversation_id,
                composer.body,
                files,
                idempotency_key=composer.idempotency_key(self.conversation_id),
            )
        except AttachmentFileError as exc:
            composer.show_error(str(exc))
            return
        except MessagingDisabled as exc:
            self._can_reply = False
            composer.remove()
            await self.query_one("#reply-slot", Vertical).mount(ContactCard(exc.customer))
            self.refresh_bindings()
            return
        except UpgradeRequired as exc:
            composer.show_error(str(exc))
            return
        except QueuedOffline as exc:
            # Kept in the store's outbox and delivered when the server is back: the text
            # leaves the reply box and shows in the thread as queued.
            composer.clear()
            self._draft_keeper.keep(composer)
            composer.show_error(f"Queued: {exc}")
            await self._add_outbox_view(exc.entry)
            return
        except StoreError as exc:
            composer.show_error(f"Not sent (your text is kept): {exc}")
            return
        finally:
            composer.set_busy(False)
        composer.clear()
        self._draft_keeper.keep(composer)
        self.app.post_message(ConversationSent(self.conversation_id))
        self._load_new()

    # -- the offline outbox (network server only) ---------------------------------------------
    @property
    def outbox_views(self) -> list[OutboxView]:
        return list(self.query(OutboxView))

    async def _outbox_entries(self) -> list[QueuedSend]:
        """Sends of this thread the server does not have yet (queued or failed)."""
        store = self.app.store
        if not isinstance(store, OfflineStore):
            return []  # a store without a send queue (SQLite): every send is stored at once
        try:
            entries = await store.queued_sends(self.conversation_id)
        except StoreError as exc:
            self.notify(f"Cannot read the offline outbox: {exc}", severity="error")
            return []
        return [entry for entry in entries if entry.state != "sent"]

    async def _add_outbox_view(self, entry: QueuedSend, *, scroll: bool = True) -> None:
        for view in self.outbox_views:
            if view.key == entry.key:
                view.update_entry(entry)
                break
        else:
            await self.scroller.mount(OutboxView(entry))
        if scroll:
            self.scroller.scroll_end(animate=False)
        if entry.state == "queued":
            self._follow_outbox()

    @work(exclusive=True, group="thread-outbox")
    async def _follow_outbox(self) -> None:
        """While something is queued, look at the outbox now and then: the store delivers in
        the background once the server answers again."""
        store = self.app.store
        if not isinstance(store, OfflineStore):
            return
        while any(v.entry.state == "queued" for v in self.outbox_views):
            await asyncio.sleep(self.app.poll_interval)
            try:
                entries = {e.key: e for e in await store.queued_sends(self.conversation_id)}
            except StoreError:
                continue  # the outbox file is local: a hiccup passes, the entries stay
            delivered = False
            for view in self.outbox_views:
                entry = entries.get(view.key)
                if entry is None:
                    await view.remove()  # discarded elsewhere (another window, the CLI)
                    continue
                if entry.state == "sent" and entry.message_id is not None:
                    self._delivered.add(entry.message_id)
                    delivered = True
                view.update_entry(entry)
            if delivered:
                async with self._new_lock:
                    await self._settle_sent()
                self._load_new()

    async def _settle_sent(self) -> None:
        """A delivered send whose stored message is on screen: drop its outbox view and mark
        the message sent. (The change feed and the outbox may tell in either order.)"""
        for view in self.outbox_views:
            if view.entry.state != "sent" or view.entry.message_id is None:
                continue
            self._delivered.add(view.entry.message_id)
            shown = self.query(f"#message-{view.entry.message_id}").results(MessageView)
            for message_view in shown:
                message_view.mark_delivered_late()
                await view.remove()

    @on(OutboxView.Retry)
    async def _retry_outbox(self, event: OutboxView.Retry) -> None:
        view, store = event.view, self.app.store
        if not isinstance(store, OfflineStore):
            return
        try:
            await store.retry_send(view.key)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        await self._add_outbox_view(replace(view.entry, state="queued", error=""))

    @on(OutboxView.Discard)
    async def _discard_outbox(self, event: OutboxView.Discard) -> None:
        view = event.view
        composer = next(iter(self.query(Composer)), None)
        if composer is None or not composer.is_empty:
            # Its text goes back to the reply box, so that box must be there and empty.
            self.notify(
                "Send or clear the reply box first: the discarded text goes back there.",
                severity="warning",
            )
            return
        store = self.app.store
        if not isinstance(store, OfflineStore):
            return
        try:
            await store.discard_send(view.key)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        composer.set_body(view.entry.body)
        await view.remove()
        composer.text_area.focus()
        if view.entry.attachment_names:
            names = ", ".join(view.entry.attachment_names)
            self.notify(
                f"Discarded. The text is back in the reply box; attach again: {names}",
                markup=False,
            )
        else:
            self.notify("Discarded. The text is back in the reply box.")

    def action_reply(self) -> None:
        """Straight to the reply box: Tab would stop at each attachment on the way."""
        for composer in self.query(Composer):
            composer.text_area.focus()

    def action_open_document(self) -> None:
        if self.conversation is not None and self.conversation.document_id is not None:
            self.app.open_document(self.conversation.document_id)

    @on(TextArea.Changed)
    def _typed(self) -> None:
        for composer in self.query(Composer):
            self._draft_keeper.typed(composer)

    def action_back(self) -> None:
        for composer in self.query(Composer):
            self._draft_keeper.keep(composer)
            if not composer.is_empty:
                self.app.drafts[self.draft_key] = composer.draft()
                self.notify("Draft kept: it is back when you open this thread again.")
        self.dismiss()
