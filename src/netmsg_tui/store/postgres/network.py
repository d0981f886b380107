"""The network-side port (:class:`~netmsg_tui.store.network.NetworkStore`) on PostgreSQL.

One connection pool (and its threads) serves the network side and every :meth:`for_user` view
of the supplier port. Administration runs one transaction per operation; the notification queue
is claimed with ``SKIP LOCKED`` (see :mod:`.notices`), so every server process may run a sender.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from ...model import (
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
    Origin,
    Page,
    Plan,
    Principal,
    TokenInfo,
    User,
)
from ..base import MessageStore
from ..network import NetworkStore
from . import access, admin, customer_side, notices
from . import queries as q
from .connection import Conn
from .listen import listen_for_changes
from .store import PostgresStore

T = TypeVar("T")


class PostgresNetworkStore(NetworkStore):
    """The network in the PostgreSQL database at ``url`` (migrated on first use)."""

    local_folder = None

    def __init__(self, url: str, *, max_connections: int = 8):
        self._supplier = PostgresStore(url, max_connections=max_connections)
        self._db = self._supplier._db
        self.url = url
        self.location = self._db.location

    async def _run(self, fn: Callable[[Conn], T]) -> T:
        return await self._db.run(fn)

    async def _admin(self, fn: Callable[[Conn], T]) -> T:
        def work(conn: Conn) -> T:
            with conn.transaction():
                return fn(conn)

        return await self._db.run(work)

    def for_user(self, user_id: int) -> MessageStore:
        return self._supplier.as_user(user_id)

    async def ping(self) -> None:
        await self._run(lambda conn: q.one(conn, "SELECT 1", ()))

    async def close(self) -> None:
        await self._supplier.close()

    # -- who calls -------------------------------------------------------------------------------
    async def authenticate(self, token: str) -> Principal:
        return await self._run(lambda conn: access.authenticate(conn, token))

    async def support_user(self, account_id: int) -> int:
        return await self._run(lambda conn: access.support_user(conn, account_id))

    # -- the customer side -----------------------------------------------------------------------
    async def customer_profile(self, contact_id: int) -> CustomerProfile:
        return await self._run(lambda conn: customer_side.profile(conn, contact_id))

    async def customer_conversations(
        self, customer_id: int, *, cursor: str | None = None, limit: int = 50
    ) -> Page[CustomerConversation]:
        q.check_listing("", limit)
        return await self._run(
            lambda conn: customer_side.conversations(conn, customer_id, cursor, limit)
        )

    async def customer_conversation(
        self, customer_id: int, conversation_id: int
    ) -> CustomerConversation:
        return await self._run(
            lambda conn: customer_side.conversation(conn, customer_id, conversation_id)
        )

    async def customer_messages(
        self, customer_id: int, conversation_id: int, *, cursor: str | None = None, limit: int = 50
    ) -> Page[Message]:
        q.check_listing("", limit)
        return await self._run(
            lambda conn: customer_side.messages(conn, customer_id, conversation_id, cursor, limit)
        )

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
        return await self._supplier.add_customer_reply(
            conversation_id,
            body,
            attachments,
            customer_id=customer_id,
            contact_id=contact_id,
            origin=origin,
            idempotency_key=idempotency_key,
        )

    async def customer_attachment(
        self, customer_id: int, attachment_id: int
    ) -> tuple[Attachment, bytes]:
        return await self._run(
            lambda conn: customer_side.attachment(conn, customer_id, attachment_id)
        )

    async def customer_changes(
        self, customer_id: int, cursor: int | None = None, *, limit: int = 200
    ) -> ChangeBatch:
        return await self._run(lambda conn: customer_side.changes(conn, customer_id, cursor, limit))

    # -- audit and change feed -------------------------------------------------------------------
    async def audit(self, token_id: int, account_id: int | None, action: str, target: str) -> None:
        await self._run(lambda conn: access.audit(conn, token_id, account_id, action, target))

    async def audit_log(self, *, limit: int = 100) -> list[AuditEntry]:
        return await self._run(lambda conn: access.audit_log(conn, limit))

    async def feed_head(self) -> int:
        return await self._run(access.feed_head)

    async def watch_feed_head(self, interval: float) -> AsyncIterator[int]:
        """Pushed, not polled: one connection per server process LISTENs on the feed's channel
        and every committed change announces its id (NOTIFY). The head is read again after
        ``max(interval, 30)`` seconds without news, in case a notification was lost."""
        async for head in listen_for_changes(self.url, self.location, self.feed_head, interval):
            yield head

    # -- administration --------------------------------------------------------------------------
    async def create_account(self, name: str, plan: Plan = "enterprise") -> Account:
        account_id = await self._admin(lambda conn: admin.create_account(conn, name, plan))
        return Account(account_id, name.strip(), plan)

    async def create_user(self, account_id: int, name: str, email: str) -> User:
        user_id = await self._admin(lambda conn: admin.create_user(conn, account_id, name, email))
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
        customer_id = await self._admin(
            lambda conn: admin.create_customer(
                conn, name, network_id, city, contact,
                messaging_enabled=messaging_enabled, trading_with=accounts,
            )
        )  # fmt: skip
        return Customer(customer_id, name, network_id, city, messaging_enabled, contact)

    async def create_customer_contact(
        self, customer_id: int, name: str, email: str
    ) -> CustomerContact:
        contact_id = await self._admin(
            lambda conn: admin.create_customer_contact(conn, customer_id, name, email)
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
        token_id, token = await self._admin(
            lambda conn: admin.issue_token(
                conn, role, user_id=user_id, contact_id=contact_id, accounts=granted, label=label
            )
        )
        return IssuedToken(token_id, token)

    async def revoke_token(self, token_id: int) -> None:
        await self._admin(lambda conn: admin.revoke_token(conn, token_id))

    async def list_tokens(self) -> list[TokenInfo]:
        return await self._run(admin.list_tokens)

    # -- the notification queue ------------------------------------------------------------------
    async def skip_unwanted_notices(self, now: datetime) -> int:
        return await self._run(lambda conn: notices.skip_unwanted(conn, now))

    async def claim_immediate_notices(self, now: datetime, limit: int = 50) -> list[int]:
        return await self._run(lambda conn: notices.claim_immediate(conn, now, limit))

    async def users_due_for_digest(self, now: datetime, hour: int) -> list[int]:
        return await self._run(lambda conn: notices.users_due_for_digest(conn, now, hour))

    async def claim_digest_notices(self, user_id: int, now: datetime, hour: int) -> list[int]:
        return await self._run(lambda conn: notices.claim_digest(conn, user_id, now, hour))

    async def load_notice(self, notice_id: int) -> Notice:
        return await self._run(lambda conn: notices.load(conn, notice_id))

    async def finish_notices(
        self, notice_ids: Sequence[int], state: str, now: datetime, note: str = ""
    ) -> None:
        await self._run(lambda conn: notices.finish(conn, notice_ids, state, now, note))

    async def retry_notices_later(
        self, notice_ids: Sequence[int], error: str, now: datetime
    ) -> None:
        await self._run(lambda conn: notices.retry_later(conn, notice_ids, error, now))

    async def notice_counts(self) -> dict[str, int]:
        return await self._run(notices.counts)

    # -- replies by email ------------------------------------------------------------------------
    async def inbound_mail(self, message_id: str) -> InboundMail | None:
        return await self._run(lambda conn: notices.inbound(conn, message_id))

    async def record_inbound_mail(self, mail: InboundMail) -> None:
        await self._run(lambda conn: notices.record_inbound(conn, mail))

    async def inbound_mail_log(self, *, limit: int = 20) -> list[InboundMail]:
        return await self._run(lambda conn: notices.inbound_log(conn, limit))

    async def notification_addresses(self, user_id: int) -> set[str] | None:
        return await self._run(lambda conn: notices.notification_addresses(conn, user_id))
