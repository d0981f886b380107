"""The TUI in German at 80×24 (issue 18, item 4): the process language chosen before the app
starts (the CLI's, from config.toml or the locale: the last test runs ``python -m netmsg_tui``
in a pseudo-terminal) is the one every screen speaks: tab labels, key bar, thread header,
toasts, dates (DD.MM.), amounts. German is longer than English,
so each screen's key bar is compared with the English one: every key whose label is whole in
English is whole in German too (no label cut, none dropped for lack of room but one, named)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import DataTable

from netmsg_tui import i18n
from netmsg_tui.i18n import _
from netmsg_tui.model import Contact, LineItem
from netmsg_tui.store.bulk import (
    NewCustomer,
    NewDocument,
    NewMessage,
    NewNetwork,
    NewThread,
    write_network,
)
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.format import count_note, relative_time
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.document import DocumentScreen
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.widgets.header import AppHeader
from netmsg_tui.tui.widgets.key_bar import KeyBar
from tests.waiting import wait_until

from .conftest import SIZE, current_thread, make_app, ready, screen_text, toasts_into
from .pty_terminal import PtyTerminal

AGE = timedelta(days=9)  # the old thread's: older than a week, the list shows its date
CUSTOMER = "Alpen Lebensmittel AG"
ACCOUNT = "Präzisionsteile GmbH"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "netmsg.db"
    write_small_network(path)
    return path


def write_small_network(path: Path, plan: str = "enterprise") -> None:
    """One customer, a purchase order, an old thread about it (read) and a new one (unread,
    five minutes old), written now."""
    now = datetime.now(UTC).replace(microsecond=0)
    old = now - AGE
    contact = Contact("Tom Koch", "tom@alpen.example", "+49 6227 0", "Walldorf")
    write_network(
        path,
        NewNetwork(
            account=(ACCOUNT, plan),
            user=("Jana Lieferant", "jana@praezision.example"),
            customers=[NewCustomer(CUSTOMER, "AN01000000000", "Walldorf", contact, True)],
            documents=[
                NewDocument(
                    0, "purchase_order", "4500012345", old.date(), "EUR", "Confirmed",
                    [LineItem(1, "Kreiselpumpe", Decimal(2), Decimal("1234.50"))],
                )
            ],
            threads=[
                NewThread(0, "Liefertermin", 0, old, unread=False),
                NewThread(0, "Zertifikat", None, now - timedelta(minutes=5), unread=True),
            ],
            messages=[
                NewMessage(0, old, False, "Jana Lieferant", "Wann liefern?", "app", None),
                NewMessage(
                    1, now - timedelta(minutes=5), True, "Tom Koch", "Bitte senden.", "app", None
                ),
            ],
            attachment=b"",
        ),
    )  # fmt: skip


@pytest.fixture
async def german_app(store_path: Path) -> AsyncIterator[NetmsgApp]:
    i18n.set_language("de")  # as the CLI does; the autouse fixture puts English back
    store = SQLiteStore(store_path)
    yield make_app(store)
    await store.close()


def bar_line(app: NetmsgApp) -> str:
    """The key bar as the terminal shows it (cut to the screen's width)."""
    bar = app.screen.query_one(KeyBar)
    strips = bar.render_lines(Region(0, 0, bar.size.width, 1))
    return "".join(strip.text for strip in strips).rstrip()


def header_line(app: NetmsgApp) -> str:
    header = app.screen.query_one(AppHeader)
    strips = header.render_lines(Region(0, 0, header.size.width, 1))
    return "".join(strip.text for strip in strips).rstrip()


def shown_keys(app: NetmsgApp) -> dict[str, str]:
    """``key label`` by binding id, for the bindings the key bar may show."""
    keys = {}
    for active in app.screen.active_bindings.values():
        binding = active.binding
        if binding.show and binding.description:
            label = f"{app.get_key_display(binding)} {_(binding.description)}"
            keys.setdefault(binding.id or binding.action, label)
    return keys


def whole_keys(app: NetmsgApp) -> set[str]:
    """The ids of the keys whose ``key label`` is whole in the key bar."""
    line = bar_line(app)
    return {
        key
        for key, label in shown_keys(app).items()
        if re.search(rf"(^|\s){re.escape(label)}(\s|$)", line)
    }


def cut_keys(app: NetmsgApp) -> set[str]:
    """The ids of the keys the bar shows in part: the line ends with a piece of them and "…"."""
    line = bar_line(app)
    if not line.endswith("…"):
        return set()
    piece = line[:-1].rsplit("  ", 1)[-1].strip()
    return {
        key
        for key, label in shown_keys(app).items()
        if piece and label.startswith(piece) and label != piece
    }


#: Keys English shows and German has no room for. The thread of a document: `d` (a supplier's
#: bar is full there, and "Zurück", "Senden", "Antworten", "Beenden" are longer than "Back",
#: "Send", "Reply", "Quit"); the header says "(d: Beleg öffnen)" beside the document's number.
NO_ROOM = {"thread": {"open-document"}}


async def test_the_home_screen_speaks_german(german_app: NetmsgApp, store_path: Path) -> None:
    app = german_app
    toasts: list[tuple[str, str]] = []
    async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
        screen = await ready(pilot)
        text = screen_text(screen)
        assert "Nachrichten" in text and "Belege" in text  # the tab labels
        assert header_line(app).strip().startswith(f"{ACCOUNT} · Enterprise · ")
        # The bar looks at the keys once the screen's first refresh is done (key_bar.py).
        await wait_until(pilot, lambda: "n Neu" in bar_line(app), "the key bar")
        assert "^q Beenden" in bar_line(app)
        rows = screen.messages.list
        prompts = [rows.get_option_at_index(i).prompt for i in range(rows.option_count)]
        text = "\n".join(str(getattr(prompt, "plain", prompt)) for prompt in prompts)
        old = (await app.store.list_conversations(limit=5)).items[-1]
        local = old.last_activity.astimezone()
        same_year = local.year == datetime.now(UTC).astimezone().year
        day = f"{local:%d.%m.}" if same_year else f"{local:%d.%m.%Y}"
        assert day in text  # the old thread: a date as German writes it
        assert re.search(r"  \d+ Min\.  1", text)  # the new one: its age (and unread badge)
        await wait_until(pilot, lambda: app.title == "netmsg (1 ungelesen)", "the title")

        customer_side = SQLiteStore(store_path)
        try:
            old = (await app.store.list_conversations(limit=5)).items[-1]
            await customer_side.add_customer_reply(old.id, "Freitag passt.", [])
        finally:
            await customer_side.close()
        await wait_until(pilot, lambda: toasts, "the toast")
        assert toasts[0] == (f"{CUSTOMER} hat geantwortet", "Liefertermin")


async def test_a_thread_speaks_german(german_app: NetmsgApp) -> None:
    app = german_app
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        old = (await app.store.list_conversations(limit=5)).items[-1]
        app.open_thread(old.id)
        screen = await current_thread(pilot)
        await wait_until(pilot, lambda: screen.can_reply and screen.messages, "the messages")
        await wait_until(pilot, lambda: "Senden" in bar_line(app), "the key bar")
        read = "Vom Kunden noch nicht gelesen"
        await wait_until(pilot, lambda: read in screen_text(screen), "whether the customer read it")
        text = screen_text(screen)
        assert f"{CUSTOMER} — Liefertermin" in text
        assert "4500012345  (d: Beleg öffnen)" in text
        sent = old.last_activity.astimezone()
        assert f"{sent:%d.%m.%Y %H:%M} · hier geschrieben" in text
        assert "^s Senden" in bar_line(app)

        await pilot.press("d")  # its document: amounts and dates as German writes them
        await wait_until(pilot, lambda: isinstance(app.screen, DocumentScreen), "the document")
        document = app.screen
        await wait_until(pilot, lambda: "2.469,00 EUR" in screen_text(document), "the amount")
        text = screen_text(document)
        assert f"ausgestellt am {old.last_activity.date():%d.%m.%Y}" in text
        assert "1 Position" in text
        row = document.query_one("#line-items", DataTable).get_row_at(0)
        assert [str(cell) for cell in row[2:]] == ["2", "1.234,50", "2.469,00"]


async def test_the_german_thread_bar_shows_the_attach_key(german_app: NetmsgApp) -> None:
    app = german_app
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        old = (await app.store.list_conversations(limit=5)).items[-1]  # about a document
        app.open_thread(old.id)
        screen = await current_thread(pilot)
        await wait_until(pilot, lambda: screen.can_reply and screen.conversation, "the reply box")
        await wait_until(pilot, lambda: "Senden" in bar_line(app), "the key bar")
        line = bar_line(app)
        assert line.strip() == (
            "esc Zurück  ^s Senden  ^o Anhang  r Antworten  ^q Beenden  F1 Hilfe  ^p Befehle"
        )
        # `d` gave way for ^o: the header names it beside the document's number.
        header = screen.query_one("#thread-header")
        drawn = [strip.text.strip() for strip in header.render_lines(header.region.reset_offset)]
        assert "4500012345  (d: Beleg öffnen)" in drawn


async def test_a_standard_account_reads_why_in_german(tmp_path: Path) -> None:
    write_small_network(tmp_path / "standard.db", plan="standard")
    i18n.set_language("de")
    store = SQLiteStore(tmp_path / "standard.db")
    try:
        app = make_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            assert header_line(app).strip().startswith(f"{ACCOUNT} · Standard · ")
            notice = app.screen.query_one("#upgrade-notice")
            text = str(getattr(notice.render(), "plain", ""))
            assert "Nachrichten sind nur für Konten mit Enterprise-Tarif verfügbar" in text
            assert "Messaging" not in text
    finally:
        await store.close()


def test_relative_times_and_counts_in_german() -> None:
    i18n.set_language("de")
    now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    ages = [timedelta(seconds=30), timedelta(minutes=5), timedelta(hours=3), timedelta(days=2)]
    assert [relative_time(now - age, now) for age in ages] == ["jetzt", "5 Min.", "3 Std.", "2 Tg."]
    march = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    assert relative_time(march, now) == f"{march.astimezone():%d.%m.}"
    last_year = datetime(2025, 11, 5, 12, 0, tzinfo=UTC)
    assert relative_time(last_year, now) == f"{last_year.astimezone():%d.%m.%Y}"
    assert count_note(205, 200) == "205/200, 5 zu viel"
    assert count_note(45_000, 50_000) == "45.000/50.000"
    i18n.set_language("en")
    assert relative_time(now - timedelta(hours=3), now) == "3h"
    assert count_note(205, 200) == "205/200, 5 over"


async def home(pilot: Pilot[int], app: NetmsgApp) -> None:
    await ready(pilot)


async def documents(pilot: Pilot[int], app: NetmsgApp) -> None:
    screen = await ready(pilot)
    await pilot.press("2")
    await wait_until(pilot, lambda: screen.query("#documents-pane"), "the documents tab")


async def thread(pilot: Pilot[int], app: NetmsgApp) -> None:
    await ready(pilot)
    old = (await app.store.list_conversations(limit=5)).items[-1]
    app.open_thread(old.id)
    screen = await current_thread(pilot)
    await wait_until(pilot, lambda: screen.can_reply and screen.conversation, "the reply box")


async def compose(pilot: Pilot[int], app: NetmsgApp) -> None:
    await ready(pilot)
    customer = (await app.store.list_customers(limit=1)).items[0]
    app.new_conversation(customer.id)
    await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the composer")
    await wait_until(pilot, lambda: getattr(app.screen, "customer", None), "the customer")


async def document(pilot: Pilot[int], app: NetmsgApp) -> None:
    await thread(pilot, app)
    await pilot.press("d")
    await wait_until(pilot, lambda: isinstance(app.screen, DocumentScreen), "the document")
    screen = app.screen
    assert isinstance(screen, DocumentScreen)
    await wait_until(pilot, lambda: screen.thread is not None, "its messages panel")


Scene = Callable[[Pilot[int], NetmsgApp], Awaitable[None]]


@pytest.mark.parametrize("scene", [home, documents, thread, compose, document])
async def test_german_key_bars_show_the_keys_english_shows(scene: Scene, store_path: Path) -> None:
    whole: dict[str, set[str]] = {}
    cut: dict[str, set[str]] = {}
    lines: dict[str, str] = {}
    for language in ("en", "de"):
        i18n.set_language(language)
        store = SQLiteStore(store_path)
        app = make_app(store)
        try:
            async with app.run_test(size=SIZE) as pilot:
                await scene(pilot, app)
                await pilot.pause()
                await wait_until(pilot, lambda: bar_line(pilot.app) != "", "the key bar")
                assert not isinstance(app.screen, MainScreen) or scene in (home, documents)
                whole[language] = whole_keys(app)
                cut[language] = cut_keys(app)
                lines[language] = bar_line(app)
        finally:
            await store.close()
    assert whole["en"], lines["en"]  # the check sees the keys at all
    said = f"\n{lines['en']}\n{lines['de']}"
    assert not whole["en"] & cut["de"], f"cut in German, whole in English:{said}"
    missing = whole["en"] - whole["de"]
    assert missing == NO_ROOM.get(scene.__name__, set()), f"German lacks {missing}:{said}"


@pytest.mark.parametrize(
    ("config", "lang"),
    [('language = "de"\n', "C.UTF-8"), ("", "de_DE.UTF-8")],
    ids=["config-language", "LANG"],
)
def test_netmsg_starts_in_german_from_its_config_or_the_locale(
    store_path: Path, tmp_path: Path, config: str, lang: str
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text(config, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "LC_"))}
    env.pop("LANGUAGE", None), env.pop("COLUMNS", None), env.pop("LINES", None)
    env.update(TERM="xterm-256color", NETMSG_CONFIG=str(config_file), LANG=lang)
    term = PtyTerminal([sys.executable, "-m", "netmsg_tui", "--store", str(store_path)], env)
    try:
        term.read_until(b"Zertifikat", "the conversation list")
        term.read_until(b"Beenden", "the German key bar")
        term.read_until(b" Min.", "the German age of a thread")
        code = term.finish(b"\x11")  # ctrl+q
    finally:
        term.close()
    assert code == 0, term.tail()
    assert b"Quit" not in term.output
