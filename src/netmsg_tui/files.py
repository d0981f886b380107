"""Reading a file the user wants to attach, safely, and saving a received one.

Shared by the CLI, the TUI's chooser and the mail gateway, so every path refuses the same things
with the same words: missing files, folders, FIFOs/sockets/devices (never opened: opening a FIFO
would block), unreadable files, empty files and files over the 10 MiB limit. The size is checked
before reading and again on the bytes read (a file can grow between the two).
"""

from __future__ import annotations

import errno
import mimetypes
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .i18n import N_, _
from .model import MAX_ATTACHMENT_BYTES, NewAttachment, attachment_size_problem, safe_filename


class AttachmentFileError(Exception):
    """The file cannot be attached; ``str(err)`` names the file and the reason."""


_MAGIC = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
]


def detect_media_type(filename: str, head: bytes = b"") -> str:
    """The media type from the file's first bytes, else from its name."""
    for magic, media in _MAGIC:
        if head.startswith(magic):
            guessed = mimetypes.guess_type(filename)[0]
            # Office files are zip containers: keep the more precise type from the name.
            if media == "application/zip" and guessed and guessed != media:
                return guessed
            return media
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def display_name(path: Path) -> str:
    """The file's name as text, even when it is not valid UTF-8 (shown with replacement marks)."""
    return os.fsdecode(path.name).encode("utf-8", "replace").decode("utf-8")


def path_text(path: Path) -> str:
    """A path as editable text; names that are not UTF-8 get replacement marks (the terminal
    cannot print them; such files are reached through the list instead)."""
    return os.fsdecode(path).encode("utf-8", "replace").decode("utf-8")


def shown_path(path: Path) -> str:
    """:func:`path_text`, the home folder written ``~`` as a shell does (``~/shipping-docs``):
    shorter, and no user name on screen or in a screenshot. Only for the eye: typed back,
    :func:`~.tui.widgets.attach_path_input.expand_path` reads it as the same absolute path.
    Every path in this module's messages is shown so."""
    text = path_text(path)
    try:
        home = Path.home()
    except RuntimeError:  # no HOME and no user entry: nothing to shorten
        return text
    if home == home.parent or not path.is_absolute() or not path.is_relative_to(home):
        return text  # HOME=/ would put ~ before every path
    inside = path.relative_to(home)
    return "~" if inside == Path() else "~/" + path_text(inside)


def file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be attached, without opening it; None if it looks attachable."""
    name = display_name(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return _("{name} is a broken link: the file it points to does not exist").format(
                name=name
            )
        return _("{name} does not exist").format(name=name)
    except PermissionError:
        return _unreadable(name, _("permission denied"))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _("{name} is a symbolic link loop").format(name=name)
        return _unreadable(name, exc.strerror or exc)
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        return _("{name} is a folder, not a file").format(name=name)
    if stat.S_ISFIFO(mode):
        return _("{name} is a named pipe (FIFO), not a regular file").format(name=name)
    if stat.S_ISSOCK(mode):
        return _("{name} is a socket, not a regular file").format(name=name)
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("{name} is a device, not a regular file").format(name=name)
    if not stat.S_ISREG(mode):
        return _("{name} is not a regular file").format(name=name)
    if problem := attachment_size_problem(name, info.st_size):
        return problem
    if not os.access(path, os.R_OK):
        return _unreadable(name, _("permission denied"))
    return None


def _unreadable(name: str, reason: object) -> str:
    return _("{name} cannot be read: {reason}").format(name=name, reason=reason)


def _missing_or_not_folder(name: str, exists: bool) -> str:
    if exists:
        return _("{name} is not a folder").format(name=name)
    return _("{name} does not exist").format(name=name)


@dataclass(frozen=True, slots=True)
class FolderEntry:
    """One row of a folder listing, as the attachment chooser shows it."""

    path: Path
    name: str  # printable (valid UTF-8) form of the name
    is_dir: bool
    size: int | None  # bytes; None for folders and for files that cannot be stat'ed
    problem: str | None  # why it cannot be attached (file) or opened (folder); None if fine
    tag: str = ""  # the problem in a word or two for the listing: "too large", "pipe", … (shown)


def folder_problem(path: Path) -> str | None:
    """Why the folder cannot be listed, without listing it; None if it looks usable."""
    name = display_name(path) or shown_path(path)  # "/" has no name
    if not path.is_dir():
        return _missing_or_not_folder(name, path.exists())
    if not os.access(path, os.R_OK | os.X_OK):
        return _("{name} cannot be opened: {reason}").format(
            name=name, reason=_("permission denied")
        )
    return None


def list_folder(folder: Path, *, show_hidden: bool = False) -> list[FolderEntry]:
    """The folder's entries: folders first, then files, each sorted by name (case-insensitive).

    Blocking (one stat per entry): call it from a thread. Nothing is opened, so FIFOs and
    devices are safe. Raises AttachmentFileError when the folder itself cannot be listed.
    """
    entries: list[FolderEntry] = []
    try:
        with os.scandir(folder) as items:
            for item in items:
                if show_hidden or not item.name.startswith("."):
                    entries.append(_folder_entry(item))
    except OSError as exc:
        name = display_name(folder) or shown_path(folder)
        reason = _("permission denied") if isinstance(exc, PermissionError) else exc.strerror
        text = _("{name} cannot be opened: {reason}")
        raise AttachmentFileError(text.format(name=name, reason=reason or exc)) from None
    entries.sort(key=lambda e: (not e.is_dir, e.name.casefold(), e.name))
    return entries


def _folder_entry(item: os.DirEntry[str]) -> FolderEntry:
    path = Path(item.path)
    name = display_name(path)
    try:
        is_dir = item.is_dir()  # follows symlinks, like opening the entry would
    except OSError:
        is_dir = False  # a symlink loop: file_problem below names it
    if is_dir:
        problem = folder_problem(path)
        return FolderEntry(path, name, True, None, problem, _("no access") if problem else "")
    problem = file_problem(path)
    size: int | None = None
    try:
        info = item.stat()
    except OSError as exc:
        tag = {errno.ELOOP: N_("link loop"), errno.ENOENT: N_("broken link")}.get(
            exc.errno or 0, ""
        )
    else:
        mode = info.st_mode
        size = info.st_size if stat.S_ISREG(mode) else None
        tag = (
            N_("pipe")
            if stat.S_ISFIFO(mode)
            else N_("socket")
            if stat.S_ISSOCK(mode)
            else N_("device")
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else N_("too large")
            if info.st_size > MAX_ATTACHMENT_BYTES
            else N_("empty")
            if info.st_size == 0
            else ""
        )
    if problem is None:
        tag = ""
    elif not tag:
        tag = N_("unreadable")
    return FolderEntry(path, name, False, size, problem, _(tag) if tag else "")


def read_attachment(path: str | Path) -> NewAttachment:
    """Read a file to attach. Raises AttachmentFileError with a reason a person understands."""
    path = Path(path)
    if problem := file_problem(path):
        raise AttachmentFileError(problem)
    name = display_name(path)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since the check, open does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise AttachmentFileError(_unreadable(name, exc.strerror or exc)) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise AttachmentFileError(_("{name} is not a regular file").format(name=name))
        try:
            data = handle.read(MAX_ATTACHMENT_BYTES + 1)
        except OSError as exc:
            raise AttachmentFileError(_unreadable(name, exc.strerror or exc)) from None
    size = len(data) if len(data) <= MAX_ATTACHMENT_BYTES else path.stat().st_size
    if problem := attachment_size_problem(name, size):
        raise AttachmentFileError(problem)
    return NewAttachment(name, data, detect_media_type(name, data[:16]))


def save_attachment(data: bytes, filename: str, folder: Path, *, overwrite: bool = False) -> Path:
    """Write ``data`` inside ``folder`` under a sanitised name; never outside it.

    Raises FileExistsError when the target exists and ``overwrite`` is false (the caller asks),
    AttachmentFileError when the folder is missing or not writable.
    """
    if not folder.is_dir():
        raise AttachmentFileError(_missing_or_not_folder(shown_path(folder), folder.exists()))
    target = folder / safe_filename(filename)
    if target.resolve().parent != folder.resolve():
        raise AttachmentFileError(
            _("refusing to write outside {folder}").format(folder=shown_path(folder))
        )
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    try:
        # O_NOFOLLOW: a symlink planted under the target name is not followed out of the folder.
        fd = os.open(target, flags | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        raise
    except OSError as exc:
        raise AttachmentFileError(_cannot_write(target, exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        # Disk full or similar: a truncated file must not look like a saved attachment.
        target.unlink(missing_ok=True)
        raise AttachmentFileError(_cannot_write(target, exc)) from None
    return target


def _cannot_write(target: Path, exc: OSError) -> str:
    return _("Cannot write {path}: {reason}").format(
        path=shown_path(target), reason=exc.strerror or exc
    )
