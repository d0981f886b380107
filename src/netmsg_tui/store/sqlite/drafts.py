"""Durable drafts of the SQLite store: one row per user and place (table ``drafts``, schema v2).

Blocking functions for the store's thread; :class:`~.store.SQLiteStore` calls them for the
acting user. ``INSERT OR REPLACE`` gives a saved-again draft a new ``id``, so ordering by ``id``
lists the least recently saved first.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..base import draft_data, draft_json
from .connection import transaction
from .rows import now_text


def save(conn: sqlite3.Connection, user_id: int, place: str, data: dict[str, Any]) -> None:
    text = draft_json(place, data)
    with transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO drafts(user_id, place, data, updated) VALUES (?, ?, ?, ?)",
            (user_id, place, text, now_text()),
        )


def load(conn: sqlite3.Connection, user_id: int) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    rows = conn.execute("SELECT place, data FROM drafts WHERE user_id = ? ORDER BY id", (user_id,))
    for place, text in rows:
        data = draft_data(text)
        if data is not None:
            found[place] = data
    return found


def delete(conn: sqlite3.Connection, user_id: int, place: str) -> None:
    with transaction(conn):
        conn.execute("DELETE FROM drafts WHERE user_id = ? AND place = ?", (user_id, place))
