"""files.py: reading files to attach, listing folders for the chooser, saving received files;
and ``netmsg save-attachment`` end to end (a real process on a real store file)."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from netmsg_tui.files import (
    AttachmentFileError,
    detect_media_type,
    file_problem,
    list_folder,
    read_attachment,
    save_attachment,
)
from netmsg_tui.model import MAX_ATTACHMENT_BYTES, NewAttachment
from netmsg_tui.store.sqlite import SQLiteStore


def sized(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


# -- reading ---------------------------------------------------------------------------------------
def test_read_exact_limit_and_refuse_one_byte_more(tmp_path: Path) -> None:
    exact = read_attachment(sized(tmp_path / "exact.bin", MAX_ATTACHMENT_BYTES))
    assert len(exact.data) == MAX_ATTACHMENT_BYTES
    with pytest.raises(AttachmentFileError) as caught:
        read_attachment(sized(tmp_path / "over.bin", MAX_ATTACHMENT_BYTES + 1))
    assert "over.bin" in str(caught.value) and "10,485,761 bytes" in str(caught.value)


def test_a_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")  # opening it for reading would block: the timeout would fire
    with pytest.raises(AttachmentFileError, match="named pipe"):
        read_attachment(tmp_path / "pipe")


def test_a_device_and_a_socket_are_refused(tmp_path: Path) -> None:
    assert file_problem(Path("/dev/null")) == "null is a device, not a regular file"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "agent.sock"))
        assert file_problem(tmp_path / "agent.sock") == "agent.sock is a socket, not a regular file"
        [entry] = list_folder(tmp_path)
        assert entry.tag == "socket"
        with pytest.raises(AttachmentFileError, match="socket"):
            read_attachment(tmp_path / "agent.sock")


def test_empty_missing_folder_and_links(tmp_path: Path) -> None:
    (tmp_path / "empty").touch()
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    assert "empty files cannot be attached" in (file_problem(tmp_path / "empty") or "")
    assert file_problem(tmp_path / "nope") == "nope does not exist"
    assert file_problem(tmp_path) == f"{tmp_path.name} is a folder, not a file"
    assert "broken link" in (file_problem(tmp_path / "gone") or "")
    assert file_problem(tmp_path / "loop") == "loop is a symbolic link loop"


def test_media_type_from_content_then_name() -> None:
    assert detect_media_type("scan", b"%PDF-1.7") == "application/pdf"
    assert detect_media_type("x.docx", b"PK\x03\x04") == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert detect_media_type("archive", b"PK\x03\x04") == "application/zip"
    assert detect_media_type("notes.txt", b"hello") == "text/plain"
    assert detect_media_type("mystery", b"\0\1") == "application/octet-stream"


# -- listing (the chooser) -------------------------------------------------------------------------
def test_list_folder_sorts_folders_first_and_tags_refusals(tmp_path: Path) -> None:
    (tmp_path / "b-folder").mkdir()
    (tmp_path / "A-folder").mkdir()
    (tmp_path / "z.txt").write_text("z")
    sized(tmp_path / "big.iso", MAX_ATTACHMENT_BYTES + 1)
    (tmp_path / "empty").touch()
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    (tmp_path / ".hidden").write_text("h")
    entries = list_folder(tmp_path)
    assert [(e.name, e.is_dir, e.tag) for e in entries] == [
        ("A-folder", True, ""),
        ("b-folder", True, ""),
        ("big.iso", False, "too large"),
        ("empty", False, "empty"),
        ("gone", False, "broken link"),
        ("pipe", False, "pipe"),
        ("z.txt", False, ""),
    ]
    assert entries[2].size == MAX_ATTACHMENT_BYTES + 1
    assert entries[-1].problem is None and entries[-1].size == 1
    assert ".hidden" in [e.name for e in list_folder(tmp_path, show_hidden=True)]


def test_listing_a_missing_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(AttachmentFileError, match="nope cannot be opened"):
        list_folder(tmp_path / "nope")


# -- saving ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("../../.bashrc", "bashrc"),
        ("..\\..\\evil.exe", "evil.exe"),
        ("/etc/passwd", "passwd"),
        ("in\x1b[31mvoice\x07.pdf", "in_[31mvoice_.pdf"),
        ("a\nb\rc.txt", "a_b_c.txt"),
        ("..", "attachment"),
        ("", "attachment"),
    ],
)
def test_hostile_names_are_saved_inside_the_folder(
    tmp_path: Path, hostile: str, expected: str
) -> None:
    folder = tmp_path / "inbox" / "saved"
    folder.mkdir(parents=True)
    target = save_attachment(b"data", hostile, folder)
    assert target == folder / expected
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [target]


def test_never_overwrites_unless_asked(tmp_path: Path) -> None:
    save_attachment(b"first", "note.txt", tmp_path)
    with pytest.raises(FileExistsError):
        save_attachment(b"second", "note.txt", tmp_path)
    assert (tmp_path / "note.txt").read_bytes() == b"first"
    save_attachment(b"second", "note.txt", tmp_path, overwrite=True)
    assert (tmp_path / "note.txt").read_bytes() == b"second"


def test_a_planted_symlink_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "report.pdf").symlink_to(outside)
    for overwrite in (False, True):
        with pytest.raises((AttachmentFileError, FileExistsError)):
            save_attachment(b"evil", "report.pdf", folder, overwrite=overwrite)
    assert outside.read_text() == "keep me"


def test_saving_into_a_missing_folder_or_a_file(tmp_path: Path) -> None:
    with pytest.raises(AttachmentFileError, match="nope does not exist"):
        save_attachment(b"x", "a.txt", tmp_path / "nope")
    (tmp_path / "file").write_text("f")
    with pytest.raises(AttachmentFileError, match="is not a folder"):
        save_attachment(b"x", "a.txt", tmp_path / "file")


def test_save_errors_show_the_home_folder_as_tilde(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the save and export dialogs show paths: no user name or machine's folder on screen.
    A path outside home is shown whole."""
    home = tmp_path / "home"
    inbox = home / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (home / "note").write_text("n")
    (inbox / "link.txt").symlink_to(tmp_path / "elsewhere.txt")
    monkeypatch.setenv("HOME", str(home))
    said = []
    for folder, name, overwrite in [
        (home / "nope", "a.txt", False),
        (home / "note", "a.txt", False),
        (inbox, "sub", True),  # a folder where the file would go
        (inbox, "link.txt", False),  # a link out of the folder
        (tmp_path / "nope", "a.txt", False),
    ]:
        with pytest.raises(AttachmentFileError) as caught:
            save_attachment(b"x", name, folder, overwrite=overwrite)
        said.append(str(caught.value))
    assert said[:2] == ["~/nope does not exist", "~/note is not a folder"]
    assert said[2].startswith("Cannot write ~/inbox/sub: ")
    assert said[3] == "refusing to write outside ~/inbox"
    assert said[4] == f"{tmp_path / 'nope'} does not exist"
    assert not any(str(home) in text for text in said)


# -- netmsg save-attachment ------------------------------------------------------------------------
def netmsg(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NETMSG_CONFIG": "/nonexistent/config.toml"}
    return subprocess.run(
        [sys.executable, "-m", "netmsg_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


async def received(network, name: str, data: bytes) -> int:
    """A customer's reply carrying one file; returns the attachment id."""
    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        conv = await store.start_conversation(network.customer_on, "Files", "send them please")
    finally:
        await store.close()
    message = await network.customer_reply(conv.id, "here", [NewAttachment(name, data)])
    return message.attachments[0].id


def store_args(network) -> list[str]:
    return ["--store", str(network.path)]  # the default user is user A of account A


async def test_cli_saves_a_received_attachment_byte_identical(network, tmp_path: Path) -> None:
    data = b"%PDF-1.4 " + os.urandom(200_000)
    att_id = await received(network, "delivery-note.pdf", data)
    out = tmp_path / "out"
    out.mkdir()
    result = netmsg(*store_args(network), "save-attachment", str(att_id), "--to", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out / "delivery-note.pdf")
    saved = (out / "delivery-note.pdf").read_bytes()
    assert hashlib.sha256(saved).hexdigest() == hashlib.sha256(data).hexdigest()
    shown = netmsg(*store_args(network), "show", "1", "--json")
    listed = json.loads(shown.stdout)["messages"][1]["attachments"][0]
    assert listed["sha256"] == hashlib.sha256(data).hexdigest()
    assert listed["size"] == len(data)


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("../../.bashrc", "bashrc"),
        ("rep\x1b]0;pwned\x07ort.pdf", "rep_]0;pwned_ort.pdf"),
        ("invoice\u202efdp.exe", "invoice_fdp.exe"),  # would read "invoiceexe.pdf"
        ("a\x9bb\u2066c\u200f.pdf", "a_b_c_.pdf"),  # C1 CSI, bidi isolate, RLM
    ],
)
async def test_cli_saves_a_hostile_name_safely(
    network, tmp_path: Path, hostile: str, expected: str
) -> None:
    att_id = await received(network, hostile, b"payload")
    area = tmp_path / "area"
    out = area / "a" / "b"
    out.mkdir(parents=True)
    result = netmsg(*store_args(network), "save-attachment", str(att_id), "--to", str(out))
    assert result.returncode == 0, result.stderr
    assert [p for p in area.rglob("*") if p.is_file()] == [out / expected]
    assert result.stdout.strip() == str(out / expected)
    again = netmsg(*store_args(network), "save-attachment", str(att_id), "--to", str(out))
    assert again.returncode == 1
    assert "already exists" in again.stderr and "\x1b" not in again.stderr


async def test_cli_save_attachment_errors(network, tmp_path: Path) -> None:
    att_id = await received(network, "a.txt", b"a")
    missing = netmsg(*store_args(network), "save-attachment", "999", "--to", str(tmp_path))
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    no_folder = netmsg(
        *store_args(network), "save-attachment", str(att_id), "--to", str(tmp_path / "nope")
    )
    assert no_folder.returncode == 1 and "nope does not exist" in no_folder.stderr
