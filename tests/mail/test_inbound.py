"""Replies by email: each common client's quoting is stripped and the reply lands in its thread;
every kind of bad reply is rejected with its reason and adds nothing."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest

from netmsg_tui.config import Settings
from netmsg_tui.mail.inbound import Outcome, ingest
from netmsg_tui.mail.sender import send_due
from netmsg_tui.mail.tokens import TokenSigner
from netmsg_tui.model import MAX_ATTACHMENT_BYTES
from netmsg_tui.store import open_network
from tests.conftest import Network

from . import samples
from .conftest import REPLY_DOMAIN, SmtpSink, set_prefs, start_thread, thread_bodies

ANSWER = "Friday is fine: the pumps leave our warehouse on Wednesday.\nTracking follows."


@dataclass
class Notified:
    conversation_id: int
    notification: EmailMessage


@pytest.fixture
async def notified(
    network: Network, smtp: SmtpSink, settings: Settings, signer: TokenSigner
) -> Notified:
    """A customer replied in a PO thread and user A got the notification email."""
    await set_prefs(network, network.user_a2, email_on_reply=False, addresses=())
    conv = await start_thread(network)
    await network.customer_reply(conv, "We need them by Friday.\n\nMax")
    await asyncio.to_thread(send_due, network.path, settings, signer)
    (got,) = smtp.wait_for(1)
    return Notified(conv, got.message)


async def feed(network: Network, signer: TokenSigner, mail: EmailMessage, **kw: object) -> Outcome:
    store = open_network(network.path, create=False)
    try:
        return await ingest(bytes(mail), store, signer, **kw)  # type: ignore[arg-type]
    finally:
        await store.close()


def inbound_rows(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT status, reason, stripped_text FROM inbound_mail").fetchall()


@pytest.mark.parametrize("client", sorted(samples.CLIENTS))
async def test_a_reply_from_each_client_lands_in_its_thread_without_quotes(
    client: str, network: Network, signer: TokenSigner, notified: Notified
) -> None:
    reply = samples.CLIENTS[client](notified.notification, ANSWER)
    outcome = await feed(network, signer, reply)
    assert outcome.status == "accepted", outcome.reason
    assert outcome.conversation_id == notified.conversation_id
    messages = await thread_bodies(network, notified.conversation_id)
    assert messages[-1] == ("supplier", "email", ANSWER)
    assert len(messages) == 3
    ((status, reason, stripped),) = inbound_rows(network.path)
    assert (status, reason) == ("accepted", "")
    assert "We need them by Friday." in stripped  # the quoted part is kept, retrievably


async def test_the_references_id_routes_when_the_plus_address_was_lost(
    network: Network, signer: TokenSigner, notified: Notified
) -> None:
    reply = samples.thunderbird_top(notified.notification, "Routed by References.")
    reply.replace_header("To", f"reply@{REPLY_DOMAIN}")  # a server without plus addressing
    outcome = await feed(network, signer, reply)
    assert outcome.status == "accepted", outcome.reason
    assert (await thread_bodies(network, notified.conversation_id))[-1][2] == (
        "Routed by References."
    )


async def test_an_attachment_is_stored_with_the_reply(
    network: Network, signer: TokenSigner, notified: Notified
) -> None:
    reply = samples.gmail(notified.notification, "Certificate attached.")
    reply.add_attachment(b"%PDF-1.7 cert", maintype="application", subtype="pdf",
                         filename="../../certificate.pdf")  # fmt: skip
    outcome = await feed(network, signer, reply)
    assert outcome.status == "accepted", outcome.reason
    from netmsg_tui.store.sqlite import SQLiteStore

    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        page = await store.list_messages(notified.conversation_id)
        last = page.items[-1]
        assert [a.filename for a in last.attachments] == ["certificate.pdf"]
        assert await store.read_attachment(last.attachments[0].id) == b"%PDF-1.7 cert"
    finally:
        await store.close()


async def test_an_attachment_of_exactly_10_mib_is_accepted(
    network: Network, signer: TokenSigner, notified: Notified
) -> None:
    reply = samples.thunderbird_top(notified.notification, "The full export.")
    reply.add_attachment(b"x" * MAX_ATTACHMENT_BYTES, maintype="application",
                         subtype="octet-stream", filename="export.bin")  # fmt: skip
    outcome = await feed(network, signer, reply)
    assert outcome.status == "accepted", outcome.reason


def tampered(text: str) -> str:
    """Change one character of the token's user id: the signature no longer matches."""
    user, rest = text.split("-", 1)
    return f"{int(user, 16) + 1:x}-{rest}"


REJECTIONS = ["forged", "tampered", "expired", "wrong sender", "oversize", "auto-reply", "empty"]


@pytest.mark.parametrize("case", REJECTIONS)
async def test_a_bad_reply_is_rejected_with_its_reason_and_adds_nothing(
    case: str, network: Network, signer: TokenSigner, notified: Notified, tmp_path: Path
) -> None:
    reply = samples.gmail(notified.notification, "This must not be posted.")
    token = str(notified.notification["Reply-To"]).split("+", 1)[1].split("@")[0]
    now = None
    if case == "forged":
        other = TokenSigner([b"someone-elses-secret-key"], REPLY_DOMAIN)
        fake = other.issue(notified_user(network), notified.conversation_id)
        reply.replace_header("To", other.address(fake))
        reply.replace_header("References", other.reference(fake))
    elif case == "tampered":
        reply.replace_header("To", f"reply+{tampered(token)}@{REPLY_DOMAIN}")
        reply.replace_header("References", f"<netmsg-reply.{tampered(token)}@{REPLY_DOMAIN}>")
    elif case == "expired":
        now = datetime.now(UTC) + timedelta(days=31)
    elif case == "wrong sender":
        reply.replace_header("From", "Mallory <mallory@evil.example>")
    elif case == "oversize":
        reply.add_attachment(b"x" * (MAX_ATTACHMENT_BYTES + 1), maintype="application",
                             subtype="octet-stream", filename="huge.bin")  # fmt: skip
    elif case == "auto-reply":
        reply["Auto-Submitted"] = "auto-replied"
        reply.replace_header("Subject", "Out of office: " + str(reply["Subject"]))
    elif case == "empty":
        reply = samples.outlook(notified.notification, "")
    before = await thread_bodies(network, notified.conversation_id)
    folder = tmp_path / "rejected"
    outcome = await feed(network, signer, reply, rejected_dir=folder, now=now)

    assert outcome.status == "rejected"
    expected = {
        "forged": ("signature does not match", False),
        "tampered": ("signature does not match", False),
        "expired": ("expired", True),
        "wrong sender": ("mallory@evil.example is not one of the notification addresses", True),
        "oversize": ("huge.bin is 10,485,761 bytes, 1 byte over", True),
        "auto-reply": ("automatic reply (Auto-Submitted: auto-replied)", False),
        "empty": ("the reply is empty", True),
    }[case]
    assert expected[0] in outcome.reason
    assert outcome.bounce is expected[1]
    assert await thread_bodies(network, notified.conversation_id) == before
    assert [(s, r) for s, r, _ in inbound_rows(network.path)] == [("rejected", outcome.reason)]
    (kept,) = folder.iterdir()
    assert kept == outcome.kept_at
    head, _, rest = kept.read_bytes().partition(b"\r\n")
    assert head.decode().startswith("X-Netmsg-Rejected: ")
    assert rest == bytes(reply)


def notified_user(network: Network) -> int:
    return network.user_a


async def test_a_duplicate_message_id_is_posted_once(
    network: Network, signer: TokenSigner, notified: Notified, tmp_path: Path
) -> None:
    reply = samples.apple_mail_iphone(notified.notification, "Only once, please.")
    first = await feed(network, signer, reply)
    assert first.status == "accepted"
    again = await feed(network, signer, reply, rejected_dir=tmp_path / "rejected")
    assert again.status == "duplicate"
    assert "duplicate" in again.reason and str(reply["Message-ID"]) in again.reason
    assert not again.bounce
    bodies = [b for _, _, b in await thread_bodies(network, notified.conversation_id)]
    assert bodies.count("Only once, please.") == 1
    assert len(list((tmp_path / "rejected").iterdir())) == 1


async def test_precedence_bulk_and_null_sender_count_as_automatic(
    network: Network, signer: TokenSigner, notified: Notified, tmp_path: Path
) -> None:
    bulk = samples.gmail(notified.notification, "Newsletter")
    bulk["Precedence"] = "bulk"
    outcome = await feed(network, signer, bulk, rejected_dir=tmp_path)
    assert outcome.status == "rejected" and "Precedence: bulk" in outcome.reason
    bounce = samples.gmail(notified.notification, "Delivery failed")
    outcome = await feed(network, signer, bounce, envelope_sender="", rejected_dir=tmp_path)
    assert outcome.status == "rejected" and "null envelope sender" in outcome.reason


async def test_a_rotated_secret_still_accepts_replies_to_older_notifications(
    network: Network, signer: TokenSigner, notified: Notified
) -> None:
    rotated = TokenSigner([b"the-new-secret-after-rotation", signer.secrets[0]], REPLY_DOMAIN)
    outcome = await feed(network, rotated, samples.thunderbird_top(notified.notification, "Ok"))
    assert outcome.status == "accepted", outcome.reason
    dropped = TokenSigner([b"the-new-secret-after-rotation"], REPLY_DOMAIN)
    reply = samples.thunderbird_top(notified.notification, "Too late")
    reply.replace_header("Message-ID", make_msgid(domain="parts.example"))
    assert (await feed(network, dropped, reply)).status == "rejected"


async def test_a_reply_from_another_notification_address_of_the_user_is_accepted(
    network: Network, signer: TokenSigner, notified: Notified
) -> None:
    await set_prefs(
        network, network.user_a, addresses=("jana@parts.example", "Jana@Mobile.Example")
    )
    reply = samples.gmail(notified.notification, "From my phone", sender="jana@mobile.example")
    assert (await feed(network, signer, reply)).status == "accepted"


async def test_a_reply_to_a_thread_whose_customer_turned_messaging_off_bounces(
    network: Network, signer: TokenSigner, notified: Notified, tmp_path: Path
) -> None:
    with sqlite3.connect(network.path) as conn:
        conn.execute("UPDATE customers SET messaging_enabled = 0 WHERE id = ?",
                     (network.customer_on,))  # fmt: skip
    reply = samples.gmail(notified.notification, "Still there?")
    outcome = await feed(network, signer, reply, rejected_dir=tmp_path)
    assert outcome.status == "rejected" and outcome.bounce
    assert "has not enabled messaging" in outcome.reason


async def test_a_missing_store_or_an_unwritable_rejected_folder_asks_for_a_retry(
    network: Network, signer: TokenSigner, notified: Notified, tmp_path: Path
) -> None:
    reply = samples.gmail(notified.notification, "Try me later")
    unmounted = open_network(tmp_path / "unmounted" / "network.db", create=False)
    try:
        gone = await ingest(bytes(reply), unmounted, signer)
    finally:
        await unmounted.close()
    assert gone.status == "retry" and "No message store" in gone.reason
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the rejected-mail folder should be")
    stranger = samples.gmail(notified.notification, "Hi", sender="eve@elsewhere.example")
    outcome = await feed(network, signer, stranger, rejected_dir=blocked)
    assert outcome.status == "retry" and "cannot keep the rejected message" in outcome.reason
    assert inbound_rows(network.path) == []  # not recorded: the retry is processed afresh


async def test_the_same_reply_delivered_twice_at_once_is_posted_once(
    network: Network, signer: TokenSigner, notified: Notified
) -> None:
    reply = samples.outlook(notified.notification, "Racing MTAs")
    outcomes = await asyncio.gather(*(feed(network, signer, reply) for _ in range(4)))
    assert {o.status for o in outcomes} <= {"accepted", "duplicate"}
    assert len({o.message_id for o in outcomes if o.status == "accepted"}) == 1
    bodies = [b for _, _, b in await thread_bodies(network, notified.conversation_id)]
    assert bodies.count("Racing MTAs") == 1
