"""The network-side port (NetworkStore): run once per adapter (``make_network``), on the tiny
network of ``tests/conftest.py``. An adapter joins by adding a param to the fixture."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from netmsg_tui.model import Contact, InboundMail, NewAttachment
from netmsg_tui.store import (
    Conflict,
    InvalidInput,
    NetworkStore,
    NotFound,
    Unauthorized,
    Unavailable,
    open_network,
)
from tests.conftest import Network, use_postgres


@pytest.fixture(params=["sqlite", "postgres"])
async def net(request: pytest.FixtureRequest, network: Network) -> AsyncIterator[NetworkStore]:
    if request.param == "postgres":
        store = open_network(use_postgres(request, network))
    else:
        store = open_network(str(network.path))
    yield store
    await store.close()


async def _conversation(net: NetworkStore, network: Network) -> int:
    supplier = net.for_user(network.user_a)
    conv = await supplier.start_conversation(network.customer_on, "Pumps", "When?")
    return conv.id


async def test_operator_sets_up_people_and_tokens_that_authenticate(
    net: NetworkStore, network: Network
) -> None:
    account = await net.create_account(" New Supplier ", "standard")
    assert (account.name, account.plan) == ("New Supplier", "standard")
    user = await net.create_user(account.id, "Nia", "nia@new.example")
    customer = await net.create_customer(
        "Delta Foods", "AN09", "Oslo", Contact("D", "d@delta.example", "1", "Street"),
        trading_with=[account.id],
    )  # fmt: skip
    contact = await net.create_customer_contact(customer.id, "Dora", "dora@delta.example")

    supplier = await net.issue_token("supplier", user_id=user.id, label="laptop")
    who = await net.authenticate(supplier.token)
    assert (who.role, who.user_id, who.account_id) == ("supplier", user.id, account.id)
    buyer = await net.authenticate((await net.issue_token("customer", contact_id=contact.id)).token)
    assert (buyer.role, buyer.contact_id, buyer.customer_id) == (
        "customer",
        contact.id,
        customer.id,
    )
    support = await net.issue_token("support", accounts=[account.id, network.account_a])
    assert (await net.authenticate(support.token)).granted == {account.id, network.account_a}

    await net.revoke_token(supplier.id)
    with pytest.raises(Unauthorized, match="revoked"):
        await net.authenticate(supplier.token)
    with pytest.raises(InvalidInput, match="already revoked"):
        await net.revoke_token(supplier.id)
    with pytest.raises(Unauthorized, match="Unknown token"):
        await net.authenticate("nm_" + "x" * 43)
    listed = {t.id: t for t in await net.list_tokens()}
    assert listed[supplier.id].revoked is not None and listed[supplier.id].label == "laptop"
    assert supplier.token not in repr(listed)

    with pytest.raises(InvalidInput, match="needs --user"):
        await net.issue_token("supplier", contact_id=contact.id)
    with pytest.raises(NotFound, match="User 9999"):
        await net.issue_token("supplier", user_id=9999)
    with pytest.raises(NotFound, match="Account 9999"):
        await net.create_user(9999, "Ghost", "g@x.example")
    with pytest.raises(Conflict, match="AN09 already exists"):
        await net.create_customer("Again", "AN09", "", Contact("", "", "", ""))


async def test_a_customer_sees_and_answers_only_its_own_threads(
    net: NetworkStore, network: Network
) -> None:
    conv = await _conversation(net, network)
    contact = await net.create_customer_contact(network.customer_on, "Xavier", "x@buyer.example")
    start = (await net.customer_changes(network.customer_on)).cursor
    answer = await net.customer_reply(
        conv, "Friday", [NewAttachment("plan.pdf", b"%PDF")],
        customer_id=network.customer_on, contact_id=contact.id, idempotency_key="k1",
    )  # fmt: skip
    again = await net.customer_reply(
        conv, "Friday", [NewAttachment("plan.pdf", b"%PDF")],
        customer_id=network.customer_on, contact_id=contact.id, idempotency_key="k1",
    )  # fmt: skip
    assert again.id == answer.id and answer.author == "Xavier (Alpine Foods GmbH)"

    page = await net.customer_conversations(network.customer_on)
    assert [(c.conversation.id, c.supplier) for c in page.items] == [(conv, "Precision Parts GmbH")]
    assert page.items[0].conversation.unread_count == 0
    messages = await net.customer_messages(network.customer_on, conv)
    assert [m.body for m in messages.items] == ["When?", "Friday"]
    meta, data = await net.customer_attachment(network.customer_on, answer.attachments[0].id)
    assert (meta.filename, data) == ("plan.pdf", b"%PDF")
    await net.for_user(network.user_a).mark_read(conv)
    batch = await net.customer_changes(network.customer_on, start)
    assert [c.kind for c in batch.changes] == ["message"]  # the supplier's read mark is not shown
    assert batch.cursor >= batch.changes[-1].id
    assert (await net.customer_profile(contact.id)).customer.id == network.customer_on

    other = network.customer_other
    with pytest.raises(NotFound):
        await net.customer_conversation(other, conv)
    with pytest.raises(NotFound):
        await net.customer_messages(other, conv)
    with pytest.raises(NotFound):
        await net.customer_attachment(other, answer.attachments[0].id)
    with pytest.raises(NotFound):
        await net.customer_reply(conv, "Hijack", customer_id=other)
    with pytest.raises(InvalidInput):
        await net.customer_conversations(network.customer_on, cursor="garbage")


async def test_support_reads_are_audited_and_the_feed_head_moves(
    net: NetworkStore, network: Network
) -> None:
    assert await net.support_user(network.account_a) == network.user_a
    head = await net.feed_head()
    await _conversation(net, network)
    assert await net.feed_head() > head
    await net.audit(7, network.account_a, "GET /api/v1/conversations", "q" * 600)
    await net.audit(7, network.account_a, "GET /api/v1/me", "")
    log = await net.audit_log(limit=10)
    assert [e.action for e in log] == ["GET /api/v1/me", "GET /api/v1/conversations"]
    assert len(log[1].target) == 500 and log[0].at.tzinfo is not None


async def test_the_notification_queue_claims_once_and_backs_off(
    net: NetworkStore, network: Network
) -> None:
    conv = await _conversation(net, network)
    await net.customer_reply(conv, "Answer")  # one notice per user of account A
    now = datetime.now(UTC)
    ids = await net.claim_immediate_notices(now)
    assert len(ids) == 2
    assert await net.claim_immediate_notices(now) == []  # leased: nobody claims them twice
    notice = await net.load_notice(ids[0])
    assert (notice.conversation_id, notice.subject, notice.message.body) == (
        conv,
        "Pumps",
        "Answer",
    )
    assert notice.customer_name == "Alpine Foods GmbH" and notice.document_title is None
    await net.finish_notices(ids[:1], "sent", now)
    await net.retry_notices_later(ids[1:], "SMTP down", now)
    assert await net.notice_counts() == {"sent": 1, "pending": 1}
    assert await net.claim_immediate_notices(now + timedelta(seconds=30)) == []
    assert await net.claim_immediate_notices(now + timedelta(minutes=2)) == ids[1:]
    with pytest.raises(NotFound):
        await net.load_notice(9999)


async def test_emailed_replies_are_logged_once(net: NetworkStore, network: Network) -> None:
    at = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert await net.inbound_mail("<a@x>") is None
    await net.record_inbound_mail(InboundMail("<a@x>", at, "rejected", "forged"))
    await net.record_inbound_mail(InboundMail("<a@x>", at, "accepted"))  # ignored: seen
    await net.record_inbound_mail(InboundMail("<b@x>", at + timedelta(minutes=1), "accepted"))
    seen = await net.inbound_mail("<a@x>")
    assert seen is not None and (seen.status, seen.reason, seen.received) == (
        "rejected",
        "forged",
        at,
    )
    assert [m.message_id for m in await net.inbound_mail_log(limit=5)] == ["<b@x>", "<a@x>"]
    assert await net.notification_addresses(network.user_a) == {"jana@parts.example"}
    assert await net.notification_addresses(9999) is None


async def test_open_network_refuses_a_server_and_waits_for_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        open_network("https://network.example")
    missing = open_network(str(tmp_path / "later.db"), create=False)
    try:
        with pytest.raises(Unavailable, match="No message store"):
            await missing.ping()
        assert not (tmp_path / "later.db").exists()
    finally:
        await missing.close()


async def test_a_nul_character_in_the_operators_names_is_refused_alike(
    net: NetworkStore, network: Network
) -> None:
    """PostgreSQL's text cannot hold a NUL character and SQLite's can: both refuse it first."""
    nul = "NUL character \\(0x00\\); nothing was stored"
    contact = Contact("D", "d@delta.example", "1", "Street")
    with pytest.raises(InvalidInput, match=nul):
        await net.create_account("Nul\x00 GmbH")
    with pytest.raises(InvalidInput, match=nul):
        await net.create_user(network.account_a, "Ni\x00a", "nia@new.example")
    with pytest.raises(InvalidInput, match=nul):
        await net.create_customer("Delta\x00", "AN09", "Oslo", contact)
    with pytest.raises(InvalidInput, match=nul):
        await net.create_customer_contact(network.customer_on, "Dora\x00", "dora@delta.example")


async def test_many_tokens_are_looked_up_at_once_as_one_by_one(
    net: NetworkStore, network: Network
) -> None:
    supplier = await net.issue_token("supplier", user_id=network.user_a)
    other = await net.issue_token("supplier", user_id=network.user_b)
    support = await net.issue_token("support", accounts=[network.account_a, network.account_b])
    revoked = await net.issue_token("supplier", user_id=network.user_a2)
    await net.revoke_token(revoked.id)
    await _conversation(net, network)  # account A's feed head moves
    tokens = [supplier.token, other.token, support.token, revoked.token, "nm_unknown"]
    found = await net.authenticate_many([*tokens, supplier.token])  # a repeat is one token
    assert list(found) == tokens
    for token in tokens[:3]:
        assert found[token] == await net.authenticate(token)
    assert found[supplier.token] is not None and found[supplier.token].feed_head
    assert found[support.token] is not None
    assert found[support.token].granted == {network.account_a, network.account_b}
    assert found[revoked.token] is None and found["nm_unknown"] is None
    assert await net.authenticate_many([]) == {}


async def test_more_tokens_than_one_query_takes_are_looked_up_too(
    net: NetworkStore, network: Network
) -> None:
    supplier = await net.issue_token("supplier", user_id=network.user_a)
    unknown = [f"nm_unknown{n}" for n in range(1200)]  # SQLite before 3.32: 999 parameters
    found = await net.authenticate_many([*unknown, supplier.token])
    assert len(found) == 1201 and found[supplier.token] == await net.authenticate(supplier.token)
    assert all(found[t] is None for t in unknown)
