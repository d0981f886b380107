"""Turn a current SQLite store file back into an older schema version, so a test can check the
migration from there: each function undoes one version's step (newest first)."""

from __future__ import annotations

import sqlite3


def undo_v6(conn: sqlite3.Connection) -> None:
    """Version 6 -> 5: no language in the notification preferences."""
    conn.execute("ALTER TABLE notification_prefs DROP COLUMN language")


def undo_v5(conn: sqlite3.Connection) -> None:
    """Version 5 -> 4: no delivery trail columns, read marks or look-up indexes."""
    conn.execute("DROP TABLE customer_reads")
    for index in (
        "inbound_mail_stored",
        "inbound_mail_conversation",
        "notification_outbox_message",
        "idempotency_message",
    ):
        conn.execute(f"DROP INDEX {index}")
    conn.execute("ALTER TABLE inbound_mail DROP COLUMN kept_at")
    conn.execute("ALTER TABLE notification_outbox DROP COLUMN email_message_id")
    conn.execute("ALTER TABLE notification_outbox DROP COLUMN sent_to")
