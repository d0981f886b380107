"""Files and folders only their owner can read: stores, the offline send queue and rejected mail
hold message text and attachments, so they are made 0600 (folders 0700) from the first byte,
not chmod-ed afterwards (a umask of 022 would leave them readable by everyone meanwhile)."""

from __future__ import annotations

import os
from pathlib import Path


def private_folder(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700; an existing folder is left as it is."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def private_file(path: str | os.PathLike[str]) -> None:
    """Create ``path`` empty as 0600 unless it exists. Called before SQLite opens a new
    database, which then gives its -wal and -shm files the same mode."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except (FileExistsError, IsADirectoryError):
        return
    os.close(fd)


def write_private(path: Path, data: bytes) -> None:
    """Write a new file as 0600 (refuses to overwrite)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
