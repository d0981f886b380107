"""The notification queue (table ``notification_outbox``) and the log of emailed replies.

The states are the SQLite store's (see ``store/sqlite/notices.py``): ``pending`` → ``sending``
(claimed, with a lease) → ``sent`` / ``digested`` / ``skipped``, or back to ``pending`` after an
error, ``failed`` after ``MAX_ATTEMPTS``. Several senders (one per server process, on several
machines) claim with ``FOR UPDATE SKIP LOCKED``: each takes rows no other sender holds, none
waits for another, and a notice is claimed by one sender only.
Queries of :class:`~.network.PostgresNetworkStore`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ...i18n import _
from ...model import InboundMail, Notice, User
from ..base import NotFound
from ..network import LEASE, MAX_ATTEMPTS, backoff, digest_boundary, reply_senders
from . import queries as q
from .connection import Conn
from .rows import Row


def skip_unwanted(conn: Conn, now: datetime) -> int:
    cur = conn.execute(
        "UPDATE notification_outbox SET state = 'skipped', sent_at = %s, "
        "last_error = 'email notifications are turned off' "
        "WHERE state = 'pending' AND user_id IN "
        "(SELECT user_id FROM notification_prefs WHERE NOT email_on_reply)",
        (now,),
    )
    return cur.rowcount


def claim_immediate(conn: Conn, now: datetime, limit: int) -> list[int]:
    with conn.transaction():
        ids = [
            int(r[0])
            for r in q.many(
                conn,
                "SELECT o.id FROM notification_outbox o "
                "LEFT JOIN notification_prefs p ON p.user_id = o.user_id "
                "WHERE o.state IN ('pending', 'sending') AND o.next_attempt <= %s "
                "AND COALESCE(p.mode, 'immediate') = 'immediate' "
                "AND COALESCE(p.email_on_reply, true) ORDER BY o.id LIMIT %s "
                "FOR UPDATE OF o SKIP LOCKED",
                (now, limit),
            )
        ]
        _claim(conn, ids, now)
    return ids


def users_due_for_digest(conn: Conn, now: datetime, hour: int) -> list[int]:
    return [
        int(r[0])
        for r in q.many(
            conn,
            "SELECT DISTINCT o.user_id FROM notification_outbox o "
            "JOIN notification_prefs p ON p.user_id = o.user_id "
            "WHERE p.mode = 'daily' AND p.email_on_reply "
            "AND o.state IN ('pending', 'sending') AND o.next_attempt <= %s AND o.created < %s "
            "ORDER BY o.user_id",
            (now, digest_boundary(now, hour)),
        )
    ]


def claim_digest(conn: Conn, user_id: int, now: datetime, hour: int) -> list[int]:
    with conn.transaction():
        ids = [
            int(r[0])
            for r in q.many(
                conn,
                "SELECT id FROM notification_outbox WHERE user_id = %s "
                "AND state IN ('pending', 'sending') AND next_attempt <= %s AND created < %s "
                "ORDER BY id FOR UPDATE SKIP LOCKED",
                (user_id, now, digest_boundary(now, hour)),
            )
        ]
        _claim(conn, ids, now)
    return ids


def _claim(conn: Conn, ids: list[int], now: datetime) -> None:
    if ids:
        conn.execute(
            "UPDATE notification_outbox SET state = 'sending', attempts = attempts + 1, "
            "next_attempt = %s WHERE id = ANY(%s)",
            (now + LEASE, ids),
        )


def load(conn: Conn, notice_id: int) -> Notice:
    row = q.one(
        conn,
        "SELECT o.user_id, u.account_id, u.name, u.email, o.conversation_id, o.message_id, "
        "v.subject, cu.name, d.kind, d.number, m.id FROM notification_outbox o "
        "JOIN users u ON u.id = o.user_id "
        "JOIN conversations v ON v.id = o.conversation_id "
        "JOIN customers cu ON cu.id = v.customer_id "
        "LEFT JOIN documents d ON d.id = v.document_id "
        "LEFT JOIN messages m ON m.id = o.message_id WHERE o.id = %s",
        (notice_id,),
    )
    if row is None or row[10] is None:
        raise NotFound(
            _("Notification {notice_id} points at no thread or message").format(notice_id=notice_id)
        )
    user = User(id=row[0], account_id=row[1], name=row[2], email=row[3])
    return Notice(
        notice_id=notice_id,
        user=user,
        prefs=q.read_prefs(conn, user),
        conversation_id=row[4],
        subject=row[6],
        customer_name=row[7],
        document_kind=row[8],
        document_number=row[9] if row[8] else None,
        message=q.get_message(conn, row[5]),
    )


def finish(conn: Conn, ids: Sequence[int], state: str, now: datetime, note: str) -> None:
    conn.execute(
        "UPDATE notification_outbox SET state = %s, sent_at = %s, last_error = %s "
        "WHERE id = ANY(%s) AND state = 'sending'",
        (state, now, note, list(ids)),
    )


def retry_later(conn: Conn, ids: Sequence[int], error: str, now: datetime) -> None:
    with conn.transaction():
        for notice_id in ids:
            row = q.one(
                conn,
                "SELECT attempts FROM notification_outbox WHERE id = %s FOR UPDATE",
                (notice_id,),
            )
            if row is None:
                continue
            attempts = int(row[0])
            state = "failed" if attempts >= MAX_ATTEMPTS else "pending"
            conn.execute(
                "UPDATE notification_outbox SET state = %s, next_attempt = %s, last_error = %s "
                "WHERE id = %s AND state = 'sending'",
                (state, now + backoff(attempts), error[:500], notice_id),
            )


def counts(conn: Conn) -> dict[str, int]:
    return {
        str(r[0]): int(r[1])
        for r in q.many(conn, "SELECT state, COUNT(*) FROM notification_outbox GROUP BY state", ())
    }


# --- replies by email ---------------------------------------------------------------------------
_INBOUND = (
    "SELECT message_id, received, status, reason, conversation_id, stored_message_id, "
    "stripped_text, kept_at FROM inbound_mail"
)


def _inbound(row: Row) -> InboundMail:
    return InboundMail(*row)


def inbound(conn: Conn, message_id: str) -> InboundMail | None:
    row = q.one(conn, f"{_INBOUND} WHERE message_id = %s", (message_id,))
    return None if row is None else _inbound(row)


def record_inbound(conn: Conn, mail: InboundMail) -> None:
    conn.execute(
        "INSERT INTO inbound_mail(message_id, received, status, reason, conversation_id,"
        " stored_message_id, stripped_text, kept_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (message_id) DO NOTHING",
        (mail.message_id, mail.received, mail.status, mail.reason, mail.conversation_id,
         mail.stored_message_id, mail.stripped_text, mail.kept_at),
    )  # fmt: skip


def inbound_log(conn: Conn, limit: int) -> list[InboundMail]:
    return [
        _inbound(r)
        for r in q.many(conn, f"{_INBOUND} ORDER BY received DESC LIMIT %s", (max(limit, 1),))
    ]


def notification_addresses(conn: Conn, user_id: int) -> set[str] | None:
    row = q.one(conn, "SELECT id, account_id, name, email FROM users WHERE id = %s", (user_id,))
    if row is None:
        return None
    user = User(id=row[0], account_id=row[1], name=row[2], email=row[3])
    return reply_senders(user, q.read_prefs(conn, user))
