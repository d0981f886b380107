"""Moving a network between SQLite and PostgreSQL (``copy_store``, ``netmsg admin copy-store``)
and the demo written into PostgreSQL: what was there is there, read through the ports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netmsg_tui.model import InboundMail, NewAttachment, NotificationPrefs
from netmsg_tui.store import (
    Conflict,
    InvalidInput,
    MessageStore,
    NetworkStore,
    copy_store,
    open_network,
)
from tests.conftest import Network

PDF = b"%PDF-1.4 delivery note " + bytes(range(256))


async def _fill(net: NetworkStore, network: Network) -> dict[str, object]:
    """Correspondence of every kind on the tiny network; what a copy must keep."""
    jana = net.for_user(network.user_a)
    conv = await jana.start_conversation(
        network.customer_on, "Pallets", "the forklift broke", [NewAttachment("note.pdf", PDF)],
        idempotency_key="k1",
    )  # fmt: skip
    doc = await jana.start_conversation(
        network.customer_on, "PO", "ships late", document_id=network.po_a
    )
    await net.customer_reply(conv.id, "answer from the buyer")
    await jana.set_preferences(NotificationPrefs(True, ("jana@x.example",), "daily", False, True))
    contact = await net.create_customer_contact(network.customer_on, "Dora", "dora@buyer.example")
    token = await net.issue_token("customer", contact_id=contact.id, label="dora")
    await net.audit(token.id, network.account_a, "read", "conversation 1")
    when = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    await net.record_inbound_mail(InboundMail("<m1@x>", when, "accepted", "", conv.id, None, ""))
    await jana.save_draft("new", {"subject": "Later", "body": "half a thought"})
    await jana.save_draft(f"thread:{conv.id}", {"body": "Grüße ✓"})
    await jana.save_template("Grüße", "Viele Grüße, {me} ✓")
    return {"conv": conv.id, "doc": doc.id, "token": token.token}


async def _read(store: MessageStore, net: NetworkStore, made: dict[str, object]) -> object:
    """Everything a person could see, as plain values, to compare two stores."""
    convs = (await store.list_conversations()).items
    messages = {
        c.id: [(m.body, m.author, m.author_kind, m.origin, m.sent_at,
                [(a.filename, a.size, a.sha256) for a in m.attachments])
               for m in (await store.list_messages(c.id)).items]
        for c in convs
    }  # fmt: skip
    first = (await store.list_messages(int(str(made["conv"])))).items[0]
    return (
        [
            (
                c.id,
                c.subject,
                c.document_number,
                c.last_activity,
                c.unread_count,
                c.message_count,
                c.last_preview,
            )
            for c in convs
        ],  # fmt: skip
        messages,
        await store.read_attachment(first.attachments[0].id),
        [c.id for c in (await store.list_conversations("forkl")).items],
        [c.id for c in (await store.list_conversations("4500012345")).items],
        await store.get_preferences(),
        await store.unread_total(),
        list((await store.drafts()).items()),
        await store.list_templates(),
        (await net.authenticate(str(made["token"]))).contact_id,
        [(e.action, e.target) for e in await net.audit_log()],
        await net.notice_counts(),
        await net.inbound_mail("<m1@x>"),
        len(await net.list_tokens()),
    )


async def test_a_network_moves_to_postgresql_and_back_unchanged(
    network: Network, pg_url: str, tmp_path: Path
) -> None:
    sqlite_net = open_network(network.path)
    made = await _fill(sqlite_net, network)
    before = await _read(sqlite_net.for_user(network.user_a), sqlite_net, made)
    await sqlite_net.close()

    rows = copy_store(network.path, pg_url)
    assert rows["messages"] == 3 and rows["blobs"] == 1 and rows["api_tokens"] == 1
    pg_net = open_network(pg_url)
    try:
        assert await _read(pg_net.for_user(network.user_a), pg_net, made) == before
        # The copy goes on working: new ids follow the copied ones.
        more = await pg_net.for_user(network.user_a).reply(int(str(made["conv"])), "after")
        assert more.id == 4
    finally:
        await pg_net.close()

    back = tmp_path / "back.db"
    assert copy_store(pg_url, back)["messages"] == 4
    again = open_network(back)
    try:
        jana = again.for_user(network.user_a)
        assert (await jana.list_messages(int(str(made["conv"])))).items[-1].body == "after"
        assert [c.id for c in (await jana.list_conversations("forkl")).items] == [made["conv"]]
    finally:
        await again.close()


async def test_copy_refuses_a_non_empty_destination_and_one_engine(
    network: Network, pg_url: str, tmp_path: Path
) -> None:
    copy_store(network.path, pg_url)
    with pytest.raises(Conflict, match="not empty"):
        copy_store(network.path, pg_url)
    with pytest.raises(Conflict, match="not empty"):
        copy_store(pg_url, network.path)
    with pytest.raises(InvalidInput, match="between SQLite and PostgreSQL"):
        copy_store(network.path, tmp_path / "other.db")
    with pytest.raises(InvalidInput, match="No message store"):
        copy_store(tmp_path / "missing.db", pg_url)


def _netmsg(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NETMSG_CONFIG": "/nonexistent/config.toml"}
    return subprocess.run(
        [sys.executable, "-m", "netmsg_tui", *argv], capture_output=True, text=True, env=env
    )


def test_demo_init_and_copy_store_on_the_command_line(pg_cluster, tmp_path: Path) -> None:
    demo, scale = pg_cluster.new_database(), pg_cluster.new_database()
    try:
        made = _netmsg("demo", "init", pg_cluster.url(demo))
        assert made.returncode == 0, made.stderr
        threads = _netmsg("threads", "--json", "--store", pg_cluster.url(demo))
        assert threads.returncode == 0, threads.stderr
        assert len(json.loads(threads.stdout)) == 28
        found = _netmsg("threads", "--search", "certif", "--json", "--store", pg_cluster.url(demo))
        assert found.returncode == 0, found.stderr
        assert any("certificate" in t["subject"].lower() for t in json.loads(found.stdout))
        big = _netmsg("demo", "init", pg_cluster.url(scale), "--scale", "300")
        assert big.returncode == 0 and "300 messages" in big.stdout, big.stderr
        out = tmp_path / "out.db"
        copied = _netmsg("admin", "copy-store", pg_cluster.url(scale), str(out))
        assert copied.returncode == 0 and "300 messages" in copied.stdout, copied.stderr
        twice = _netmsg("admin", "copy-store", pg_cluster.url(scale), str(out))
        assert twice.returncode == 1 and "not empty" in twice.stderr
    finally:
        pg_cluster.release_database(demo)
        pg_cluster.release_database(scale)
