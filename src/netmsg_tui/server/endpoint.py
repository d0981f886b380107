"""The endpoint table's building blocks: what a route declares, and what its handler receives.

Routes are data (:class:`Endpoint`): the Starlette routes and the OpenAPI document are both made
from the same list, so the document always matches what the server does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from ..model import Attachment, NewAttachment, Principal, Role
from ..store.base import MessageStore
from ..store.network import NetworkStore
from ..wire import encode
from .bodies import Field
from .cursors import FeedCursors
from .feed import FeedHead
from .limits import Limits
from .memo import AnswerCache, TokenCache
from .ratelimit import RateLimiter
from .tokens import TokenLookups


@dataclass
class ServerState:
    """What every request shares: the network store (which owns its connections), the limiter."""

    network: NetworkStore
    limiter: RateLimiter
    feed: FeedHead
    idle_timeout: float = 30.0  # seconds a request body may stall between chunks
    limits: Limits = Limits()  # deadlines and connection caps (see limits.py)
    heartbeat: float = 15.0  # seconds between keep-alive comments on an idle event stream
    cursors: FeedCursors | None = None  # set when the server starts (needs the store's secret)
    tokens: TokenCache = field(default_factory=TokenCache)  # see memo.py
    lookups: TokenLookups = field(init=False)  # tokens not in the cache, looked up together

    def __post_init__(self) -> None:
        self.lookups = TokenLookups(self.network)

    async def principal(self, token: str) -> Principal:
        """The token's holder: from the process's token cache while the store's change stamp
        is the one it was looked up under (memo.py), else from the store, with the other
        requests waiting (tokens.py). The stamp is read before the look-up, so a commit while
        the store answers leaves nothing cached. Raises Unauthorized, Unavailable."""
        stamp = self.network.change_stamp()
        principal = self.tokens.get(token, stamp)
        if principal is None:
            principal = await self.lookups.principal(token)
            self.tokens.put(token, stamp, principal)
        return principal

    answers: AnswerCache = field(default_factory=AnswerCache)  # lists and thread pages


@dataclass
class Call:
    """One authenticated request, parsed and checked, as a handler sees it."""

    request: Request
    principal: Principal
    state: ServerState
    query: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    files: list[NewAttachment] = field(default_factory=list)
    account_id: int | None = None  # support: the granted account being read
    acting_user: int | None = None  # supplier/support: the store's user

    def path_id(self, name: str) -> int:
        value = self.request.path_params[name]
        assert isinstance(value, int)
        return value

    def store(self) -> MessageStore:
        assert self.acting_user is not None, "store() is for supplier-side routes"
        return self.state.network.for_user(self.acting_user)


Handler = Callable[[Call], Awaitable[Any]]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # Starlette syntax: {conversation_id:int}
    handler: Handler
    roles: frozenset[Role]
    summary: str
    query: tuple[Field, ...] = ()
    body: tuple[Field, ...] | None = None  # JSON fields (also the 'message' part of multipart)
    files: bool = False  # accepts multipart/form-data with 'file' parts
    status: int = 200
    returns: str = "application/json"
    response: str = "Ok"  # its answer's schema: a component name, or Page:<item component>

    @property
    def openapi_path(self) -> str:
        return self.path.replace(":int}", "}")

    @property
    def path_params(self) -> list[str]:
        return [
            part[1:-1].split(":")[0]
            for part in self.path.split("/")
            if part.startswith("{") and part.endswith("}")
        ]


SUPPLIER: frozenset[Role] = frozenset({"supplier"})
READERS: frozenset[Role] = frozenset({"supplier", "support"})
CUSTOMER: frozenset[Role] = frozenset({"customer"})


def json_answer(result: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer encoded by :func:`~netmsg_tui.wire.encode` (model objects as they are)."""
    return Response(encode(result), status, headers, media_type="application/json")


def attachment_response(meta: Attachment, data: bytes) -> Response:
    # Names are kept as sent: quote it, so no header can be forged from a file name.
    disposition = f"attachment; filename*=UTF-8''{quote(meta.filename, safe='')}"
    return Response(
        data,
        media_type=meta.media_type or "application/octet-stream",
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"},
    )
