"""A new conversation: *To* with the "+" customer picker, Subject, Message, 📎 and Send.

Also the composer of a document's Messages panel: *To* fixed to the document's customer, the
subject prefilled from the document, the thread linked to it. The network's rules show here: a
customer without messaging gets its contact card instead of the form; a Standard account gets
the upgrade text. The draft (customer, subject, body, files) is kept in the store a moment
after typing stops and when leaving with Escape, so the next visit restores it, after a restart
too; ctrl+r discards it (asking first).
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea
from textual.worker import Worker

from ...editor import compose_file, parse_compose_file
from ...files import AttachmentFileError
from ...i18n import N_, _
from ...model import (
    MAX_SUBJECT_CHARS,
    Conversation,
    Customer,
    Document,
    attachment_count_problem,
    body_problem,
    subject_problem,
)
from ...store import (
    InvalidInput,
    MessagingDisabled,
    NotFound,
    QueuedOffline,
    StoreError,
    UpgradeRequired,
)
from ...terminal_text import printable_line
from ..editing import edit_outside
from ..events import ConversationSent
from ..format import one_line, show_count
from ..safe_text import safe_text
from ..widgets.composer import Composer, Draft, read_files
from ..widgets.cut_input import CutInput
from ..widgets.header import AppHeader
from ..widgets.key_bar import KeyBar
from ..widgets.notices import ContactCard, UpgradeNotice
from ..widgets.outbox_drafts import DraftKeeper, keep_refused_send, kept_draft, store_draft
from ..widgets.shared_line import SharedLine
from ..widgets.steady import steady
from .with_composer import ComposerScreen

#: The app's worker that stores a New conversation: it outlives its screen (see _deliver).
DELIVERY_GROUP = "new-conversation-delivery"


class ComposeScreen(ComposerScreen):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="back"),
        Binding("plus", "pick_customer", N_("Customer"), id="pick-customer", key_display="+"),
        Binding("ctrl+o", "attach", N_("Attach"), id="attach"),
        Binding("ctrl+s", "send", N_("Send"), id="send"),
    ]

    def __init__(self, customer_id: int | None = None, document: Document | None = None) -> None:
        super().__init__()
        self.document = document
        self.customer: Customer | None = None
        self._customer_id = document.customer_id if document else customer_id
        self.draft_key = f"document:{document.id}" if document else "new"
        self._draft_keeper = DraftKeeper(self, self.draft_key)
        self._quitting = False  # sending on the way out (ctrl+q → Send it): no thread to open
        self._sent = False  # stored or queued: closing keeps no draft of it
        self._sending = False  # in the store's hands: its outcome decides (see _deliver)

    @property
    def fixed_customer(self) -> bool:
        return self.document is not None

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        if self.document is not None:
            title = _("Message about {document}").format(document=self.document.title)
        else:
            title = _("New conversation")
        yield Static(safe_text(title), id="compose-title", classes="screen-title")
        if not self.app.can_message:
            yield UpgradeNotice(id="upgrade-notice")
            yield KeyBar()
            return
        with Horizontal(id="to-row", classes="field-row"):
            yield Label(_("To"), classes="field-label")
            yield SharedLine(_("(no customer yet: press + to choose)"), id="to-customer")
            if not self.fixed_customer:
                yield Button("+", id="pick", compact=True, tooltip=_("Choose a customer (+)"))
        yield Static("", id="to-error", classes="field-error")
        yield Vertical(id="contact-slot")
        with Vertical(id="form"):
            with Horizontal(id="subject-row", classes="field-row"):
                yield Label(_("Subject"), classes="field-label")
                # Not select_on_focus: Shift+Tab back into Subject then typing would replace it.
                yield steady(
                    CutInput(
                        id="subject",
                        compact=True,
                        select_on_focus=False,
                    )
                )
                yield Static("", id="subject-count", classes="count -empty", markup=False)
            yield Static("", id="subject-error", classes="field-error")
            yield Composer(id="composer")
        yield KeyBar()

    def on_mount(self) -> None:
        if not self.app.can_message:
            return
        draft = self.app.drafts.pop(self.draft_key, None)
        if draft is not None:
            self.query_one("#subject", Input).value = draft.subject
            self.composer.restore(draft)
            if draft.customer_id is not None and not self.fixed_customer:
                self._customer_id = draft.customer_id
        else:
            if self.document is not None:
                self.query_one("#subject", Input).value = self._default_subject
            # Keys typed while it loads are for the form it fills (or the "+" if there is none).
            self.app.key_gate.hold((self, "kept-draft"))
            self._restore_kept_draft()
        if self._customer_id is not None:
            # Keys typed meanwhile are for the field the customer leads to (Subject, Message).
            self.app.key_gate.hold(self)
            self._load_customer(self._customer_id)
        else:
            self.query_one("#pick", Button).focus()

    def on_unmount(self) -> None:
        self.app.key_gate.release(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides the key from the key bar and help. On the Standard plan nothing can be
        # written here; a customer without messaging (its contact card) takes no message, but
        # "+" still picks another customer where the customer is not fixed by a document.
        if action == "pick_customer":
            return self.app.can_message and not self.fixed_customer
        if action in ("send", "attach"):
            return self.app.can_message and not self.has_class("-messaging-off")
        return True

    def on_key(self, event: events.Key) -> None:
        # Typing on "+" before a customer is chosen searches for one: the text is not lost.
        focused = self.focused
        if (
            isinstance(focused, Button)
            and focused.id == "pick"
            and event.is_printable
            and event.character not in (None, "+", " ")
        ):
            event.stop()
            self.action_pick_customer(event.character or "")

    @work(exclusive=True, group="compose-kept-draft")
    async def _restore_kept_draft(self) -> None:
        """The draft the store kept (from an earlier run), unless the user started typing."""
        try:
            kept = await kept_draft(self.app, self.draft_key)
            if self.gone or kept is None or self._current_draft() is not None:
                return
            if kept.subject:
                self.query_one("#subject", Input).value = kept.subject
            self.composer.restore(kept)
            if kept.customer_id is not None and not self.fixed_customer and self.customer is None:
                self._customer_id = kept.customer_id
                self.app.key_gate.hold(self)
                self._load_customer(kept.customer_id)
        finally:
            self.app.key_gate.release((self, "kept-draft"))

    def _current_draft(self) -> Draft | None:
        """What the form holds, or None when nothing was written (a document's own title as
        subject is not writing)."""
        if not self.app.can_message:
            return None
        subject = self.query_one("#subject", Input).value
        composer = self.composer
        if composer.is_empty and (not subject or subject == self._default_subject):
            return None
        draft = composer.draft()
        draft.subject = subject
        draft.customer_id = self.customer.id if self.customer else self._customer_id
        return draft

    @on(Input.Changed, "#subject")
    @on(TextArea.Changed)
    def _typed(self) -> None:
        if self.gone:  # typed just before the screen went (its fields are being removed)
            return
        length = len(self.query_one("#subject", Input).value)
        show_count(self.query_one("#subject-count", Static), length, MAX_SUBJECT_CHARS)
        self._draft_keeper.typed_draft(self._current_draft)

    # -- HoldsUnsentText: the app asks before quitting with text here ---------------------------
    def has_unsent_text(self) -> bool:
        return not self._sent and self._current_draft() is not None

    async def send_unsent(self) -> bool:
        self._quitting = True
        try:
            return bool(await self._send().wait())
        finally:
            self._quitting = False

    async def keep_unsent(self) -> None:
        self._draft_keeper.cancel()
        await store_draft(self.app, self.draft_key, self._current_draft())

    async def discard_unsent(self) -> None:
        self._draft_keeper.cancel()
        self.app.drafts.pop(self.draft_key, None)
        self.query_one("#subject", Input).value = self._default_subject
        self.composer.clear()
        self._draft_keeper.cancel()  # the clearing above counts as typing
        await store_draft(self.app, self.draft_key, None)

    def focus_text(self) -> None:
        self.composer.text_area.focus()

    @property
    def composer(self) -> Composer:
        return self.query_one(Composer)

    @work(exclusive=True, group="compose-customer")
    async def _load_customer(self, customer_id: int) -> None:
        try:
            customer = await self.app.store.get_customer(customer_id)
        except StoreError as exc:
            if not self.gone:
                self._field_error("to-error", str(exc))
            return
        else:
            if not self.gone:  # closed (or the app quit) while the store answered
                self.set_customer(customer)
        finally:
            self.app.key_gate.release(self)

    def set_customer(self, customer: Customer) -> None:
        """Show the customer in *To*; a customer without messaging gets its contact card."""
        if self.gone:  # a worker's answer (a send refused) after the screen went
            return
        self.customer = customer
        # One line: a long name is cut with "…" and gives way to the network id and city.
        self.query_one("#to-customer", SharedLine).show(
            Text(one_line(customer.name, 10_000)),
            Text(" · " + one_line(f"{customer.network_id} · {customer.city}", 10_000)),
        )
        self._field_error("to-error", "")
        slot = self.query_one("#contact-slot", Vertical)
        slot.remove_children()
        disabled = not customer.messaging_enabled
        self.set_class(disabled, "-messaging-off")
        self.refresh_bindings()  # Send and Attach go from the key bar with the form, or return
        if disabled:
            card = ContactCard(customer, id="contact-card")
            slot.mount(card)
            card.focus()
        elif not self.query_one("#subject", Input).value:
            self.query_one("#subject", Input).focus()
        else:
            self.composer.text_area.focus()

    @on(Composer.EditorRequested)
    def _edit_requested(self, event: Composer.EditorRequested) -> None:
        """Subject and body in the editor as one file: a Subject: line, a blank line, the body."""
        event.stop()
        subject = self.query_one("#subject", Input)
        edited = edit_outside(self.app, compose_file(subject.value, self.composer.body))
        if edited is not None:
            new_subject, body = parse_compose_file(edited)
            if new_subject is not None:
                subject.value = new_subject
            self.composer.set_body(body)
        self.composer.text_area.focus()

    def template_ids(self) -> tuple[int | None, int | None]:
        customer_id = self.customer.id if self.customer is not None else self._customer_id
        return customer_id, self.document.id if self.document is not None else None

    def _field_error(self, widget_id: str, text: str) -> None:
        if self.gone:  # a worker's answer after the screen went
            return
        error = self.query_one(f"#{widget_id}", Static)
        error.update(safe_text(text, multi_line=True))
        error.set_class(bool(text), "-shown")

    # -- actions --------------------------------------------------------------------------------
    def action_pick_customer(self, query: str = "") -> None:
        if self.fixed_customer or not self.app.can_message:
            return
        from ..dialogs.customer_picker import CustomerPicker

        def picked(customer: Customer | None) -> None:
            if customer is not None:
                self.set_customer(customer)

        self.app.push_screen(CustomerPicker(query), picked)

    @on(Button.Pressed, "#pick")
    def _pick_pressed(self) -> None:
        self.action_pick_customer()

    def action_attach(self) -> None:
        if self.app.can_message and not self.has_class("-messaging-off"):
            self.composer.action_attach()

    def action_send(self) -> None:
        if self.app.can_message and not self.has_class("-messaging-off"):
            self._send()

    @on(Composer.SendRequested)
    def _send_requested(self) -> None:
        self.action_send()

    def action_back(self) -> None:
        self.dismiss()

    def closing(self) -> None:
        # However it closes (Back, the palette): its text is kept, unless it was just sent.
        if self._sent or self._sending or not self.is_mounted:
            return  # sent, or on its way: the delivery keeps the text if the store refuses it
        draft = self._current_draft()
        if self.app.can_message:
            self._draft_keeper.keep_draft(draft)  # in the store: back after a restart too
        if draft is not None:
            self.app.drafts[self.draft_key] = draft
            self.notify(_("Draft kept: it is back when you return here."))

    @property
    def _default_subject(self) -> str:
        return printable_line(self.document.title) if self.document else ""

    # -- sending --------------------------------------------------------------------------------
    def _problems(self) -> bool:
        """Show every field's problem inline; True if there is one."""
        subject = self.query_one("#subject", Input).value
        composer = self.composer
        to = "" if self.customer else _("Choose a customer: press + (or click +)")
        subject_text = subject_problem(subject) or ""
        body_text = attachment_count_problem(len(composer.attachments)) or body_problem(
            composer.body, len(composer.attachments)
        )
        self._field_error("to-error", to)
        self._field_error("subject-error", subject_text)
        composer.show_error(body_text or "")
        # The cursor goes to the first field to fix: the next keys are meant for it.
        if to and not self.fixed_customer:
            self.query_one("#pick", Button).focus()
        elif subject_text:
            self.query_one("#subject", Input).focus()
        elif body_text:
            composer.text_area.focus()
        return bool(to or subject_text or body_text)

    @on(Input.Changed, "#subject")
    def _subject_typed(self, event: Input.Changed) -> None:
        # A shown problem goes as soon as the subject is fixed, not only on the next Send.
        if self.gone:
            return
        shown = self.query_one("#subject-error", Static).has_class("-shown")
        if shown and subject_problem(event.value) is None:
            self._field_error("subject-error", "")

    @work(exclusive=True, group="send")
    async def _send(self) -> bool:
        """True when the message is stored (or queued)."""
        if self._problems():
            return False
        assert self.customer is not None
        composer = self.composer
        subject = self.query_one("#subject", Input).value.strip()
        key = composer.idempotency_key(self.customer.id, subject)
        draft = self._current_draft()
        assert draft is not None  # _problems() refused an empty message
        composer.set_busy(True)
        # Keys typed after Send wait for it (type-ahead): a ctrl+q found the text still in the
        # form and asked about unsent text, though it was being stored (the app never quit).
        self.app.key_gate.hold((self, "send"))
        self._sending = True
        try:
            # An app worker: not cancelled with this screen when it closes (see _deliver).
            delivery: Worker[Conversation | Exception] = self.app.run_worker(
                self._deliver(self.customer.id, subject, draft, key), group=DELIVERY_GROUP
            )
            # Shielded: this worker is cancelled when the screen goes, and the cancellation of
            # a task passes on to the task it awaits.
            outcome = await asyncio.shield(delivery.wait())
        finally:
            composer.set_busy(False)
            # Released just before the screen is switched (no await in between): keys go on.
            self.app.key_gate.release((self, "send"))
        if self.gone:
            return not isinstance(outcome, Exception) or isinstance(outcome, QueuedOffline)
        if isinstance(outcome, QueuedOffline):
            # Kept in the network store's outbox and sent when the server is back; it shows in
            # the list then. Until then the header counts it (a click there opens the outbox).
            self.notify(
                _("“{subject}” is sent when the server is back.").format(subject=subject),
                title=_("Queued"),
                markup=False,
            )
            self.app.look_at_queued_sends()
            self._sent = True
            self.dismiss()
            return True
        if isinstance(outcome, MessagingDisabled):
            self.set_customer(outcome.customer)
            return False
        if isinstance(outcome, NotFound):
            self._field_error("to-error", _("Not sent: {error}").format(error=outcome))
            return False
        if isinstance(outcome, AttachmentFileError | UpgradeRequired | InvalidInput):
            composer.show_error(str(outcome))
            return False
        if isinstance(outcome, Exception):
            composer.show_error(_("Not sent (your text is kept): {error}").format(error=outcome))
            return False
        self._sent = True
        self.app.post_message(ConversationSent(outcome.id))
        if self._quitting or self.app.quit_pending or self.app.quitting:
            # The app exits next: a thread screen mounting meanwhile failed the exit (status 1),
            # and one switched in over the quit question left the app waiting for its answer.
            return True
        from .thread import ThreadScreen

        self.app.switch_screen(ThreadScreen(outcome.id, write=True))
        return True

    async def _deliver(
        self, customer_id: int, subject: str, draft: Draft, key: str
    ) -> Conversation | Exception:
        """The store's part of a send: the conversation, or why not (queued offline, refused,
        a file unreadable).

        It runs as an app worker, so a New conversation closed while it is on its way (Escape
        or the palette get through once a slow store has held the keys typed after Send for
        the key gate's ``MAX_HOLD``) does not cancel it: the message is stored, and its text
        is not also kept as the draft (it was: the closing screen kept it, the store stored
        it anyway, and the next New conversation offered it to be sent twice). What needs no
        screen is done here: a stored or queued message's draft is forgotten; one the store
        refused after the screen closed becomes the New conversation draft, with a toast."""
        app = self.app  # found once: the screen may go while this runs
        try:
            files = await asyncio.to_thread(read_files, list(draft.attachments))
            conversation = await app.store.start_conversation(
                customer_id,
                subject,
                draft.body,
                files,
                document_id=self.document.id if self.document else None,
                idempotency_key=key,
            )
        except QueuedOffline as exc:
            self._sent = True  # set here: quitting, waiting for this worker, then asks nothing
            self._draft_keeper.keep_draft(None)
            return exc
        except (AttachmentFileError, StoreError) as exc:
            if self.gone:
                said = _(
                    "Not sent: {error}. The text is kept as the draft of its new conversation."
                ).format(error=exc)
                await keep_refused_send(app, self._draft_keeper, draft, said)
            return exc
        finally:
            self._sending = False
        self._sent = True
        self._draft_keeper.keep_draft(None)  # sent: no draft any more, even if the screen went
        if self.gone:
            app.post_message(ConversationSent(conversation.id))
        return conversation


__all__ = ["ComposeScreen", "Draft"]
