"""Type-ahead over ``ssh -t`` (issue 14's done-when): a throwaway sshd on 127.0.0.1 with its own
host key, config and authorized key in tmp_path; ``ssh -t`` to it in a real pty of 80×24 runs
the app on the test network, the burst ``n + rhein Enter SUBJ Tab BODY ctrl+s`` is one write,
and the store must hold exactly that message for exactly that customer.

Runs where ``CI=true`` and OpenSSH (``/usr/sbin/sshd``, ``ssh``, ``ssh-keygen``) is installed;
elsewhere it is skipped (it starts a daemon). The manual runs in tmux are in
docs/type-ahead-over-ssh.md.
"""

from __future__ import annotations

import getpass
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Network

from .pty_terminal import PtyTerminal
from .test_type_ahead_terminal import add_rhein_customers, stored_when_sent

SSHD = Path("/usr/sbin/sshd")
REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    os.environ.get("CI") != "true"
    or not SSHD.exists()
    or not shutil.which("ssh")
    or not shutil.which("ssh-keygen"),
    reason="needs CI=true and OpenSSH (sshd, ssh, ssh-keygen)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """An sshd of this user on 127.0.0.1: (port, the client's private key)."""
    folder = tmp_path / "ssh"
    folder.mkdir()
    keygen(folder / "host")
    keygen(folder / "client")
    authorized = folder / "authorized_keys"
    authorized.write_bytes((folder / "client.pub").read_bytes())
    authorized.chmod(0o600)
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder / 'host'}\n"
        f"PidFile {folder / 'sshd.pid'}\nAuthorizedKeysFile {authorized}\n"
        "PermitRootLogin prohibit-password\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nPrintMotd no\n"
    )
    checked = subprocess.run([str(SSHD), "-t", "-f", str(config)], capture_output=True)
    if checked.returncode != 0:  # e.g. root without /run/sshd: not ours to create
        pytest.skip(f"sshd refuses this config: {checked.stderr.decode(errors='replace')}")
    log_file = (folder / "sshd.log").open("wb")
    daemon = subprocess.Popen(
        [str(SSHD), "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=log_file
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if daemon.poll() is not None or time.monotonic() > deadline:
                    log = (folder / "sshd.log").read_text(errors="replace")
                    raise AssertionError(f"sshd did not start: {log}") from None
                time.sleep(0.05)  # polling a port, not timing the app
        yield port, folder / "client"
    finally:
        daemon.terminate()
        daemon.wait(10)
        log_file.close()  # else a ResourceWarning (unclosed file)


def test_a_burst_over_ssh_t_stores_exactly_that_message(
    network: Network, tmp_path: Path, sshd: tuple[int, Path]
) -> None:
    port, key = sshd
    customer = add_rhein_customers(network)
    remote = " ".join(
        [
            "cd",
            shlex.quote(str(REPO)),
            "&&",
            "env",
            "LANG=C.UTF-8",
            f"NETMSG_CONFIG={shlex.quote(str(tmp_path / 'none.toml'))}",
            f"XDG_DATA_HOME={shlex.quote(str(tmp_path / 'data'))}",
            shlex.quote(sys.executable),
            "-m",
            "netmsg_tui",
            "--store",
            shlex.quote(str(network.path)),
        ]
    )
    argv = [
        "ssh", "-t", "-F", "/dev/null", "-p", str(port), "-i", str(key),
        "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
        "-o", "StrictHostKeyChecking=no", "-o", f"UserKnownHostsFile={tmp_path / 'known_hosts'}",
        f"{getpass.getuser()}@127.0.0.1", remote,
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "SSH_"))}
    env.update(TERM="xterm", LANG="C.UTF-8")
    term = PtyTerminal(argv, env)
    try:
        term.read_until(b"1 Messages", "the Messages tab over ssh")
        term.read_until(b"No conversations", "the empty list")
        term.type(b"n+rhein\rSUBJ\tBODY\x13")  # one write: the whole burst
        stored = stored_when_sent(network, term)
        term.read_until(b"SUBJ", "the thread")  # still running
        code = term.finish(b"\x11")  # ctrl+q; ssh exits with the app's status
    finally:
        term.close()
    assert code == 0, term.tail()
    assert [(c.customer_id, c.subject, bodies) for c, bodies in stored] == [
        (customer, "SUBJ", ["BODY"])
    ]
