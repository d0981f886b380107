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

from ..store.base import StoreError
from .auth import bearer
from .endpoint import Call
from .errors import from_store_error
from .validation import parse_int

Fetch = Callable[[int | None], Awaitable[dict[str, Any]]]
REAUTH_SECONDS = 5.0


def _event(kind: str, data: Any, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def start_cursor(call: Call) -> int | None:
    cursor = call.query.get("cursor")
    if cursor is not None:
        return int(cursor)
    last = call.request.headers.get("last-event-id")
    if last is None:
        return None
    return parse_int(last, "Last-Event-ID", minimum=0)


def change_stream(call: Call, fetch: Fetch) -> StreamingResponse:
    cursor = start_cursor(call)
    token = bearer(call.request.headers.get("authorization"))
    state = call.state

    async def still_allowed() -> bool:
        try:
            await state.network.authenticate(token)
        except StoreError:
            return False
        return True

    async def events() -> AsyncIterator[str]:
        position = cursor
        checked = last_sent = time.monotonic()
        try:
            if position is None:
                position = int((await fetch(None))["cursor"])
                yield _event("cursor", {"cursor": position}, position)
            while True:
                batch = await fetch(position)
                if batch["changes"]:
                    position = int(batch["cursor"])
                    yield _event("changes", batch, position)
                    last_sent = time.monotonic()
                    continue  # more may be waiting: no pause while catching up
                position = int(batch["cursor"])
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
                await state.feed.wait_beyond(position, timeout=REAUTH_SECONDS)
        except StoreError as exc:
            error = from_store_error(exc)
            yield _event("error", {"error": error.code, "message": error.message})

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
