"""A 10 MiB attachment (exactly the limit) sent through each adapter, and the server's peak RSS.

    python bench/attachments.py                  # 5 sends per adapter
    python bench/attachments.py --json X.json    # rows for run.py

The SQLite adapter runs in this process. The remote adapter talks to a real ``netmsg serve``
process on 127.0.0.1 (ephemeral port) over a copy of the same demo store; its peak RSS
(``VmHWM`` in /proc/PID/status) is read after start-up and again after the sends, with the peak
reset in between where the kernel allows it, so the second figure belongs to the sends alone.
Each send is read back once and compared by sha256: a fast send that lost bytes counts for
nothing. Goal: the HTTP path moves at least 30% of the in-process adapter's throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import ms_since, proc_status_kib, reset_peak_rss, row, summary, write_json
from netmsg_tui.demo import build_demo
from netmsg_tui.model import MAX_ATTACHMENT_BYTES, NewAttachment
from netmsg_tui.store import MessageStore
from netmsg_tui.store.sqlite import SQLiteStore, admin

SECTION = "attachments"
HTTP_FLOOR = 0.30  # the HTTP path: at least 30% of the in-process adapter's throughput
MIB = 1024 * 1024


async def writable_thread(store: MessageStore) -> int:
    """A thread whose customer accepts messages."""
    page = await store.list_conversations(limit=50)
    for conv in page.items:
        if (await store.get_customer(conv.customer_id)).messaging_enabled:
            return conv.id
    raise RuntimeError("the demo store has no thread with a customer who accepts messages")


async def send_many(store: MessageStore, sends: int) -> dict[str, Any]:
    """Time ``sends`` replies, each with its own 10 MiB of random bytes (the store keeps bytes
    content-addressed: the same file twice would be written once); read the last one back."""
    conversation = await writable_thread(store)
    await store.reply(conversation, "warm-up", [NewAttachment("warm.bin", b"x" * 1024)])
    samples = []
    message, data = None, b""
    for i in range(sends):
        data = os.urandom(MAX_ATTACHMENT_BYTES)  # random: nothing on the way can compress it
        start = time.perf_counter()
        message = await store.reply(conversation, f"bench {i}", [NewAttachment("big.bin", data)])
        samples.append(ms_since(start))
    assert message is not None and data
    start = time.perf_counter()
    back = await store.read_attachment(message.attachments[0].id)
    read_ms = ms_since(start)
    if hashlib.sha256(back).digest() != hashlib.sha256(data).digest():
        raise RuntimeError(f"{type(store).__name__}: the attachment read back differs")
    stats = summary(samples)
    stats["read_back_ms"] = read_ms
    stats["mib_per_s"] = MAX_ATTACHMENT_BYTES / MIB / (stats["p50_ms"] / 1000)
    return stats


class ServerProcess:
    """``netmsg serve`` on 127.0.0.1, port picked by the OS; stopped on exit."""

    def __init__(self, store_path: Path) -> None:
        self.store_path = store_path
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> ServerProcess:
        command = [sys.executable, "-m", "netmsg_tui", "serve", "--store", str(self.store_path)]
        command += ["--port", "0", "--rate", "0", "--log-level", "warning"]
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # "netmsg server on http://127.0.0.1:PORT (store …)"
        found = re.search(r"(http://\S+)", line)
        if found is None:
            self.proc.kill()
            raise RuntimeError(f"the server did not start: {line!r}")
        self.url = found.group(1)
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


async def measure(sends: int = 5) -> list[dict[str, Any]]:
    size = f"{MAX_ATTACHMENT_BYTES / MIB:.0f} MiB"
    with tempfile.TemporaryDirectory(prefix="netmsg-bench-") as folder:
        local_path, served_path = Path(folder) / "local.db", Path(folder) / "served.db"
        build_demo(local_path)
        build_demo(served_path)

        local = SQLiteStore(local_path)
        in_process = await send_many(local, sends)
        user_id = (await local.whoami()).user.id
        await local.close()

        from netmsg_tui.store.remote import RemoteStore
        from netmsg_tui.store.sqlite.admin import issue_token

        conn = admin.connect(served_path)
        _, token = issue_token(conn, "supplier", user_id=user_id, label="bench")
        conn.close()
        with ServerProcess(served_path) as server:
            remote = RemoteStore(server.url, token, outbox_path=Path(folder) / "outbox.db")
            await remote.whoami()  # connected and authorised before the clock starts
            started_kib = proc_status_kib(server.pid, "VmHWM")
            window = reset_peak_rss(server.pid)
            over_http = await send_many(remote, sends)
            peak_kib = proc_status_kib(server.pid, "VmHWM")
            await remote.close()

    ratio = over_http["mib_per_s"] / in_process["mib_per_s"]
    peak_what = "during the sends" if window else "since start (peak reset not allowed)"
    return [
        row(SECTION, f"{size} send, SQLite in-process", in_process["p50_ms"],
            _result(in_process), detail=in_process),
        row(SECTION, f"{size} send, HTTP to a server process", over_http["p50_ms"],
            _result(over_http), detail=over_http),
        row(SECTION, "HTTP / in-process throughput, 10 MiB sends", ratio,
            f"{ratio:.0%} ({over_http['mib_per_s']:.0f} vs {in_process['mib_per_s']:.0f} MiB/s)",
            goal=HTTP_FLOOR, goal_text=f"≥ {HTTP_FLOOR:.0%}", higher_is_better=True),
        row(SECTION, f"server peak RSS {peak_what}", peak_kib / 1024,
            f"{peak_kib / 1024:.0f} MiB (after start-up {started_kib / 1024:.0f} MiB; "
            f"{peak_kib * 1024 / MAX_ATTACHMENT_BYTES:.1f}× the file)",
            detail={"peak_kib": peak_kib, "after_start_kib": started_kib, "reset": window}),
    ]  # fmt: skip


def _result(stats: dict[str, Any]) -> str:
    return (
        f"p50 {stats['p50_ms']:.0f} ms ({stats['mib_per_s']:.0f} MiB/s), "
        f"max {stats['max_ms']:.0f} ms, read back {stats['read_back_ms']:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sends", type=int, default=5, help="sends per adapter")
    parser.add_argument("--json", type=Path, help="write the rows here (default bench/out/)")
    args = parser.parse_args()
    results = asyncio.run(measure(args.sends))
    for r in results:
        print(f"{r['name']:<50} {r['result']:<60} {r['verdict']}")
    write_json("attachments", {"rows": results}, args.json)


if __name__ == "__main__":
    main()
