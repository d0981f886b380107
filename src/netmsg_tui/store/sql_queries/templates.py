"""Canned replies: one row per account and name (table ``templates``, schema v4)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypeVar

from ...i18n import N_, _
from ...model import Template
from ..base import NotFound, check_template
from .dialect import Queries

C = TypeVar("C")
_NOT_FOUND = N_("No template called {name!r}")
_SAVE = (
    "INSERT INTO templates(account_id, name, body, updated, updated_by) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (account_id, name) DO UPDATE SET "
    "body = excluded.body, updated = excluded.updated, updated_by = excluded.updated_by"
)


class Templates(Queries[C]):
    def load(self, conn: C, account_id: int) -> tuple[Template, ...]:
        rows = self.db.all(
            conn,
            "SELECT name, body FROM templates WHERE account_id = ? "
            f"ORDER BY {self.db.nocase('name')}, name",
            (account_id,),
        )
        return tuple(Template(name, body) for name, body in rows)

    def get(self, conn: C, account_id: int, name: str) -> Template:
        row = self.db.one(
            conn,
            "SELECT name, body FROM templates WHERE account_id = ? AND name = ?",
            (account_id, name),
        )
        if row is None:
            raise NotFound(_(_NOT_FOUND).format(name=name))
        return Template(row[0], row[1])

    def save(self, conn: C, account_id: int, user_id: int, name: str, body: str) -> Template:
        check_template(name, body)
        now = self.db.time(datetime.now(UTC))
        with self.db.transaction(conn):
            self.db.execute(conn, _SAVE, (account_id, name, body, now, user_id))
        return Template(name, body)

    def delete(self, conn: C, account_id: int, name: str) -> None:
        with self.db.transaction(conn):
            gone = self.db.execute(
                conn, "DELETE FROM templates WHERE account_id = ? AND name = ?", (account_id, name)
            ).rowcount
        if not gone:
            raise NotFound(_(_NOT_FOUND).format(name=name))
