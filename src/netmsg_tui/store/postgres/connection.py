"""The PostgreSQL adapter's connections: a psycopg 3 pool, used from a few worker threads.

The rules of a write (:mod:`netmsg_tui.store.rules`) are synchronous, as the SQLite adapter's
store thread is, so this adapter runs plain (synchronous) psycopg on threads too: the event loop
hands each call to a thread, which takes a pooled connection for it. A pool and its threads belong
to no event loop, so one store serves the server's loop, the TUI's and one ``asyncio.run`` per
CLI command alike. The schema is migrated when the pool first opens.

Connections are in autocommit mode, so a read holds no transaction; every write runs inside
:func:`transaction`. Foreign ``psycopg`` errors are translated into the store's own errors here,
at the edge.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from ...i18n import _
from .. import public_location
from ..base import InvalidInput, StoreError, Unavailable
from .schema import NotNetmsg, migrate

T = TypeVar("T")
Conn = psycopg.Connection[tuple[Any, ...]]


def _configure(conn: Conn) -> None:
    # Times come back in UTC, as the SQLite store gives them, whatever the server's setting.
    conn.execute("SET TIME ZONE 'UTC'")


class Database:
    """A lazily opened connection pool over one PostgreSQL database URL, and the threads that
    use it (as many as the pool has connections)."""

    def __init__(self, url: str, *, max_size: int = 8, timeout: float = 10.0):
        self.url = url
        self.location = public_location(url)
        self.max_size = max_size
        self.timeout = timeout
        self._pool: ConnectionPool[Conn] | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._opening = threading.Lock()

    @property
    def opened(self) -> bool:
        """Whether the pool is open (and so the schema migrated)."""
        return self._pool is not None

    def _open(self) -> ConnectionPool[Conn]:
        with self._opening:
            if self._pool is not None:
                return self._pool
            pool: ConnectionPool[Conn] = ConnectionPool(
                self.url,
                min_size=1,
                max_size=self.max_size,
                open=False,
                timeout=self.timeout,
                kwargs={"autocommit": True},
                configure=_configure,
                name="netmsg",
            )
            try:
                pool.open(wait=True, timeout=self.timeout)
                with pool.connection() as conn:
                    migrate(conn)
            except BaseException:
                pool.close()
                raise
            self._pool = pool
            return pool

    def call(self, fn: Callable[[Conn], T]) -> T:
        """``fn(conn)`` on a pooled connection, in this thread, with errors translated."""
        try:
            with self._open().connection() as conn:
                return fn(conn)
        except StoreError:
            raise
        except NotNetmsg:
            raise Unavailable(
                _("{location} is a PostgreSQL database but not a netmsg message store").format(
                    location=self.location
                )
            ) from None
        except PoolTimeout:
            raise Unavailable(
                _(
                    "Cannot reach the PostgreSQL store {location}: no connection within "
                    "{timeout:g} s (is the server running, the URL right?)"
                ).format(location=self.location, timeout=self.timeout)
            ) from None
        except psycopg.Error as exc:
            raise translate(exc, self.location) from None

    async def run(self, fn: Callable[[Conn], T]) -> T:
        """:meth:`call` on one of the store's threads, so the event loop never waits on I/O."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.max_size, thread_name_prefix="netmsg-pg")
        loop = asyncio.get_running_loop()
        # The caller's context goes along (as in the SQLite adapter): errors speak its language.
        call = contextvars.copy_context().run
        return await loop.run_in_executor(self._executor, call, self.call, fn)

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.get_running_loop().run_in_executor(executor, pool.close)
        if executor is not None:
            executor.shutdown(wait=True)


def translate(exc: psycopg.Error, location: str) -> StoreError:
    if isinstance(exc, psycopg.DataError) and "NUL" in str(exc):
        # SQLite keeps a NUL character in text; PostgreSQL's text type cannot hold one.
        return InvalidInput(_("Text may not contain the NUL character (0x00); nothing was stored"))
    if isinstance(exc, psycopg.OperationalError):
        text = str(exc).strip()
        first = text.splitlines()[0] if text else type(exc).__name__
        return Unavailable(
            _("The PostgreSQL store {location} cannot be used right now: {first}").format(
                location=location, first=first
            )
        )
    return Unavailable(
        _("The PostgreSQL store {location} failed: {exc}").format(location=location, exc=exc)
    )
