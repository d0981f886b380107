"""PostgreSQL adapter: the network's store when it outgrows one machine.

Several server processes (on several machines) share one database. Each store keeps a psycopg 3
connection pool; reads run in autocommit, every write in one transaction. The port's reads and
writes are shared with every SQL adapter (:class:`~..sql_store.SQLStore`), keyset paged with the
SQLite store's cursors; search is PostgreSQL's text search (see :mod:`.search`). :meth:`watch` is
pushed by the database (LISTEN/NOTIFY, see :mod:`.listen`), not a poll of the change feed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from ...model import ChangeBatch, Conversation, Identity, Page
from ..sql_queries.drafts import Drafts
from ..sql_queries.lookups import Lookups
from ..sql_queries.templates import Templates
from ..sql_reads import Filter
from ..sql_store import SQLStore
from ..support_reads import SupportReads
from . import search
from .connection import Conn, Database
from .dialect import POSTGRES
from .listen import listen_for_changes
from .writes import PostgresWrites

T = TypeVar("T")


class PostgresStore(SQLStore[Conn], SupportReads[Conn]):
    """A message store in one PostgreSQL database (``postgresql://user@host:port/db``), acting
    for ``user_id`` (default: the first user). :meth:`as_user` gives a view for another user
    that shares this store's pool (the server uses it per request)."""

    _dialect = POSTGRES
    pushes_changes = True  # watch() is LISTEN/NOTIFY
    _look = Lookups(POSTGRES)
    _drafts = Drafts(POSTGRES)
    _templates = Templates(POSTGRES)

    def __init__(self, url: str, user_id: int | None = None, *, max_connections: int = 10):
        self._db = Database(url, max_size=max_connections)
        self.url = url
        self.location = self._db.location
        self._user_id = user_id

    async def _run(self, fn: Callable[[Conn], T]) -> T:
        return await self._db.run(fn)

    async def close(self) -> None:
        await self._db.close()

    def _session(self, conn: Conn) -> PostgresWrites:
        return PostgresWrites(conn)

    def _search(
        self, conn: Conn, me: Identity, query: str, where: Filter, cursor: str | None, limit: int
    ) -> Page[Conversation] | Filter:
        return search.search(conn, me, query, where, cursor, limit)

    def _documents_matching(self, conn: Conn, account_id: int, text: str) -> tuple[str, list[Any]]:
        return search.documents_matching(account_id, text)

    async def watch(self, cursor: int | None = None) -> AsyncIterator[ChangeBatch]:
        """Follow this account's changes, woken by the database: one listening connection per
        watch; every committed change announces its id (NOTIFY), whichever process or machine
        wrote it, and only then is the feed read. Without news the feed is read again every
        30 s anyway, in case a notification was lost. Raises Unavailable (the connection failed
        or broke), Unauthorized."""
        batch: ChangeBatch | None = None
        heads = listen_for_changes(self.url, self.location, self._feed_head, self.watch_interval)
        try:
            async for _head in heads:  # the first comes after LISTEN: nothing is missed
                if batch is None:
                    batch = await self.changes_since(cursor)
                    yield batch
                    continue
                while (batch := await self.changes_since(batch.cursor)).changes:
                    yield batch  # and read again at once: a full batch may have more behind it
        finally:
            await heads.aclose()

    async def _feed_head(self) -> int:
        return await self._run(self._look.feed_head)
