"""Canned replies of the SQLite store: one row per account and name (table ``templates``,
schema v4). Blocking functions for the store's thread; :class:`~.store.SQLiteStore` calls them
for the acting user's account."""

from __future__ import annotations

import sqlite3

from ...model import Template
from ..base import NotFound, check_template
from .connection import transaction
from .rows import now_text

_NOT_FOUND = "No template called {name!r}"


def load(conn: sqlite3.Connection, account_id: int) -> tuple[Template, ...]:
    rows = conn.execute(
        "SELECT name, body FROM templates WHERE account_id = ? ORDER BY name COLLATE NOCASE, name",
        (account_id,),
    )
    return tuple(Template(name, body) for name, body in rows)


def get(conn: sqlite3.Connection, account_id: int, name: str) -> Template:
    row = conn.execute(
        "SELECT name, body FROM templates WHERE account_id = ? AND name = ?", (account_id, name)
    ).fetchone()
    if row is None:
        raise NotFound(_NOT_FOUND.format(name=name))
    return Template(row[0], row[1])


def save(conn: sqlite3.Connection, account_id: int, user_id: int, name: str, body: str) -> Template:
    check_template(name, body)
    with transaction(conn):
        conn.execute(
            "INSERT INTO templates(account_id, name, body, updated, updated_by) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, name) DO UPDATE SET "
            "body = excluded.body, updated = excluded.updated, updated_by = excluded.updated_by",
            (account_id, name, body, now_text(), user_id),
        )
    return Template(name, body)


def delete(conn: sqlite3.Connection, account_id: int, name: str) -> None:
    with transaction(conn):
        gone = conn.execute(
            "DELETE FROM templates WHERE account_id = ? AND name = ?", (account_id, name)
        ).rowcount
    if not gone:
        raise NotFound(_NOT_FOUND.format(name=name))
