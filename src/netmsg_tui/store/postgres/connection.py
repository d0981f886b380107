"""The PostgreSQL adapter's connections: one psycopg 3 async pool per store, opened on first use.

The pool is opened in the event loop that first uses the store (psycopg's async pool belongs to
one loop); the schema is migrated then, once. Connections are in autocommit mode, so a read
holds no transaction; every write runs inside ``async with conn.transaction()``.

Foreign ``psycopg`` errors are translated into the store's own errors here, at the edge.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from ..base import StoreError, Unavailable
from .schema import NotNetmsg, migrate_async

T = TypeVar("T")
Conn = psycopg.AsyncConnection[tuple[Any, ...]]


def public_location(url: str) -> str:
    """The URL without its password: what the TUI header and error messages may show."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


async def _configure(conn: Conn) -> None:
    # Times come back in UTC, as the SQLite store gives them, whatever the server's setting.
    await conn.execute("SET TIME ZONE 'UTC'")


class Database:
    """A lazily opened connection pool over one PostgreSQL database URL."""

    def __init__(self, url: str, *, max_size: int = 10, timeout: float = 10.0):
        self.url = url
        self.location = public_location(url)
        self.max_size = max_size
        self.timeout = timeout
        self._pool: AsyncConnectionPool[Conn] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._opening: asyncio.Lock | None = None

    async def _open(self) -> AsyncConnectionPool[Conn]:
        loop = asyncio.get_running_loop()
        if self._pool is not None and self._loop is loop:
            return self._pool
        if self._opening is None or self._loop is not loop:
            # A pool (and its lock) belongs to one event loop; a store used from a new loop
            # (one asyncio.run per CLI command) opens a new pool there.
            self._opening, self._loop, self._pool = asyncio.Lock(), loop, None
        async with self._opening:
            if self._pool is not None:
                return self._pool
            pool: AsyncConnectionPool[Conn] = AsyncConnectionPool(
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
                await pool.open(wait=True, timeout=self.timeout)
                async with pool.connection() as conn:
                    await migrate_async(conn)
            except BaseException:
                await pool.close()
                raise
            self._pool = pool
            return pool

    async def run(self, fn: Callable[[Conn], Awaitable[T]]) -> T:
        """``await fn(conn)`` on a pooled connection, with errors translated."""
        try:
            pool = await self._open()
            async with pool.connection() as conn:
                return await fn(conn)
        except StoreError:
            raise
        except NotNetmsg:
            raise Unavailable(
                f"{self.location} is a PostgreSQL database but not a netmsg message store"
            ) from None
        except PoolTimeout:
            raise Unavailable(
                f"Cannot reach the PostgreSQL store {self.location}: no connection within "
                f"{self.timeout:g} s (is the server running, the URL right?)"
            ) from None
        except psycopg.Error as exc:
            raise translate(exc, self.location) from None

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None and self._loop is asyncio.get_running_loop():
            await pool.close()


def translate(exc: psycopg.Error, location: str) -> StoreError:
    if isinstance(exc, psycopg.OperationalError):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Unavailable(f"The PostgreSQL store {location} cannot be used right now: {first}")
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return Unavailable(f"The PostgreSQL store {location} refused: {exc}")
    return Unavailable(f"The PostgreSQL store {location} failed: {exc}")
