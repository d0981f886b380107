"""Type-ahead in a real pseudo-terminal: a whole burst of keys written at once.

``n + rhein Enter SUBJ Tab BODY ctrl+s`` is one write to the pty (as tmux send-keys or a fast
typist over SSH delivers it): the app must store exactly that message, for exactly the customer
the picker ranks first for "rhein", while every key arrives before the screens it is meant for
exist.
"""

from __future__ import annotations

import asyncio
import os
import select
import sys
import termios
import time
from pathlib import Path

from netmsg_tui.model import Contact, Conversation
from netmsg_tui.store.sqlite import SQLiteStore, admin
from tests.conftest import Network

from .pty_terminal import PtyTerminal


def add_rhein_customers(network: Network) -> int:
    """Two customers whose names start alike, trading with account A; the id of the one whose
    name is the closest to "rhein" ("Rhein Retail Inc.", listed after "… East Inc.")."""
    conn = admin.connect(network.path)
    conn.execute("BEGIN")
    contact = Contact("Rita", "rita@rhein.example", "+49 1", "Rheinufer 1")
    admin.create_customer(
        conn, "Rhein Retail East Inc.", "AN01000000041", "Köln", contact,
        trading_with=[network.account_a],
    )  # fmt: skip
    closest = admin.create_customer(
        conn, "Rhein Retail Inc.", "AN01000000042", "Bonn", contact,
        trading_with=[network.account_a],
    )  # fmt: skip
    conn.execute("COMMIT")
    conn.close()
    return int(closest)


async def conversations(network: Network) -> list[tuple[Conversation, list[str]]]:
    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        page = await store.list_conversations(limit=50)
        out = []
        for conv in page.items:
            messages = await store.list_messages(conv.id)
            out.append((conv, [m.body for m in messages.items]))
        return out
    finally:
        await store.close()


def app_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(TERM="xterm", NETMSG_CONFIG=str(tmp_path / "none.toml"), LANG="C.UTF-8")
    env.pop("COLUMNS", None), env.pop("LINES", None)
    return env


def app_in_a_pty(network: Network, tmp_path: Path) -> PtyTerminal:
    argv = [sys.executable, "-m", "netmsg_tui", "--store", str(network.path)]
    return PtyTerminal(argv, app_env(tmp_path))


def stored_when_sent(network: Network, term: PtyTerminal) -> list[tuple[Conversation, list[str]]]:
    """The conversations once one is stored (the app keeps running and its output read)."""
    deadline = time.monotonic() + 30
    stored = asyncio.run(conversations(network))
    while not stored and time.monotonic() < deadline:
        term.pump(0.2)  # keep reading: a full pty would stop the app
        stored = asyncio.run(conversations(network))
    return stored


def test_a_burst_in_a_pty_stores_exactly_that_message(network: Network, tmp_path: Path) -> None:
    customer = add_rhein_customers(network)
    term = app_in_a_pty(network, tmp_path)
    try:
        term.read_until(b"1 Messages", "the Messages tab")
        term.read_until(b"No conversations", "the empty list")
        term.type(b"n+rhein\rSUBJ\tBODY\x13")  # one write: the whole burst
        stored = stored_when_sent(network, term)
        term.read_until(b"SUBJ", "the thread")  # still running
        code = term.finish(b"\x11")  # ctrl+q
    finally:
        term.close()
    assert code == 0, term.tail()
    assert [(c.customer_id, c.subject, bodies) for c, bodies in stored] == [
        (customer, "SUBJ", ["BODY"])
    ]


def test_a_burst_typed_before_the_app_starts_keeps_its_enter(
    network: Network, tmp_path: Path
) -> None:
    """Typed while ``ssh -t`` connects and Python starts: the terminal is still in cooked mode,
    its line discipline turns Enter's \\r into \\n (read as ctrl+j), and ctrl+s is its XOFF (no
    program ever sees it). The Enter must still pick the customer; ctrl+s is typed once the
    composer shows the text."""
    customer = add_rhein_customers(network)
    term = app_in_a_pty(network, tmp_path)
    try:
        term.type(b"n+rhein\rSUBJ\tBODY")  # before the app has read anything
        # The To line ("Rhein Retail Inc. · AN01000000042 · Bonn"), not a row of the picker.
        to_line = " · AN01000000042 · ".encode()
        at = term.read_until(to_line, "the customer picked by the early Enter")
        term.read_until(b"BODY", "the body in the composer", start=at)
        term.type(b"\x13")
        stored = stored_when_sent(network, term)
        code = term.finish(b"\x11")  # ctrl+q
    finally:
        term.close()
    assert code == 0, term.tail()
    assert [(c.customer_id, c.subject, bodies) for c, bodies in stored] == [
        (customer, "SUBJ", ["BODY"])
    ]


#: ``netmsg`` (as its console script starts it) that stops when it first imports Textual, tells
#: the test on the pipe ``GATE_READY`` and goes on once the test writes to ``GATE_GO``: keys
#: typed meanwhile are typed before the app has put the terminal in raw mode, whatever the
#: machine's speed.
AT_TEXTUAL = """
import os, sys

class Gate:
    def find_spec(self, name, path=None, target=None):
        if name == "textual":
            sys.meta_path.remove(self)
            os.write(int(os.environ["GATE_READY"]), b"1")
            os.read(int(os.environ["GATE_GO"]), 1)
        return None

sys.meta_path.insert(0, Gate())
from netmsg_tui.launch import main
sys.exit(main(sys.argv[1:]))
"""


def test_ctrl_s_typed_before_the_app_starts_sends_and_the_terminal_is_put_back(
    network: Network, tmp_path: Path
) -> None:
    """Typed before Textual loads, the terminal still cooked: its driver took ctrl+s as XOFF
    (IXON), so the burst's Send never reached the app. The TUI turns IXON off as it starts, and
    puts the terminal's attributes back as they were when it ends."""
    customer = add_rhein_customers(network)
    ready_read, ready_write = os.pipe()
    go_read, go_write = os.pipe()
    env = app_env(tmp_path)
    env.update(GATE_READY=str(ready_write), GATE_GO=str(go_read))
    argv = [sys.executable, "-c", AT_TEXTUAL, "--store", str(network.path)]
    term = PtyTerminal(argv, env, pass_fds=(ready_write, go_read))
    os.close(ready_write), os.close(go_read)
    try:
        assert term.attributes_at_start[0] & termios.IXON  # a new pty's default, as a shell's
        assert select.select([ready_read], [], [], 30)[0], term.tail()
        assert os.read(ready_read, 1) == b"1", "the app ended before it imported Textual"
        iflag, _oflag, _cflag, lflag, *_ = term.attributes()
        assert lflag & termios.ICANON  # still cooked: Textual has not started
        assert not iflag & termios.IXON  # ctrl+s is a key now
        term.type(b"n+rhein\rSUBJ\tBODY\x13")  # the whole burst, Send included
        os.write(go_write, b"1")
        stored = stored_when_sent(network, term)
        assert [(c.customer_id, c.subject, bodies) for c, bodies in stored] == [
            (customer, "SUBJ", ["BODY"])
        ]
        code = term.quit(b"\x11")  # ctrl+q
        assert code == 0, term.tail()
        assert term.attributes() == term.attributes_at_start  # IXON on again, and the rest
    finally:
        term.close()
        os.close(ready_read), os.close(go_write)
