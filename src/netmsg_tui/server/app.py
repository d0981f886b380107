"""The ASGI app: authentication, role checks, rate limits and error mapping around the routes.

The server keeps no state of its own beyond the store (apart from the in-memory rate limit), so
several processes can serve one database file.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route

from ..i18n import _, use_language
from ..model import Principal
from ..store import open_network
from ..store.base import StoreError
from . import customer_routes, routes, support_routes
from .auth import bearer
from .bodies import parse_query, read_json, read_multipart
from .cursors import FeedCursors
from .endpoint import Call, Endpoint, ServerState, json_answer
from .errors import ApiError, bad_request, forbidden, from_store_error, refused, request_id
from .feed import FeedHead
from .limits import DEFAULT_LIMITS, Limits
from .memo import AnswerCache
from .middleware import RequestIdsAndLanguage, accept_language
from .openapi import build_openapi
from .ratelimit import RateLimiter
from .validation import MAX_ID, check_int, parse_id

log = logging.getLogger("netmsg.server")
ENDPOINTS: list[Endpoint] = [
    *routes.ENDPOINTS,
    *customer_routes.ENDPOINTS,
    *support_routes.ENDPOINTS,
]

#: Asked most often (the TUI's refresh, a thread open on screen): matched first.
HOT = {
    ("GET", "/api/v1/conversations"),
    ("GET", "/api/v1/conversations/{conversation_id:int}/messages"),
    ("GET", "/api/v1/unread"),
    ("GET", "/api/v1/changes"),
}


async def _authenticate(state: ServerState, request: Request) -> Principal:
    return await state.principal(bearer(request.headers.get("authorization")))


async def _support_account(state: ServerState, call: Call) -> int:
    granted = call.principal.granted
    header = call.request.headers.get("x-netmsg-account")
    if header is None:
        if call.request.url.path == "/api/v1/me":
            return min(granted)  # who am I: answered for the first account, granted listed
        if len(granted) != 1:
            raise bad_request(
                _("This support token covers several accounts: send X-Netmsg-Account")
            )
        return next(iter(granted))
    account_id = parse_id(header, "X-Netmsg-Account")
    if account_id not in granted:
        raise forbidden(_("This support token is not granted access to that account"))
    return account_id


async def _prepare(state: ServerState, ep: Endpoint, call: Call) -> None:
    principal = call.principal
    for name, value in call.request.path_params.items():
        check_int(value, name)  # the route matched ASCII digits; an id is also at most 64 bits
    if (header := call.request.headers.get("x-netmsg-account")) is not None:
        parse_id(header, "X-Netmsg-Account")  # documented as an id for every reader
    if principal.role == "support":
        call.account_id = await _support_account(state, call)
        call.acting_user = await state.network.support_user(call.account_id)
        action, target = f"{ep.method} {call.request.url.path}", call.request.url.query
        await state.network.audit(principal.token_id, call.account_id, action, target)
    elif principal.role == "supplier":
        call.acting_user = principal.user_id
    call.query = parse_query(call.request, ep.query)
    if ep.body is None:
        return
    content_type = call.request.headers.get("content-type", "").split(";")[0].strip().lower()
    # A refusal before the whole body was read keeps the connection: uvicorn reads and drops
    # the rest (a client cannot read an answer on a connection reset under its upload); the
    # guard's body deadline bounds how long that may take.
    if content_type == "application/json":
        call.body = await read_json(call.request, ep.body, state.idle_timeout, state.limits)
    elif content_type == "multipart/form-data" and ep.files:
        call.body, call.files = await read_multipart(
            call.request, ep.body, state.idle_timeout, state.limits
        )
    else:
        if ep.files:  # one msgid per sentence: German says "oder"
            wanted = _("Send the body as application/json or multipart/form-data")
        else:
            wanted = _("Send the body as application/json")
        raise ApiError(415, "unsupported_media_type", wanted)


async def _audit_refusal(
    state: ServerState, principal: Principal, request: Request, error: ApiError
) -> None:
    """Support staff's refused attempts (a write, an account not granted) are audited too."""
    header = request.headers.get("x-netmsg-account", "")
    account_id = int(header) if header.isascii() and header.isdigit() else None
    if account_id is not None and account_id > MAX_ID:
        account_id = None
    action = f"REFUSED {request.method} {request.url.path}"
    target = f"{request.url.query} ({error.message})".lstrip()
    try:
        await state.network.audit(principal.token_id, account_id, action, target)
    except StoreError as exc:
        log.warning("%s could not audit a refusal: %s", request_id(request), exc)


def _wrap(state: ServerState, ep: Endpoint) -> Any:
    async def endpoint(request: Request) -> Response:
        principal: Principal | None = None
        try:
            principal = await _authenticate(state, request)
            if principal.role == "support" and ep.method != "GET":
                raise forbidden(_("Support tokens are read-only"))
            if principal.role not in ep.roles:
                raise forbidden(
                    _("A {role} token cannot use {method} {openapi_path}").format(
                        role=principal.role, method=ep.method, openapi_path=ep.openapi_path
                    )
                )
            if wait := state.limiter.retry_after(principal.token_id):
                raise ApiError(
                    429,
                    "rate_limited",
                    _("Too many requests for this token; retry in {wait} s").format(wait=wait),
                    headers={"Retry-After": str(wait)},
                )
            call = Call(request, principal, state)
            await _prepare(state, ep, call)
            result = await ep.handler(call)
        except (ApiError, StoreError) as exc:
            error = exc if isinstance(exc, ApiError) else from_store_error(exc)
            if principal is not None and principal.role == "support" and error.status == 403:
                await _audit_refusal(state, principal, request, error)
            return refused(request, error)
        except ClientDisconnect:
            # Nobody is left to answer: one line, no traceback.
            log.info("%s client left during %s %s", request_id(request), ep.method, ep.path)
            return Response(status_code=400)
        except Exception:
            log.exception("%s %s %s failed", request_id(request), request.method, request.url.path)
            return ApiError(500, "internal", _("The server failed on this request")).response()
        if isinstance(result, Response):
            return result
        return json_answer(result, ep.status)

    return endpoint


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return refused(
            request,
            ApiError(404, "not_found", _("No such endpoint: {path}").format(path=request.url.path)),
        )
    if exc.status_code == 405:
        allow = _allowed_methods(request)
        return refused(
            request,
            ApiError(
                405,
                "method_not_allowed",
                _("{method} is not allowed on {path}; use {allow}").format(
                    method=request.method, path=request.url.path, allow=allow
                ),
                headers={"Allow": allow},
            ),
        )
    return refused(request, ApiError(exc.status_code, "http_error", str(exc.detail)))


def _allowed_methods(request: Request) -> str:
    """Every method some route answers on this path (one Route per method: Starlette's own
    Allow would name only the first route's)."""
    methods: set[str] = set()
    for route in request.app.routes:
        if isinstance(route, Route) and route.matches(request.scope)[0] != Match.NONE:
            methods.update(route.methods or ())
    return ", ".join(sorted(methods))


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error(
        "%s unhandled error on %s %s: %r",
        request_id(request),
        request.method,
        request.url.path,
        exc,
    )
    # Starlette runs this handler outside the app's middleware: the language is read here.
    with use_language(accept_language(request.scope)):
        return ApiError(500, "internal", _("The server failed on this request")).response()


def create_app(
    store: str | Path,
    *,
    rate: float = 20.0,
    burst: int = 200,
    push_interval: float = 0.25,
    idle_timeout: float = 30.0,
    limits: Limits = DEFAULT_LIMITS,
    answer_cache_mb: int = 32,
) -> Starlette:
    """The network server over the network store at ``store`` (a path or store URL: see
    :func:`~netmsg_tui.store.open_network`).

    ``rate``/``burst``: requests per second per token (0: no limit). ``push_interval``: how often
    event streams look for changes. ``idle_timeout``: how long a request body may stall.
    ``answer_cache_mb``: memory for the answers of lists and thread pages kept until their data
    changes (memo.py; 0: none, every request reads the store).
    """
    network = open_network(store)
    state = ServerState(
        network=network,
        limiter=RateLimiter(rate, burst),
        feed=FeedHead(network, push_interval),
        idle_timeout=idle_timeout,
        limits=limits,
        answers=AnswerCache(answer_cache_mb * 1024 * 1024),
    )
    document = build_openapi(ENDPOINTS)

    async def openapi(request: Request) -> Response:
        return JSONResponse(document)

    async def health(request: Request) -> Response:
        try:
            await state.network.ping()
        except StoreError as exc:
            return from_store_error(exc).response()
        return JSONResponse({"ok": True})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await state.network.ping()  # open and migrate before the first request
        state.cursors = FeedCursors(await state.network.network_secret())
        try:
            yield
        finally:
            await state.feed.close()
            await state.network.close()

    # Starlette tries the routes in order: the ones every client polls first (the table's
    # order changes nothing else, since no two routes match the same method and path).
    hot = sorted(ENDPOINTS, key=lambda ep: (ep.method, ep.path) not in HOT)
    table = [
        Route(ep.path, _wrap(state, ep), methods=[ep.method], name=f"{ep.method} {ep.path}")
        for ep in hot
    ]
    table += [
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
    ]
    app = Starlette(
        routes=table,
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
        middleware=[Middleware(RequestIdsAndLanguage)],
    )
    app.state.netmsg = state
    return app
