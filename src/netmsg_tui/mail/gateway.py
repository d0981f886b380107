"""The mail gateway beside the network server: the notification sender loop and, optionally, the
SMTP/LMTP port for replies, on one background thread with its own event loop.

``netmsg serve`` starts it next to the HTTP server (which owns the main thread); tests use it the
same way. ``start()`` returns once the port listens, and raises if it cannot (port in use).
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from ..config import Settings
from .inbound_server import InboundServer, start
from .sender import run_sender_loop
from .tokens import TokenSigner


class MailGateway:
    def __init__(
        self,
        store_path: str | Path,
        settings: Settings,
        signer: TokenSigner,
        *,
        notify: bool = True,
        inbound_port: int | None = None,
        inbound_host: str = "127.0.0.1",
        lmtp: bool = False,
        interval: float = 15.0,
        rejected_dir: Path | None = None,
    ) -> None:
        self.store_path = store_path
        self.rejected_dir = rejected_dir  # None: beside the store file
        self.settings = settings
        self.signer = signer
        self.notify = notify
        self.inbound_port = inbound_port
        self.inbound_host = inbound_host
        self.lmtp = lmtp
        self.interval = interval
        self.port: int | None = None  # the inbound port actually bound
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        ready = threading.Event()
        failed: list[BaseException] = []

        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            server: InboundServer | None = None
            try:
                if self.inbound_port is not None:
                    server = await start(
                        self.store_path,
                        self.signer,
                        host=self.inbound_host,
                        port=self.inbound_port,
                        lmtp=self.lmtp,
                        rejected_dir=self.rejected_dir,
                    )
                    self.port = server.port
            except BaseException as exc:
                failed.append(exc)
                ready.set()
                return
            ready.set()
            try:
                if self.notify:
                    await run_sender_loop(
                        self.store_path,
                        self.settings,
                        self.signer,
                        interval=self.interval,
                        stop=self._stop,
                    )
                else:
                    await self._stop.wait()
            finally:
                if server is not None:
                    await server.close()

        self._thread = threading.Thread(
            target=lambda: asyncio.run(main()), name="netmsg-mail", daemon=True
        )
        self._thread.start()
        ready.wait()
        if failed:
            self._thread.join()
            raise failed[0]

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(30)
        self._loop = self._stop = self._thread = None

    def __enter__(self) -> MailGateway:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
