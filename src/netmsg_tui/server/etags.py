"""Conditional requests: a list or thread page answers with an ``ETag``, and a request whose
``If-None-Match`` names the current one is answered ``304 Not Modified`` with no body, without
running the page's query (the TUI's remote store asks this way on every refresh).

The tag is derived from the account's position in the change feed (one indexed look-up, done
with the token's for a supplier: ``Principal.feed_head``, else
:meth:`NetworkStore.account_feed_head`): every write that changes what the account's users see
in a list or a thread (a message, a read mark, a new thread) adds a change of that account, so
an unchanged position means an unchanged answer. The position is read *before* the page's
query: a write landing in between gives a newer body under the older tag, and the next request
simply gets a full answer again (never a stale 304).

The tag is an HMAC (the network's secret) of the account, the acting user, that position, the
path and the query: another user or another query never shares a tag, another tenant's writes
never move it, and the tag tells nothing of the feed's numbers (see cursors.py).
"""

from __future__ import annotations

import hashlib
import hmac

from starlette.responses import Response

from .. import __version__
from .endpoint import Call

#: Answers under a tag must be revalidated before use, and are one user's own.
CACHE_CONTROL = "private, no-cache"
#: Part of every tag: a server whose answers are shaped differently never matches older tags.
SHAPE = f"netmsg {__version__} 1"


async def current_tag(call: Call) -> str | None:
    """The tag of this request's answer as the data stands now (None: not taggable)."""
    account = call.account_id if call.account_id is not None else call.principal.account_id
    cursors = call.state.cursors
    if account is None or cursors is None or call.acting_user is None:
        return None
    if call.principal.feed_head is not None and account == call.principal.account_id:
        head = call.principal.feed_head  # read with the token, before the page's query
    else:
        head = await call.state.network.account_feed_head(account)
    query = sorted((k, repr(v)) for k, v in call.query.items())
    subject = f"{SHAPE}|{account}|{call.acting_user}|{head}|{call.request.url.path}|{query}"
    digest = hmac.new(cursors.secret, subject.encode(), hashlib.sha256).hexdigest()[:32]
    return f'"{digest}"'


def matches(header: str | None, tag: str) -> bool:
    """Whether ``If-None-Match`` names ``tag`` (weak comparison, as RFC 9110 says for it).
    ``*`` is not honoured: the 304 is answered before the page's query, so it would answer for
    a thread the caller may not read (a full answer or a refusal is always correct)."""
    if not header:
        return False
    return any(part.strip().removeprefix("W/") == tag for part in header.split(","))


async def not_modified(call: Call) -> tuple[str | None, Response | None]:
    """The current tag, and the 304 answer when the client already holds it."""
    tag = await current_tag(call)
    if tag is not None and matches(call.request.headers.get("if-none-match"), tag):
        headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
        return tag, Response(status_code=304, headers=headers)
    return tag, None


def tag_headers(tag: str | None) -> dict[str, str] | None:
    return None if tag is None else {"ETag": tag, "Cache-Control": CACHE_CONTROL}
