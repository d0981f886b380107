"""Full-text search of conversations on the SQLite store.

With FTS5, every message is indexed with its thread's context (subject, customer name, document
number) and its account. A conversation matches when one of its messages contains every word
typed (as prefixes) in its body or context; results come **newest matching message first**, and a
page is found by walking the index backwards from the newest row until it is full, so the cost
stays flat however large the store (no sort of all hits). The cursor is the message id where a
page ended; the next page skips conversations that already matched above it.

Without FTS5 (some SQLite builds), the same meaning is approximated with ``LIKE`` over subject,
customer, document number and bodies; slower on big stores, but correct.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from ...model import Conversation, Identity, Page
from .. import sql
from ..sql_queries.lookups import CONVERSATION_FROM
from ..sql_reads import Filter

Conn = sqlite3.Connection
_CHUNK = 256
MAX_EXPANSIONS = 50  # whole words a typed prefix stands for; documented in the README
_WORD = re.compile(r"\w+")


def terms(text: str) -> set[str]:
    """The words of ``text`` as FTS5's unicode61 tokenizer sees them (lower case, no accents)."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return set(_WORD.findall(plain))


def remember_terms(conn: Conn, account_id: int, words: Iterable[str]) -> None:
    """Add words to the account's own vocabulary: what one tenant writes never changes what
    another's prefixes expand to (a shared table let a customer of one supplier flood the 50
    expansions of another's search with words of its own)."""
    conn.executemany(
        "INSERT OR IGNORE INTO search_terms(account_id, term) VALUES (?, ?)",
        ((account_id, w) for w in words),
    )


def index_message(
    conn: Conn, account_id: int, conversation_id: int, message_id: int, body: str
) -> None:
    """Index one new message (called in the transaction that stores it)."""
    context = conn.execute(
        "SELECT v.subject || ' ' || cu.name || ' ' || COALESCE(d.number, '') "
        "FROM conversations v JOIN customers cu ON cu.id = v.customer_id "
        "LEFT JOIN documents d ON d.id = v.document_id WHERE v.id = ?",
        (conversation_id,),
    ).fetchone()[0]
    conn.execute(
        "INSERT INTO search_fts(rowid, body, context, tenant) VALUES (?, ?, ?, ?)",
        (message_id, body, context, tenant_token(account_id)),
    )
    remember_terms(conn, account_id, terms(body) | terms(context))


def tenant_token(account_id: int) -> str:
    return f"a{account_id}"


def match_expression(conn: Conn, account_id: int, query: str) -> str | None:
    """The FTS5 query: every typed word, each standing for the whole words it begins.
    None when some word begins no indexed word (nothing can match)."""
    groups = []
    for word in sorted(terms(query))[:8]:
        found = [
            r[0]
            for r in conn.execute(
                "SELECT term FROM search_terms WHERE account_id = ? AND term >= ? AND term < ? "
                "ORDER BY term LIMIT ?",
                (account_id, word, word + "\U0010ffff", MAX_EXPANSIONS),
            )
        ]
        if not found:
            return None
        groups.append("(" + " OR ".join(f'"{t}"' for t in found) + ")")
    if not groups:
        return None
    return f'tenant:"{tenant_token(account_id)}" AND {{body context}} : ({" AND ".join(groups)})'


def search(
    conn: Conn, me: Identity, query: str, filters: Filter, cursor: str | None, limit: int
) -> Page[Conversation]:
    """:meth:`~netmsg_tui.store.sql_reads.SQLReads._search` on FTS5."""
    match = match_expression(conn, me.account.id, query)
    if match is None:
        return Page((), None)
    boundary = sql.int_cursor(cursor) if cursor else None
    shown_above = _matched_at_or_above(conn, match, boundary) if boundary else set()
    seen: set[int] = set(shown_above)
    found: list[tuple[Conversation, int]] = []
    for chunk in _matching_messages(conn, match, boundary):
        order: list[tuple[int, int]] = []
        for message_id, conversation_id in chunk:
            if conversation_id not in seen:
                seen.add(conversation_id)
                order.append((conversation_id, message_id))
        if not order:
            continue
        by_id = _conversations(conn, me, [c for c, _ in order], filters)
        for conversation_id, message_id in order:
            if conversation_id in by_id:
                found.append((by_id[conversation_id], message_id))
        if len(found) > limit:
            break
    if len(found) > limit:
        return Page(tuple(c for c, _ in found[:limit]), str(found[limit - 1][1]))
    return Page(tuple(c for c, _ in found), None)


def _matching_messages(
    conn: Conn, match: str, boundary: int | None
) -> Iterator[list[tuple[int, int]]]:
    """(message id, conversation id) of matching messages, newest first, in chunks."""
    sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH ?"
    args: list[Any] = [match]
    if boundary is not None:
        sql += " AND rowid < ?"
        args.append(boundary)
    cur = conn.execute(sql + " ORDER BY rowid DESC", args)
    while ids := [r[0] for r in cur.fetchmany(_CHUNK)]:
        marks = ",".join("?" * len(ids))
        owner = dict(
            conn.execute(f"SELECT id, conversation_id FROM messages WHERE id IN ({marks})", ids)
        )
        yield [(i, owner[i]) for i in ids if i in owner]


def _matched_at_or_above(conn: Conn, match: str, boundary: int) -> set[int]:
    """Conversations with a match at or above the cursor: earlier pages showed them."""
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid >= ?",
            (match, boundary),
        )
    ]
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ",".join("?" * len(part))
        found.update(
            r[0]
            for r in conn.execute(
                f"SELECT conversation_id FROM messages WHERE id IN ({marks})", part
            )
        )
    return found


def _conversations(
    conn: Conn, me: Identity, ids: list[int], filters: Filter
) -> dict[int, Conversation]:
    marks = ",".join("?" * len(ids))
    extra, extra_args = filters
    # "+v.account_id": SQLite is to find the rows by id, not walk the account's index.
    found = conn.execute(
        f"SELECT {sql.CONVERSATION_COLUMNS} {CONVERSATION_FROM}"
        f"WHERE v.id IN ({marks}) AND +v.account_id = ?{extra}",
        [me.user.id, *ids, me.account.id, *extra_args],
    )
    return {c.id: c for c in map(sql.conversation, found)}


def like_hits(query: str) -> Filter:
    """Without FTS5: SQL for ids of conversations in which every word appears somewhere."""
    parts: list[str] = []
    args: list[Any] = []
    for word in query.split()[:8]:
        parts.append(
            "SELECT v2.id FROM conversations v2 JOIN customers c2 ON c2.id = v2.customer_id "
            "LEFT JOIN documents d2 ON d2.id = v2.document_id "
            "WHERE v2.subject LIKE ? ESCAPE '\\' OR c2.name LIKE ? ESCAPE '\\' "
            "OR d2.number LIKE ? ESCAPE '\\' "
            "UNION SELECT conversation_id FROM messages WHERE body LIKE ? ESCAPE '\\'"
        )
        args += [sql.like_pattern(word)] * 4
    return " INTERSECT ".join(f"SELECT * FROM ({part})" for part in parts), args


#: Hits counted up to this many decide how a document search runs (see documents_matching).
DENSE_HITS = 2000


def documents_matching(conn: Conn, account_id: int, text: str) -> Filter:
    """``FROM … WHERE …`` of the account's documents whose number starts with ``text`` (as typed,
    or in capitals: the unique index) or whose customer's name holds it.

    Few hits (a whole number, a rare name): they are collected by index first, then sorted;
    walking 100,000 documents by date for them cost 40-200 ms. The customers are matched first
    (CROSS JOIN: SQLite keeps that order), then their documents found by index: with a plain
    JOIN SQLite walked all the account's documents to look up each one's customer (20-40 ms
    for every search). Many hits (a short prefix such as "4500", a common part of names):
    collecting and sorting 50,000 of them cost 200-400 ms, while the documents walked newest
    first fill a page in ~1 ms. Which of the two: the hits counted up to DENSE_HITS (~1 ms)."""
    upper = text.upper()
    pattern = sql.like_pattern(text)
    numbers = [text, text + "\U0010ffff", upper, upper + "\U0010ffff"]
    branches = (
        "SELECT id FROM documents WHERE account_id = ? AND number >= ? AND number < ?",
        "SELECT id FROM documents WHERE account_id = ? AND number >= ? AND number < ?",
        "SELECT d2.id FROM customers c2 CROSS JOIN documents d2"
        " ON d2.account_id = ? AND d2.customer_id = c2.id WHERE c2.name LIKE ? ESCAPE '\\'",
    )
    hit_args = [account_id, *numbers[:2], account_id, *numbers[2:], account_id, pattern]
    counting = f"SELECT count(*) FROM ({' UNION ALL '.join(branches)} LIMIT ?)"
    (counted,) = conn.execute(counting, [*hit_args, DENSE_HITS]).fetchone()
    if counted < DENSE_HITS:
        source = (
            f"FROM ({' UNION '.join(branches)}) AS hits CROSS JOIN documents d ON d.id = hits.id "
            "JOIN customers cu ON cu.id = d.customer_id WHERE d.account_id = ?"
        )
        return source, [*hit_args, account_id]
    source = (
        "FROM documents d JOIN customers cu ON cu.id = d.customer_id WHERE d.account_id = ?"
        " AND (d.number >= ? AND d.number < ? OR d.number >= ? AND d.number < ?"
        " OR d.customer_id IN (SELECT id FROM customers WHERE name LIKE ? ESCAPE '\\'))"
    )
    return source, [account_id, *numbers, pattern]
