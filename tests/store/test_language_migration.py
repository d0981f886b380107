"""The language preference arrives by migration (schema v6): a file written before it opens,
keeps the preferences saved in it, reads them as English, and stores a language from then on."""

from __future__ import annotations

import sqlite3

from netmsg_tui.model import NotificationPrefs
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.store.sqlite.schema import SCHEMA_VERSION
from tests.conftest import Network
from tests.sqlite_versions import undo_v6


async def test_a_file_from_before_the_language_keeps_its_preferences(network: Network) -> None:
    store = SQLiteStore(network.path, user_id=network.user_a)
    saved = NotificationPrefs(True, ("jana@parts.example", "desk@parts.example"), "daily")
    try:
        await store.set_preferences(saved)
    finally:
        await store.close()
    conn = sqlite3.connect(network.path)
    undo_v6(conn)
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        assert await store.get_preferences() == saved  # language: "en", the default
        german = NotificationPrefs(True, saved.addresses, "daily", language="de")
        assert await store.set_preferences(german) == german
    finally:
        await store.close()
    conn = sqlite3.connect(network.path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
    assert conn.execute("SELECT language FROM notification_prefs").fetchall() == [("de",)]
    conn.close()
