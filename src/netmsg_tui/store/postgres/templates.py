"""Canned replies of the PostgreSQL store: one row per account and name (table ``templates``,
schema v4), as in the SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime

from ...model import Template
from ..base import NotFound, check_template
from .connection import Conn

_NOT_FOUND = "No template called {name!r}"


def load(conn: Conn, account_id: int) -> tuple[Template, ...]:
    rows = conn.execute(
        "SELECT name, body FROM templates WHERE account_id = %s ORDER BY lower(name), name",
        (account_id,),
    ).fetchall()
    return tuple(Template(name, body) for name, body in rows)


def get(conn: Conn, account_id: int, name: str) -> Template:
    row = conn.execute(
        "SELECT name, body FROM templates WHERE account_id = %s AND name = %s", (account_id, name)
    ).fetchone()
    if row is None:
        raise NotFound(_NOT_FOUND.format(name=name))
    return Template(row[0], row[1])


def save(conn: Conn, account_id: int, user_id: int, name: str, body: str) -> Template:
    check_template(name, body)
    conn.execute(
        "INSERT INTO templates(account_id, name, body, updated, updated_by) "
        "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (account_id, name) DO UPDATE SET "
        "body = excluded.body, updated = excluded.updated, updated_by = excluded.updated_by",
        (account_id, name, body, datetime.now(UTC), user_id),
    )
    return Template(name, body)


def delete(conn: Conn, account_id: int, name: str) -> None:
    gone = conn.execute(
        "DELETE FROM templates WHERE account_id = %s AND name = %s", (account_id, name)
    ).rowcount
    if not gone:
        raise NotFound(_NOT_FOUND.format(name=name))
