"""A NUL character (0x00) in what a client sends answers 400 with the store's sentence, on a
server over SQLite and over PostgreSQL alike (PostgreSQL's text cannot hold one: it was a
store failure there, stored as sent on SQLite), never a 500; nothing is stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from netmsg_tui.server.run import ServerThread
from netmsg_tui.store import open_network
from tests.conftest import Network, use_postgres

NUL = "Text may not contain the NUL character (0x00); nothing was stored"


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, network: Network) -> str:
    return use_postgres(request, network) if request.param == "postgres" else str(network.path)


@pytest.fixture
def server(database: str) -> Iterator[str]:
    thread = ServerThread(database, rate=0)
    thread.start()
    yield thread.url
    thread.stop()


async def _tokens(database: str, network: Network) -> tuple[str, str, int]:
    """A supplier token of user A, a customer contact's token, and a thread between them."""
    net = open_network(database)
    try:
        supplier = (await net.issue_token("supplier", user_id=network.user_a)).token
        contact = await net.create_customer_contact(network.customer_on, "Max", "m@buyer.example")
        customer = (await net.issue_token("customer", contact_id=contact.id)).token
        conv = await net.for_user(network.user_a).start_conversation(
            network.customer_on, "Clean", "hello"
        )
    finally:
        await net.close()
    return supplier, customer, conv.id


def _refused(response: httpx.Response) -> None:
    assert response.status_code == 400, response.text[:300]
    assert response.json()["message"] == NUL


async def test_a_nul_character_answers_400_on_either_database(
    database: str, server: str, network: Network, tmp_path: Path
) -> None:
    supplier, customer, conv = await _tokens(database, network)
    auth = {"Authorization": f"Bearer {supplier}"}
    async with httpx.AsyncClient(base_url=server, headers=auth, timeout=30) as client:
        start = {"customer_id": network.customer_on, "subject": "Hi", "body": "a\u0000b"}
        _refused(await client.post("/api/v1/conversations", json=start))
        _refused(await client.post("/api/v1/conversations", json={**start, "subject": "H\u0000"}))
        reply = f"/api/v1/conversations/{conv}/messages"
        _refused(await client.post(reply, json={"body": "x\u0000"}))
        _refused(await client.put("/api/v1/template", json={"name": "t", "body": "T\u0000"}))
        messages = (await client.get(reply)).json()["items"]
        assert [m["body"] for m in messages] == ["hello"]
        assert len((await client.get("/api/v1/conversations")).json()["items"]) == 1
    customer_auth = {"Authorization": f"Bearer {customer}"}
    async with httpx.AsyncClient(base_url=server, headers=customer_auth, timeout=30) as client:
        path = f"/api/v1/customer/conversations/{conv}/messages"
        _refused(await client.post(path, json={"body": "\u0000"}))
