"""``netmsg outbox`` over the offline send queue of a real server's store: a reply written while
the server was down is delivered by the command once the server is back, then listed as sent;
a send can be discarded by its key."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from netmsg_tui.cli import main
from netmsg_tui.server.run import ServerThread
from netmsg_tui.store import QueuedOffline
from netmsg_tui.store.remote import RemoteStore
from tests.conftest import Network

from .conftest import issue


async def test_the_outbox_command_delivers_lists_and_discards(
    network: Network,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = issue(network, "supplier", user_id=network.user_a)[1]
    queue = tmp_path / "queue.db"
    monkeypatch.setenv("NETMSG_TOKEN", token)
    monkeypatch.setenv("NETMSG_OUTBOX", str(queue))
    monkeypatch.setenv("NETMSG_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("NETMSG_TOKEN_FILE", str(tmp_path / "tokens.json"))

    async def netmsg(*argv: str) -> tuple[int, str]:
        code = await asyncio.to_thread(main, list(argv))
        return code, capsys.readouterr().out

    server = ServerThread(network.path, rate=0)
    server.start()
    store = RemoteStore(server.url, token, outbox_path=queue)
    try:
        conv = await store.start_conversation(network.customer_on, "CLI", "hello")
        server.stop()
        with pytest.raises(QueuedOffline) as queued:
            await store.reply(conv.id, "written while the server was down")
        await store.close()  # the app quits while the server is down: the send stays queued
        key = queued.value.entry.key
        server.start()

        code, out = await netmsg("outbox", "--store", server.url)
        assert code == 0 and "Delivered 1 queued message(s) now." in out
        assert f"thread {conv.id}" in out and "written while the server was down" in out
        code, out = await netmsg("outbox", "--store", server.url, "--json")
        assert code == 0 and {e["key"]: e["state"] for e in json.loads(out)}[key] == "sent"
        code, out = await netmsg("outbox", "--store", server.url, "--discard", key, "--json")
        assert code == 0 and key not in {e["key"] for e in json.loads(out)}

        reader = RemoteStore(server.url, token, outbox_path=tmp_path / "reader.db")
        try:
            bodies = [m.body for m in (await reader.list_messages(conv.id)).items]
        finally:
            await reader.close()
        assert bodies == ["hello", "written while the server was down"]  # delivered once
    finally:
        await store.close()
        server.stop()
