"""Full-text search of conversations on PostgreSQL: a ``tsvector`` per message, a GIN index.

The README's meaning, as on SQLite: a conversation matches when one of its messages holds every
typed word, each as the start of a word, in its body or in the thread's context (subject,
customer name, document number); results come newest matching message first.

Words are split here, in Python, the way SQLite's FTS5 ``unicode61`` tokenizer splits them (runs
of letters, digits and ``_``; lower case; accents removed), and stored as the lexemes of
``message_search.words`` with ``array_to_tsvector``: no text search dictionary is involved, so
the result does not depend on the server's locale or configuration, and ``INV-2026-0042`` is the
three words ``inv``, ``2026``, ``0042`` on both stores. A query is ``'w1':* & 'w2':*``, matched
through the GIN index (prefix matching is the index's own). Unlike SQLite, a short prefix is not
cut at 50 whole words: PostgreSQL matches every word it begins.

A page takes the matching messages newest first and stops when it is full (see :func:`search`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from ...model import Conversation, Identity, Page
from .. import sql
from ..sql_queries.lookups import CONVERSATION_FROM
from ..sql_reads import ALL_DOCUMENTS, Filter
from .connection import Conn
from .dialect import POSTGRES

MAX_QUERY_WORDS = 8  # as on SQLite: more words narrow nothing in practice, and cost time
_WORD = re.compile(r"\w+")


def _all(conn: Conn, text: str, args: Sequence[Any]) -> list[tuple[Any, ...]]:
    return conn.execute(text, args).fetchall()


def _one(conn: Conn, text: str, args: Sequence[Any]) -> tuple[Any, ...] | None:
    return conn.execute(text, args).fetchone()


def terms(text: str) -> set[str]:
    """The words of ``text`` as FTS5's unicode61 tokenizer sees them (lower case, no accents).
    Kept identical to the SQLite store's, so both stores find the same threads."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return set(_WORD.findall(plain))


def tsquery(query: str) -> str | None:
    """``'w1':* & 'w2':*`` for what a person typed; None when it holds no word. Words are runs
    of ``\\w`` characters, so they never hold a quote or a backslash."""
    words = sorted(terms(query))[:MAX_QUERY_WORDS]
    if not words:
        return None
    return " & ".join(f"'{w}':*" for w in words)


def index_message(
    conn: Conn, account_id: int, conversation_id: int, message_id: int, body: str
) -> None:
    """Index one new message (called in the transaction that stores it)."""
    found = _all(
        conn,
        "SELECT v.subject || ' ' || cu.name || ' ' || COALESCE(d.number, '') "
        "FROM conversations v JOIN customers cu ON cu.id = v.customer_id "
        "LEFT JOIN documents d ON d.id = v.document_id WHERE v.id = %s",
        (conversation_id,),
    )
    words = sorted(terms(body) | terms(found[0][0]))
    conn.execute(
        "INSERT INTO message_search(message_id, account_id, conversation_id, words) "
        "VALUES (%s, %s, %s, array_to_tsvector(%s::text[]))",
        (message_id, account_id, conversation_id, words),
    )


def search(
    conn: Conn, me: Identity, query: str, filters: Filter, cursor: str | None, limit: int
) -> Page[Conversation]:
    """:meth:`~netmsg_tui.store.sql_reads.SQLReads._search` on the ``tsvector`` index.

    Matching messages are taken newest first, deduplicated by thread, until the page is full.
    The account's newest messages are tested one by one, in windows of :data:`WINDOW` growing
    fourfold, while at least one message in :data:`DENSITY` matches (a common word fills a page
    in the first window); a rarer query goes to the GIN index for the matches below the last
    window, which are then few. The planner alone cannot make this choice: it guesses a typed
    prefix that no statistic names (a document number) at 0.5 % of the rows and walked all
    1,000,000 messages for one (0.7 s); grouping every match by thread instead cost 1.4 s for a
    common word at 100,000. The cursor is the message id where a page ended; the next page
    skips threads that already matched above it."""
    match = tsquery(query)
    if match is None:
        return Page((), None)
    boundary = sql.int_cursor(cursor) if cursor else None
    seen = _matched_at_or_above(conn, me, match, boundary) if boundary is not None else set()
    found: list[tuple[Conversation, int]] = []

    def take(hits: list[tuple[int, int]]) -> None:
        fresh: list[tuple[int, int]] = []
        for message_id, conversation_id in hits:
            if conversation_id not in seen:
                seen.add(conversation_id)
                fresh.append((conversation_id, message_id))
        if fresh:
            shown = _conversations(conn, me, [c for c, _ in fresh], filters)
            found.extend((shown[c], m) for c, m in fresh if c in shown)

    size, below = WINDOW, boundary
    while len(found) <= limit:
        hits, floor = _window(conn, me, match, below, size)
        take(hits)
        if floor is None:  # the window reached the account's oldest message
            break
        below = floor
        if len(hits) * DENSITY < size:  # rare here: the index finds the older ones cheaply
            while len(found) <= limit and below is not None:
                hits = _indexed_matches(conn, me, match, below)
                take(hits)
                below = hits[-1][0] if len(hits) == _INDEXED_BATCH else None
            break
        size = _next_window(size, len(found), limit + 1)
    if len(found) > limit:
        return Page(tuple(c for c, _ in found[:limit]), str(found[limit - 1][1]))
    return Page(tuple(c for c, _ in found), None)


WINDOW = 2000  # the first window of newest messages tested one by one
MAX_WINDOW = 128_000
DENSITY = 1000  # a window with fewer than one match per this many messages: use the index
_INDEXED_BATCH = 5000


def _next_window(size: int, found: int, wanted: int) -> int:
    """The next window's size: fourfold, or smaller where the threads found so far say fewer
    messages will finish the page. A page one thread short after the first 2,000 messages
    tested 8,000 more for that thread: at 1,000,000 messages that second window was most of
    the time of a search for a word in one message of twelve ("certificate batch", p50
    8.5 ms). Twice the messages per thread seen so far is asked for, at least a quarter of
    :data:`WINDOW`."""
    if found == 0:
        return min(size * 4, MAX_WINDOW)
    expected = 2 * size * (wanted - found) // found
    return max(WINDOW // 4, 1, min(expected, size * 4, MAX_WINDOW))


def _window(
    conn: Conn, me: Identity, match: str, below: int | None, size: int
) -> tuple[list[tuple[int, int]], int | None]:
    """The matches among the account's newest ``size`` messages below ``below``, newest
    first, and the lowest message id of that window (None when it reached the oldest)."""
    under, args = ("AND message_id < %s ", [below]) if below is not None else ("", [])
    newest = (
        "SELECT message_id, conversation_id, words FROM message_search "
        f"WHERE account_id = %s {under}ORDER BY message_id DESC LIMIT %s"
    )
    found = _all(
        conn,
        f"SELECT message_id, conversation_id FROM ({newest}) w "
        "WHERE words @@ %s::tsquery ORDER BY message_id DESC",
        [me.account.id, *args, size, match],
    )
    edge = _one(
        conn,
        "SELECT min(message_id), count(*) FROM (SELECT message_id FROM message_search "
        f"WHERE account_id = %s {under}ORDER BY message_id DESC LIMIT %s) w",
        [me.account.id, *args, size],
    )
    floor = int(edge[0]) if edge is not None and edge[1] == size else None
    return [(int(r[0]), int(r[1])) for r in found], floor


def _indexed_matches(conn: Conn, me: Identity, match: str, below: int) -> list[tuple[int, int]]:
    """Matches below ``below`` through the GIN index (the CTE keeps the planner from walking
    every older message instead), newest first, at most :data:`_INDEXED_BATCH`."""
    found = _all(
        conn,
        "WITH hits AS MATERIALIZED (SELECT message_id, conversation_id FROM message_search "
        "WHERE account_id = %s AND words @@ %s::tsquery AND message_id < %s) "
        "SELECT message_id, conversation_id FROM hits ORDER BY message_id DESC LIMIT %s",
        [me.account.id, match, below, _INDEXED_BATCH],
    )
    return [(int(r[0]), int(r[1])) for r in found]


def _matched_at_or_above(conn: Conn, me: Identity, match: str, boundary: int) -> set[int]:
    """Threads with a match at or above the cursor: earlier pages showed them."""
    found = _all(
        conn,
        "SELECT DISTINCT conversation_id FROM message_search "
        "WHERE account_id = %s AND words @@ %s::tsquery AND message_id >= %s",
        (me.account.id, match, boundary),
    )
    return {int(r[0]) for r in found}


def _conversations(
    conn: Conn, me: Identity, ids: list[int], filters: Filter
) -> dict[int, Conversation]:
    extra, extra_args = filters
    found = POSTGRES.all(
        conn,
        f"SELECT {sql.CONVERSATION_COLUMNS} {CONVERSATION_FROM}"
        f"WHERE v.id = ANY(?) AND v.account_id = ?{extra}",
        [me.user.id, ids, me.account.id, *extra_args],
    )
    return {c.id: c for c in map(sql.conversation, found)}


def documents_matching(account_id: int, text: str) -> Filter:
    """``FROM … WHERE …`` of the account's documents whose number starts with ``text`` in any
    case (its upper() index) or whose customer's name holds it."""
    source = f"{ALL_DOCUMENTS} AND (upper(d.number) LIKE ? OR cu.name ILIKE ?)"
    return source, [account_id, sql.escape_like(text.upper()) + "%", sql.like_pattern(text)]
