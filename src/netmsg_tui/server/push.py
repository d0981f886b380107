"""Push: the change feed as server-sent events.

Streams sleep on the feed's head (:mod:`.feed`, read every ``push_interval``, a quarter second
by default) and look at their own changes when it moves, so a new message reaches a connected
client well within a second, whichever server process wrote it. Each event carries its cursor
as the SSE id: a client that reconnects with ``Last-Event-ID`` (or ``?cursor=``) resumes where
it left off. The token is checked again every few seconds, so a revoked token's stream ends.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.responses import StreamingResponse

from ..model import ChangeBatch
from ..store.base import StoreError
from ..wire import to_json
from .auth import bearer
from .endpoint import Call
from .errors import from_store_error
from .validation import parse_int

Fetch = Callable[[int | None], Awaitable[ChangeBatch]]
REAUTH_SECONDS = 5.0


def _event(kind: str, data: Any, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def tenant_of(call: Call) -> str:
    """Whose feed this is: cursors are hidden per tenant (see cursors.py)."""
    if call.principal.role == "customer":
        return f"c{call.principal.customer_id}"
    account = call.account_id if call.account_id is not None else call.principal.account_id
    return f"a{account}"


def batch_json(call: Call, batch: ChangeBatch, sent: int | None, *, extra: bool = True) -> Any:
    """A batch as the client sees it: change ids hidden, and as its cursor the tenant's own last
    change (or the cursor it sent, if nothing of its own happened): never the feed's head,
    whose moves would tell how busy other tenants are."""
    cursors, tenant = call.state.cursors, tenant_of(call)
    assert cursors is not None, "set when the server starts"
    position = batch.changes[-1].id if batch.changes else batch.cursor if sent is None else sent
    data = to_json(batch) if extra else {"changes": to_json(batch.changes)}
    data["changes"] = [{**c, "id": cursors.hide(tenant, c["id"])} for c in data["changes"]]
    data["cursor"] = cursors.hide(tenant, position)
    return data


def start_cursor(call: Call) -> int | None:
    """The change id behind the cursor the client resumes from (query or Last-Event-ID)."""
    cursor = call.query.get("cursor")
    if cursor is None and (last := call.request.headers.get("last-event-id")) is not None:
        cursor = parse_int(last, "Last-Event-ID", minimum=0)
    assert call.state.cursors is not None, "set when the server starts"
    return call.state.cursors.reveal(tenant_of(call), cursor)


def change_stream(call: Call, fetch: Fetch, *, extra: bool = True) -> StreamingResponse:
    cursor = start_cursor(call)
    token = bearer(call.request.headers.get("authorization"))
    state = call.state

    async def still_allowed() -> bool:
        try:
            await state.principal(token)  # cached while nothing changed: see memo.py
        except StoreError:
            return False
        return True

    async def events() -> AsyncIterator[str]:
        # position: the tenant's own last change id (what the client's cursor stands for);
        # head: the feed's head when last looked, which the stream sleeps on (never shown).
        position = cursor
        checked = last_sent = time.monotonic()
        try:
            if position is None:
                position = (await fetch(None)).cursor
                shown = batch_json(call, ChangeBatch((), position), None)["cursor"]
                yield _event("cursor", {"cursor": shown}, shown)
            while not state.feed.stopping:  # the server shutting down: the client reconnects
                batch = await fetch(position)
                head = batch.cursor
                if batch.changes:
                    data = batch_json(call, batch, position, extra=extra)
                    position = batch.changes[-1].id
                    yield _event("changes", data, data["cursor"])
                    last_sent = time.monotonic()
                    continue  # more may be waiting: no pause while catching up
                now = time.monotonic()
                if now - last_sent >= state.heartbeat:
                    yield ": keep-alive\n\n"
                    last_sent = now
                if now - checked >= REAUTH_SECONDS:
                    checked = now
                    if not await still_allowed():
                        yield _event("error", {"error": "unauthorized", "message": "token revoked"})
                        return
                # Sleep until the feed moves on (any account: then look whether it is ours).
                await state.feed.wait_beyond(head, timeout=REAUTH_SECONDS)
        except StoreError as exc:
            error = from_store_error(exc)
            yield _event("error", {"error": error.code, "message": error.message})

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
