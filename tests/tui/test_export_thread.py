"""The thread screen's `e`: the thread written to a file in a folder the user confirms, in the
format chosen, with the path reported; driven by keys at 80×24."""

from __future__ import annotations

import email.policy
import hashlib
import mailbox
import os
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, RadioSet

from netmsg_tui.model import NewAttachment
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.export_thread import ExportThreadDialog
from netmsg_tui.tui.dialogs.write_file import ConfirmOverwrite
from netmsg_tui.tui.screens.thread import ThreadScreen
from tests.conftest import Network
from tests.tui.conftest import (
    SIZE,
    OpenStore,
    enter_first_thread,
    make_app,
    toasts_into,
    type_into,
)
from tests.waiting import wait_until

PDF = b"%PDF-1.4 " + bytes(range(256)) * 40


async def _thread(network: Network, open_store: OpenStore) -> int:
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Certificate", "Please send it.")
    await network.customer_reply(
        conv.id,
        "Here it is.\n\x1b[2J\u202eevil",
        [NewAttachment("cert.pdf", PDF, "application/pdf")],
    )
    return conv.id


async def _open_dialog(pilot: Pilot[int], app: NetmsgApp) -> ExportThreadDialog:
    thread = await enter_first_thread(pilot)
    await wait_until(pilot, lambda: thread.conversation is not None, "the thread read")
    await pilot.press("e")
    await wait_until(pilot, lambda: isinstance(app.screen, ExportThreadDialog), "the dialog")
    dialog = app.screen
    assert isinstance(dialog, ExportThreadDialog)
    return dialog


async def _into(pilot: Pilot[int], dialog: ExportThreadDialog, folder: Path) -> None:
    field = dialog.query_one("#export-folder", Input)
    field.focus()
    field.value = ""
    await type_into(pilot, field, os.path.relpath(folder))
    await pilot.press("enter")


async def test_export_as_mail_by_keys(
    network: Network, open_store: OpenStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    conv_id = await _thread(network, open_store)
    out = tmp_path / "exports"
    out.mkdir()
    toasts: list[tuple[str, str]] = []
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
        dialog = await _open_dialog(pilot, app)
        await pilot.press("shift+tab")  # to the formats
        assert isinstance(app.focused, RadioSet)
        await pilot.press("down", "enter")  # the second: mail
        assert dialog.format == "eml"
        await _into(pilot, dialog, out)
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the dialog closes")
        target = out / f"thread-{conv_id}.mbox"
        await wait_until(pilot, lambda: any(str(target) in m for _, m in toasts), "the path")
    box = mailbox.mbox(target, create=False)
    try:
        mails = [
            email.message_from_bytes(box.get_bytes(k), policy=email.policy.default)
            for k in box.iterkeys()
        ]
    finally:
        box.close()  # else a ResourceWarning (unclosed file) at teardown
    assert [m["Subject"] for m in mails] == ["Certificate", "Re: Certificate"]
    body = mails[1].get_body(preferencelist=("plain",))
    assert body is not None
    assert body.get_content() == "Here it is.\n␛[2J⟨U+202E⟩evil\n"  # as the terminal shows it
    [attachment] = list(mails[1].iter_attachments())  # type: ignore[attr-defined]
    assert attachment.get_filename() == "cert.pdf"
    assert hashlib.sha256(attachment.get_content()).hexdigest() == hashlib.sha256(PDF).hexdigest()


async def test_markdown_by_default_and_an_existing_file_is_kept_unless_replaced(
    network: Network, open_store: OpenStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    conv_id = await _thread(network, open_store)
    target = tmp_path / f"thread-{conv_id}.md"
    target.write_text("mine")
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_dialog(pilot, app)
        assert dialog.format == "md"
        await _into(pilot, dialog, tmp_path)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmOverwrite), "asked")
        await pilot.press("escape")  # keep the existing file
        await wait_until(pilot, lambda: app.screen is dialog, "back in the dialog")
        await wait_until(
            pilot,
            lambda: "kept the existing" in str(dialog.query_one("#export-status").render()),
            "why nothing was written",
        )
        assert target.read_text() == "mine"
        await pilot.press("enter")  # again, and this time replace it
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmOverwrite), "asked again")
        await pilot.press("tab", "enter")  # Replace
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the dialog closes")
    text = target.read_text()
    assert text.startswith("# Certificate\n")
    assert f"- `cert.pdf` (10.0 KiB), sha256 `{hashlib.sha256(PDF).hexdigest()}`" in text
    assert "\x1b" not in text and "> ␛[2J⟨U+202E⟩evil" in text
