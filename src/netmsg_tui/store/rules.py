"""The network's rules of a write, once, above the SQL of any adapter.

A write (a supplier starts a thread or replies, a customer answers, a user reads a thread) is
decided here: the field and attachment rules, the idempotency replay and its fingerprint, the
Enterprise plan, the customer's messaging switch, a document belonging to its customer, one
thread per document, who the author is, what the thread's preview says, who gets an unread mark
and an email, which change-feed entries a write makes. An SQL adapter supplies only queries:
inside its own write transaction it hands :func:`start`, :func:`reply`, :func:`customer_reply`
or :func:`mark_read` an object that satisfies :class:`WriteSession` (named one-query reads and
writes) and reads the result back by the ids returned. :class:`~.sql_store.SQLStore` does that
for the port's writes; :mod:`.sql` holds the row mapping and cursors every SQL adapter shares.

Checks run in a fixed order, so every adapter refuses the same request with the same error:
field rules (:func:`outgoing`, before any read), idempotency replay, plan, customer (NotFound,
then MessagingDisabled), document (NotFound, then ownership). Nothing here does I/O itself.

The session is async, so an async driver could implement it directly. A session whose methods
never wait (SQLite, and PostgreSQL through psycopg's synchronous connection, each on its own
thread) has the rules driven by :func:`run_now`.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Coroutine, Sequence
from datetime import datetime
from typing import Any, Literal, Protocol, TypeVar

from ..i18n import LANGUAGES, _
from ..model import (
    MAX_NOTIFY_ADDRESSES,
    AuthorKind,
    Conversation,
    Customer,
    Document,
    Identity,
    NewAttachment,
    NotificationPrefs,
    Origin,
    nul_problem,
)
from ..records import record
from .base import (
    Conflict,
    InvalidInput,
    MessagingDisabled,
    NotFound,
    UpgradeRequired,
    check_message,
)

#: Characters of a message kept as its thread's preview line.
PREVIEW_CHARS = 120

T = TypeVar("T")
ChangeKind = Literal["message", "read", "conversation"]
#: A change-feed entry: account, conversation, message (None for a read or a new thread), kind,
#: and the kind of the message's author.
ChangeRow = tuple[int, int, int | None, ChangeKind, AuthorKind | None]


@record
class File:
    """An attachment ready to store: media type filled in, bytes hashed (stored by content)."""

    attachment: NewAttachment
    sha256: str


@record
class Outgoing:
    """A message that passed the field and attachment rules, its files prepared."""

    body: str
    files: tuple[File, ...]
    subject: str = ""


@record
class Remembered:
    """What an idempotency key was first used for: the ids written and the request's
    fingerprint."""

    conversation_id: int
    message_id: int
    fingerprint: str


@record
class CustomerThread:
    """A conversation as the customer side sees it, whatever supplier it is with."""

    account_id: int
    customer_id: int
    customer_name: str
    contact_name: str  # the customer's main contact


@record
class NewMessage:
    """A message the rules decided to store, in a conversation that exists."""

    account_id: int
    conversation_id: int
    author_kind: AuthorKind
    author_user_id: int | None
    author_name: str
    body: str
    origin: Origin
    files: tuple[File, ...]
    sent_at: datetime

    @property
    def preview(self) -> str:
        """The thread's preview line: the body on one line, or the first file's name."""
        return (
            " ".join(self.body.split())[:PREVIEW_CHARS] or f"📎 {self.files[0].attachment.filename}"
        )


@record
class Written:
    """The ids a write produced, or the ones an idempotency key replays."""

    conversation_id: int
    message_id: int
    replayed: bool = False


class WriteSession(Protocol):
    """What an SQL adapter provides to the rules, inside ONE write transaction.

    Each method is one query (or a few statements) and decides nothing: the rules call them in
    order and raise the errors. Reads of another account's rows raise NotFound, exactly as the
    port's reads do (``customer``, ``document``, ``conversation`` take the acting identity).
    Times are timezone-aware UTC.
    """

    # -- reads --------------------------------------------------------------------------------
    async def now(self) -> datetime:
        """The time of this write (PostgreSQL: the database's clock, shared by every server)."""
        ...

    async def remembered(self, scope: str, key: str) -> Remembered | None:
        """What ``key`` was first used for within ``scope``, or None. (An adapter whose writers
        run concurrently locks the key here, so two requests with one key run in turn.)"""
        ...

    async def customer(self, me: Identity, customer_id: int) -> Customer:
        """The customer if it trades with ``me.account``; else NotFound."""
        ...

    async def document(self, me: Identity, document_id: int) -> Document:
        """The document (line items not needed) if ``me.account`` issued it; else NotFound."""
        ...

    async def document_thread_id(self, document_id: int) -> int | None:
        """The id of the conversation linked to the document, or None."""
        ...

    async def conversation(self, me: Identity, conversation_id: int) -> Conversation:
        """The conversation if it belongs to ``me.account``; else NotFound."""
        ...

    async def customer_thread(self, conversation_id: int) -> CustomerThread | None:
        """The conversation seen from the customer side (any account), or None."""
        ...

    async def contact_name(self, customer_id: int, contact_id: int) -> str | None:
        """The name of that person of that customer, or None (unknown, or of another)."""
        ...

    async def reply_email_settings(self, account_id: int) -> Sequence[tuple[int, bool | None]]:
        """Every user of the account, by id, with the ``email_on_reply`` they saved (None:
        never saved preferences)."""
        ...

    # -- writes -------------------------------------------------------------------------------
    async def add_conversation(
        self, me: Identity, customer_id: int, document_id: int | None, subject: str, at: datetime
    ) -> int:
        """Insert an empty conversation of ``me.account`` created (and last active) ``at``;
        return its id."""
        ...

    async def add_message(self, message: NewMessage) -> int:
        """Insert the message, its files (bytes stored once per sha256) and its search entry;
        set the thread's last activity (on its unread rows too), message count + 1 and
        ``message.preview``. Return its id."""
        ...

    async def add_unread(self, account_id: int, conversation_id: int, at: datetime) -> None:
        """One more unread message in the conversation for every user of the account (a user
        without an unread row for it gets one, last active ``at``)."""
        ...

    async def clear_unread(self, user_id: int, conversation_id: int) -> bool:
        """Set the user's unread count on the conversation to 0; True if it was above 0."""
        ...

    async def queue_notification(
        self, user_id: int, conversation_id: int, message_id: int, at: datetime
    ) -> None:
        """Queue one email notification for the user (the mail outbox delivers it)."""
        ...

    async def remember(self, scope: str, key: str, written: Written, fingerprint: str) -> None:
        """Keep what ``key`` produced within ``scope``."""
        ...

    async def add_change(self, change: ChangeRow) -> None:
        """Append a change-feed entry. The rules call it last in a write (an adapter that
        orders the feed with a lock held until commit holds it shortest so)."""
        ...


def run_now(write: Coroutine[Any, Any, T]) -> T:
    """Run a rule on a session whose methods never wait (they return at once, as SQLite's do
    on the store thread): no event loop is needed, nor allowed to slip in."""
    try:
        write.send(None)
    except StopIteration as done:
        result: T = done.value
        return result
    write.close()
    raise RuntimeError("run_now: the write session waited; drive it with await instead")


# -- before any read ----------------------------------------------------------------------------
def outgoing(
    body: str, attachments: Sequence[NewAttachment], subject: str | None = None
) -> Outgoing:
    """Check the field and attachment rules (InvalidInput, AttachmentTooLarge) and prepare the
    files: media type guessed from the name when not given, bytes hashed. ``subject`` is given
    (and stripped) for a new thread only."""
    import hashlib  # here, not at the top: the TUI's start sends nothing (start-up)

    if subject is not None:
        subject = subject.strip()
    check_message(body, attachments, subject)
    files = []
    for att in attachments:
        media = (
            att.media_type or mimetypes.guess_type(att.filename)[0] or "application/octet-stream"
        )
        files.append(
            File(NewAttachment(att.filename, att.data, media), hashlib.sha256(att.data).hexdigest())
        )
    return Outgoing(body, tuple(files), subject or "")


def fingerprint(*fields: object, files: tuple[File, ...]) -> str:
    """What an idempotency key is checked against: the request's fields, then its files' names
    and hashes. (Stored with every key: computing it otherwise would turn the replays of keys
    stored before into Conflicts.)"""
    import hashlib  # see outgoing

    digest = hashlib.sha256()
    for field in fields:
        digest.update(f"{field!r}\0".encode())
    for file in files:
        digest.update(f"{file.attachment.filename}\0{file.sha256}\0".encode())
    return digest.hexdigest()


def preferences(prefs: NotificationPrefs) -> NotificationPrefs:
    """Notification preferences as they may be stored (addresses trimmed, blanks dropped), or
    InvalidInput for the first rule they break."""
    addresses = tuple(a.strip() for a in prefs.addresses if a.strip())
    if len(addresses) > MAX_NOTIFY_ADDRESSES:
        raise InvalidInput(
            _("At most {max_notify_addresses} email addresses can be notified").format(
                max_notify_addresses=MAX_NOTIFY_ADDRESSES
            )
        )
    for address in addresses:
        local, _at, domain = address.partition("@")
        if not local or "." not in domain or any(c.isspace() for c in address):
            raise InvalidInput(_("{address!r} is not an email address").format(address=address))
    if prefs.mode not in ("immediate", "daily"):
        raise InvalidInput(_("Notification mode must be 'immediate' or 'daily'"))
    if prefs.language not in LANGUAGES:
        raise InvalidInput(
            _("The language of notification emails must be one of: {languages}").format(
                languages=", ".join(LANGUAGES)
            )
        )
    if prefs.email_on_reply and not addresses:
        raise InvalidInput(_("Give at least one email address, or turn email notifications off"))
    return NotificationPrefs(
        prefs.email_on_reply, addresses, prefs.mode, prefs.toast, prefs.bell, prefs.language
    )


# -- the writes ---------------------------------------------------------------------------------
async def start(
    session: WriteSession,
    me: Identity,
    customer_id: int,
    message: Outgoing,
    *,
    document_id: int | None,
    key: str | None,
    origin: Origin,
) -> Written:
    """A supplier user starts a thread with a customer, optionally about a document.

    A document already linked to a thread gets the message in that thread (one thread per
    document): the returned ``conversation_id`` is that thread's. Raises Conflict,
    UpgradeRequired, NotFound (customer, document), MessagingDisabled, InvalidInput (a
    document of another customer).
    """
    scope = _supplier_scope(me)
    fp = fingerprint(
        "start", customer_id, document_id, message.subject, message.body, files=message.files
    )
    if (done := await _replay(session, scope, key, fp)) is not None:
        return done
    _require_enterprise(me)
    customer = await _messageable(session, me, customer_id)
    thread = None
    if document_id is not None:
        doc = await session.document(me, document_id)
        if doc.customer_id != customer_id:
            raise InvalidInput(
                _("Document {number} belongs to {customer_name}, not to {name}").format(
                    number=doc.number, customer_name=doc.customer_name, name=customer.name
                )
            )
        thread = await session.document_thread_id(document_id)
    now = await session.now()
    created = thread is None
    if thread is None:
        thread = await session.add_conversation(me, customer_id, document_id, message.subject, now)
    written = await _store(session, scope, key, fp, _from_user(me, thread, message, origin, now))
    if created:
        await session.add_change((me.account.id, thread, None, "conversation", None))
    await session.add_change((me.account.id, thread, written.message_id, "message", "supplier"))
    return written


async def reply(
    session: WriteSession,
    me: Identity,
    conversation_id: int,
    message: Outgoing,
    *,
    key: str | None,
    origin: Origin,
) -> Written:
    """A supplier user answers in one of the account's threads.

    Raises Conflict, UpgradeRequired, NotFound (the thread, or its customer no longer trading
    with the account), MessagingDisabled.
    """
    scope = _supplier_scope(me)
    fp = fingerprint("reply", conversation_id, message.body, files=message.files)
    if (done := await _replay(session, scope, key, fp)) is not None:
        return done
    _require_enterprise(me)
    conversation = await session.conversation(me, conversation_id)
    await _messageable(session, me, conversation.customer_id)
    new = _from_user(me, conversation_id, message, origin, await session.now())
    written = await _store(session, scope, key, fp, new)
    await session.add_change(
        (me.account.id, conversation_id, written.message_id, "message", "supplier")
    )
    return written


async def customer_reply(
    session: WriteSession,
    conversation_id: int,
    message: Outgoing,
    *,
    customer_id: int | None,
    contact_id: int | None,
    key: str | None,
    origin: Origin,
) -> Written:
    """The customer answers in a thread (the network side: server's customer role, mail).

    ``customer_id``, when given, must be the thread's customer; ``contact_id`` names who wrote
    (default: the customer's main contact). Every user of the supplier account gets an unread
    mark, and an email notification unless they turned it off. No plan or messaging check: a
    customer may always answer. Raises NotFound (thread, contact), Conflict.
    """
    thread = await session.customer_thread(conversation_id)
    if thread is None or (customer_id is not None and thread.customer_id != customer_id):
        raise NotFound(
            _("Conversation {conversation_id} does not exist").format(
                conversation_id=conversation_id
            )
        )
    scope = f"customer:{thread.customer_id}"
    fp = fingerprint("customer", conversation_id, message.body, files=message.files)
    if (done := await _replay(session, scope, key, fp)) is not None:
        return done
    person = thread.contact_name
    if contact_id is not None:
        found = await session.contact_name(thread.customer_id, contact_id)
        if found is None:
            raise NotFound(
                _("Customer contact {contact_id} does not exist").format(contact_id=contact_id)
            )
        person = found
    now = await session.now()
    new = NewMessage(
        account_id=thread.account_id,
        conversation_id=conversation_id,
        author_kind="customer",
        author_user_id=None,
        author_name=f"{person} ({thread.customer_name})",
        body=message.body,
        origin=origin,
        files=message.files,
        sent_at=now,
    )
    written = await _store(session, scope, key, fp, new)
    await session.add_unread(thread.account_id, conversation_id, now)
    for user_id, wanted in await session.reply_email_settings(thread.account_id):
        if NotificationPrefs().email_on_reply if wanted is None else wanted:
            await session.queue_notification(user_id, conversation_id, written.message_id, now)
    await session.add_change(
        (thread.account_id, conversation_id, written.message_id, "message", "customer")
    )
    return written


async def mark_read(session: WriteSession, me: Identity, conversation_id: int) -> None:
    """Clear the user's unread count on one of the account's threads (NotFound otherwise); a
    change-feed entry (``read``) only if there was something unread."""
    await session.conversation(me, conversation_id)
    if await session.clear_unread(me.user.id, conversation_id):
        await session.add_change((me.account.id, conversation_id, None, "read", None))


# -- the rules' parts ---------------------------------------------------------------------------
def _supplier_scope(me: Identity) -> str:
    """Idempotency keys are a user's own (a customer's, on the customer side)."""
    return f"user:{me.user.id}"


async def _replay(session: WriteSession, scope: str, key: str | None, fp: str) -> Written | None:
    """The first result for a key seen before with the same request; Conflict for a key
    reused for a different one. Checked before any other rule: a replay stores nothing, and
    answers the same even if the plan or the customer's switch changed since."""
    if not key:
        return None
    if problem := nul_problem(key):
        raise InvalidInput(problem)
    done = await session.remembered(scope, key)
    if done is None:
        return None
    if done.fingerprint != fp:
        raise Conflict(_("That idempotency key was already used for a different message"))
    return Written(done.conversation_id, done.message_id, replayed=True)


def _require_enterprise(me: Identity) -> None:
    if not me.account.can_message:
        raise UpgradeRequired()


async def _messageable(session: WriteSession, me: Identity, customer_id: int) -> Customer:
    """The customer, if the account may message it: trading with the account (else NotFound),
    messaging enabled (else MessagingDisabled, which carries its contact)."""
    customer = await session.customer(me, customer_id)
    if not customer.messaging_enabled:
        raise MessagingDisabled(customer)
    return customer


def _from_user(
    me: Identity, conversation_id: int, message: Outgoing, origin: Origin, now: datetime
) -> NewMessage:
    return NewMessage(
        account_id=me.account.id,
        conversation_id=conversation_id,
        author_kind="supplier",
        author_user_id=me.user.id,
        author_name=me.user.name,
        body=message.body,
        origin=origin,
        files=message.files,
        sent_at=now,
    )


async def _store(
    session: WriteSession, scope: str, key: str | None, fp: str, message: NewMessage
) -> Written:
    message_id = await session.add_message(message)
    written = Written(message.conversation_id, message_id)
    if key:
        await session.remember(scope, key, written, fp)
    return written
