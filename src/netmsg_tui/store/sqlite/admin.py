"""Network operator's writes on a SQLite store (:class:`~..sql_queries.admin.Admin`, bound to
SQLite), and :func:`connect`: a plain connection for the demo generator and tests to set a
network up on."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from ...private_files import private_file
from ..sql_queries.admin import Admin
from .dialect import SQLITE
from .schema import migrate

ADMIN = Admin(SQLITE)


def __getattr__(name: str) -> Any:
    """The operator's writes (``create_account``, ``issue_token``, …) as functions of this
    module, as the demo generator and tests call them."""
    return getattr(ADMIN, name)


def connect(path: str | Path, *, use_fts: bool = True) -> sqlite3.Connection:
    """A connection for setup work, with the schema in place (``use_fts=False`` builds a
    new file without full-text tables, as on a SQLite build that lacks FTS5)."""
    private_file(path)  # a new store holds message text: 0600 from the start
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, use_fts=use_fts)
    return conn
