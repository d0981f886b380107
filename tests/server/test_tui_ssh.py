"""`netmsg` as support staff run it over `ssh -t`: a real pseudo-terminal, the token in
NETMSG_TOKEN, no keyring, a real server process. With --account the app opens that account; without
it the app asks which of the two granted accounts to read."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.conftest import Network
from tests.tui.pty_terminal import PtyTerminal

from .conftest import ServerProcess, issue, seed

CTRL_Q = b"\x11"


def ssh_env(token: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "NETMSG"))}
    env.update(
        TERM="xterm-256color",
        LANG="C.UTF-8",
        NETMSG_TOKEN=token,
        NETMSG_CONFIG=str(tmp_path / "none.toml"),
        NETMSG_OUTBOX=str(tmp_path / "outbox.db"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",  # as on a server: none
    )
    env.pop("COLUMNS", None), env.pop("LINES", None)
    return env


async def test_support_over_a_terminal_with_the_token_from_the_environment(
    network: Network, server_process: ServerProcess, tmp_path: Path
) -> None:
    await seed(network)
    token = issue(network, "support", accounts=[network.account_a, network.account_b])[1]
    url = server_process.start()
    env = ssh_env(token, tmp_path)
    netmsg = [sys.executable, "-m", "netmsg_tui", "--store", url]

    term = PtyTerminal([*netmsg, "--account", str(network.account_b)], env)
    try:
        at = term.read_until(b"reads are audited", "the support header")
        term.read_until(b"Other Supplier AG", "account B in the header", start=at)
        term.read_until(b"Bravo secret", "account B's thread")
        assert b"Choose the account" not in term.output
        at = len(term.output)
        term.type(b"2")  # the Documents tab, read-only like the rest
        term.read_until(b"any customer (c)", "the Documents tab's status line", start=at)
        # 1 before: the store was closed on a new event loop. The output says why.
        assert term.finish(CTRL_Q) == 0, term.tail(4000)
    finally:
        term.close()

    term = PtyTerminal(netmsg, env)
    try:
        at = term.read_until(b"Choose the account to read", "the account picker")
        term.type(b"\r")  # the first granted account, highlighted
        at = term.read_until(b"reads are audited", "the support header", start=at)
        term.read_until(b"Precision Parts GmbH", "account A in the header", start=at)
        term.read_until(b"A secret", "account A's thread", start=at)
        at = len(term.output)
        term.type(b"2")
        term.read_until(b"any customer (c)", "the Documents tab's status line", start=at)
        assert term.finish(CTRL_Q) == 0, term.tail(4000)
    finally:
        term.close()
    assert b"keyring" not in term.output.lower()
