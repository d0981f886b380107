"""PostgreSQL: the batched token look-up on the event loop's own connection
(store/postgres/loop_reads.py) answers as the pool's threads do, from any event loop, and gets
over a connection the database ended."""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
import pytest

from netmsg_tui.model import Principal
from netmsg_tui.store import open_network
from netmsg_tui.store.base import Unavailable
from netmsg_tui.store.postgres.network import PostgresNetworkStore
from tests.conftest import Network, use_postgres


def administer(url: str) -> psycopg.Connection[tuple[Any, ...]]:
    """A connection to the cluster's own database, beside the test's."""
    return psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def end_backends(url: str) -> int:
    """End every connection to the test's database (as a restart or an operator would)."""
    with administer(url) as conn:
        ended = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s",
            (url.rsplit("/", 1)[1],),
        ).fetchone()
    return int(ended[0]) if ended else 0


def test_one_store_answers_on_every_event_loop_and_sees_a_revocation_at_once(
    request: pytest.FixtureRequest, network: Network
) -> None:
    url = use_postgres(request, network)
    net = open_network(url)
    assert isinstance(net, PostgresNetworkStore)

    async def issue() -> tuple[int, str]:
        await net.ping()  # the pool opens (and migrates) first, as the server's start does
        issued = await net.issue_token("supplier", user_id=network.user_a)
        return issued.id, issued.token

    async def look_up(token: str) -> Principal | None:
        return (await net.authenticate_many([token, "nm_unknown"]))[token]

    token_id, token = asyncio.run(issue())
    first = asyncio.run(look_up(token))  # binds the loop connection to this loop
    second = asyncio.run(look_up(token))  # another loop: the pool's threads answer
    assert first is not None and first == second
    assert first.user_id == network.user_a and first.feed_head is not None

    async def revoke_then_look_up() -> Principal | None:
        await net.revoke_token(token_id)
        return await look_up(token)

    assert asyncio.run(revoke_then_look_up()) is None
    asyncio.run(net.close())


async def test_a_connection_the_database_ended_is_replaced(
    request: pytest.FixtureRequest, network: Network
) -> None:
    url = use_postgres(request, network)
    net = open_network(url)
    try:
        await net.ping()
        token = (await net.issue_token("supplier", user_id=network.user_a)).token
        before = (await net.authenticate_many([token]))[token]
        assert before is not None
        assert end_backends(url) >= 2  # the pool's and the event loop's connections
        assert (await net.authenticate_many([token]))[token] == before
    finally:
        await net.close()


async def test_an_unreachable_database_is_unavailable(
    request: pytest.FixtureRequest, network: Network
) -> None:
    url = use_postgres(request, network)
    net = open_network(url)
    try:
        await net.ping()
        token = (await net.issue_token("supplier", user_id=network.user_a)).token
        assert (await net.authenticate_many([token]))[token] is not None
        name = url.rsplit("/", 1)[1]  # the fixture's own name: no quoting needed
        with administer(url) as conn:
            # No new connection to it from now on: the ended ones cannot come back.
            conn.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
        try:
            end_backends(url)
            with pytest.raises(Unavailable):
                await net.authenticate_many([token])
        finally:
            with administer(url) as conn:
                conn.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
    finally:
        await net.close()
