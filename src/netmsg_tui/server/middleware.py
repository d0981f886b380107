"""ASGI middleware: every answer carries an ``X-Request-Id`` that the server's log lines name,
so a refusal a client reports can be found in the log; every request is answered in the language
of its ``Accept-Language`` header."""

from __future__ import annotations

import random
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..i18n import negotiate, use_language


class _HttpMiddleware:
    """Wraps the app for HTTP requests (:meth:`http`); anything else (lifespan) passes as is."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


#: Request ids name log lines, they guard nothing: 48 bits from a generator seeded once per
#: process (from the OS), not a read of the OS's random source (a system call) per request.
_IDS = random.Random()  # noqa: S311


def new_request_id() -> str:
    return f"{_IDS.getrandbits(48):012x}"


class RequestIds(_HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        rid = scope.setdefault("netmsg.request_id", new_request_id())

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_id)


#: Accept-Language headers already negotiated: a client sends the same one every time.
_NEGOTIATED: dict[bytes | None, str] = {}
MAX_NEGOTIATED = 256


def accept_language(scope: Scope) -> str:
    """The language a request asked for (English when it asked for none we speak)."""
    header: bytes | None = None
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            header = value
            break
    found = _NEGOTIATED.get(header)
    if found is None:
        found = negotiate(None if header is None else header.decode("latin-1"))
        if len(_NEGOTIATED) >= MAX_NEGOTIATED:
            _NEGOTIATED.clear()
        _NEGOTIATED[header] = found
    return found


class Language(_HttpMiddleware):
    """Speak the request's ``Accept-Language`` while it is handled: a context variable set in
    the task that runs the route and builds its error answer (the store's threads get a copy
    of the context, see the adapters' ``Connection.run``). Error texts change language; their
    codes and the JSON keys stay English."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        with use_language(accept_language(scope)):
            await self.app(scope, receive, send)


class RequestIdsAndLanguage(RequestIds):
    """:class:`RequestIds` and :class:`Language` as one layer: what the server runs (each
    layer of the ASGI stack is a call and a wrapped ``send`` for every request)."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        with use_language(accept_language(scope)):
            await super().http(scope, receive, send)
