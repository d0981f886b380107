"""A thread's reply box: the composer and its send, or, where this user cannot reply, the
upgrade text (Standard plan) or the customer's contact card (messaging off).

It sends and says how it went with a message to its screen: :class:`ReplyBox.Sent`,
:class:`ReplyBox.Queued` (kept in the offline queue) or :class:`ReplyBox.Closed` (the customer
turned messaging off meanwhile). Its text is kept as a draft: in the app for the session and in
the store across restarts.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from textual import on, work
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import TextArea
from textual.worker import Worker

from ...files import AttachmentFileError
from ...i18n import _
from ...model import Customer, attachment_count_problem, body_problem
from ...store import MessagingDisabled, QueuedOffline, QueuedSend, StoreError, UpgradeRequired
from ...terminal_text import printable_line
from ..base import NetmsgWidget
from ..editing import edit_outside
from ..events import ConversationSent
from .composer import Composer, Draft, read_files
from .notices import ContactCard, UpgradeNotice
from .outbox_drafts import DraftKeeper, keep_refused_send, store_draft

#: The worker groups of a reply being sent (the box's, and the app's that store it: they
#: outlive its thread): quitting waits for them.
SEND_GROUP = "reply-send"
DELIVERY_GROUP = "reply-delivery"


def thread_draft_key(conversation_id: int) -> str:
    """Where a thread's reply box keeps its draft (the store's draft place)."""
    return f"thread:{conversation_id}"


class ReplyBox(NetmsgWidget, Vertical):
    class Sent(Message):
        """The reply is stored."""

    @dataclass
    class Queued(Message):
        """The server could not be reached: the reply waits in the offline queue. The screen
        shows it in the thread, then calls :meth:`ReplyBox.say_queued` with ``reason``."""

        entry: QueuedSend
        reason: str

    class Closed(Message):
        """No reply box any more: the customer does not accept messages now."""

    def __init__(self, conversation_id: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.conversation_id = conversation_id
        self.draft_key = thread_draft_key(conversation_id)
        self._draft_keeper = DraftKeeper(self, self.draft_key)  # kept across app restarts
        self._sending = False  # a send is with the store (see _deliver)
        self._left = False  # the thread closed (leave): the box shows nothing any more

    @property
    def composer(self) -> Composer | None:
        return next(iter(self.query(Composer)), None)

    def can_reply_to(self, customer: Customer) -> bool:
        """This user may write to ``customer``: :meth:`show_for` shows a composer."""
        return self.app.can_message and customer.messaging_enabled

    async def show_for(self, customer: Customer, draft: Draft | None) -> None:
        """Mount what fits this user and ``customer``: a composer (showing ``draft``, or the
        draft kept in the app for this thread), the upgrade text or the contact card; for
        support staff nothing (they never write)."""
        if self.app.read_only:
            return
        if not self.app.can_message:
            await self.mount(UpgradeNotice())
            return
        if not customer.messaging_enabled:
            await self.mount(ContactCard(customer))
            return
        placeholder = _("Reply to {customer}…").format(customer=printable_line(customer.name))
        # Unopened (a drawing of the empty box) until it is used, unless a draft fills it now.
        unopened = self.app.drafts.get(self.draft_key) is None and draft is None
        composer = Composer(placeholder=placeholder, id="composer", unopened=unopened)
        await self.mount(composer)
        draft = self.app.drafts.pop(self.draft_key, None) or draft
        if draft is not None:
            composer.restore(draft)

    def focus_text(self) -> None:
        if (composer := self.composer) is not None:
            composer.text_area.focus()

    def attach(self) -> None:
        if (composer := self.composer) is not None:
            composer.action_attach()

    def send(self) -> None:
        if self.composer is not None and not self._sending:  # one send at a time
            self._send()

    @on(Composer.SendRequested)
    def _send_requested(self, event: Composer.SendRequested) -> None:
        event.stop()
        self.send()

    @on(Composer.EditorRequested)
    def _edit_requested(self, event: Composer.EditorRequested) -> None:
        event.stop()
        edited = edit_outside(self.app, event.composer.body)
        if edited is not None:
            event.composer.set_body(edited)
        event.composer.text_area.focus()

    @work(exclusive=True, group=SEND_GROUP)
    async def _send(self) -> None:
        composer = self.query_one(Composer)
        problem = attachment_count_problem(len(composer.attachments)) or body_problem(
            composer.body, len(composer.attachments)
        )
        if problem:
            composer.show_error(problem)
            return
        composer.set_busy(True)
        # Keys typed after Send wait for it (type-ahead): a ctrl+q found the text still in the
        # box and asked about unsent text, though it was being stored.
        self.app.key_gate.hold((self, "send"))
        draft, key = composer.draft(), composer.idempotency_key(self.conversation_id)
        self._sending = True
        try:
            # An app worker: not cancelled with this box when the thread closes (see _deliver).
            delivery: Worker[Exception | None] = self.app.run_worker(
                self._deliver(draft, key), group=DELIVERY_GROUP
            )
            # Shielded: this worker is cancelled when the box goes, and the cancellation of a
            # task passes on to the task it awaits.
            failure = await asyncio.shield(delivery.wait())
        finally:
            composer.set_busy(False)
            self.app.key_gate.release((self, "send"))  # the box is emptied before any await
        if self._left or self.gone:
            return  # _deliver did what needs no screen
        if isinstance(failure, QueuedOffline):
            # Kept in the store's queue and delivered when the server is back: the text
            # leaves the reply box and shows in the thread as queued.
            composer.clear()
            self.post_message(self.Queued(failure.entry, str(failure)))
        elif isinstance(failure, MessagingDisabled):
            # The box gives way to the contact card: its text is the thread's draft, back in
            # the box should the customer accept messages again (it was simply gone).
            self.app.drafts[self.draft_key] = draft
            self._draft_keeper.keep_draft(draft)
            self.notify(
                _(
                    "Not sent: the customer does not accept messages now. Your text is kept as "
                    "this thread's draft."
                ),
                severity="warning",
            )
            await composer.remove()
            await self.mount(ContactCard(failure.customer))
            self.post_message(self.Closed())
        elif isinstance(failure, AttachmentFileError | UpgradeRequired):
            composer.show_error(str(failure))
        elif failure is not None:
            composer.show_error(_("Not sent (your text is kept): {error}").format(error=failure))
        else:
            composer.clear()
            self.post_message(self.Sent())

    async def _deliver(self, draft: Draft, key: str) -> Exception | None:
        """The store's part of a send: None when stored, else why not (queued offline, refused,
        a file unreadable).

        It runs as an app worker, so a thread closed while its reply is on the way (Escape
        reaches the screen once a slow store has held the keys typed after Send for
        ``MAX_HOLD``) does not cancel it: the send completes, as in any serious messaging
        product, where leaving a conversation never takes back a message that is being sent,
        and a message that went out never comes back as a draft to be sent twice. (Cancelled
        with the box, the store went on and stored it anyway, and the text that the closing
        thread kept as its draft came back in the reply box.) What needs no screen is done
        here, whatever became of the thread: a stored or queued reply's draft is forgotten;
        one the store refused after the thread closed becomes the thread's draft again, with
        a toast, so its text is never lost."""
        app = self.app  # found once: the box may go while this runs
        try:
            files = await asyncio.to_thread(read_files, list(draft.attachments))
            await app.store.reply(self.conversation_id, draft.body, files, idempotency_key=key)
        except QueuedOffline as exc:
            self._draft_keeper.keep_draft(None)
            return exc
        except (AttachmentFileError, StoreError) as exc:
            if self._left or self.gone:
                said = _("Not sent: {error}. The text is the thread's draft again.")
                await keep_refused_send(app, self._draft_keeper, draft, said.format(error=exc))
            return exc
        finally:
            self._sending = False
        self._draft_keeper.keep_draft(None)  # sent: the draft goes, even if the thread went
        if self._left or self.gone:
            app.post_message(ConversationSent(self.conversation_id))
        return None

    def say_queued(self, reason: str) -> None:
        """Under the (emptied) box: why the reply is queued (once it shows in the thread)."""
        if (composer := self.composer) is not None:
            composer.show_error(_("Queued: {reason}").format(reason=reason))

    def take_back(self, body: str) -> bool:
        """Put a discarded send's text back in the box; False when the box is not there or
        not empty (the text would be lost or mixed)."""
        composer = self.composer
        if composer is None or not composer.is_empty:
            return False
        composer.set_body(body)
        composer.text_area.focus()
        return True

    @on(TextArea.Changed)
    def _typed(self) -> None:
        if (composer := self.composer) is not None:
            self._draft_keeper.typed(composer)

    # -- unsent text when the app quits (the screen answers HoldsUnsentText through these) -----
    def has_unsent_text(self) -> bool:
        composer = self.composer
        return composer is not None and not composer.is_empty

    async def send_now(self) -> bool:
        """Send the text; True when it left the box (sent or queued)."""
        composer = self.composer
        if composer is None:
            return False
        await self._send().wait()
        return composer.is_empty

    async def keep_now(self) -> None:
        """Save the draft in the store before returning. Raises StoreError."""
        if (composer := self.composer) is not None:
            self._draft_keeper.cancel()
            draft = None if composer.is_empty else composer.draft()
            await store_draft(self.app, self.draft_key, draft)

    async def discard_now(self) -> None:
        """Empty the box and forget its draft. Raises StoreError."""
        self._draft_keeper.cancel()
        self.app.drafts.pop(self.draft_key, None)
        if (composer := self.composer) is not None:
            composer.clear()
        await store_draft(self.app, self.draft_key, None)

    def leave(self) -> bool:
        """The thread is closing: keep the text as a draft. True when there was text. A reply
        being sent is not kept: it is on its way (see _deliver)."""
        self._left = True
        composer = self.composer
        if composer is None:
            return False
        if self._sending:
            self._draft_keeper.cancel()
            return False
        self._draft_keeper.keep(composer)
        if composer.is_empty:
            return False
        self.app.drafts[self.draft_key] = composer.draft()
        return True
