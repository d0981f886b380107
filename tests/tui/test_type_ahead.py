"""Keys typed like a fast user: whole strings pressed without pauses across every transition
(a screen or dialog opening, a list loading, a focus change). What the store holds and what the
screen shows are checked while the app runs."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input, OptionList

from netmsg_tui.model import Conversation
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from tests.conftest import Network
from tests.tui.conftest import OpenStore, current_thread
from tests.waiting import wait_until

from .conftest import SIZE, make_app, ready
from .test_type_ahead_terminal import add_rhein_customers


def keys(text: str) -> list[str]:
    """``text`` as Pilot key names, one per character."""
    return [{" ": "space", "\t": "tab", "\n": "enter"}.get(c, c) for c in text]


async def only_conversation(store: object, pilot: object, what: str) -> Conversation:
    page_holder: list[Conversation] = []

    async def check() -> bool:
        page = await store.list_conversations(limit=10)  # type: ignore[attr-defined]
        page_holder[:] = page.items
        return bool(page.items)

    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    assert len(page_holder) == 1, page_holder
    return page_holder[0]


async def bodies(store: object, conversation_id: int) -> list[str]:
    page = await store.list_messages(conversation_id)  # type: ignore[attr-defined]
    return [m.body for m in page.items]


async def test_new_message_burst_picks_the_closest_name(
    network: Network, open_store: OpenStore
) -> None:
    closest = add_rhein_customers(network)
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("n", "plus", *keys("rhein\nSUBJ\tBODY"), "ctrl+s")
        conv = await only_conversation(store, pilot, "the message")
        assert (conv.customer_id, conv.subject) == (closest, "SUBJ")
        assert await bodies(store, conv.id) == ["BODY"]
        # After sending, the thread is open to write on: the cursor is in the reply box.
        thread = await current_thread(pilot)
        await wait_until(pilot, lambda: thread.reply_box.composer is not None, "reply box")
        composer = thread.reply_box.composer
        assert composer is not None
        await wait_until(pilot, lambda: app.focused is composer.text_area, "cursor in reply")
        await pilot.press(*keys("more"), "ctrl+s")
        await wait_until(pilot, lambda: len(thread.messages) == 2, "the reply shown")
        assert await bodies(store, conv.id) == ["BODY", "more"]


async def test_typing_on_plus_searches_and_keeps_every_letter(
    network: Network, open_store: OpenStore
) -> None:
    closest = add_rhein_customers(network)
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        # No "+": letters typed in a new composer before a customer is chosen search for one.
        await pilot.press("n", *keys("rhein\nS\tB"), "ctrl+s")
        conv = await only_conversation(store, pilot, "the message")
        assert (conv.customer_id, conv.subject) == (closest, "S")
        assert await bodies(store, conv.id) == ["B"]


async def test_exact_name_wins_over_the_first_row(network: Network, open_store: OpenStore) -> None:
    add_rhein_customers(network)
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("n", "plus", *keys("rhein retail east inc.\nX"))
        compose = app.screen
        assert isinstance(compose, ComposeScreen)
        subject = compose.query_one("#subject", Input)
        await wait_until(pilot, lambda: subject.value == "X", "the subject typed")
        assert compose.customer is not None
        assert compose.customer.name == "Rhein Retail East Inc."


async def test_palette_lists_write_a_new_message_first(
    network: Network, open_store: OpenStore
) -> None:
    closest = add_rhein_customers(network)
    store = open_store(network.user_a)
    # A thread whose subject names the customer too: it must not push the customer down.
    await store.start_conversation(network.customer_on, "Rhein Retail Inc. asked", "x")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *keys("rhein retail inc"))
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        results = palette.query_one(OptionList)
        await wait_until(pilot, lambda: results.option_count >= 2, "the hits")
        first = str(results.get_option_at_index(0).prompt)
        assert "Customer: Rhein Retail Inc." in first
        assert "write a new message" in str(results.get_option_at_index(0).prompt)
        # Enter writes to it; the subject and text typed at once land in their fields.
        await pilot.press("enter", *keys("SUBJ\tBODY"), "ctrl+s")
        conv = await only_conversation_of(store, pilot, closest)
        assert conv.subject == "SUBJ"
        assert await bodies(store, conv.id) == ["BODY"]


async def only_conversation_of(store: object, pilot: object, customer: int) -> Conversation:
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while True:
        page = await store.list_conversations(limit=10)  # type: ignore[attr-defined]
        mine = [c for c in page.items if c.customer_id == customer]
        if mine:
            assert len(mine) == 1
            return mine[0]  # type: ignore[no-any-return]
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the message")
        await pilot.pause(0.05)  # type: ignore[attr-defined]


async def test_next_unread_then_reply_at_once(network: Network, open_store: OpenStore) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Late?", "When?")
    await network.customer_reply(conv.id, "Friday")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("right_square_bracket", "r", *keys("ok thanks"), "ctrl+s")
        thread = await current_thread(pilot)
        await wait_until(pilot, lambda: len(thread.messages) == 3, "the reply shown")
        assert await bodies(store, conv.id) == ["When?", "Friday", "ok thanks"]


async def test_document_messages_panel_opens_the_thread_to_write(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(
        network.customer_on, "PO 4500012345", "Late?", document_id=network.po_a
    )
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("2")
        main = app.screen
        assert isinstance(main, MainScreen)
        table = None

        def rows() -> bool:
            nonlocal table
            if not main.query("#documents-pane"):
                return False
            table = main.documents.table
            return table.row_count > 0

        await wait_until(pilot, rows, "the documents")
        # The purchase order is the second row (the newer invoice comes first).
        await pilot.press("down", "enter", "m", *keys("see you"), "ctrl+s")
        thread = await current_thread(pilot)
        await wait_until(pilot, lambda: len(thread.messages) == 2, "the reply shown")
        assert await bodies(store, conv.id) == ["Late?", "see you"]


async def test_focus_after_errors_and_shift_tab(network: Network, open_store: OpenStore) -> None:
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.new_conversation(network.customer_on)
        await pilot.press("ctrl+s", *keys("Hi"))
        compose = app.screen
        assert isinstance(compose, ComposeScreen)
        subject = compose.query_one("#subject", Input)
        error = compose.query_one("#subject-error")
        await wait_until(pilot, lambda: subject.value == "Hi", "the subject typed")
        # "Subject is empty" went as soon as a subject was typed.
        assert not error.has_class("-shown")
        # "Message is empty": the next keys go to the message box, not to Subject.
        await pilot.press("ctrl+s", *keys("Body"))
        await wait_until(pilot, lambda: compose.composer.body == "Body", "the body typed")
        assert subject.value == "Hi"
        # Shift+Tab back into Subject does not select it: typing adds, not replaces.
        await pilot.press("shift+tab", *keys("!"))
        await wait_until(pilot, lambda: subject.value == "Hi!", "the subject kept")
        assert await store.list_conversations(limit=5) is not None
        assert not (await store.list_conversations(limit=5)).items


async def test_reader_keys_j_k_q_and_escape_on_documents(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "First", "a")
    await store.start_conversation(network.customer_on, "Second", "b")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        lst = main.messages.list
        await wait_until(pilot, lambda: lst.option_count == 2, "both rows")
        await pilot.press("j")
        await wait_until(pilot, lambda: lst.highlighted == 1, "j moved down")
        await pilot.press("k")
        await wait_until(pilot, lambda: lst.highlighted == 0, "k moved up")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the thread")
        await pilot.press("q")  # the thread's messages have the focus: q goes back
        await wait_until(pilot, lambda: app.screen is main and lst.has_focus, "back on the list")
        # In the search bar the letters are text, not keys.
        await pilot.press("slash", *keys("jkq"))
        search = main.messages.search
        await wait_until(pilot, lambda: search.value == "jkq", "the letters typed")
        assert app.screen is main
        await pilot.press("escape")
        await pilot.press("2")
        await wait_until(pilot, lambda: main.active_tab == "documents", "the Documents tab")
        await pilot.press("escape")  # the Documents tab goes back to Messages
        await wait_until(pilot, lambda: main.active_tab == "messages", "the Messages tab")
        await pilot.press("2", "q")
        await wait_until(pilot, lambda: main.active_tab == "messages" and lst.has_focus, "q too")
        # j right after 2: the table takes it once the tab is shown (two documents).
        await pilot.press("2", "j")
        table = main.documents.table
        await wait_until(pilot, lambda: table.has_focus and table.cursor_row == 1, "j on table")


async def test_reopened_thread_with_a_draft_types_into_it(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Late?", "When?")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        main = await ready(pilot)
        # Write, leave (the draft is kept), open again and go on typing at once.
        await pilot.press("enter", "r", *keys("abc"), "escape", "enter", *keys("def"), "ctrl+s")
        thread = await current_thread(pilot)
        await wait_until(pilot, lambda: len(thread.messages) == 2, "the reply shown")
        assert await bodies(store, conv.id) == ["When?", "abcdef"]
        assert main.is_attached
