"""The server's hottest read, on its own event loop: who holds each of a batch of tokens.

Every request of a server process over PostgreSQL needs its token looked up in the database
(after it arrived: a revocation committed before must refuse it), batched by the server
(server/tokens.py). On the pool's threads, each batch was a hop from the event loop to a thread
and back, and the thread's psycopg work competed with the event loop for the GIL: about a sixth
of the event loop's CPU under load. Here the batch runs on one asynchronous connection that
lives on the event loop itself (as the LISTEN connection does): no thread, no hand-over.

The connection belongs to the loop that opened it. Another loop (a CLI command's
``asyncio.run``, a test's) is served by the pool's threads as before, so the store stays usable
from any loop. A broken connection is closed and the next batch opens a new one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Any

import psycopg

from ...model import Principal
from ..base import Unauthorized
from ..network import hash_token, principal_of
from .connection import translate

# One statement, one snapshot: the token's row, its holder, the supplier account's change-feed
# head (the server's ETags) and a support token's granted accounts.
TOKENS_SQL = (
    "SELECT t.token_hash, t.id, t.role, t.user_id, u.account_id, t.contact_id, cc.customer_id,"
    " t.revoked,"
    " (SELECT COALESCE(MAX(c.id), 0) FROM changes c WHERE c.account_id = u.account_id),"
    " CASE WHEN t.role = 'support' THEN"
    " ARRAY(SELECT g.account_id FROM support_grants g WHERE g.token_id = t.id) END"
    " FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id"
    " LEFT JOIN customer_contacts cc ON cc.id = t.contact_id"
    " WHERE t.token_hash = ANY(%s)"
)


def principals(tokens: Sequence[str], rows: list[tuple[Any, ...]]) -> dict[str, Principal | None]:
    """Each token's holder from :data:`TOKENS_SQL`'s rows; None where it is refused."""
    by_hash = {row[0]: row for row in rows}
    found: dict[str, Principal | None] = {}
    for token in tokens:
        row = by_hash.get(hash_token(token))
        try:
            found[token] = principal_of(row[1:9] if row is not None else None, _granted(row))
        except Unauthorized:
            found[token] = None
    return found


def _granted(row: tuple[Any, ...] | None) -> Callable[[int], list[int]]:
    granted: list[int] = list(row[9] or ()) if row is not None else []
    return lambda _token_id: granted


CONNECT_TIMEOUT = 10  # seconds, as the pool waits for a connection


class LoopConnection:
    """One asynchronous connection to ``url`` on the event loop that first asked for it."""

    def __init__(self, url: str, location: str) -> None:
        self.url = url
        self.location = location
        self._loop: asyncio.AbstractEventLoop | None = None
        self._conn: psycopg.AsyncConnection[tuple[Any, ...]] | None = None
        self._opening: asyncio.Lock | None = None

    def usable(self) -> bool:
        """Whether the running loop is this connection's (or none is bound yet)."""
        return self._loop is None or self._loop is asyncio.get_running_loop()

    async def _connection(self) -> psycopg.AsyncConnection[tuple[Any, ...]]:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self._opening = asyncio.Lock()
        assert self._opening is not None
        async with self._opening:
            if self._conn is None or self._conn.closed:
                self._conn = await psycopg.AsyncConnection.connect(
                    self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT
                )
            return self._conn

    async def authenticate_many(self, tokens: Sequence[str]) -> dict[str, Principal | None]:
        """Raises Unavailable. A connection that broke since its last use (the database
        restarted, the backend was ended) is replaced and asked again at once: a read."""
        hashes = [hash_token(t) for t in tokens]
        while True:
            fresh = self._conn is None or self._conn.closed
            try:
                conn = await self._connection()
                cur = await conn.execute(TOKENS_SQL, (hashes,))
                rows = await cur.fetchall()
            except psycopg.Error as exc:
                await self._drop()
                if fresh or not isinstance(exc, psycopg.OperationalError):
                    raise translate(exc, self.location) from None
                continue  # once: the next connection is a fresh one
            return principals(tokens, rows)

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.closed:
            with contextlib.suppress(psycopg.Error):
                await conn.close()

    async def close(self) -> None:
        if self._loop is not None and self._loop is asyncio.get_running_loop():
            await self._drop()
        self._conn = None
