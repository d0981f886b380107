"""A network server over the tiny network of ``tests/conftest.py``, with tokens of every role
and a little correspondence on both tenants, so tests can check who sees what."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from netmsg_tui.model import NewAttachment
from netmsg_tui.server.run import ServerThread
from netmsg_tui.store.sqlite import SQLiteStore, admin
from netmsg_tui.store.sqlite.admin import create_customer_contact, issue_token
from tests.conftest import Network


@dataclass
class Tenants:
    network: Network
    url: str
    supplier_a: str
    supplier_b: str
    customer_x: str  # a contact of customer_on (trades with A)
    customer_y: str  # a contact of customer_other (trades with B only)
    support_a: str  # read-only on account A
    support_a_id: int
    conv_a: int  # A <-> customer_on, with an attachment from each side
    conv_b: int  # B <-> customer_other
    attachment_a: int
    attachment_b: int
    message_b: int

    def client(self, token: str | None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(base_url=self.url, headers=headers, timeout=30)


def issue(network: Network, role: str, **who: object) -> tuple[int, str]:
    conn = admin.connect(network.path)
    try:
        return issue_token(conn, role, **who)  # type: ignore[arg-type]
    finally:
        conn.close()


def add_contact(network: Network, customer_id: int, name: str) -> int:
    conn = admin.connect(network.path)
    try:
        return create_customer_contact(conn, customer_id, name, f"{name.lower()}@buyer.example")
    finally:
        conn.close()


async def seed(network: Network) -> tuple[int, int, int, int, int]:
    a = SQLiteStore(network.path, user_id=network.user_a)
    b = SQLiteStore(network.path, user_id=network.user_b)
    try:
        conv_a = await a.start_conversation(
            network.customer_on, "A secret", "alpha body", [NewAttachment("a.txt", b"alpha")]
        )
        conv_b = await b.start_conversation(
            network.customer_other,
            "Bravo secret",
            "bravo body",
            [NewAttachment("b.txt", b"bravo")],
            document_id=network.po_b,
        )
        msgs_a = (await a.list_messages(conv_a.id)).items
        msgs_b = (await b.list_messages(conv_b.id)).items
        await network.customer_reply(conv_b.id, "bravo customer answer")
        return (
            conv_a.id,
            conv_b.id,
            msgs_a[0].attachments[0].id,
            msgs_b[0].attachments[0].id,
            msgs_b[0].id,
        )
    finally:
        await a.close()
        await b.close()


@pytest.fixture
async def tenants(network: Network) -> AsyncIterator[Tenants]:
    conv_a, conv_b, att_a, att_b, msg_b = await seed(network)
    x = add_contact(network, network.customer_on, "Xavier")
    y = add_contact(network, network.customer_other, "Yvonne")
    support_id, support = issue(network, "support", accounts=[network.account_a])
    server = ServerThread(network.path, rate=0)
    url = server.start()
    try:
        yield Tenants(
            network=network,
            url=url,
            supplier_a=issue(network, "supplier", user_id=network.user_a)[1],
            supplier_b=issue(network, "supplier", user_id=network.user_b)[1],
            customer_x=issue(network, "customer", contact_id=x)[1],
            customer_y=issue(network, "customer", contact_id=y)[1],
            support_a=support,
            support_a_id=support_id,
            conv_a=conv_a,
            conv_b=conv_b,
            attachment_a=att_a,
            attachment_b=att_b,
            message_b=msg_b,
        )
    finally:
        server.stop()


class ServerProcess:
    """``netmsg serve`` in a child process: the real thing, stopped and started by tests."""

    def __init__(self, store: Path, port: int = 0, *extra: str) -> None:
        self.store, self.port, self.extra = store, port, extra
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self) -> str:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "netmsg_tui", "serve", "--store", str(self.store),
             "--port", str(self.port), "--log-level", "warning", *self.extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )  # fmt: skip
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if "netmsg server on " not in line:
            self.proc.kill()
            raise RuntimeError(f"server did not start: {line}{self.proc.stdout.read()}")
        self.url = line.split("netmsg server on ", 1)[1].split()[0]
        self.port = int(self.url.rsplit(":", 1)[1])
        return self.url

    def kill(self) -> None:
        """Stop it hard (SIGKILL): no goodbye to the clients."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
            if self.proc.stdout is not None:
                self.proc.stdout.close()
            self.proc = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid


@pytest.fixture
def server_process(network: Network) -> Iterator[ServerProcess]:
    server = ServerProcess(network.path)
    yield server
    server.kill()
