"""Search works on a SQLite build without FTS5 (the LIKE fallback), with the same meaning."""

from __future__ import annotations

import sqlite3

from netmsg_tui.store.sqlite import SQLiteStore

from ..conftest import build_network


async def test_fallback_search_matches_words_across_subject_and_bodies(tmp_path) -> None:
    network = build_network(tmp_path / "nofts.db", use_fts=False)
    tables = {r[0] for r in sqlite3.connect(network.path).execute("SELECT name FROM sqlite_master")}
    assert "search_fts" not in tables
    store = SQLiteStore(network.path)
    try:
        a = await store.start_conversation(network.customer_on, "Pallets", "forklift broke")
        b = await store.start_conversation(
            network.customer_on, "Order", "x", document_id=network.po_a
        )
        await store.reply(b.id, "hydraulics 100% ok")
        assert [c.id for c in (await store.list_conversations("forklift")).items] == [a.id]
        assert [c.id for c in (await store.list_conversations("pallets fork")).items] == [a.id]
        assert [c.id for c in (await store.list_conversations("4500012345")).items] == [b.id]
        assert [c.id for c in (await store.list_conversations("100%")).items] == [b.id]
        assert {c.id for c in (await store.list_conversations("alpine")).items} == {a.id, b.id}
        assert (await store.list_conversations("_")).items == ()
    finally:
        await store.close()
