"""Opening bad store files: a clear store error, never a raw sqlite3 exception."""

from __future__ import annotations

import sqlite3

import pytest

from netmsg_tui.store import InvalidInput, Unavailable, open_store, sqlite_path
from netmsg_tui.store.sqlite import SQLiteStore


async def test_a_file_that_is_not_a_database(tmp_path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("just some text, not SQLite " * 100)
    store = SQLiteStore(path)
    with pytest.raises(Unavailable, match="not a netmsg message store"):
        await store.whoami()
    await store.close()
    assert path.read_text().startswith("just some text")


async def test_a_sqlite_database_of_another_program(tmp_path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes(name TEXT)")
    conn.commit()
    conn.close()
    store = SQLiteStore(path)
    with pytest.raises(Unavailable, match="not a netmsg message store"):
        await store.list_customers()
    await store.close()


async def test_missing_folder(tmp_path) -> None:
    store = SQLiteStore(tmp_path / "nope" / "x.db")
    with pytest.raises(Unavailable, match="missing"):
        await store.whoami()
    await store.close()


async def test_locked_database_is_unavailable_not_a_crash(network) -> None:
    store = SQLiteStore(network.path, busy_timeout=0.2)
    await store.whoami()
    blocker = sqlite3.connect(network.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(Unavailable, match="busy"):
            await store.start_conversation(network.customer_on, "Subject", "body")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert (await store.list_conversations()).items == ()
    await store.close()


def test_store_urls() -> None:
    assert str(sqlite_path("sqlite:///tmp/a.db")) == "/tmp/a.db"
    assert str(sqlite_path("/tmp/b.db")) == "/tmp/b.db"
    assert sqlite_path("https://network.example.com") is None
    with pytest.raises(InvalidInput, match="Unknown store URL"):
        open_store("ftp://x/y")
    with pytest.raises(InvalidInput):
        open_store("sqlite://host/path.db")


async def test_an_older_file_is_migrated_on_open_and_keeps_its_data(network, monkeypatch):
    """A file at the current version opens under a newer schema: the new step runs once."""
    from netmsg_tui.store.sqlite import schema

    step = ["ALTER TABLE customers ADD COLUMN vat_id TEXT NOT NULL DEFAULT ''"]
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, step])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    store = SQLiteStore(network.path)
    assert len((await store.list_customers()).items) == 2
    await store.close()
    conn = sqlite3.connect(network.path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    columns = [r[1] for r in conn.execute("PRAGMA table_info(customers)")]
    conn.close()
    assert "vat_id" in columns
