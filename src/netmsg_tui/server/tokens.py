"""Who holds a token, asked of the store for many requests at once.

Where the token cache cannot answer (memo.py: every request on PostgreSQL, the first request
after a commit on SQLite), the token must be looked up in the database, and that look-up must
start after the request arrived: a revocation committed before it must refuse it. Requests that
arrive while a look-up is running therefore wait for the next one, and each look-up serves every
token waiting (:meth:`NetworkStore.authenticate_many`: one query, one trip to the store's
thread). Under load, many requests share one query instead of queueing one each for the store's
threads; a lone request waits for nothing more than its own query.

A refused token, or any token of a look-up that failed, is asked again alone
(:meth:`NetworkStore.authenticate`) in the request's own context, so its refusal or the store's
error speaks the request's language and says why (unknown, revoked, holder gone, unreachable).
"""

from __future__ import annotations

import asyncio

from ..model import Principal
from ..store.network import NetworkStore


class TokenLookups:
    def __init__(self, network: NetworkStore) -> None:
        self.network = network
        self._waiting: dict[str, list[asyncio.Future[Principal | None]]] = {}
        self._running: asyncio.Task[None] | None = None

    async def principal(self, token: str) -> Principal:
        """The holder of ``token`` as the database says after this call began. Raises
        Unauthorized, Unavailable."""
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Principal | None] = loop.create_future()
        self._waiting.setdefault(token, []).append(waiter)
        if self._running is None:
            self._running = loop.create_task(self._look_up())
        found = await waiter
        if found is None:
            return await self.network.authenticate(token)  # raises, in this request's language
        return found

    async def _look_up(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, {}
                found: dict[str, Principal | None] = {}
                try:
                    found = await self.network.authenticate_many(list(batch))
                except Exception:  # noqa: S110 - each request then asks alone, and is told why
                    pass
                finally:
                    _answer(batch, found)
        finally:
            self._running = None
            waiting, self._waiting = self._waiting, {}
            _answer(waiting, {})  # stopped (shutdown): those still waiting ask alone


def _answer(
    batch: dict[str, list[asyncio.Future[Principal | None]]], found: dict[str, Principal | None]
) -> None:
    """Wake every waiter of ``batch``: its principal, or None (refused, or not looked up)."""
    for token, waiters in batch.items():
        for waiter in waiters:
            if not waiter.done():  # a request whose client left was cancelled
                waiter.set_result(found.get(token))
