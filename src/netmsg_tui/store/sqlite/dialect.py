"""SQLite's :class:`~..sql_queries.dialect.Dialect`: ``?`` as written, times as fixed-width UTC
text (so text order is time order), dates and amounts as text, lists as JSON text."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..sql import timestamp
from ..sql_queries.dialect import Args, Cursor, Dialect
from .connection import transaction


class SQLiteDialect(Dialect[sqlite3.Connection]):
    def execute(self, conn: sqlite3.Connection, sql: str, args: Args = ()) -> Cursor:
        return conn.execute(sql, args)

    def execute_many(self, conn: sqlite3.Connection, sql: str, args: Iterable[Args]) -> None:
        conn.executemany(sql, args)

    def insert(self, conn: sqlite3.Connection, sql: str, args: Args) -> int:
        new_id = conn.execute(sql, args).lastrowid
        assert new_id is not None
        return new_id

    def transaction(self, conn: sqlite3.Connection) -> AbstractContextManager[object]:
        return transaction(conn)

    def nocase(self, expression: str) -> str:
        return f"{expression} COLLATE NOCASE"

    def among(self, column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
        return f"{column} IN ({','.join('?' * len(ids))})", list(ids)

    def time(self, moment: datetime) -> str:
        return timestamp(moment)

    def time_cursor(self, text: str) -> str:
        return text

    def day(self, value: date) -> str:
        return value.isoformat()

    def day_cursor(self, text: str) -> str:
        return text

    def number(self, value: Decimal) -> str:
        return str(value)

    # json is imported by the two methods that use it: the TUI's start reads no list (start-up).
    def text_list(self, items: Sequence[str]) -> str:
        import json

        return json.dumps(list(items))

    def read_text_list(self, value: Any) -> tuple[str, ...]:
        import json

        return tuple(json.loads(value))


SQLITE = SQLiteDialect()
