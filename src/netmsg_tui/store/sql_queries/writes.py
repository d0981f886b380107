"""The queries behind the rules of a write (:class:`~netmsg_tui.store.rules.WriteSession`), once
for every SQL engine.

Only queries: every check and decision is in :mod:`netmsg_tui.store.rules`. Used inside one
write transaction on the adapter's thread; the methods are ``async`` as the rules ask but never
wait (both drivers are used synchronously), so the store drives the rules with
:func:`~netmsg_tui.store.rules.run_now`. An engine subclasses :class:`SQLWrites` for what it does
its own way: the clock, locks its concurrent writers need, the search index, the change feed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Generic, TypeVar

from ...model import Conversation, Customer, Document, Identity
from .. import sql
from ..rules import ChangeRow, CustomerThread, NewMessage, Remembered, Written
from .dialect import Dialect
from .lookups import Lookups

C = TypeVar("C")

_ADD_MESSAGE = (
    "INSERT INTO messages(conversation_id, author_kind, author_user_id, author_name, body,"
    " sent_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_ADD_UNREAD = (
    "INSERT INTO unread(user_id, conversation_id, count, last_activity) "
    "SELECT id, ?, 1, ? FROM users WHERE account_id = ? "
    "ON CONFLICT (user_id, conversation_id) DO UPDATE SET count = unread.count + 1"
)
ADD_CHANGE = (
    "INSERT INTO changes(account_id, conversation_id, message_id, kind, author_kind) "
    "VALUES (?, ?, ?, ?, ?)"
)


class SQLWrites(Generic[C]):
    """A :class:`~netmsg_tui.store.rules.WriteSession` over one connection in a transaction."""

    def __init__(self, db: Dialect[C], conn: C) -> None:
        self.db = db
        self.conn = conn
        self.look = Lookups(db)

    # -- what an engine may do its own way ------------------------------------------------------
    def _lock_key(self, scope: str, key: str) -> None:
        """Make a second request with this key wait until this one commits."""

    def _lock_document(self, document_id: int) -> None:
        """Make a second start about this document wait until this one commits."""

    def _index(self, message: NewMessage, message_id: int) -> None:
        """Add the new message to the full-text index."""

    # -- reads ----------------------------------------------------------------------------------
    async def now(self) -> datetime:
        return datetime.now(UTC)

    async def remembered(self, scope: str, key: str) -> Remembered | None:
        self._lock_key(scope, key)
        row = self.db.one(
            self.conn,
            "SELECT conversation_id, message_id, fingerprint FROM idempotency "
            "WHERE scope = ? AND key = ?",
            (scope, key),
        )
        return None if row is None else Remembered(row[0], row[1], row[2])

    async def customer(self, me: Identity, customer_id: int) -> Customer:
        return self.look.customer(self.conn, me, customer_id)

    async def document(self, me: Identity, document_id: int) -> Document:
        return sql.document(self.look.document_row(self.conn, me, document_id))

    async def document_thread_id(self, document_id: int) -> int | None:
        self._lock_document(document_id)
        row = self.db.one(
            self.conn, "SELECT id FROM conversations WHERE document_id = ?", (document_id,)
        )
        return None if row is None else int(row[0])

    async def conversation(self, me: Identity, conversation_id: int) -> Conversation:
        return self.look.conversation(self.conn, me, conversation_id)

    async def customer_thread(self, conversation_id: int) -> CustomerThread | None:
        row = self.db.one(
            self.conn,
            "SELECT v.account_id, v.customer_id, cu.name, cu.contact_name "
            "FROM conversations v JOIN customers cu ON cu.id = v.customer_id WHERE v.id = ?",
            (conversation_id,),
        )
        return None if row is None else CustomerThread(row[0], row[1], row[2], row[3])

    async def contact_name(self, customer_id: int, contact_id: int) -> str | None:
        row = self.db.one(
            self.conn,
            "SELECT name FROM customer_contacts WHERE id = ? AND customer_id = ?",
            (contact_id, customer_id),
        )
        return None if row is None else str(row[0])

    async def reply_email_settings(self, account_id: int) -> Sequence[tuple[int, bool | None]]:
        found = self.db.all(
            self.conn,
            "SELECT u.id, p.email_on_reply FROM users u LEFT JOIN notification_prefs p "
            "ON p.user_id = u.id WHERE u.account_id = ? ORDER BY u.id",
            (account_id,),
        )
        return [(int(r[0]), None if r[1] is None else bool(r[1])) for r in found]

    # -- writes ---------------------------------------------------------------------------------
    async def add_conversation(
        self, me: Identity, customer_id: int, document_id: int | None, subject: str, at: datetime
    ) -> int:
        now = self.db.time(at)
        return self.db.insert(
            self.conn,
            "INSERT INTO conversations(account_id, customer_id, document_id, subject, created,"
            " last_activity) VALUES (?, ?, ?, ?, ?, ?)",
            (me.account.id, customer_id, document_id, subject, now, now),
        )

    async def add_message(self, message: NewMessage) -> int:
        db, conn, m, now = self.db, self.conn, message, self.db.time(message.sent_at)
        message_id = db.insert(
            conn,
            _ADD_MESSAGE,
            (m.conversation_id, m.author_kind, m.author_user_id, m.author_name, m.body, now,
             m.origin),
        )  # fmt: skip
        self._index(m, message_id)
        for file in m.files:
            att = file.attachment
            db.execute(
                conn,
                "INSERT INTO blobs(sha256, size, data) VALUES (?, ?, ?) "
                "ON CONFLICT (sha256) DO NOTHING",
                (file.sha256, len(att.data), att.data),
            )
            db.execute(
                conn,
                "INSERT INTO attachments(message_id, filename, size, media_type, sha256) "
                "VALUES (?, ?, ?, ?, ?)",
                (message_id, att.filename, len(att.data), att.media_type, file.sha256),
            )
        db.execute(
            conn,
            "UPDATE conversations SET last_activity = ?, message_count = message_count + 1,"
            " last_preview = ? WHERE id = ?",
            (now, m.preview, m.conversation_id),
        )
        db.execute(
            conn,
            "UPDATE unread SET last_activity = ? WHERE conversation_id = ?",
            (now, m.conversation_id),
        )
        return message_id

    async def add_unread(self, account_id: int, conversation_id: int, at: datetime) -> None:
        self.db.execute(self.conn, _ADD_UNREAD, (conversation_id, self.db.time(at), account_id))

    async def clear_unread(self, user_id: int, conversation_id: int) -> bool:
        cleared = self.db.execute(
            self.conn,
            "UPDATE unread SET count = 0 WHERE user_id = ? AND conversation_id = ? AND count > 0",
            (user_id, conversation_id),
        ).rowcount
        return cleared > 0

    async def queue_notification(
        self, user_id: int, conversation_id: int, message_id: int, at: datetime
    ) -> None:
        now = self.db.time(at)
        self.db.execute(
            self.conn,
            "INSERT INTO notification_outbox(user_id, conversation_id, message_id, created,"
            " next_attempt) VALUES (?, ?, ?, ?, ?)",
            (user_id, conversation_id, message_id, now, now),
        )

    async def remember(self, scope: str, key: str, written: Written, fingerprint: str) -> None:
        self.db.execute(
            self.conn,
            "INSERT INTO idempotency VALUES (?, ?, ?, ?, ?)",
            (scope, key, written.conversation_id, written.message_id, fingerprint),
        )

    async def add_change(self, change: ChangeRow) -> None:
        self.db.execute(self.conn, ADD_CHANGE, change)
