"""The head of the change feed, watched once per server process for all event streams.

One task follows the head of the change feed (:meth:`NetworkStore.watch_feed_head`: read every
``interval`` on SQLite, pushed by LISTEN/NOTIFY on PostgreSQL) and wakes the streams waiting for
something newer; an idle stream costs nothing, however many are open. Writes by other processes
on the same database show up the same way, since the task watches the database itself.
"""

from __future__ import annotations

import asyncio
import contextlib

from ..store.base import StoreError
from ..store.network import NetworkStore


class FeedHead:
    def __init__(self, network: NetworkStore, interval: float) -> None:
        self.network = network
        self.interval = interval
        self.head = -1  # nothing read yet: the first wait reads it
        self.stopping = False  # the server is shutting down: streams end
        self._changed = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None

    async def wait_beyond(self, cursor: int, timeout: float) -> bool:
        """Wait until the feed has a change after ``cursor`` (True), or ``timeout`` passes or
        the server starts shutting down (False)."""
        if self.stopping:
            return False
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._watch())
        async with self._changed:
            try:
                async with asyncio.timeout(timeout):
                    await self._changed.wait_for(lambda: self.head > cursor or self.stopping)
            except TimeoutError:
                return False
        return not self.stopping

    async def stop_streams(self) -> None:
        """The server is shutting down: wake every stream waiting here, so that it ends."""
        self.stopping = True
        async with self._changed:
            self._changed.notify_all()

    async def _watch(self) -> None:
        while True:
            try:
                async for head in self.network.watch_feed_head(self.interval):
                    if head != self.head:
                        async with self._changed:
                            self.head = head
                            self._changed.notify_all()
            except StoreError:
                pass  # busy or gone for a moment: the streams keep waiting, and we look again
            await asyncio.sleep(self.interval)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
