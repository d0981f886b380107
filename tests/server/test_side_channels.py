"""Side channels between tenants: what one tenant writes does not change what another's search
finds, and the change feed's cursors and ids say nothing about other tenants' activity."""

from __future__ import annotations

import sqlite3

from netmsg_tui.store.sqlite import SQLiteStore

from .conftest import Tenants


async def test_another_tenants_words_do_not_crowd_out_a_search(tenants: Tenants) -> None:
    """A prefix stands for at most 50 whole words. With one word table for every account, a
    customer of supplier B writing 60 words that begin 'dela' made supplier A's search 'del'
    expand to those only, and find nothing."""
    async with tenants.client(tenants.supplier_a) as a:
        r = await a.post(
            f"/api/v1/conversations/{tenants.conv_a}/messages", json={"body": "delivery on Monday"}
        )
        assert r.status_code == 201
    flood = " ".join(f"dela{i:03d}" for i in range(60))
    async with tenants.client(tenants.customer_y) as y:
        r = await y.post(
            f"/api/v1/customer/conversations/{tenants.conv_b}/messages", json={"body": flood}
        )
        assert r.status_code == 201
    async with tenants.client(tenants.supplier_a) as a:
        found = (await a.get("/api/v1/conversations", params={"query": "del"})).json()
        assert [c["id"] for c in found["items"]] == [tenants.conv_a]
    async with tenants.client(tenants.supplier_b) as b:
        found = (await b.get("/api/v1/conversations", params={"query": "dela059"})).json()
        assert [c["id"] for c in found["items"]] == [tenants.conv_b]
        found = (await b.get("/api/v1/conversations", params={"query": "deliv"})).json()
        assert found["items"] == []  # A's word is not in B's vocabulary either


async def test_a_store_with_one_shared_word_table_is_migrated(tenants: Tenants) -> None:
    """A version-2 file (one word table for all) gets a vocabulary per account on open."""
    path = tenants.network.path
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE search_terms")
    conn.execute("CREATE TABLE search_terms(term TEXT PRIMARY KEY) WITHOUT ROWID")
    conn.execute("INSERT INTO search_terms VALUES ('bravo'), ('alpha')")
    conn.execute("DROP TABLE templates")  # version 4's table
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    store = SQLiteStore(path, user_id=tenants.network.user_a)
    try:
        found = await store.list_conversations("alph")
        assert [c.id for c in found.items] == [tenants.conv_a]
        assert (await store.list_conversations("brav")).items == ()
    finally:
        await store.close()
    conn = sqlite3.connect(path)
    accounts = {
        r[0] for r in conn.execute("SELECT account_id FROM search_terms WHERE term = 'bravo'")
    }
    conn.close()
    assert accounts == {tenants.network.account_b}
