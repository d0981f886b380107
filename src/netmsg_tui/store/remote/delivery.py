"""Delivering sends through the send queue (see :mod:`.send_queue`): written first, then sent;
kept and retried in the background while the server cannot be reached; in order; exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ... import wire as codec
from ...i18n import _
from ...model import Conversation, Message
from ..base import InvalidInput, StoreError, Unauthorized, Unavailable
from ..offline import QueuedOffline, QueuedSend
from .send_queue import SendQueue

if TYPE_CHECKING:
    from .http import Http

FLUSH_BACKOFF = (0.5, 1.0, 2.0, 4.0, 5.0)
CLOSE_FLUSH_SECONDS = 10.0


class Delivery:
    """Sends of one remote store: ``client()`` gives its HTTP layer (made on first use)."""

    def __init__(self, queue: SendQueue, client: Callable[[], Http]) -> None:
        self._queue = queue
        self._client = client
        self._flusher: asyncio.Task[None] | None = None
        self._flush_lock = asyncio.Lock()
        self._closed = False

    async def send(self, entry: QueuedSend) -> Conversation | Message:
        """Deliver a fresh queued send, behind any older queued ones (order is kept)."""
        if await asyncio.to_thread(self._queue.queued_count) > 1:
            await self.flush()
            current = await asyncio.to_thread(self._queue.get, entry.key)
            if current is not None and current.state == "queued":
                self.kick()
                raise QueuedOffline(current, _("The network server cannot be reached"))
            if current is not None and current.state == "failed":
                raise InvalidInput(current.error)
        try:
            # Delivering a send that the flush above already delivered replays it: the server
            # answers with the stored result for its idempotency key, storing nothing.
            async with self._flush_lock:
                return await self.deliver(entry)
        except QueuedOffline:
            self.kick()
            raise
        except StoreError:
            # Refused for good (bad input, messaging disabled, …): the caller still has the
            # text and gets the error now, so the queue does not keep it.
            await asyncio.to_thread(self._queue.discard, entry.key)
            raise

    async def deliver(self, entry: QueuedSend) -> Conversation | Message:
        """One delivery attempt. Raises QueuedOffline when the server cannot be reached."""
        files = await asyncio.to_thread(self._queue.files, entry.key)
        parts = [
            ("file", (a.filename, a.data, a.media_type or "application/octet-stream"))
            for a in files
        ]
        fields: dict[str, Any] = {"body": entry.body, "idempotency_key": entry.key}
        fields["origin"] = entry.origin if entry.origin in ("app", "api") else "app"
        try:
            if entry.kind == "start":
                fields.update(
                    customer_id=entry.customer_id,
                    subject=entry.subject,
                    document_id=entry.document_id,
                )
                data = await self._client().json(
                    "POST", "/api/v1/conversations", body=fields, files=parts or None
                )
                conversation = codec.conversation(data)
                await asyncio.to_thread(self._queue.mark_sent, entry.key, conversation.id, None)
                return conversation
            path = f"/api/v1/conversations/{entry.conversation_id}/messages"
            data = await self._client().json("POST", path, body=fields, files=parts or None)
            message = codec.message(data)
            await asyncio.to_thread(
                self._queue.mark_sent, entry.key, message.conversation_id, message.id
            )
            return message
        except Unauthorized:
            raise
        except Unavailable as exc:
            await asyncio.to_thread(self._queue.note_attempt, entry.key, str(exc))
            current = await asyncio.to_thread(self._queue.get, entry.key)
            raise QueuedOffline(current or entry, str(exc).rstrip(".")) from None

    async def flush(self) -> int:
        """Try once to deliver every queued send, oldest first; returns how many went out.
        Stops at the first one the server cannot be reached for."""
        delivered = 0
        async with self._flush_lock:
            for entry in await asyncio.to_thread(self._queue.entries, states=("queued",)):
                current = await asyncio.to_thread(self._queue.get, entry.key)
                if current is None or current.state != "queued":
                    continue  # delivered or discarded meanwhile
                try:
                    await self.deliver(entry)
                except QueuedOffline:
                    break
                except StoreError as exc:
                    await asyncio.to_thread(self._queue.mark_failed, entry.key, str(exc))
                    continue
                delivered += 1
        return delivered

    def kick(self) -> None:
        """Deliver queued sends in the background, with backoff, until none is left."""
        if self._closed or (self._flusher is not None and not self._flusher.done()):
            return
        self._flusher = asyncio.get_running_loop().create_task(self._flush_until_empty())

    async def _flush_until_empty(self) -> None:
        attempt = 0
        while not self._closed:
            try:
                await self.flush()
                if not await asyncio.to_thread(self._queue.queued_count):
                    return
            except Unavailable:
                pass  # the queue file itself failed: keep trying, nothing is dropped
            await asyncio.sleep(FLUSH_BACKOFF[min(attempt, len(FLUSH_BACKOFF) - 1)])
            attempt += 1

    async def close(self, *, last_try: bool) -> None:
        """Stop the background task; with ``last_try`` (the server answered in this session)
        queued sends get one more attempt first, so a short-lived CLI command delivers what an
        earlier, offline one left queued."""
        if self._closed:
            return
        if last_try:
            with contextlib.suppress(StoreError, TimeoutError):
                if await asyncio.to_thread(self._queue.queued_count):
                    async with asyncio.timeout(CLOSE_FLUSH_SECONDS):
                        await self.flush()
        self._closed = True
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
