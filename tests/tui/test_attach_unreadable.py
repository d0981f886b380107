"""Permission-denied files and folders in the chooser.

Root reads every file whatever its mode, so under root (CI containers) each test re-runs itself
in a child process whose capability bounding set lacks DAC override: there root obeys file
modes like any user, and the test means what it says.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netmsg_tui.tui.widgets.file_list import FileList

from .test_attach_chooser import UNSET, ChooserHost, highlight, settle, status

CHILD_FLAG = "NETMSG_TEST_WITHOUT_DAC_OVERRIDE"
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _drop_dac_capabilities() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def ran_in_unprivileged_child(request: pytest.FixtureRequest) -> bool:
    """Under root: run this test again without DAC override and return True once it passed."""
    if os.geteuid() != 0 or os.environ.get(CHILD_FLAG):
        return False
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", request.node.nodeid],
        cwd=request.config.rootpath,
        env={**os.environ, CHILD_FLAG: "1"},
        preexec_fn=_drop_dac_capabilities,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout, result.stdout[-2000:]
    return True


async def test_an_unreadable_file_is_refused_with_the_reason(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if ran_in_unprivileged_child(request):
        return
    locked = tmp_path / "payroll.xlsx"
    locked.write_bytes(b"secret")
    locked.chmod(0)
    app = ChooserHost(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "✗ unreadable" in str(app.screen.query_one(FileList).get_option_at_index(1).prompt)
        await highlight(pilot, "payroll.xlsx")
        await pilot.press("enter")
        await settle(pilot)
        assert app.result is UNSET
        assert status(app) == "Not attached: payroll.xlsx cannot be read: permission denied"


async def test_a_folder_without_permission_is_not_entered(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if ran_in_unprivileged_child(request):
        return
    closed = tmp_path / "closed"
    closed.mkdir()
    (closed / "inside.txt").write_text("x")
    closed.chmod(0)
    try:
        app = ChooserHost(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await highlight(pilot, "closed")
            assert status(app) == "closed cannot be opened: permission denied"
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen.folder == tmp_path  # type: ignore[attr-defined]
            # Typed, the folder is refused the same way, and the listing stays.
            await pilot.press("slash", *"closed/", "enter")
            await settle(pilot)
            assert app.screen.folder == tmp_path  # type: ignore[attr-defined]
            assert "closed cannot be opened: permission denied" in status(app)
    finally:
        closed.chmod(0o755)  # so pytest can clean tmp_path up
