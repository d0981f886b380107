"""The connection guard: uvicorn's HTTP protocol with deadlines and connection caps.

uvicorn alone never times out a request head that trickles in (a header line every 10 s), nor a
body that trickles after its answer was sent, nor a new connection that sends nothing; and its
concurrency limit answers 503 to everyone once idle connections fill it. Here:

* the request head must be complete within ``head_timeout`` of connecting (or of its first
  byte on a kept-alive connection): else a 408, or a silent close if nothing was sent;
* the body must be complete within ``body_seconds(size)`` plus a grace (the app answers 408 at
  the deadline; this drops a connection whose body nobody reads any more);
* at most ``max_per_address`` connections per client address and ``max_connections`` in all:
  a new connection over a cap closes the oldest connection that is not serving a request
  (idle first), and only when every one is busy is the new one refused with a 503.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ..i18n import _, language, negotiate, use_language
from .limits import Limits

log = logging.getLogger("netmsg.server")


def _raw_answer(
    status: int, reason: str, code: str, message: str, client: str, extra: str = ""
) -> bytes:
    """A refusal written before any app runs: JSON like every other, one log line with its
    request id (as app refusals, see errors.refused)."""
    rid = secrets.token_hex(6)
    log.info("refused %s from %s: %d %s (%s)", rid, client or "?", status, code, message)
    body = json.dumps({"error": code, "message": message}).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nx-request-id: {rid}\r\nconnection: close\r\n"
        f"{extra}\r\n"
    )
    return head.encode() + body


#: Bytes held back at most: a larger write (an attachment) goes out at once, after what is held.
COALESCE_LIMIT = 64 * 1024


class CoalescedWrites:
    """A connection's transport whose writes within one turn of the event loop go out as one
    system call. uvicorn writes an answer's head and its body separately: two sends on the
    socket for every answer, which were a third of the event loop's CPU under load (loopback
    delivers each send to the peer inside the system call). What is held goes out when the
    loop's current turn ends (``call_soon``), before a close, or once it is large."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []
        self._size = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        if not self._held:
            if len(data) >= COALESCE_LIMIT:
                self._transport.write(data)
                return
            self._loop.call_soon(self.flush)
        self._held.append(bytes(data))
        self._size += len(data)
        if self._size >= COALESCE_LIMIT:
            self.flush()

    def flush(self) -> None:
        if not self._held:
            return
        data = self._held[0] if len(self._held) == 1 else b"".join(self._held)
        self._held.clear()
        self._size = 0
        if not self._transport.is_closing():
            self._transport.write(data)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._held.clear()
        self._size = 0
        self._transport.abort()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class Guard:
    """The open connections of one server, oldest first, in all and per client address."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.all: dict[GuardedHttp, None] = {}
        self.by_address: dict[str, dict[GuardedHttp, None]] = {}

    def admit(self, conn: GuardedHttp) -> bool:
        """Count ``conn`` in; False when it must be refused (every other one is busy)."""
        mine = self.by_address.setdefault(conn.address, {})
        if len(mine) >= self.limits.max_per_address and not self._evict(mine):
            return False
        if len(self.all) >= self.limits.max_connections and not self._evict(self.all):
            return False
        mine[conn] = None
        self.all[conn] = None
        return True

    def _evict(self, pool: dict[GuardedHttp, None]) -> bool:
        for conn in pool:  # oldest first: idle ones before those part-way through a head
            if conn.idle and not conn.in_head:
                conn.drop()
                return True
        for conn in pool:
            if conn.idle:
                conn.drop()
                return True
        return False

    def remove(self, conn: GuardedHttp) -> None:
        self.all.pop(conn, None)
        mine = self.by_address.get(conn.address)
        if mine is not None:
            mine.pop(conn, None)
            if not mine:
                del self.by_address[conn.address]


class GuardedHttp(HttpToolsProtocol):
    """One connection (uvicorn makes one per socket); ``guard`` is set per server by
    :func:`protocol_for`."""

    guard: ClassVar[Guard]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.address = ""
        self.in_head = False
        self.counted = False
        self.head_timer: asyncio.TimerHandle | None = None
        self.body_timer: asyncio.TimerHandle | None = None
        self.body_started = 0.0
        self.body_declared = 0
        self.body_received = 0

    @property
    def idle(self) -> bool:
        """Not serving a request: nothing asked yet, or the last answer is complete."""
        return self.cycle is None or self.cycle.response_complete

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        coalesced: Any = CoalescedWrites(transport, asyncio.get_running_loop())
        super().connection_made(coalesced)
        self.address = self.client[0] if self.client else ""
        if not self.guard.admit(self):
            with use_language(self._language()):  # nothing was read yet: English
                message = _("Too many open connections; try again")
            transport.write(
                _raw_answer(
                    503,
                    "Service Unavailable",
                    "unavailable",
                    message,
                    self.address,
                    "retry-after: 1\r\n",
                )
            )
            transport.close()
            return
        self.counted = True
        self.head_timer = self.loop.call_later(self.guard.limits.head_timeout, self._head_late)

    def connection_lost(self, exc: Exception | None) -> None:
        self.guard.remove(self)
        self._cancel()
        super().connection_lost(exc)

    def drop(self) -> None:
        """Close to make room for a newer connection."""
        self.guard.remove(self)
        self._cancel()
        self.transport.close()

    def _cancel(self) -> None:
        for timer in (self.head_timer, self.body_timer):
            if timer is not None:
                timer.cancel()
        self.head_timer = self.body_timer = None

    # --- the request head ------------------------------------------------------------------------
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.in_head = True
        if self.head_timer is None:
            self.head_timer = self.loop.call_later(self.guard.limits.head_timeout, self._head_late)

    def _head_late(self) -> None:
        self.head_timer = None
        if self.transport.is_closing() or not (self.in_head or self.cycle is None):
            return
        if self.in_head:
            seconds = self.guard.limits.head_timeout
            with use_language(self._language()):
                shown = f"{seconds:g}"  # 10, 0.5 (0,5 in German)
                message = _("The request head did not arrive within {seconds} s").format(
                    seconds=shown.replace(".", ",") if language() == "de" else shown
                )
            answer = _raw_answer(408, "Request Timeout", "timeout", message, self.address)
            self.transport.write(answer)
        self.transport.close()  # a new connection that sent nothing goes quietly

    def on_headers_complete(self) -> None:
        self.in_head = False
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None
        self.body_started = self.loop.time()
        self.body_received = 0
        self.body_declared = 0
        for name, value in self.headers:
            if name == b"content-length" and value.isdigit() and len(value) < 20:
                self.body_declared = int(value)
        super().on_headers_complete()
        self._arm_body()

    # --- the request body ------------------------------------------------------------------------
    def _arm_body(self) -> None:
        limits = self.guard.limits
        size = max(self.body_declared, self.body_received)
        deadline = self.body_started + limits.body_seconds(size) + limits.grace
        self.body_timer = self.loop.call_at(deadline, self._body_late)

    def send_400_response(self, msg: str) -> None:
        """A request the HTTP parser cannot read: JSON too, not uvicorn's plain text."""
        # The parser's own words (httptools, English) and ours in the client's language.
        with use_language(self._language()):
            message = _("{problem} Send HTTP/1.1 with valid headers.").format(problem=msg)
        self.transport.write(_raw_answer(400, "Bad Request", "bad_request", message, self.address))
        self.transport.close()

    def _language(self) -> str:
        """The language of the header lines that did arrive (``Accept-Language``, if it did)."""
        for name, value in getattr(self, "headers", None) or ():
            if name.lower() == b"accept-language":
                return negotiate(value.decode("latin-1"))
        return negotiate(None)

    def on_body(self, body: bytes) -> None:
        self.body_received += len(body)
        super().on_body(body)

    def _body_late(self) -> None:
        self.body_timer = None
        if self.transport.is_closing():
            return
        limits = self.guard.limits
        size = max(self.body_declared, self.body_received)
        if self.loop.time() < self.body_started + limits.body_seconds(size) + limits.grace:
            self._arm_body()  # a body without a length grew meanwhile: its deadline too
            return
        self.transport.close()

    def on_message_complete(self) -> None:
        if self.body_timer is not None:
            self.body_timer.cancel()
            self.body_timer = None
        super().on_message_complete()


def protocol_for(limits: Limits) -> type[GuardedHttp]:
    """A protocol class whose connections share one guard (one per server)."""
    return type("GuardedHttp", (GuardedHttp,), {"guard": Guard(limits)})
