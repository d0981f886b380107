"""The network on PostgreSQL through the command line: ``netmsg admin`` sets it up,
``netmsg serve`` processes serve it, and two of them on one database act as one network."""

from __future__ import annotations

import os
import subprocess
import sys

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
                assert batch.cursor > start.cursor
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
