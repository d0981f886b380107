"""The HTTP adapter against a real server: push, reconnects, the offline outbox, error mapping.

Waits are for conditions (with a generous deadline that only guards against a hang); speed is
measured in bench/server.py, not here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from netmsg_tui.server.run import ServerThread
from netmsg_tui.store import MessagingDisabled, NotFound, QueuedOffline, Unauthorized, Unavailable
from netmsg_tui.store.remote import RemoteStore
from netmsg_tui.store.sqlite import admin

from .conftest import ServerProcess, Tenants, issue

DEADLINE = 30.0


async def eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + DEADLINE
    while not await check():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for: {what}")
        await asyncio.sleep(0.05)


async def test_a_customer_reply_is_pushed_to_the_watching_supplier(
    tenants: Tenants, tmp_path: Path
) -> None:
    store = RemoteStore(tenants.url, tenants.supplier_a, outbox_path=tmp_path / "o.db")
    stream = store.watch()
    try:
        start = await asyncio.wait_for(anext(stream), DEADLINE)
        assert start.changes == () and store.connection_state == "connected"
        async with tenants.client(tenants.customer_x) as customer:
            r = await customer.post(
                f"/api/v1/customer/conversations/{tenants.conv_a}/messages",
                json={"body": "Confirmed for Tuesday"},
            )
            assert r.status_code == 201
        batch = await asyncio.wait_for(anext(stream), DEADLINE)
        change = batch.changes[0]
        assert (change.conversation_id, change.author_kind) == (tenants.conv_a, "customer")
        assert change.message_id == r.json()["id"]
        assert batch.cursor != start.cursor  # opaque: moved, but not ordered
    finally:
        await stream.aclose()
        await store.close()


async def test_watch_resumes_from_its_cursor_after_the_server_comes_back(
    network, tmp_path: Path
) -> None:
    token = issue(network, "supplier", user_id=network.user_a)[1]
    server = ServerThread(network.path, rate=0)
    server.start()
    store = RemoteStore(server.url, token, outbox_path=tmp_path / "o.db")
    conv = await store.start_conversation(network.customer_on, "Resume", "hello")
    states: list[str] = []
    store.on_connection_change(states.append)
    stream = store.watch()
    try:
        await asyncio.wait_for(anext(stream), DEADLINE)
        server.stop()
        missed = await network.customer_reply(conv.id, "written while the server was down")
        server.start()
        batch = await asyncio.wait_for(anext(stream), DEADLINE)
        assert [c.message_id for c in batch.changes] == [missed.id]
        assert "reconnecting" in states and states[-1] == "connected"
    finally:
        await stream.aclose()
        await store.close()
        server.stop()


async def test_server_killed_then_restarted_delivers_the_offline_message_exactly_once(
    network, server_process: ServerProcess, tmp_path: Path
) -> None:
    token = issue(network, "supplier", user_id=network.user_a)[1]
    outbox = tmp_path / "outbox.db"
    url = server_process.start()
    store = RemoteStore(url, token, outbox_path=outbox)
    conv = await store.start_conversation(network.customer_on, "Offline", "online first")
    assert store.connection_state == "connected"

    server_process.kill()
    with pytest.raises(QueuedOffline) as queued:
        await store.reply(conv.id, "written while offline")
    assert store.connection_state == "offline"
    assert "kept in the outbox" in str(queued.value)
    assert [(e.body, e.state) for e in await store.queued_sends(conv.id)] == [
        ("online first", "sent"),
        ("written while offline", "queued"),
    ]
    with pytest.raises(Unavailable, match="Cannot reach the network server"):
        await store.list_conversations()
    await store.close()  # the app is closed too: the outbox file must carry the message

    server_process.start()  # same port
    reopened = RemoteStore(url, token, outbox_path=outbox)
    try:
        await reopened.whoami()  # first use resumes delivery in the background

        async def sent() -> bool:
            return [e.state for e in await reopened.queued_sends(conv.id)] == ["sent", "sent"]

        await eventually(sent, "the queued reply to be delivered")
        await reopened.flush_sends()  # a further flush sends nothing again
        bodies = [m.body for m in (await reopened.list_messages(conv.id)).items]
        assert bodies == ["online first", "written while offline"]
        entry = (await reopened.queued_sends(conv.id))[1]
        assert entry.message_id == (await reopened.list_messages(conv.id)).items[1].id
    finally:
        await reopened.close()


class LoseFirstAnswer(httpx.AsyncBaseTransport):
    """A real transport that delivers the first POST but drops its answer (a cut connection)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.dropped = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "POST" and not self.dropped:
            self.dropped += 1
            await response.aread()
            await response.aclose()
            raise httpx.ReadError("connection reset after the request", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_send_whose_answer_is_lost_is_retried_and_stored_once(
    tenants: Tenants, tmp_path: Path
) -> None:
    transport = LoseFirstAnswer()
    store = RemoteStore(
        tenants.url, tenants.supplier_a, outbox_path=tmp_path / "o.db", transport=transport
    )
    try:
        message = await store.reply(tenants.conv_a, "only once, please")
        assert transport.dropped == 1
        bodies = [m.body for m in (await store.list_messages(tenants.conv_a)).items]
        assert bodies.count("only once, please") == 1 and message.body == "only once, please"
    finally:
        await store.close()


async def test_a_queued_send_the_server_later_refuses_is_kept_as_failed(
    network, tmp_path: Path
) -> None:
    token = issue(network, "supplier", user_id=network.user_a)[1]
    server = ServerThread(network.path, rate=0)
    server.start()
    store = RemoteStore(server.url, token, outbox_path=tmp_path / "o.db")
    try:
        conv = await store.start_conversation(network.customer_on, "Later", "hello")
        server.stop()
        with pytest.raises(QueuedOffline):
            await store.reply(conv.id, "the customer turns messaging off meanwhile")
        conn = admin.connect(network.path)
        admin.set_messaging(conn, network.customer_on, False)
        conn.close()
        server.start()
        assert await store.flush_sends() == 0
        [_, entry] = await store.queued_sends(conv.id)
        assert entry.state == "failed" and "has not enabled messaging" in entry.error
        assert entry.body == "the customer turns messaging off meanwhile"  # nothing lost
    finally:
        await store.close()
        server.stop()


async def test_errors_map_to_store_errors(tenants: Tenants, tmp_path: Path) -> None:
    n = tenants.network
    store = RemoteStore(tenants.url, tenants.supplier_a, outbox_path=tmp_path / "o.db")
    try:
        with pytest.raises(NotFound):
            await store.get_conversation(tenants.conv_b)
        with pytest.raises(MessagingDisabled) as disabled:
            await store.start_conversation(n.customer_off, "Hi", "hello")
        assert disabled.value.contact.email == "eva@baltic.example"
        assert await store.queued_sends() == []  # refused at once: the caller has the text
    finally:
        await store.close()
    anonymous = RemoteStore(tenants.url, None, outbox_path=tmp_path / "o2.db")
    with pytest.raises(Unauthorized, match="netmsg login"):
        await anonymous.whoami()
    await anonymous.close()
    nobody = RemoteStore("http://127.0.0.1:9", "t", outbox_path=tmp_path / "o3.db", retries=0)
    with pytest.raises(Unavailable, match="Cannot reach the network server at http://127.0.0.1:9"):
        await nobody.whoami()
    assert nobody.connection_state == "offline"
    await nobody.close()


async def test_a_revoked_token_ends_the_push_stream(tenants: Tenants, tmp_path: Path) -> None:
    from netmsg_tui.store.sqlite.admin import revoke_token

    token_id, token = issue(tenants.network, "supplier", user_id=tenants.network.user_a)
    store = RemoteStore(tenants.url, token, outbox_path=tmp_path / "o.db")
    stream = store.watch()
    try:
        await asyncio.wait_for(anext(stream), DEADLINE)
        conn = admin.connect(tenants.network.path)
        revoke_token(conn, token_id)
        conn.close()
        with pytest.raises(Unauthorized):
            while True:  # the stream notices within a few seconds
                await asyncio.wait_for(anext(stream), DEADLINE)
    finally:
        await stream.aclose()
        await store.close()


async def test_two_server_processes_over_one_file_push_each_others_writes(
    network, tmp_path: Path
) -> None:
    token = issue(network, "supplier", user_id=network.user_a)[1]
    one, two = ServerProcess(network.path), ServerProcess(network.path)
    one.start()
    two.start()
    writer = RemoteStore(one.url, token, outbox_path=tmp_path / "w.db")
    watcher = RemoteStore(two.url, token, outbox_path=tmp_path / "r.db")
    stream = watcher.watch()
    try:
        await asyncio.wait_for(anext(stream), DEADLINE)
        conv = await writer.start_conversation(network.customer_on, "Two servers", "hello")
        seen: set[int] = set()
        while conv.id not in seen:
            batch = await asyncio.wait_for(anext(stream), DEADLINE)
            seen |= {c.conversation_id for c in batch.changes}
        assert (await watcher.get_conversation(conv.id)).subject == "Two servers"
    finally:
        await stream.aclose()
        await writer.close()
        await watcher.close()
        one.kill()
        two.kill()


async def test_cli_send_while_offline_is_delivered_by_a_later_command(
    network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from netmsg_tui.cli import main

    token = issue(network, "supplier", user_id=network.user_a)[1]
    monkeypatch.setenv("NETMSG_TOKEN", token)
    monkeypatch.setenv("NETMSG_OUTBOX", str(tmp_path / "outbox.db"))
    monkeypatch.setenv("NETMSG_CONFIG", str(tmp_path / "config.toml"))
    server = ServerThread(network.path, rate=0)
    url = server.start()
    server.stop()

    async def netmsg(*argv: str) -> tuple[int, str, str]:
        code = await asyncio.to_thread(main, list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    send = ["send", "--store", url, "--customer", str(network.customer_on)]
    code, _, err = await netmsg(*send, "--subject", "From the train", "--body", "written offline")
    assert code == 1 and "kept in the outbox" in err
    code, out, _ = await netmsg("outbox", "--store", url)
    assert code == 0 and out.startswith("queued") and "From the train" in out

    server.start()
    try:
        code, out, _ = await netmsg("outbox", "--store", url)
        assert code == 0 and "Delivered 1 queued message(s) now." in out and "sent" in out
        code, out, _ = await netmsg("threads", "--store", url)
        assert out.count("From the train") == 1
    finally:
        server.stop()


async def test_drafts_survive_a_restart_of_the_app(tmp_path: Path) -> None:
    """Drafts live in the outbox file: no server needed to keep them."""
    first = RemoteStore("http://127.0.0.1:9", "t", outbox_path=tmp_path / "o.db")
    await first.save_draft("thread:12", {"body": "half a thought", "files": ["/tmp/a.pdf"]})
    await first.save_draft("new", {"subject": "Hello", "body": "…"})
    await first.save_draft("new", {"subject": "Hello", "body": "more"})
    await first.close()
    again = RemoteStore("http://127.0.0.1:9", "t", outbox_path=tmp_path / "o.db")
    try:
        assert await again.drafts() == {
            "thread:12": {"body": "half a thought", "files": ["/tmp/a.pdf"]},
            "new": {"subject": "Hello", "body": "more"},
        }
        await again.delete_draft("thread:12")
        assert list(await again.drafts()) == ["new"]
    finally:
        await again.close()


async def test_event_stream_resumes_from_last_event_id(tenants: Tenants) -> None:
    """A plain SSE client (a browser's EventSource) reconnects with Last-Event-ID."""

    async def first_event(client: httpx.AsyncClient, headers: dict[str, str]) -> tuple[str, str]:
        async with client.stream("GET", "/api/v1/events", headers=headers) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            event_id = ""
            async for line in response.aiter_lines():
                if line.startswith("id:"):
                    event_id = line[3:].strip()
                if line.startswith("data:"):
                    return event_id, line[5:]
        raise AssertionError("the stream ended")

    async with tenants.client(tenants.supplier_a) as client:
        start_id, _ = await asyncio.wait_for(first_event(client, {}), DEADLINE)
        answer = await tenants.network.customer_reply(tenants.conv_a, "while disconnected")
        event_id, data = await asyncio.wait_for(
            first_event(client, {"Last-Event-ID": start_id}), DEADLINE
        )
    assert event_id != start_id  # opaque cursors: they change, they are not ordered
    assert f'"message_id": {answer.id}' in data
