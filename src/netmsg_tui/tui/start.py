"""What the home screen's first frame needs from the store, read while Textual is imported.

A local (SQLite) store answers on a side thread while the main thread imports Textual (a few
hundred ms): who we are, the change feed's cursor, the first page of conversations and the
places with a kept draft. With these in hand the app's first screen is the home screen with its
rows: Textual's blank default screen is never styled, laid out or painted, and the first frame
waits for no store. Textual-free (the CLI imports it before Textual).
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future

from ..model import Conversation, Identity, Page
from ..records import record
from ..store import MessageStore, StoreError

#: The first page only needs to fill a screen (a row is two lines): start-up renders fewer rows.
FIRST_PAGE = 20


@record
class StartData:
    identity: Identity
    cursor: int  # the change feed's, read before the rows: a change after them is news
    first_page: Page[Conversation]
    draft_places: frozenset[str]  # "thread:12", "new": the list marks those threads


async def read_start(store: MessageStore) -> StartData:
    """The first screen's data, read as the app reads it at start (the cursor before the rows)."""
    identity, batch = await asyncio.gather(store.whoami(), store.changes_since(None))
    first_page = await store.list_conversations(limit=FIRST_PAGE)
    return StartData(identity, batch.cursor, first_page, await draft_places(store, identity))


async def draft_places(store: MessageStore, identity: Identity) -> frozenset[str]:
    """The places with a kept draft; none for support staff, or when the store cannot say (the
    drafts themselves load when their place is opened)."""
    if identity.read_only:
        return frozenset()
    try:
        return frozenset(await store.drafts())
    except StoreError:
        return frozenset()


def read_start_aside(store: MessageStore) -> Future[StartData]:
    """:func:`read_start` on a side thread, for a local store only: its connection thread
    serves any event loop, whereas an HTTP client belongs to the loop that made it."""
    future: Future[StartData] = Future()

    def read() -> None:
        try:
            future.set_result(asyncio.run(read_start(store)))
        except BaseException as exc:  # noqa: BLE001 - the app reads again and reports it
            future.set_exception(exc)

    threading.Thread(target=read, name="netmsg-warm-up", daemon=True).start()
    return future
