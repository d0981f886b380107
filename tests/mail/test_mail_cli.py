"""The mail commands run as an MTA, cron or a user would: real processes on a real store file,
a real SMTP server on loopback; and the end-to-end path from a customer reply back to the TUI."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.widgets.message_run import MessageRun
from tests.conftest import Network
from tests.waiting import wait_until

from . import samples
from .conftest import REPLY_DOMAIN, SmtpSink, set_prefs, start_thread


def write_config(path: Path, smtp_port: int) -> None:
    data = {
        "smtp": {
            "host": "127.0.0.1",
            "port": smtp_port,
            "security": "none",
            "sender": "Business Network <noreply@network.test>",
        },
        "mail": {"reply_domain": REPLY_DOMAIN, "token_days": 30},
    }
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def netmsg(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    # The environment (NETMSG_CONFIG, NETMSG_MAIL_SECRET) comes from the fixtures.
    return subprocess.run(
        [sys.executable, "-m", "netmsg_tui", *args],
        capture_output=True,
        input=stdin,
        timeout=120,
    )


@pytest.fixture
def configured(tmp_path: Path, smtp_port: int) -> None:
    write_config(tmp_path / "config.toml", smtp_port)


async def test_end_to_end_customer_reply_to_email_reply_in_the_tui(
    network: Network, smtp: SmtpSink, configured: None
) -> None:
    await set_prefs(network, network.user_a2, email_on_reply=False, addresses=())
    conv = await start_thread(network)
    await network.customer_reply(conv, "Can you ship 20 pumps instead of 2?")

    sent = await asyncio.to_thread(netmsg, "notify", "--once", "--store", str(network.path))
    assert sent.returncode == 0, sent.stderr
    assert b"1 sent" in sent.stdout
    (got,) = smtp.wait_for(1)
    assert got.rcpt_tos == ["jana@parts.example"]

    reply = samples.gmail(got.message, "Yes, 20 pumps ship on Monday.")
    ingest = await asyncio.to_thread(
        netmsg, "mail", "ingest", "--store", str(network.path), stdin=bytes(reply)
    )
    assert ingest.returncode == 0, ingest.stderr
    assert f"in thread {conv}".encode() in ingest.stdout

    shown = await asyncio.to_thread(netmsg, "show", str(conv), "--json", "--store",
                                    str(network.path))  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    last = json.loads(shown.stdout)["messages"][-1]
    assert (last["body"], last["origin"], last["author_kind"]) == (
        "Yes, 20 pumps ship on Monday.",
        "email",
        "supplier",
    )

    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        app = NetmsgApp(store, poll_interval=0.05)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: app.home_shown, "the app to start")
            app.open_thread(conv)

            def thread_text() -> str:
                return "\n".join(run.plain for run in app.screen.query(MessageRun))

            await wait_until(pilot, lambda: "Yes, 20 pumps" in thread_text(), "the thread")
            assert "replied by email" in thread_text()
    finally:
        await store.close()

    # Delivered again by the MTA (same Message-ID): not posted twice, exit 0 (no bounce).
    again = await asyncio.to_thread(
        netmsg, "mail", "ingest", "--store", str(network.path), stdin=bytes(reply)
    )
    assert again.returncode == 0
    assert b"duplicate" in again.stderr


async def test_ingest_exit_status_tells_the_mta_what_to_do(
    network: Network, smtp: SmtpSink, configured: None, tmp_path: Path
) -> None:
    await set_prefs(network, network.user_a2, email_on_reply=False, addresses=())
    conv = await start_thread(network)
    await network.customer_reply(conv, "Hello")
    assert (await asyncio.to_thread(netmsg, "notify", "--once", "--store",
                                    str(network.path))).returncode == 0  # fmt: skip
    (got,) = smtp.wait_for(1)
    stranger = samples.outlook(got.message, "Hi", sender="eve@elsewhere.example")
    refused = await asyncio.to_thread(
        netmsg, "mail", "ingest", "--store", str(network.path),
        "--rejected-dir", str(tmp_path / "rejected"), stdin=bytes(stranger),
    )  # fmt: skip
    assert refused.returncode == 65
    assert b"eve@elsewhere.example is not one of the notification addresses" in refused.stderr
    assert len(list((tmp_path / "rejected").iterdir())) == 1
    missing = await asyncio.to_thread(
        netmsg, "mail", "ingest", "--store", str(tmp_path / "nope.db"), stdin=bytes(stranger)
    )
    assert missing.returncode == 75  # EX_TEMPFAIL: the MTA keeps the mail and retries
    assert b"No message store" in missing.stderr

    log = await asyncio.to_thread(netmsg, "mail", "log", "--json", "--store", str(network.path))
    assert log.returncode == 0, log.stderr
    (entry,) = json.loads(log.stdout)
    assert entry["status"] == "rejected" and "eve@elsewhere.example" in entry["reason"]


async def test_notify_with_the_smtp_server_down_exits_non_zero_and_keeps_the_mail(
    network: Network, configured: None
) -> None:
    conv = await start_thread(network)
    await network.customer_reply(conv, "Anyone?")
    down = await asyncio.to_thread(netmsg, "notify", "--once", "--store", str(network.path))
    assert down.returncode == 1
    assert b"2 to retry" in down.stdout and b"cannot deliver through 127.0.0.1" in down.stdout
    status = await asyncio.to_thread(netmsg, "notify", "--status", "--store", str(network.path))
    assert status.stdout.strip() == b"2 pending"


def test_preferences_set_and_show(network: Network, capsys: pytest.CaptureFixture[str]) -> None:
    from netmsg_tui.cli import main

    store = ["--store", str(network.path)]
    assert main(["preferences", "set", *store, "--address", "a@x.example", "--address",
                 "b@x.example", "--mode", "daily", "--bell", "on",
                 "--language", "de"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["preferences", "--json", *store]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "email_on_reply": True,
        "addresses": ["a@x.example", "b@x.example"],
        "mode": "daily",
        "toast": True,
        "bell": True,
        "language": "de",
    }
    too_many = ["--address", "a@x.example"] * 4
    assert main(["preferences", "set", *store, *too_many]) == 1
    assert "At most 3 email addresses" in capsys.readouterr().err
    assert main(["preferences", "set", *store, "--email", "off", "--address", "bad"]) == 1
    assert "'bad' is not an email address" in capsys.readouterr().err
    assert main(["preferences", "show", *store]) == 0
    out = capsys.readouterr().out
    assert "email on customer reply: on" in out and "mode: daily" in out
    assert "email language: de" in out  # the emails' language, not the CLI's
    with pytest.raises(SystemExit) as refused:  # argparse: not one of the choices
        main(["preferences", "set", *store, "--language", "fr"])
    assert refused.value.code == 2 and "invalid choice: 'fr'" in capsys.readouterr().err


def test_the_gateway_refuses_a_remote_store(capsys: pytest.CaptureFixture[str]) -> None:
    from netmsg_tui.cli import main

    assert main(["notify", "--once", "--store", "https://network.example"]) == 1
    assert "inside 'netmsg serve'" in capsys.readouterr().err
