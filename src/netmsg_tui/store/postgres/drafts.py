"""Durable drafts of the PostgreSQL store: one row per user and place (table ``drafts``, schema
v2), as in the SQLite store. Saving again deletes and inserts the row, so it gets a new ``id``
and ordering by ``id`` lists the least recently saved first.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..base import draft_data, draft_json
from .connection import Conn


def save(conn: Conn, user_id: int, place: str, data: dict[str, Any]) -> None:
    text = draft_json(place, data)
    with conn.transaction():
        conn.execute("DELETE FROM drafts WHERE user_id = %s AND place = %s", (user_id, place))
        conn.execute(
            "INSERT INTO drafts(user_id, place, data, updated) VALUES (%s, %s, %s, %s)",
            (user_id, place, text, datetime.now(UTC)),
        )


def load(conn: Conn, user_id: int) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    rows = conn.execute(
        "SELECT place, data FROM drafts WHERE user_id = %s ORDER BY id", (user_id,)
    ).fetchall()
    for place, text in rows:
        data = draft_data(text)
        if data is not None:
            found[place] = data
    return found


def delete(conn: Conn, user_id: int, place: str) -> None:
    conn.execute("DELETE FROM drafts WHERE user_id = %s AND place = %s", (user_id, place))
