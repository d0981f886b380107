"""The SMTP/LMTP port of ``netmsg serve``: real sockets on 127.0.0.1, a real client (smtplib)."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage

import pytest

from netmsg_tui.config import Settings
from netmsg_tui.mail import inbound_server
from netmsg_tui.mail.sender import send_due
from netmsg_tui.mail.tokens import TokenSigner
from tests.conftest import Network

from . import samples
from .conftest import SmtpSink, set_prefs, start_thread, thread_bodies


async def notification(
    network: Network, smtp: SmtpSink, settings: Settings, signer: TokenSigner
) -> tuple[int, EmailMessage]:
    await set_prefs(network, network.user_a2, email_on_reply=False, addresses=())
    conv = await start_thread(network)
    await network.customer_reply(conv, "Is the order confirmed?")
    await asyncio.to_thread(send_due, network.path, settings, signer)
    return conv, smtp.wait_for(1)[0].message


def deliver(port: int, mail: EmailMessage, *, lmtp: bool = False) -> dict[str, object]:
    client = smtplib.LMTP("127.0.0.1", port) if lmtp else smtplib.SMTP("127.0.0.1", port)
    with client:
        return dict(client.send_message(mail))


@pytest.mark.parametrize("lmtp", [False, True], ids=["smtp", "lmtp"])
async def test_a_reply_sent_to_the_port_is_posted(
    lmtp: bool,
    network: Network,
    smtp: SmtpSink,
    settings: Settings,
    signer: TokenSigner,
    tmp_path: object,
) -> None:
    conv, note = await notification(network, smtp, settings, signer)
    server = await inbound_server.start(network.path, signer, port=0, lmtp=lmtp)
    try:
        reply = samples.outlook(note, "Confirmed, shipping Monday.")
        assert await asyncio.to_thread(deliver, server.port, reply, lmtp=lmtp) == {}
    finally:
        await server.close()
    assert (await thread_bodies(network, conv))[-1] == (
        "supplier",
        "email",
        "Confirmed, shipping Monday.",
    )


async def test_the_port_refuses_other_recipients_and_bounces_with_the_reason(
    network: Network, smtp: SmtpSink, settings: Settings, signer: TokenSigner
) -> None:
    conv, note = await notification(network, smtp, settings, signer)
    server = await inbound_server.start(network.path, signer, port=0)
    try:
        stranger = samples.gmail(note, "Let me in", sender="mallory@evil.example")
        with pytest.raises(smtplib.SMTPDataError) as err:
            await asyncio.to_thread(deliver, server.port, stranger)
        assert err.value.smtp_code == 550
        assert b"mallory@evil.example is not one of the notification addresses" in (
            err.value.smtp_error
        )
        relay = samples.gmail(note, "Relay this")
        relay.replace_header("To", "someone@elsewhere.example")
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            await asyncio.to_thread(deliver, server.port, relay)
        # A forged token is accepted at the protocol level (no bounce) but not posted.
        forged = samples.gmail(note, "Forged")
        forged.replace_header("To", "reply+1-1-ffffffff-aaaaaaaaaaaaaaaaaaaaaaaaaa@" +
                              signer.reply_domain)  # fmt: skip
        del forged["References"]
        assert await asyncio.to_thread(deliver, server.port, forged) == {}
    finally:
        await server.close()
    assert len(await thread_bodies(network, conv)) == 2
    assert len(list((network.path.parent / "rejected-mail").iterdir())) == 2
