"""The notification outbox: claiming due rows and recording what became of them.

The SQLite adapter queues one ``pending`` row per user in the same transaction as each customer
reply. A sender moves a row through these states:

* ``pending``  — waiting to be sent (``next_attempt`` says from when; it backs off after errors).
* ``sending``  — claimed by a sender; ``next_attempt`` is the end of its lease. A sender that
  died mid-send leaves the row ``sending``; after the lease another sender takes it again. The
  message keeps its ``Message-ID``, so even that rare second copy is one message to mail clients.
* ``sent``     — delivered to the SMTP server as its own email (``sent_at``).
* ``digested`` — delivered as a line of a daily digest (``sent_at``).
* ``skipped``  — not sent on purpose (the user turned email off, or has no address); the reason
  is in ``last_error``.
* ``failed``   — gave up after :data:`MAX_ATTEMPTS`; ``last_error`` says why. Nothing is deleted.

Claims run in ``BEGIN IMMEDIATE``, so two senders on one file never claim the same row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..model import DOCUMENT_KIND_LABELS, Message, NotificationPrefs, User
from ..store.sqlite.queries import get_message, read_prefs
from ..store.sqlite.rows import timestamp
from .db import Conn, transaction

MAX_ATTEMPTS = 10
LEASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: 1, 2, 4, … minutes, at most 6 hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


@dataclass(frozen=True, slots=True)
class Notice:
    """Everything one notification email says about one customer reply."""

    outbox_id: int
    user: User
    prefs: NotificationPrefs
    conversation_id: int
    subject: str
    customer_name: str
    document_title: str | None
    message: Message


def skip_unwanted(conn: Conn, now: datetime) -> int:
    """Mark pending rows of users who turned email off (after the row was queued) as skipped."""
    with transaction(conn):
        return conn.execute(
            "UPDATE notification_outbox SET state = 'skipped', sent_at = ?, "
            "last_error = 'email notifications are turned off' "
            "WHERE state = 'pending' AND user_id IN "
            "(SELECT user_id FROM notification_prefs WHERE email_on_reply = 0)",
            (timestamp(now),),
        ).rowcount


def claim_immediate(conn: Conn, now: datetime, limit: int = 50) -> list[int]:
    """Claim due rows of users who want one email per reply; returns their outbox ids."""
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


def digest_boundary(now: datetime, hour: int) -> datetime:
    """The latest daily digest time (``hour``:00 UTC) at or before ``now``."""
    today = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return today if now >= today else today - timedelta(days=1)


def users_due_for_digest(conn: Conn, now: datetime, hour: int) -> list[int]:
    """Users in daily mode with replies queued before the latest digest time."""
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
    """Claim every queued row of one daily-mode user that belongs in the digest due now."""
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


def load_notice(conn: Conn, outbox_id: int) -> Notice:
    row = conn.execute(
        "SELECT o.user_id, u.account_id, u.name, u.email, o.conversation_id, o.message_id, "
        "v.subject, cu.name, d.kind, d.number FROM notification_outbox o "
        "JOIN users u ON u.id = o.user_id "
        "JOIN conversations v ON v.id = o.conversation_id "
        "JOIN customers cu ON cu.id = v.customer_id "
        "LEFT JOIN documents d ON d.id = v.document_id WHERE o.id = ?",
        (outbox_id,),
    ).fetchone()
    user = User(id=row[0], account_id=row[1], name=row[2], email=row[3])
    title = f"{DOCUMENT_KIND_LABELS[row[8]]} {row[9]}" if row[8] else None
    return Notice(
        outbox_id=outbox_id,
        user=user,
        prefs=read_prefs(conn, user),
        conversation_id=row[4],
        subject=row[6],
        customer_name=row[7],
        document_title=title,
        message=get_message(conn, row[5]),
    )


def finish(conn: Conn, ids: list[int], state: str, now: datetime, note: str = "") -> None:
    """Record the end of a claimed row: ``sent``, ``digested`` or ``skipped``."""
    with transaction(conn):
        conn.executemany(
            "UPDATE notification_outbox SET state = ?, sent_at = ?, last_error = ? "
            "WHERE id = ? AND state = 'sending'",
            [(state, timestamp(now), note, i) for i in ids],
        )


def retry_later(conn: Conn, ids: list[int], error: str, now: datetime) -> None:
    """A try failed: back to ``pending`` with a backed-off ``next_attempt``, or ``failed``."""
    with transaction(conn):
        for outbox_id in ids:
            row = conn.execute(
                "SELECT attempts FROM notification_outbox WHERE id = ?", (outbox_id,)
            ).fetchone()
            attempts = int(row[0])
            state = "failed" if attempts >= MAX_ATTEMPTS else "pending"
            conn.execute(
                "UPDATE notification_outbox SET state = ?, next_attempt = ?, last_error = ? "
                "WHERE id = ? AND state = 'sending'",
                (state, timestamp(now + backoff(attempts)), error[:500], outbox_id),
            )


def counts(conn: Conn) -> dict[str, int]:
    """How many outbox rows are in each state (for ``netmsg notify --status``)."""
    return {
        r[0]: r[1]
        for r in conn.execute("SELECT state, COUNT(*) FROM notification_outbox GROUP BY state")
    }
