"""The support look-ups of the port (issue 17), run against every adapter: who am I, find by
every key, the delivery trail, the customer's read marks, the mail log."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from netmsg_tui.model import InboundMail
from netmsg_tui.store import InvalidInput, MessageStore, NetworkStore, NotFound, Unauthorized
from netmsg_tui.store import open_network as open_network_store
from tests.conftest import Network, StoreFactory

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def network_side(
    store: MessageStore, make_store: StoreFactory, network: Network
) -> AsyncIterator[NetworkStore]:
    """The network side of the same database as the store under test (after ``store``, which
    builds the PostgreSQL copy for the PostgreSQL adapters)."""
    net = open_network_store(network.postgres_url or network.path)
    yield net
    await net.close()


async def test_a_supplier_is_not_support_and_is_granted_its_own_account(
    store: MessageStore, network: Network
) -> None:
    me = await store.whoami()
    assert me.role == "supplier" and not me.read_only
    assert [a.id for a in me.granted] == [network.account_a]
    assert await store.open_account(network.account_a) is store
    with pytest.raises(Unauthorized):
        await store.open_account(network.account_b)


async def test_find_by_every_key_within_the_account_only(
    store: MessageStore, make_store: StoreFactory, network: Network
) -> None:
    conv = await store.start_conversation(
        network.customer_on, "Pump delivery", "When?", document_id=network.po_a
    )
    msg = (await store.list_messages(conv.id)).items[0]
    other = await make_store(network.user_b)
    conv_b = await other.start_conversation(network.customer_other, "B only", "secret")

    hits = await store.find(str(conv.id))
    assert ("conversation", "thread id", conv.id) in {
        (h.kind, h.key, h.conversation_id) for h in hits
    }
    hits = await store.find(f"#{msg.id}")
    assert any(h.key == "message id" and h.message_id == msg.id for h in hits)
    hits = await store.find("45000123")  # the start of the number
    (doc,) = [h for h in hits if h.kind == "document"]
    assert (doc.document_id, doc.conversation_id) == (network.po_a, conv.id)
    assert "4500012345" in doc.label
    hits = await store.find("inv-2026")  # any case
    assert [h.document_id for h in hits if h.kind == "document"] == [network.invoice_off]
    hits = await store.find("an0100000000")  # network ids: those trading with A only
    assert [(h.key, h.customer_id) for h in hits] == [
        ("network id", network.customer_on),
        ("network id", network.customer_off),
    ]
    hits = await store.find("alpine")
    assert [(h.key, h.customer_id) for h in hits] == [("customer name", network.customer_on)]
    # Another account's thread, document and customer are not found.
    assert not [h for h in await store.find(str(conv_b.id)) if h.kind == "conversation"]
    assert await store.find("4500099999") == []
    assert await store.find("Cobalt") == []
    assert await store.find("%") == []  # LIKE's own characters are literal
    for bad in ("", "   ", "x" * 201):
        with pytest.raises(InvalidInput):
            await store.find(bad)
    with pytest.raises(InvalidInput):
        await store.find("alpine", limit=0)


async def test_trail_of_a_customer_reply_shows_its_notifications(
    store: MessageStore, network: Network, network_side: NetworkStore
) -> None:
    conv = await store.start_conversation(
        network.customer_on, "Pumps", "Ready?", idempotency_key="send-1"
    )
    mine = (await store.list_messages(conv.id)).items[0]
    trail = await store.message_trail(mine.id)
    assert trail.message == mine and trail.conversation_id == conv.id
    assert trail.idempotency_key == "send-1"
    assert trail.notifications == () and trail.inbound is None
    assert trail.customer_read_at is None

    answer = await network.customer_reply(conv.id, "Yes, Friday")
    trail = await store.message_trail(answer.id)
    assert trail.message is not None and trail.message.author_kind == "customer"
    by_user = {n.user_name: n for n in trail.notifications}
    assert set(by_user) == {"Jana Supplier", "Piet Colleague"}
    jana = by_user["Jana Supplier"]
    assert (jana.state, jana.attempts, jana.email_message_id) == ("pending", 0, "")
    assert jana.addresses == ("jana@parts.example",)  # the user's current address, until sent

    now = datetime.now(UTC)
    claimed = await network_side.claim_immediate_notices(now + timedelta(seconds=1))
    assert sorted(claimed) == sorted(n.id for n in trail.notifications)
    await network_side.note_notice_email(
        [jana.id], "<netmsg-notice.1@reply.test>", ["jana@parts.example", "desk@parts.example"]
    )
    await network_side.retry_notices_later(claimed, "SMTP server down: connection refused", now)
    jana = next(n for n in (await store.message_trail(answer.id)).notifications if n.id == jana.id)
    assert (jana.state, jana.attempts) == ("pending", 1)
    assert jana.last_error == "SMTP server down: connection refused"
    assert jana.email_message_id == "<netmsg-notice.1@reply.test>"
    assert jana.addresses == ("jana@parts.example", "desk@parts.example")


async def test_customer_read_marks_reach_the_trail(
    store: MessageStore, network: Network, network_side: NetworkStore
) -> None:
    conv = await store.start_conversation(network.customer_on, "Pumps", "Ready?")
    first = (await store.list_messages(conv.id)).items[0]
    contact = await network_side.create_customer_contact(
        network.customer_on, "Xavier", "xavier@buyer.example"
    )
    assert await store.customer_reads(conv.id) == []
    when = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    await network_side.customer_mark_read(contact.id, conv.id, when)
    await network_side.customer_mark_read(contact.id, conv.id, when + timedelta(hours=1))
    (read,) = await store.customer_reads(conv.id)  # nothing new: the second read adds nothing
    assert (read.contact_name, read.up_to_message_id, read.read_at) == ("Xavier", first.id, when)
    second = await store.reply(conv.id, "Or Monday?")
    trail = await store.message_trail(second.id)
    assert trail.customer_read_at is None
    await network_side.customer_mark_read(contact.id, conv.id, when + timedelta(hours=2))
    trail = await store.message_trail(second.id)
    assert (trail.customer_read_at, trail.customer_reader) == (
        when + timedelta(hours=2),
        "Xavier",
    )
    assert (await store.message_trail(first.id)).customer_read_at == when
    assert [r.up_to_message_id for r in await store.customer_reads(conv.id)] == [
        first.id,
        second.id,
    ]
    # A contact of another customer cannot mark this thread read.
    stranger = await network_side.create_customer_contact(
        network.customer_other, "Yvonne", "y@cobalt.example"
    )
    with pytest.raises(NotFound):
        await network_side.customer_mark_read(stranger.id, conv.id)


async def test_mail_log_and_trail_of_emailed_replies_stay_in_the_account(
    store: MessageStore, make_store: StoreFactory, network: Network, network_side: NetworkStore
) -> None:
    conv = await store.start_conversation(network.customer_on, "Pumps", "Ready?")
    # (The mail gateway posts with origin "email"; the API takes only app/api.)
    posted = await store.reply(conv.id, "by mail", idempotency_key="email:<a@x>")
    other = await make_store(network.user_b)
    conv_b = await other.start_conversation(network.customer_other, "B only", "secret")
    t0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    records = [
        InboundMail("<a@x>", t0, "accepted", "", conv.id, posted.id, "> quoted"),
        InboundMail(
            "<r@x>",
            t0 + timedelta(minutes=1),
            "rejected",
            "the sender eve@evil.example is not one of the notification addresses",
            conv.id,
            kept_at="/var/lib/netmsg/rejected-mail/20261201T100100-abc.eml",
        ),
        InboundMail("<b@x>", t0 + timedelta(minutes=2), "rejected", "empty", conv_b.id),
        InboundMail("<none@x>", t0 + timedelta(minutes=3), "rejected", "no reply token"),
    ]
    for record in records:
        await network_side.record_inbound_mail(record)

    log = await store.mail_log()
    assert [m.message_id for m in log] == ["<r@x>", "<a@x>"]  # newest first, A's only
    assert log[0].kept_at.endswith("-abc.eml") and log[1].stored_message_id == posted.id
    assert [m.message_id for m in await store.mail_log(limit=1)] == ["<r@x>"]

    rejected = await store.message_trail("<r@x>")
    assert rejected.message is None and rejected.conversation_id == conv.id
    assert rejected.inbound is not None and "eve@evil.example" in rejected.inbound.reason
    assert rejected.inbound.kept_at.endswith("-abc.eml")
    accepted = await store.message_trail("<a@x>")
    assert accepted.message is not None and accepted.message.id == posted.id
    assert accepted.idempotency_key == "email:<a@x>"
    assert (await store.message_trail(posted.id)).inbound == accepted.inbound
    for elsewhere in ("<b@x>", "<none@x>", "<never@x>"):
        with pytest.raises(NotFound):
            await store.message_trail(elsewhere)
    b_message = (await other.list_messages(conv_b.id)).items[0]
    for missing in (b_message.id, 2**63 - 1, 2**63 + 5):
        with pytest.raises((NotFound, InvalidInput)):
            await store.message_trail(missing)
    with pytest.raises(NotFound):
        await store.customer_reads(conv_b.id)
    with pytest.raises(InvalidInput):
        await store.mail_log(limit=0)
