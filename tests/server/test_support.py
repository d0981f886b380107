"""Support staff over the network (issue 17): a support token granted two accounts, against a
real ``netmsg serve`` process. Who am I, switching accounts, look-ups by every key, the delivery
trail of a message whose notification failed and of a rejected emailed reply, the customer's
read marks, the audit log, and a support read that leaves the supplier's unread state alone.
The CLI part runs ``netmsg`` as a user would, with the token from NETMSG_TOKEN and no keyring."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from netmsg_tui.config import MailSettings, Settings, SmtpSettings
from netmsg_tui.mail.inbound import ingest
from netmsg_tui.mail.sender import send_pass
from netmsg_tui.mail.tokens import TokenSigner
from netmsg_tui.store import Unauthorized
from netmsg_tui.store.remote import RemoteStore
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.store.sqlite.network import SQLiteNetworkStore
from tests.conftest import Network

from .conftest import ServerProcess, add_contact, issue

pytestmark = pytest.mark.asyncio
SIGNER = TokenSigner([b"support-test-secret-0123456789"], "reply.network.test", 30)


def closed_port() -> int:
    """A loopback port nobody listens on: the SMTP server is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Desk:
    """The network, its server process, a support token granted A and B, and what happened."""

    network: Network
    url: str
    support: str
    support_id: int
    supplier_a: str
    customer_x: str
    conv_a: int
    conv_b: int
    asked: int  # A's question (a supplier message)
    answer: int  # the customer's reply in A's thread (its notification failed)
    rejected_mail: str  # Message-ID of an emailed reply to A's thread that was rejected
    kept_dir: Path

    def remote(self, token: str, tmp: Path, account: int | None = None) -> RemoteStore:
        queue = tmp / f"outbox-{token[-6:]}-{account}.db"
        return RemoteStore(self.url, token, outbox_path=queue, account=account)


@pytest.fixture
async def desk(network: Network, tmp_path: Path) -> AsyncIterator[Desk]:
    a = SQLiteStore(network.path, user_id=network.user_a)
    b = SQLiteStore(network.path, user_id=network.user_b)
    try:
        conv_a = await a.start_conversation(
            network.customer_on, "Pump delivery", "When do you need them?",
            document_id=network.po_a, idempotency_key="ask-1",
        )  # fmt: skip
        conv_b = await b.start_conversation(network.customer_other, "B matter", "bravo")
        asked = (await a.list_messages(conv_a.id)).items[0].id
        answer = await network.customer_reply(conv_a.id, "Friday, please")
    finally:
        await a.close()
        await b.close()
    net = SQLiteNetworkStore(network.path)
    kept = tmp_path / "rejected-mail"
    try:
        # The SMTP server is down: the notification's first try fails with the error kept.
        down = Settings(
            smtp=SmtpSettings(host="127.0.0.1", port=closed_port(), security="none",
                              sender="Network <noreply@network.test>", timeout=5),
            mail=MailSettings(reply_domain=SIGNER.reply_domain, token_days=30),
        )  # fmt: skip
        report = await send_pass(net, down, SIGNER)
        assert report.sent == 0 and report.retrying == 2 and report.errors
        # A reply by email from someone who is not the user: rejected, kept, logged.
        mail = EmailMessage()
        mail["From"] = "Eve <eve@evil.example>"
        mail["To"] = SIGNER.address(SIGNER.issue(network.user_a, conv_a.id))
        mail["Subject"] = "Re: Pump delivery"
        mail["Message-ID"] = "<rejected-1@evil.example>"
        mail.set_content("Send them to my address instead")
        outcome = await ingest(mail.as_bytes(), net, SIGNER, rejected_dir=kept)
        assert outcome.status == "rejected" and outcome.kept_at is not None
    finally:
        await net.close()
    support_id, support = issue(network, "support", accounts=[network.account_a, network.account_b])
    contact = add_contact(network, network.customer_on, "Xavier")
    server = ServerProcess(network.path)
    url = server.start()
    try:
        yield Desk(
            network=network,
            url=url,
            support=support,
            support_id=support_id,
            supplier_a=issue(network, "supplier", user_id=network.user_a)[1],
            customer_x=issue(network, "customer", contact_id=contact)[1],
            conv_a=conv_a.id,
            conv_b=conv_b.id,
            asked=asked,
            answer=answer.id,
            rejected_mail="<rejected-1@evil.example>",
            kept_dir=kept,
        )
    finally:
        server.kill()


def audit_rows(network: Network) -> list[tuple[int | None, str, str]]:
    conn = sqlite3.connect(network.path)
    try:
        return conn.execute(
            "SELECT account_id, action, target FROM audit_log ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


async def test_support_is_told_apart_switches_accounts_and_finds_by_every_key(
    desk: Desk, tmp_path: Path
) -> None:
    n = desk.network
    store = desk.remote(desk.support, tmp_path)
    try:
        me = await store.whoami()
        assert me.role == "support" and me.read_only
        assert me.account.id == n.account_a  # without --account: the first granted
        assert [a.id for a in me.granted] == [n.account_a, n.account_b]
        assert [a.name for a in me.granted] == ["Precision Parts GmbH", "Other Supplier AG"]
        with pytest.raises(Unauthorized):
            await store.open_account(n.account_s)
        other = await store.open_account(n.account_b)
        try:
            assert (await other.whoami()).account.id == n.account_b
            assert [c.id for c in (await other.list_conversations()).items] == [desk.conv_b]
            found = {(h.key, h.conversation_id) for h in await other.find(str(desk.conv_b))}
            assert ("thread id", desk.conv_b) in found
            assert await other.find("4500012345") == []  # A's document is not B's
        finally:
            await other.close()
        a = desk.remote(desk.support, tmp_path, account=n.account_a)
        try:
            keys = {
                str(desk.conv_a): ("thread id", desk.conv_a),
                f"#{desk.answer}": ("message id", desk.conv_a),
                "4500012345": ("document number", desk.conv_a),
                "AN01000000001": ("network id", None),
                "alpine foods": ("customer name", None),
            }
            for query, (key, thread) in keys.items():
                hits = await a.find(query)
                assert (key, thread) in {(h.key, h.conversation_id) for h in hits}, query
            with pytest.raises(Unauthorized):  # read-only: refused before any send queue
                await a.reply(desk.conv_a, "support must not write")
        finally:
            await a.close()
    finally:
        await store.close()
    actions = [action for _, action, _ in audit_rows(n)]
    assert actions.count("GET /api/v1/find") == 7  # every look-up is audited
    assert all(account in (n.account_a, n.account_b) for account, *_ in audit_rows(n))


async def test_trails_show_the_failed_notification_and_the_rejected_reply(
    desk: Desk, tmp_path: Path
) -> None:
    n = desk.network
    store = desk.remote(desk.support, tmp_path, account=n.account_a)
    try:
        trail = await store.message_trail(desk.answer)
        assert trail.message is not None and trail.message.body == "Friday, please"
        assert trail.message.author_kind == "customer"
        assert len(trail.notifications) == 2  # one per user of the account
        for notice in trail.notifications:
            assert (notice.state, notice.attempts) == ("pending", 1)
            assert "refused" in notice.last_error.lower() or "connect" in notice.last_error.lower()
            assert notice.email_message_id.startswith("<netmsg-notice.")
        assert {a for x in trail.notifications for a in x.addresses} == {
            "jana@parts.example",
            "piet@parts.example",
        }
        rejected = await store.message_trail(desk.rejected_mail)
        assert rejected.message is None and rejected.conversation_id == desk.conv_a
        assert rejected.inbound is not None and rejected.inbound.status == "rejected"
        assert "eve@evil.example" in rejected.inbound.reason
        kept = Path(rejected.inbound.kept_at)
        assert kept.parent == desk.kept_dir and kept.read_bytes().startswith(b"X-Netmsg-Rejected")
        (logged,) = await store.mail_log()
        assert logged == rejected.inbound
        asked = await store.message_trail(desk.asked)
        assert asked.idempotency_key == "ask-1" and asked.customer_read_at is None
    finally:
        await store.close()
    audited = {(account, action) for account, action, _ in audit_rows(n)}
    assert (n.account_a, f"GET /api/v1/messages/{desk.answer}/trail") in audited
    assert (n.account_a, "GET /api/v1/mail/trail") in audited
    assert (n.account_a, "GET /api/v1/mail/log") in audited
    # B's support view does not hold A's trails.
    b = desk.remote(desk.support, tmp_path, account=n.account_b)
    try:
        from netmsg_tui.store import NotFound

        with pytest.raises(NotFound):
            await b.message_trail(desk.answer)
        with pytest.raises(NotFound):
            await b.message_trail(desk.rejected_mail)
        assert await b.mail_log() == []
    finally:
        await b.close()


async def test_a_support_read_leaves_unread_alone_and_customer_reads_reach_the_trail(
    desk: Desk, tmp_path: Path
) -> None:
    n = desk.network
    supplier = desk.remote(desk.supplier_a, tmp_path)
    support = desk.remote(desk.support, tmp_path, account=n.account_a)
    try:
        assert await supplier.unread_total() == 1
        before = (await supplier.get_conversation(desk.conv_a)).unread_count
        await support.list_messages(desk.conv_a)
        await support.mark_read(desk.conv_a)  # what opening a thread does: nothing, for support
        assert await supplier.unread_total() == 1
        assert (await supplier.get_conversation(desk.conv_a)).unread_count == before == 1

        # The customer opens the thread: the supplier's trail says when and who.
        async with httpx.AsyncClient(
            base_url=desk.url, headers={"Authorization": f"Bearer {desk.customer_x}"}, timeout=30
        ) as customer:
            path = f"/api/v1/customer/conversations/{desk.conv_a}/messages"
            assert (await customer.get(path)).status_code == 200
        for store in (supplier, support):  # the supplier, and support for the account
            trail = await store.message_trail(desk.asked)
            assert trail.customer_reader == "Xavier" and trail.customer_read_at is not None
            (read,) = await store.customer_reads(desk.conv_a)
            assert read.up_to_message_id == desk.answer
        assert await supplier.unread_total() == 1  # the customer's read is not the supplier's
    finally:
        await supplier.close()
        await support.close()
    refused = [a for _, a, _ in audit_rows(n) if a.startswith("REFUSED")]
    assert refused == []  # mark_read did not even ask the server


def netmsg(*args: str, token: str, home: Path) -> subprocess.CompletedProcess[str]:
    """``netmsg`` as over ``ssh -t``: the token in NETMSG_TOKEN, no keyring, no config."""
    env = {
        **os.environ,
        "NETMSG_TOKEN": token,
        "NETMSG_CONFIG": str(home / "config.toml"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "NETMSG_OUTBOX": str(home / "outbox.db"),
    }
    env.pop("NETMSG_TOKEN_FILE", None)
    return subprocess.run(
        [sys.executable, "-m", "netmsg_tui", *args],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


async def test_the_cli_with_a_support_token_from_the_environment(
    desk: Desk, tmp_path: Path
) -> None:
    n, url = desk.network, desk.url
    run = netmsg("threads", "--store", url, "--json", token=desk.support, home=tmp_path)
    assert run.returncode == 0, run.stderr
    assert [t["id"] for t in json.loads(run.stdout)] == [desk.conv_a]
    args = ("threads", "--store", url, "--account", str(n.account_b), "--json")
    run = netmsg(*args, token=desk.support, home=tmp_path)
    assert [t["id"] for t in json.loads(run.stdout)] == [desk.conv_b]
    run = netmsg("find", "AN0100000000", "--store", url, "--json", token=desk.support,
                 home=tmp_path)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert {h["customer_id"] for h in json.loads(run.stdout)} == {
        n.customer_on,
        n.customer_off,
    }
    run = netmsg("find", "4500012345", "--store", url, token=desk.support, home=tmp_path)
    assert "Purchase order 4500012345" in run.stdout and f"thread {desk.conv_a}" in run.stdout
    run = netmsg("trail", str(desk.answer), "--store", url, "--json", token=desk.support,
                 home=tmp_path)  # fmt: skip
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["message"]["id"] == desk.answer
    assert all(x["last_error"] for x in data["notifications"])
    run = netmsg("trail", desk.rejected_mail, "--store", url, token=desk.support, home=tmp_path)
    assert "rejected" in run.stdout and "eve@evil.example" in run.stdout
    assert "raw mail kept at" in run.stdout
    run = netmsg("mail", "log", "--store", url, "--json", token=desk.support, home=tmp_path)
    assert [m["message_id"] for m in json.loads(run.stdout)] == [desk.rejected_mail]
    # A granted account only; and no write, whatever the command.
    args = ("threads", "--store", url, "--account", str(n.account_s))
    run = netmsg(*args, token=desk.support, home=tmp_path)
    assert run.returncode == 1 and "not granted" in run.stderr
    run = netmsg("reply", str(desk.conv_a), "--body", "hi", "--store", url,
                 token=desk.support, home=tmp_path)  # fmt: skip
    assert run.returncode == 1 and "read-only" in run.stderr
    run = netmsg("show", str(desk.conv_a), "--store", url, token=desk.support, home=tmp_path)
    assert run.returncode == 0 and "Friday, please" in run.stdout, run.stderr
    supplier = desk.remote(desk.supplier_a, tmp_path)
    try:
        assert await supplier.unread_total() == 1  # `show` as support marked nothing read
    finally:
        await supplier.close()
