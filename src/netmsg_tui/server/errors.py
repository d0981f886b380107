"""API errors: every refusal is JSON ``{"error": code, "message": text}`` with its status.

Store errors map to fixed codes (the HTTP adapter maps them back, see ``store/remote/``).
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from ..i18n import _
from ..store.base import MessagingDisabled, StoreError, Unauthorized, Unavailable
from ..wire import STORE_ERRORS, to_json


class ApiError(Exception):
    """A refusal with its HTTP status and machine-readable code."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra or {}

    def response(self) -> JSONResponse:
        content = {"error": self.code, "message": self.message, **self.extra}
        return JSONResponse(content, status_code=self.status, headers=self.headers)


log = logging.getLogger("netmsg.server")


def request_id(request: Request) -> str:
    """The id :class:`~.middleware.RequestIds` gave this request (in X-Request-Id)."""
    found = request.scope.get("netmsg.request_id")
    if not isinstance(found, str):
        found = request.scope["netmsg.request_id"] = secrets.token_hex(6)
    return found


def refused(request: Request, error: ApiError) -> JSONResponse:
    """The answer to a refused request, with one log line naming its class and request id (no
    traceback: a refusal is the client's mistake, not the server's)."""
    log.info(
        "refused %s %s %s: %d %s (%s)",
        request_id(request),
        request.method,
        request.url.path,
        error.status,
        error.code,
        error.message[:200],
    )
    return error.response()


def from_store_error(exc: StoreError) -> ApiError:
    for kind, status, code in STORE_ERRORS:
        if isinstance(exc, kind):
            extra: dict[str, Any] = {}
            headers: dict[str, str] = {}
            if isinstance(exc, MessagingDisabled):
                extra["customer"] = to_json(exc.customer)
            if isinstance(exc, Unauthorized):
                headers["WWW-Authenticate"] = "Bearer"
            if isinstance(exc, Unavailable):
                headers["Retry-After"] = "1"
            return ApiError(status, code, str(exc), headers=headers, extra=extra)
    return ApiError(500, "internal", _("The server failed on this request; try again later"))


def bad_request(message: str) -> ApiError:
    return ApiError(400, "invalid_input", message)


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)
