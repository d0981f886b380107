"""Mail fixtures: a real SMTP server (aiosmtpd) on 127.0.0.1 in its own thread, settings that
point at it, a token signer, and a thread with a customer reply waiting to be notified."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest

from netmsg_tui.config import MailSettings, Settings, SmtpSettings
from netmsg_tui.mail.tokens import TokenSigner
from netmsg_tui.store.sqlite import SQLiteStore
from tests.conftest import Network

REPLY_DOMAIN = "reply.network.test"
SECRET = b"test-secret-0123456789abcdef"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes


class SmtpSink:
    """A real SMTP server on a fixed loopback port that can be stopped and started again."""

    def __init__(
        self, port: int, *, implicit_tls: ssl.SSLContext | None = None, **smtp_options: Any
    ) -> None:
        """``smtp_options`` go to aiosmtpd's SMTP (e.g. ``tls_context`` for STARTTLS,
        ``authenticator``); ``implicit_tls`` wraps the port in TLS from the first byte."""
        self.port = port
        self.implicit_tls = implicit_tls
        self.smtp_options = smtp_options
        self.received: list[Received] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.AbstractServer | None = None
        self._thread: threading.Thread | None = None
        self._arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        with self._arrived:
            self.received.append(
                Received(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    message,
                    envelope.original_content,
                )
            )
            self._arrived.notify_all()
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.smtp import SMTP

        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop

            async def serve() -> None:
                self._server = await loop.create_server(
                    lambda: SMTP(self, hostname="sink.test", loop=loop, **self.smtp_options),
                    "127.0.0.1",
                    self.port,
                    ssl=self.implicit_tls,
                )
                ready.set()

            loop.run_until_complete(serve())
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        assert ready.wait(10), "the SMTP sink did not start"

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        loop, server = self._loop, self._server

        async def shut() -> None:
            assert server is not None
            server.close()
            await server.wait_closed()

        asyncio.run_coroutine_threadsafe(shut(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(10)
        self._loop = self._thread = self._server = None

    def wait_for(self, count: int, timeout: float = 30) -> list[Received]:
        with self._arrived:
            assert self._arrived.wait_for(lambda: len(self.received) >= count, timeout), (
                f"expected {count} emails, got {len(self.received)}"
            )
            return list(self.received)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp(smtp_port: int) -> Iterator[SmtpSink]:
    sink = SmtpSink(smtp_port)
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def settings(smtp_port: int) -> Settings:
    return Settings(
        smtp=SmtpSettings(
            host="127.0.0.1",
            port=smtp_port,
            security="none",
            sender="Business Network <noreply@network.test>",
            timeout=5,
        ),
        mail=MailSettings(reply_domain=REPLY_DOMAIN, token_days=30),
    )


@pytest.fixture
def signer() -> TokenSigner:
    return TokenSigner([SECRET], REPLY_DOMAIN, 30)


@pytest.fixture(autouse=True)
def _mail_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the tests away from the real secret file, keyring and config (the "fail" keyring
    backend answers like a system without a keyring)."""
    monkeypatch.setenv("NETMSG_MAIL_SECRET", SECRET.decode())
    monkeypatch.delenv("NETMSG_SMTP_PASSWORD", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("NETMSG_CONFIG", str(tmp_path / "config.toml"))


async def start_thread(network: Network, *, document: bool = True) -> int:
    """User A starts a thread with the customer (linked to PO 4500012345); returns its id."""
    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        conv = await store.start_conversation(
            network.customer_on,
            "Delivery date",
            "When do you need the pumps?",
            document_id=network.po_a if document else None,
        )
    finally:
        await store.close()
    return conv.id


async def set_prefs(network: Network, user_id: int, **changes: Any) -> None:
    store = SQLiteStore(network.path, user_id=user_id)
    try:
        current = await store.get_preferences()
        await store.set_preferences(replace(current, **changes))
    finally:
        await store.close()


async def thread_bodies(network: Network, conversation_id: int) -> list[tuple[str, str, str]]:
    """(author kind, origin, body) of every message in the thread, oldest first."""
    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        page = await store.list_messages(conversation_id, limit=500)
    finally:
        await store.close()
    return [(m.author_kind, m.origin, m.body) for m in page.items]
