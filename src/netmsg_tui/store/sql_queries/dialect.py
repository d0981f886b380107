"""What differs between the SQL engines, said once: :class:`Dialect`.

The shared queries (this package) are written once, in SQLite's spelling with ``?`` placeholders
and standard SQL both engines run (``ON CONFLICT``, ``TRUE``/``FALSE``, row values). An engine's
dialect runs them on its connection, rewrites the placeholders once per query text (PostgreSQL),
and names the few fragments and values that differ: case-blind order, time and number values,
lists of ids, row locks, the new row's id.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, Protocol, TypeVar

from ...i18n import N_, _
from ..base import NotFound
from ..sql import Row

C = TypeVar("C")
Args = Sequence[Any]


class Cursor(Protocol):
    """What both drivers' cursors give back."""

    @property
    def rowcount(self) -> int: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Dialect(ABC, Generic[C]):
    """One SQL engine's way of running the shared queries on its connections ``C``."""

    #: ``LIKE`` that ignores case (SQLite's LIKE already does, for ASCII).
    like = "LIKE"
    #: The refusal of a store without users: how to make one differs by engine.
    no_user_yet = N_(
        "The message store {location} has no user yet: create one with 'netmsg "
        "demo init PATH' or 'netmsg admin create-account'"
    )

    # -- running a query ----------------------------------------------------------------------
    @abstractmethod
    def execute(self, conn: C, sql: str, args: Args = ()) -> Cursor:
        """Run ``sql`` (written with ``?``) with ``args``."""

    @abstractmethod
    def execute_many(self, conn: C, sql: str, args: Iterable[Args]) -> None:
        """Run ``sql`` once per argument tuple."""

    @abstractmethod
    def insert(self, conn: C, sql: str, args: Args) -> int:
        """Run an ``INSERT`` of one row; the new row's ``id``."""

    @abstractmethod
    def transaction(self, conn: C) -> AbstractContextManager[object]:
        """``with db.transaction(conn):`` runs the block as one write, rolled back on error."""

    def one(self, conn: C, sql: str, args: Args = ()) -> Row | None:
        row: Row | None = self.execute(conn, sql, args).fetchone()
        return row

    def all(self, conn: C, sql: str, args: Args = ()) -> list[Row]:
        return self.execute(conn, sql, args).fetchall()

    def value(self, conn: C, sql: str, args: Args = ()) -> Any:
        """The first column of the one row ``sql`` returns (an aggregate, a known row)."""
        row = self.one(conn, sql, args)
        assert row is not None
        return row[0]

    # -- fragments ----------------------------------------------------------------------------
    @abstractmethod
    def nocase(self, expression: str) -> str:
        """``expression`` as a case-blind sort key."""

    @abstractmethod
    def among(self, column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
        """``column`` is one of ``ids``: the condition and its arguments."""

    def for_update(self, of: str = "", *, skip_locked: bool = False) -> str:
        """The suffix that locks the selected rows (of table ``of``) until commit, or with
        ``skip_locked`` passes over rows another writer holds. SQLite's one writer needs none."""
        return ""

    # -- values -------------------------------------------------------------------------------
    @abstractmethod
    def time(self, moment: datetime) -> Any:
        """A time as the engine stores it."""

    @abstractmethod
    def time_cursor(self, text: str) -> Any:
        """A cursor's time text as the engine compares it with stored times."""

    @abstractmethod
    def day(self, value: date) -> Any:
        """A date as the engine stores it."""

    @abstractmethod
    def day_cursor(self, text: str) -> Any:
        """A cursor's date text as the engine compares it with stored dates."""

    @abstractmethod
    def number(self, value: Decimal) -> Any:
        """An amount as the engine stores it."""

    @abstractmethod
    def text_list(self, items: Sequence[str]) -> Any:
        """A list of texts (addresses) as the engine stores it."""

    @abstractmethod
    def read_text_list(self, value: Any) -> tuple[str, ...]:
        """A list of texts as the engine returns it."""


class Queries(Generic[C]):
    """A group of the shared queries, run through one engine's dialect."""

    def __init__(self, db: Dialect[C]) -> None:
        self.db = db

    def found(self, conn: C, sql: str, args: Args, missing: str, **names: object) -> Row:
        """The row ``sql`` selects; NotFound with ``missing`` (a msgid, ``{names}`` filled in)
        when there is none."""
        row = self.db.one(conn, sql, args)
        if row is None:
            raise NotFound(_(missing).format(**names))
        return row
