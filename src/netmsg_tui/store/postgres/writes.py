"""The PostgreSQL adapter's storage steps: rows a write adds, inside the caller's transaction.

These decide nothing (who may write what is the rules' business); they store a conversation or
a message with everything that goes with it: its search words, content-addressed files, the
thread's counters and preview, unread counts, queued notifications and the change feed entry.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Sequence
from datetime import datetime

from ...model import AuthorKind, NewAttachment, Origin
from . import search
from .connection import Conn
from .queries import many, one

# Any fixed number: the advisory lock that orders the change feed (see record_change).
CHANGE_LOCK = 0x6E6D6366

PreparedFile = tuple[NewAttachment, str]


def prepare(attachments: Sequence[NewAttachment]) -> list[PreparedFile]:
    """Hash each file and fill in its media type (guessed from the name when not given)."""
    prepared = []
    for att in attachments:
        media = (
            att.media_type or mimetypes.guess_type(att.filename)[0] or "application/octet-stream"
        )
        att = NewAttachment(att.filename, att.data, media)
        prepared.append((att, hashlib.sha256(att.data).hexdigest()))
    return prepared


async def now(conn: Conn) -> datetime:
    """The database's clock: one clock for every server process on every machine."""
    row = await one(conn, "SELECT clock_timestamp()", ())
    assert row is not None
    moment: datetime = row[0]
    return moment


async def record_change(
    conn: Conn,
    account_id: int,
    conversation_id: int,
    message_id: int | None,
    kind: str,
    author_kind: str | None,
) -> None:
    """Add a change feed entry. Call it last in a transaction: the lock it takes is held until
    commit, so change ids become visible in order and a reader's cursor never passes an id that
    a slower writer has yet to commit (an identity alone is handed out before commit)."""
    await conn.execute("SELECT pg_advisory_xact_lock(%s)", (CHANGE_LOCK,))
    await conn.execute(
        "INSERT INTO changes(account_id, conversation_id, message_id, kind, author_kind) "
        "VALUES (%s, %s, %s, %s, %s)",
        (account_id, conversation_id, message_id, kind, author_kind),
    )


async def insert_conversation(
    conn: Conn,
    account_id: int,
    customer_id: int,
    document_id: int | None,
    subject: str,
    when: datetime,
) -> int:
    row = await one(
        conn,
        "INSERT INTO conversations(account_id, customer_id, document_id, subject, created,"
        " last_activity) VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
        (account_id, customer_id, document_id, subject, when, when),
    )
    assert row is not None
    return int(row[0])


async def insert_message(
    conn: Conn,
    account_id: int,
    conversation_id: int,
    author_kind: AuthorKind,
    author_user_id: int | None,
    author_name: str,
    body: str,
    origin: Origin,
    files: list[PreparedFile],
    when: datetime,
) -> int:
    """Store a message and what goes with it. A customer's message counts as unread for every
    user of the account and queues their email notifications. The caller records the change
    (last, see :func:`record_change`)."""
    row = await one(
        conn,
        "INSERT INTO messages(conversation_id, author_kind, author_user_id, author_name,"
        " body, sent_at, origin) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (conversation_id, author_kind, author_user_id, author_name, body, when, origin),
    )
    assert row is not None
    message_id = int(row[0])
    await search.index_message(conn, account_id, conversation_id, message_id, body)
    for att, digest in files:
        await conn.execute(
            "INSERT INTO blobs(sha256, size, data) VALUES (%s, %s, %s) "
            "ON CONFLICT (sha256) DO NOTHING",
            (digest, len(att.data), att.data),
        )
        await conn.execute(
            "INSERT INTO attachments(message_id, filename, size, media_type, sha256) "
            "VALUES (%s, %s, %s, %s, %s)",
            (message_id, att.filename, len(att.data), att.media_type, digest),
        )
    preview = " ".join(body.split())[:120] or f"📎 {files[0][0].filename}"
    await conn.execute(
        "UPDATE conversations SET last_activity = %s, message_count = message_count + 1,"
        " last_preview = %s WHERE id = %s",
        (when, preview, conversation_id),
    )
    await conn.execute(
        "UPDATE unread SET last_activity = %s WHERE conversation_id = %s", (when, conversation_id)
    )
    if author_kind == "customer":
        await conn.execute(
            "INSERT INTO unread(user_id, conversation_id, count, last_activity) "
            "SELECT id, %s, 1, %s FROM users WHERE account_id = %s "
            "ON CONFLICT (user_id, conversation_id) DO UPDATE SET count = unread.count + 1",
            (conversation_id, when, account_id),
        )
        await queue_notifications(conn, account_id, conversation_id, message_id, when)
    return message_id


async def queue_notifications(
    conn: Conn, account_id: int, conversation_id: int, message_id: int, when: datetime
) -> None:
    """One email notification per user who wants them (the outbox; mail/ delivers it)."""
    await conn.execute(
        "INSERT INTO notification_outbox(user_id, conversation_id, message_id, created,"
        " next_attempt) SELECT u.id, %s, %s, %s, %s FROM users u "
        "LEFT JOIN notification_prefs p ON p.user_id = u.id "
        "WHERE u.account_id = %s AND p.email_on_reply IS NOT FALSE ORDER BY u.id",
        (conversation_id, message_id, when, when, account_id),
    )


async def replayed(conn: Conn, scope: str, key: str | None) -> tuple[int, int, str] | None:
    """The (conversation, message, fingerprint) a repeated idempotency key stored, or None.
    Locks the key first, so two requests with one key run one after the other."""
    if not key:
        return None
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"{scope}\0{key}",)
    )
    found = await many(
        conn,
        "SELECT conversation_id, message_id, fingerprint FROM idempotency "
        "WHERE scope = %s AND key = %s",
        (scope, key),
    )
    if not found:
        return None
    return int(found[0][0]), int(found[0][1]), str(found[0][2])


async def remember(
    conn: Conn,
    scope: str,
    key: str | None,
    conversation_id: int,
    message_id: int,
    fingerprint: str,
) -> None:
    if key:
        await conn.execute(
            "INSERT INTO idempotency VALUES (%s, %s, %s, %s, %s)",
            (scope, key, conversation_id, message_id, fingerprint),
        )
