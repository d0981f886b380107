"""The network-side port: what the server, the mail gateway and the operator's commands ask of a
store holding the whole network (every account, customer and token), beside the supplier port.

:class:`MessageStore` (``base.py``) acts for one user; :class:`NetworkStore` acts for the network:
it authenticates tokens, serves the customer side of threads, keeps the audit log and the change
feed's head, administers accounts and tokens, and holds the notification queue and the log of
emailed replies. Every operation returns model objects and raises only the store's errors
(``base.py``); no caller reads a row or knows the database engine. Adapters: SQLite
(``store/sqlite/network.py``); :func:`netmsg_tui.store.open_network` picks one for a URL.

Rules every adapter shares (token format and hashing, what a token request needs, the queue's
back-off) are plain functions here, so a second engine adds queries, not rules.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from ..i18n import _
from ..model import (
    Account,
    Attachment,
    AuditEntry,
    ChangeBatch,
    Contact,
    Customer,
    CustomerContact,
    CustomerConversation,
    CustomerProfile,
    InboundMail,
    IssuedToken,
    Message,
    NewAttachment,
    Notice,
    NotificationPrefs,
    Origin,
    Page,
    Plan,
    Principal,
    TokenInfo,
    User,
)
from .base import InvalidInput, MessageStore, Unauthorized

TOKEN_PREFIX = "nm_"
MAX_ATTEMPTS = 10  # a notification is ``failed`` after this many tries
LEASE = timedelta(minutes=10)  # a claimed notification is free again after this
MAX_BACKOFF = timedelta(hours=6)


def hash_token(token: str) -> str:
    """What is stored of a token: its SHA-256, so a copy of the data hands out no access."""
    import hashlib  # here, not at the top: the TUI's start on a local file needs no token

    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """256 random bits, ``nm_`` + URL-safe base64."""
    import secrets  # see hash_token

    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def check_token_request(
    role: str, user_id: int | None, contact_id: int | None, accounts: Sequence[int]
) -> None:
    """Raise InvalidInput unless the holder fits the role (the adapter then checks it exists)."""
    if role == "supplier":
        if user_id is None or contact_id is not None or accounts:
            raise InvalidInput(_("A supplier token needs --user (and nothing else)"))
    elif role == "customer":
        if contact_id is None or user_id is not None or accounts:
            raise InvalidInput(_("A customer token needs --contact (and nothing else)"))
    elif role == "support":
        if not accounts or user_id is not None or contact_id is not None:
            raise InvalidInput(_("A support token needs at least one --account"))
    else:
        raise InvalidInput(
            _("Unknown role {role!r}: use supplier, customer or support").format(role=role)
        )


def principal_of(
    row: Sequence[object] | None, support_grants: Callable[[int], Iterable[int]]
) -> Principal:
    """Who holds a token, by the rules of authentication. ``row``: the token's stored row found
    by :func:`hash_token` (or None): id, role, user id, that user's account id, contact id, that
    contact's customer id, revoked (None while valid), optionally that account's change-feed
    head; a gone holder's ids are None.
    ``support_grants(token_id)``: the accounts granted to a support token (asked only for one).
    Raises Unauthorized."""
    if row is None:
        raise Unauthorized(_("Unknown token: log in again with a valid token"))
    token_id, role, user_id, account_id, contact_id, customer_id, revoked, *head = row
    assert isinstance(token_id, int)
    if revoked is not None:
        raise Unauthorized(_("This token was revoked: ask your network operator for a new one"))
    if role == "supplier":
        if not isinstance(user_id, int) or not isinstance(account_id, int):
            raise Unauthorized(_("The user of this token no longer exists"))
        feed_head = head[0] if head and isinstance(head[0], int) else None
        return Principal(
            token_id, "supplier", user_id=user_id, account_id=account_id, feed_head=feed_head
        )
    if role == "customer":
        if not isinstance(contact_id, int) or not isinstance(customer_id, int):
            raise Unauthorized(_("The customer contact of this token no longer exists"))
        return Principal(token_id, "customer", contact_id=contact_id, customer_id=customer_id)
    granted = frozenset(int(a) for a in support_grants(token_id))
    return Principal(token_id, "support", granted=granted)


def reply_senders(user: User, prefs: NotificationPrefs) -> set[str]:
    """Who may answer a user's notification by email: its notification addresses and its own
    address, compared lower-cased."""
    return {a.strip().lower() for a in (*prefs.addresses, user.email)}


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: 1, 2, 4, … minutes, at most 6 hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def digest_boundary(now: datetime, hour: int) -> datetime:
    """The latest daily digest time (``hour``:00 UTC) at or before ``now``."""
    today = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return today if now >= today else today - timedelta(days=1)


class NetworkStore(ABC):
    """The async network-side port. One instance serves many callers; :meth:`close` when done.

    Every method may raise Unavailable (store missing, busy, unreachable) besides those listed.
    """

    #: Where the store is (a path or a URL), for messages.
    location: str = ""
    #: A local folder that belongs with the data (the gateway keeps rejected mail beside it),
    #: or None when the store has none and the caller must name one.
    local_folder: Path | None = None

    @abstractmethod
    def for_user(self, user_id: int) -> MessageStore:
        """The supplier port acting for ``user_id``, sharing this store's connections. Cheap;
        closing it is not needed (close the network store)."""

    @abstractmethod
    async def ping(self) -> None:
        """Open the store if needed (creating and migrating it when the adapter may) and check
        that it answers. Raises Unavailable."""

    async def close(self) -> None:  # noqa: B027 - adapters with connections override
        """Release connections and threads. Safe to call twice."""

    # -- who calls -------------------------------------------------------------------------------
    @abstractmethod
    async def authenticate(self, token: str) -> Principal:
        """The holder of ``token``. Raises Unauthorized (unknown, revoked, holder gone)."""

    async def authenticate_many(self, tokens: Sequence[str]) -> dict[str, Principal | None]:
        """The holder of each token, None where :meth:`authenticate` would refuse it: one
        look-up for many requests (the server asks for every token waiting at once). This
        default asks :meth:`authenticate` for each; the SQL adapters run one query."""
        found: dict[str, Principal | None] = {}
        for token in tokens:
            try:
                found[token] = await self.authenticate(token)
            except Unauthorized:
                found[token] = None
        return found

    @abstractmethod
    async def support_user(self, account_id: int) -> int:
        """The user whose view a support token reads an account through (its first user).
        Raises NotFound (no users)."""

    # -- the customer side -----------------------------------------------------------------------
    @abstractmethod
    async def customer_profile(self, contact_id: int) -> CustomerProfile:
        """Raises NotFound (the contact is gone)."""

    @abstractmethod
    async def customer_conversations(
        self, customer_id: int, *, cursor: str | None = None, limit: int = 50
    ) -> Page[CustomerConversation]:
        """The customer's threads with all its suppliers, most recent activity first.
        Raises InvalidInput (cursor, limit)."""

    @abstractmethod
    async def customer_conversation(
        self, customer_id: int, conversation_id: int
    ) -> CustomerConversation:
        """Raises NotFound (unknown, or another customer's thread)."""

    @abstractmethod
    async def customer_messages(
        self, customer_id: int, conversation_id: int, *, cursor: str | None = None, limit: int = 50
    ) -> Page[Message]:
        """Like :meth:`MessageStore.list_messages`, for the customer's own thread.
        Raises NotFound, InvalidInput."""

    @abstractmethod
    async def customer_reply(
        self,
        conversation_id: int,
        body: str,
        attachments: Sequence[NewAttachment] = (),
        *,
        customer_id: int | None = None,
        contact_id: int | None = None,
        origin: Origin = "app",
        idempotency_key: str | None = None,
    ) -> Message:
        """The customer's answer in a thread; queues the notifications in the same transaction.
        ``customer_id``, when given, must be the thread's customer; ``contact_id`` names the
        person (default: the customer's main contact). A repeated ``idempotency_key`` returns
        the first message. Raises NotFound, InvalidInput, AttachmentTooLarge, Conflict."""

    @abstractmethod
    async def customer_attachment(
        self, customer_id: int, attachment_id: int
    ) -> tuple[Attachment, bytes]:
        """An attachment of one of the customer's threads, with its bytes. Raises NotFound."""

    @abstractmethod
    async def customer_changes(
        self, customer_id: int, cursor: int | None = None, *, limit: int = 200
    ) -> ChangeBatch:
        """Changes to the customer's threads after ``cursor`` (None: the current cursor only),
        oldest first; read marks are the supplier's own and are left out."""

    @abstractmethod
    async def customer_mark_read(
        self, contact_id: int, conversation_id: int, now: datetime | None = None
    ) -> None:
        """The contact read the thread (the customer API calls it when a contact opens one): a
        read mark up to the thread's newest message, unless the contact's last mark already
        reaches it (the supplier's trail shows when the customer first read a message).
        Raises NotFound (unknown contact, or a thread not of the contact's customer)."""

    # -- audit and change feed -------------------------------------------------------------------
    @abstractmethod
    async def audit(self, token_id: int, account_id: int | None, action: str, target: str) -> None:
        """Append to the audit log (``target`` is cut to 500 characters)."""

    @abstractmethod
    async def audit_log(self, *, limit: int = 100) -> list[AuditEntry]:
        """The newest entries of the audit log, newest first."""

    @abstractmethod
    async def network_secret(self) -> bytes:
        """32 random bytes made on first use and kept in the store, so every server process on
        it has the same (the server makes feed cursors opaque with them)."""

    @abstractmethod
    async def feed_head(self) -> int:
        """The newest change id of the whole feed (0 when empty): cheap, polled by streams."""

    @abstractmethod
    async def account_feed_head(self, account_id: int) -> int:
        """The newest change id of one account (0 when none): every write that changes what the
        account's users list or read (a message, a read mark, a new thread) adds a change, so
        an unchanged head means unchanged threads. One indexed look-up (the server's ETags)."""

    def change_stamp(self) -> int | None:
        """A number that stays the same exactly as long as nothing at all was committed to the
        store (by this process or any other), read at once on the calling thread without waiting
        on the database, or None where the adapter cannot tell that both cheaply and exactly.

        The server keeps answers in memory (its authentication cache) only while the stamp it
        read *before* asking the store is still the current one: a revoked token, a removed
        user or a new message is noticed on the very next request, whichever process wrote it.
        SQLite: ``PRAGMA data_version`` (shared memory, no disk). PostgreSQL answers None: a
        LISTEN/NOTIFY arrives some time after the commit, so a cache trusting it could answer
        in that gap with a revoked token (see docs/server.md, "Performance")."""
        return None

    async def watch_feed_head(self, interval: float) -> AsyncIterator[int]:
        """The feed's head now, then again as it moves: what a server process's event streams
        wait on. This default reads :meth:`feed_head` every ``interval`` seconds; an adapter
        whose database pushes (PostgreSQL's LISTEN/NOTIFY) overrides it. Raises Unavailable
        (the caller looks again later)."""
        while True:
            yield await self.feed_head()
            await asyncio.sleep(interval)

    # -- administration (the network operator) ---------------------------------------------------
    @abstractmethod
    async def create_account(self, name: str, plan: Plan = "enterprise") -> Account:
        """Raises InvalidInput (empty name, unknown plan)."""

    @abstractmethod
    async def create_user(self, account_id: int, name: str, email: str) -> User:
        """Raises NotFound (account), InvalidInput."""

    @abstractmethod
    async def create_customer(
        self,
        name: str,
        network_id: str,
        city: str,
        contact: Contact,
        *,
        messaging_enabled: bool = True,
        trading_with: Iterable[int] = (),
    ) -> Customer:
        """A buyer organisation trading with the given accounts.
        Raises Conflict (network id taken), NotFound (account)."""

    @abstractmethod
    async def create_customer_contact(
        self, customer_id: int, name: str, email: str
    ) -> CustomerContact:
        """Raises NotFound (customer), InvalidInput (name, email)."""

    @abstractmethod
    async def issue_token(
        self,
        role: str,
        *,
        user_id: int | None = None,
        contact_id: int | None = None,
        accounts: Iterable[int] = (),
        label: str = "",
    ) -> IssuedToken:
        """A new token (see :func:`check_token_request`). Raises InvalidInput, NotFound."""

    @abstractmethod
    async def revoke_token(self, token_id: int) -> None:
        """Raises NotFound, InvalidInput (already revoked)."""

    @abstractmethod
    async def list_tokens(self) -> list[TokenInfo]:
        """Every token, oldest first."""

    # -- the notification queue (filled with each customer reply) --------------------------------
    # A notice is ``pending`` (waiting from ``next_attempt``, later after errors), ``sending``
    # (claimed for LEASE: a sender that died leaves it so, and after the lease another takes it
    # again; the email keeps its Message-ID, so even that rare second copy is one message to mail
    # clients), ``sent`` or ``digested`` (delivered alone or in a daily digest), ``skipped`` (on
    # purpose: email turned off, no address) or ``failed`` (after MAX_ATTEMPTS). Nothing is
    # deleted; the reason of the last failure or skip is kept.
    @abstractmethod
    async def skip_unwanted_notices(self, now: datetime) -> int:
        """Mark pending notices of users who turned email off as ``skipped``; how many."""

    @abstractmethod
    async def claim_immediate_notices(self, now: datetime, limit: int = 50) -> list[int]:
        """Claim due notices of users who want one email per reply (for :data:`LEASE`, one more
        attempt counted); two senders never claim the same notice. Returns their ids."""

    @abstractmethod
    async def users_due_for_digest(self, now: datetime, hour: int) -> list[int]:
        """Users in daily mode with notices queued before the latest digest time."""

    @abstractmethod
    async def claim_digest_notices(self, user_id: int, now: datetime, hour: int) -> list[int]:
        """Claim every notice of one daily-mode user that belongs in the digest due now."""

    @abstractmethod
    async def load_notice(self, notice_id: int) -> Notice:
        """Raises NotFound (the notice, or the thread or message it points at)."""

    @abstractmethod
    async def finish_notices(
        self, notice_ids: Sequence[int], state: str, now: datetime, note: str = ""
    ) -> None:
        """Record the end of claimed notices: ``sent``, ``digested`` or ``skipped``."""

    @abstractmethod
    async def retry_notices_later(
        self, notice_ids: Sequence[int], error: str, now: datetime
    ) -> None:
        """A try failed: back to ``pending`` after :func:`backoff`, or ``failed`` after
        :data:`MAX_ATTEMPTS` (``error`` is kept, cut to 500 characters)."""

    @abstractmethod
    async def note_notice_email(
        self, notice_ids: Sequence[int], email_message_id: str, addresses: Sequence[str]
    ) -> None:
        """Record the email composed for claimed notices: its Message-ID and To addresses
        (the delivery trail shows them)."""

    @abstractmethod
    async def notice_counts(self) -> dict[str, int]:
        """How many notices are in each state."""

    # -- replies by email ------------------------------------------------------------------------
    @abstractmethod
    async def inbound_mail(self, message_id: str) -> InboundMail | None:
        """The record of an emailed reply by its Message-ID, or None if never seen."""

    @abstractmethod
    async def record_inbound_mail(self, mail: InboundMail) -> None:
        """Keep what became of an emailed reply (a second record of one Message-ID is ignored)."""

    @abstractmethod
    async def inbound_mail_log(self, *, limit: int = 20) -> list[InboundMail]:
        """The newest records, newest first."""

    @abstractmethod
    async def notification_addresses(self, user_id: int) -> set[str] | None:
        """The user's notification addresses and own email, lower-cased (who may answer a
        notification by email); None when the user no longer exists."""
