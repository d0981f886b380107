"""The store contract: every port method, rule and error, run against every adapter."""

from __future__ import annotations

import pytest

from netmsg_tui.model import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS_PER_MESSAGE,
    MAX_BODY_CHARS,
    MAX_SUBJECT_CHARS,
    NewAttachment,
    NotificationPrefs,
    Template,
    fill_template,
    template_problem,
)
from netmsg_tui.store import (
    AttachmentTooLarge,
    Conflict,
    InvalidInput,
    MessageStore,
    MessagingDisabled,
    NotFound,
    UpgradeRequired,
)

pytestmark = pytest.mark.asyncio


async def test_whoami_names_account_user_and_plan(store: MessageStore, network) -> None:
    me = await store.whoami()
    assert me.account.id == network.account_a
    assert me.account.plan == "enterprise"
    assert me.user.name == "Jana Supplier"


async def test_customers_are_only_those_trading_with_the_account(store, network) -> None:
    page = await store.list_customers()
    ids = {c.id for c in page.items}
    assert ids == {network.customer_on, network.customer_off}
    assert page.next_cursor is None


async def test_customer_search_matches_name_network_id_and_city(store, network) -> None:
    for query in ("alpine", "AN01000000001", "walldorf"):
        found = (await store.list_customers(query)).items
        assert [c.id for c in found] == [network.customer_on], query
    assert (await store.list_customers("nothing like this")).items == ()


async def test_customer_pages_follow_the_cursor(store, network) -> None:
    first = await store.list_customers(limit=1)
    assert len(first.items) == 1 and first.next_cursor
    second = await store.list_customers(cursor=first.next_cursor, limit=1)
    assert len(second.items) == 1 and second.next_cursor is None
    assert first.items[0].id != second.items[0].id


async def test_get_customer_carries_contact_and_hides_other_tenants(store, network) -> None:
    off = await store.get_customer(network.customer_off)
    assert not off.messaging_enabled
    assert off.contact.email == "eva@baltic.example"
    with pytest.raises(NotFound):
        await store.get_customer(network.customer_other)
    with pytest.raises(NotFound):
        await store.get_customer(999_999)


async def test_bad_cursor_and_page_size_are_invalid_input(store) -> None:
    with pytest.raises(InvalidInput):
        await store.list_customers(cursor="garbage")
    with pytest.raises(InvalidInput):
        await store.list_conversations(cursor="garbage")
    with pytest.raises(InvalidInput):
        await store.list_customers(limit=0)


async def test_documents_list_filter_and_detail(store, network) -> None:
    docs = (await store.list_documents()).items
    assert {d.id for d in docs} == {network.po_a, network.invoice_off}
    assert docs[0].issued >= docs[1].issued  # newest first
    oldest = (await store.list_documents(oldest_first=True)).items
    assert [d.id for d in oldest] == [d.id for d in reversed(docs)]
    invoices = (await store.list_documents(kind="invoice")).items
    assert [d.number for d in invoices] == ["INV-2026-0042"]
    by_customer = (await store.list_documents(customer_id=network.customer_on)).items
    assert [d.id for d in by_customer] == [network.po_a]
    assert [d.id for d in (await store.list_documents("4500012345")).items] == [network.po_a]
    assert [d.id for d in (await store.list_documents("45000")).items] == [network.po_a]
    assert [d.id for d in (await store.list_documents("inv-2026")).items] == [network.invoice_off]
    assert [d.id for d in (await store.list_documents("baltic")).items] == [network.invoice_off]
    assert (await store.list_documents("12345")).items == ()  # numbers match from the start
    assert (await store.list_documents("%")).items == ()
    one = await store.list_documents("o", limit=1)  # both customers' names hold an "o"
    two = await store.list_documents("o", cursor=one.next_cursor, limit=1)
    assert {one.items[0].id, two.items[0].id} == {network.po_a, network.invoice_off}
    detail = await store.get_document(network.po_a)
    assert detail.title == "Purchase order 4500012345"
    assert detail.line_items[0].description == "Hydraulic pump"
    assert str(detail.amount) == "2900.00"
    with pytest.raises(NotFound):
        await store.get_document(network.po_b)
    with pytest.raises(InvalidInput):
        await store.list_documents(kind="receipt")  # type: ignore[arg-type]


async def test_start_conversation_and_read_it_back(store, network) -> None:
    conv = await store.start_conversation(network.customer_on, "  Delivery date ", "When?")
    assert conv.subject == "Delivery date"
    assert conv.message_count == 1 and conv.unread_count == 0
    msgs = (await store.list_messages(conv.id)).items
    assert [(m.body, m.author_kind, m.origin) for m in msgs] == [("When?", "supplier", "app")]
    assert msgs[0].author == "Jana Supplier"
    listed = (await store.list_conversations()).items
    assert listed[0].id == conv.id
    assert (await store.get_conversation(conv.id)).subject == "Delivery date"


async def test_reply_and_conversation_order_follows_activity(store, network) -> None:
    first = await store.start_conversation(network.customer_on, "First", "one")
    second = await store.start_conversation(network.customer_on, "Second", "two")
    assert [c.id for c in (await store.list_conversations()).items][:2] == [second.id, first.id]
    msg = await store.reply(first.id, "again")
    assert msg.conversation_id == first.id and msg.body == "again"
    assert [c.id for c in (await store.list_conversations()).items][:2] == [first.id, second.id]


async def test_messages_page_newest_first_with_cursor_to_older(store, network) -> None:
    conv = await store.start_conversation(network.customer_on, "Paging", "m0")
    for i in range(1, 7):
        await store.reply(conv.id, f"m{i}")
    newest = await store.list_messages(conv.id, limit=4)
    assert [m.body for m in newest.items] == ["m3", "m4", "m5", "m6"]
    older = await store.list_messages(conv.id, cursor=newest.next_cursor, limit=4)
    assert [m.body for m in older.items] == ["m0", "m1", "m2"]
    assert older.next_cursor is None


async def test_conversation_pages_cover_everything_once(store, network) -> None:
    made = [
        (await store.start_conversation(network.customer_on, f"Topic {i}", "x")).id
        for i in range(7)
    ]
    seen: list[int] = []
    cursor = None
    while True:
        page = await store.list_conversations(cursor=cursor, limit=3)
        seen += [c.id for c in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == list(reversed(made))


async def test_full_text_search(store, network) -> None:
    a = await store.start_conversation(network.customer_on, "Pallets", "the forklift broke down")
    b = await store.start_conversation(
        network.customer_on, "Order question", "x", document_id=network.po_a
    )
    await store.reply(b.id, "about the hydraulics")
    assert [c.id for c in (await store.list_conversations("forklift")).items] == [a.id]
    assert [c.id for c in (await store.list_conversations("hydraul")).items] == [b.id]
    assert [c.id for c in (await store.list_conversations("4500012345")).items] == [b.id]
    assert {c.id for c in (await store.list_conversations("alpine")).items} == {a.id, b.id}
    assert (await store.list_conversations("pallets forklift")).items[0].id == a.id
    assert (await store.list_conversations('"; DROP TABLE messages; --')).items == ()


async def test_unread_counts_mark_read_and_unread_only(store, network) -> None:
    conv = await store.start_conversation(network.customer_on, "Question", "Hello")
    other = await store.start_conversation(network.customer_on, "Other", "Hi")
    await network.customer_reply(conv.id, "Answer 1")
    await network.customer_reply(conv.id, "Answer 2")
    assert (await store.get_conversation(conv.id)).unread_count == 2
    assert await store.unread_total() == 2
    unread = (await store.list_conversations(unread_only=True)).items
    assert [c.id for c in unread] == [conv.id]
    assert other.id not in [c.id for c in unread]
    await store.mark_read(conv.id)
    assert (await store.get_conversation(conv.id)).unread_count == 0
    assert await store.unread_total() == 0
    assert (await store.list_conversations(unread_only=True)).items == ()


async def test_unread_is_per_user(make_store, network) -> None:
    jana = await make_store(network.user_a)
    piet = await make_store(network.user_a2)
    conv = await jana.start_conversation(network.customer_on, "Shared", "Hello")
    await network.customer_reply(conv.id, "Reply")
    await jana.mark_read(conv.id)
    assert (await piet.get_conversation(conv.id)).unread_count == 1


async def test_messaging_disabled_customer_carries_contact_and_stores_nothing(
    store, network
) -> None:
    with pytest.raises(MessagingDisabled) as caught:
        await store.start_conversation(network.customer_off, "Hello", "Hi")
    assert caught.value.contact.email == "eva@baltic.example"
    assert "eva@baltic.example" in str(caught.value)
    with pytest.raises(MessagingDisabled):
        await store.start_conversation(
            network.customer_off, "Invoice", "Hi", document_id=network.invoice_off
        )
    assert (await store.list_conversations()).items == ()


async def test_standard_plan_cannot_send(make_store, network) -> None:
    standard = await make_store(network.user_s)
    assert (await standard.whoami()).account.plan == "standard"
    with pytest.raises(UpgradeRequired) as caught:
        await standard.start_conversation(network.customer_on, "Hello", "Hi")
    assert "Enterprise" in str(caught.value) and "upgrade" in str(caught.value).lower()
    assert (await standard.list_conversations()).items == ()


@pytest.mark.parametrize(
    ("subject", "body", "expected"),
    [
        ("", "body", "Subject is empty"),
        ("   ", "body", "Subject is empty"),
        ("x" * (MAX_SUBJECT_CHARS + 1), "body", "at most 200"),
        ("two\nlines", "body", "single line"),
        ("Fine", "", "Message is empty"),
        ("Fine", "  \n ", "Message is empty"),
        ("Fine", "x" * (MAX_BODY_CHARS + 1), "at most 50,000"),
    ],
)
async def test_field_rules_refuse_and_store_nothing(store, network, subject, body, expected):
    with pytest.raises(InvalidInput) as caught:
        await store.start_conversation(network.customer_on, subject, body)
    assert expected in str(caught.value)
    assert (await store.list_conversations()).items == ()


async def test_attachment_limit_is_exact(store, network) -> None:
    exact = NewAttachment("exact.bin", b"\0" * MAX_ATTACHMENT_BYTES)
    conv = await store.start_conversation(network.customer_on, "Big", "exact size", [exact])
    att = (await store.list_messages(conv.id)).items[0].attachments[0]
    assert att.size == MAX_ATTACHMENT_BYTES
    over = NewAttachment("over.bin", b"\0" * (MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(AttachmentTooLarge) as caught:
        await store.reply(conv.id, "too big", [over])
    assert "over.bin" in str(caught.value) and "10,485,761" in str(caught.value)
    assert (await store.get_conversation(conv.id)).message_count == 1


async def test_attachment_rules(store, network) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        await store.start_conversation(network.customer_on, "S", "b", [NewAttachment("e.txt", b"")])
    many = [NewAttachment(f"f{i}.txt", b"x") for i in range(MAX_ATTACHMENTS_PER_MESSAGE + 1)]
    with pytest.raises(InvalidInput, match="at most"):
        await store.start_conversation(network.customer_on, "S", "b", many)
    # An attachment-only message needs no body.
    conv = await store.start_conversation(
        network.customer_on, "Certificate", "", [NewAttachment("cert.pdf", b"%PDF-1.4 x")]
    )
    assert conv.message_count == 1


async def test_attachments_round_trip_and_are_deduplicated(store, network) -> None:
    data = b"%PDF-1.4 delivery note"
    conv = await store.start_conversation(
        network.customer_on,
        "Docs",
        "two copies",
        [NewAttachment("a.pdf", data), NewAttachment("b.pdf", data)],
    )
    atts = (await store.list_messages(conv.id)).items[0].attachments
    assert [a.filename for a in atts] == ["a.pdf", "b.pdf"]
    assert atts[0].sha256 == atts[1].sha256
    assert atts[0].media_type == "application/pdf"
    assert await store.read_attachment(atts[1].id) == data
    assert (await store.get_attachment(atts[0].id)).size == len(data)
    with pytest.raises(NotFound):
        await store.read_attachment(999_999)


async def test_other_tenants_ids_are_not_found(make_store, network) -> None:
    mine = await make_store(network.user_a)
    theirs = await make_store(network.user_b)
    conv = await mine.start_conversation(
        network.customer_on, "Private", "secret", [NewAttachment("s.txt", b"secret")]
    )
    att = (await mine.list_messages(conv.id)).items[0].attachments[0]
    for call in (
        theirs.get_conversation(conv.id),
        theirs.list_messages(conv.id),
        theirs.reply(conv.id, "intrusion"),
        theirs.mark_read(conv.id),
        theirs.read_attachment(att.id),
        theirs.get_attachment(att.id),
        theirs.get_document(network.po_a),
        theirs.document_thread(network.po_a),
        theirs.get_customer(network.customer_on),
    ):
        with pytest.raises(NotFound):
            await call
    assert (await theirs.list_conversations("secret")).items == ()
    assert (await mine.get_conversation(conv.id)).message_count == 1


async def test_document_thread_is_one_per_document(store, network) -> None:
    assert await store.document_thread(network.po_a) is None
    first = await store.start_conversation(
        network.customer_on, "Purchase order 4500012345", "Ships late", document_id=network.po_a
    )
    assert first.document_number == "4500012345"
    again = await store.start_conversation(
        network.customer_on, "Another subject", "Second note", document_id=network.po_a
    )
    assert again.id == first.id and again.message_count == 2
    linked = await store.document_thread(network.po_a)
    assert linked is not None and linked.id == first.id
    by_doc = (await store.list_conversations(document_id=network.po_a)).items
    assert [c.id for c in by_doc] == [first.id]


async def test_document_of_another_customer_is_refused(store, network) -> None:
    with pytest.raises(InvalidInput):
        await store.start_conversation(
            network.customer_on, "Wrong", "x", document_id=network.invoice_off
        )
    with pytest.raises(NotFound):
        await store.start_conversation(network.customer_on, "Theirs", "x", document_id=network.po_b)


async def test_idempotency_key_never_duplicates(store, network) -> None:
    one = await store.start_conversation(network.customer_on, "Once", "hello", idempotency_key="k")
    two = await store.start_conversation(network.customer_on, "Once", "hello", idempotency_key="k")
    assert one.id == two.id
    assert (await store.get_conversation(one.id)).message_count == 1
    r1 = await store.reply(one.id, "again", idempotency_key="r")
    r2 = await store.reply(one.id, "again", idempotency_key="r")
    assert r1.id == r2.id
    assert (await store.get_conversation(one.id)).message_count == 2
    with pytest.raises(Conflict):
        await store.reply(one.id, "different text", idempotency_key="r")


async def test_preferences_round_trip_and_rules(store) -> None:
    default = await store.get_preferences()
    assert default.addresses == ("jana@parts.example",) and default.email_on_reply
    wanted = NotificationPrefs(True, ("a@x.example", "b@x.example"), "daily", False, True)
    assert await store.set_preferences(wanted) == wanted
    assert await store.get_preferences() == wanted
    too_many = NotificationPrefs(True, tuple(f"u{i}@x.example" for i in range(4)))
    with pytest.raises(InvalidInput, match="At most 3"):
        await store.set_preferences(too_many)
    with pytest.raises(InvalidInput, match="not an email"):
        await store.set_preferences(NotificationPrefs(True, ("nope",)))
    assert await store.get_preferences() == wanted


async def test_the_language_of_notification_emails_is_a_preference(store) -> None:
    assert (await store.get_preferences()).language == "en"  # never saved: English
    german = NotificationPrefs(True, ("a@x.example",), "daily", language="de")
    assert await store.set_preferences(german) == german
    assert (await store.get_preferences()).language == "de"
    with pytest.raises(InvalidInput, match="language"):
        await store.set_preferences(NotificationPrefs(True, ("a@x.example",), language="fr"))
    english = NotificationPrefs(False, (), language="en")
    assert await store.set_preferences(english) == english
    assert await store.get_preferences() == english


async def test_change_feed_reports_new_messages(store, network) -> None:
    start = await store.changes_since(None)
    assert start.changes == ()
    conv = await store.start_conversation(network.customer_on, "Feed", "hello")
    reply = await network.customer_reply(conv.id, "answer")
    batch = await store.changes_since(start.cursor)
    kinds = [(c.kind, c.conversation_id, c.author_kind) for c in batch.changes]
    assert ("message", conv.id, "customer") in kinds
    assert any(c.message_id == reply.id for c in batch.changes)
    assert (await store.changes_since(batch.cursor)).changes == ()


async def test_change_feed_hides_other_tenants(make_store, network) -> None:
    mine = await make_store(network.user_a)
    theirs = await make_store(network.user_b)
    cursor = (await theirs.changes_since(None)).cursor
    await mine.start_conversation(network.customer_on, "Private", "secret")
    assert (await theirs.changes_since(cursor)).changes == ()


async def test_watch_follows_new_messages(store, network) -> None:
    store.watch_interval = 0.05  # the polling default looks often; a push stream ignores it
    conv = await store.start_conversation(network.customer_on, "Watched", "hello")
    stream = store.watch()
    try:
        start = await anext(stream)
        assert start.changes == ()  # from now on: the conversation above is not news
        reply = await network.customer_reply(conv.id, "answer")
        seen: list[int | None] = []
        while reply.id not in seen:
            batch = await anext(stream)
            assert batch.cursor != start.cursor and batch.changes  # opaque: not ordered
            seen += [c.message_id for c in batch.changes]
    finally:
        await stream.aclose()


async def test_drafts_are_saved_replaced_listed_and_deleted(store) -> None:
    assert await store.drafts() == {}
    await store.save_draft("thread:12", {"body": "half a thought", "attachments": ["/a.pdf"]})
    await store.save_draft("new", {"subject": "Hello", "body": "…"})
    await store.save_draft("thread:12", {"body": "a whole thought"})  # replaced, now newest
    assert await store.drafts() == {
        "new": {"subject": "Hello", "body": "…"},
        "thread:12": {"body": "a whole thought"},
    }
    assert list(await store.drafts()) == ["new", "thread:12"]  # least recently saved first
    await store.delete_draft("new")
    await store.delete_draft("never saved")  # nothing there: nothing happens
    assert list(await store.drafts()) == ["thread:12"]


async def test_a_draft_survives_closing_and_reopening_the_store(make_store, network) -> None:
    store = await make_store(network.user_a)
    await store.save_draft("thread:7", {"body": "Grüße, kept ✓"})
    again = await make_store.reopen(store)
    assert await again.drafts() == {"thread:7": {"body": "Grüße, kept ✓"}}


async def test_drafts_are_per_user(make_store, network) -> None:
    jana = await make_store(network.user_a)
    piet = await make_store(network.user_a2)
    await jana.save_draft("new", {"body": "Jana's"})
    assert await piet.drafts() == {}
    await piet.delete_draft("new")
    assert await jana.drafts() == {"new": {"body": "Jana's"}}


async def test_a_draft_must_be_plain_json_at_a_named_place(store) -> None:
    with pytest.raises(InvalidInput):
        await store.save_draft("", {"body": "x"})
    with pytest.raises(InvalidInput):
        await store.save_draft("p" * 201, {"body": "x"})
    with pytest.raises(InvalidInput):
        await store.save_draft("new", {"body": object()})
    assert await store.drafts() == {}


# -- canned replies ------------------------------------------------------------------------------
async def test_templates_are_saved_listed_by_name_replaced_and_deleted(store) -> None:
    assert await store.list_templates() == ()
    await store.save_template("delivery date", "Dear {contact}, {document} ships Friday. {me}")
    await store.save_template("Certificate", "Hello {customer}, the certificate is attached.")
    saved = await store.save_template("delivery date", "Dear {contact}, it ships Monday.")
    assert saved == Template("delivery date", "Dear {contact}, it ships Monday.")
    listed = await store.list_templates()
    assert [t.name for t in listed] == ["Certificate", "delivery date"]  # by name, any case
    assert await store.get_template("delivery date") == saved
    await store.delete_template("Certificate")
    assert await store.list_templates() == (saved,)
    with pytest.raises(NotFound):
        await store.get_template("Certificate")
    with pytest.raises(NotFound):
        await store.delete_template("Certificate")


async def test_templates_are_shared_by_the_account_and_kept(make_store, network) -> None:
    jana, piet = await make_store(network.user_a), await make_store(network.user_a2)
    other = await make_store(network.user_b)
    await jana.save_template("Grüße", "Viele Grüße, {me} ✓")
    assert [t.name for t in await piet.list_templates()] == ["Grüße"]  # the same account
    assert await other.list_templates() == ()  # another tenant sees nothing of it
    with pytest.raises(NotFound):
        await other.get_template("Grüße")
    with pytest.raises(NotFound):
        await other.delete_template("Grüße")
    again = await make_store.reopen(jana)
    assert await again.get_template("Grüße") == Template("Grüße", "Viele Grüße, {me} ✓")


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("eta", "Dear {contact}, your {order} ships Friday"),  # unknown placeholder
        ("eta", "Dear {contact, your order ships"),  # malformed
        ("eta", "Total: 5 }"),  # a lone closing brace
        ("eta", "Dear {contact!r}"),  # no conversions
        ("eta", "Dear {}"),
        ("eta", "   "),
        ("", "Hello"),
        ("../etc", "Hello"),
        ("x" * 61, "Hello"),
    ],
)
async def test_a_bad_template_is_refused_with_the_rules_words(store, name, body) -> None:
    problem = template_problem(name, body)
    assert problem is not None
    with pytest.raises(InvalidInput) as refused:
        await store.save_template(name, body)
    assert str(refused.value) == problem
    assert await store.list_templates() == ()


async def test_an_unknown_placeholder_names_itself_and_the_known_ones(store) -> None:
    with pytest.raises(InvalidInput) as refused:
        await store.save_template("eta", "Dear {contact}, your {order} ships")
    assert str(refused.value) == (
        "Unknown placeholder {order} in the template; use {customer}, {contact}, {document}, "
        "{document_kind}, {me}"
    )
    saved = await store.save_template("braces", "Use {{curly}} braces, {me}")
    assert fill_template(saved.body, {"me": "Jana"}) == "Use {curly} braces, Jana"


async def test_a_nul_character_is_refused_alike_and_nothing_is_stored(store, network) -> None:
    """PostgreSQL's text cannot hold a NUL character and SQLite's can: every store refuses it
    with the same sentence before anything is written, and a draft keeps it (JSON escapes it)."""
    nul = "NUL character \\(0x00\\); nothing was stored"
    customer = network.customer_on
    for subject, body, files in [
        ("Hello", "a\x00b", []),
        ("Hel\x00lo", "body", []),
        ("Hello", "body", [NewAttachment("a\x00.txt", b"x")]),
    ]:
        with pytest.raises(InvalidInput, match=nul):
            await store.start_conversation(customer, subject, body, files)
    with pytest.raises(InvalidInput, match=nul):
        await store.start_conversation(customer, "Hello", "body", idempotency_key="k\x00")
    assert (await store.list_conversations()).items == ()
    conv = await store.start_conversation(customer, "Clean", "hello")
    with pytest.raises(InvalidInput, match=nul):
        await store.reply(conv.id, "bad\x00")
    with pytest.raises(InvalidInput, match=nul):
        await network.customer_reply(conv.id, "customer \x00")
    assert (await store.get_conversation(conv.id)).message_count == 1
    with pytest.raises(InvalidInput, match=nul):
        await store.save_template("greeting", "Hi\x00")
    assert await store.list_templates() == ()
    await store.save_draft("new", {"body": "kept \x00 as typed"})
    assert await store.drafts() == {"new": {"body": "kept \x00 as typed"}}
