"""Text the user brings in is drawn inert too: the real app in a real pseudo-terminal.

A supplier pastes a customer's mail, escape sequences and all, into their $EDITOR and brings
it back as a new conversation's subject and message. Textual draws an Input's and a
TextArea's text as it is, so the fields turn each control character into the placeholder
the thread shows for it: nothing reaches the terminal raw, and what is sent is what was shown.
(A paste straight into the app cannot carry them: Textual's key parser cuts an escape
sequence out of a bracketed paste and reads it as keys.)
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from netmsg_tui.store.sqlite import SQLiteStore

from .pty_terminal import PtyTerminal
from .test_terminal_injection import SHOWN, hostile, leaks

EDITOR_SCRIPT = """\
import sys
from pathlib import Path
Path(sys.argv[-1]).write_text(Path(sys.argv[1]).read_text(), encoding="utf-8")
"""


def test_escape_sequences_from_the_editor_are_shown_as_placeholders_and_sent_so(
    tmp_path: Path,
) -> None:
    path = tmp_path / "demo.db"
    made = subprocess.run(
        [sys.executable, "-m", "netmsg_tui", "demo", "init", str(path)], capture_output=True
    )
    assert made.returncode == 0, made.stderr
    edited = tmp_path / "edited.txt"  # what the "editor" leaves in the file
    edited.write_text(
        f"Subject: {hostile('SUBJMARK', st=chr(7))}\n\n{hostile('BODYMARK', st=chr(7))}\n",
        encoding="utf-8",
    )
    editor = tmp_path / "editor.py"
    editor.write_text(EDITOR_SCRIPT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(
        TERM="xterm-256color",
        NETMSG_CONFIG=str(tmp_path / "none.toml"),
        LANG="C.UTF-8",
        VISUAL=f"{sys.executable} {editor} {edited}",
    )
    env.pop("COLUMNS", None), env.pop("LINES", None)
    term = PtyTerminal([sys.executable, "-m", "netmsg_tui", "--store", str(path)], env)
    try:
        term.read_until(b"Search conversations", "the conversation list")
        listed = len(term.output)
        term.type(b"n")
        term.read_until(b"Subject", "the new conversation form", start=listed)
        term.type(b"+")
        term.read_until(b"network id", "the customer picker", start=listed)
        picking = len(term.output)
        term.type(b"alpine\r")
        term.read_until(b"Alpine Foods", "the customer in To", start=picking)
        chosen = len(term.output)
        term.type(b"\t\x07")  # Tab to the message, ctrl+g: subject and message in the editor
        term.read_until(b"BODYMARK", "the edited message in the form", start=chosen)
        term.read_until(b"SUBJMARK", "the edited subject in the form", start=chosen)
        term.type(b"\x13")  # ctrl+s: send
        wait_until_stored(term, path)
        code = term.finish(b"\x11")  # ctrl+q
    finally:
        term.close()
    assert code == 0, term.tail()

    output = bytes(term.output)
    assert leaks(output) == {}, f"reached the terminal: {leaks(output)}"
    stored = newest_thread(path)
    assert stored is not None
    subject, body = stored
    for placeholder in SHOWN:
        assert placeholder in subject, placeholder
        assert placeholder in body, placeholder


def newest_thread(path: Path) -> tuple[str, str] | None:
    """Subject and first message of the newest thread, if it is the one the test sent."""

    async def find() -> tuple[str, str] | None:
        store = SQLiteStore(path)
        try:
            conversation = (await store.list_conversations(limit=1)).items[0]
            if "SUBJMARK" not in conversation.subject:
                return None
            messages = (await store.list_messages(conversation.id)).items
            return conversation.subject, messages[0].body
        finally:
            await store.close()

    return asyncio.run(find())


def wait_until_stored(term: PtyTerminal, path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while newest_thread(path) is None:
        if time.monotonic() > deadline:
            raise AssertionError(f"the conversation was not stored: {term.tail()!r}")
        term.pump(0.1)  # keeps reading, so the app never blocks on a full terminal
