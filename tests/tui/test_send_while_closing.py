"""Nothing is lost, nothing is sent twice: a reply on its way when its thread closes.

The store is made slow for real: another program holds the database's write lock from before
ctrl+s until the thread has closed. The keys typed after Send wait for the send (type-ahead),
but never longer than the key gate's MAX_HOLD (made short here, so that the tests need not
wait five seconds): Escape then closes the thread while the reply waits on the store."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui import key_gate
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.unsent_text import UnsentTextQuestion
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.widgets.composer import Composer
from tests.conftest import Network
from tests.tui.conftest import SIZE, OpenStore, current_thread, make_app, ready, toasts_into
from tests.waiting import wait_until


@pytest.fixture(autouse=True)
def short_key_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(key_gate, "MAX_HOLD", 0.3)


@contextmanager
def write_locked(path: Path) -> Iterator[None]:
    """Another program writing to the database: every write of the app waits."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


async def reply_in_thread(pilot: Pilot[object], conversation_id: int) -> Composer:
    """Open the thread; its reply box, with the cursor in it."""
    app = pilot.app
    assert isinstance(app, NetmsgApp)
    app.open_thread(conversation_id)
    thread = await current_thread(pilot)
    await wait_until(pilot, lambda: thread._opened and thread.query(Composer), "the reply box")
    await pilot.pause()  # the focus change the opening asked for
    thread.focus_text()
    return thread.query_one(Composer)


@asynccontextmanager
async def sent_and_left(
    pilot: Pilot[object], path: Path, conversation_id: int
) -> AsyncIterator[None]:
    """From the start: "Friday it is" typed in the thread's reply box, then ctrl+s and Escape
    while another program holds the write lock; inside, the thread has closed and the lock is
    still held."""
    await ready(pilot)
    await reply_in_thread(pilot, conversation_id)
    await pilot.press(*"Friday it is")
    with write_locked(path):
        await pilot.press("ctrl+s", "escape")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MainScreen), "back home")
        yield


async def bodies_until(
    pilot: Pilot[object], store: SQLiteStore, conversation_id: int, count: int
) -> list[str]:
    """Let the app run until the thread has ``count`` messages in the store; their texts."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while (
        len(bodies := [m.body for m in (await store.list_messages(conversation_id)).items]) < count
    ):
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {count} messages")
        await pilot.pause(0.05)
    return bodies


async def test_a_reply_sent_as_its_thread_closes_is_sent_once_and_not_kept_as_a_draft(
    network: Network, open_store: OpenStore
) -> None:
    """ctrl+s, Escape: the reply is sent, and its text does not come back in the reply box
    (it used to: the closing thread kept it as a draft, and the store sent it anyway)."""
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Pallets", "twelve?")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        async with sent_and_left(pilot, network.path, conv.id):
            pass
        assert await bodies_until(pilot, store, conv.id, 2) == ["twelve?", "Friday it is"]
        assert f"thread:{conv.id}" not in await store.drafts()
        composer = await reply_in_thread(pilot, conv.id)
        assert composer.is_empty


async def test_a_reply_refused_after_its_thread_closed_is_the_threads_draft(
    network: Network,
) -> None:
    """ctrl+s, Escape, and the store gives up (busy longer than it waits): the text is the
    thread's draft, back in the reply box when the thread opens again."""
    # The store waits longer for the lock than the keys after Send do.
    store = SQLiteStore(network.path, user_id=network.user_a, busy_timeout=1.0)
    try:
        conv = await store.start_conversation(network.customer_on, "Pallets", "twelve?")
        place = f"thread:{conv.id}"
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            async with sent_and_left(pilot, network.path, conv.id):
                await wait_until(pilot, lambda: place in app.drafts, "the text kept")
            bodies = [m.body for m in (await store.list_messages(conv.id)).items]
            assert bodies == ["twelve?"]
            composer = await reply_in_thread(pilot, conv.id)
            assert composer.body == "Friday it is"
    finally:
        await store.close()


async def test_quitting_as_a_left_reply_is_refused_waits_for_it_and_asks_about_its_text(
    network: Network,
) -> None:
    """ctrl+s, Escape, ctrl+q, and the store gives up on the reply and then on its draft: the
    app waits for the reply, then asks about its text; "Keep as draft" keeps it. (The app quit
    at once, and the reply the store then refused was neither sent nor a draft.)"""
    store = SQLiteStore(network.path, user_id=network.user_a, busy_timeout=1.0)
    try:
        conv = await store.start_conversation(network.customer_on, "Pallets", "twelve?")
        toasts: list[tuple[str, str]] = []
        app = make_app(store)
        async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
            async with sent_and_left(pilot, network.path, conv.id):
                await pilot.press("ctrl+q")
                said = ("", "Quitting once the message on its way is stored…")
                await wait_until(pilot, lambda: said in toasts, "the app waiting for it")
                await wait_until(
                    pilot,
                    lambda: any(m.startswith("Could not keep the draft") for _, m in toasts),
                    "the draft refused too",
                )
                await wait_until(
                    pilot, lambda: isinstance(app.screen, UnsentTextQuestion), "the question"
                )
            await pilot.press("k")
            await wait_until(pilot, lambda: app._exit, "the app quitting")
            bodies = [m.body for m in (await store.list_messages(conv.id)).items]
            assert bodies == ["twelve?"]
            assert (await store.drafts())[f"thread:{conv.id}"]["body"] == "Friday it is"
    finally:
        await store.close()
