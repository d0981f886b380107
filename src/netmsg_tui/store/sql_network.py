"""The network-side port over an SQL engine, written once: each operation checks its input and
calls the shared query (:mod:`.sql_queries`) on one of the engine's connections.

An SQL adapter (SQLite, PostgreSQL) brings its dialect, its supplier store (for :meth:`for_user`
and the customer's reply), and a way to run a function on a connection (:meth:`_run`). A new
engine adds a dialect, not this class's logic.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

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
    Notice,
    Page,
    Plan,
    Principal,
    TokenInfo,
    User,
)
from .base import MessageStore
from .network import NetworkStore
from .sql import check_listing
from .sql_queries.access import Access
from .sql_queries.admin import Admin
from .sql_queries.customer_side import CustomerSide
from .sql_queries.dialect import Dialect
from .sql_queries.notices import Notices
from .sql_store import SQLStore

C = TypeVar("C")  # the engine's connection
C_contra = TypeVar("C_contra", contravariant=True)
T = TypeVar("T")


class SqlNetworkStore(NetworkStore, Generic[C]):
    """:class:`NetworkStore` over an SQL engine's queries (see the module's docstring)."""

    def __init__(self, supplier: SQLStore[C], db: Dialect[C]) -> None:
        self._supplier_side = supplier
        self._dialect = db
        self._access = Access(db)
        self._customers = CustomerSide(db)
        self._notices = Notices(db)
        self._operator = Admin(db)

    @abstractmethod
    async def _run(self, fn: Callable[[C], T]) -> T:
        """``fn(connection)`` on the engine's thread (or pool), without a transaction of its own."""

    async def _transaction(self, fn: Callable[[C], T]) -> T:
        """``fn(connection)`` inside one write transaction."""

        def work(conn: C) -> T:
            with self._dialect.transaction(conn):
                return fn(conn)

        return await self._run(work)

    async def ping(self) -> None:
        await self._run(lambda conn: self._dialect.one(conn, "SELECT 1"))

    def for_user(self, user_id: int) -> MessageStore:
        return self._supplier_side.as_user(user_id)

    # -- who calls -------------------------------------------------------------------------------
    async def authenticate(self, token: str) -> Principal:
        return await self._run(lambda conn: self._access.authenticate(conn, token))

    async def authenticate_many(self, tokens: Sequence[str]) -> dict[str, Principal | None]:
        if not tokens:
            return {}
        return await self._run(lambda conn: self._access.authenticate_many(conn, tokens))

    async def support_user(self, account_id: int) -> int:
        return await self._run(lambda conn: self._access.support_user(conn, account_id))

    # -- the customer side -----------------------------------------------------------------------
    async def customer_profile(self, contact_id: int) -> CustomerProfile:
        return await self._run(lambda conn: self._customers.profile(conn, contact_id))

    async def customer_conversations(
        self, customer_id: int, *, cursor: str | None = None, limit: int = 50
    ) -> Page[CustomerConversation]:
        check_listing("", limit)
        return await self._run(
            lambda conn: self._customers.conversations(conn, customer_id, cursor, limit)
        )

    async def customer_conversation(
        self, customer_id: int, conversation_id: int
    ) -> CustomerConversation:
        return await self._run(
            lambda conn: self._customers.conversation(conn, customer_id, conversation_id)
        )

    async def customer_messages(
        self, customer_id: int, conversation_id: int, *, cursor: str | None = None, limit: int = 50
    ) -> Page[Message]:
        check_listing("", limit)
        return await self._run(
            lambda conn: self._customers.messages(conn, customer_id, conversation_id, cursor, limit)
        )

    async def customer_reply(self, *args: Any, **kwargs: Any) -> Message:
        # The supplier store writes it (the rules of a customer's reply are its own).
        return await self._supplier_side.add_customer_reply(*args, **kwargs)

    async def customer_attachment(
        self, customer_id: int, attachment_id: int
    ) -> tuple[Attachment, bytes]:
        return await self._run(
            lambda conn: self._customers.attachment(conn, customer_id, attachment_id)
        )

    async def customer_changes(
        self, customer_id: int, cursor: int | None = None, *, limit: int = 200
    ) -> ChangeBatch:
        return await self._run(
            lambda conn: self._customers.changes(conn, customer_id, cursor, limit)
        )

    # -- audit and change feed -------------------------------------------------------------------
    async def audit(self, token_id: int, account_id: int | None, action: str, target: str) -> None:
        await self._run(lambda conn: self._access.audit(conn, token_id, account_id, action, target))

    async def audit_log(self, *, limit: int = 100) -> list[AuditEntry]:
        return await self._run(lambda conn: self._access.audit_log(conn, limit))

    async def feed_head(self) -> int:
        return await self._run(self._access.feed_head)

    async def account_feed_head(self, account_id: int) -> int:
        return await self._run(lambda conn: self._access.account_feed_head(conn, account_id))

    async def network_secret(self) -> bytes:
        return await self._run(self._access.network_secret)

    # -- administration --------------------------------------------------------------------------
    async def create_account(self, name: str, plan: Plan = "enterprise") -> Account:
        account_id = await self._transaction(
            lambda conn: self._operator.create_account(conn, name, plan)
        )
        return Account(account_id, name.strip(), plan)

    async def create_user(self, account_id: int, name: str, email: str) -> User:
        user_id = await self._transaction(
            lambda conn: self._operator.create_user(conn, account_id, name, email)
        )
        return User(user_id, account_id, name, email)

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
        accounts = list(trading_with)
        customer_id = await self._transaction(
            lambda conn: self._operator.create_customer(
                conn, name, network_id, city, contact,
                messaging_enabled=messaging_enabled, trading_with=accounts,
            )
        )  # fmt: skip
        return Customer(customer_id, name, network_id, city, messaging_enabled, contact)

    async def create_customer_contact(
        self, customer_id: int, name: str, email: str
    ) -> CustomerContact:
        contact_id = await self._transaction(
            lambda conn: self._operator.create_customer_contact(conn, customer_id, name, email)
        )
        return CustomerContact(contact_id, name.strip(), email.strip())

    async def issue_token(
        self,
        role: str,
        *,
        user_id: int | None = None,
        contact_id: int | None = None,
        accounts: Iterable[int] = (),
        label: str = "",
    ) -> IssuedToken:
        granted = list(accounts)
        token_id, token = await self._transaction(
            lambda conn: self._operator.issue_token(
                conn, role, user_id=user_id, contact_id=contact_id, accounts=granted, label=label
            )
        )
        return IssuedToken(token_id, token)

    async def revoke_token(self, token_id: int) -> None:
        await self._transaction(lambda conn: self._operator.revoke_token(conn, token_id))

    async def list_tokens(self) -> list[TokenInfo]:
        return await self._run(self._operator.list_tokens)

    # -- the notification queue ------------------------------------------------------------------
    async def skip_unwanted_notices(self, now: datetime) -> int:
        return await self._run(lambda conn: self._notices.skip_unwanted(conn, now))

    async def claim_immediate_notices(self, now: datetime, limit: int = 50) -> list[int]:
        return await self._run(lambda conn: self._notices.claim_immediate(conn, now, limit))

    async def users_due_for_digest(self, now: datetime, hour: int) -> list[int]:
        return await self._run(lambda conn: self._notices.users_due_for_digest(conn, now, hour))

    async def claim_digest_notices(self, user_id: int, now: datetime, hour: int) -> list[int]:
        return await self._run(lambda conn: self._notices.claim_digest(conn, user_id, now, hour))

    async def load_notice(self, notice_id: int) -> Notice:
        return await self._run(lambda conn: self._notices.load(conn, notice_id))

    async def finish_notices(
        self, notice_ids: Sequence[int], state: str, now: datetime, note: str = ""
    ) -> None:
        await self._run(lambda conn: self._notices.finish(conn, notice_ids, state, now, note))

    async def retry_notices_later(
        self, notice_ids: Sequence[int], error: str, now: datetime
    ) -> None:
        await self._run(lambda conn: self._notices.retry_later(conn, notice_ids, error, now))

    async def notice_counts(self) -> dict[str, int]:
        return await self._run(self._notices.counts)

    # -- replies by email ------------------------------------------------------------------------
    async def note_notice_email(
        self, notice_ids: Sequence[int], email_message_id: str, addresses: Sequence[str]
    ) -> None:
        await self._run(
            lambda conn: self._notices.note_email(conn, notice_ids, email_message_id, addresses)
        )

    async def customer_mark_read(
        self, contact_id: int, conversation_id: int, now: datetime | None = None
    ) -> None:
        at = now or datetime.now(UTC)
        await self._run(
            lambda conn: self._customers.mark_read(conn, contact_id, conversation_id, at)
        )

    async def inbound_mail(self, message_id: str) -> InboundMail | None:
        return await self._run(lambda conn: self._notices.inbound(conn, message_id))

    async def record_inbound_mail(self, mail: InboundMail) -> None:
        await self._run(lambda conn: self._notices.record_inbound(conn, mail))

    async def inbound_mail_log(self, *, limit: int = 20) -> list[InboundMail]:
        return await self._run(lambda conn: self._notices.inbound_log(conn, limit))

    async def notification_addresses(self, user_id: int) -> set[str] | None:
        return await self._run(lambda conn: self._notices.notification_addresses(conn, user_id))
