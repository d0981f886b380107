"""The network-side port (:class:`~netmsg_tui.store.network.NetworkStore`) on one SQLite file:
:class:`~netmsg_tui.store.sql_network.SqlNetworkStore` with SQLite's dialect.

Two connections, each on its own thread: the supplier store's (:class:`SQLiteStore`, shared by
every :meth:`for_user` view; the writes of messages) and a query connection of the network's own
(token look-ups, customer views, the feed head, audit, administration, the mail queue), so a
server's authentication and customer reads never wait behind the supplier-side store thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ...i18n import _
from ..base import Unavailable
from ..sql_network import SqlNetworkStore
from .connection import Conn, Connection
from .dialect import SQLITE
from .store import SQLiteStore

T = TypeVar("T")


class SQLiteNetworkStore(SqlNetworkStore[Conn]):
    """The network in the SQLite file at ``path``. ``create``: make (and migrate) the file when it
    is missing, as the server does; otherwise a missing file answers Unavailable (the mail
    gateway: the MTA then keeps the mail and retries)."""

    def __init__(self, path: str | Path, *, create: bool = True, busy_timeout: float = 10.0):
        self.path = Path(path)
        self.location = str(self.path)
        self.local_folder = self.path.parent
        self._create = create
        self._supplier = SQLiteStore(self.path, busy_timeout=busy_timeout)
        self._query = Connection(self.path, use_fts=True, busy_timeout=busy_timeout)
        self._stamp: sqlite3.Connection | None = None
        super().__init__(self._supplier, SQLITE)

    def change_stamp(self) -> int | None:
        """``PRAGMA data_version`` of a connection that never writes: SQLite changes it for
        every commit of any other connection, in any process (WAL's shared-memory index, no disk
        read). A few microseconds, so the server reads it on its event loop for every request.
        None until the file exists, or when SQLite is busy (the caller then asks the store)."""
        if self._stamp is None:
            if not self.path.is_file():
                return None
            try:
                # timeout 0: never wait on the event loop; check_same_thread off because one
                # server's loop may run on a thread that is not the one that made this object.
                self._stamp = sqlite3.connect(self.path, timeout=0, check_same_thread=False)
            except sqlite3.Error:
                return None
        try:
            return int(self._stamp.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None

    async def _run(self, fn: Callable[[Conn], T]) -> T:
        if not self._create and not self.path.is_file():
            raise Unavailable(_("No message store at {path}").format(path=self.path))
        return await self._query.run(fn)

    async def close(self) -> None:
        if self._stamp is not None:
            self._stamp.close()
            self._stamp = None
        await self._supplier.close()
        await self._query.close()
