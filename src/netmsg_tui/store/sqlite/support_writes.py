"""The network's writes for the delivery trail (SQLite): the customer's read marks and the
notification email's Message-ID and addresses. Queries of :class:`~.network.SQLiteNetworkStore`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from ...i18n import _
from ..base import NotFound
from .connection import transaction
from .rows import timestamp

Conn = sqlite3.Connection


def customer_mark_read(conn: Conn, contact_id: int, conversation_id: int, now: datetime) -> None:
    with transaction(conn):
        row = conn.execute(
            "SELECT k.name, (SELECT MAX(id) FROM messages WHERE conversation_id = v.id), "
            "(SELECT MAX(up_to_message_id) FROM customer_reads "
            " WHERE conversation_id = v.id AND contact_id = k.id) "
            "FROM customer_contacts k JOIN conversations v ON v.customer_id = k.customer_id "
            "WHERE k.id = ? AND v.id = ?",
            (contact_id, conversation_id),
        ).fetchone()
        if row is None:
            raise NotFound(_("No such conversation"))
        name, newest, last = row
        if newest is not None and (last is None or newest > last):
            conn.execute(
                "INSERT INTO customer_reads(conversation_id, contact_id, contact_name, "
                "up_to_message_id, read_at) VALUES (?, ?, ?, ?, ?)",
                (conversation_id, contact_id, name, newest, timestamp(now)),
            )


def note_notice_email(
    conn: Conn, ids: Sequence[int], email_message_id: str, addresses: Sequence[str]
) -> None:
    with transaction(conn):
        conn.executemany(
            "UPDATE notification_outbox SET email_message_id = ?, sent_to = ? WHERE id = ?",
            [(email_message_id, json.dumps(list(addresses)), i) for i in ids],
        )
