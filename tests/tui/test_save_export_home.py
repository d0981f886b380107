"""The save and export dialogs show the home folder as ``~``, as the attachment chooser does
(``~/papers/``: no user name or machine's folder on screen), and ``~`` typed into them is read
as home: the file still goes where the user meant. HOME is a folder of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.write_file import ConfirmOverwrite
from netmsg_tui.tui.screens.thread import ThreadScreen
from tests.conftest import Network
from tests.tui.conftest import SIZE, OpenStore, make_app, toasts_into, type_into
from tests.waiting import wait_until

from .test_attach_flow import open_save_dialog, received, start
from .test_export_thread import _open_dialog, _thread


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME for this test, with the app started in its ``inbox`` folder."""
    folder = tmp_path / "home"
    (folder / "inbox").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.chdir(folder / "inbox")
    return folder


async def retype_folder(pilot: Pilot[object], field: Input, folder: str) -> None:
    """A dialog's folder field, which starts at the working folder (~/inbox/, home shown as
    ~), given ``folder`` instead, and Enter."""
    assert field.value == "~/inbox/"
    field.focus()
    field.value = ""
    await type_into(pilot, field, folder)
    await pilot.press("enter")


async def test_the_save_dialog_shows_home_as_tilde_and_saves_where_tilde_is(
    network: Network, open_store: OpenStore, home: Path
) -> None:
    store: SQLiteStore = open_store(network.user_a)
    conv_id = await received(network, store, "cert.pdf", b"%PDF-1.4 cert")
    papers = home / "papers"
    papers.mkdir()
    toasts: list[tuple[str, str]] = []
    app = NetmsgApp(store, poll_interval=0.05)
    async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
        await start(pilot)
        dialog = await open_save_dialog(pilot, conv_id)
        await retype_folder(pilot, dialog.query_one("#save-folder", Input), "~/papers/")
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "saved")
        await wait_until(
            pilot,
            lambda: ("Attachment saved", "Saved ~/papers/cert.pdf") in toasts,
            "where it was saved, with ~",
        )
        assert (papers / "cert.pdf").read_bytes() == b"%PDF-1.4 cert"

        # Again: the dialog starts where the last save went, and asks before replacing.
        dialog = await open_save_dialog(pilot, conv_id)
        assert dialog.query_one("#save-folder", Input).value == "~/papers/"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmOverwrite), "the question")
        question = app.screen
        await wait_until(pilot, lambda: question.query("#overwrite-question"), "its text")
        asked = str(question.query_one("#overwrite-question", Static).render())
        assert asked == "cert.pdf already exists in ~/papers.\nReplace it?"
        await pilot.press("escape")  # keep the existing file
        await wait_until(pilot, lambda: app.screen is dialog, "back in the dialog")
        status = str(dialog.query_one("#save-status", Static).render())
        assert status == "Not saved: kept the existing ~/papers/cert.pdf"
    assert str(home) not in "\n".join(message for _, message in toasts)


async def test_the_export_dialog_shows_home_as_tilde_and_writes_where_tilde_is(
    network: Network, open_store: OpenStore, home: Path
) -> None:
    conv_id = await _thread(network, open_store)
    exports = home / "exports"
    exports.mkdir()
    toasts: list[tuple[str, str]] = []
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE, message_hook=toasts_into(toasts)) as pilot:
        dialog = await _open_dialog(pilot, app)
        await retype_folder(pilot, dialog.query_one("#export-folder", Input), "~/exports/")
        await wait_until(pilot, lambda: isinstance(app.screen, ThreadScreen), "exported")
        said = ("Thread exported", f"Exported to ~/exports/thread-{conv_id}.md")
        await wait_until(pilot, lambda: said in toasts, "where it was written, with ~")
    assert (exports / f"thread-{conv_id}.md").read_text().startswith("# Certificate\n")


async def test_a_save_that_fails_names_the_folder_with_tilde(
    network: Network, open_store: OpenStore, home: Path
) -> None:
    store: SQLiteStore = open_store(network.user_a)
    conv_id = await received(network, store, "cert.pdf", b"%PDF-1.4 cert")
    app = NetmsgApp(store, poll_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        dialog = await open_save_dialog(pilot, conv_id)
        field = dialog.query_one("#save-folder", Input)
        field.focus()
        field.value = ""
        await type_into(pilot, field, "~/missing/")
        await pilot.press("enter")
        status = dialog.query_one("#save-status", Static)
        await wait_until(pilot, lambda: "does not exist" in str(status.render()), "the refusal")
        assert str(status.render()) == "Not saved: ~/missing does not exist"
        assert app.screen is dialog  # still open: the user can type another folder
