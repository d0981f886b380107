"""Pictures of the main screens at 80×24, compared with the accepted ones in __snapshots__/.

They pin the layouts and the key bar; the behaviour is tested elsewhere. The demo network is
built at a fixed moment and shown at that moment in UTC, so every run draws the same picture.
After a change meant to alter a screen, look at the new pictures and accept them:

    pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

import netmsg_tui.demo
import netmsg_tui.tui.format
from netmsg_tui.demo import build_demo
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.customer_picker import CustomerPicker
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.widgets.conversation_list import ConversationList
from tests.waiting import wait_until

SIZE = (80, 24)
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
SnapCompare = Callable[..., bool]


class FixedClock(datetime):
    """``datetime`` whose ``now`` is :data:`NOW`: the demo's times and the ages shown."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> Any:
        return NOW if tz is None else NOW.astimezone(tz)


@pytest.fixture
def demo_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[NetmsgApp]:
    monkeypatch.setattr(netmsg_tui.demo, "datetime", FixedClock)
    monkeypatch.setattr(netmsg_tui.tui.format, "datetime", FixedClock)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.chdir(tmp_path)  # the header shows the store's path: "demo.db"
    build_demo("demo.db")
    yield NetmsgApp(SQLiteStore("demo.db"), poll_interval=0.2)
    monkeypatch.undo()
    time.tzset()


def home_then(
    *keys: str, until: Callable[[NetmsgApp], object] | None = None
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Wait for the home screen and its rows, press ``keys``, then wait for ``until``."""

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, NetmsgApp)
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the home screen")
        main = app.screen
        assert isinstance(main, MainScreen)
        await wait_until(pilot, lambda: main.query(ConversationList), "the list")
        await wait_until(pilot, lambda: main.messages.list.option_count > 0, "the rows")
        await pilot.press(*keys)
        if until is not None:
            await wait_until(pilot, lambda: until(app), "the screen to show")
        await pilot.pause()

    return run_before


def test_messages_tab(snap_compare: SnapCompare, demo_app: NetmsgApp) -> None:
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=home_then())


def test_documents_tab(snap_compare: SnapCompare, demo_app: NetmsgApp) -> None:
    def rows(app: NetmsgApp) -> bool:
        main = app.screen
        return (
            isinstance(main, MainScreen)
            and bool(main.query("#documents-pane"))
            and main.documents.table.row_count > 0
        )

    assert snap_compare(demo_app, terminal_size=SIZE, run_before=home_then("2", until=rows))


def test_thread(snap_compare: SnapCompare, demo_app: NetmsgApp) -> None:
    def opened(app: NetmsgApp) -> bool:
        screen = app.screen
        return isinstance(screen, ThreadScreen) and screen._opened and screen.can_reply

    assert snap_compare(demo_app, terminal_size=SIZE, run_before=home_then("enter", until=opened))


def test_new_conversation(snap_compare: SnapCompare, demo_app: NetmsgApp) -> None:
    def shown(app: NetmsgApp) -> bool:
        return isinstance(app.screen, ComposeScreen)

    assert snap_compare(demo_app, terminal_size=SIZE, run_before=home_then("n", until=shown))


def test_customer_picker(snap_compare: SnapCompare, demo_app: NetmsgApp) -> None:
    def listed(app: NetmsgApp) -> bool:
        screen = app.screen
        return isinstance(screen, CustomerPicker) and bool(screen.customers.customers)

    picker = home_then("n", "plus", until=listed)
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=picker)
