"""``netmsg mail ingest`` (an MTA's pipe) and ``netmsg notify`` on either network database: a
SQLite file or a ``postgresql://`` URL, through the same commands, as real processes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from netmsg_tui.model import NotificationPrefs
from netmsg_tui.store import open_network
from tests.conftest import Network, use_postgres

from . import samples
from .conftest import SmtpSink
from .test_mail_cli import netmsg, write_config


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
async def test_a_reply_by_email_is_ingested_into_either_database(
    engine: str,
    request: pytest.FixtureRequest,
    network: Network,
    smtp: SmtpSink,
    smtp_port: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_config(tmp_path / "config.toml", smtp_port)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the commands' data folder
    database = use_postgres(request, network) if engine == "postgres" else str(network.path)
    net = open_network(database)
    try:
        piet = net.for_user(network.user_a2)
        await piet.set_preferences(NotificationPrefs(email_on_reply=False, addresses=()))
        jana = net.for_user(network.user_a)
        conv = await jana.start_conversation(network.customer_on, "Pumps", "When?")
        await net.customer_reply(conv.id, "Can you ship 20 pumps instead of 2?")
    finally:
        await net.close()

    sent = await asyncio.to_thread(netmsg, "notify", "--once", "--store", database)
    assert sent.returncode == 0, sent.stderr
    (got,) = smtp.wait_for(1)
    reply = samples.gmail(got.message, "Yes, 20 pumps ship on Monday.")
    ingest = await asyncio.to_thread(
        netmsg, "mail", "ingest", "--store", database, stdin=bytes(reply)
    )
    assert ingest.returncode == 0, ingest.stderr
    assert f"in thread {conv.id}".encode() in ingest.stdout

    shown = await asyncio.to_thread(netmsg, "show", str(conv.id), "--json", "--store", database)
    assert shown.returncode == 0, shown.stderr
    last = json.loads(shown.stdout)["messages"][-1]
    assert (last["body"], last["origin"], last["author_kind"]) == (
        "Yes, 20 pumps ship on Monday.",
        "email",
        "supplier",
    )

    # The MTA delivers it again: not posted twice, no bounce, kept with the other refused mail.
    again = await asyncio.to_thread(
        netmsg, "mail", "ingest", "--store", database, stdin=bytes(reply)
    )
    assert again.returncode == 0 and b"duplicate" in again.stderr, again.stderr
    kept = network.path.parent if engine == "sqlite" else tmp_path / "data" / "netmsg-tui"
    assert len(list((kept / "rejected-mail").iterdir())) == 1
    log = await asyncio.to_thread(netmsg, "mail", "log", "--json", "--store", database)
    assert log.returncode == 0, log.stderr
    assert [e["status"] for e in json.loads(log.stdout)] == ["accepted"]
