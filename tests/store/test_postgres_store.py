"""The PostgreSQL adapter on a real throwaway cluster: schema, reads, paging, search, the feed.

The port's contract runs on PostgreSQL in tests/store/test_contract.py; these are the adapter's
own: its schema and migrations, errors, search semantics, concurrency and the change feed.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from netmsg_tui.model import NewAttachment
from netmsg_tui.store import InvalidInput, NotFound, Unauthorized, Unavailable, open_network
from netmsg_tui.store.postgres import PostgresStore, admin
from netmsg_tui.store.postgres.schema import SCHEMA_VERSION
from netmsg_tui.store.postgres.writes import record_change
from tests.conftest import build_pg_network

pytestmark = pytest.mark.asyncio


class Seed:
    """The tiny network in a fresh database, and threads written through the port."""

    def __init__(self, url: str):
        self.url = url
        ids = build_pg_network(url)
        (self.account_a, self.user_a, self.user_a2, self.account_b, self.user_b, _, _,
         self.customer_on, self.customer_off, self.customer_other, self.po_a, self.invoice_off,
         self.po_b) = ids  # fmt: skip
        self.side = PostgresStore(url)  # writes of every user and of the customers

    async def thread(
        self,
        subject: str,
        *bodies: str,
        user: int | None = None,
        customer: int | None = None,
        document: int | None = None,
        files: list[NewAttachment] | None = None,
    ) -> tuple[int, list[int]]:
        writer = self.side.as_user(user or self.user_a)
        conv = await writer.start_conversation(
            customer or self.customer_on, subject, bodies[0], files or [], document_id=document
        )
        first = (await writer.list_messages(conv.id, limit=1)).items[0].id
        return conv.id, [first] + [(await writer.reply(conv.id, b)).id for b in bodies[1:]]

    async def message(
        self, conversation_id: int, body: str, author: str = "supplier", user: int | None = None
    ) -> int:
        if author == "customer":
            return (await self.side.add_customer_reply(conversation_id, body)).id
        return (await self.side.as_user(user or self.user_a).reply(conversation_id, body)).id


@pytest.fixture
async def seed(pg_url: str) -> AsyncIterator[Seed]:
    seed = Seed(pg_url)
    yield seed
    await seed.side.close()


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
    await seed.thread("Theirs", "x", user=seed.user_b, customer=seed.customer_other)
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


@pytest.fixture(params=["window", "index"])
def search_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a search test twice: as is (every message within the first window), and with
    windows of 2 (growing to 8) and index batches of 2, so pages are found through both steps:
    windows while the matches are dense, then the GIN index."""
    from netmsg_tui.store.postgres import search

    if request.param == "index":
        monkeypatch.setattr(search, "WINDOW", 2)
        monkeypatch.setattr(search, "MAX_WINDOW", 8)
        monkeypatch.setattr(search, "DENSITY", 2)
        monkeypatch.setattr(search, "_INDEXED_BATCH", 2)


async def test_search_prefix_words_context_and_newest_match_first(store, seed, search_path) -> None:
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


async def test_search_pages_and_filters(store: PostgresStore, seed: Seed, search_path) -> None:
    made = [(await seed.thread(f"Crate {i}", "wooden crate"))[0] for i in range(5)]
    other, _ = await seed.thread("Crate", "crate", document=seed.po_a)
    await seed.thread("Crate", "crate", user=seed.user_b, customer=seed.customer_other)
    seen: list[int] = []
    cursor = None
    while True:
        page = await store.list_conversations("crate", cursor=cursor, limit=2)
        seen += [c.id for c in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [other, *reversed(made)]  # each once; other tenants' threads never
    by_document = await store.list_conversations("crate", document_id=seed.po_a)
    assert [c.id for c in by_document.items] == [other]


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
    await seed.thread("Theirs", "x", user=seed.user_b, customer=seed.customer_other)
    batch = await store.changes_since(start.cursor)
    assert [(c.kind, c.message_id, c.author_kind) for c in batch.changes] == [
        ("conversation", None, None),
        ("message", first, "supplier"),
        ("message", reply, "customer"),
    ]
    assert (await store.changes_since(batch.cursor)).changes == ()
    theirs = store.as_user(seed.user_b)
    assert len((await theirs.changes_since(start.cursor)).changes) == 2  # their thread only


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


WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from netmsg_tui.store.postgres import PostgresStore

    async def main(url, user, conv, tag, count):
        store = PostgresStore(url, user_id=user)
        async def send(i):
            await store.reply(conv, f"{tag}-{i}", idempotency_key=f"{tag}-{i}")
        for start in range(0, count, 4):  # four at a time: the pool's connections in parallel
            await asyncio.gather(*(send(i) for i in range(start, min(start + 4, count))))
            await send(start)  # a retried send must not duplicate
        await store.close()

    url, user, conv, tag, count = sys.argv[1:]
    asyncio.run(main(url, int(user), int(conv), tag, int(count)))
    """
)


async def test_processes_writing_at_once_store_each_message_once_and_the_feed_misses_none(
    store: PostgresStore, seed: Seed
) -> None:
    conv, _ = await seed.thread("Busy thread", "start")
    cursor = (await store.changes_since(None)).cursor
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, seed.url, str(seed.user_a), str(conv), tag, "60"]
        )
        for tag in ("p1", "p2", "p3")
    ]
    seen: list[int] = []
    while any(p.poll() is None for p in procs):  # follow the feed while they write
        batch = await store.changes_since(cursor)
        seen += [c.message_id for c in batch.changes if c.message_id is not None]
        cursor = batch.cursor
    assert [p.returncode for p in procs] == [0, 0, 0]
    batch = await store.changes_since(cursor)
    seen += [c.message_id for c in batch.changes if c.message_id is not None]
    bodies = []
    page = await store.list_messages(conv, limit=500)
    bodies = [m.body for m in page.items]
    assert len(bodies) == 1 + 3 * 60 and len(set(bodies)) == len(bodies)
    assert sorted(seen) == sorted(m.id for m in page.items[1:])  # every message once, none lost
    assert (await store.get_conversation(conv)).message_count == 181


async def test_two_starts_about_one_document_make_one_thread(store: PostgresStore, seed) -> None:
    piet = store.as_user(seed.user_a2)
    made = await asyncio.gather(
        *(
            who.start_conversation(seed.customer_on, f"About it {i}", "x", document_id=seed.po_a)
            for i, who in enumerate([store, piet, store, piet])
        )
    )
    assert len({c.id for c in made}) == 1
    assert (await store.get_conversation(made[0].id)).message_count == 4


async def test_a_nul_character_is_refused_and_nothing_is_stored(store: PostgresStore, seed) -> None:
    with pytest.raises(InvalidInput, match="NUL"):
        await store.start_conversation(seed.customer_on, "Hello", "a\x00b")
    assert (await store.list_conversations()).items == ()
    with pytest.raises(InvalidInput, match="NUL"):
        await store.start_conversation(seed.customer_on, "Hello", "x", idempotency_key="k\x00")


async def test_the_feed_never_passes_a_change_still_being_written(store, seed) -> None:
    """A change id handed out to a transaction that has not committed yet must not be skipped
    by a reader that sees a later id committed first."""
    conv, _ = await seed.thread("Slow", "start")
    cursor = (await store.changes_since(None)).cursor
    with psycopg.connect(seed.url, autocommit=True) as slow, psycopg.connect(seed.url) as watch:
        held = slow.transaction()
        held.__enter__()
        record_change(slow, seed.account_a, conv, None, "read", None)  # not committed yet
        fast = asyncio.ensure_future(seed.message(conv, "fast"))
        while not fast.done():  # until the fast write has committed or waits for the slow one
            await asyncio.sleep(0)
            waiting = watch.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND datname = current_database()"
            ).fetchone()
            watch.rollback()
            if waiting and waiting[0]:
                break
        batch = await store.changes_since(cursor)
        held.__exit__(None, None, None)
        fast_id = await fast
    rest = await store.changes_since(batch.cursor)
    seen = [(c.kind, c.message_id) for c in batch.changes + rest.changes]
    assert sorted(seen, key=str) == sorted([("read", None), ("message", fast_id)], key=str)


async def test_the_feed_head_is_pushed_not_polled(pg_url: str, seed: Seed) -> None:
    """With a poll interval of an hour, only a notification can bring the new head."""
    net = open_network(pg_url)
    heads = net.watch_feed_head(3600)
    try:
        first = await anext(heads)
        conv, _ = await seed.thread("Pushed", "hello")  # another pool, as another process would
        seen = [await anext(heads)]
        while seen[-1] < first + 2:  # the conversation's change, then its message's
            seen.append(await anext(heads))
        assert seen[-1] == await net.feed_head()
    finally:
        await heads.aclose()
        await net.close()


async def test_a_store_watch_is_woken_by_a_write_through_another_store(
    store: PostgresStore, seed: Seed
) -> None:
    """The watch on a postgresql:// store, not through a server. With an interval of an hour
    the polling default would sleep once it found nothing; only the database's notification can
    wake it. The writer is another store (its own pool and connections), as another process
    would be. (The timeout only turns a hang into a failure.)"""
    store.watch_interval = 3600
    conv, _ = await seed.thread("Watched", "hello")
    stream = store.watch()
    try:
        async with asyncio.timeout(120):
            start = await anext(stream)
            assert start.changes == ()
            for body in ("first answer", "second answer"):
                waiting = asyncio.ensure_future(anext(stream))
                await _until_listening_and_idle(seed.url)  # the watch has looked: now it waits
                # Another tenant's thread: a notification, but no batch for this account.
                await seed.thread("Elsewhere", "x", user=seed.user_b, customer=seed.customer_other)
                reply = await seed.message(conv, body, author="customer")
                batch = await waiting
                assert [(c.kind, c.message_id, c.author_kind) for c in batch.changes] == [
                    ("message", reply, "customer")
                ]
    finally:
        await stream.aclose()


async def _until_listening_and_idle(url: str) -> None:
    """Until a connection LISTENs on the feed's channel and no other connection of the test
    database is busy (the watch's own read of the feed has finished)."""
    query = (
        "SELECT count(*) FILTER (WHERE query LIKE 'LISTEN %%' AND state = 'idle'), "
        "count(*) FILTER (WHERE state = 'active') FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            row = conn.execute(query).fetchone()
            if row is not None and row[0] >= 1 and row[1] == 0:
                return
            await asyncio.sleep(0.01)


async def test_a_version_1_database_is_migrated_to_the_current_schema(pg_cluster) -> None:
    from netmsg_tui.store.postgres.schema import APP_ID, MIGRATIONS

    name = "at_version_1"
    pg_cluster.execute(f"CREATE DATABASE {name}")
    try:
        url = pg_cluster.url(name)
        with psycopg.connect(url, autocommit=True) as conn:
            for statement in MIGRATIONS[0]:
                conn.execute(statement)
            conn.execute("INSERT INTO meta VALUES ('app', %s), ('schema_version', '1')", (APP_ID,))
        store = PostgresStore(url)
        with pytest.raises(Unauthorized, match="no user yet"):  # opened, and migrated
            await store.whoami()
        await store.close()
        with admin.connect(url) as conn:
            assert conn.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone() == (str(SCHEMA_VERSION),)
            assert conn.execute("SELECT to_regclass('message_search_newest')").fetchone() != (None,)
    finally:
        pg_cluster.drop_database(name)


async def test_a_killed_test_run_leaves_no_cluster_running(tmp_path) -> None:
    """The cluster's watchdog stops the server and removes its folder when the process that
    started it dies without cleaning up (here: SIGKILL, as a timeout would)."""
    from tests.postgres_cluster import find_bindir

    if find_bindir() is None:
        pytest.skip("PostgreSQL is not installed")
    starter = textwrap.dedent(
        """
        import sys, time
        sys.path.insert(0, sys.argv[1])
        from tests.postgres_cluster import Cluster, find_bindir
        cluster = Cluster(find_bindir())
        cluster.start()
        print(cluster.root, flush=True)
        time.sleep(600)
        """
    )
    repo = str(Path(__file__).resolve().parents[2])
    proc = subprocess.Popen(
        [sys.executable, "-c", starter, repo], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    root = Path(proc.stdout.readline().strip())
    pid_file = root / "data" / "postmaster.pid"
    assert pid_file.exists()
    server = int(pid_file.read_text().split()[0])
    proc.kill()
    proc.wait()
    proc.stdout.close()  # else a ResourceWarning (unclosed file) at teardown
    while root.exists() or Path(f"/proc/{server}").exists():  # the watchdog cleans up
        await asyncio.sleep(0.05)
