"""Where tokens come from: NETMSG_TOKEN, then the keyring (with a timeout), then the opt-in
0600 file; and ``netmsg login`` / ``logout`` / ``admin`` on a real server."""

from __future__ import annotations

import asyncio
import io
import os
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from netmsg_tui import credentials
from netmsg_tui.cli import main

from .conftest import Tenants


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.saved.pop((service, username), None) is None:
            raise PasswordDeleteError("not there")


class LockedKeyring(KeyringBackend):
    """Like a locked keyring over SSH: every call waits for an unlock that never comes."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(60)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(60)

    def delete_password(self, service: str, username: str) -> None:
        self.release.wait(60)


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No real keyring, no real token file, no NETMSG_TOKEN from outside."""
    monkeypatch.delenv("NETMSG_TOKEN", raising=False)
    monkeypatch.setenv("NETMSG_TOKEN_FILE", str(tmp_path / "tokens.json"))
    monkeypatch.setenv("NETMSG_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("NETMSG_OUTBOX", str(tmp_path / "outbox.db"))
    # A bound for a loaded machine: the keyring thread of a test whose keyring answers must be
    # scheduled within it (the locked keyring's test sets its own, short one).
    monkeypatch.setenv("NETMSG_KEYRING_TIMEOUT", "30")
    previous = keyring.get_keyring()
    credentials.retry_keyring()
    yield tmp_path / "tokens.json"
    keyring.set_keyring(previous)
    credentials.retry_keyring()


URL = "http://net.example:8080"


def test_env_wins_then_keyring_then_file(isolated: Path, monkeypatch) -> None:
    keyring.set_keyring(MemoryKeyring())
    assert credentials.token_for(URL) is None
    credentials.save_token(URL, "from-file", use_file=True)
    assert credentials.token_for(URL) == "from-file"
    assert credentials.save_token(URL + "/", "from-keyring") == "the system keyring"
    assert credentials.token_for(URL) == "from-keyring"
    monkeypatch.setenv("NETMSG_TOKEN", "from-env")
    assert credentials.token_for(URL) == "from-env"


def test_token_file_is_private_and_refused_when_others_can_read_it(isolated: Path) -> None:
    keyring.set_keyring(MemoryKeyring())
    where = credentials.save_token(URL, "secret", use_file=True)
    assert str(isolated) in where
    assert stat.S_IMODE(isolated.stat().st_mode) == 0o600
    os.chmod(isolated, 0o644)
    warnings: list[str] = []
    assert credentials.token_for(URL, warnings) is None
    assert "chmod 600" in warnings[0]


def test_locked_keyring_times_out_and_says_what_to_do(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETMSG_KEYRING_TIMEOUT", "0.3")
    locked = LockedKeyring()
    keyring.set_keyring(locked)
    try:
        warnings: list[str] = []
        assert credentials.token_for(URL, warnings) is None  # does not hang
        assert "did not answer within 0.3 s" in warnings[0]
        with pytest.raises(credentials.CredentialError, match="--file"):
            credentials.save_token(URL, "secret")
        # Once stuck, the keyring is not waited for again in this process, and a token file
        # the user chose is used without asking it at all.
        credentials.save_token(URL, "from-file", use_file=True)
        assert credentials.token_for(URL) == "from-file"
    finally:
        locked.release.set()


def test_no_keyring_backend_is_reported(isolated: Path) -> None:
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    with pytest.raises(credentials.CredentialError) as caught:
        credentials.save_token(URL, "secret")
    assert "No system keyring is available" in str(caught.value)
    assert "netmsg login URL --file" in str(caught.value)


async def test_admin_login_use_logout_on_a_real_server(
    tenants: Tenants, isolated: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(MemoryKeyring())
    store = str(tenants.network.path)

    async def netmsg(*argv: str) -> tuple[int, str, str]:
        code = await asyncio.to_thread(main, list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    async def login(url: str, token: str, *extra: str) -> tuple[int, str, str]:
        with monkeypatch.context() as patch:  # the token comes on standard input
            patch.setattr(sys, "stdin", io.StringIO(token + "\n"))
            return await netmsg("login", url, *extra)

    code, out, _ = await netmsg("admin", "create-customer-contact", "--store", store,
                                "--customer", str(tenants.network.customer_on),
                                "--name", "Max Buyer", "--email", "max@buyer.example")  # fmt: skip
    assert code == 0 and out.startswith("Customer contact ")
    contact = out.split()[2].rstrip(":")
    code, token, err = await netmsg("admin", "issue-token", "--store", store, "--role", "customer",
                                    "--contact", contact)  # fmt: skip
    assert code == 0 and token.strip().startswith("nm_") and "shown only now" in err

    code, out, _ = await login(tenants.url, tenants.supplier_a)
    assert code == 0 and "as Jana Supplier (Precision Parts GmbH)" in out
    code, out, _ = await netmsg("threads", "--store", tenants.url)
    assert code == 0 and "A secret" in out
    code, out, _ = await netmsg("logout", tenants.url)
    assert code == 0 and "removed the token from the system keyring" in out
    code, _, err = await netmsg("threads", "--store", tenants.url)
    assert code == 1 and "netmsg login" in err

    code, out, _ = await login(tenants.url, token.strip(), "--file")
    assert code == 0 and "Max Buyer (Alpine Foods GmbH, customer)" in out
    assert stat.S_IMODE(isolated.stat().st_mode) == 0o600
    code, _, err = await login(tenants.url, "nm_wrong")
    assert code == 1 and "Unknown token" in err
    with pytest.raises(SystemExit):  # no --token: the process list would show it to everyone
        main(["login", tenants.url, "--token", tenants.supplier_a])
    capsys.readouterr()

    code, out, _ = await netmsg("admin", "list-tokens", "--store", store)
    assert code == 0 and "customer" in out and tenants.supplier_a not in out
    token_id = out.split()[0]
    code, out, _ = await netmsg("admin", "revoke-token", token_id, "--store", store)
    assert code == 0 and "revoked" in out
    code, _, err = await netmsg("admin", "revoke-token", token_id, "--store", store)
    assert code == 1 and "already revoked" in err
    code, _, err = await netmsg("admin", "issue-token", "--store", store, "--role", "supplier")
    assert code == 1 and "needs --user" in err
