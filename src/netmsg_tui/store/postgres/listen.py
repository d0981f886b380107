"""The change feed's head, pushed by PostgreSQL (LISTEN/NOTIFY) instead of polled.

Every write announces its change id on :data:`~.writes.FEED_CHANNEL` inside its transaction, so
the notification is delivered at commit, in commit order. A server process keeps one listening
connection (async psycopg, on the server's own event loop) for all of its event streams.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable

import psycopg

from ...i18n import _
from ..base import Unavailable
from .connection import translate
from .writes import FEED_CHANNEL

HEARTBEAT = 30.0  # seconds without a notification before the head is read again anyway


async def listen_for_changes(
    url: str, location: str, read_head: Callable[[], Awaitable[int]], interval: float
) -> AsyncGenerator[int, None]:
    """The head now, then each newer head as changes commit. Raises Unavailable (the
    connection failed or broke: the caller looks again later)."""
    try:
        listener = await psycopg.AsyncConnection.connect(url, autocommit=True)
    except psycopg.Error as exc:
        raise translate(exc, location) from None
    try:
        await listener.execute(f"LISTEN {FEED_CHANNEL}")
        head = await read_head()  # after LISTEN: a change committed in between is not missed
        yield head
        while True:
            newest = head
            async for note in listener.notifies(timeout=max(interval, HEARTBEAT), stop_after=1):
                newest = max(newest, int(note.payload))
            if newest == head:  # quiet for a while: read it, in case a notification was lost
                newest = await read_head()
            if newest != head:
                head = newest
                yield head
    except psycopg.Error as exc:
        raise Unavailable(
            _("Listening for changes on {location} failed: {exc}").format(
                location=location, exc=exc
            )
        ) from None
    finally:
        await listener.close()
