"""Who holds a token, asked of the store for many requests at once.

Where the token cache cannot answer (memo.py: every request on PostgreSQL, the first request
after a commit on SQLite), the token must be looked up in the database, and that look-up must
start after the request arrived: a revocation committed before it must refuse it. Requests that
arrive while a look-up is running therefore wait for the next one, and each look-up serves every
token waiting (:meth:`NetworkStore.authenticate_many`: one query, one trip to the store's
thread). Under load, many requests share one query instead of queueing one each for the store's
threads; a lone request waits for nothing more than its own query.

A refused token is asked again alone (:meth:`NetworkStore.authenticate`) in the request's own
context, so its refusal speaks the request's language and says why (unknown, revoked, holder
gone). When the look-up itself fails (the store unreachable), the requests that speak the
language of the error are told at once (not after a second wait for the store), the others ask
alone.
"""

from __future__ import annotations

import asyncio

from ..i18n import language
from ..model import Principal
from ..store.base import StoreError
from ..store.network import NetworkStore

Waiter = tuple[str, "asyncio.Future[Principal | None]"]  # the request's language, its answer


class TokenLookups:
    def __init__(self, network: NetworkStore) -> None:
        self.network = network
        self._waiting: dict[str, list[Waiter]] = {}
        self._running: asyncio.Task[None] | None = None

    async def principal(self, token: str) -> Principal:
        """The holder of ``token`` as the database says after this call began. Raises
        Unauthorized, Unavailable."""
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Principal | None] = loop.create_future()
        self._waiting.setdefault(token, []).append((language(), waiter))
        if self._running is None:
            self._running = loop.create_task(self._look_up())
        found = await waiter
        if found is None:
            return await self.network.authenticate(token)  # raises, in this request's language
        return found

    async def _look_up(self) -> None:
        # Runs in the context of the request that started it: its errors speak that language.
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, {}
                found: dict[str, Principal | None] = {}
                failed: StoreError | None = None
                try:
                    found = await self.network.authenticate_many(list(batch))
                except StoreError as exc:
                    failed = exc  # unreachable, busy: told at once to those who speak its language
                except Exception:  # noqa: S110 - each request then asks alone, and is told why
                    pass
                finally:
                    _answer(batch, found, failed, language())
        finally:
            self._running = None
            waiting, self._waiting = self._waiting, {}
            _answer(waiting, {}, None, "")  # stopped (shutdown): those still waiting ask alone


def _answer(
    batch: dict[str, list[Waiter]],
    found: dict[str, Principal | None],
    failed: StoreError | None,
    spoken: str,
) -> None:
    """Wake every waiter of ``batch``: its principal, or the store's error when it is in the
    waiter's language, or None (refused, or not looked up: it asks alone)."""
    for token, waiters in batch.items():
        for lang, waiter in waiters:
            if waiter.done():  # a request whose client left was cancelled
                continue
            if failed is not None and lang == spoken:
                waiter.set_exception(failed)
            else:
                waiter.set_result(found.get(token))
