"""Writing in the user's editor (ctrl+g) and canned replies (ctrl+t), in the composer of a new
conversation and in a thread's reply box, driven by keys at 80×24. The editor is a small script
set as $VISUAL that edits the file it is given (or fails)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.help import HelpScreen
from netmsg_tui.tui.dialogs.template_picker import TemplatePicker
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.widgets.composer import Composer
from tests.conftest import Network
from tests.editor_scripts import failing_editor, replacing_editor
from tests.tui.conftest import (
    SIZE,
    OpenStore,
    enter_first_thread,
    make_app,
    ready,
    screen_text,
    toasts_into,
)
from tests.waiting import wait_until

from .pty_terminal import PtyTerminal


@pytest.fixture(autouse=True)
def no_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tester's own editor must not open: each test sets the one it wants."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)


async def _open_reply_box(pilot: Pilot[int], app: NetmsgApp) -> Composer:
    thread = await enter_first_thread(pilot)
    await wait_until(pilot, lambda: thread.query(Composer), "the reply box")
    await pilot.press("r")
    assert isinstance(app.focused, TextArea)
    return thread.query_one(Composer)


async def _open_composer(pilot: Pilot[int], app: NetmsgApp) -> ComposeScreen:
    await ready(pilot)
    await pilot.press("n", "plus")
    await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CustomerPicker", "picker")
    await pilot.press(*"alpine", "enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the composer")
    screen = app.screen
    assert isinstance(screen, ComposeScreen)
    await wait_until(pilot, lambda: screen.customer is not None, "the customer in To")
    return screen


async def test_reply_written_in_the_editor_is_sent(
    network: Network, open_store: OpenStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", replacing_editor(tmp_path, "Twelve pallets,\nFriday 8:00.\n"))
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Pallets", "How many pallets?")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        composer = await _open_reply_box(pilot, app)
        await pilot.press(*"Twelve")
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: composer.body == "Twelve pallets,\nFriday 8:00.", "text")
        assert (tmp_path / "seen.txt").read_text() == "Twelve"  # the editor got the typed text
        assert app.focused is composer.text_area
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: composer.body == "", "the reply sent")
        bodies = [m.body for m in (await store.list_messages(conv.id)).items]
        assert bodies == ["How many pallets?", "Twelve pallets,\nFriday 8:00."]


async def test_a_failing_or_missing_editor_keeps_the_text_and_says_why(
    network: Network, open_store: OpenStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "Pallets", "How many pallets?")
    toasts: list[tuple[str, str]] = []
    app = make_app(store)
    async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
        composer = await _open_reply_box(pilot, app)
        await pilot.press(*"Keep me")
        await pilot.press("ctrl+g")  # no $VISUAL, no $EDITOR
        await wait_until(pilot, lambda: any("$VISUAL" in m for _, m in toasts), "why: none set")
        assert composer.body == "Keep me"
        monkeypatch.setenv("VISUAL", failing_editor(tmp_path))
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: any("exit status 3" in m for _, m in toasts), "why: failed")
        assert composer.body == "Keep me"
        assert any("Your text is unchanged" in m for _, m in toasts)


def test_a_missing_editor_in_a_real_terminal_gives_the_screen_back(
    network: Network, tmp_path: Path
) -> None:
    """In a terminal the app is suspended while the editor runs: an editor that cannot start
    must not leave it suspended (Textual resumes only when its block ends without an error:
    the screen stayed blank and keys went nowhere)."""

    async def one_thread() -> None:
        store = SQLiteStore(network.path, user_id=network.user_a)
        try:
            await store.start_conversation(network.customer_on, "Pallets", "How many?")
        finally:
            await store.close()

    asyncio.run(one_thread())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "LC_"))}
    env.pop("COLUMNS", None), env.pop("LINES", None), env.pop("EDITOR", None)
    env.update(TERM="xterm", NETMSG_CONFIG=str(tmp_path / "none.toml"), LANG="C.UTF-8")
    env["VISUAL"] = "no-such-editor-x"  # on no PATH
    argv = [sys.executable, "-m", "netmsg_tui", "--store", str(network.path)]
    term = PtyTerminal(argv, env)
    try:
        term.read_until(b"Pallets", "the conversation list")
        start = len(term.output)
        term.type(b"\r")
        term.read_until(b"Reply to", "the thread's reply box", start=start)
        start = len(term.output)
        term.type(b"r")
        term.type(b"Keep me")
        term.read_until(b"Keep me", "the typed text", start=start)
        start = len(term.output)
        term.type(b"\x07")  # ctrl+g
        # The toast naming the editor: the app took the terminal back and draws again.
        term.read_until(b"no-such-editor-x", "the app back on screen, saying why", start=start)
    finally:
        term.close()


async def test_new_conversation_subject_and_body_from_one_file(
    network: Network, open_store: OpenStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edited = "Subject: Delivery on Friday\n\nDear Max,\nit ships Friday.\n"
    monkeypatch.setenv("EDITOR", replacing_editor(tmp_path, edited))  # $EDITOR when no $VISUAL
    store = open_store(network.user_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_composer(pilot, app)
        await pilot.press(*"Delivery", "tab", *"Dear Max")
        await pilot.press("ctrl+g")
        subject = screen.query_one("#subject", Input)
        await wait_until(pilot, lambda: subject.value == "Delivery on Friday", "the subject")
        assert (tmp_path / "seen.txt").read_text() == "Subject: Delivery\n\nDear Max"
        assert screen.composer.body == "Dear Max,\nit ships Friday."
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the new thread")
        [conv] = (await store.list_conversations()).items
        assert conv.subject == "Delivery on Friday"
        assert [m.body for m in (await store.list_messages(conv.id)).items] == [
            "Dear Max,\nit ships Friday."
        ]


async def test_a_canned_reply_is_filled_in_at_the_cursor_of_the_reply_box(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    await store.save_template(
        "ETA", "Dear {contact}, {document_kind} {document} ships Friday. {me}"
    )
    await store.save_template("Certificate", "The certificate for {customer} is attached.")
    conv = await store.start_conversation(
        network.customer_on, "About the PO", "When?", document_id=network.po_a
    )
    customer = await store.get_customer(network.customer_on)
    document = await store.get_document(network.po_a)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        composer = await _open_reply_box(pilot, app)
        await pilot.press(*"Hello.", "enter")
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, TemplatePicker), "the picker")
        picker = app.screen
        assert isinstance(picker, TemplatePicker)
        assert [t.name for t in picker.shown] == ["Certificate", "ETA"]
        await pilot.press(*"friday")  # searches the text too
        await wait_until(pilot, lambda: [t.name for t in picker.shown] == ["ETA"], "the search")
        await pilot.press("enter")
        wanted = (
            f"Hello.\nDear {customer.contact.name}, Purchase order {document.number} ships "
            "Friday. Jana Supplier"
        )
        await wait_until(pilot, lambda: composer.body == wanted, "the filled-in template")
        assert app.focused is composer.text_area
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: composer.body == "", "the reply sent")
        assert (await store.list_messages(conv.id)).items[-1].body == wanted


async def test_canned_reply_in_a_new_conversation_and_escape_inserts_nothing(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    await store.save_template("Thanks", "Thank you, {customer}!{document}")
    customer = await store.get_customer(network.customer_on)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_composer(pilot, app)
        await pilot.press(*"Thanks", "tab", *"Hi. ")
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, TemplatePicker), "the picker")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "back, nothing chosen")
        assert screen.composer.body == "Hi. "
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, TemplatePicker), "the picker")
        assert "Thank you, {customer}!" in screen_text(app.screen)  # the preview
        await pilot.press("enter")
        wanted = f"Hi. Thank you, {customer.name}!"  # no document here: {document} is empty
        await wait_until(pilot, lambda: screen.composer.body == wanted, "the template")


async def test_without_canned_replies_the_key_says_how_to_add_one(
    network: Network, open_store: OpenStore
) -> None:
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "Pallets", "How many pallets?")
    toasts: list[tuple[str, str]] = []
    app = make_app(store)
    async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
        await _open_reply_box(pilot, app)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: toasts, "a toast")
        assert any("netmsg templates add" in m for _, m in toasts)
        assert not isinstance(app.screen, TemplatePicker)


async def test_help_lists_the_keys_with_their_ids_and_the_keymap_moves_them(
    network: Network, open_store: OpenStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", replacing_editor(tmp_path, "From the remapped key"))
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "Pallets", "How many pallets?")
    app = make_app(store, keymap={"edit-in-editor": "f9"})
    async with app.run_test(size=SIZE) as pilot:
        composer = await _open_reply_box(pilot, app)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = {row[2]: row for row in help_screen.rows}
        assert rows["edit-in-editor"][:2] == ("f9", "Editor")
        assert rows["insert-template"][:2] == ("^t", "Template")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), "help closed")
        await pilot.press("f9")
        await wait_until(pilot, lambda: composer.body == "From the remapped key", "f9 edits")
