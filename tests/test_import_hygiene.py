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


def test_the_english_tui_start_path_loads_only_what_the_first_screen_needs(tmp_path) -> None:
    """Opening the TUI in English on a local store: no .po reader, no msgspec (JSON output
    only), no TOML parser without a config file, no HTTP client, no argparse (the TUI's options
    are read by hand), no hashing (tokens, attachments), and none of the widgets that come after
    the first frame (the editor's TextArea, the Documents tab, the account picker)."""
    code = (
        "import sys, json, os\n"
        "from pathlib import Path\n"
        "from netmsg_tui.cli import choose_language\n"
        "from netmsg_tui.config import load_settings\n"
        "choose_language()\n"
        f"load_settings(Path({str(tmp_path / 'missing.toml')!r}))\n"
        "import netmsg_tui.cli.tui_cmd, netmsg_tui.store.sqlite\n"
        "import netmsg_tui.tui.app, netmsg_tui.tui.screens.main\n"
        "later = ('msgspec', 'netmsg_tui.i18n.po', 'tomllib', 'httpx', 'netmsg_tui.wire',\n"
        "         'argparse', 'gettext', 'hashlib', 'secrets', 'textual.lazy',\n"
        "         'textual.widgets._text_area', 'netmsg_tui.tui.widgets.documents_pane',\n"
        "         'netmsg_tui.tui.dialogs.account_picker')\n"
        "print(json.dumps(sorted(m for m in later if m in sys.modules)))\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "NETMSG_CONFIG": str(tmp_path / "missing.toml"),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    assert json.loads(out) == []
