"""The HTTP layer of the remote adapter: one ``httpx.AsyncClient``, retries, error mapping and
the connection state the TUI header shows.

httpx is imported here, and this module is imported only when a remote store makes its first
request, so ``import netmsg_tui.store`` stays light.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
import msgspec

from ... import wire as codec
from ...i18n import _, language
from ..base import (
    AttachmentTooLarge,
    InvalidInput,
    MessagingDisabled,
    NotFound,
    StoreError,
    Unauthorized,
    Unavailable,
)
from ..offline import ConnectionState

RETRY_STATUSES = {502, 503, 504}
BACKOFF = (0.2, 0.6, 1.5)
MAX_RETRY_AFTER = 3  # seconds: a longer 429 wait is reported instead of slept through
TAGGED_KEPT = 64  # answers kept with their ETag (see Http.cached), least recently used dropped
T = TypeVar("T")
#: The server's error codes back to store errors (messaging_disabled needs its customer: below).
ERRORS_BY_CODE: dict[str, type[StoreError]] = {
    code: kind for kind, _, code in codec.STORE_ERRORS if kind is not MessagingDisabled
}
ERRORS_BY_CODE["forbidden"] = Unauthorized  # server/errors.py forbidden(): not for this token


def timeouts(read: float = 15.0) -> httpx.Timeout:
    # Connect fails fast (a dead server should show as offline quickly); uploads may take time.
    return httpx.Timeout(connect=3.0, read=read, write=60.0, pool=10.0)


def error_from_response(response: httpx.Response) -> StoreError:
    """The store error for a refusal of the server (JSON ``{"error", "message"}``)."""
    status = response.status_code
    try:
        data = response.json()
        code, message = str(data["error"]), str(data["message"])
    except (ValueError, KeyError, TypeError):
        data, code, message = {}, "", ""
    if not message:
        message = _("The network server answered HTTP {status}").format(status=status)
    if code == "messaging_disabled" and isinstance(data.get("customer"), dict):
        try:
            return MessagingDisabled(codec.customer(data["customer"]))
        except (KeyError, TypeError, ValueError):
            pass
    if code in ERRORS_BY_CODE:
        return ERRORS_BY_CODE[code](message)
    if code == "rate_limited":
        return Unavailable(
            _("The network server is limiting requests: {message}").format(message=message)
        )
    if status == 401 or status == 403:
        return Unauthorized(message)
    if status == 404:
        return NotFound(message)
    if status == 413:
        return AttachmentTooLarge(message) if "attachment" in code else InvalidInput(message)
    if 400 <= status < 500:
        return InvalidInput(message)
    return Unavailable(
        _("The network server failed (HTTP {status}): {message}").format(
            status=status, message=message
        )
    )


class Http:
    """Requests to one server with one token; tracks whether the server answers."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        retries: int = 2,
        transport: httpx.AsyncBaseTransport | None = None,
        on_state: Callable[[ConnectionState], None] | None = None,
        account: int | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.state: ConnectionState = "connecting"
        self._on_state = on_state
        self.has_token = bool(token)
        self._tagged: OrderedDict[str, tuple[str, Any]] = OrderedDict()
        headers = {"User-Agent": "netmsg-tui", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if account is not None:  # support staff: the granted account to read
            headers["X-Netmsg-Account"] = str(int(account))
        self.client = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=timeouts(),
            transport=transport,
            event_hooks={"request": [_speak]},
        )

    def set_account(self, account_id: int) -> None:
        """Name the account a support token reads on every request from now on."""
        self.client.headers["X-Netmsg-Account"] = str(int(account_id))

    def set_state(self, state: ConnectionState) -> None:
        if state != self.state:
            self.state = state
            if self._on_state is not None:
                self._on_state(state)

    def transport_error(self, exc: Exception) -> Unavailable:
        where = self.base_url
        if isinstance(exc, httpx.TimeoutException):
            return Unavailable(
                _("The network server at {where} did not answer in time").format(where=where)
            )
        if isinstance(exc, httpx.ConnectError):
            return Unavailable(
                _("Cannot reach the network server at {where} (is it running?)").format(where=where)
            )
        return Unavailable(
            _("Lost the connection to the network server at {where}").format(where=where)
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
        files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
        retry: bool = True,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """Send, retrying transport failures and 502/503/504 when ``retry`` (reads, and sends
        that carry an idempotency key). Raises the store's errors only; a 304 (the answer to
        ``If-None-Match`` in ``headers``) is returned as a success."""
        clean = {k: _param(v) for k, v in (params or {}).items() if v is not None}
        kwargs: dict[str, Any] = {"params": clean}
        if headers:
            kwargs["headers"] = headers
        if files:
            kwargs["files"] = files
            kwargs["data"] = {"message": json.dumps(body or {})}
        elif body is not None:
            kwargs["json"] = body
        attempts = 1 + (self.retries if retry else 0)
        error: StoreError = Unavailable("unreachable")  # never raised: replaced by the first try's
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = await self.client.request(method, path, **kwargs)
            except httpx.HTTPError as exc:
                error = self.transport_error(exc)
                if last:
                    self.set_state("offline")
                    raise error from None
                self.set_state("reconnecting")
                await asyncio.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
                continue
            self.set_state("connected")
            if response.is_success or response.status_code == 304:
                return response
            wait = _retry_after(response)
            if not last and response.status_code in RETRY_STATUSES:
                await asyncio.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
                continue
            if not last and response.status_code == 429 and wait <= MAX_RETRY_AFTER:
                await asyncio.sleep(wait)
                continue
            if response.status_code == 401 and not self.has_token:
                raise Unauthorized(
                    _(
                        "Not logged in to {base_url}: run 'netmsg login {base_url}' or set "
                        "NETMSG_TOKEN"
                    ).format(base_url=self.base_url)
                )
            raise error_from_response(response)
        raise error  # pragma: no cover - the loop always returns or raises

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self._parse(await self.request(method, path, **kwargs))

    async def cached(self, path: str, params: dict[str, Any], read: Callable[[bytes], T]) -> T:
        """``read(body)`` of a GET, asked with ``If-None-Match`` when an earlier answer to the
        same request carried an ``ETag``: the server then answers 304 without running its query
        and the answer read last time is returned again (the TUI refreshes its lists this way)."""
        query = sorted((k, _param(v)) for k, v in params.items() if v is not None)
        key = f"{path}?{query}@{self.client.headers.get('X-Netmsg-Account', '')}"
        held = self._tagged.get(key)
        headers = {"If-None-Match": held[0]} if held is not None else None
        response = await self.request("GET", path, params=params, headers=headers)
        if response.status_code == 304 and held is not None:
            self._tagged.move_to_end(key)
            return held[1]  # type: ignore[no-any-return]
        try:
            value = read(response.content)
        except msgspec.DecodeError:
            raise self._no_json() from None
        if tag := response.headers.get("etag"):
            self._tagged[key] = (tag, value)
            self._tagged.move_to_end(key)
            while len(self._tagged) > TAGGED_KEPT:
                self._tagged.popitem(last=False)
        return value

    def _parse(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise self._no_json() from None

    def _no_json(self) -> Unavailable:
        return Unavailable(
            _("The network server at {base_url} sent no JSON").format(base_url=self.base_url)
        )

    async def close(self) -> None:
        await self.client.aclose()


async def _speak(request: httpx.Request) -> None:
    """Ask for the server's refusals in the language the app speaks now (it can change while the
    app runs), so a German TUI shows a server's errors in German."""
    request.headers["Accept-Language"] = language()


def _param(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _retry_after(response: httpx.Response) -> int:
    text = response.headers.get("retry-after", "")
    return int(text) if text.isdigit() else MAX_RETRY_AFTER + 1
