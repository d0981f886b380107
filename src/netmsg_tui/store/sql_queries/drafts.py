"""Durable drafts: one row per user and place (table ``drafts``, schema v2). Saving again
deletes and inserts the row, so it gets a new ``id`` and ordering by ``id`` lists the least
recently saved first."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from ..base import draft_data, draft_json
from .dialect import Queries

C = TypeVar("C")
_DELETE = "DELETE FROM drafts WHERE user_id = ? AND place = ?"


class Drafts(Queries[C]):
    def save(self, conn: C, user_id: int, place: str, data: dict[str, Any]) -> None:
        text = draft_json(place, data)
        with self.db.transaction(conn):
            self.db.execute(conn, _DELETE, (user_id, place))
            self.db.execute(
                conn,
                "INSERT INTO drafts(user_id, place, data, updated) VALUES (?, ?, ?, ?)",
                (user_id, place, text, self.db.time(datetime.now(UTC))),
            )

    def load(self, conn: C, user_id: int) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        rows = self.db.all(
            conn, "SELECT place, data FROM drafts WHERE user_id = ? ORDER BY id", (user_id,)
        )
        for place, text in rows:
            data = draft_data(text)
            if data is not None:
                found[place] = data
        return found

    def delete(self, conn: C, user_id: int, place: str) -> None:
        with self.db.transaction(conn):
            self.db.execute(conn, _DELETE, (user_id, place))
