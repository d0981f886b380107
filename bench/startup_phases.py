"""Where start-up's CPU time goes: the phases up to the home screen's first frame, beside the bare
Textual app (Header, Static, Footer), in a real terminal (tmux 80×24).

Each run starts a small harness that stamps ``time.process_time()`` (all threads) when Python
has started, when our CLI is imported, when ``App.run`` is called (arguments read, settings,
store opened, Textual imported, the app built), when the home screen is composed and at the
first frame with it (Textual's ``App._display``), then quits. Modules are patched as the
program imports them, so the imports keep their order (the home screen's data is read on a side
thread while Textual is imported: imported ahead, as this harness did before 2026-12-02, the
data came too late and the app took the slower path). Variants run interleaved; the table shows
the median of each step and the total's ratio to the bare app's.

    python bench/startup_phases.py                       # demo store, 9 runs
    python bench/startup_phases.py --store X.db --runs 11
    python bench/startup_phases.py --baseline /other/.venv/bin/python   # before/after

Needs tmux.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HARNESS = r"""
import sys, time
mode, out = sys.argv[1], sys.argv[2]
marks = {}
def mark(name):
    marks.setdefault(name, time.process_time() * 1000)
mark("Python start")

def patch_app(module):
    App = module.App
    shown = App._display
    def _display(self, screen, renderable):
        shown(self, screen, renderable)
        if renderable is not None and (mode == "bare" or type(screen).__name__ == "MainScreen"):
            if "compose, CSS and first frame" not in marks:
                mark("compose, CSS and first frame")
                with open(out, "a") as f:
                    f.write(repr(marks) + "\n")
                self.exit()
    App._display = _display
    run = App.run
    def _run(self, *args, **kwargs):
        mark("Textual imported, app built" if mode == "bare" else
             "arguments, settings, store, Textual imported, app built")
        return run(self, *args, **kwargs)
    App.run = _run

def patch_home(module):
    compose = module.MainScreen.compose
    def _compose(self):
        mark("app start until the home screen is composed")
        return compose(self)
    module.MainScreen.compose = _compose

PATCHES = {
    "textual.app": patch_app,
    "netmsg_tui.tui.screens.main": patch_home,
    "netmsg_tui.cli": lambda module: mark("our CLI imported"),
}

class Patcher:
    # Patches a module as the program imports it, so the imports keep their own order (the
    # home screen's data is read on a side thread while Textual is imported).
    def find_spec(self, name, path=None, target=None):
        patch = PATCHES.pop(name, None)
        if patch is None:
            return None
        import importlib.util
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        exec_module = spec.loader.exec_module
        def patched(module):
            exec_module(module)
            patch(module)
        spec.loader.exec_module = patched
        return spec
sys.meta_path.insert(0, Patcher())

if mode == "bare":
    from textual.app import App
    from textual.widgets import Footer, Header, Static
    class Bare(App):
        def compose(self):
            yield Header()
            yield Static("bare textual app ready")
            yield Footer()
    Bare().run()
else:
    from netmsg_tui.launch import main  # as the netmsg script does: the collector off first
    main(["--store", sys.argv[3]])
"""


#: A tmux server of our own, so a run gets this environment: a session of a server already
#: running (another program's) would get that server's (see startup.py).
SOCKET = f"netmsg-phases-{os.getpid()}"


def run_once(python: str, mode: str, out: Path, store: Path, harness: Path) -> None:
    session = "run"
    command = f"exec {python} {harness} {mode} {out} {store}"
    env = {**os.environ, "TERM": "xterm-256color", "NETMSG_CONFIG": str(out.parent / "none.toml")}
    env.pop("NO_COLOR", None)
    # As in startup.py: with it set, a module edited since its last .pyc was compiled from
    # source in every run (a checkout's own edits cost ~8 ms a module in "our modules").
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for _ in range(5):  # tmux may be closing the last run's session: try again
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
                "80",
                "-y",
                "24",
                command,
            ],
            env=env,
            capture_output=True,
        )
        if started.returncode == 0:
            break
        time.sleep(0.1)
    else:
        raise RuntimeError("tmux new-session failed")
    deadline = time.monotonic() + 60
    alive = ["tmux", "-L", SOCKET, "has-session", "-t", session]
    while subprocess.run(alive, capture_output=True).returncode == 0:  # it quits at the frame
        if time.monotonic() > deadline:
            subprocess.run(["tmux", "-L", SOCKET, "kill-session", "-t", session])
            raise TimeoutError(f"{mode}: no first frame after 60 s")
        time.sleep(0.02)


def main_cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a SQLite store (default: a fresh demo store)")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--baseline", help="another Python (an older checkout's venv)")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("startup_phases.py needs tmux: apt-get install -y tmux")
    work = Path(tempfile.mkdtemp(prefix="netmsg-phases-"))
    try:
        store = args.store
        if store is None:
            from netmsg_tui.demo import build_demo

            store = work / "demo.db"
            build_demo(store)
        harness = work / "harness.py"
        harness.write_text(HARNESS)
        variants = [("bare Textual app", sys.executable, "bare"), ("netmsg", sys.executable, "app")]
        if args.baseline:
            variants.append(("baseline", args.baseline, "app"))
        outs = {name: work / f"{index}.txt" for index, (name, _, _) in enumerate(variants)}
        for _ in range(args.runs + 1):  # the first round warms the caches and is dropped
            for name, python, mode in variants:
                run_once(python, mode, outs[name], store, harness)
        bare_total = None
        for name, _, _ in variants:
            lines = outs[name].read_text().splitlines()[1:]
            total = print_phases(name, [ast.literal_eval(line) for line in lines], bare_total)
            bare_total = bare_total or total
    finally:
        shutil.rmtree(work, ignore_errors=True)


def print_phases(name: str, runs: list[dict[str, float]], bare_total: float | None) -> float:
    """Print the median of each step; returns the median total."""
    steps = list(runs[0])
    total = statistics.median(run[steps[-1]] for run in runs)
    ratio = f", {total / bare_total:.2f}× the bare app's" if bare_total else ""
    print(f"{name}: {total:.0f} ms CPU to the first frame (median of {len(runs)}{ratio})")
    for index, step in enumerate(steps):
        took = [run[step] - (run[steps[index - 1]] if index else 0) for run in runs]
        print(f"  {statistics.median(took):6.0f} ms  {step}")
    return total


if __name__ == "__main__":
    main_cli()
