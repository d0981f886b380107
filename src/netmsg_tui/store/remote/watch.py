"""Following the server's change stream (server-sent events) with reconnects.

The server sends ``cursor`` (the starting point), ``changes`` (a batch; its SSE id is the new
cursor) and ``error`` events, and a keep-alive comment every 15 s; a read that waits much longer
means the connection is dead, so it is dropped and opened again from the last cursor.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx

from ... import wire as codec
from ...model import ChangeBatch
from ..base import Unauthorized
from .http import BACKOFF, Http, error_from_response, timeouts

RECONNECT_MAX = 5.0


async def follow(http: Http, cursor: int | None) -> AsyncIterator[ChangeBatch]:
    failures = 0
    while True:
        params = {} if cursor is None else {"cursor": str(cursor)}
        try:
            async with http.client.stream(
                "GET", "/api/v1/events", params=params, timeout=timeouts(read=45.0)
            ) as response:
                if response.status_code != 200:
                    await response.aread()
                    http.set_state("connected")
                    error = error_from_response(response)
                    if isinstance(error, Unauthorized):
                        raise error
                    raise httpx.TransportError(str(error))
                http.set_state("connected")
                failures = 0
                async for kind, data in _events(response):
                    if kind == "cursor":
                        cursor = int(data["cursor"])
                        yield ChangeBatch((), cursor)
                    elif kind == "changes":
                        batch = codec.change_batch(data)
                        cursor = batch.cursor
                        yield batch
                    elif kind == "error":
                        if data.get("error") == "unauthorized":
                            raise Unauthorized(str(data.get("message", "token refused")))
                        break
        except httpx.HTTPError:
            pass
        failures += 1
        http.set_state("reconnecting" if failures <= len(BACKOFF) else "offline")
        await asyncio.sleep(min(RECONNECT_MAX, BACKOFF[min(failures - 1, len(BACKOFF) - 1)]))


def _parse(data: str) -> dict[str, Any] | None:
    if not data:
        return None
    try:
        parsed = json.loads(data)
    except json.JSONDecodeError:
        return None  # a broken event is skipped; the next one carries the cursor on
    return parsed if isinstance(parsed, dict) else None


async def _events(response: httpx.Response) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    kind, data = "message", ""
    async for line in response.aiter_lines():
        if not line:
            parsed = _parse(data)
            if parsed is not None:
                yield kind, parsed
            kind, data = "message", ""
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            kind = line[6:].strip()
        elif line.startswith("data:"):
            data += line[5:].strip()
