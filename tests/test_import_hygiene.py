"""The core never drags in the UI or the HTTP client: start-up stays fast, layers stay apart."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    ["netmsg_tui.model", "netmsg_tui.store", "netmsg_tui.store.sqlite", "netmsg_tui.cli"],
)
def test_core_modules_import_neither_textual_nor_httpx(module: str) -> None:
    code = (
        f"import sys, json, {module}; "
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('textual', 'httpx', 'rich'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []
