"""The network-side port (:class:`~netmsg_tui.store.network.NetworkStore`) on PostgreSQL:
:class:`~netmsg_tui.store.sql_network.SqlNetworkStore` with PostgreSQL's dialect.

One connection pool (and its threads) serves the network side and every :meth:`for_user` view
of the supplier port. Administration runs one transaction per operation; the notification queue
is claimed with ``SKIP LOCKED`` (see :mod:`..sql_queries.notices`), so every server process may
run a sender.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import TypeVar

from ...model import Principal
from ..sql_network import SqlNetworkStore
from .connection import Conn
from .dialect import POSTGRES
from .listen import listen_for_changes
from .loop_reads import LoopConnection
from .store import PostgresStore

T = TypeVar("T")


class PostgresNetworkStore(SqlNetworkStore[Conn]):
    """The network in the PostgreSQL database at ``url`` (migrated on first use)."""

    local_folder = None

    def __init__(self, url: str, *, max_connections: int = 8):
        self._supplier = PostgresStore(url, max_connections=max_connections)
        self._db = self._supplier._db
        self.url = url
        self.location = self._db.location
        self._on_loop = LoopConnection(url, self.location)
        super().__init__(self._supplier, POSTGRES)

    async def _run(self, fn: Callable[[Conn], T]) -> T:
        return await self._db.run(fn)

    async def authenticate_many(self, tokens: Sequence[str]) -> dict[str, Principal | None]:
        """On the event loop's own connection (loop_reads.py) once the pool has opened (and
        migrated) the database; from another loop, on the pool's threads."""
        if tokens and self._db.opened and self._on_loop.usable():
            return await self._on_loop.authenticate_many(tokens)
        return await super().authenticate_many(tokens)

    async def close(self) -> None:
        await self._on_loop.close()
        await self._supplier.close()

    async def watch_feed_head(self, interval: float) -> AsyncIterator[int]:
        """Pushed, not polled: one connection per server process LISTENs on the feed's channel
        and every committed change announces its id (NOTIFY). The head is read again after
        ``max(interval, 30)`` seconds without news, in case a notification was lost."""
        async for head in listen_for_changes(self.url, self.location, self.feed_head, interval):
            yield head
