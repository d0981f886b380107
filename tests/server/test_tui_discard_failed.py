"""Nothing is lost when a failed send is discarded (`x`): its text is in the store, as a draft
or still in the outbox, whatever happens meanwhile, and the user is told where it is.

The failed send is made for real: a reply written while the server could not be reached (a
port nobody listens on) is kept in the remote store's outbox file, then refused by the real
server (the customer turned messaging off; turned on again before the app opens). Slow
discards are real too: another program holds the outbox file's write lock."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from netmsg_tui.store import QueuedOffline
from netmsg_tui.store.remote import RemoteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.unsent_text import UnsentTextQuestion
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.screens.queued_sends import QueuedSendsScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.widgets.composer import Composer
from netmsg_tui.tui.widgets.outbox_view import OutboxView
from tests.tui.conftest import SIZE, current_thread, ready, toasts_into
from tests.tui.test_send_while_closing import write_locked
from tests.waiting import TIMEOUT, wait_until

from .conftest import Tenants
from .test_tui_remote import set_messaging

TEXT = "or Wednesday"


@contextmanager
def nobody_listening() -> Iterator[str]:
    """The URL of a port held by a socket that never listens: every connection is refused."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}"


async def failed_reply(tenants: Tenants, outbox: Path) -> None:
    """A reply in ``tenants.conv_a`` that the server refused: failed, in ``outbox``."""
    with nobody_listening() as url:
        offline = RemoteStore(url, tenants.supplier_a, outbox_path=outbox)
        with pytest.raises(QueuedOffline):
            await offline.reply(tenants.conv_a, TEXT)
        await offline.close()
    network = tenants.network
    set_messaging(network, network.customer_on, False)
    store = RemoteStore(tenants.url, tenants.supplier_a, outbox_path=outbox)
    try:
        assert await store.flush_sends() == 0
        [entry] = await store.queued_sends(tenants.conv_a)
        assert (entry.state, entry.body) == ("failed", TEXT)
    finally:
        await store.close()
        set_messaging(network, network.customer_on, True)


@asynccontextmanager
async def outbox_app(
    tenants: Tenants, outbox: Path, toasts: list[tuple[str, str]]
) -> AsyncIterator[tuple[NetmsgApp, RemoteStore, Pilot[object]]]:
    """The app on the supplier's remote store with ``outbox``, its home screen up, its toasts
    recorded in ``toasts``; the store closed after."""
    store = RemoteStore(tenants.url, tenants.supplier_a, outbox_path=outbox)
    app = NetmsgApp(store)
    try:
        async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
            await ready(pilot)
            yield app, store, pilot
    finally:
        await store.close()


@asynccontextmanager
async def failed_in_its_thread(
    tenants: Tenants, tmp_path: Path, toasts: list[tuple[str, str]]
) -> AsyncIterator[tuple[RemoteStore, Pilot[object], ThreadScreen]]:
    """The app on the remote store, the thread open with the failed reply focused and the
    reply box empty."""
    outbox = tmp_path / "o.db"
    await failed_reply(tenants, outbox)
    async with outbox_app(tenants, outbox, toasts) as (app, store, pilot):
        app.open_thread(tenants.conv_a)
        thread = await current_thread(pilot)
        await wait_until(pilot, lambda: thread._opened and thread.query(Composer), "opened")
        await wait_until(pilot, lambda: thread.query(OutboxView), "the failed reply")
        [view] = thread.query(OutboxView)
        await wait_until(pilot, lambda: view.failed, "shown as failed")
        view.focus()
        await pilot.pause()
        yield store, pilot, thread


async def where_the_text_is(store: RemoteStore, conversation_id: int) -> tuple[str, ...]:
    """Where the store keeps the reply's text: "draft", "outbox" or both."""
    found = []
    if (await store.drafts()).get(f"thread:{conversation_id}", {}).get("body") == TEXT:
        found.append("draft")
    if any(e.body == TEXT for e in await store.queued_sends(conversation_id)):
        found.append("outbox")
    return tuple(found)


async def only_a_draft_until(
    pilot: Pilot[object], store: RemoteStore, conversation_id: int
) -> None:
    """Let the app run until the text is the thread's draft and out of the outbox."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while (where := await where_the_text_is(store, conversation_id)) != ("draft",):
        if loop.time() > deadline:
            raise AssertionError(f"the text is not only a draft but in: {where}")
        await pilot.pause(0.05)


async def text_back_in_the_box(pilot: Pilot[object], thread: ThreadScreen) -> None:
    composer = thread.query_one(Composer)
    await wait_until(pilot, lambda: composer.body == TEXT, "the text back in the reply box")


async def discard_in_the_outbox(
    pilot: Pilot[object], toasts: list[tuple[str, str]], said: str
) -> None:
    """Open the outbox, `x` on its failed send, and let the app run until ``said`` is shown."""
    app = pilot.app
    assert isinstance(app, NetmsgApp)
    app.show_queued_sends()
    await wait_until(pilot, lambda: isinstance(app.screen, QueuedSendsScreen), "the outbox")
    screen = app.screen
    await wait_until(pilot, lambda: screen.query(OutboxView), "the failed send")
    view = screen.query_one(OutboxView)
    await wait_until(pilot, lambda: view.failed, "shown as failed")
    view.focus()
    await pilot.press("x")
    await wait_until(pilot, lambda: ("", said) in toasts, said)


async def test_ctrl_q_while_a_failed_reply_is_discarded_asks_and_keeps_its_text(
    tenants: Tenants, tmp_path: Path
) -> None:
    """x, then ctrl+q before the outbox has forgotten the send: the text is in the reply box
    already, so the app asks about it, and "Keep as draft" keeps it. (The app quit without
    asking, and the text was neither a draft nor in the outbox.)"""
    toasts: list[tuple[str, str]] = []
    async with failed_in_its_thread(tenants, tmp_path, toasts) as (store, pilot, thread):
        app = pilot.app
        with write_locked(tmp_path / "o.db"):
            await pilot.press("x")
            await text_back_in_the_box(pilot, thread)
            await pilot.press("ctrl+q")
            await wait_until(
                pilot, lambda: isinstance(app.screen, UnsentTextQuestion), "the question"
            )
            await pilot.press("k")  # Keep as draft: it waits for the outbox file, like x
        await wait_until(pilot, lambda: app._exit, "the app quitting")
        await only_a_draft_until(pilot, store, tenants.conv_a)


async def test_the_palette_closing_the_thread_as_a_failed_reply_is_discarded_keeps_its_text(
    tenants: Tenants, tmp_path: Path
) -> None:
    """x, then the palette's "Messages tab" before the outbox has forgotten the send: the
    thread keeps the text as its draft and says so. (The thread returned early once it had
    gone, and the text was lost.)"""
    toasts: list[tuple[str, str]] = []
    async with failed_in_its_thread(tenants, tmp_path, toasts) as (store, pilot, thread):
        app = pilot.app
        with write_locked(tmp_path / "o.db"):
            await pilot.press("x")
            await text_back_in_the_box(pilot, thread)
            await pilot.press("ctrl+p")
            await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "palette")
            palette = app.screen
            await pilot.press(*"Messages tab")
            await wait_until(
                pilot,
                lambda: str(palette.query_one(CommandList).options[0].prompt).startswith(
                    "Messages tab"
                ),
                "the command first",
            )
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "home")
        await wait_until(
            pilot,
            lambda: ("", "Draft kept: it is back when you open this thread again.") in toasts,
            "told where the text is",
        )
        await only_a_draft_until(pilot, store, tenants.conv_a)
        # Opened again, the thread shows it in the reply box.
        app.open_thread(tenants.conv_a)
        thread = await current_thread(pilot)
        await wait_until(pilot, lambda: thread.query(Composer), "the reply box")
        composer = thread.query_one(Composer)
        await wait_until(pilot, lambda: composer.body == TEXT, "the text back")


async def test_a_failed_reply_discarded_in_the_outbox_is_a_stored_draft(
    tenants: Tenants, tmp_path: Path
) -> None:
    """x in the outbox screen: the text is the thread's draft in the store at once (it was
    kept only in the app's memory: quitting then lost it), and the toast says where."""
    toasts: list[tuple[str, str]] = []
    outbox = tmp_path / "o.db"
    await failed_reply(tenants, outbox)
    store = RemoteStore(tenants.url, tenants.supplier_a, outbox_path=outbox)
    app = NetmsgApp(store)
    try:
        async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
            await ready(pilot)
            said = "Discarded. The text is the draft of its thread now."
            await discard_in_the_outbox(pilot, toasts, said)
            assert await where_the_text_is(store, tenants.conv_a) == ("draft",)
            await pilot.press("ctrl+q")  # nothing unsent on screen: the app quits at once
            await wait_until(pilot, lambda: app._exit, "the app quitting")
        assert await where_the_text_is(store, tenants.conv_a) == ("draft",)
    finally:
        await store.close()


async def test_a_failed_reply_is_not_discarded_over_its_open_thread_or_a_draft(
    tenants: Tenants, tmp_path: Path
) -> None:
    """The outbox opened over the reply's own thread refuses `x` (the thread would keep its
    reply box's text over it as it closes); so does a draft already at that place."""
    toasts: list[tuple[str, str]] = []
    outbox = tmp_path / "o.db"
    place = f"thread:{tenants.conv_a}"
    await failed_reply(tenants, outbox)
    store = RemoteStore(tenants.url, tenants.supplier_a, outbox_path=outbox)
    await store.save_draft(place, {"body": "an older draft"})
    app = NetmsgApp(store)
    try:
        async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
            await ready(pilot)
            app.open_thread(tenants.conv_a)
            thread = await current_thread(pilot)
            await wait_until(pilot, lambda: thread._opened and thread.query(Composer), "opened")
            composer = thread.query_one(Composer)
            await wait_until(pilot, lambda: composer.body == "an older draft", "the draft")
            for refusal in (
                "Its thread is open: discard it there, and the text goes back in the reply box.",
                "There is already a draft there: send or clear it first, so this text can "
                "become the draft.",
            ):
                await discard_in_the_outbox(pilot, toasts, refusal)
                assert await where_the_text_is(store, tenants.conv_a) == ("outbox",)
                await pilot.press("escape")
                if isinstance(app.screen, ThreadScreen):
                    await pilot.press("escape")
                await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "home")
            assert (await store.drafts())[place]["body"] == "an older draft"
    finally:
        await store.close()
