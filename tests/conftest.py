"""Shared fixtures: a small real network in a SQLite file, and stores over it.

``make_store`` is parametrized over every adapter: the contract suite in ``tests/store`` runs once
per adapter. An adapter joins by adding a param here (the remote adapter runs against the real
server on 127.0.0.1 with an ephemeral port).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import astuple, dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from netmsg_tui.model import Contact, LineItem, Message, NewAttachment
from netmsg_tui.store import MessageStore
from netmsg_tui.store.sqlite import SQLiteStore, admin
from tests import postgres_cluster


@pytest.fixture(autouse=True)
def english_unless_a_test_says_otherwise(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts in English whatever the machine's locale, and a test that switches the
    process to German (a config with ``language = "de"``) does not leak it into the next."""
    from netmsg_tui import i18n

    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")  # subprocesses keep a UTF-8 locale
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@dataclass
class Network:
    """A tiny business network. Account A (Enterprise) is the one under test; B is another
    tenant; S is on the Standard plan."""

    path: Path
    account_a: int
    user_a: int
    user_a2: int
    account_b: int
    user_b: int
    account_s: int
    user_s: int
    customer_on: int  # trades with A, S; messaging enabled
    customer_off: int  # trades with A; messaging disabled
    customer_other: int  # trades with B only
    po_a: int  # purchase order of A for customer_on
    invoice_off: int  # invoice of A for customer_off
    po_b: int  # purchase order of B
    # Set when the store under test is PostgreSQL: the same network, in that database.
    postgres_url: str | None = None

    async def customer_reply(
        self, conversation_id: int, body: str, attachments: list[NewAttachment] | None = None
    ) -> Message:
        """The customer answers (the network side), written straight into the store."""
        if self.postgres_url is not None:
            from netmsg_tui.store.postgres import PostgresStore

            side: SQLiteStore | PostgresStore = PostgresStore(self.postgres_url)
        else:
            side = SQLiteStore(self.path)
        try:
            return await side.add_customer_reply(conversation_id, body, attachments or [])
        finally:
            await side.close()


def build_network(path: Path, *, use_fts: bool = True) -> Network:
    conn = admin.connect(path, use_fts=use_fts)
    conn.execute("BEGIN")
    ids = populate(admin, conn)
    conn.execute("COMMIT")
    conn.close()
    return Network(path, *ids)


def populate(admin: ModuleType, conn: Any) -> tuple[int, ...]:
    """The tiny network, written through either adapter's admin module (same functions)."""
    a = admin.create_account(conn, "Precision Parts GmbH", "enterprise")
    ua = admin.create_user(conn, a, "Jana Supplier", "jana@parts.example")
    ua2 = admin.create_user(conn, a, "Piet Colleague", "piet@parts.example")
    b = admin.create_account(conn, "Other Supplier AG", "enterprise")
    ub = admin.create_user(conn, b, "Olga Other", "olga@other.example")
    s = admin.create_account(conn, "Small Shop KG", "standard")
    us = admin.create_user(conn, s, "Sam Standard", "sam@shop.example")
    contact = Contact("Max Buyer", "max@buyer.example", "+49 30 123456", "Hauptstr. 1, Berlin")
    on = admin.create_customer(
        conn, "Alpine Foods GmbH", "AN01000000001", "Walldorf", contact, trading_with=[a, s]
    )
    off = admin.create_customer(
        conn,
        "Baltic Motors AG",
        "AN01000000002",
        "Hamburg",
        Contact("Eva Einkauf", "eva@baltic.example", "+49 40 999", "Kai 3, Hamburg"),
        messaging_enabled=False,
        trading_with=[a],
    )
    other = admin.create_customer(
        conn, "Cobalt Retail Inc.", "AN01000000003", "Chicago", contact, trading_with=[b]
    )
    items = [LineItem(1, "Hydraulic pump", Decimal("2"), Decimal("1450.00"))]
    po_a = admin.create_document(
        conn, a, on, "purchase_order", "4500012345", date(2026, 11, 2), "EUR", "New", items
    )
    inv = admin.create_document(
        conn, a, off, "invoice", "INV-2026-0042", date(2026, 11, 3), "EUR", "Rejected", items
    )
    po_b = admin.create_document(
        conn, b, other, "purchase_order", "4500099999", date(2026, 11, 4), "USD", "New", items
    )
    return (a, ua, ua2, b, ub, s, us, on, off, other, po_a, inv, po_b)


@pytest.fixture
def network(tmp_path: Path) -> Network:
    return build_network(tmp_path / "network.db")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[postgres_cluster.Cluster]:
    """A throwaway PostgreSQL cluster for the whole run (skipped where PostgreSQL is missing,
    a failure in CI)."""
    yield from postgres_cluster._pg_cluster()


@pytest.fixture
def pg_url(pg_cluster: postgres_cluster.Cluster) -> Iterator[str]:
    """The URL of a fresh database with the schema in place, dropped after the test."""
    yield from postgres_cluster._pg_url(pg_cluster)


def build_pg_network(url: str) -> tuple[int, ...]:
    """The tiny network in a PostgreSQL database; the ids, in :class:`Network`'s order."""
    from netmsg_tui.store.postgres import admin as pg_admin

    with pg_admin.connect(url) as conn, conn.transaction():
        return populate(pg_admin, conn)


def use_postgres(request: pytest.FixtureRequest, network: Network) -> str:
    """Build the tiny network in a fresh PostgreSQL database (once per test) and point
    ``network`` at it: its customer replies then go there. Returns the URL."""
    if network.postgres_url is None:
        url = request.getfixturevalue("pg_url")
        # Both databases are new, so the ids match: the tests' ids name the same rows.
        assert build_pg_network(url) == astuple(network)[1:14]
        network.postgres_url = url
    return network.postgres_url


class StoreFactory:
    """``await make_store(user_id)``: a store acting for that user, through the adapter under
    test; ``await make_store.reopen(store)`` closes it and opens it again as a restarted app
    would (the same database; for remote the same token and local queue file). Every store made
    is closed at the end of the test. ``remote``: the real server on 127.0.0.1 (ephemeral port,
    on a thread) over the same network file, one token per store. ``postgres``: the same network
    built in a fresh database of the test cluster; ``remote-postgres``: the real server over
    that database."""

    def __init__(self, request: pytest.FixtureRequest, network: Network, folder: Path) -> None:
        self.adapter: str = request.param
        self.request = request
        self.network = network
        self.folder = folder
        self.opened: list[MessageStore] = []
        self._recipes: dict[int, Callable[[], MessageStore]] = {}
        self._server: Any = None

    async def __call__(self, user_id: int) -> MessageStore:
        network = self.network
        if self.adapter == "sqlite":
            return self._open(lambda: SQLiteStore(network.path, user_id=user_id))
        if self.adapter in ("remote", "remote-postgres"):
            from netmsg_tui.server.run import ServerThread
            from netmsg_tui.store.remote import RemoteStore

            on_postgres = self.adapter == "remote-postgres"
            database = use_postgres(self.request, network) if on_postgres else network.path
            if self._server is None:
                self._server = ServerThread(database, rate=0)
                self._server.start()
            url, token = self._server.url, await _supplier_token(database, user_id)
            queue = self.folder / f"outbox-{user_id}-{len(self.opened)}.db"
            return self._open(lambda: RemoteStore(url, token, outbox_path=queue))
        if self.adapter == "postgres":
            from netmsg_tui.store.postgres import PostgresStore

            url = use_postgres(self.request, network)
            return self._open(lambda: PostgresStore(url, user_id=user_id))
        raise AssertionError(self.adapter)  # pragma: no cover - other adapters register here

    async def reopen(self, store: MessageStore) -> MessageStore:
        await store.close()
        return self._open(self._recipes[id(store)])

    def _open(self, recipe: Callable[[], MessageStore]) -> MessageStore:
        store = recipe()
        self._recipes[id(store)] = recipe
        self.opened.append(store)
        return store

    async def close(self) -> None:
        for store in self.opened:
            await store.close()
        if self._server is not None:
            self._server.stop()


@pytest.fixture(params=["sqlite", "remote", "postgres", "remote-postgres"])
async def make_store(
    request: pytest.FixtureRequest, network: Network, tmp_path: Path
) -> AsyncIterator[StoreFactory]:
    """The store factory of the adapter under test (see :class:`StoreFactory`)."""
    factory = StoreFactory(request, network, tmp_path)
    yield factory
    await factory.close()


async def _supplier_token(database: str | Path, user_id: int) -> str:
    from netmsg_tui.store import open_network

    net = open_network(database)
    try:
        return (await net.issue_token("supplier", user_id=user_id)).token
    finally:
        await net.close()


@pytest.fixture
async def store(make_store: StoreFactory, network: Network) -> MessageStore:
    """A store acting for user A of account A, through the adapter under test."""
    return await make_store(network.user_a)
