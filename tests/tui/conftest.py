"""TUI test helpers: the app over a real SQLite file, and waiting for conditions (never sleeps)."""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from textual import events
from textual.keys import KEY_NAME_REPLACEMENTS
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from netmsg_tui.store import MessageStore
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.widgets.conversation_list import ConversationList
from tests.conftest import Network
from tests.waiting import wait_until

SIZE = (80, 24)
#: The open_store fixture: a SQLite store of the test network as the given user.
OpenStore = Callable[[int], SQLiteStore]


async def drafts_until(
    pilot: Pilot[object], store: MessageStore, wanted: dict[str, object], what: str
) -> None:
    """Let the app run until the store's kept drafts (bodies by place) are ``wanted``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 15
    while {k: v.get("body") for k, v in (await store.drafts()).items()} != wanted:
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


def screen_text(widget: Widget) -> str:
    """All the text the widgets on the widget's screen currently render, one string."""
    parts = []
    for node in widget.screen.query("*"):
        if node.display and hasattr(node, "render"):
            try:
                rendered = node.render()
            except Exception:  # noqa: BLE001 - some containers render nothing useful
                continue
            parts.append(str(getattr(rendered, "plain", rendered)))
    return "\n".join(parts)


async def ready(pilot: Pilot[object]) -> MainScreen:
    """Wait for the Messages screen with its rows loaded."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the Messages screen")
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await wait_until(pilot, lambda: screen.query(ConversationList), "the list mounted")
    lst = screen.messages.list
    await wait_until(
        pilot, lambda: lst.option_count > 0 or "No conversations" in screen_text(lst), "rows"
    )
    # The rows can be there before the screen's first layout (a first page is handed in at
    # start): a click needs the widgets where they are drawn.
    await wait_until(pilot, lambda: lst.size.height > 0, "the screen laid out")
    return screen


async def current_thread(pilot: Pilot[object], what: str = "the thread") -> ThreadScreen:
    """Let the app run until a thread screen is the current screen; that screen (built, its
    messages and reply box perhaps still loading)."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), what)
    thread = app.screen
    assert isinstance(thread, ThreadScreen)
    return thread


async def enter_first_thread(pilot: Pilot[object]) -> ThreadScreen:
    """From the start: the home screen with its rows, Enter on the first; the thread screen
    (see :func:`current_thread`)."""
    await ready(pilot)
    await pilot.press("enter")
    return await current_thread(pilot)


@pytest.fixture(autouse=True)
def colour_terminal_unless_a_test_says_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app draws field edges with lines in a terminal of few colours or with NO_COLOR (it
    reads TERM, COLORTERM and NO_COLOR when it is made): each test starts in a truecolour
    terminal, whatever the machine's, so the pictures and layouts do not depend on where the
    suite runs. tests/tui/test_low_colour.py sets the others."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLORTERM", "truecolor")


@pytest.fixture
async def open_store(network: Network) -> AsyncIterator[OpenStore]:
    opened: list[SQLiteStore] = []

    def make(user_id: int) -> SQLiteStore:
        store = SQLiteStore(network.path, user_id=user_id)
        opened.append(store)
        return store

    yield make
    for store in opened:
        await store.close()


def toasts_into(found: list[tuple[str, str]]) -> Callable[[Message], None]:
    """A ``run_test(message_hook=...)`` that records every toast as (title, message)."""

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            found.append((message.notification.title, message.notification.message))

    return hook


def key_event(char: str) -> events.Key:
    """The key a terminal sends for ``char``, named as ``Pilot.press`` names it."""
    key = char
    if not char.isalnum():
        key = unicodedata.name(char).lower().replace("-", "_").replace(" ", "_")
    return events.Key(KEY_NAME_REPLACEMENTS.get(key, key), char)


def type_at_once(pilot: Pilot[object], text: str) -> None:
    """Type ``text`` as one burst: every key is queued before the app handles the first, as a
    fast typist's keys or a terminal's type-ahead arrive. (``Pilot.press`` lets the app go idle
    after each key: 50-100 ms a key, many seconds for a long text.) The caller then waits for
    what the keys should have done."""
    app = pilot.app
    for char in text:
        app.post_message(key_event(char).set_sender(app))


async def type_into(pilot: Pilot[object], field: Input, text: str) -> None:
    """:func:`type_at_once` into the focused ``field``: back when every key is in it, in order,
    and the app is idle again."""
    wanted = field.value + text
    type_at_once(pilot, text)
    await wait_until(pilot, lambda: len(field.value) >= len(wanted), f"{len(text)} keys typed")
    await pilot.pause()
    assert field.value == wanted


def make_app(store: SQLiteStore, **kwargs: object) -> NetmsgApp:
    kwargs.setdefault("poll_interval", 0.2)
    return NetmsgApp(store, **kwargs)  # type: ignore[arg-type]


def file_of(tmp_path: Path, name: str, size: int) -> Path:
    path = tmp_path / name
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


async def new_conversation_to_alpine(pilot: Pilot[object]) -> ComposeScreen:
    """From the home screen: n, then + and "alpine" Enter in the picker; the composer with
    Alpine Foods GmbH in To."""
    app = pilot.app
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the composer")
    await pilot.press("plus")
    await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CustomerPicker", "picker")
    await pilot.press(*"alpine", "enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "back to composer")
    screen = app.screen
    assert isinstance(screen, ComposeScreen)
    await wait_until(pilot, lambda: screen.customer is not None, "the customer in To")
    return screen
