"""Support staff in the TUI, on a real server process, with a support token granted two accounts:
support mode says so and has no write path (by key or mouse), a read leaves the supplier's
unread state alone (every read is in the audit log), the account is picked at start and
switched with `a`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Static

from netmsg_tui.store import open_network
from netmsg_tui.store.remote import RemoteStore
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.account_picker import AccountPicker
from netmsg_tui.tui.dialogs.help import HelpScreen
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.widgets.composer import Composer
from netmsg_tui.tui.widgets.header import AppHeader
from netmsg_tui.tui.widgets.key_bar import KeyBar
from tests.conftest import Network
from tests.tui.conftest import SIZE, ready
from tests.waiting import wait_until

from .conftest import ServerProcess, issue, seed

SUPPORT_HEADER = "Support · read-only · reads are audited"
WRITE_WORDS = ("New", "Send", "Attach", "Reply", "Preferences")


@pytest.fixture(autouse=True)
def _no_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """As over SSH: the token comes from the caller, a keyring is not there to ask."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("NETMSG_CONFIG", str(tmp_path / "config.toml"))


def rendered(widget: Static) -> str:
    return str(widget.render())


def key_bar(pilot: Pilot[Any]) -> str:
    return rendered(pilot.app.screen.query_one(KeyBar))


async def help_rows(pilot: Pilot[Any]) -> list[str]:
    """The actions F1 lists on the current screen (then closes it again)."""
    app = pilot.app
    before = app.screen
    await pilot.press("f1")
    await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
    help_screen = app.screen
    assert isinstance(help_screen, HelpScreen)
    rows = [description for _keys, description, _id in help_screen.rows]
    await pilot.press("escape")
    await wait_until(pilot, lambda: app.screen is before, "help closed")
    return rows


async def unread_of_supplier(network: Network, conversation_id: int) -> tuple[int, int]:
    """(unread total, unread on the thread) of user A, read straight from the file."""
    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        conv = await store.get_conversation(conversation_id)
        return await store.unread_total(), conv.unread_count
    finally:
        await store.close()


async def pick_account(pilot: Pilot[Any], account_id: int) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, AccountPicker), "the account picker")
    picker = app.screen
    assert isinstance(picker, AccountPicker)
    index = [a.id for a in picker.accounts].index(account_id)
    while picker.query_one("#accounts").highlighted != index:  # type: ignore[attr-defined]
        await pilot.press("down")
    await pilot.press("enter")


async def test_support_mode_is_read_only_and_switches_account(
    network: Network, server_process: ServerProcess, tmp_path: Path
) -> None:
    conv_a, conv_b, *_ = await seed(network)
    await network.customer_reply(conv_a, "alpha customer answer")
    assert await unread_of_supplier(network, conv_a) == (1, 1)
    support_id, token = issue(network, "support", accounts=[network.account_a, network.account_b])
    url = server_process.start()
    store = RemoteStore(url, token, outbox_path=tmp_path / "o.db")
    warnings: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify) and message.notification.severity != "information":
            warnings.append(message.notification.message)

    app = NetmsgApp(store)
    try:
        async with app.run_test(size=SIZE, message_hook=hook) as pilot:
            # Two granted accounts: the picker comes first.
            await pick_account(pilot, network.account_a)
            main = await ready(pilot)
            header = main.query_one(AppHeader)
            await wait_until(pilot, lambda: SUPPORT_HEADER in rendered(header), "support header")
            assert "Precision Parts GmbH" in rendered(header)
            assert "A secret" in str(main.messages.list.get_option_at_index(0).prompt)
            # No pencil in the DOM, no write key in the key bar or in help.
            assert not main.query("#pencil")
            await wait_until(pilot, lambda: "Accounts" in key_bar(pilot), "the key bar")
            for word in WRITE_WORDS:
                assert f" {word} " not in key_bar(pilot)
            rows = await help_rows(pilot)
            assert "Accounts" in rows and "Mail log" in rows
            assert not set(WRITE_WORDS) & set(rows)
            await pilot.press("n")
            await pilot.press("f2")
            await pilot.pause()
            assert app.screen is main

            # The thread: no reply box, no write key; opening it does not mark it read.
            app.open_thread(conv_a)
            await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the thread")
            thread = app.screen
            assert isinstance(thread, ThreadScreen)
            await wait_until(pilot, lambda: thread._opened, "the thread opened")
            assert [m.body for m in thread.messages] == ["alpha body", "alpha customer answer"]
            assert not thread.query(Composer) and not thread.query("#composer")
            await wait_until(pilot, lambda: "Trail" in key_bar(pilot), "the thread's key bar")
            for word in WRITE_WORDS:
                assert f" {word} " not in key_bar(pilot)
            rows = await help_rows(pilot)
            assert "Trail" in rows
            assert not set(WRITE_WORDS) & set(rows)
            for key in ("r", "ctrl+o", "ctrl+s", "n"):
                await pilot.press(key)
            await pilot.pause()
            assert app.screen is thread and not thread.query(Composer)
            assert not any(isinstance(s, ComposeScreen) for s in app.screen_stack)
            assert await unread_of_supplier(network, conv_a) == (1, 1)
            assert app.unread_total == 1  # the supplier's count, shown as it is

            # `a` switches to the other account: its threads, its name in the header.
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main, "back on the list")
            await pilot.press("a")
            await pick_account(pilot, network.account_b)
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, MainScreen) and app.screen is not main,
                "the other account's list",
            )
            other = await ready(pilot)
            lst = other.messages.list
            prompts = [str(lst.get_option_at_index(i).prompt) for i in range(lst.option_count)]
            assert any("Bravo secret" in p for p in prompts)
            assert not any("A secret" in p for p in prompts)
            header = other.query_one(AppHeader)
            await wait_until(pilot, lambda: "Other Supplier AG" in rendered(header), "header")
            assert SUPPORT_HEADER in rendered(header)
            app.open_thread(conv_b)
            await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "thread B")
            thread_b = app.screen
            assert isinstance(thread_b, ThreadScreen)
            await wait_until(pilot, lambda: thread_b._opened, "thread B opened")
            assert "bravo customer answer" in [m.body for m in thread_b.messages]
        assert warnings == []  # "Could not mark the thread read" would be one
    finally:
        await store.close()
    assert await unread_of_supplier(network, conv_a) == (1, 1)
    # Each account's reads are in the audit log, under this token.
    side = open_network(network.path, create=False)
    try:
        audit = [e for e in await side.audit_log(limit=500) if e.token_id == support_id]
    finally:
        await side.close()
    assert any(e.account_id == network.account_a and f"/conversations/{conv_a}" in e.action
               for e in audit)  # fmt: skip
    assert any(e.account_id == network.account_b and f"/conversations/{conv_b}" in e.action
               for e in audit)  # fmt: skip
