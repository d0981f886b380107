"""The network on PostgreSQL through the command line: ``netmsg admin`` sets it up,
``netmsg serve`` processes serve it, and two of them on one database act as one network."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from netmsg_tui.store.remote import RemoteStore
from tests.conftest import Network, use_postgres
from tests.server.conftest import ServerProcess


def netmsg(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NETMSG_CONFIG": "/nonexistent/config.toml"}
    return subprocess.run(
        [sys.executable, "-m", "netmsg_tui", *argv], capture_output=True, text=True, env=env
    )


def test_admin_commands_set_up_a_network_in_postgresql(pg_url: str) -> None:
    made = netmsg("admin", "create-account", "Pg Parts", "--store", pg_url)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("Account 1: Pg Parts (enterprise)")
    user = netmsg("admin", "create-user", "--account", "1", "--name", "Ida", "--email",
                  "ida@pg.example", "--store", pg_url)  # fmt: skip
    assert user.returncode == 0 and "User 1: Ida" in user.stdout, user.stderr
    again = netmsg("admin", "create-user", "--account", "9", "--name", "X", "--email",
                   "x@pg.example", "--store", pg_url)  # fmt: skip
    assert again.returncode != 0 and "Account 9 does not exist" in again.stderr
    threads = netmsg("threads", "--json", "--store", pg_url)  # a supplier command, on the database
    assert threads.returncode == 0 and threads.stdout.strip() == "[]", threads.stderr


@pytest.mark.asyncio
async def test_two_server_processes_on_one_database_push_to_each_others_clients(
    request: pytest.FixtureRequest, network: Network, tmp_path
) -> None:
    url = use_postgres(request, network)
    first, second = ServerProcess(url), ServerProcess(url)  # type: ignore[arg-type]
    first.start()
    second.start()
    try:
        issued = netmsg("admin", "issue-token", "--role", "supplier", "--user",
                        str(network.user_a), "--store", url)  # fmt: skip
        assert issued.returncode == 0, issued.stderr
        token = issued.stdout.split()[-1]
        writer = RemoteStore(first.url, token, outbox_path=tmp_path / "w.db")
        reader = RemoteStore(second.url, token, outbox_path=tmp_path / "r.db")
        conv = await writer.start_conversation(network.customer_on, "Across", "hello")
        stream = reader.watch()
        try:
            start = await anext(stream)
            sent = await writer.reply(conv.id, "through the first process")
            seen: list[int | None] = []
            while sent.id not in seen:  # pushed by the second process
                batch = await anext(stream)
                assert batch.cursor != start.cursor  # opaque: moved, not ordered
                seen += [c.message_id for c in batch.changes]
        finally:
            await stream.aclose()
        assert [m.body for m in (await reader.list_messages(conv.id)).items] == [
            "hello", "through the first process"
        ]  # fmt: skip
        await writer.close()
        await reader.close()
    finally:
        first.kill()
        second.kill()


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


@pytest.mark.asyncio
async def test_serve_with_workers_runs_processes_that_store_each_message_once(
    request: pytest.FixtureRequest, network: Network, tmp_path: Path
) -> None:
    url = use_postgres(request, network)
    server = ServerProcess(url, 0, "--workers", "3")  # type: ignore[arg-type]
    server.start()
    try:
        while len(_children(server.pid)) < 3:  # spawned workers (plus a resource tracker)
            await asyncio.sleep(0.05)
        issued = netmsg("admin", "issue-token", "--role", "supplier", "--user",
                        str(network.user_a), "--store", url)  # fmt: skip
        token = issued.stdout.split()[-1]
        clients = [
            RemoteStore(server.url, token, outbox_path=tmp_path / f"c{i}.db") for i in range(6)
        ]
        conv = await clients[0].start_conversation(network.customer_on, "Busy", "start")

        async def send(client: RemoteStore, tag: int) -> None:
            for i in range(15):
                key = f"{tag}-{i}"
                await client.reply(conv.id, key, idempotency_key=key)
                await client.reply(conv.id, key, idempotency_key=key)  # a retry: stored once

        await asyncio.gather(*(send(c, n) for n, c in enumerate(clients)))
        bodies = [m.body for m in (await clients[0].list_messages(conv.id, limit=500)).items]
        assert len(bodies) == 1 + 6 * 15 and len(set(bodies)) == len(bodies)
        for client in clients:
            await client.close()
    finally:
        workers = _children(server.pid)
        _stop(server)
        for pid in workers:  # the supervisor ended its workers
            while Path(f"/proc/{pid}").exists() and _state(pid) != "Z":
                await asyncio.sleep(0.05)


def _stop(server: ServerProcess) -> None:
    assert server.proc is not None
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(30)
    if server.proc.stdout is not None:
        server.proc.stdout.close()
    server.proc = None


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (OSError, IndexError):
        return "Z"
