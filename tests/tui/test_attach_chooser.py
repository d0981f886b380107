"""The 📎 chooser on its own, driven by keys at 80×24: what it lists, what it refuses and why.

Files are real files in tmp_path: sparse files of exactly the limit and one byte more, a FIFO,
broken and looping symlinks, a non-UTF-8 name, a folder of 10,000 entries.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from netmsg_tui.model import MAX_ATTACHMENT_BYTES
from netmsg_tui.tui.dialogs.attach import AttachmentChooser
from netmsg_tui.tui.widgets.attach_path_input import PathInput
from netmsg_tui.tui.widgets.file_list import FileList
from tests.tui.conftest import type_into

UNSET = object()


class ChooserHost(App[None]):
    """Pushes the chooser and records what it dismissed with."""

    def __init__(self, start: Path | None) -> None:
        super().__init__()
        self.start = start
        self.result: object = UNSET

    def on_mount(self) -> None:
        self.push_screen(AttachmentChooser(self.start), self._chosen)

    def _chosen(self, path: Path | None) -> None:
        self.result = path


def sized(path: Path, size: int) -> Path:
    """A (sparse) file of exactly ``size`` bytes."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def status(app: App[None]) -> str:
    return str(app.screen.query_one("#chooser-status", Static).render())


def file_list(app: App[None]) -> FileList:
    return app.screen.query_one(FileList)


async def highlight(pilot: Pilot[None], name: str) -> None:
    """Move the cursor onto the entry called ``name`` by keys."""
    files = file_list(pilot.app)
    names = [entry.name for entry in files.entries]
    target = names.index(name) + files.has_parent_row
    await pilot.press("home", *["down"] * target)
    assert files.highlighted_entry is not None
    assert files.highlighted_entry.name == name


async def test_one_byte_over_the_limit_is_refused_with_the_reason_on_screen(
    tmp_path: Path,
) -> None:
    sized(tmp_path / "scan.pdf", MAX_ATTACHMENT_BYTES + 1)
    app = ChooserHost(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await highlight(pilot, "scan.pdf")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AttachmentChooser)  # still open: nothing attached
        assert app.result is UNSET
        shown = status(app)
        assert shown.startswith("Not attached: scan.pdf")
        assert "10,485,761 bytes" in shown and "10,485,760 bytes" in shown
        # The rounded sizes would be equal ("10.0 MiB … at most 10 MiB"): exact bytes lead.
        assert "scan.pdf is 10,485,761 bytes, 1 byte over" in shown
        assert "10.0 MiB" not in shown
        assert "too large" in str(file_list(app).get_option_at_index(1).prompt)


async def test_exactly_the_limit_is_accepted(tmp_path: Path) -> None:
    exact = sized(tmp_path / "exact.bin", MAX_ATTACHMENT_BYTES)
    app = ChooserHost(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await highlight(pilot, "exact.bin")
        assert "Enter to attach" in status(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.result == exact


async def test_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    # Opening a FIFO with no writer blocks forever: the pytest timeout catches a regression.
    os.mkfifo(tmp_path / "pipe")
    app = ChooserHost(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await highlight(pilot, "pipe")
        await pilot.press("enter")
        await settle(pilot)
        assert app.result is UNSET
        assert "pipe is a named pipe (FIFO), not a regular file" in status(app)
        # The same file typed as a path is refused the same way.
        await pilot.press("slash", *"pipe", "enter")
        await settle(pilot)
        assert app.result is UNSET
        assert "named pipe" in status(app)


async def test_broken_links_loops_empty_files_and_folders_are_explained(tmp_path: Path) -> None:
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "empty.txt").touch()
    (tmp_path / "folder").mkdir()
    app = ChooserHost(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        expected = {
            "gone": "gone is a broken link",
            "loop": "loop is a symbolic link loop",
            "empty.txt": "empty.txt is empty (0 bytes); empty files cannot be attached",
        }
        for name, reason in expected.items():
            await highlight(pilot, name)
            await pilot.press("enter")
            await settle(pilot)
            assert app.result is UNSET
            assert reason in status(app), name
        # Enter on a folder opens it.
        await highlight(pilot, "folder")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.folder == tmp_path / "folder"  # type: ignore[attr-defined]
        assert status(app) == "This folder is empty"


async def test_a_file_with_a_non_utf8_name_is_listed_and_attached(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/r\xe9sum\xe9.txt"  # Latin-1 bytes: not valid UTF-8
    with open(raw, "wb") as handle:
        handle.write(b"cv")
    app = ChooserHost(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        [entry] = file_list(app).entries
        assert entry.name == "r?sum?.txt"  # printable, marks where bytes could not be decoded
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.result, Path)
        assert os.fsencode(app.result) == raw  # the real name, not the printable one


async def test_ten_thousand_entries_are_listed_and_navigable(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.mkdir()
    for i in range(10_000):
        (big / f"f{i:05d}.txt").write_bytes(b"x")
    app = ChooserHost(big)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        files = file_list(app)
        assert files.option_count == 10_001  # with the ".." row
        assert status(app) == "0 folders, 10,000 files"
        await pilot.press("end")
        assert files.highlighted_entry is not None
        assert files.highlighted_entry.name == "f09999.txt"
        await pilot.press("enter")
        await settle(pilot)
        assert app.result == big / "f09999.txt"


async def test_hidden_files_home_parent_and_escape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "docs").mkdir(parents=True)
    (home / "docs" / ".secret").write_text("s")
    (home / "docs" / "visible.txt").write_text("v")
    monkeypatch.setenv("HOME", str(home))
    app = ChooserHost(home / "docs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert [e.name for e in file_list(app).entries] == ["visible.txt"]
        await pilot.press("full_stop")
        await settle(pilot)
        assert [e.name for e in file_list(app).entries] == [".secret", "visible.txt"]
        await pilot.press("backspace")  # up to home, with "docs" under the cursor
        await settle(pilot)
        assert app.screen.folder == home  # type: ignore[attr-defined]
        assert file_list(app).highlighted_entry.name == "docs"  # type: ignore[union-attr]
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("tilde")
        await settle(pilot)
        assert app.screen.folder == home  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(pilot)
        assert app.result is None


async def test_the_home_folder_is_shown_as_a_tilde_and_the_chosen_path_is_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """~ for the home folder in the path field, as a shell writes it (no user name or
    machine's folder on screen), and typed ~ is read back; the file chosen is its absolute
    path. A folder's name is outside text: shown inert. Outside home, the path is whole."""
    home = tmp_path / "home"
    docs = home / "shipping-docs"
    docs.mkdir(parents=True)
    (docs / "note.txt").write_text("n")
    (home / "odd \x1b[2J").mkdir()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.setenv("HOME", str(home))
    app = ChooserHost(docs)
    async with app.run_test(size=(80, 24)) as pilot:
        path_input = app.screen.query_one(PathInput)
        await settle(pilot)
        assert path_input.value == "~/shipping-docs/"
        await pilot.press("tilde")
        await settle(pilot)
        assert path_input.value == "~/"
        await highlight(pilot, "odd \x1b[2J")
        await pilot.press("enter")
        await settle(pilot)
        assert path_input.value == "~/odd ␛[2J/"
        await pilot.press("slash", "ctrl+u")
        await type_into(pilot, path_input, f"{tmp_path}/elsewhere")
        await pilot.press("enter")
        await settle(pilot)
        assert path_input.value == f"{tmp_path}/elsewhere/"
        await pilot.press("slash", "ctrl+u", *"~/ship")
        await pilot.pause()
        await settle(pilot)  # the completion is looked up in a worker
        await pilot.press("tab")
        assert path_input.value == "~/shipping-docs/"
        await pilot.press("enter")
        await settle(pilot)
        await highlight(pilot, "note.txt")
        await pilot.press("enter")
        await settle(pilot)
        assert app.result == docs / "note.txt"


async def test_typed_path_with_tab_completion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # not above tmp_path: shown whole
    (tmp_path / "quarterly-report.pdf").write_bytes(b"%PDF-1.7 report")
    (tmp_path / "other.txt").write_text("o")
    app = ChooserHost(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"quar")
        path_input = app.screen.query_one(PathInput)
        await pilot.pause()
        await settle(pilot)  # the suggestion is looked up in a worker
        await pilot.press("tab")
        assert path_input.value == f"{tmp_path}/quarterly-report.pdf"
        await pilot.press("enter")
        await settle(pilot)
        assert app.result == tmp_path / "quarterly-report.pdf"


async def test_a_missing_typed_path_is_explained(tmp_path: Path) -> None:
    app = ChooserHost(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"nope.pdf", "enter")
        await settle(pilot)
        assert app.result is UNSET
        assert status(app) == "Not attached: nope.pdf does not exist"
