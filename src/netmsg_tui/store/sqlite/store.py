"""SQLite adapter: the embedded default store, and the server's backend.

One connection lives on one dedicated thread; the async methods hand work to it, so the event
loop never blocks on the disk. WAL mode lets other processes read while one writes; every write
runs in ``transaction(conn)`` (``BEGIN IMMEDIATE``), so concurrent writers queue on
``busy_timeout`` instead of failing half-way. A crash mid-write leaves nothing behind: SQLite
rolls the transaction back. The port's reads and writes are shared with every SQL adapter
(:class:`~..sql_store.SQLStore`); this class brings the connection and the search.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ...model import Conversation, Identity, Page
from ..sql_queries.drafts import Drafts
from ..sql_queries.lookups import Lookups
from ..sql_queries.templates import Templates
from ..sql_reads import Filter
from ..sql_store import SQLStore
from ..support_reads import SupportReads
from . import search
from .connection import Connection
from .dialect import SQLITE
from .writes import SQLiteWrites

T = TypeVar("T")
Conn = sqlite3.Connection


class SQLiteStore(SQLStore[Conn], SupportReads[Conn]):
    """A message store in one SQLite file, acting for ``user_id`` (default: the first user).

    :meth:`as_user` gives a view for another user that shares this connection (the server uses
    it per request). Customer-side writes (:meth:`add_customer_reply`) are the network's own
    operations, used by the server's customer role, the mail gateway and the demo.
    """

    _dialect = SQLITE
    _look = Lookups(SQLITE)
    _drafts = Drafts(SQLITE)
    _templates = Templates(SQLITE)

    def __init__(
        self,
        path: str | Path,
        user_id: int | None = None,
        *,
        use_fts: bool = True,
        busy_timeout: float = 10.0,
    ):
        self.path = Path(path)
        self.location = str(self.path)
        self._user_id = user_id
        self._shared = Connection(self.path, use_fts, busy_timeout)

    async def _run(self, fn: Callable[[Conn], T]) -> T:
        return await self._shared.run(fn)

    async def close(self) -> None:
        await self._shared.close()

    def _session(self, conn: Conn) -> SQLiteWrites:
        return SQLiteWrites(conn, self._shared.fts)

    def _search(
        self, conn: Conn, me: Identity, query: str, where: Filter, cursor: str | None, limit: int
    ) -> Page[Conversation] | Filter:
        if self._shared.fts:
            return search.search(conn, me, query, where, cursor, limit)
        hits, args = search.like_hits(query)
        return f" AND v.id IN ({hits})", args

    def _documents_matching(self, conn: Conn, account_id: int, text: str) -> tuple[str, list[Any]]:
        return search.documents_matching(conn, account_id, text)
