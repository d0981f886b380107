"""The real TUI on the remote adapter: a customer's reply posted with a customer token shows in
the supplier's open app; a server that goes away shows as offline, and a message written then
is delivered once when it is back (a real server process, killed and started again)."""

from __future__ import annotations

from pathlib import Path

import httpx
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import Static

from netmsg_tui.store.remote import RemoteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.widgets.composer import Composer
from netmsg_tui.tui.widgets.conversation_list import ConversationList
from tests.tui.conftest import SIZE, ready, wait_until

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
            # Written in the open thread's reply box while the server is gone.
            composer = app.screen.query_one(Composer)
            composer.text_area.focus()
            await pilot.press(*"written while the server was away")
            await pilot.press("ctrl+s")
            error = composer.query_one("#body-error", Static)
            await wait_until(
                pilot, lambda: "kept in the outbox" in str(error.render()), "the queued notice"
            )
            [_, queued] = await store.outbox(conv.id)
            assert (queued.body, queued.state) == ("written while the server was away", "queued")
            server.start()
            await wait_until(
                pilot, lambda: store.connection_state == "connected", "reconnected", timeout=30
            )

            states: list[str] = []
            while states != ["sent", "sent"]:  # the outbox flushes in the background
                states = [e.state for e in await store.outbox(conv.id)]
                await wait_until(pilot, lambda: True, "a frame")
                assert "failed" not in states
            # The reply box still holds the text; sending it again must not store it twice.
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: composer.is_empty, "the reply box to clear")
            bodies = [m.body for m in (await store.list_messages(conv.id)).items]
            assert bodies == ["first", "written while the server was away"]
    finally:
        await store.close()
