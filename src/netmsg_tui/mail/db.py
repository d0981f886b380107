"""Short-lived sqlite3 connections to a store file, for the mail tables (outbox, inbound mail).

The mail gateway works on the network side of a store (every user of every account), so it reads
and writes the file directly instead of through a user's :class:`MessageStore`. Each unit of work
opens its own connection (cheap) so it can run on any thread; writes use ``BEGIN IMMEDIATE`` so
two senders never claim the same outbox row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..store.base import Unavailable
from ..store.sqlite.schema import APP_ID, migrate

Conn = sqlite3.Connection


@contextmanager
def connect(path: Path) -> Iterator[Conn]:
    """An open connection to the store at ``path``; sqlite3 errors become :class:`Unavailable`."""
    if not path.is_file():
        raise Unavailable(f"No message store at {path}")
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    except sqlite3.Error as exc:
        raise Unavailable(f"Cannot open the message store {path}: {exc}") from None
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'app'").fetchone()
        except sqlite3.DatabaseError:
            row = None
        if row is None or row[0] != APP_ID:
            raise Unavailable(f"{path} is not a netmsg message store")
        migrate(conn)
        yield conn
    except sqlite3.Error as exc:
        raise Unavailable(f"The message store {path} failed: {exc}") from None
    finally:
        conn.close()


@contextmanager
def transaction(conn: Conn) -> Iterator[Conn]:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error): a write lock for the block."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
