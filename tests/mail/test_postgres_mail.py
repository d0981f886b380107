"""The mail gateway over PostgreSQL: several senders on one database send each notification
once (the queue is claimed with SKIP LOCKED), and an emailed reply lands in the thread."""

from __future__ import annotations

import asyncio
import smtplib

import pytest

from netmsg_tui.config import Settings
from netmsg_tui.mail.gateway import MailGateway
from netmsg_tui.mail.tokens import TokenSigner
from netmsg_tui.model import NotificationPrefs
from netmsg_tui.store import open_network
from tests.conftest import Network, use_postgres

from . import samples
from .conftest import SmtpSink


async def test_two_senders_on_one_database_send_each_notification_once(
    request: pytest.FixtureRequest,
    network: Network,
    smtp: SmtpSink,
    settings: Settings,
    signer: TokenSigner,
    tmp_path,
) -> None:
    url = use_postgres(request, network)
    net = open_network(url)
    try:
        piet = net.for_user(network.user_a2)
        await piet.set_preferences(NotificationPrefs(email_on_reply=False, addresses=()))
        jana = net.for_user(network.user_a)
        conv = await jana.start_conversation(network.customer_on, "Pumps", "When?")
        first = MailGateway(url, settings, signer, interval=0.05, rejected_dir=tmp_path / "r1")
        second = MailGateway(
            url, settings, signer, inbound_port=0, interval=0.05, rejected_dir=tmp_path / "r2"
        )
        with first, second:
            for i in range(8):
                await net.customer_reply(conv.id, f"answer {i}")
            got = await asyncio.to_thread(smtp.wait_for, 8, 60)
            reply = samples.apple_mail_iphone(got[0].message, "Confirmed by email.")
            assert second.port is not None
            await asyncio.to_thread(_deliver, second.port, reply)
            while (await jana.list_messages(conv.id, limit=500)).items[-1].body != (
                "Confirmed by email."
            ):
                await asyncio.sleep(0.025)
        # Both senders have stopped: nothing is still on its way.
        assert len(smtp.received) == 8
        assert (await net.notice_counts()).get("sent") == 8
        assert (await jana.list_messages(conv.id, limit=500)).items[-1].origin == "email"
    finally:
        await net.close()


def _deliver(port: int, mail: object) -> None:
    with smtplib.SMTP("127.0.0.1", port) as client:
        client.send_message(mail)  # type: ignore[arg-type]
