"""Running the server: in the foreground (``netmsg serve``) or on a background thread
(tests, benchmarks, a local network for demos)."""

from __future__ import annotations

import asyncio
import copy
import gc
import multiprocessing
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette

from .app import create_app
from .feed import FeedHead
from .guard import protocol_for
from .limits import DEFAULT_LIMITS, Limits


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; port 0 picks a free one (read it back with ``getsockname``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose proto
    # says TCP, and without that every keep-alive request waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.setblocking(False)
    return sock


GC_YOUNG_THRESHOLD = 20_000  # new objects between two collections of the youngest generation


def _log_config(log_level: str) -> dict[str, Any]:
    """uvicorn's logging, plus the server's own lines (refusals, failures) at the same level."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["loggers"]["netmsg"] = {
        "handlers": ["default"],
        "level": log_level.upper(),
        "propagate": False,
    }
    return config


def _config(app: Any, log_level: str, limits: Limits) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        http=protocol_for(limits),  # deadlines and connection caps: see guard.py
        log_level=log_level,
        log_config=_log_config(log_level),
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=2,  # requests still running 2 s into a stop are cancelled
        timeout_keep_alive=int(limits.keep_alive),
        # No limit_concurrency: it answers 503 to everyone once idle connections fill it; the
        # guard caps connections instead, closing idle ones first.
    )


class _Server(uvicorn.Server):
    """uvicorn's server, whose shutdown first ends the app's open event streams. Left alone,
    they ran until the graceful-shutdown timeout and were then cancelled: each connection cut
    mid-response, each logged as an error with its traceback."""

    def __init__(self, app: Starlette, log_level: str, limits: Limits) -> None:
        super().__init__(_config(app, log_level, limits))
        self._feed: FeedHead = app.state.netmsg.feed

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await self._feed.stop_streams()
        await super().shutdown(sockets)


def serve(
    store_path: str | Path,
    host: str,
    port: int,
    *,
    log_level: str = "info",
    ready: Any = None,
    limits: Limits = DEFAULT_LIMITS,
    workers: int = 1,
    **app_options: Any,
) -> None:
    """Serve until interrupted. ``ready(url)`` is called once the socket listens.

    ``workers`` > 1: that many server processes share the listening socket (the kernel hands
    each new connection to one of them); each has its own app, store connections, rate limiter
    and feed watcher, and they meet in the database. Stopping this process stops them all."""
    sock = bind(host, port)
    bound = sock.getsockname()[1]
    if ready is not None:
        ready(f"http://{host if ':' not in host else f'[{host}]'}:{bound}")
    if workers <= 1:
        _serve_socket(sock, store_path, log_level, limits, app_options)
        return
    _supervise(sock, workers, (store_path, log_level, limits, app_options))


def _serve_socket(
    sock: socket.socket,
    store_path: str | Path,
    log_level: str,
    limits: Limits,
    app_options: dict[str, Any],
) -> None:
    # Requests hop between the event loop and the store's threads; a shorter GIL switch interval
    # (default 5 ms) keeps those hand-overs from adding milliseconds under load.
    sys.setswitchinterval(0.001)
    app = create_app(store_path, limits=limits, **app_options)
    tune_gc()
    _Server(app, log_level, limits).run(sockets=[sock])


def tune_gc() -> None:
    """The garbage collector for a server process, called once its app is made."""
    # Everything loaded so far (modules, the route table, the API document: most of the heap)
    # lives as long as the process: kept out of the collector's full passes. Requests still in
    # flight when the collector runs reach its oldest generation, so a full pass came every
    # ~0.5 s under load and walked the whole heap each time: 30-60 ms in which no request was
    # answered, the p99 of the list at 50 connections. Now ~1 ms.
    gc.collect()
    gc.freeze()
    # The youngest generation is collected every 700 new objects by default: every few requests,
    # each time walking the objects of all requests in flight (on PostgreSQL each waits for its
    # batched look-up, so there are many). Every 20,000: the same garbage goes, far less walking.
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def _worker(sock: socket.socket, options: tuple[Any, ...]) -> None:
    # A worker leaves stopping to its supervisor: Ctrl+C in a terminal reaches every process
    # of the group, and the supervisor then ends each worker with SIGTERM (uvicorn's own
    # graceful shutdown).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _serve_socket(sock, *options)


def _supervise(sock: socket.socket, workers: int, options: tuple[Any, ...]) -> None:
    """Start the worker processes (spawned: a fresh interpreter each, given the socket) and
    wait; when one of them ends, or this process is interrupted or terminated, end them all."""
    context = multiprocessing.get_context("spawn")
    procs = [
        context.Process(target=_worker, args=(sock, options), name=f"netmsg-worker-{n}")
        for n in range(workers)
    ]
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        for proc in procs:
            proc.start()
        while not stop.is_set() and all(p.is_alive() for p in procs):
            stop.wait(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            proc.join(10)
            if proc.is_alive():
                proc.kill()
                proc.join()


class ServerThread:
    """The server on 127.0.0.1 (ephemeral port) on a thread of its own: ``with
    ServerThread(path) as url: ...``. It can be stopped and started again on the same port."""

    def __init__(
        self,
        store_path: str | Path,
        host: str = "127.0.0.1",
        port: int = 0,
        limits: Limits = DEFAULT_LIMITS,
        **app_options: Any,
    ):
        self.store_path = store_path
        self.limits = limits
        self.host = host
        self.port = port
        self.app_options = app_options
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        sock = bind(self.host, self.port)
        self.port = sock.getsockname()[1]  # a restart listens on the same port
        self.url = f"http://{self.host}:{self.port}"
        app = create_app(self.store_path, limits=self.limits, **self.app_options)
        self._server = server = _Server(app, "warning", self.limits)
        failed: list[BaseException] = []

        def run() -> None:
            try:
                asyncio.run(server.serve(sockets=[sock]))
            except BaseException as exc:  # reported by start()
                failed.append(exc)

        self._thread = threading.Thread(target=run, name="netmsg-server", daemon=True)
        self._thread.start()
        while not server.started:
            if failed or not self._thread.is_alive():
                raise RuntimeError(f"the server did not start: {failed}")
            self._thread.join(0.01)
        return self.url

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(10)
            self._server = self._thread = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
