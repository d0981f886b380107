"""The mail gateway that runs beside the network server: the sender loop delivers the outbox by
itself, and the reply port posts answers; once in-process, once as ``netmsg serve``."""

from __future__ import annotations

import asyncio
import os
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest

from netmsg_tui.config import Settings
from netmsg_tui.mail.gateway import MailGateway
from netmsg_tui.mail.tokens import TokenSigner
from tests.conftest import Network

from . import samples
from .conftest import SmtpSink, free_port, set_prefs, start_thread, thread_bodies
from .test_mail_cli import write_config


def deliver(port: int, mail: object) -> None:
    with smtplib.SMTP("127.0.0.1", port) as client:
        client.send_message(mail)  # type: ignore[arg-type]


async def wait_for_thread(network: Network, conv: int, text: str) -> None:
    for _ in range(2400):  # a generous bound for a loaded machine, not a timing
        if any(body == text for _, _, body in await thread_bodies(network, conv)):
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"{text!r} never arrived in thread {conv}")


async def test_the_gateway_notifies_by_itself_and_takes_replies_on_its_port(
    network: Network, smtp: SmtpSink, settings: Settings, signer: TokenSigner
) -> None:
    await set_prefs(network, network.user_a2, email_on_reply=False, addresses=())
    conv = await start_thread(network)
    with MailGateway(network.path, settings, signer, inbound_port=0, interval=0.05) as gateway:
        assert gateway.port
        await network.customer_reply(conv, "Please confirm the new date.")
        (got,) = await asyncio.to_thread(smtp.wait_for, 1)
        reply = samples.apple_mail_iphone(got.message, "Confirmed for the 3rd.")
        await asyncio.to_thread(deliver, gateway.port, reply)
        await wait_for_thread(network, conv, "Confirmed for the 3rd.")
    assert (await thread_bodies(network, conv))[-1][1] == "email"


def test_a_busy_port_is_reported(network: Network, settings: Settings, signer: TokenSigner):  # noqa: ANN201
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        gateway = MailGateway(network.path, settings, signer, inbound_port=taken.getsockname()[1])
        with pytest.raises(OSError):
            gateway.start()


async def test_netmsg_serve_runs_the_mail_gateway(
    network: Network, smtp: SmtpSink, smtp_port: int, tmp_path: Path
) -> None:
    write_config(tmp_path / "config.toml", smtp_port)
    await set_prefs(network, network.user_a2, email_on_reply=False, addresses=())
    conv = await start_thread(network)
    # Queued before the server starts: its gateway's first pass (at start) sends it, instead of
    # the next one 15 s later (the in-process test above sees a pass that comes later).
    await network.customer_reply(conv, "Queued before the server started")
    mail_port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "netmsg_tui", "serve", "--store", str(network.path),
         "--port", "0", "--smtp-port", str(mail_port), "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy(),
    )  # fmt: skip
    try:
        assert server.stdout is not None
        line = await asyncio.to_thread(server.stdout.readline)
        assert line.startswith(b"netmsg mail: notifications via 127.0.0.1"), line
        assert f"replies by SMTP on 127.0.0.1:{mail_port}".encode() in line
        (got,) = await asyncio.to_thread(smtp.wait_for, 1, 60)
        reply = samples.thunderbird_bottom(got.message, "Answered through netmsg serve.")
        await asyncio.to_thread(deliver, mail_port, reply)
        await wait_for_thread(network, conv, "Answered through netmsg serve.")
    finally:
        server.terminate()
        await asyncio.to_thread(server.wait, 30)
        for pipe in (server.stdout, server.stderr):  # else a ResourceWarning (unclosed file)
            if pipe is not None:
                pipe.close()
