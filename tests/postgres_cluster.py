"""A throwaway PostgreSQL cluster for tests: ``initdb`` + ``pg_ctl`` in a temporary folder.

The cluster listens on 127.0.0.1 at an ephemeral port, keeps its socket in its own folder, trusts
loopback (no passwords) and runs without fsync (a test database is never worth a disk flush).
PostgreSQL refuses to run as root, so as root every server command runs as the ``postgres`` user
(``runuser``). :meth:`Cluster.stop` stops the server and removes the folder.

Tests get an empty database each from :meth:`Cluster.new_database`: the first is a copy of a
template database that holds the schema (``CREATE DATABASE … TEMPLATE``, ~0.4 s); when a test is
over its database is emptied (rows deleted, identities restarted: ~10 ms) for the next test.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

SUPERUSER = "postgres"
TEMPLATE = "netmsg_template"


# The watchdog: wait until the test process is gone (its end of the pipe closes), then stop the
# server (argv[1], a Python list literal) and remove the cluster's folder (argv[2]).
_WATCHDOG = (
    "import ast, shutil, subprocess, sys\n"
    "sys.stdin.buffer.read()\n"
    "subprocess.run(ast.literal_eval(sys.argv[1]), capture_output=True)\n"
    "shutil.rmtree(sys.argv[2], ignore_errors=True)\n"
)


def find_bindir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: the PATH, ``pg_config --bindir``, or Debian's
    versioned folders (newest first). None when PostgreSQL is not installed."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        found = Path(out.stdout.strip())
        if out.returncode == 0 and (found / "initdb").exists():
            return found
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    bindir: Path
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="netmsg-pg-")))
    port: int = 0
    _names: count[int] = field(default_factory=count)
    _free: list[str] = field(default_factory=list)
    _watchdog: subprocess.Popen[bytes] | None = None

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def sockets(self) -> Path:
        return self.root / "sockets"

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _as_server_user(self, *argv: str) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *argv]
        return list(argv)

    def _run(self, *argv: str) -> None:
        done = subprocess.run(self._as_server_user(*argv), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
            )

    def start(self) -> None:
        self.sockets.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sockets, "postgres", "postgres")
        self._run(
            str(self.bindir / "initdb"),
            "-D", str(self.data),
            "-U", SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )  # fmt: skip
        # The port is free when asked; another process may take it before the server binds, so
        # a failed start tries a new one.
        for attempt in range(5):
            self.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -c port={self.port}"
                f" -c unix_socket_directories={self.sockets}"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                " -c max_connections=300 -c shared_buffers=32MB"
            )
            try:
                self._run(
                    str(self.bindir / "pg_ctl"), "start", "-w", "-t", "60",
                    "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options,
                )  # fmt: skip
                self._start_watchdog()
                return
            except RuntimeError:
                if attempt == 4:
                    raise RuntimeError(self.log()) from None

    def _start_watchdog(self) -> None:
        """A small process that stops the server and removes the folder when this process ends,
        however it ends: it waits for end-of-file on a pipe only this process holds open, so a
        test run killed by a timeout (no fixture teardown) leaves no server running. Its own
        session: a Ctrl+C to the test run does not kill it before it has cleaned up."""
        stop = self._as_server_user(
            str(self.bindir / "pg_ctl"), "stop", "-m", "immediate", "-D", str(self.data)
        )
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, repr(stop), str(self.root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def log(self) -> str:
        try:
            return (self.root / "server.log").read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bindir / "pg_ctl"), "stop", "-m", "immediate", "-D", str(self.data))
        shutil.rmtree(self.root, ignore_errors=True)
        if self._watchdog is not None:
            assert self._watchdog.stdin is not None
            self._watchdog.stdin.close()  # nothing left for it to do: it ends
            self._watchdog.wait(30)
            self._watchdog = None

    # -- databases ------------------------------------------------------------------------------
    def execute(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql)

    def create_template(self) -> None:
        """The template every test database copies: an empty netmsg schema."""
        import psycopg

        from netmsg_tui.store.postgres.schema import migrate

        self.execute(f"CREATE DATABASE {TEMPLATE}")
        with psycopg.connect(self.url(TEMPLATE), autocommit=True) as conn:
            migrate(conn)

    def new_database(self) -> str:
        """A database with an empty schema: a used one emptied again (~10 ms), else a new copy
        of the template (~0.4 s: CREATE DATABASE checkpoints)."""
        while self._free:
            name = self._free.pop()
            if self._reset(name):
                return name
            self.drop_database(name)
        name = f"t{os.getpid()}_{next(self._names)}"
        # FILE_COPY: with fsync off, copying the files beats WAL-logging every page.
        self.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
        return name

    def release_database(self, name: str) -> None:
        """The test is over: the database is emptied and used again by a later test."""
        self._free.append(name)

    def _reset(self, name: str) -> bool:
        """Delete every row but the schema's own and restart the identities (so ids start at 1
        again, as in a new database). False when that fails (e.g. a connection a test left open
        holds a lock): the caller drops the database instead."""
        import psycopg

        try:
            with psycopg.connect(self.url(name), autocommit=True) as conn, conn.transaction():
                conn.execute("SET LOCAL lock_timeout = '2s'")
                # Foreign keys are not checked while the rows go (any order will do).
                conn.execute("SET LOCAL session_replication_role = replica")
                tables = conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    " AND tablename <> 'meta'"
                ).fetchall()
                for (table,) in tables:
                    conn.execute(f"DELETE FROM {table}")
                conn.execute(
                    "SELECT setval(pg_get_serial_sequence(table_name, column_name), 1, false)"
                    " FROM information_schema.columns"
                    " WHERE is_identity = 'YES' AND table_schema = 'public'"
                )
        except psycopg.Error:
            return False
        return True

    def drop_database(self, name: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# -- pytest fixtures (imported by tests/conftest.py) --------------------------------------------
def _missing(reason: str) -> None:
    """Skip on a machine without PostgreSQL; in CI (CI=true) that is a failure, not a skip."""
    import pytest

    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI must run the PostgreSQL tests", pytrace=False)
    pytest.skip(f"{reason}: the PostgreSQL tests need it")


def _pg_cluster() -> Iterator[Cluster]:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing("psycopg is not installed (pip install -e '.[postgres]')")
    bindir = find_bindir()
    if bindir is None:
        _missing("PostgreSQL is not installed (no initdb/pg_ctl on the PATH or from pg_config)")
        raise AssertionError  # unreachable: _missing raised
    cluster = Cluster(bindir)
    try:
        cluster.start()
        cluster.create_template()
    except BaseException:
        cluster.stop()
        raise
    yield cluster
    cluster.stop()


def _pg_url(pg_cluster: Cluster) -> Iterator[str]:
    name = pg_cluster.new_database()
    yield pg_cluster.url(name)
    pg_cluster.release_database(name)
