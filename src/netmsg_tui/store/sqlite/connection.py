"""The SQLite adapter's connection: one sqlite3 connection used only from one dedicated thread.

Foreign ``sqlite3`` errors are translated into the store's own errors here, at the edge.
"""

from __future__ import annotations

import asyncio
import contextvars
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from ...i18n import _
from ...private_files import private_file
from ..base import StoreError, Unavailable
from .schema import APP_ID, migrate

T = TypeVar("T")
Conn = sqlite3.Connection


class Connection:
    """One sqlite3 connection, used only from one dedicated thread."""

    def __init__(self, path: Path, use_fts: bool, busy_timeout: float = 10.0):
        self.busy_timeout = busy_timeout
        self.path = path
        self.use_fts = use_fts
        self.fts = False
        self._conn: Conn | None = None
        self._executor: ThreadPoolExecutor | None = None

    async def run(self, fn: Callable[[Conn], T]) -> T:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="netmsg-sqlite")
        loop = asyncio.get_running_loop()
        # The caller's context goes along (run_in_executor does not copy it): an error raised on
        # the store thread speaks the language of the request or mail it serves.
        call = contextvars.copy_context().run
        return await loop.run_in_executor(self._executor, call, self._call, fn)

    def _call(self, fn: Callable[[Conn], T]) -> T:
        try:
            return fn(self._connect())
        except StoreError:
            raise
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    def _connect(self) -> Conn:
        if self._conn is not None:
            return self._conn
        if not self.path.parent.exists():
            raise Unavailable(
                _("Cannot open the message store: folder {parent} is missing").format(
                    parent=self.path.parent
                )
            )
        if self.path.is_dir():
            raise Unavailable(
                _("Cannot open the message store: {path} is a folder").format(path=self.path)
            )
        private_file(self.path)  # a new store holds message text: 0600 from the start
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=self.busy_timeout)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            _check_is_netmsg(conn, self.path)
            conn.execute("PRAGMA foreign_keys = ON")
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn, use_fts=self.use_fts)
            self.fts = conn.execute("SELECT value FROM meta WHERE key = 'fts'").fetchone()[0] == "1"
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return conn

    async def close(self) -> None:
        if self._executor is None:
            return
        executor, self._executor = self._executor, None

        def shut() -> None:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

        await asyncio.get_running_loop().run_in_executor(executor, shut)
        executor.shutdown(wait=True)


def _check_is_netmsg(conn: Conn, path: Path) -> None:
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError:
        raise Unavailable(
            _("{path} is not a netmsg message store (not a SQLite database)").format(path=path)
        ) from None
    if not tables:
        return
    app = None
    if "meta" in tables:
        row = conn.execute("SELECT value FROM meta WHERE key = 'app'").fetchone()
        app = row[0] if row else None
    if app != APP_ID:
        raise Unavailable(
            _("{path} is a SQLite database but not a netmsg message store").format(path=path)
        )


def _translate(exc: sqlite3.Error, path: Path) -> StoreError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return Unavailable(
            _("The message store {path} is busy (locked by another program); try again").format(
                path=path
            )
        )
    if "readonly" in text or "read-only" in text:
        return Unavailable(
            _("The message store {path} is read-only; nothing was changed").format(path=path)
        )
    if "not a database" in text or "malformed" in text:
        return Unavailable(
            _("{path} is not a netmsg message store (or it is damaged)").format(path=path)
        )
    if "unable to open" in text:
        return Unavailable(
            _("Cannot open the message store {path}: check the path and permissions").format(
                path=path
            )
        )
    if "disk" in text and "full" in text:
        return Unavailable(_("The disk is full; nothing was stored"))
    return Unavailable(_("The message store {path} failed: {exc}").format(path=path, exc=exc))


@contextmanager
def transaction(conn: Conn) -> Iterator[Conn]:
    """``with transaction(conn):`` runs the block as one write: ``BEGIN IMMEDIATE`` … ``COMMIT``,
    ``ROLLBACK`` if it raises. IMMEDIATE takes the write lock at once, so concurrent writers
    queue on ``busy_timeout`` instead of failing half-way on a read lock they cannot upgrade.

    The one way the SQLite adapter (and its schema migration, its operator writes) opens a write.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
