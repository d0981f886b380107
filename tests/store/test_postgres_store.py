"""The PostgreSQL adapter on a real throwaway cluster: schema, reads, paging, search, the feed.

Rows are written with the adapter's own storage steps (``writes``), the way its port methods
write them, so these tests hold before and after the write rules are wired in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import psycopg
import pytest

from netmsg_tui.model import NewAttachment
from netmsg_tui.store import InvalidInput, NotFound, Unavailable
from netmsg_tui.store.postgres import PostgresStore, admin, writes
from netmsg_tui.store.postgres.schema import SCHEMA_VERSION
from tests.conftest import build_pg_network

pytestmark = pytest.mark.asyncio


class Seed:
    """Writes conversations and messages through the adapter's storage steps."""

    def __init__(self, url: str):
        self.url = url
        ids = build_pg_network(url)
        (self.account_a, self.user_a, self.user_a2, self.account_b, self.user_b, _, _,
         self.customer_on, self.customer_off, self.customer_other, self.po_a, self.invoice_off,
         self.po_b) = ids  # fmt: skip
        self.clock = 0

    async def _conn(self) -> psycopg.AsyncConnection[Any]:
        return await psycopg.AsyncConnection.connect(self.url, autocommit=True)

    async def thread(
        self,
        subject: str,
        *bodies: str,
        account: int | None = None,
        customer: int | None = None,
        document: int | None = None,
        author: str = "supplier",
        files: list[NewAttachment] | None = None,
    ) -> tuple[int, list[int]]:
        account = account or self.account_a
        customer = customer or self.customer_on
        async with await self._conn() as conn, conn.transaction():
            when = await writes.now(conn)
            cid = await writes.insert_conversation(conn, account, customer, document, subject, when)
            mids = [await self._message(conn, account, cid, b, author, files) for b in bodies]
        return cid, mids

    async def message(
        self, conversation_id: int, body: str, author: str = "supplier", account: int | None = None
    ) -> int:
        async with await self._conn() as conn, conn.transaction():
            return await self._message(conn, account or self.account_a, conversation_id, body,
                                       author, None)  # fmt: skip

    async def _message(self, conn, account, cid, body, author, files) -> int:  # type: ignore[no-untyped-def]
        when = await writes.now(conn)
        user = self.user_a if author == "supplier" else None
        mid = await writes.insert_message(
            conn, account, cid, author, user, "Someone", body, "app",
            writes.prepare(files or []), when,
        )  # fmt: skip
        await writes.record_change(conn, account, cid, mid, "message", author)
        return mid


@pytest.fixture
def seed(pg_url: str) -> Seed:
    return Seed(pg_url)


@pytest.fixture
async def store(pg_url: str, seed: Seed) -> AsyncIterator[PostgresStore]:
    store = PostgresStore(pg_url, user_id=seed.user_a)
    yield store
    await store.close()


async def test_schema_is_versioned_and_migrating_again_changes_nothing(pg_url: str) -> None:
    with admin.connect(pg_url) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert version == (str(SCHEMA_VERSION),)
        before = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname='public'").fetchone()
    with admin.connect(pg_url) as conn:  # migrates again: nothing to do
        after = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname='public'").fetchone()
    assert before == after and before is not None and before[0] > 20


async def test_an_empty_database_is_migrated_on_open(pg_cluster) -> None:
    name = "fresh_empty"
    pg_cluster.execute(f"CREATE DATABASE {name}")
    try:
        url = pg_cluster.url(name)
        with admin.connect(url) as conn:  # the first open creates the tables
            assert conn.execute("SELECT value FROM meta WHERE key='app'").fetchone() == (
                "netmsg-tui",
            )
    finally:
        pg_cluster.drop_database(name)


async def test_someone_elses_database_is_refused(pg_cluster) -> None:
    name = "not_netmsg"
    pg_cluster.execute(f"CREATE DATABASE {name}")
    try:
        pg_cluster.execute("CREATE TABLE invoices(id int)", name)
        store = PostgresStore(pg_cluster.url(name))
        with pytest.raises(Unavailable, match="not a netmsg message store"):
            await store.whoami()
        await store.close()
    finally:
        pg_cluster.drop_database(name)


async def test_unreachable_server_is_unavailable_and_hides_the_password() -> None:
    from tests.postgres_cluster import _free_port

    store = PostgresStore(f"postgresql://u:secret@127.0.0.1:{_free_port()}/x")
    store._db.timeout = 1.0
    with pytest.raises(Unavailable) as caught:
        await store.whoami()
    assert "secret" not in str(caught.value) and "127.0.0.1" in str(caught.value)
    assert "secret" not in store.location
    await store.close()


async def test_whoami_and_customers(store: PostgresStore, seed: Seed) -> None:
    me = await store.whoami()
    assert (me.account.id, me.account.plan, me.user.name) == (
        seed.account_a,
        "enterprise",
        "Jana Supplier",
    )
    assert {c.id for c in (await store.list_customers()).items} == {
        seed.customer_on,
        seed.customer_off,
    }
    for query in ("alpine", "an01000000001", "WALLDORF"):
        assert [c.id for c in (await store.list_customers(query)).items] == [seed.customer_on]
    assert (await store.list_customers("%")).items == ()
    first = await store.list_customers(limit=1)
    second = await store.list_customers(cursor=first.next_cursor, limit=1)
    assert [first.items[0].name, second.items[0].name] == ["Alpine Foods GmbH", "Baltic Motors AG"]
    assert second.next_cursor is None
    off = await store.get_customer(seed.customer_off)
    assert not off.messaging_enabled and off.contact.email == "eva@baltic.example"
    with pytest.raises(NotFound):
        await store.get_customer(seed.customer_other)


async def test_documents(store: PostgresStore, seed: Seed) -> None:
    docs = (await store.list_documents()).items
    assert [d.id for d in docs] == [seed.invoice_off, seed.po_a]  # newest issue date first
    assert [d.number for d in (await store.list_documents("inv-2026")).items] == ["INV-2026-0042"]
    assert [d.id for d in (await store.list_documents("45000")).items] == [seed.po_a]
    assert (await store.list_documents("12345")).items == ()  # from the start only
    assert [d.id for d in (await store.list_documents("baltic")).items] == [seed.invoice_off]
    assert (await store.list_documents("%")).items == ()
    one = await store.list_documents(oldest_first=True, limit=1)
    two = await store.list_documents(oldest_first=True, cursor=one.next_cursor, limit=1)
    assert [one.items[0].id, two.items[0].id] == [seed.po_a, seed.invoice_off]
    detail = await store.get_document(seed.po_a)
    assert str(detail.amount) == "2900.00" and detail.line_items[0].description == "Hydraulic pump"
    with pytest.raises(NotFound):
        await store.get_document(seed.po_b)
    with pytest.raises(InvalidInput):
        await store.list_documents(cursor="2026-13-45|1")


async def test_conversation_pages_cover_everything_once(store: PostgresStore, seed: Seed) -> None:
    made = [(await seed.thread(f"Topic {i}", "x"))[0] for i in range(7)]
    await seed.thread("Theirs", "x", account=seed.account_b, customer=seed.customer_other)
    seen: list[int] = []
    cursor = None
    while True:
        page = await store.list_conversations(cursor=cursor, limit=3)
        seen += [c.id for c in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == list(reversed(made))
    with pytest.raises(InvalidInput):
        await store.list_conversations(cursor="garbage")
    with pytest.raises(InvalidInput):
        await store.list_conversations(cursor="yesterday|1")


async def test_messages_page_newest_first_and_attachments(store: PostgresStore, seed) -> None:
    data = b"%PDF-1.4 note"
    conv, _ = await seed.thread(
        "Paging", "m0", files=[NewAttachment("a.pdf", data), NewAttachment("b.pdf", data)]
    )
    for i in range(1, 7):
        await seed.message(conv, f"m{i}")
    newest = await store.list_messages(conv, limit=4)
    assert [m.body for m in newest.items] == ["m3", "m4", "m5", "m6"]
    older = await store.list_messages(conv, cursor=newest.next_cursor, limit=4)
    assert [m.body for m in older.items] == ["m0", "m1", "m2"] and older.next_cursor is None
    atts = older.items[0].attachments
    assert [a.filename for a in atts] == ["a.pdf", "b.pdf"]
    assert atts[0].sha256 == atts[1].sha256 and atts[0].media_type == "application/pdf"
    assert await store.read_attachment(atts[1].id) == data
    with psycopg.connect(seed.url) as conn:  # content-addressed: one blob for both files
        assert conn.execute("SELECT count(*) FROM blobs").fetchone() == (1,)
    conversation = await store.get_conversation(conv)
    assert conversation.message_count == 7 and conversation.last_preview == "m6"
    assert conversation.last_activity.tzinfo is not None


async def test_search_prefix_words_context_and_newest_match_first(store, seed) -> None:
    a, _ = await seed.thread("Pallets", "the forklift broke down")
    b, _ = await seed.thread("Order question", "x", document=seed.po_a)
    await seed.message(b, "about the Hydraulics")
    c, _ = await seed.thread("Café crème", "Grüße aus Zürich")
    search = store.list_conversations
    assert [x.id for x in (await search("forklift")).items] == [a]
    assert [x.id for x in (await search("HYDRAUL")).items] == [b]  # a prefix, any case
    assert [x.id for x in (await search("4500012345")).items] == [b]  # document number
    assert [x.id for x in (await search("pallets fork")).items] == [a]  # subject + body
    assert (await search("pallets hydraul")).items == ()  # every word, in one message
    assert [x.id for x in (await search("cafe gru zuri")).items] == [c]  # accents folded
    assert (await search("lift")).items == ()  # a word's start, not its middle
    # Customer name: every thread; newest matching message first.
    assert [x.id for x in (await search("alpine")).items] == [c, b, a]
    await seed.message(a, "one more word")
    assert [x.id for x in (await search("alpine")).items] == [a, c, b]
    assert (await search('"; DROP TABLE messages; --')).items == ()
    assert (await search("'':* & !")).items == ()


async def test_search_pages_and_filters(store: PostgresStore, seed: Seed) -> None:
    made = [(await seed.thread(f"Crate {i}", "wooden crate"))[0] for i in range(5)]
    other, _ = await seed.thread("Crate", "crate", customer=seed.customer_off)
    await seed.thread("Crate", "crate", account=seed.account_b, customer=seed.customer_other)
    seen: list[int] = []
    cursor = None
    while True:
        page = await store.list_conversations("crate", cursor=cursor, limit=2)
        seen += [c.id for c in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [other, *reversed(made)]  # each once; other tenants' threads never
    by_customer = await store.list_conversations("crate", customer_id=seed.customer_off)
    assert [c.id for c in by_customer.items] == [other]


async def test_unread_counts_and_unread_only(store: PostgresStore, seed: Seed) -> None:
    conv, _ = await seed.thread("Question", "Hello")
    await seed.thread("Other", "Hi")
    await seed.message(conv, "Answer 1", author="customer")
    await seed.message(conv, "Answer 2", author="customer")
    assert (await store.get_conversation(conv)).unread_count == 2
    assert await store.unread_total() == 2
    assert [c.id for c in (await store.list_conversations(unread_only=True)).items] == [conv]
    piet = store.as_user(seed.user_a2)
    assert await piet.unread_total() == 2
    with psycopg.connect(seed.url) as conn:  # one notification per user of the account
        assert conn.execute("SELECT count(*) FROM notification_outbox").fetchone() == (4,)


async def test_change_feed_in_order_and_per_tenant(store: PostgresStore, seed: Seed) -> None:
    start = await store.changes_since(None)
    assert start.changes == ()
    conv, (first,) = await seed.thread("Feed", "hello")
    reply = await seed.message(conv, "answer", author="customer")
    await seed.thread("Theirs", "x", account=seed.account_b, customer=seed.customer_other)
    batch = await store.changes_since(start.cursor)
    assert [(c.message_id, c.author_kind) for c in batch.changes] == [
        (first, "supplier"),
        (reply, "customer"),
    ]
    assert (await store.changes_since(batch.cursor)).changes == ()
    theirs = store.as_user(seed.user_b)
    assert len((await theirs.changes_since(start.cursor)).changes) == 1


async def test_other_tenants_ids_are_not_found(store: PostgresStore, seed: Seed) -> None:
    conv, _ = await seed.thread("Private", "secret", files=[NewAttachment("s.txt", b"secret")])
    att = (await store.list_messages(conv)).items[0].attachments[0]
    theirs = store.as_user(seed.user_b)
    for call in (
        theirs.get_conversation(conv),
        theirs.list_messages(conv),
        theirs.read_attachment(att.id),
        theirs.get_attachment(att.id),
        theirs.get_document(seed.po_a),
        theirs.document_thread(seed.po_a),
        theirs.get_customer(seed.customer_on),
    ):
        with pytest.raises(NotFound):
            await call
    assert (await theirs.list_conversations("secret")).items == ()


async def test_document_thread_and_preferences_default(store: PostgresStore, seed) -> None:
    assert await store.document_thread(seed.po_a) is None
    conv, _ = await seed.thread("PO", "Ships late", document=seed.po_a)
    linked = await store.document_thread(seed.po_a)
    assert linked is not None and linked.id == conv and linked.document_number == "4500012345"
    prefs = await store.get_preferences()
    assert prefs.addresses == ("jana@parts.example",) and prefs.email_on_reply


async def test_times_come_from_the_database_clock(store: PostgresStore, seed: Seed) -> None:
    conv, _ = await seed.thread("Clock", "tick")
    later = await seed.message(conv, "tock")
    msgs = (await store.list_messages(conv)).items
    assert msgs[-1].id == later and msgs[1].sent_at - msgs[0].sent_at >= timedelta(0)
