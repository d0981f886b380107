"""Notification emails in the recipient's language (a preference of each user), delivered to a
real SMTP server (aiosmtpd on loopback): one sending pass writes a German user's email in German
and an English user's in English, and leaves the process's own language alone."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from netmsg_tui import i18n
from netmsg_tui.config import Settings
from netmsg_tui.i18n import formats
from netmsg_tui.mail.sender import send_due
from netmsg_tui.mail.tokens import TokenSigner
from netmsg_tui.model import NewAttachment
from tests.conftest import Network

from .conftest import SmtpSink, set_prefs, start_thread


async def test_each_recipient_gets_the_notification_in_their_language_in_one_run(
    network: Network, smtp: SmtpSink, settings: Settings, signer: TokenSigner
) -> None:
    await set_prefs(network, network.user_a, addresses=("jana@parts.example",), language="de")
    await set_prefs(network, network.user_a2, addresses=("tom@parts.example",), language="en")
    conv = await start_thread(network)
    await network.customer_reply(
        conv, "Wir brauchen sie bis Freitag.", [NewAttachment("plan.pdf", b"%" * 1536)]
    )

    sent_at = datetime.now(UTC)
    report = await asyncio.to_thread(send_due, network.path, settings, signer)
    assert (report.sent, report.retrying, report.errors) == (2, 0, [])
    by_address = {got.rcpt_tos[0]: got.message for got in smtp.wait_for(2)}
    german, english = by_address["jana@parts.example"], by_address["tom@parts.example"]

    assert german["Subject"] == "Re: Delivery date [Alpine Foods GmbH, Bestellung 4500012345]"
    text = german.get_content()
    assert "Max Buyer (Alpine Foods GmbH) hat in „Delivery date“ zu Bestellung 4500012345 " \
        "geantwortet" in text  # fmt: skip
    assert "Wir brauchen sie bis Freitag." in text
    assert "Anhänge (öffnen Sie sie in netmsg):" in text and "plan.pdf (1,5 KiB)" in text
    assert "Antworten Sie auf diese E-Mail, um in der Unterhaltung zu antworten" in text
    # The token lives 30 days from the pass (which may have begun just before midnight).
    expiry = [sent_at + timedelta(days=30), datetime.now(UTC) + timedelta(days=30)]
    with i18n.use_language("de"):
        assert any(f"Diese Antwortadresse gilt bis {formats.full_date(d)}." in text for d in expiry)
    assert f"Unterhaltung {conv} · Alpine Foods GmbH · Bestellung 4500012345" in text
    assert "replied" not in text and "Reply to this email" not in text

    assert english["Subject"] == (
        "Re: Delivery date [Alpine Foods GmbH, Purchase order 4500012345]"
    )
    text = english.get_content()
    assert "Max Buyer (Alpine Foods GmbH) replied in “Delivery date” about Purchase order " \
        "4500012345" in text  # fmt: skip
    assert "Attachments (open them in netmsg):" in text and "plan.pdf (1.5 KiB)" in text
    assert "Reply to this email to answer in the thread" in text
    assert any(f"This reply address works until {formats.full_date(d)}." in text for d in expiry)
    assert f"Thread {conv} · Alpine Foods GmbH · Purchase order 4500012345" in text
    assert "Unterhaltung" not in text and "Antworten" not in text
    assert i18n.language() == "en"  # the pass spoke German for one email only
    # The operator's summary (netmsg notify --once) is in the process's language.
    assert str(report) == "2 sent, 0 digests, 0 to retry, 0 skipped"
    with i18n.use_language("de"):
        assert str(report) == "2 gesendet, 0 Übersichten, 0 für einen neuen Versuch, 0 übersprungen"


async def test_a_german_daily_digest(
    network: Network, smtp: SmtpSink, settings: Settings, signer: TokenSigner
) -> None:
    await set_prefs(network, network.user_a, mode="daily", language="de")
    await set_prefs(network, network.user_a2, email_on_reply=False, addresses=())
    conv = await start_thread(network)
    await network.customer_reply(conv, "Antwort eins")
    now = datetime.now(UTC)
    hour = (now + timedelta(hours=1)).hour
    later = now + timedelta(hours=1, minutes=5)
    report = await asyncio.to_thread(
        send_due, network.path, settings, signer, now=later, digest_hour=hour
    )
    assert report.digests == 1
    (got,) = smtp.wait_for(1)
    assert got.message["Subject"] == "Tägliche Übersicht: 1 neue Antwort in 1 Unterhaltung"
    text = got.message.get_content()
    assert "Neue Antworten von Kunden für" in text and "Antwort eins" in text
    assert "[Alpine Foods GmbH, Bestellung 4500012345] — 1 neue" in text
    assert "Per E-Mail antworten: reply+" in text
    assert "Sie erhalten diese Übersicht einmal täglich" in text
