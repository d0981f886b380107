"""The SQLite session of the rules of a write: the shared queries
(:class:`~..sql_queries.writes.SQLWrites`), and the FTS5 index when the file has one. SQLite's one
writer at a time (``BEGIN IMMEDIATE``) needs no locks of its own."""

from __future__ import annotations

import sqlite3

from ..rules import NewMessage
from ..sql_queries.writes import SQLWrites
from . import search
from .dialect import SQLITE


class SQLiteWrites(SQLWrites[sqlite3.Connection]):
    """``fts``: the file has the full-text tables, so a new message is indexed."""

    def __init__(self, conn: sqlite3.Connection, fts: bool) -> None:
        super().__init__(SQLITE, conn)
        self.fts = fts

    def _index(self, message: NewMessage, message_id: int) -> None:
        if self.fts:
            m = message
            search.index_message(self.conn, m.account_id, m.conversation_id, message_id, m.body)
