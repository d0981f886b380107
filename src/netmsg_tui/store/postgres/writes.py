"""The PostgreSQL session of the rules of a write: the shared queries
(:class:`~..sql_queries.writes.SQLWrites`) and what PostgreSQL's concurrent writers need that
SQLite's single writer gives for free.

The database's clock is the write's time (one clock for every server process on every machine).
Two advisory locks are held until commit: an idempotency key is locked before it is looked up,
so two requests with one key run one after the other (the second replays the first); and the
change feed's ids are handed out under one lock (:func:`record_change`), so they become visible
in order. A start about a document locks the document's row first.
"""

from __future__ import annotations

from datetime import datetime

from ..rules import ChangeRow, NewMessage
from ..sql_queries.writes import ADD_CHANGE, SQLWrites
from . import search
from .connection import Conn
from .dialect import POSTGRES

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
    change_id = POSTGRES.insert(
        conn, ADD_CHANGE, (account_id, conversation_id, message_id, kind, author_kind)
    )
    conn.execute("SELECT pg_notify(%s, %s)", (FEED_CHANNEL, str(change_id)))


class PostgresWrites(SQLWrites[Conn]):
    def __init__(self, conn: Conn) -> None:
        super().__init__(POSTGRES, conn)

    async def now(self) -> datetime:
        moment: datetime = POSTGRES.value(self.conn, "SELECT clock_timestamp()")
        return moment

    def _lock_key(self, scope: str, key: str) -> None:
        self.conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"{scope}\x1f{key}",)
        )

    def _lock_document(self, document_id: int) -> None:
        # A concurrent start about the same document waits here, then (a new statement, a new
        # snapshot) finds the thread the first one made and adds its message there, instead of
        # breaking the one-thread-per-document index.
        self.conn.execute("SELECT 1 FROM documents WHERE id = %s FOR UPDATE", (document_id,))

    def _index(self, message: NewMessage, message_id: int) -> None:
        m = message
        search.index_message(self.conn, m.account_id, m.conversation_id, message_id, m.body)

    async def add_change(self, change: ChangeRow) -> None:
        record_change(self.conn, *change)
