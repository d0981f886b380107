"""The notification queue (table ``notification_outbox``; the states are described in
:mod:`netmsg_tui.store.network`) and the log of emailed replies (table ``inbound_mail``).

Each customer reply queues one ``pending`` notice per user (:func:`.queries.queue_notifications`,
in the reply's transaction). Claims run in ``BEGIN IMMEDIATE``, so two senders on one file never
claim the same notice. Queries of :class:`~.network.SQLiteNetworkStore`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ...i18n import _
from ...model import InboundMail, Notice, User
from ..base import NotFound
from ..network import LEASE, MAX_ATTEMPTS, backoff, digest_boundary, reply_senders
from . import queries as q
from .connection import transaction
from .rows import parse_time, timestamp

Conn = sqlite3.Connection


def skip_unwanted(conn: Conn, now: datetime) -> int:
    with transaction(conn):
        return conn.execute(
            "UPDATE notification_outbox SET state = 'skipped', sent_at = ?, "
            "last_error = 'email notifications are turned off' "
            "WHERE state = 'pending' AND user_id IN "
            "(SELECT user_id FROM notification_prefs WHERE email_on_reply = 0)",
            (timestamp(now),),
        ).rowcount


def claim_immediate(conn: Conn, now: datetime, limit: int) -> list[int]:
    with transaction(conn):
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT o.id FROM notification_outbox o "
                "LEFT JOIN notification_prefs p ON p.user_id = o.user_id "
                "WHERE o.state IN ('pending', 'sending') AND o.next_attempt <= ? "
                "AND COALESCE(p.mode, 'immediate') = 'immediate' "
                "AND COALESCE(p.email_on_reply, 1) = 1 ORDER BY o.id LIMIT ?",
                (timestamp(now), limit),
            )
        ]
        _claim(conn, ids, now)
    return ids


def users_due_for_digest(conn: Conn, now: datetime, hour: int) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT o.user_id FROM notification_outbox o "
            "JOIN notification_prefs p ON p.user_id = o.user_id "
            "WHERE p.mode = 'daily' AND p.email_on_reply = 1 "
            "AND o.state IN ('pending', 'sending') AND o.next_attempt <= ? AND o.created < ? "
            "ORDER BY o.user_id",
            (timestamp(now), timestamp(digest_boundary(now, hour))),
        )
    ]


def claim_digest(conn: Conn, user_id: int, now: datetime, hour: int) -> list[int]:
    with transaction(conn):
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM notification_outbox WHERE user_id = ? "
                "AND state IN ('pending', 'sending') AND next_attempt <= ? AND created < ? "
                "ORDER BY id",
                (user_id, timestamp(now), timestamp(digest_boundary(now, hour))),
            )
        ]
        _claim(conn, ids, now)
    return ids


def _claim(conn: Conn, ids: list[int], now: datetime) -> None:
    conn.executemany(
        "UPDATE notification_outbox SET state = 'sending', attempts = attempts + 1, "
        "next_attempt = ? WHERE id = ?",
        [(timestamp(now + LEASE), i) for i in ids],
    )


def load(conn: Conn, notice_id: int) -> Notice:
    row = conn.execute(
        "SELECT o.user_id, u.account_id, u.name, u.email, o.conversation_id, o.message_id, "
        "v.subject, cu.name, d.kind, d.number, m.id FROM notification_outbox o "
        "JOIN users u ON u.id = o.user_id "
        "JOIN conversations v ON v.id = o.conversation_id "
        "JOIN customers cu ON cu.id = v.customer_id "
        "LEFT JOIN documents d ON d.id = v.document_id "
        "LEFT JOIN messages m ON m.id = o.message_id WHERE o.id = ?",
        (notice_id,),
    ).fetchone()
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
    with transaction(conn):
        conn.executemany(
            "UPDATE notification_outbox SET state = ?, sent_at = ?, last_error = ? "
            "WHERE id = ? AND state = 'sending'",
            [(state, timestamp(now), note, i) for i in ids],
        )


def retry_later(conn: Conn, ids: Sequence[int], error: str, now: datetime) -> None:
    with transaction(conn):
        for notice_id in ids:
            row = conn.execute(
                "SELECT attempts FROM notification_outbox WHERE id = ?", (notice_id,)
            ).fetchone()
            attempts = int(row[0])
            state = "failed" if attempts >= MAX_ATTEMPTS else "pending"
            conn.execute(
                "UPDATE notification_outbox SET state = ?, next_attempt = ?, last_error = ? "
                "WHERE id = ? AND state = 'sending'",
                (state, timestamp(now + backoff(attempts)), error[:500], notice_id),
            )


def counts(conn: Conn) -> dict[str, int]:
    return {
        r[0]: r[1]
        for r in conn.execute("SELECT state, COUNT(*) FROM notification_outbox GROUP BY state")
    }


# --- replies by email ---------------------------------------------------------------------------
_INBOUND = (
    "SELECT message_id, received, status, reason, conversation_id, stored_message_id, "
    "stripped_text, kept_at FROM inbound_mail"
)


def _inbound(row: Any) -> InboundMail:
    mid, received, status, reason, conv, stored, stripped, kept = row
    return InboundMail(mid, parse_time(received), status, reason, conv, stored, stripped, kept)


def inbound(conn: Conn, message_id: str) -> InboundMail | None:
    row = conn.execute(f"{_INBOUND} WHERE message_id = ?", (message_id,)).fetchone()
    return None if row is None else _inbound(row)


def record_inbound(conn: Conn, mail: InboundMail) -> None:
    with transaction(conn):
        conn.execute(
            "INSERT OR IGNORE INTO inbound_mail(message_id, received, status, reason,"
            " conversation_id, stored_message_id, stripped_text, kept_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (mail.message_id, timestamp(mail.received), mail.status, mail.reason,
             mail.conversation_id, mail.stored_message_id, mail.stripped_text, mail.kept_at),
        )  # fmt: skip


def inbound_log(conn: Conn, limit: int) -> list[InboundMail]:
    return [
        _inbound(r)
        for r in conn.execute(f"{_INBOUND} ORDER BY received DESC LIMIT ?", (max(limit, 1),))
    ]


def notification_addresses(conn: Conn, user_id: int) -> set[str] | None:
    row = conn.execute(
        "SELECT id, account_id, name, email FROM users WHERE id = ?", (user_id,)
    ).fetchone()
    if row is None:
        return None
    user = User(id=row[0], account_id=row[1], name=row[2], email=row[3])
    return reply_senders(user, q.read_prefs(conn, user))
