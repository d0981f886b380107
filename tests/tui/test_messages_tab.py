"""The Messages tab, new conversations, threads and the network's rules, driven by keys at 80×24."""

from __future__ import annotations

import sys
from pathlib import Path

from textual.screen import Screen
from textual.widgets import Input, TextArea

from netmsg_tui.model import MAX_SUBJECT_CHARS, UPGRADE_TEXT
from netmsg_tui.tui.dialogs.help import HelpScreen
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.widgets.composer import Composer
from netmsg_tui.tui.widgets.notices import ContactCard, UpgradeNotice
from netmsg_tui.tui.widgets.thread_messages import OlderButton
from tests.conftest import Network
from tests.tui.conftest import OpenStore, current_thread, enter_first_thread
from tests.waiting import wait_until

from .conftest import SIZE, make_app, new_conversation_to_alpine, ready, screen_text, toasts_into


def option_texts(screen: Screen[object]) -> list[str]:
    lst = screen.messages.list
    return [str(lst.get_option_at_index(i).prompt) for i in range(lst.option_count)]


async def test_new_conversation_by_keys(network: Network, open_store: OpenStore) -> None:
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await new_conversation_to_alpine(pilot)
        assert "Alpine Foods GmbH" in screen_text(screen)
        await pilot.press(*"Delivery date", "tab")
        await pilot.press(*"Can we ship on Friday?", "ctrl+s")
        thread = await current_thread(pilot, "the new thread")
        await wait_until(pilot, lambda: thread.messages, "the thread's messages")
        assert "Can we ship on Friday?" in screen_text(thread)

    page = await store.list_conversations()
    assert [c.subject for c in page.items] == ["Delivery date"]
    assert page.items[0].customer_id == network.customer_on
    messages = await store.list_messages(page.items[0].id)
    assert [m.body for m in messages.items] == ["Can we ship on Friday?"]
    assert thread.conversation_id == page.items[0].id


async def test_customer_without_messaging_shows_contact_card(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("n", "plus")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CustomerPicker", "picker")
        await pilot.press(*"baltic", "enter")
        await wait_until(pilot, lambda: bool(app.screen.query(ContactCard)), "the contact card")
        screen = app.screen
        text = screen_text(screen)
        for detail in ("Eva Einkauf", "eva@baltic.example", "+49 40 999", "Kai 3, Hamburg"):
            assert detail in text
        assert not screen.query_one("#form").display
        await pilot.press("ctrl+s")  # nothing to send: no composer
        await pilot.press("plus")  # a way back: choose another customer
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CustomerPicker", "picker")
        await pilot.press(*"alpine", "enter")
        await wait_until(pilot, lambda: not screen.query(ContactCard), "the card to go")
        assert screen.query_one("#form").display
    assert (await store.list_conversations()).items == ()


async def test_standard_plan_shows_upgrade_text_and_no_composer(
    network: Network, open_store: OpenStore
) -> None:
    app = make_app(open_store(network.user_s))
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        await wait_until(pilot, lambda: main.query_one(UpgradeNotice).display, "upgrade text")
        assert not main.query_one("#pencil").display
        assert "Enterprise" in screen_text(main)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the compose screen")
        assert app.screen.query(UpgradeNotice)
        assert not app.screen.query(Composer)
        assert UPGRADE_TEXT[:40] in screen_text(app.screen)


async def test_reply_in_existing_thread_is_stored_and_shown(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Pallets", "How many pallets?")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await enter_first_thread(pilot)
        await wait_until(pilot, lambda: thread.query(Composer), "the reply box")
        await pilot.press("tab")
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"Twelve pallets.", "ctrl+s")
        await wait_until(pilot, lambda: len(thread.messages) == 2, "the reply in the thread")
        assert "Twelve pallets." in screen_text(thread)
        assert thread.query_one(Composer).body == ""
    bodies = [m.body for m in (await store.list_messages(conv.id)).items]
    assert bodies == ["How many pallets?", "Twelve pallets."]


async def test_opening_an_unread_thread_clears_its_badge(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Invoice", "Sent it.")
    await network.customer_reply(conv.id, "Thanks, received.")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        assert option_texts(main)[0].startswith("● ")
        await wait_until(pilot, lambda: app.title == "netmsg (1 unread)", "the title")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the thread")
        await wait_until(pilot, lambda: app.unread_total == 0, "the unread count to clear")
        await pilot.press("escape")
        await wait_until(
            pilot, lambda: not option_texts(main)[0].startswith("● "), "the badge to go"
        )
        assert app.title == "netmsg"
    assert (await store.get_conversation(conv.id)).unread_count == 0


async def test_message_from_another_process_appears_live(
    network: Network, open_store: OpenStore, tmp_path: Path
) -> None:
    import asyncio

    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Samples", "Samples are on the way")
    app = make_app(store, poll_interval=1.0)
    toasts: list[tuple[str, str]] = []
    async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
        main = await ready(pilot)
        assert not option_texts(main)[0].startswith("● ")
        code = (
            "import asyncio, sys\n"
            "from netmsg_tui.store.sqlite import SQLiteStore\n"
            "async def go():\n"
            "    s = SQLiteStore(sys.argv[1])\n"
            "    await s.add_customer_reply(int(sys.argv[2]), 'Samples arrived, thank you')\n"
            "    await s.close()\n"
            "asyncio.run(go())\n"
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", code, str(network.path), str(conv.id)
        )
        assert await proc.wait() == 0
        await wait_until(pilot, lambda: option_texts(main)[0].startswith("● "), "the unread badge")
        assert "Samples arrived" in option_texts(main)[0]
        await wait_until(pilot, lambda: app.title == "netmsg (1 unread)", "the title")
        assert ("Alpine Foods GmbH replied", "Samples") in toasts


async def test_escape_keeps_the_draft(network: Network, open_store: OpenStore) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("n", "plus")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CustomerPicker", "picker")
        await pilot.press(*"alpine", "enter")
        await wait_until(pilot, lambda: getattr(app.screen, "customer", None), "customer")
        await pilot.press(*"Half-written", "tab", *"Dear Max,")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ComposeScreen), "leaving")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the composer")
        screen = app.screen
        await wait_until(pilot, lambda: screen.customer is not None, "the customer restored")
        assert screen.query_one("#subject", Input).value == "Half-written"
        assert screen.query_one(Composer).body == "Dear Max,"


async def test_bad_input_shows_inline_and_keeps_the_draft(
    network: Network, open_store: OpenStore, tmp_path: Path
) -> None:
    store = open_store(network.user_a)
    app = make_app(store)
    big = tmp_path / "huge.bin"
    with big.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("n", "ctrl+s")
        screen = app.screen
        await wait_until(pilot, lambda: "Choose a customer" in screen_text(screen), "To error")
        await pilot.press("plus")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CustomerPicker", "picker")
        await pilot.press(*"alpine", "enter")
        await wait_until(pilot, lambda: screen.customer is not None, "customer")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Subject is empty" in screen_text(screen), "subject error")
        assert "Message is empty" in screen_text(screen)
        subject = screen.query_one("#subject", Input)
        subject.value = "x" * (MAX_SUBJECT_CHARS + 1)
        screen.query_one(Composer).set_body("Body text")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "at most 200" in screen_text(screen), "too long")
        subject.value = "Fine subject"
        composer = screen.query_one(Composer)
        composer.add_attachment(big)
        assert "10 MiB" in screen_text(screen)
        assert composer.attachments == []
        composer.add_attachment(Path(tmp_path / "missing.pdf"))
        assert "does not exist" in screen_text(screen)
        assert composer.body == "Body text"
    assert (await store.list_conversations()).items == ()


async def test_attachments_are_sent_and_listed(
    network: Network, open_store: OpenStore, tmp_path: Path
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Certificate", "See attached.")
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(b"%PDF-1.4 test certificate")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await enter_first_thread(pilot)
        await wait_until(pilot, lambda: thread.query(Composer), "the reply box")
        composer = thread.query_one(Composer)
        composer.add_attachment(pdf)
        assert "certificate.pdf" in screen_text(thread)
        await pilot.press("ctrl+s")  # no text: an attachment alone is a message
        await wait_until(pilot, lambda: len(thread.messages) == 2, "the message")
        assert "📎 certificate.pdf" in screen_text(thread)
    last = (await store.list_messages(conv.id)).items[-1]
    assert [(a.filename, a.size) for a in last.attachments] == [("certificate.pdf", 25)]


async def test_search_filters_through_the_store(network: Network, open_store: OpenStore) -> None:
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "Pallets", "How many pallets?")
    await store.start_conversation(network.customer_on, "Invoice", "Please check the invoice")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        assert len(option_texts(main)) == 2
        await pilot.press("slash", *"pallets", "enter")
        await wait_until(pilot, lambda: len(option_texts(main)) == 1, "the search result")
        assert "Pallets" in option_texts(main)[0]
        await pilot.press("u")  # unread only, on top of the search: nothing
        await wait_until(pilot, lambda: len(option_texts(main)) == 0, "no unread")


async def test_keymap_from_config_remaps_by_id(network: Network, open_store: OpenStore) -> None:
    app = make_app(open_store(network.user_a), keymap={"new": "ctrl+n"})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, ComposeScreen)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the composer")


async def test_help_lists_the_screens_bindings(network: Network, open_store: OpenStore) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        ids = {binding_id for _keys, _what, binding_id in help_screen.rows}
        for binding_id in ("new", "search", "unread-only", "next-unread", "messages-tab", "quit"):
            assert binding_id in ids
        assert ("n", "New", "new") in help_screen.rows
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), "help closed")


async def test_demo_customer_answers_with_a_toast(network: Network, open_store: OpenStore) -> None:
    from netmsg_tui.store import open_network
    from netmsg_tui.tui.demo_customer import DemoCustomer

    store = open_store(network.user_a)
    customer_side = open_network(network.path)
    try:
        app = make_app(store, demo_customer=DemoCustomer(customer_side, delay=0))
        toasts: list[tuple[str, str]] = []
        async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
            await ready(pilot)
            app.new_conversation(network.customer_on)
            await wait_until(pilot, lambda: getattr(app.screen, "customer", None), "composer")
            await pilot.press(*"Hello", "tab", *"Are you there?", "ctrl+s")
            thread = await current_thread(pilot)
            await wait_until(pilot, lambda: len(thread.messages) == 2, "the customer's answer")
            assert thread.messages[-1].author_kind == "customer"
            await wait_until(
                pilot, lambda: ("Alpine Foods GmbH replied", "Hello") in toasts, "toast"
            )
    finally:
        await customer_side.close()


async def test_older_messages_load_when_scrolling_up(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Long thread", "message 0")
    for n in range(1, 70):
        await store.reply(conv.id, f"message {n}")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await enter_first_thread(pilot)
        await wait_until(pilot, lambda: len(thread.messages) == 30, "the newest page")
        assert thread.messages[-1].body == "message 69"
        await pilot.press("home")  # scrolled to the top: the next older page comes in
        await wait_until(pilot, lambda: len(thread.messages) == 60, "an older page")
        await pilot.press("home")
        await wait_until(pilot, lambda: len(thread.messages) == 70, "the oldest page")
        assert [m.body for m in thread.messages] == [f"message {n}" for n in range(70)]


async def test_the_older_messages_button_loads_the_next_older_page(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Long thread", "message 0")
    for n in range(1, 70):
        await store.reply(conv.id, f"message {n}")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await enter_first_thread(pilot)
        await wait_until(pilot, lambda: thread._opened, "the newest page")
        older = thread.query_one("#older")
        assert older.display and "▲ Older messages" in str(older.render())
        older.post_message(OlderButton.Pressed())  # as Enter on it or a click posts
        await wait_until(pilot, lambda: len(thread.messages) == 60, "an older page")
        assert older.display  # there is one more
        older.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(thread.messages) == 70, "the oldest page")
        assert not older.display
        # The button had the focus: the column takes it, so the keys still scroll.
        column = thread.query_one("#thread-messages")
        await wait_until(pilot, lambda: app.focused is column, "the column focused")
        assert [m.body for m in thread.messages] == [f"message {n}" for n in range(70)]


async def test_pasting_thousands_of_lines_keeps_the_app_responsive(
    network: Network, open_store: OpenStore
) -> None:
    from textual import events

    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Paste", "Hi")
    app = make_app(store)
    pasted = "\n".join(f"line {n}: delivery note text" for n in range(1600))  # 45,000 chars
    async with app.run_test(size=SIZE) as pilot:
        thread = await enter_first_thread(pilot)
        await wait_until(pilot, lambda: thread.query(Composer), "the reply box")
        await pilot.press("tab")
        composer = thread.query_one(Composer)
        app.post_message(events.Paste(pasted))  # as the terminal driver delivers it
        await wait_until(pilot, lambda: composer.body == pasted, "the pasted text")
        await pilot.press("ctrl+s")  # within the limit: sent whole
        await wait_until(pilot, lambda: len(thread.messages) == 2, "the sent message")
        app.post_message(events.Paste(pasted * 2))  # over the 50,000 limit
        await wait_until(pilot, lambda: len(composer.body) == len(pasted * 2), "the paste")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "at most 50,000" in screen_text(thread), "the refusal")
        assert len(composer.body) == len(pasted * 2)  # the draft is kept
    bodies = [m.body for m in (await store.list_messages(conv.id)).items]
    assert bodies == ["Hi", pasted]


async def test_r_goes_to_the_reply_box_past_attachments(
    network: Network, open_store: OpenStore
) -> None:
    from netmsg_tui.model import NewAttachment

    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Certificate", "Please send it.")
    await network.customer_reply(
        conv.id, "Here it is.", [NewAttachment("cert.pdf", b"%PDF-1.4 cert", "application/pdf")]
    )
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        thread = await enter_first_thread(pilot)
        await wait_until(pilot, lambda: thread.query(Composer), "the reply box")
        await pilot.press("r", *"Yes, received.", "ctrl+s")  # "s" types, it does not save
        await wait_until(pilot, lambda: len(thread.messages) == 3, "the reply")
        assert isinstance(app.screen, ThreadScreen)
    assert (await store.list_messages(conv.id)).items[-1].body == "Yes, received."


async def test_customer_gone_before_send_is_said_inline_and_the_draft_kept(
    network: Network, open_store: OpenStore
) -> None:
    import sqlite3

    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.new_conversation(network.customer_on)
        screen = app.screen
        await wait_until(pilot, lambda: getattr(screen, "customer", None), "the customer")
        await pilot.press(*"Contract", "tab", *"Our new prices")
        # The network ends the trading relationship meanwhile (another process, same file).
        with sqlite3.connect(network.path) as conn:
            conn.execute("DELETE FROM relationships WHERE customer_id = ?", (network.customer_on,))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not sent" in screen_text(screen), "the refusal")
        assert app.screen is screen
        assert screen.query_one(Composer).body == "Our new prices"
    assert (await store.list_conversations()).items == ()
