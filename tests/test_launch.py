"""The ``netmsg`` program loads with Python's cyclic collector off (launch.py, start-up), and
every subcommand runs with it on again: a server or a long export must not pile up cycles. The
TUI runs with the collector off until its first frame and a 1 ms switch interval, and the
interpreter is set back when it ends (cli/tui_cmd.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

COUNT_COLLECTIONS = """
import gc, json, sys
from netmsg_tui import launch
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(gc.isenabled()))
code = launch.main(sys.argv[1:])
print(json.dumps({"code": code, "collections": len(collections), "enabled": gc.isenabled()}))
"""


def test_a_subcommand_runs_with_the_collector_on(tmp_path: Path) -> None:
    # Building a demo store makes many container objects: with the collector on, it collects.
    out = subprocess.run(
        [sys.executable, "-c", COUNT_COLLECTIONS, "demo", "init", str(tmp_path / "demo.db")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen["code"] == 0
    assert seen["enabled"] is True
    assert seen["collections"] > 0


def test_loading_the_program_does_not_collect() -> None:
    # `--version` loads the command and exits at once: nothing in between collects.
    code = COUNT_COLLECTIONS.replace(
        "code = launch.main(sys.argv[1:])",
        "try:\n    launch.main(['--version'])\nexcept SystemExit as exit:\n    code = exit.code",
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen == {"code": 0, "collections": 0, "enabled": False}


def test_the_tui_runs_tuned_and_sets_the_interpreter_back_after() -> None:
    import gc

    from netmsg_tui.cli.tui_cmd import SWITCH_INTERVAL, tuned_for_the_tui

    before = sys.getswitchinterval()
    assert before != SWITCH_INTERVAL and gc.isenabled()
    try:
        with tuned_for_the_tui():
            assert not gc.isenabled()
            assert sys.getswitchinterval() == SWITCH_INTERVAL
            raise RuntimeError("the app failed")
    except RuntimeError:
        pass
    assert gc.isenabled()
    assert sys.getswitchinterval() == before
