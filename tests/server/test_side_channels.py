"""Side channels between tenants: what one tenant writes does not change what another's search
finds, and the change feed's cursors and ids say nothing about other tenants' activity."""

from __future__ import annotations

import contextlib
import sqlite3

from netmsg_tui.store.sqlite import SQLiteStore
from tests.sqlite_versions import undo_v5, undo_v6

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
    undo_v6(conn)
    undo_v5(conn)
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


async def test_feed_cursors_say_nothing_of_other_tenants(tenants: Tenants) -> None:
    """The feed's ids are one sequence for the network: a raw cursor moved whenever anyone
    wrote, and the gap between two of one's own change ids counted the others' changes."""
    async with tenants.client(tenants.supplier_a) as a, tenants.client(tenants.customer_x) as x:
        a_start = (await a.get("/api/v1/changes")).json()["cursor"]
        x_start = (await x.get("/api/v1/customer/changes")).json()["cursor"]
        async with tenants.client(tenants.supplier_b) as b:
            for i in range(10):
                r = await b.post(f"/api/v1/conversations/{tenants.conv_b}/messages",
                                 json={"body": f"busy {i}"})  # fmt: skip
                assert r.status_code == 201
        # Nothing of A's or X's own happened: their cursors did not move.
        assert (await a.get("/api/v1/changes", params={"cursor": a_start})).json() == {
            "changes": [], "cursor": a_start, "extra": {}
        }  # fmt: skip
        assert (await x.get("/api/v1/customer/changes", params={"cursor": x_start})).json() == {
            "changes": [], "cursor": x_start
        }  # fmt: skip

        r = await a.post(f"/api/v1/conversations/{tenants.conv_a}/messages", json={"body": "mine"})
        mine = (await a.get("/api/v1/changes", params={"cursor": a_start})).json()
        [change] = mine["changes"]
        assert change["message_id"] == r.json()["id"]
        # Not the feed's own id (10 of B's came first), and not the same number for X.
        with contextlib.closing(sqlite3.connect(tenants.network.path)) as conn:
            head = conn.execute("SELECT MAX(id) FROM changes").fetchone()[0]
        assert change["id"] != head
        assert mine["cursor"] == change["id"] != a_start
        seen_by_x = (await x.get("/api/v1/customer/changes", params={"cursor": x_start})).json()
        assert [c["message_id"] for c in seen_by_x["changes"]] == [r.json()["id"]]
        assert seen_by_x["changes"][0]["id"] != change["id"]
        # A cursor of one tenant means nothing to another: B reading from A's sees nothing of A.
        async with tenants.client(tenants.supplier_b) as b:
            theirs = (await b.get("/api/v1/changes", params={"cursor": a_start})).json()
            assert all(c["conversation_id"] == tenants.conv_b for c in theirs["changes"])
