"""The store port: what every message store adapter offers, and the errors it may raise.

Every adapter (SQLite, HTTP) implements :class:`MessageStore` and raises only the errors defined
here: never a raw ``sqlite3`` or ``httpx`` exception. The store acts for one user of one supplier
account (see :meth:`MessageStore.whoami`); everything it reads or writes belongs to that account,
and ids of other accounts answer :class:`NotFound`.

Listings are cursor-paginated: pass the ``next_cursor`` of a page to get the next one. Cursors are
opaque strings; a malformed cursor raises :class:`InvalidInput`.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from typing import Any

from ..i18n import _
from ..model import (
    UPGRADE_TEXT,
    Account,
    Attachment,
    ChangeBatch,
    Contact,
    Conversation,
    Customer,
    CustomerRead,
    DeliveryTrail,
    Document,
    DocumentKind,
    Found,
    Identity,
    InboundMail,
    Message,
    NewAttachment,
    NotificationPrefs,
    Origin,
    Page,
    Template,
    attachment_count_problem,
    attachment_size_problem,
    body_problem,
    contact_text,
    filename_problem,
    nul_problem,
    subject_problem,
    template_problem,
)


class StoreError(Exception):
    """Base of every store error. ``str(err)`` is a sentence a person understands."""


class NotFound(StoreError):
    """The thing does not exist, or belongs to another account (the two are not told apart)."""


class InvalidInput(StoreError):
    """A field breaks a rule: empty, too long, malformed cursor, unknown kind, …"""


class AttachmentTooLarge(InvalidInput):
    """A file is over the 10 MiB limit (or another attachment size rule)."""


class UpgradeRequired(StoreError):
    """The account is on the Standard plan: messaging needs Enterprise."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(_(UPGRADE_TEXT) if message is None else message)


class MessagingDisabled(StoreError):
    """The customer has not enabled messaging. ``customer`` carries its contact information."""

    def __init__(self, customer: Customer) -> None:
        super().__init__(contact_text(customer))
        self.customer = customer

    @property
    def contact(self) -> Contact:
        return self.customer.contact


class Unauthorized(StoreError):
    """Missing, wrong or revoked credentials, or an action outside the caller's role."""


class Unavailable(StoreError):
    """The store cannot be reached or used right now (server down, database locked, …)."""


class Conflict(StoreError):
    """The request clashes with what is stored (e.g. an idempotency key reused for other data)."""


def check_message(
    body: str, attachments: Sequence[NewAttachment], subject: str | None = None
) -> None:
    """Raise the store error for the first rule a new message breaks.

    Adapters, the server and the mail handler call this so a refusal reads the same everywhere.
    """
    if subject is not None and (problem := subject_problem(subject)):
        raise InvalidInput(problem)
    if problem := attachment_count_problem(len(attachments)):
        raise InvalidInput(problem)
    for att in attachments:
        if problem := filename_problem(att.filename):
            raise InvalidInput(problem)
        if problem := attachment_size_problem(att.filename, len(att.data)):
            raise AttachmentTooLarge(problem)
    if problem := body_problem(body, len(attachments)):
        raise InvalidInput(problem)


def check_template(name: str, body: str) -> None:
    """Raise InvalidInput when a canned reply may not be saved (bad name, empty or overlong
    text, malformed, an unknown placeholder): every adapter and the server call this, so the
    refusal reads the same everywhere."""
    if problem := template_problem(name, body):
        raise InvalidInput(problem)


#: Longest draft place name (places are short keys such as ``thread:12`` or ``new``).
MAX_DRAFT_PLACE = 200


def draft_json(place: str, data: dict[str, Any]) -> str:
    """The stored text of a draft; raises InvalidInput for an empty or overlong ``place`` or
    ``data`` that is not a JSON object. Adapters call this so every store refuses alike."""
    if not place or len(place) > MAX_DRAFT_PLACE:
        raise InvalidInput(
            _("A draft place is 1 to {max_draft_place} characters").format(
                max_draft_place=MAX_DRAFT_PLACE
            )
        )
    if problem := nul_problem(place):
        raise InvalidInput(problem)
    if not isinstance(data, dict):
        raise InvalidInput(_("A draft is a JSON object"))
    import json  # here, not at the top: the TUI's start reads no draft's JSON (start-up)

    try:
        # JSON escapes control characters even with ensure_ascii=False: a NUL in a draft is
        # stored as \u0000, which PostgreSQL's text holds as SQLite's does.
        return json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(_("A draft must be plain JSON data: {exc}").format(exc=exc)) from None


def draft_data(text: str) -> dict[str, Any] | None:
    """A stored draft read back, or None when it is damaged (the others still load)."""
    import json  # see draft_json

    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


class MessageStore(ABC):
    """The async port. One instance acts for one user; call :meth:`close` when done."""

    #: Human-readable location, shown in the TUI header (a path or a URL).
    location: str = ""
    #: Seconds between two looks at the change feed in the default :meth:`watch`.
    watch_interval: float = 1.0
    #: True when :meth:`watch` is pushed by the store (no poll): the TUI then follows it instead
    #: of looking at :meth:`changes_since` every poll interval.
    pushes_changes: bool = False

    @abstractmethod
    async def whoami(self) -> Identity:
        """The account (with its plan) and user this store acts for, the caller's role and the
        accounts it may open (see :class:`~netmsg_tui.model.Identity`). On a support store
        (``read_only``) every write raises Unauthorized and :meth:`mark_read` does nothing.

        Raises Unauthorized, Unavailable.
        """

    async def account(self) -> Account:
        return (await self.whoami()).account

    async def open_account(self, account_id: int) -> MessageStore:
        """A store for another of the caller's granted accounts (``whoami().granted``), with the
        same credentials; this store stays open (close both when done). The own account
        answers a store for it too. Raises Unauthorized (not granted), Unavailable."""
        me = await self.whoami()
        if account_id == me.account.id:
            return self
        raise Unauthorized(
            _("Account {account_id} is not one of the accounts you may read").format(
                account_id=account_id
            )
        )

    # -- support look-ups ---------------------------------------------------------------------
    # What support staff (and suppliers, for their own account) ask when a message went astray.
    # On a support store each of these reads is audited like every other.

    @abstractmethod
    async def find(self, query: str, *, limit: int = 20) -> list[Found]:
        """Everything of this account that ``query`` names, by each key in turn: a thread id
        and a message id (``query`` all digits; ``#12`` too), a document number (its start,
        any case), a customer network id (``AN…``, its start, any case) and a customer name
        (part of it, any case); customers are those trading with this account. Hits come in
        that order of keys, at most ``limit`` (1..500); none: an empty list.
        Raises InvalidInput (empty or over 200 characters, bad limit), Unavailable."""

    @abstractmethod
    async def message_trail(self, message: int | str) -> DeliveryTrail:
        """The delivery trail of a message of this account (see
        :class:`~netmsg_tui.model.DeliveryTrail`): ``message`` is a stored message's id, or the
        Message-ID (``<…@…>``) of an emailed reply, which also finds a rejected one (a reply
        rejected before its thread was known belongs to no account: NotFound).
        Raises NotFound, InvalidInput (an empty or overlong Message-ID), Unavailable."""

    @abstractmethod
    async def customer_reads(self, conversation_id: int) -> list[CustomerRead]:
        """When the customer's contacts read the thread, oldest first: a message was "read by
        the customer" once a read's ``up_to_message_id`` is at least its id.
        Raises NotFound, Unavailable."""

    @abstractmethod
    async def mail_log(self, *, limit: int = 20) -> list[InboundMail]:
        """The emailed replies to this account's threads, newest first (accepted, or rejected
        with the reason and where the raw mail is kept); mail rejected before its thread was
        known is the operator's (``netmsg mail log`` on the server), not here.
        Raises InvalidInput (limit outside 1..500), Unavailable."""

    # -- customers ----------------------------------------------------------------------------
    @abstractmethod
    async def list_customers(
        self, query: str = "", *, cursor: str | None = None, limit: int = 50
    ) -> Page[Customer]:
        """Customers trading with this account, by name; ``query`` matches name, network id or
        city (case-insensitive substring). Raises InvalidInput (bad cursor/limit), Unavailable."""

    @abstractmethod
    async def get_customer(self, customer_id: int) -> Customer:
        """Raises NotFound (unknown or not trading with this account), Unavailable."""

    # -- documents ----------------------------------------------------------------------------
    @abstractmethod
    async def list_documents(
        self,
        query: str = "",
        *,
        kind: DocumentKind | None = None,
        customer_id: int | None = None,
        oldest_first: bool = False,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page[Document]:
        """This account's documents, newest issue date first (or oldest first); ``query``
        matches the start of the document number (any case) or part of the customer name.
        Line items are not loaded here. Raises InvalidInput, Unavailable."""

    @abstractmethod
    async def get_document(self, document_id: int) -> Document:
        """The document with its line items. Raises NotFound, Unavailable."""

    @abstractmethod
    async def document_thread(self, document_id: int) -> Conversation | None:
        """The conversation linked to the document, or None if none was started yet.
        Raises NotFound (document), Unavailable."""

    # -- conversations ------------------------------------------------------------------------
    @abstractmethod
    async def list_conversations(
        self,
        query: str = "",
        *,
        unread_only: bool = False,
        customer_id: int | None = None,
        document_id: int | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page[Conversation]:
        """Conversations, most recent activity first.

        ``query`` is a full-text search: a conversation matches when one of its messages holds
        every word (as a prefix) in its body or in the thread's subject, customer name or
        document number; search results come newest matching message first.
        Raises InvalidInput, Unavailable."""

    @abstractmethod
    async def get_conversation(self, conversation_id: int) -> Conversation:
        """Raises NotFound, Unavailable."""

    @abstractmethod
    async def list_messages(
        self, conversation_id: int, *, cursor: str | None = None, limit: int = 50
    ) -> Page[Message]:
        """The newest ``limit`` messages (oldest-first inside the page); ``next_cursor`` leads
        to the page of older messages. Raises NotFound, InvalidInput, Unavailable."""

    @abstractmethod
    async def start_conversation(
        self,
        customer_id: int,
        subject: str,
        body: str,
        attachments: Sequence[NewAttachment] = (),
        *,
        document_id: int | None = None,
        idempotency_key: str | None = None,
        origin: Origin = "app",
    ) -> Conversation:
        """Create a conversation with its first message, atomically.

        With ``document_id`` the thread is that document's context thread; if the document
        already has one, the message is added to it (one thread per document) and that thread
        is returned. A repeated ``idempotency_key`` returns the first result, storing nothing.
        Raises UpgradeRequired, MessagingDisabled, NotFound (customer/document), InvalidInput,
        AttachmentTooLarge, Unavailable.
        """

    @abstractmethod
    async def reply(
        self,
        conversation_id: int,
        body: str,
        attachments: Sequence[NewAttachment] = (),
        *,
        idempotency_key: str | None = None,
        origin: Origin = "app",
    ) -> Message:
        """Add this user's message to a conversation. A repeated ``idempotency_key`` returns
        the first message, storing nothing. Raises UpgradeRequired, MessagingDisabled,
        NotFound, InvalidInput, AttachmentTooLarge, Unavailable."""

    @abstractmethod
    async def mark_read(self, conversation_id: int) -> None:
        """Clear this user's unread count on the conversation; on a support store (read-only)
        it does nothing: a support read leaves the supplier's unread state as it was.
        Raises NotFound, Unavailable."""

    @abstractmethod
    async def unread_total(self) -> int:
        """Unread customer messages over all of this user's conversations."""

    # -- attachments --------------------------------------------------------------------------
    @abstractmethod
    async def get_attachment(self, attachment_id: int) -> Attachment:
        """Raises NotFound, Unavailable."""

    @abstractmethod
    async def read_attachment(self, attachment_id: int) -> bytes:
        """The attachment's bytes. Raises NotFound, Unavailable."""

    # -- preferences --------------------------------------------------------------------------
    @abstractmethod
    async def get_preferences(self) -> NotificationPrefs:
        """This user's notification preferences."""

    @abstractmethod
    async def set_preferences(self, prefs: NotificationPrefs) -> NotificationPrefs:
        """Store and return them. Raises InvalidInput (more than 3 addresses, bad address)."""

    # -- drafts -------------------------------------------------------------------------------
    # Unsent text of this user, kept by the store so it survives closing and reopening it (a
    # restart of the app). ``place`` names where it was typed, e.g. ``"thread:12"`` or ``"new"``;
    # ``data`` is a JSON object (the store keeps it as is and does not read it).

    @abstractmethod
    async def save_draft(self, place: str, data: dict[str, Any]) -> None:
        """Keep ``data`` as this user's draft at ``place``; saving again replaces it (and makes
        it the newest). Raises InvalidInput (empty or overlong place, data not plain JSON),
        Unavailable."""

    @abstractmethod
    async def drafts(self) -> dict[str, dict[str, Any]]:
        """This user's drafts by place, the least recently saved first (other users' drafts
        are not seen). A damaged draft is left out. Raises Unavailable."""

    @abstractmethod
    async def delete_draft(self, place: str) -> None:
        """Forget this user's draft at ``place``; none there: nothing happens.
        Raises Unavailable."""

    # -- canned replies ---------------------------------------------------------------------------
    # Named templates kept per account, so every user of the account (a team) shares them.

    @abstractmethod
    async def list_templates(self) -> tuple[Template, ...]:
        """This account's canned replies, by name (case-insensitive). Raises Unavailable."""

    @abstractmethod
    async def get_template(self, name: str) -> Template:
        """The account's template called exactly ``name``. Raises NotFound, Unavailable."""

    @abstractmethod
    async def save_template(self, name: str, body: str) -> Template:
        """Create the account's template ``name`` or replace its text; returns it as stored.
        Raises InvalidInput (see :func:`check_template`: bad name, empty or overlong text,
        malformed, unknown placeholder) before anything is stored, Unauthorized (a read-only
        support token), Unavailable."""

    @abstractmethod
    async def delete_template(self, name: str) -> None:
        """Remove the account's template ``name``. Raises NotFound (no such template),
        Unauthorized (read-only), Unavailable."""

    # -- live refresh -------------------------------------------------------------------------
    @abstractmethod
    async def changes_since(self, cursor: int | None = None, *, limit: int = 200) -> ChangeBatch:
        """Changes to this account's conversations after ``cursor`` (None: only the current
        cursor, no changes), oldest first. Writes by other processes and clients show here.
        Cursors are opaque: pass one back as it came; they are not ordered (the network server
        hides the feed's ids, see server/cursors.py)."""

    async def watch(self, cursor: int | None = None) -> AsyncIterator[ChangeBatch]:
        """Follow this account's changes as they happen: yields a batch for every change after
        ``cursor`` (the first batch may be empty and only carries the current cursor, as it
        always is for ``cursor=None``). Runs until the caller stops iterating.

        This default looks at :meth:`changes_since` every :attr:`watch_interval` seconds; an
        adapter with a push stream overrides it. Raises Unauthorized, Unavailable."""
        batch = await self.changes_since(cursor)
        yield batch
        while True:
            batch = await self.changes_since(batch.cursor)
            if batch.changes:
                yield batch  # and look again at once: a full batch may have more behind it
            else:
                await asyncio.sleep(self.watch_interval)

    async def close(self) -> None:  # noqa: B027 - optional hook, most adapters override
        """Release connections and threads. Safe to call twice."""
