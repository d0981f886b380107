"""The SQLite queries behind the rules of a write (:class:`~netmsg_tui.store.rules.WriteSession`).

Only queries: every check and decision is in :mod:`netmsg_tui.store.rules`. Used inside one
``transaction(conn)`` on the store thread. The methods are ``async`` to fit the session
protocol but never wait (sqlite3 is synchronous): the store drives them with ``rules.run_now``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from ...model import AuthorKind, Conversation, Customer, Document, Identity
from ..rules import ChangeKind, CustomerThread, NewMessage, Remembered, Written
from . import queries as q
from . import rows as rows
from . import search as search

_CLEAR_UNREAD = (
    "UPDATE unread SET count = 0 WHERE user_id = ? AND conversation_id = ? AND count > 0"
)


class SQLiteWrites:
    """A :class:`~netmsg_tui.store.rules.WriteSession` over one connection (``fts``: the file
    has the full-text tables, so a new message is indexed)."""

    def __init__(self, conn: sqlite3.Connection, fts: bool) -> None:
        self.conn = conn
        self.fts = fts

    # -- reads --------------------------------------------------------------------------------
    async def now(self) -> datetime:
        return datetime.now(UTC)

    async def remembered(self, scope: str, key: str) -> Remembered | None:
        row = self.conn.execute(
            "SELECT conversation_id, message_id, fingerprint FROM idempotency "
            "WHERE scope = ? AND key = ?",
            (scope, key),
        ).fetchone()
        return None if row is None else Remembered(row[0], row[1], row[2])

    async def customer(self, me: Identity, customer_id: int) -> Customer:
        return q.get_customer(self.conn, me, customer_id)

    async def document(self, me: Identity, document_id: int) -> Document:
        return rows.document(q.get_document(self.conn, me, document_id))

    async def document_thread_id(self, document_id: int) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM conversations WHERE document_id = ?", (document_id,)
        ).fetchone()
        return None if row is None else int(row[0])

    async def conversation(self, me: Identity, conversation_id: int) -> Conversation:
        return q.get_conversation(self.conn, me, conversation_id)

    async def customer_thread(self, conversation_id: int) -> CustomerThread | None:
        row = self.conn.execute(
            "SELECT v.account_id, v.customer_id, cu.name, cu.contact_name "
            "FROM conversations v JOIN customers cu ON cu.id = v.customer_id WHERE v.id = ?",
            (conversation_id,),
        ).fetchone()
        return None if row is None else CustomerThread(row[0], row[1], row[2], row[3])

    async def contact_name(self, customer_id: int, contact_id: int) -> str | None:
        row = self.conn.execute(
            "SELECT name FROM customer_contacts WHERE id = ? AND customer_id = ?",
            (contact_id, customer_id),
        ).fetchone()
        return None if row is None else str(row[0])

    async def reply_email_settings(self, account_id: int) -> Sequence[tuple[int, bool | None]]:
        found = self.conn.execute(
            "SELECT u.id, p.email_on_reply FROM users u "
            "LEFT JOIN notification_prefs p ON p.user_id = u.id WHERE u.account_id = ?",
            (account_id,),
        ).fetchall()
        return [(r[0], None if r[1] is None else bool(r[1])) for r in found]

    # -- writes -------------------------------------------------------------------------------
    async def add_conversation(
        self, me: Identity, customer_id: int, document_id: int | None, subject: str, at: datetime
    ) -> int:
        now = rows.timestamp(at)
        conversation_id = self.conn.execute(
            "INSERT INTO conversations(account_id, customer_id, document_id, subject,"
            " created, last_activity) VALUES (?, ?, ?, ?, ?, ?)",
            (me.account.id, customer_id, document_id, subject, now, now),
        ).lastrowid
        assert conversation_id is not None
        return conversation_id

    async def add_message(self, message: NewMessage) -> int:
        conn, m, now = self.conn, message, rows.timestamp(message.sent_at)
        message_id = conn.execute(
            "INSERT INTO messages(conversation_id, author_kind, author_user_id, author_name,"
            " body, sent_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (m.conversation_id, m.author_kind, m.author_user_id, m.author_name, m.body, now,
             m.origin),
        ).lastrowid  # fmt: skip
        assert message_id is not None
        if self.fts:
            search.index_message(conn, m.account_id, m.conversation_id, message_id, m.body)
        for file in m.files:
            att = file.attachment
            conn.execute(
                "INSERT INTO blobs(sha256, size, data) VALUES (?, ?, ?) "
                "ON CONFLICT(sha256) DO NOTHING",
                (file.sha256, len(att.data), att.data),
            )
            conn.execute(
                "INSERT INTO attachments(message_id, filename, size, media_type, sha256) "
                "VALUES (?, ?, ?, ?, ?)",
                (message_id, att.filename, len(att.data), att.media_type, file.sha256),
            )
        conn.execute(
            "UPDATE conversations SET last_activity = ?, message_count = message_count + 1,"
            " last_preview = ? WHERE id = ?",
            (now, m.preview, m.conversation_id),
        )
        conn.execute(
            "UPDATE unread SET last_activity = ? WHERE conversation_id = ?",
            (now, m.conversation_id),
        )
        return message_id

    async def add_unread(self, account_id: int, conversation_id: int, at: datetime) -> None:
        self.conn.execute(
            "INSERT INTO unread(user_id, conversation_id, count, last_activity) "
            "SELECT id, ?, 1, ? FROM users WHERE account_id = ? "
            "ON CONFLICT(user_id, conversation_id) DO UPDATE SET count = count + 1",
            (conversation_id, rows.timestamp(at), account_id),
        )

    async def clear_unread(self, user_id: int, conversation_id: int) -> bool:
        cleared = self.conn.execute(_CLEAR_UNREAD, (user_id, conversation_id)).rowcount
        return cleared > 0

    async def queue_notification(
        self, user_id: int, conversation_id: int, message_id: int, at: datetime
    ) -> None:
        now = rows.timestamp(at)
        self.conn.execute(
            "INSERT INTO notification_outbox(user_id, conversation_id, message_id, created,"
            " next_attempt) VALUES (?, ?, ?, ?, ?)",
            (user_id, conversation_id, message_id, now, now),
        )

    async def remember(self, scope: str, key: str, written: Written, fingerprint: str) -> None:
        self.conn.execute(
            "INSERT INTO idempotency VALUES (?, ?, ?, ?, ?)",
            (scope, key, written.conversation_id, written.message_id, fingerprint),
        )

    async def add_change(
        self,
        account_id: int,
        conversation_id: int,
        message_id: int | None,
        kind: ChangeKind,
        author_kind: AuthorKind | None,
    ) -> None:
        q.change(self.conn, account_id, conversation_id, message_id, kind, author_kind)
