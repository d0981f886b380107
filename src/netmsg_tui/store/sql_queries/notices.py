"""The notification queue (table ``notification_outbox``) and the log of emailed replies (table
``inbound_mail``).

Each customer reply queues one ``pending`` notice per user, in the reply's transaction. The
states: ``pending`` → ``sending`` (claimed, with a lease) → ``sent`` / ``digested`` / ``skipped``,
or back to ``pending`` after an error, ``failed`` after ``MAX_ATTEMPTS``. A claim runs in one
transaction: on SQLite the one writer (``BEGIN IMMEDIATE``) keeps two senders apart; on
PostgreSQL each sender takes rows no other holds (``FOR UPDATE SKIP LOCKED``), none waits for
another, and a notice is claimed by one sender only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from ...i18n import _
from ...model import InboundMail, Notice, User
from .. import sql
from ..base import NotFound
from ..network import LEASE, MAX_ATTEMPTS, backoff, digest_boundary, reply_senders
from ..sql import Row
from .dialect import Dialect, Queries
from .lookups import Lookups

C = TypeVar("C")
_DUE_NOW = (
    "SELECT o.id FROM notification_outbox o "
    "LEFT JOIN notification_prefs p ON p.user_id = o.user_id "
    "WHERE o.state IN ('pending', 'sending') AND o.next_attempt <= ? "
    "AND COALESCE(p.mode, 'immediate') = 'immediate' "
    "AND COALESCE(p.email_on_reply, TRUE) = TRUE ORDER BY o.id LIMIT ?"
)
_DIGEST_USERS = (
    "SELECT DISTINCT o.user_id FROM notification_outbox o "
    "JOIN notification_prefs p ON p.user_id = o.user_id "
    "WHERE p.mode = 'daily' AND p.email_on_reply = TRUE "
    "AND o.state IN ('pending', 'sending') AND o.next_attempt <= ? AND o.created < ? "
    "ORDER BY o.user_id"
)
_DIGEST = (
    "SELECT id FROM notification_outbox WHERE user_id = ? "
    "AND state IN ('pending', 'sending') AND next_attempt <= ? AND created < ? ORDER BY id"
)
_NOTICE = (
    "SELECT o.user_id, u.account_id, u.name, u.email, o.conversation_id, o.message_id, "
    "v.subject, cu.name, d.kind, d.number, m.id FROM notification_outbox o "
    "JOIN users u ON u.id = o.user_id "
    "JOIN conversations v ON v.id = o.conversation_id "
    "JOIN customers cu ON cu.id = v.customer_id "
    "LEFT JOIN documents d ON d.id = v.document_id "
    "LEFT JOIN messages m ON m.id = o.message_id WHERE o.id = ?"
)
_INBOUND = (
    "SELECT message_id, received, status, reason, conversation_id, stored_message_id, "
    "stripped_text, kept_at FROM inbound_mail"
)
_RECORD_INBOUND = (
    "INSERT INTO inbound_mail(message_id, received, status, reason, conversation_id,"
    " stored_message_id, stripped_text, kept_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (message_id) DO NOTHING"
)


def _inbound(row: Row) -> InboundMail:
    return InboundMail(row[0], sql.moment(row[1]), *row[2:])


class Notices(Queries[C]):
    def __init__(self, db: Dialect[C]) -> None:
        super().__init__(db)
        self.look = Lookups(db)

    def skip_unwanted(self, conn: C, now: datetime) -> int:
        with self.db.transaction(conn):
            return self.db.execute(
                conn,
                "UPDATE notification_outbox SET state = 'skipped', sent_at = ?, "
                "last_error = 'email notifications are turned off' "
                "WHERE state = 'pending' AND user_id IN "
                "(SELECT user_id FROM notification_prefs WHERE email_on_reply = FALSE)",
                (self.db.time(now),),
            ).rowcount

    def claim_immediate(self, conn: C, now: datetime, limit: int) -> list[int]:
        with self.db.transaction(conn):
            due = _DUE_NOW + self.db.for_update("o", skip_locked=True)
            ids = [int(r[0]) for r in self.db.all(conn, due, (self.db.time(now), limit))]
            self._claim(conn, ids, now)
        return ids

    def users_due_for_digest(self, conn: C, now: datetime, hour: int) -> list[int]:
        args = (self.db.time(now), self.db.time(digest_boundary(now, hour)))
        return [int(r[0]) for r in self.db.all(conn, _DIGEST_USERS, args)]

    def claim_digest(self, conn: C, user_id: int, now: datetime, hour: int) -> list[int]:
        args = (user_id, self.db.time(now), self.db.time(digest_boundary(now, hour)))
        with self.db.transaction(conn):
            due = _DIGEST + self.db.for_update(skip_locked=True)
            ids = [int(r[0]) for r in self.db.all(conn, due, args)]
            self._claim(conn, ids, now)
        return ids

    def _claim(self, conn: C, ids: list[int], now: datetime) -> None:
        lease = self.db.time(now + LEASE)
        self._update(
            conn, ids, "state = 'sending', attempts = attempts + 1, next_attempt = ?", [lease]
        )

    def _update(
        self, conn: C, ids: Sequence[int], assignments: str, args: list[Any], only: str = ""
    ) -> None:
        """``UPDATE … SET assignments`` (``args``) on the notices ``ids`` (and ``only``)."""
        if ids:
            among, id_args = self.db.among("id", ids)
            self.db.execute(
                conn,
                f"UPDATE notification_outbox SET {assignments} WHERE {among}{only}",
                [*args, *id_args],
            )

    def load(self, conn: C, notice_id: int) -> Notice:
        row = self.db.one(conn, _NOTICE, (notice_id,))
        if row is None or row[10] is None:
            raise NotFound(
                _("Notification {notice_id} points at no thread or message").format(
                    notice_id=notice_id
                )
            )
        user = User(id=row[0], account_id=row[1], name=row[2], email=row[3])
        return Notice(
            notice_id=notice_id,
            user=user,
            prefs=self.look.prefs(conn, user),
            conversation_id=row[4],
            subject=row[6],
            customer_name=row[7],
            document_kind=row[8],
            document_number=row[9] if row[8] else None,
            message=self.look.message(conn, row[5]),
        )

    def finish(self, conn: C, ids: Sequence[int], state: str, now: datetime, note: str) -> None:
        with self.db.transaction(conn):
            self._update(
                conn,
                ids,
                "state = ?, sent_at = ?, last_error = ?",
                [state, self.db.time(now), note],
                " AND state = 'sending'",
            )

    def note_email(
        self, conn: C, ids: Sequence[int], email_message_id: str, addresses: Sequence[str]
    ) -> None:
        """The notification email's Message-ID and addresses (the delivery trail)."""
        # JSON text on every engine: the column is text on both.
        sent_to = json.dumps(list(addresses))
        with self.db.transaction(conn):
            self._update(
                conn, ids, "email_message_id = ?, sent_to = ?", [email_message_id, sent_to]
            )

    def retry_later(self, conn: C, ids: Sequence[int], error: str, now: datetime) -> None:
        with self.db.transaction(conn):
            for notice_id in ids:
                row = self.db.one(
                    conn,
                    "SELECT attempts FROM notification_outbox WHERE id = ?" + self.db.for_update(),
                    (notice_id,),
                )
                if row is None:
                    continue
                attempts = int(row[0])
                state = "failed" if attempts >= MAX_ATTEMPTS else "pending"
                self.db.execute(
                    conn,
                    "UPDATE notification_outbox SET state = ?, next_attempt = ?, last_error = ? "
                    "WHERE id = ? AND state = 'sending'",
                    (state, self.db.time(now + backoff(attempts)), error[:500], notice_id),
                )

    def counts(self, conn: C) -> dict[str, int]:
        found = self.db.all(conn, "SELECT state, COUNT(*) FROM notification_outbox GROUP BY state")
        return {str(r[0]): int(r[1]) for r in found}

    # -- replies by email -----------------------------------------------------------------------
    def inbound(self, conn: C, message_id: str) -> InboundMail | None:
        row = self.db.one(conn, f"{_INBOUND} WHERE message_id = ?", (message_id,))
        return None if row is None else _inbound(row)

    def record_inbound(self, conn: C, mail: InboundMail) -> None:
        with self.db.transaction(conn):
            self.db.execute(
                conn,
                _RECORD_INBOUND,
                (mail.message_id, self.db.time(mail.received), mail.status, mail.reason,
                 mail.conversation_id, mail.stored_message_id, mail.stripped_text, mail.kept_at),
            )  # fmt: skip

    def inbound_log(self, conn: C, limit: int) -> list[InboundMail]:
        found = self.db.all(conn, f"{_INBOUND} ORDER BY received DESC LIMIT ?", (max(limit, 1),))
        return [_inbound(r) for r in found]

    def notification_addresses(self, conn: C, user_id: int) -> set[str] | None:
        row = self.db.one(
            conn, "SELECT id, account_id, name, email FROM users WHERE id = ?", (user_id,)
        )
        if row is None:
            return None
        user = User(id=row[0], account_id=row[1], name=row[2], email=row[3])
        return reply_senders(user, self.look.prefs(conn, user))
