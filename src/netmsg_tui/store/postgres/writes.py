"""The PostgreSQL queries behind the rules of a write (:class:`.rules.WriteSession`).

Only queries: every check and decision is in :mod:`netmsg_tui.store.rules`. Used inside one
transaction (``with conn.transaction():``) on a store thread, with plain (synchronous) psycopg:
the session's methods are ``async`` as the rules ask, but never wait, so the store drives the
rules with :func:`~netmsg_tui.store.rules.run_now` there.

Two things PostgreSQL needs that SQLite's single writer gives for free, both advisory locks held
until commit: an idempotency key is locked before it is looked up, so two requests with one key
run one after the other (the second replays the first); and the change feed's ids are handed out
under one lock (:func:`record_change`), so they become visible in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ...model import AuthorKind, Conversation, Customer, Document, Identity
from ..rules import ChangeKind, CustomerThread, NewMessage, Remembered, Written
from . import queries as q
from . import rows, search
from .connection import Conn

# Any fixed number: the advisory lock that orders the change feed (see record_change).
CHANGE_LOCK = 0x6E6D6366
# The LISTEN/NOTIFY channel on which each new change id is announced.
FEED_CHANNEL = "netmsg_changes"


def record_change(
    conn: Conn,
    account_id: int,
    conversation_id: int,
    message_id: int | None,
    kind: str,
    author_kind: str | None,
) -> None:
    """Add a change feed entry, and tell every listening server process (NOTIFY, delivered at
    commit). An identity is handed out before commit, so with concurrent writers id 11 could be
    visible while id 10 is not yet, and a reader whose cursor passed 11 would never see 10. The
    lock taken here is held until commit: ids commit, and are announced, in order."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (CHANGE_LOCK,))
    row = conn.execute(
        "INSERT INTO changes(account_id, conversation_id, message_id, kind, author_kind) "
        "VALUES (%s, %s, %s, %s, %s) RETURNING id",
        (account_id, conversation_id, message_id, kind, author_kind),
    ).fetchone()
    assert row is not None
    conn.execute("SELECT pg_notify(%s, %s)", (FEED_CHANNEL, str(row[0])))


def _new_id(conn: Conn, sql: str, args: tuple[object, ...]) -> int:
    row = conn.execute(sql, args).fetchone()
    assert row is not None
    return int(row[0])


class PostgresWrites:
    """A :class:`~netmsg_tui.store.rules.WriteSession` over one connection in a transaction."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    # -- reads --------------------------------------------------------------------------------
    async def now(self) -> datetime:
        """The database's clock: one clock for every server process on every machine."""
        row = q.one(self.conn, "SELECT clock_timestamp()", ())
        assert row is not None
        moment: datetime = row[0]
        return moment

    async def remembered(self, scope: str, key: str) -> Remembered | None:
        self.conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"{scope}\x1f{key}",)
        )
        row = q.one(
            self.conn,
            "SELECT conversation_id, message_id, fingerprint FROM idempotency "
            "WHERE scope = %s AND key = %s",
            (scope, key),
        )
        return None if row is None else Remembered(row[0], row[1], row[2])

    async def customer(self, me: Identity, customer_id: int) -> Customer:
        return q.get_customer(self.conn, me, customer_id)

    async def document(self, me: Identity, document_id: int) -> Document:
        return rows.document(q.get_document_row(self.conn, me, document_id))

    async def document_thread_id(self, document_id: int) -> int | None:
        # The document's row is locked first: a concurrent start about the same document waits
        # here, then (a new statement, a new snapshot) finds the thread the first one made and
        # adds its message there, instead of breaking the one-thread-per-document index.
        self.conn.execute("SELECT 1 FROM documents WHERE id = %s FOR UPDATE", (document_id,))
        row = q.one(
            self.conn, "SELECT id FROM conversations WHERE document_id = %s", (document_id,)
        )
        return None if row is None else int(row[0])

    async def conversation(self, me: Identity, conversation_id: int) -> Conversation:
        return q.get_conversation(self.conn, me, conversation_id)

    async def customer_thread(self, conversation_id: int) -> CustomerThread | None:
        row = q.one(
            self.conn,
            "SELECT v.account_id, v.customer_id, cu.name, cu.contact_name "
            "FROM conversations v JOIN customers cu ON cu.id = v.customer_id WHERE v.id = %s",
            (conversation_id,),
        )
        return None if row is None else CustomerThread(row[0], row[1], row[2], row[3])

    async def contact_name(self, customer_id: int, contact_id: int) -> str | None:
        row = q.one(
            self.conn,
            "SELECT name FROM customer_contacts WHERE id = %s AND customer_id = %s",
            (contact_id, customer_id),
        )
        return None if row is None else str(row[0])

    async def reply_email_settings(self, account_id: int) -> Sequence[tuple[int, bool | None]]:
        found = q.many(
            self.conn,
            "SELECT u.id, p.email_on_reply FROM users u "
            "LEFT JOIN notification_prefs p ON p.user_id = u.id WHERE u.account_id = %s "
            "ORDER BY u.id",
            (account_id,),
        )
        return [(int(r[0]), r[1]) for r in found]

    # -- writes -------------------------------------------------------------------------------
    async def add_conversation(
        self, me: Identity, customer_id: int, document_id: int | None, subject: str, at: datetime
    ) -> int:
        conversation_id = _new_id(
            self.conn,
            "INSERT INTO conversations(account_id, customer_id, document_id, subject, created,"
            " last_activity) VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
            (me.account.id, customer_id, document_id, subject, at, at),
        )
        return conversation_id

    async def add_message(self, message: NewMessage) -> int:
        conn, m = self.conn, message
        message_id = _new_id(
            conn,
            "INSERT INTO messages(conversation_id, author_kind, author_user_id, author_name,"
            " body, sent_at, origin) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
            (m.conversation_id, m.author_kind, m.author_user_id, m.author_name, m.body,
             m.sent_at, m.origin),
        )  # fmt: skip
        search.index_message(conn, m.account_id, m.conversation_id, message_id, m.body)
        for file in m.files:
            att = file.attachment
            conn.execute(
                "INSERT INTO blobs(sha256, size, data) VALUES (%s, %s, %s) "
                "ON CONFLICT (sha256) DO NOTHING",
                (file.sha256, len(att.data), att.data),
            )
            conn.execute(
                "INSERT INTO attachments(message_id, filename, size, media_type, sha256) "
                "VALUES (%s, %s, %s, %s, %s)",
                (message_id, att.filename, len(att.data), att.media_type, file.sha256),
            )
        conn.execute(
            "UPDATE conversations SET last_activity = %s, message_count = message_count + 1,"
            " last_preview = %s WHERE id = %s",
            (m.sent_at, m.preview, m.conversation_id),
        )
        conn.execute(
            "UPDATE unread SET last_activity = %s WHERE conversation_id = %s",
            (m.sent_at, m.conversation_id),
        )
        return message_id

    async def add_unread(self, account_id: int, conversation_id: int, at: datetime) -> None:
        self.conn.execute(
            "INSERT INTO unread(user_id, conversation_id, count, last_activity) "
            "SELECT id, %s, 1, %s FROM users WHERE account_id = %s "
            "ON CONFLICT (user_id, conversation_id) DO UPDATE SET count = unread.count + 1",
            (conversation_id, at, account_id),
        )

    async def queue_notification(
        self, user_id: int, conversation_id: int, message_id: int, at: datetime
    ) -> None:
        self.conn.execute(
            "INSERT INTO notification_outbox(user_id, conversation_id, message_id, created,"
            " next_attempt) VALUES (%s, %s, %s, %s, %s)",
            (user_id, conversation_id, message_id, at, at),
        )

    async def remember(self, scope: str, key: str, written: Written, fingerprint: str) -> None:
        self.conn.execute(
            "INSERT INTO idempotency VALUES (%s, %s, %s, %s, %s)",
            (scope, key, written.conversation_id, written.message_id, fingerprint),
        )

    async def clear_unread(self, user_id: int, conversation_id: int) -> bool:
        cur = self.conn.execute(
            "UPDATE unread SET count = 0 WHERE user_id = %s AND conversation_id = %s AND count > 0",
            (user_id, conversation_id),
        )
        return cur.rowcount > 0

    async def add_change(
        self,
        account_id: int,
        conversation_id: int,
        message_id: int | None,
        kind: ChangeKind,
        author_kind: AuthorKind | None,
    ) -> None:
        record_change(self.conn, account_id, conversation_id, message_id, kind, author_kind)
