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

A page ranks each matching conversation by its newest matching message and pages with that
message id as the keyset cursor (``top < cursor``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ...model import Conversation, Identity, Page
from . import rows
from .connection import Conn
from .queries import CONVERSATION_JOINS, many

MAX_QUERY_WORDS = 8  # as on SQLite: more words narrow nothing in practice, and cost time
_WORD = re.compile(r"\w+")


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
    found = many(
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
    conn: Conn,
    me: Identity,
    query: str,
    filters: tuple[str, list[Any]],
    cursor: str | None,
    limit: int,
) -> Page[Conversation]:
    """A page of conversations matching ``query``; ``filters`` is extra SQL on ``v``/``u``."""
    match = tsquery(query)
    if match is None:
        return Page((), None)
    extra, extra_args = filters
    sql = (
        f"SELECT {rows.CONVERSATION_COLUMNS}, h.top FROM ("
        "SELECT conversation_id, max(message_id) AS top FROM message_search "
        "WHERE account_id = %s AND words @@ %s::tsquery GROUP BY conversation_id"
        f") h JOIN conversations v ON v.id = h.conversation_id {CONVERSATION_JOINS}"
        f"WHERE v.account_id = %s{extra}"
    )
    args: list[Any] = [me.account.id, match, me.user.id, me.account.id, *extra_args]
    if cursor:
        sql += " AND h.top < %s"
        args.append(rows.int_cursor(cursor))
    sql += " ORDER BY h.top DESC LIMIT %s"
    found = many(conn, sql, [*args, limit + 1])
    hits = [(rows.conversation(r), int(r[-1])) for r in found]
    if len(hits) > limit:
        return Page(tuple(c for c, _ in hits[:limit]), str(hits[limit - 1][1]))
    return Page(tuple(c for c, _ in hits), None)
