"""The rate limit is kept per server process, as docs/server.md says: two ``netmsg serve``
processes on one database each give a token its own burst (``--burst``), on SQLite and on
PostgreSQL alike, so N processes allow up to N times the limit."""

from __future__ import annotations

import httpx
import pytest

from netmsg_tui.store import open_network
from tests.conftest import Network, use_postgres
from tests.server.conftest import ServerProcess


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
async def test_each_server_process_has_its_own_rate_limit(
    engine: str, request: pytest.FixtureRequest, network: Network
) -> None:
    database = use_postgres(request, network) if engine == "postgres" else str(network.path)
    net = open_network(database)
    try:
        token = (await net.issue_token("supplier", user_id=network.user_a)).token
    finally:
        await net.close()
    # A bucket of 2 that refills once in 1000 s: the third request within a test is refused.
    limit = ("--rate", "0.001", "--burst", "2")
    first = ServerProcess(database, 0, *limit)  # type: ignore[arg-type]
    second = ServerProcess(database, 0, *limit)  # type: ignore[arg-type]
    first.start()
    second.start()
    try:
        auth = {"Authorization": f"Bearer {token}"}
        for server in (first, second):
            async with httpx.AsyncClient(base_url=server.url, headers=auth, timeout=30) as c:
                codes = [(await c.get("/api/v1/unread")).status_code for _ in range(3)]
                assert codes == [200, 200, 429], server.url
    finally:
        first.kill()
        second.kill()
