"""PostgreSQL's :class:`~..sql_queries.dialect.Dialect`: ``?`` becomes ``%s`` once per query
text, values keep their types (``timestamptz``, ``date``, ``numeric``, ``text[]``), writers that
run side by side lock rows, and a new row's id comes back with ``RETURNING``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from ...i18n import N_, _
from ..base import InvalidInput
from ..sql import BAD_CURSOR
from ..sql_queries.dialect import Args, Cursor, Dialect
from .connection import Conn


class PostgresDialect(Dialect[Conn]):
    like = "ILIKE"
    no_user_yet = N_(
        "The message store {location} has no user yet: create one with 'netmsg "
        "demo init URL' or 'netmsg admin create-account'"
    )

    def __init__(self) -> None:
        # Query text -> psycopg's spelling: the shared texts are a fixed set, built once each.
        self._texts: dict[str, str] = {}

    def _sql(self, sql: str) -> str:
        text = self._texts.get(sql)
        if text is None:
            text = self._texts[sql] = sql.replace("%", "%%").replace("?", "%s")
        return text

    def execute(self, conn: Conn, sql: str, args: Args = ()) -> Cursor:
        return conn.execute(self._sql(sql), args)

    def execute_many(self, conn: Conn, sql: str, args: Iterable[Args]) -> None:
        with conn.cursor() as cur:
            cur.executemany(self._sql(sql), args)

    def insert(self, conn: Conn, sql: str, args: Args) -> int:
        return int(self.value(conn, sql + " RETURNING id", args))

    def transaction(self, conn: Conn) -> AbstractContextManager[object]:
        return conn.transaction()

    def nocase(self, expression: str) -> str:
        return f"lower({expression})"

    def among(self, column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
        return f"{column} = ANY(?)", [list(ids)]

    def for_update(self, of: str = "", *, skip_locked: bool = False) -> str:
        return " FOR UPDATE" + (f" OF {of}" if of else "") + (" SKIP LOCKED" if skip_locked else "")

    def time(self, moment: datetime) -> datetime:
        return moment

    def time_cursor(self, text: str) -> datetime:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidInput(_(BAD_CURSOR)) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def day(self, value: date) -> date:
        return value

    def day_cursor(self, text: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise InvalidInput(_(BAD_CURSOR)) from None

    def number(self, value: Decimal) -> Decimal:
        return value

    def text_list(self, items: Sequence[str]) -> list[str]:
        return list(items)

    def read_text_list(self, value: Any) -> tuple[str, ...]:
        return tuple(value)


POSTGRES = PostgresDialect()
