"""The SQLite store's drafts table arrives by migration: a file written before drafts existed
(schema v1) opens, is migrated once, and keeps drafts from then on."""

from __future__ import annotations

import sqlite3

from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.store.sqlite.schema import SCHEMA_VERSION
from tests.conftest import Network
from tests.sqlite_versions import undo_v5, undo_v6


async def test_a_file_from_before_drafts_is_migrated_and_keeps_them(network: Network) -> None:
    conn = sqlite3.connect(network.path)
    undo_v6(conn)
    undo_v5(conn)
    conn.execute("DROP TABLE drafts")  # as a v1 file was: no drafts table
    conn.execute("DROP TABLE templates")  # nor canned replies (v4)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        await store.save_draft("thread:1", {"body": "kept"})
        assert await store.drafts() == {"thread:1": {"body": "kept"}}
        assert await store.list_templates() == ()  # and the v4 table arrived too
    finally:
        await store.close()
    conn = sqlite3.connect(network.path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
    conn.close()
