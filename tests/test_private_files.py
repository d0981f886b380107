"""What holds message text is created readable by its owner only, whatever the umask: a new
SQLite store (and its WAL), the offline send queue and its folder, rejected mail and its folder."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netmsg_tui.mail.inbound import keep_rejected
from netmsg_tui.model import NewAttachment
from netmsg_tui.store.base import StoreError
from netmsg_tui.store.remote.send_queue import SendQueue
from netmsg_tui.store.sqlite import SQLiteStore, admin


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual default: new files 0644, folders 0755
    yield
    os.umask(old)


async def test_a_new_store_and_its_wal_are_0600(tmp_path: Path) -> None:
    conn = admin.connect(tmp_path / "network.db")
    conn.close()
    assert mode(tmp_path / "network.db") == 0o600
    store = SQLiteStore(tmp_path / "own.db")
    try:
        with contextlib.suppress(StoreError):  # no user in an empty store: the file matters
            await store.whoami()
    finally:
        await store.close()
    created = [p for p in tmp_path.iterdir() if p.name.startswith("own.db")]
    assert created and all(mode(p) == 0o600 for p in created), [(p, oct(mode(p))) for p in created]


def test_the_offline_send_queue_is_0600_in_a_0700_folder(tmp_path: Path) -> None:
    queue = SendQueue(tmp_path / "data" / "outbox.db")
    queue.add("k1", "reply", "secret text", [NewAttachment("a.txt", b"x")], origin="app",
              conversation_id=1)  # fmt: skip
    assert mode(tmp_path / "data") == 0o700
    assert mode(tmp_path / "data" / "outbox.db") == 0o600
    queue.close()


def test_rejected_mail_is_0600_in_a_0700_folder(tmp_path: Path) -> None:
    path = keep_rejected(
        b"Subject: x\r\n\r\nbody", tmp_path / "rejected", "no token", datetime.now(UTC)
    )
    assert mode(tmp_path / "rejected") == 0o700
    assert mode(path) == 0o600
