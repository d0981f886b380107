"""Notifications of customer replies, delivered to a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from netmsg_tui.config import Settings
from netmsg_tui.mail.sender import send_due
from netmsg_tui.mail.tokens import TokenSigner
from netmsg_tui.model import NewAttachment
from netmsg_tui.store import open_network
from netmsg_tui.store.network import MAX_ATTEMPTS, MAX_BACKOFF
from netmsg_tui.store.sql import timestamp
from tests.conftest import Network

from .conftest import REPLY_DOMAIN, SmtpSink, set_prefs, start_thread


async def states(path: Path) -> Counter[str]:
    network = open_network(path)
    try:
        return Counter(await network.notice_counts())
    finally:
        await network.close()


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """The file itself, to look at or stage what the port does not show."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


async def send(path: Path, settings: Settings, signer: TokenSigner, **kw: object):  # noqa: ANN201
    return await asyncio.to_thread(send_due, path, settings, signer, **kw)  # type: ignore[arg-type]


async def test_a_customer_reply_sends_one_email_to_each_address_with_threading_headers(
    network: Network, smtp: SmtpSink, settings: Settings, signer: TokenSigner
) -> None:
    await set_prefs(
        network, network.user_a, addresses=("jana@parts.example", "jana@mobile.example")
    )
    await set_prefs(network, network.user_a2, email_on_reply=False, addresses=())
    conv = await start_thread(network)
    await network.customer_reply(
        conv, "We need them by Friday.", [NewAttachment("drawing.pdf", b"%PDF-1.4 x" * 100)]
    )

    report = await send(network.path, settings, signer)
    assert (report.sent, report.retrying, report.errors) == (1, 0, [])
    (got,) = smtp.wait_for(1)
    assert sorted(got.rcpt_tos) == ["jana@mobile.example", "jana@parts.example"]
    mail = got.message
    assert mail["Subject"] == ("Re: Delivery date [Alpine Foods GmbH, Purchase order 4500012345]")
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Message-ID"].endswith(f"@{REPLY_DOMAIN}>")
    assert mail["In-Reply-To"] == f"<netmsg-thread.{conv}@{REPLY_DOMAIN}>"
    reply_to = mail["Reply-To"].addresses[0].addr_spec
    assert reply_to.startswith("reply+") and reply_to.endswith("@" + REPLY_DOMAIN)
    token_text = reply_to.split("+", 1)[1].split("@")[0]
    refs = mail["References"].split()
    assert refs[0] == mail["In-Reply-To"]
    assert refs[1] == f"<netmsg-reply.{token_text}@{REPLY_DOMAIN}>"
    head = got.raw.split(b"\r\n\r\n", 1)[0]
    assert b"=?" not in head  # ids and addresses are never RFC 2047-encoded
    assert f"References: {refs[0]} {refs[1]}".encode() in head
    assert f"Reply-To: {reply_to}".encode() in head
    token = signer.verify(token_text)
    assert (token.user_id, token.conversation_id) == (network.user_a, conv)
    body = mail.get_content()
    assert "We need them by Friday." in body
    assert "drawing.pdf" in body
    assert "Max Buyer (Alpine Foods GmbH)" in body

    # A second pass finds nothing to send: nothing goes out twice.
    again = await send(network.path, settings, signer)
    assert again.sent == 0
    assert len(smtp.received) == 1
    assert await states(network.path) == Counter({"sent": 1})


async def test_every_user_of_the_account_is_notified_once(
    network: Network, smtp: SmtpSink, settings: Settings, signer: TokenSigner
) -> None:
    conv = await start_thread(network, document=False)
    await network.customer_reply(conv, "First answer")
    await network.customer_reply(conv, "Second answer")
    report = await send(network.path, settings, signer)
    assert report.sent == 4
    received = smtp.wait_for(4)
    per_address = Counter(r.rcpt_tos[0] for r in received)
    assert per_address == Counter({"jana@parts.example": 2, "piet@parts.example": 2})
    assert {r.message["Subject"] for r in received} == {"Re: Delivery date [Alpine Foods GmbH]"}
    assert len({r.message["Message-ID"] for r in received}) == 4


async def test_smtp_down_then_up_delivers_once_after_retrying(
    network: Network, smtp_port: int, settings: Settings, signer: TokenSigner
) -> None:
    await set_prefs(network, network.user_a2, email_on_reply=False, addresses=())
    conv = await start_thread(network)
    await network.customer_reply(conv, "Are you there?")
    now = datetime.now(UTC)

    # Nothing listens on the port yet: the connection is refused, the row waits for a retry.
    down = await send(network.path, settings, signer, now=now)
    assert (down.sent, down.retrying) == (0, 1)
    assert "cannot deliver through 127.0.0.1" in down.errors[0]
    with connect(network.path) as conn:
        row = conn.execute(
            "SELECT state, attempts, last_error, next_attempt FROM notification_outbox"
        ).fetchone()
    assert row[:2] == ("pending", 1) and row[2]
    # Before its retry time the row is left alone.
    assert (await send(network.path, settings, signer, now=now + timedelta(seconds=30))).sent == 0

    sink = SmtpSink(smtp_port)
    sink.start()
    try:
        up = await send(network.path, settings, signer, now=now + timedelta(minutes=2))
        assert (up.sent, up.retrying) == (1, 0)
        assert len(sink.wait_for(1)) == 1
        later = await send(network.path, settings, signer, now=now + timedelta(hours=1))
        assert later.sent == 0
        assert len(sink.received) == 1
    finally:
        sink.stop()
    with connect(network.path) as conn:
        assert conn.execute("SELECT state, attempts FROM notification_outbox").fetchone() == (
            "sent",
            2,
        )


async def test_gives_up_after_the_last_attempt_and_keeps_the_row(
    network: Network, settings: Settings, signer: TokenSigner
) -> None:
    await set_prefs(network, network.user_a2, email_on_reply=False, addresses=())
    conv = await start_thread(network)
    await network.customer_reply(conv, "Hello?")
    now = datetime.now(UTC)
    for _ in range(MAX_ATTEMPTS):
        await send(network.path, settings, signer, now=now)
        now += MAX_BACKOFF + timedelta(seconds=1)
    assert await states(network.path) == Counter({"failed": 1})


async def test_preferences_off_sends_no_mail(
    network: Network, smtp: SmtpSink, settings: Settings, signer: TokenSigner
) -> None:
    await set_prefs(network, network.user_a, email_on_reply=False)
    await set_prefs(network, network.user_a2, email_on_reply=False)
    conv = await start_thread(network)
    await network.customer_reply(conv, "Nobody wants mail")
    report = await send(network.path, settings, signer)
    assert report.sent == 0
    assert smtp.received == []
    assert await states(network.path) == Counter()  # nothing was even queued


async def test_turning_email_off_after_queueing_skips_the_queued_rows(
    network: Network, smtp: SmtpSink, settings: Settings, signer: TokenSigner
) -> None:
    conv = await start_thread(network)
    await network.customer_reply(conv, "Queued before the change")
    await set_prefs(network, network.user_a2, email_on_reply=False)
    report = await send(network.path, settings, signer)
    assert (report.sent, report.skipped) == (1, 1)
    assert [r.rcpt_tos for r in smtp.wait_for(1)] == [["jana@parts.example"]]


async def test_daily_mode_sends_one_digest_per_day(
    network: Network, smtp: SmtpSink, settings: Settings, signer: TokenSigner
) -> None:
    await set_prefs(network, network.user_a, mode="daily")
    await set_prefs(network, network.user_a2, email_on_reply=False, addresses=())
    first = await start_thread(network)
    second = await start_thread(network, document=False)
    await network.customer_reply(first, "Reply one")
    await network.customer_reply(first, "Reply two")
    await network.customer_reply(second, "Reply three")
    now = datetime.now(UTC)
    hour = (now + timedelta(hours=1)).hour  # the next digest time is within the hour

    before = await send(network.path, settings, signer, now=now, digest_hour=hour)
    assert (before.sent, before.digests) == (0, 0)
    next_day = now + timedelta(hours=1, minutes=5)
    report = await send(network.path, settings, signer, now=next_day, digest_hour=hour)
    assert report.digests == 1
    (got,) = smtp.wait_for(1)
    assert got.rcpt_tos == ["jana@parts.example"]
    assert got.message["Subject"] == "Daily digest: 3 new replies in 2 threads"
    assert got.message["Auto-Submitted"] == "auto-generated"
    text = got.message.get_content()
    for body in ("Reply one", "Reply two", "Reply three"):
        assert body in text
    assert text.count(f"@{REPLY_DOMAIN}") == 2  # one reply address per thread
    # The same day brings no second digest, even with a new reply (queued, in the simulated
    # clock of this test, an hour after the digest went out).
    await network.customer_reply(second, "Reply four")
    with connect(network.path) as conn:
        conn.execute(
            "UPDATE notification_outbox SET created = ?, next_attempt = ? WHERE state = 'pending'",
            (timestamp(next_day + timedelta(hours=1)),) * 2,
        )
    same_day = await send(
        network.path, settings, signer, now=next_day + timedelta(hours=3), digest_hour=hour
    )
    assert same_day.digests == 0
    tomorrow = await send(
        network.path, settings, signer, now=next_day + timedelta(days=1), digest_hour=hour
    )
    assert tomorrow.digests == 1
    assert len(smtp.wait_for(2)) == 2
    assert await states(network.path) == Counter({"digested": 4})


async def test_two_senders_at_once_never_send_a_row_twice(
    network: Network, smtp: SmtpSink, settings: Settings, signer: TokenSigner
) -> None:
    conv = await start_thread(network)
    for n in range(15):
        await network.customer_reply(conv, f"Reply {n}")
    reports = []
    start = threading.Barrier(3)

    def sender() -> None:
        start.wait()
        reports.append(send_due(network.path, settings, signer))

    workers = [threading.Thread(target=sender) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        await asyncio.to_thread(worker.join)
    assert sum(r.sent for r in reports) == 30
    received = smtp.wait_for(30)
    assert len({r.message["Message-ID"] for r in received}) == 30
    assert await states(network.path) == Counter({"sent": 30})


async def test_a_row_that_cannot_become_an_email_does_not_stall_the_others(
    network: Network, smtp: SmtpSink, settings: Settings, signer: TokenSigner
) -> None:
    await set_prefs(network, network.user_a2, email_on_reply=False, addresses=())
    with connect(network.path) as conn:  # a row that points at no conversation, queued first
        conn.execute(
            "INSERT INTO notification_outbox(user_id, conversation_id, message_id, created,"
            " next_attempt) VALUES (?, 999, 999, '2026-01-01T00:00:00.000000Z',"
            " '2026-01-01T00:00:00.000000Z')",
            (network.user_a,),
        )
    conv = await start_thread(network)
    await network.customer_reply(conv, "A good one")
    report = await send(network.path, settings, signer)
    assert (report.sent, report.retrying) == (1, 1)
    assert "cannot compose the notification" in report.errors[0]
    assert len(smtp.wait_for(1)) == 1
    assert await states(network.path) == Counter({"sent": 1, "pending": 1})
