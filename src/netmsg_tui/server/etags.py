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

The same position keys the process's answer cache (memo.py): the page's bytes and its tag are
kept with the position they were read under, so while it has not moved a request is answered
from memory, 200 or 304 alike. Answers hold no translated text, so they are kept per user,
path and query, not per language.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.responses import Response

from .. import __version__
from ..model import Page
from ..wire import encode, page_json
from .endpoint import Call, json_answer
from .memo import Answer

#: Answers under a tag must be revalidated before use, and are one user's own.
CACHE_CONTROL = "private, no-cache"
#: Part of every tag: a server whose answers are shaped differently never matches older tags.
SHAPE = f"netmsg {__version__} 1"


#: What an answer depends on besides the head: account, acting user, path and sorted query.
Key = tuple[int | None, int | None, str, tuple[tuple[str, str], ...]]


#: The sorted query of each query string seen, per parameter list (it follows from those two
#: alone: see bodies.parse_query), so a repeated request does not sort and spell it out again.
_QUERIES: dict[tuple[tuple[str, ...], bytes], tuple[tuple[str, str], ...]] = {}
MAX_QUERIES = 512


def _key(call: Call) -> Key:
    account = call.account_id if call.account_id is not None else call.principal.account_id
    asked = (tuple(call.query), call.request.scope.get("query_string", b""))
    query = _QUERIES.get(asked)
    if query is None:
        query = tuple(sorted((k, repr(v)) for k, v in call.query.items()))
        if len(_QUERIES) >= MAX_QUERIES:
            _QUERIES.clear()
        _QUERIES[asked] = query
    return (account, call.acting_user, call.request.scope["path"], query)


async def _head(call: Call) -> int | None:
    """The account's feed head as of now, or None when the answer is not taggable."""
    account = call.account_id if call.account_id is not None else call.principal.account_id
    if account is None or call.state.cursors is None or call.acting_user is None:
        return None
    if call.principal.feed_head is not None and account == call.principal.account_id:
        return call.principal.feed_head  # read with the token, before the page's query
    return await call.state.network.account_feed_head(account)


def _tag(call: Call, key: Key, head: int) -> str:
    assert call.state.cursors is not None
    account, user, path, query = key
    subject = f"{SHAPE}|{account}|{user}|{head}|{path}|{list(query)}"
    digest = hmac.new(call.state.cursors.secret, subject.encode(), hashlib.sha256).hexdigest()
    return f'"{digest[:32]}"'


async def page_answer(call: Call, read: Callable[[], Awaitable[Page[Any]]]) -> Response:
    """A list or thread page as the data stands now: ``304`` when ``If-None-Match`` names its
    tag, else the page, from the process's answer cache while the account's feed head has not
    moved (server/memo.py), otherwise ``read()`` from the store and kept for the next time."""
    head = await _head(call)
    if head is None:
        page = await read()
        return json_answer(page_json(page.items, page.next_cursor))
    key = _key(call)
    kept = call.state.answers.get(key, head)
    tag = kept.tag if kept is not None else _tag(call, key, head)
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    if matches(call.request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    if kept is None:
        page = await read()
        kept = Answer(head, tag, encode(page_json(page.items, page.next_cursor)))
        call.state.answers.put(key, kept)
    return Response(kept.body, 200, headers, media_type="application/json")


async def kept_answer(call: Call, read: Callable[[], Awaitable[Any]]) -> Response:
    """An answer with no ETag that depends on what the feed head covers (the unread count):
    from the answer cache while the account's head has not moved, else ``read()`` and kept."""
    head = await _head(call)
    if head is None:
        return json_answer(await read())
    key = _key(call)
    kept = call.state.answers.get(key, head)
    if kept is None:
        kept = Answer(head, "", encode(await read()))
        call.state.answers.put(key, kept)
    return Response(kept.body, 200, media_type="application/json")


def matches(header: str | None, tag: str) -> bool:
    """Whether ``If-None-Match`` names ``tag`` (weak comparison, as RFC 9110 says for it).
    ``*`` is not honoured: the 304 is answered before the page's query, so it would answer for
    a thread the caller may not read (a full answer or a refusal is always correct)."""
    if not header:
        return False
    return any(part.strip().removeprefix("W/") == tag for part in header.split(","))
