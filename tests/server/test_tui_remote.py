"""The real TUI on the remote adapter: a customer's reply posted with a customer token shows in
the supplier's open app; a server that goes away shows as offline, and a message written then
is delivered once when it is back (a real server process, killed and started again)."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static

from netmsg_tui.store.remote import RemoteStore
from netmsg_tui.store.sqlite import admin
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.queued_sends import QueuedSendsScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.widgets.composer import Composer
from netmsg_tui.tui.widgets.conversation_list import ConversationList
from netmsg_tui.tui.widgets.header import AppHeader
from netmsg_tui.tui.widgets.message_run import MessageRun
from netmsg_tui.tui.widgets.message_view import SENT_MARK
from netmsg_tui.tui.widgets.outbox_view import QUEUED_MARK, OutboxView
from tests.conftest import Network
from tests.tui.conftest import SIZE, drafts_until, ready
from tests.waiting import wait_until

from .conftest import ServerProcess, Tenants, issue


class Recording(httpx.AsyncBaseTransport):
    """The real transport, noting each request's path and query (to wait for the app's poll)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.seen: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(f"{request.url.path}?{request.url.query.decode()}")
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def rendered(widget: Static) -> str:
    return str(widget.render())


def text_of(widget: Widget) -> str:
    """What ``widget`` and the text widgets inside it show, one string."""
    texts = [widget] if isinstance(widget, Static) else []
    return "\n".join(rendered(s) for s in [*texts, *widget.query(Static)])


def rows(lst: ConversationList) -> str:
    return "\n".join(str(lst.get_option_at_index(i).prompt) for i in range(lst.option_count))


async def test_customer_reply_shows_in_the_open_tui(tenants: Tenants, tmp_path: Path) -> None:
    transport = Recording()
    store = RemoteStore(
        tenants.url, tenants.supplier_a, outbox_path=tmp_path / "o.db", transport=transport
    )
    app = NetmsgApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        # The app follows the change feed from a cursor it takes once it is up; wait until it
        # polls from one, so the reply below is news to it.
        await wait_until(
            pilot,
            lambda: any(s.startswith("/api/v1/changes?cursor=") for s in transport.seen),
            "the app's first poll from a cursor",
        )
        assert "A secret" in rows(screen.messages.list)
        assert app.unread_total == 0
        async with tenants.client(tenants.customer_x) as customer:
            r = await customer.post(
                f"/api/v1/customer/conversations/{tenants.conv_a}/messages",
                json={"body": "Tuesday works for us"},
            )
            assert r.status_code == 201
        await wait_until(pilot, lambda: app.unread_total == 1, "the reply to be counted")
        await wait_until(
            pilot,
            lambda: "Tuesday works for us" in rows(screen.messages.list),
            "the reply's preview in the conversation list",
        )
    await store.close()


async def test_server_killed_shows_offline_and_the_message_is_delivered_once(
    network, server_process: ServerProcess, tmp_path: Path
) -> None:
    token = issue(network, "supplier", user_id=network.user_a)[1]
    server = server_process
    url = server.start()
    store = RemoteStore(url, token, outbox_path=tmp_path / "o.db")
    conv = await store.start_conversation(network.customer_on, "While away", "first")
    notes: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            notes.append(message.notification.title)

    app = NetmsgApp(store)
    try:
        async with app.run_test(size=SIZE, message_hook=hook) as pilot:
            await ready(pilot)
            app.open_thread(conv.id)
            await wait_until(pilot, lambda: bool(app.screen.query(Composer)), "the reply box")
            server.kill()  # SIGKILL: no goodbye to the app
            await wait_until(
                pilot, lambda: store.connection_state == "offline", "offline", timeout=30
            )
            await wait_until(pilot, lambda: "Store unavailable" in notes, "the notice", 30)
            header = app.screen.query_one(AppHeader)
            await wait_until(pilot, lambda: "✕ offline" in rendered(header), "offline in header")
            # Written in the open thread's reply box while the server is gone.
            composer = app.screen.query_one(Composer)
            composer.text_area.focus()
            await pilot.press(*"written while the server was away")
            await pilot.press("ctrl+s")
            error = composer.query_one("#body-error", Static)
            await wait_until(pilot, lambda: "Queued" in rendered(error), "the queued notice")
            assert composer.is_empty  # the text left the reply box for the thread
            [view] = app.screen.query(OutboxView)
            await wait_until(pilot, lambda: QUEUED_MARK in text_of(view), "the queued mark")
            assert "written while the server was away" in text_of(view)
            [_, queued] = await store.queued_sends(conv.id)
            assert (queued.body, queued.state) == ("written while the server was away", "queued")

            server.start()
            await wait_until(
                pilot, lambda: store.connection_state == "connected", "reconnected", timeout=30
            )
            await wait_until(pilot, lambda: "● connected" in rendered(header), "connected", 30)
            # Delivered in the background: the queued entry becomes the stored message, marked.
            await wait_until(
                pilot, lambda: not app.screen.query(OutboxView), "the queued view replaced", 30
            )
            runs = list(app.screen.query(MessageRun))
            bodies = [m.body for run in runs for m in run.messages]
            assert bodies == ["first", "written while the server was away"]
            await wait_until(pilot, lambda: runs[-1].plain.endswith(SENT_MARK), "the sent mark")
            assert [e.state for e in await store.queued_sends(conv.id)] == ["sent", "sent"]
            bodies = [m.body for m in (await store.list_messages(conv.id)).items]
            assert bodies == ["first", "written while the server was away"]
    finally:
        await store.close()


async def test_offline_new_conversation_and_a_refused_reply(
    network, server_process: ServerProcess, tmp_path: Path
) -> None:
    """A new conversation written offline is counted in the header and listed in the outbox,
    then appears in the list once delivered; a reply the server refuses after the restart
    (messaging disabled meanwhile) shows as failed with the reason, and `r` sends it once."""
    token = issue(network, "supplier", user_id=network.user_a)[1]
    server = server_process
    url = server.start()
    store = RemoteStore(url, token, outbox_path=tmp_path / "o.db")
    conv = await store.start_conversation(network.customer_on, "Existing", "first")
    notes: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            notes.append(message.notification.title)

    app = NetmsgApp(store, poll_interval=0.2)
    try:
        async with app.run_test(size=SIZE, message_hook=hook) as pilot:
            main = await ready(pilot)
            # A new conversation, begun while the server is there (the customer is read from
            # it) and sent after the server went away.
            app.new_conversation(network.customer_on)
            await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "compose")
            compose = app.screen
            assert isinstance(compose, ComposeScreen)
            await wait_until(pilot, lambda: compose.customer is not None, "the customer")
            server.kill()
            await wait_until(pilot, lambda: store.connection_state == "offline", "offline", 30)
            compose.query_one("#subject", Input).focus()
            await pilot.press(*"Written offline")
            compose.query_one(Composer).text_area.focus()
            await pilot.press(*"hello from the train")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "Queued" in notes, "the queued toast")
            await wait_until(pilot, lambda: app.screen is main, "back on the list")
            header = main.query_one(AppHeader)
            await wait_until(pilot, lambda: "1 queued" in rendered(header), "the queued count")
            # The outbox (a click on the header) lists it, though it has no thread yet.
            await pilot.click(AppHeader)
            await wait_until(pilot, lambda: isinstance(app.screen, QueuedSendsScreen), "the outbox")
            outbox = app.screen
            await wait_until(pilot, lambda: outbox.query(OutboxView), "the queued entry")
            [view] = outbox.query(OutboxView)
            assert "Written offline" in text_of(view)
            assert "hello from the train" in text_of(view)
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main, "back on the list again")

            server.start()
            await wait_until(
                pilot,
                lambda: "Written offline" in rows(main.messages.list),
                "the delivered conversation in the list",
                30,
            )
            await wait_until(pilot, lambda: "queued" not in rendered(header), "count gone", 30)

            # A reply queued while offline, refused after the restart: messaging was disabled.
            app.open_thread(conv.id)
            await wait_until(pilot, lambda: bool(app.screen.query(Composer)), "the reply box")
            thread = app.screen
            server.kill()
            await wait_until(pilot, lambda: store.connection_state == "offline", "offline", 30)
            composer = thread.query_one(Composer)
            composer.text_area.focus()
            await pilot.press(*"see you Tuesday")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: thread.query(OutboxView), "the queued reply")
            await pilot.press(*"or Wednesday")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: len(thread.query(OutboxView)) == 2, "both queued")
            set_messaging(network, network.customer_on, False)
            server.start()
            tuesday, wednesday = thread.query(OutboxView)
            both = (tuesday, wednesday)
            await wait_until(
                pilot, lambda: all("✕ failed" in text_of(v) for v in both), "the refusals", 30
            )
            for view in both:
                assert "has not enabled messaging" in text_of(view)
            header = thread.query_one(AppHeader)
            await wait_until(pilot, lambda: "2 failed" in rendered(header), "the failed count")

            # x: the text goes back to the (empty) reply box, the send is dropped.
            wednesday.focus()
            await pilot.press("x")
            await wait_until(pilot, lambda: composer.body == "or Wednesday", "the text back")
            await wait_until(pilot, lambda: len(thread.query(OutboxView)) == 1, "one left")
            bodies = [e.body for e in await store.queued_sends(conv.id)]
            assert bodies == ["first", "see you Tuesday"]
            # r: queued again, and delivered once messaging is on again.
            set_messaging(network, network.customer_on, True)
            tuesday.focus()
            await pilot.press("r")
            await wait_until(
                pilot, lambda: not thread.query(OutboxView), "the retried reply delivered", 30
            )
            assert composer.body == "or Wednesday"  # still there, not sent
            bodies = [m.body for m in (await store.list_messages(conv.id)).items]
            assert bodies == ["first", "see you Tuesday"]
            await wait_until(
                pilot,
                lambda: list(thread.query(MessageRun))[-1].plain.endswith(SENT_MARK),
                "the sent mark",
            )
    finally:
        await store.close()


def set_messaging(network: Network, customer_id: int, enabled: bool) -> None:
    conn = admin.connect(network.path)
    try:
        admin.set_messaging(conn, customer_id, enabled)
    finally:
        conn.close()


async def opened(pilot: Pilot[object], thread: ThreadScreen) -> None:
    """Opening a thread ends by focusing its messages: type only after that."""
    await wait_until(pilot, lambda: thread._opened, "the thread opened")
    await pilot.pause()  # the focus change it asked for


async def test_a_reply_draft_survives_a_restart_of_the_app(
    tenants: Tenants, tmp_path: Path
) -> None:
    place = f"thread:{tenants.conv_a}"
    store = RemoteStore(tenants.url, tenants.supplier_a, outbox_path=tmp_path / "o.db")
    try:
        async with NetmsgApp(store).run_test(size=SIZE) as pilot:
            app = pilot.app
            assert isinstance(app, NetmsgApp)
            await ready(pilot)
            app.open_thread(tenants.conv_a)
            await wait_until(pilot, lambda: bool(app.screen.query(Composer)), "the reply box")
            thread = app.screen
            assert isinstance(thread, ThreadScreen)
            await opened(pilot, thread)
            thread.query_one(Composer).text_area.focus()
            await pilot.press(*"half a thought")
            await drafts_until(pilot, store, {place: "half a thought"}, "the draft kept")
            # Quit without leaving the thread: the draft is in the outbox file already.
    finally:
        await store.close()

    store = RemoteStore(tenants.url, tenants.supplier_a, outbox_path=tmp_path / "o.db")
    try:
        async with NetmsgApp(store).run_test(size=SIZE) as pilot:
            app = pilot.app
            assert isinstance(app, NetmsgApp)
            await ready(pilot)
            app.open_thread(tenants.conv_a)
            await wait_until(pilot, lambda: bool(app.screen.query(Composer)), "the reply box")
            thread = app.screen
            assert isinstance(thread, ThreadScreen)
            composer = thread.query_one(Composer)
            await wait_until(pilot, lambda: composer.body == "half a thought", "the draft back")
            await opened(pilot, thread)
            composer.text_area.focus()
            await pilot.press(*", finished")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: composer.is_empty, "the reply sent")
            await drafts_until(pilot, store, {}, "the draft forgotten once sent")
        bodies = [m.body for m in (await store.list_messages(tenants.conv_a)).items]
        assert bodies[-1] == "half a thought, finished"
    finally:
        await store.close()
