"""Several processes on one SQLite store: no lost or duplicated message, no half-written one."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from netmsg_tui.store.sqlite import SQLiteStore

WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from netmsg_tui.store.sqlite import SQLiteStore

    async def main(path, conv, tag, count):
        store = SQLiteStore(path)
        for i in range(count):
            await store.reply(conv, f"{tag}-{i}", idempotency_key=f"{tag}-{i}")
            if i % 50 == 0:  # a retried send must not duplicate
                await store.reply(conv, f"{tag}-{i}", idempotency_key=f"{tag}-{i}")
        await store.close()

    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])))
    """
)


async def test_two_processes_sending_concurrently_store_each_message_once(network) -> None:
    store = SQLiteStore(network.path)
    conv = await store.start_conversation(network.customer_on, "Busy thread", "start")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(network.path), str(conv.id), tag, "200"]
        )
        for tag in ("p1", "p2")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    bodies = []
    cursor = None
    while True:
        page = await store.list_messages(conv.id, cursor=cursor, limit=500)
        bodies = [m.body for m in page.items] + bodies
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    await store.close()
    expected = {"start"} | {f"{t}-{i}" for t in ("p1", "p2") for i in range(200)}
    assert len(bodies) == 401 and set(bodies) == expected
    assert (await SQLiteStore(network.path).get_conversation(conv.id)).message_count == 401


KILLED = textwrap.dedent(
    """
    import asyncio, sys
    from netmsg_tui.store.sqlite import SQLiteStore
    from netmsg_tui.model import NewAttachment

    async def main(path, conv):
        store = SQLiteStore(path)
        i = 0
        while True:  # keep writing big messages until killed
            data = bytes([i % 250]) * 4_000_000
            await store.reply(conv, f"big {i}", [NewAttachment(f"f{i}.bin", data)])
            print(i, flush=True)
            i += 1

    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
    """
)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
async def test_writer_killed_mid_send_leaves_store_consistent(network) -> None:
    store = SQLiteStore(network.path)
    conv = await store.start_conversation(network.customer_on, "Crash", "before")
    await store.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(network.path), str(conv.id)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for _ in range(3):  # let it finish a few messages, then kill it during the next one
        proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()  # else a ResourceWarning (unclosed file) at teardown

    conn = sqlite3.connect(network.path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = conn.execute(
        "SELECT COUNT(*) FROM messages WHERE conversation_id = ?", (conv.id,)
    ).fetchone()[0]
    counted = conn.execute(
        "SELECT message_count FROM conversations WHERE id = ?", (conv.id,)
    ).fetchone()[0]
    orphans = conn.execute(
        "SELECT COUNT(*) FROM attachments a LEFT JOIN blobs b ON b.sha256 = a.sha256 "
        "WHERE b.sha256 IS NULL"
    ).fetchone()[0]
    every_big_has_its_file = conn.execute(
        "SELECT COUNT(*) FROM messages m WHERE m.body LIKE 'big %' AND NOT EXISTS "
        "(SELECT 1 FROM attachments a WHERE a.message_id = m.id)"
    ).fetchone()[0]
    conn.close()
    assert stored >= 4 and stored == counted
    assert orphans == 0 and every_big_has_its_file == 0
    # The store still works after the crash.
    store = SQLiteStore(network.path)
    await store.reply(conv.id, "after")
    assert (await store.get_conversation(conv.id)).message_count == stored + 1
    await store.close()
