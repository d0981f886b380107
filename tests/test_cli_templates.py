"""``netmsg templates``: canned replies kept in the store, added and edited from --body, stdin or
the user's editor, refused with the rule's words; a real process on a real store file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from netmsg_tui.model import template_problem
from tests.conftest import Network
from tests.editor_scripts import failing_editor, replacing_editor


def netmsg(
    store: Path, *args: str, stdin: str | None = None, editor: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NETMSG_CONFIG": "/nonexistent/config.toml"}
    env.pop("VISUAL", None)
    env.pop("EDITOR", None)
    if editor is not None:
        env["VISUAL"] = editor
    return subprocess.run(
        [sys.executable, "-m", "netmsg_tui", "templates", *args, "--store", str(store)],
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        timeout=120,
    )


def listed(store: Path) -> list[dict[str, str]]:
    done = netmsg(store, "list", "--json")
    assert done.returncode == 0, done.stderr
    result: list[dict[str, str]] = json.loads(done.stdout)
    return result


def test_add_list_edit_remove(network: Network, tmp_path: Path) -> None:
    store = network.path
    body = "Dear {contact}, {document_kind} {document} ships Friday.\nRegards, {me}"
    added = netmsg(store, "add", "ETA", "--body", body)
    assert added.returncode == 0, added.stderr
    assert (
        netmsg(store, "add", "Certificate", "--body", "-", stdin="Attached, {customer}.").returncode
        == 0
    )
    assert listed(store) == [
        {"name": "Certificate", "body": "Attached, {customer}."},
        {"name": "ETA", "body": body},
    ]
    rows = netmsg(store, "list").stdout.splitlines()
    assert rows[1].startswith("ETA") and "Dear {contact}, {document_kind}" in rows[1]
    again = netmsg(store, "add", "ETA", "--body", "x")
    assert again.returncode == 1 and "exists: use 'netmsg templates edit'" in again.stderr

    editor = replacing_editor(tmp_path, "Dear {contact}, it ships Monday.\n")
    edited = netmsg(store, "edit", "ETA", editor=editor)
    assert edited.returncode == 0, edited.stderr
    assert (tmp_path / "seen.txt").read_text() == body  # the editor got the current text
    assert listed(store)[1] == {"name": "ETA", "body": "Dear {contact}, it ships Monday."}

    assert netmsg(store, "rm", "Certificate").returncode == 0
    assert [t["name"] for t in listed(store)] == ["ETA"]
    gone = netmsg(store, "rm", "Certificate")
    assert gone.returncode == 1 and "No template called 'Certificate'" in gone.stderr
    missing = netmsg(store, "edit", "Nope", "--body", "x")
    assert missing.returncode == 1 and "No template called 'Nope'" in missing.stderr


def test_add_in_the_editor(network: Network, tmp_path: Path) -> None:
    editor = replacing_editor(tmp_path, "Hello {customer},\n\nthanks, {me}\n")
    done = netmsg(network.path, "add", "Thanks", editor=editor)
    assert done.returncode == 0, done.stderr
    assert listed(network.path) == [{"name": "Thanks", "body": "Hello {customer},\n\nthanks, {me}"}]


def test_an_unknown_placeholder_is_refused_and_nothing_saved(network: Network) -> None:
    bad = "Dear {contact}, order {po} ships"
    done = netmsg(network.path, "add", "ETA", "--body", bad)
    assert done.returncode == 1
    assert done.stderr == f"netmsg: {template_problem('ETA', bad)}\n"
    assert "Unknown placeholder {po}" in done.stderr
    malformed = netmsg(network.path, "add", "ETA", "--body", "Dear {contact")
    assert malformed.returncode == 1 and "Template is malformed" in malformed.stderr
    assert listed(network.path) == []


def test_a_failing_or_missing_editor_saves_nothing(network: Network, tmp_path: Path) -> None:
    assert netmsg(network.path, "add", "ETA", "--body", "Soon, {me}").returncode == 0
    failed = netmsg(network.path, "edit", "ETA", editor=failing_editor(tmp_path))
    assert failed.returncode == 1
    assert "failed (exit status 3)" in failed.stderr and "nothing was saved" in failed.stderr
    none = netmsg(network.path, "add", "Other")
    assert none.returncode == 1 and "set $VISUAL or $EDITOR" in none.stderr
    absent = netmsg(network.path, "add", "Other", editor="/nonexistent/editor")
    assert absent.returncode == 1 and "'/nonexistent/editor' was not found" in absent.stderr
    assert listed(network.path) == [{"name": "ETA", "body": "Soon, {me}"}]
