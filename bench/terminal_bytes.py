"""Bytes to the terminal: what the app writes for each thing a person does (felt over ssh).

The app runs in a real terminal: a tmux window of 80×24 whose output is copied to a file by
``tmux pipe-pane``; keys go in with ``tmux send-keys``. After each key the bytes are counted
until the output has been quiet for ``--quiet`` seconds. Measured: 10 s idle on the Messages
tab, ↓ in the conversation list (each press is classed by the screen's text, read with
``capture-pane`` without styles: unchanged text means only the highlight moved, changed text
means the list scrolled), opening a thread (Enter), `r` (the reply box takes the focus), then
characters typed in the reply box and 5 s idle after them (the draft is kept meanwhile).

    python bench/terminal_bytes.py               # the demo store
    python bench/terminal_bytes.py --store X.db  # another store
    python bench/terminal_bytes.py --json X.json # rows for run.py

Needs tmux (``apt-get install -y tmux``). Goals (issue 15): idle 0 bytes; a ↓ that does not
scroll ≤ 1 KB; one typed character ≤ 300 bytes. The first character after ``r`` is shown apart:
it used to carry the box's focus repaint (border and all), which Textual left for the next key.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import machine, print_table, row, write_json

SECTION = "terminal bytes"
SIZE = (80, 24)
IDLE_S = 10.0
GOAL_IDLE = 0
GOAL_STEP = 1024  # a ↓ that does not scroll
GOAL_CHAR = 300  # one character typed in the reply box
NOTICE_S = 6.0  # Textual's toasts stay 5 s


#: A tmux server of our own: other programs' sessions (and their environment) stay apart.
SOCKET = f"netmsg-bytes-{os.getpid()}"


def tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], check=True, capture_output=True, text=True
    ).stdout


class Terminal:
    """One tmux window running a command, its output counted in a file."""

    def __init__(self, command: list[str], env: list[str], log: Path, quiet: float) -> None:
        self.session = "bench"
        self.log = log
        self.quiet_s = quiet
        log.write_bytes(b"")
        tmux(
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            str(SIZE[0]),
            "-y",
            str(SIZE[1]),
            # The pipe is attached before the program starts: `read` waits for a line.
            "read _; exec env " + " ".join(shlex.quote(p) for p in [*env, *command]),
        )
        tmux("set-option", "-t", self.session, "status", "off")
        tmux("pipe-pane", "-o", "-t", self.session, f"cat >> {shlex.quote(str(log))}")
        # Options set on a running session may not reach the already sized window: set it again.
        tmux("resize-window", "-t", self.session, "-x", str(SIZE[0]), "-y", str(SIZE[1]))
        tmux("send-keys", "-t", self.session, "Enter")

    def size(self) -> int:
        return self.log.stat().st_size

    def screen(self) -> str:
        return tmux("capture-pane", "-p", "-t", self.session)

    def until_shown(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} not on the terminal after {timeout:.0f} s")
            time.sleep(0.02)

    def quiet(self, timeout: float = 20) -> int:
        """Wait until no byte came for ``quiet_s`` seconds; the bytes written so far."""
        deadline = time.monotonic() + timeout
        last, since = self.size(), time.monotonic()
        while time.monotonic() - since < self.quiet_s:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the app kept writing for {timeout:.0f} s")
            time.sleep(0.01)
            now = self.size()
            if now != last:
                last, since = now, time.monotonic()
        return last

    def press(self, *keys: str, first_byte_s: float = 2.0) -> int:
        """Send ``keys``; the bytes the app wrote for them."""
        before = self.quiet()
        tmux("send-keys", "-t", self.session, *keys)
        deadline = time.monotonic() + first_byte_s
        while self.size() == before and time.monotonic() < deadline:
            time.sleep(0.005)
        return self.quiet() - before

    def idle(self, seconds: float) -> int:
        before = self.quiet()
        time.sleep(seconds)
        return self.size() - before

    def close(self) -> None:
        quit = ["tmux", "-L", SOCKET]
        subprocess.run([*quit, "send-keys", "-t", self.session, "C-q"], capture_output=True)
        for _ in range(200):
            done = subprocess.run([*quit, "has-session", "-t", self.session], capture_output=True)
            if done.returncode != 0:
                break
            time.sleep(0.01)
        subprocess.run([*quit, "kill-server"], capture_output=True)


def first_row_name(path: Path) -> str:
    from startup import first_row_name as name

    return name(path)


def measure(store: Path, downs: int, quiet: float) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="netmsg-bytes-"))
    env = ["-u", "NO_COLOR", f"NETMSG_CONFIG={work / 'no-config.toml'}", "TERM=xterm-256color"]
    command = [sys.executable, "-m", "netmsg_tui", "--store", str(store)]
    term = Terminal(command, env, work / "out.bin", quiet)
    found: dict[str, Any] = {}
    try:
        term.until_shown(first_row_name(store))
        found["start-up"] = term.quiet()
        found["idle"] = term.idle(IDLE_S)
        steps: list[int] = []
        scrolls: list[int] = []
        for _ in range(downs):
            before = term.screen()
            n = term.press("Down")
            (steps if term.screen() == before else scrolls).append(n)
        found["down"], found["down_scroll"] = steps, scrolls
        # Back to the top, then open threads until one has a reply box.
        term.press("Home")
        for _ in range(10):
            found["open"] = term.press("Enter")
            found["focus_reply"] = term.press("r")
            if "Reply to" in term.screen():
                break
            term.press("Escape")
            term.press("Down")
        else:
            raise RuntimeError("no thread with a reply box among the first ten")
        # Threads passed on the way that hold a demo draft said "Draft kept" on Escape: their
        # toasts go after NOTICE_S, repainting the screen, which is no typed character's cost.
        term.idle(NOTICE_S)
        chars = [term.press(c) for c in "hello"]
        found["char"] = chars
        found["reply_idle"] = term.idle(IDLE_S / 2)
    finally:
        term.close()
        shutil.rmtree(work, ignore_errors=True)
    return found


def rows_of(found: dict[str, Any]) -> list[dict[str, Any]]:
    def kb(n: float) -> str:
        return f"{n:,.0f} B" if n < 1024 else f"{n / 1024:.1f} KB"

    rows = [
        row(SECTION, "start-up, first screen", found["start-up"], kb(found["start-up"])),
        row(
            SECTION,
            f"idle {IDLE_S:.0f} s on the Messages tab",
            found["idle"],
            kb(found["idle"]),
            goal=GOAL_IDLE,
            goal_text="0 B",
        ),
    ]
    steps, scrolls = found["down"], found["down_scroll"]
    if steps:
        worst = max(steps)
        rows.append(
            row(
                SECTION,
                "↓ in the list (no scroll), worst",
                worst,
                f"{kb(worst)} worst, {kb(statistics.median(steps))} median of {len(steps)}",
                goal=GOAL_STEP,
                goal_text="≤ 1 KB",
                detail={"bytes": steps},
            )
        )
    if scrolls:
        rows.append(
            row(
                SECTION,
                "↓ that scrolls the list",
                statistics.median(scrolls),
                f"{kb(statistics.median(scrolls))} median of {len(scrolls)}, "
                f"{kb(max(scrolls))} worst",
                detail={"bytes": scrolls},
            )
        )
    rows.append(row(SECTION, "open a thread (Enter)", found["open"], kb(found["open"])))
    rows.append(
        row(
            SECTION,
            "r: the reply box takes the focus",
            found["focus_reply"],
            kb(found["focus_reply"]),
        )
    )
    first, chars = found["char"][0], found["char"][1:]
    rows.append(
        row(
            SECTION,
            "first character typed after r (reply)",
            first,
            kb(first),
            detail={"bytes": first},
        )
    )
    worst = max(chars)
    rows.append(
        row(
            SECTION,
            "each further character typed, worst",
            worst,
            f"{kb(worst)} worst, {kb(statistics.median(chars))} median of {len(chars)}",
            goal=GOAL_CHAR,
            goal_text="≤ 300 B",
            detail={"bytes": chars},
        )
    )
    rows.append(
        row(
            SECTION,
            f"reply box idle {IDLE_S / 2:.0f} s after typing (draft kept)",
            found["reply_idle"],
            kb(found["reply_idle"]),
        )
    )
    return rows


def main_cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a store file (default: a fresh demo store)")
    parser.add_argument("--downs", type=int, default=24, help="↓ presses in the list")
    parser.add_argument(
        "--quiet", type=float, default=0.3, help="seconds of no output that end a count"
    )
    parser.add_argument("--json", type=Path, help="write the rows here (default bench/out/)")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("terminal_bytes.py needs tmux: apt-get install -y tmux")
    with tempfile.TemporaryDirectory(prefix="netmsg-bytes-store-") as folder:
        store = args.store
        if store is None:
            from netmsg_tui.demo import build_demo

            store = Path(folder) / "demo.db"
            build_demo(store)
        found = measure(store, args.downs, args.quiet)
    rows = rows_of(found)
    print(f"bytes written to a tmux terminal of {SIZE[0]}×{SIZE[1]}:")
    print_table(rows)
    target = write_json(SECTION.replace(" ", "_"), {"machine": machine(), "rows": rows}, args.json)
    print(f"rows written to {target}", file=sys.stderr)


if __name__ == "__main__":
    main_cli()
