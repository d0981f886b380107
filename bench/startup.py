"""Start-up in a real terminal: from process start to the first usable Messages screen.

Each run starts the program (``netmsg``, the console script pip installed, as people start it) in
a fresh tmux window of 80×24 and polls ``tmux capture-pane`` until
the first conversation row is on the terminal (for the bare Textual app: its text). The same
clock, terminal and polling serve every variant, so their ratio is fair; variants run
interleaved (bare, demo, large, bare, demo, large, …) so a busy moment hurts them alike. Peak
RSS (``VmHWM``) is read from /proc when the screen is ready.

    python bench/startup.py                # demo store and a 100,000-message store, 7 runs
    python bench/startup.py --full         # the large store has 1,000,000 messages
    python bench/startup.py --json X.json  # rows for run.py
    python bench/startup.py --baseline /other/.venv/bin/python   # before/after, interleaved

Besides the wall clock, each run reads the CPU time the process used until the row showed
(user + system from /proc/PID/stat, 10 ms ticks): steadier than the wall clock when other work
shares the machine. ``--baseline`` adds the two netmsg variants run by another interpreter (an
older checkout installed in its own virtualenv), interleaved with the rest.

Needs tmux (``apt-get install -y tmux``). Goal (issue 3): at most 1.25× the bare app.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from common import machine, print_table, proc_status_kib, row, scale_store, write_json

SECTION = "startup"
GOAL_RATIO = 1.25
SIZE = (80, 24)
POLL_S = 0.002
#: A tmux server of our own, started with this script's environment: a new session of a server
#: that was already running (another program's) gets that server's environment instead, e.g.
#: PYTHONDONTWRITEBYTECODE=1, which made every run compile our modules from source.
SOCKET = f"netmsg-startup-{os.getpid()}"
#: A session that keeps that server up between runs, so no run counts a server's start.
KEEPER = "keeper"

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("bare textual app ready")
        yield Footer()

Bare().run()
"""


@dataclass
class Variant:
    name: str
    command: list[str]
    marker: str  # text on the terminal once the screen is usable


@dataclass
class Sample:
    ms: float
    peak_rss_kib: int
    cpu_ms: float  # user + system time of the process until the marker showed


def netmsg_command(python: str) -> list[str]:
    """``netmsg`` as people start it: the console script pip installed beside ``python``
    (``python -m netmsg_tui`` goes through runpy: ~4 ms more, which no user pays)."""
    script = Path(python).parent / "netmsg"
    return [str(script)] if script.exists() else [python, "-m", "netmsg_tui"]


def first_row_name(path: Path) -> str:
    """The customer of the newest conversation: the first row the app will show."""
    from netmsg_tui.store.sqlite import SQLiteStore

    async def go() -> str:
        store = SQLiteStore(path)
        try:
            page = await store.list_conversations(limit=1)
            return page.items[0].customer_name
        finally:
            await store.close()

    return asyncio.run(go())


def tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], check=True, capture_output=True, text=True
    ).stdout


def run_once(variant: Variant, session: str, env: dict[str, str], timeout: float = 60) -> Sample:
    command = " ".join(_quote(part) for part in variant.command)
    if _has_session(session):
        tmux("kill-session", "-t", session)
    start = time.perf_counter()
    for attempt in range(5):
        # Should the server exit (its last session ended), a new session started while it is
        # closing fails. Try again.
        started = subprocess.run(
            [
                "tmux",
                "-L",
                SOCKET,
                "new-session",
                "-d",
                "-s",
                session,
                "-x",
                str(SIZE[0]),
                "-y",
                str(SIZE[1]),
                f"exec {command}",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if started.returncode == 0:
            break
        if attempt == 4:
            raise RuntimeError(f"tmux new-session failed: {started.stderr.strip()}")
        time.sleep(0.1)
        if _has_session(session):
            tmux("kill-session", "-t", session)
        start = time.perf_counter()
    pid = tmux("display", "-p", "-t", session, "#{pane_pid}").strip()
    deadline = start + timeout
    while True:
        screen = subprocess.run(
            ["tmux", "-L", SOCKET, "capture-pane", "-p", "-t", session],
            capture_output=True,
            text=True,
        ).stdout
        if variant.marker in screen:
            ms = (time.perf_counter() - start) * 1000
            break
        if time.perf_counter() > deadline:
            tmux("kill-session", "-t", session)
            raise TimeoutError(f"{variant.name}: {variant.marker!r} not shown after {timeout} s")
        time.sleep(POLL_S)
    cpu_ms = proc_cpu_ms(pid)
    rss = proc_status_kib(pid, "VmHWM")
    tmux("send-keys", "-t", session, "C-q")
    for _ in range(200):  # a clean exit (terminal restored), else kill
        if not _has_session(session):
            break
        time.sleep(0.01)
    else:
        tmux("kill-session", "-t", session)
    return Sample(ms, rss, cpu_ms)


def proc_cpu_ms(pid: str) -> float:
    """User + system CPU time of the process so far (fields 14 and 15 of /proc/PID/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # after the command name, which may hold spaces
    ticks = int(fields[11]) + int(fields[12])
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def _has_session(session: str) -> bool:
    return (
        subprocess.run(
            ["tmux", "-L", SOCKET, "has-session", "-t", session], capture_output=True
        ).returncode
        == 0
    )


def _quote(part: str) -> str:
    import shlex

    return shlex.quote(part)


def main_cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="large store: 1,000,000 messages")
    parser.add_argument("--messages", type=int, default=100_000, help="large store size")
    parser.add_argument("--runs", type=int, default=7, help="runs per variant (median)")
    parser.add_argument("--json", type=Path, help="write the rows here (default bench/out/)")
    parser.add_argument(
        "--baseline", help="another Python (an older checkout's venv): its netmsg runs too"
    )
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("startup.py needs tmux: apt-get install -y tmux")
    messages = 1_000_000 if args.full else args.messages

    from netmsg_tui.demo import build_demo

    work = Path(tempfile.mkdtemp(prefix="netmsg-startup-"))
    try:
        demo = work / "demo.db"
        build_demo(demo)
        large, _built = scale_store(messages)
        bare = work / "bare_app.py"
        bare.write_text(BARE_APP)
        python = sys.executable
        variants = [
            Variant("bare Textual app", [python, str(bare)], "bare textual app ready"),
            Variant(
                "netmsg, demo store",
                [*netmsg_command(python), "--store", str(demo)],
                first_row_name(demo),
            ),
            Variant(
                f"netmsg, {messages:,} messages",
                [*netmsg_command(python), "--store", str(large)],
                first_row_name(large),
            ),
        ]
        if args.baseline:
            variants += [
                Variant(
                    f"baseline, {v.name.removeprefix('netmsg, ')}",
                    [*netmsg_command(args.baseline), *v.command[-2:]],
                    v.marker,
                )
                for v in variants[1:]
            ]
        env = {
            **os.environ,
            "NETMSG_CONFIG": str(work / "no-config.toml"),
            "TERM": "xterm-256color",
        }
        env.pop("NO_COLOR", None)
        # The warm-up run writes the .pyc files an installed package has (pip compiles them);
        # with PYTHONDONTWRITEBYTECODE set, every run compiled our ~60 modules from source
        # (~0.3 s on a loaded 2-core machine) while Textual's came compiled from its install.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        session = "run"
        subprocess.run(
            ["tmux", "-L", SOCKET, "new-session", "-d", "-s", KEEPER, "sleep 86400"],
            env=env,
            check=True,
        )
        for variant in variants:  # warm the page cache and .pyc files; not counted
            run_once(variant, session, env)
        samples: dict[str, list[Sample]] = {v.name: [] for v in variants}
        for _ in range(args.runs):
            for variant in variants:
                samples[variant.name].append(run_once(variant, session, env))
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)

    bare_ms = statistics.median(s.ms for s in samples[variants[0].name])
    bare_cpu = statistics.median(s.cpu_ms for s in samples[variants[0].name])
    rows = []
    for variant in variants:
        taken = samples[variant.name]
        median = statistics.median(s.ms for s in taken)
        rss_mib = max(s.peak_rss_kib for s in taken) / 1024
        cpu = statistics.median(s.cpu_ms for s in taken)
        detail = {
            "runs_ms": [round(s.ms, 1) for s in taken],
            "cpu_ms": [round(s.cpu_ms) for s in taken],
            "peak_rss_mib": round(rss_mib, 1),
        }
        result = f"{median:.0f} ms median, CPU {cpu:.0f} ms, peak RSS {rss_mib:.0f} MiB"
        if variant is variants[0]:
            rows.append(row(SECTION, variant.name, median, result, detail=detail))
            continue
        ratio = median / bare_ms
        rows.append(
            row(
                SECTION,
                variant.name,
                ratio,
                f"{result}, {ratio:.2f}× bare (CPU {cpu / bare_cpu:.2f}×)",
                goal=GOAL_RATIO,
                goal_text=f"≤ {GOAL_RATIO}× bare",
                detail=detail,
            )
        )
    print(f"start-up to first usable screen, tmux {SIZE[0]}×{SIZE[1]}, {args.runs} runs each:")
    print_table(rows)
    target = write_json(SECTION, {"machine": machine(), "rows": rows}, args.json)
    print(f"rows written to {target}", file=sys.stderr)


if __name__ == "__main__":
    main_cli()
