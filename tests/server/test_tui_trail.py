"""The delivery trail in the TUI, on a real server process, for support staff granted two
accounts: a customer message whose notification failed (SMTP down) shows the error, and an
emailed reply that was rejected shows its reason (found through the inbound mail log)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Static

from netmsg_tui.config import MailSettings, Settings, SmtpSettings
from netmsg_tui.mail.inbound import ingest
from netmsg_tui.mail.sender import send_due
from netmsg_tui.mail.tokens import TokenSigner
from netmsg_tui.store import open_network
from netmsg_tui.store.network import MAX_ATTEMPTS, MAX_BACKOFF
from netmsg_tui.store.remote import RemoteStore
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.screens.mail_log import MailLogScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.screens.trail import TrailScreen
from tests.conftest import Network
from tests.mail.conftest import free_port
from tests.tui.conftest import SIZE, ready
from tests.waiting import wait_until

from .conftest import ServerProcess, issue
from .test_tui_support import pick_account, rendered

REPLY_DOMAIN = "reply.network.test"


@pytest.fixture(autouse=True)
def _no_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("NETMSG_CONFIG", str(tmp_path / "config.toml"))


async def fail_notifications(network: Network, signer: TokenSigner) -> None:
    """Run the notification sender against an SMTP port where nothing listens until it
    gives up: each queued notification ends ``failed`` with the connection error."""
    settings = Settings(
        smtp=SmtpSettings(host="127.0.0.1", port=free_port(), security="none",
                          sender="Business Network <noreply@network.test>", timeout=5),
        mail=MailSettings(reply_domain=REPLY_DOMAIN, token_days=30),
    )  # fmt: skip
    now = datetime.now(UTC)
    for _ in range(MAX_ATTEMPTS):
        await asyncio.to_thread(send_due, network.path, settings, signer, now=now)
        now += MAX_BACKOFF + timedelta(seconds=1)


async def reject_a_reply(network: Network, signer: TokenSigner, conv: int, folder: Path) -> str:
    """An emailed reply to ``conv`` from a stranger: rejected with its reason. Returns the
    reply's Message-ID."""
    mail = EmailMessage()
    mail["From"] = "Mallory <mallory@evil.example>"
    mail["To"] = signer.address(signer.issue(network.user_a, conv))
    mail["Subject"] = "Re: Delivery date"
    mail["Date"] = format_datetime(datetime.now(UTC))
    mail["Message-ID"] = make_msgid(domain="evil.example")
    mail.set_content("This must not be posted.")
    store = open_network(network.path, create=False)
    try:
        outcome = await ingest(bytes(mail), store, signer, rejected_dir=folder)
    finally:
        await store.close()
    assert outcome.status == "rejected"
    return str(mail["Message-ID"])


async def test_delivery_trails_show_a_failed_notification_and_a_rejected_reply(
    network: Network, server_process: ServerProcess, tmp_path: Path
) -> None:
    signer = TokenSigner([b"test-secret-0123456789abcdef"], REPLY_DOMAIN, 30)
    supplier = SQLiteStore(network.path, user_id=network.user_a)
    quiet = SQLiteStore(network.path, user_id=network.user_a2)
    try:
        prefs = await quiet.get_preferences()  # one notification: user A's
        await quiet.set_preferences(replace(prefs, email_on_reply=False, addresses=()))
        conv = (await supplier.start_conversation(network.customer_on, "Delivery date", "When?")).id
    finally:
        await supplier.close()
        await quiet.close()
    answer = await network.customer_reply(conv, "By Friday please")
    await fail_notifications(network, signer)
    message_id = await reject_a_reply(network, signer, conv, tmp_path / "rejected")
    token = issue(network, "support", accounts=[network.account_a, network.account_b])[1]
    url = server_process.start()
    store = RemoteStore(url, token, outbox_path=tmp_path / "o.db")
    app = NetmsgApp(store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pick_account(pilot, network.account_a)
            await ready(pilot)
            app.open_thread(conv)
            await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the thread")
            thread = app.screen
            assert isinstance(thread, ThreadScreen)
            await wait_until(pilot, lambda: thread._opened, "the thread opened")
            # `t`: the trail of the newest message, the customer's answer.
            await pilot.press("t")
            await wait_until(pilot, lambda: isinstance(app.screen, TrailScreen), "the trail")
            trail = app.screen
            assert isinstance(trail, TrailScreen)
            await wait_until(pilot, lambda: trail.trail is not None, "the trail loaded")
            assert trail.target == answer.id
            text = rendered(trail.query_one("#trail", Static))
            assert "✕ failed" in text
            assert f"{MAX_ATTEMPTS} tries" in text
            assert "jana@parts.example" in text
            assert "last error: cannot deliver through 127.0.0.1" in text
            # ←: the older message, the supplier's own: sent without notifications.
            await pilot.press("left")
            await wait_until(pilot, lambda: trail.target != answer.id, "the older message")
            await wait_until(pilot, lambda: trail.trail is not None, "its trail")
            assert "typed" in rendered(trail.query_one("#trail", Static))
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is thread, "back in the thread")

            # The palette: a message id leads to its thread and to its trail.
            await pilot.press("ctrl+p")
            await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "palette")
            palette = app.screen
            await pilot.press(*f"#{answer.id}")

            def hits() -> list[str]:
                return [str(o.prompt) for o in palette.query_one("CommandList").options]

            await wait_until(pilot, lambda: any("Delivery trail" in h for h in hits()), "hit")
            wanted = next(i for i, h in enumerate(hits()) if "Delivery trail" in h)
            results = palette.query_one("CommandList")
            for _ in range(len(hits()) + 1):  # down until the trail's hit is highlighted
                if results.highlighted == wanted:
                    break
                await pilot.press("down")
                await pilot.pause()
            assert results.highlighted == wanted
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, TrailScreen), "the trail")
            found = app.screen
            assert isinstance(found, TrailScreen) and found.target == answer.id
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is thread, "back in the thread again")

            # `i`: the mail log, with the rejected reply; Enter: its trail and its reason.
            await pilot.press("i")
            await wait_until(pilot, lambda: isinstance(app.screen, MailLogScreen), "mail log")
            log = app.screen
            assert isinstance(log, MailLogScreen)
            await wait_until(pilot, lambda: log.loaded, "the mail log loaded")
            [entry] = log.entries
            assert (entry.status, entry.message_id) == ("rejected", message_id)
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, TrailScreen), "its trail")
            reply_trail = app.screen
            assert isinstance(reply_trail, TrailScreen)
            await wait_until(pilot, lambda: reply_trail.trail is not None, "loaded")
            text = rendered(reply_trail.query_one("#trail", Static))
            assert "✕ rejected" in text
            assert "mallory@evil.example is not one of the notification addresses" in text
            assert "raw mail kept at" in text
    finally:
        await store.close()
