"""What a server process keeps in memory (server/memo.py: who holds a token, the answers of
lists and thread pages) is never stale: two ``netmsg serve`` processes on one database, on
SQLite and on PostgreSQL alike; each is asked twice first, so it has the answer in memory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from netmsg_tui.i18n import use_language
from netmsg_tui.model import Principal
from netmsg_tui.server.memo import Answer, AnswerCache, TokenCache
from netmsg_tui.server.tokens import TokenLookups
from netmsg_tui.store import Unavailable, open_network
from tests.conftest import Network, use_postgres
from tests.server.conftest import ServerProcess


@asynccontextmanager
async def two_servers(database: str) -> AsyncIterator[tuple[str, str]]:
    first, second = ServerProcess(database, 0), ServerProcess(database, 0)  # type: ignore[arg-type]
    first.start()
    try:
        second.start()
        try:
            yield first.url, second.url
        finally:
            second.kill()
    finally:
        first.kill()


async def issue(database: str, user_id: int) -> tuple[int, str]:
    net = open_network(database)
    try:
        issued = await net.issue_token("supplier", user_id=user_id)
        return issued.id, issued.token
    finally:
        await net.close()


def database_of(engine: str, request: pytest.FixtureRequest, network: Network) -> str:
    return use_postgres(request, network) if engine == "postgres" else str(network.path)


async def twice(client: httpx.AsyncClient, path: str) -> httpx.Response:
    first = await client.get(path)
    second = await client.get(path)
    assert first.status_code == second.status_code == 200, second.text
    assert first.content == second.content
    return second


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
async def test_a_revoked_token_is_refused_at_once_by_every_process(
    engine: str, request: pytest.FixtureRequest, network: Network
) -> None:
    database = database_of(engine, request, network)
    token_id, token = await issue(database, network.user_a)
    auth = {"Authorization": f"Bearer {token}"}
    async with two_servers(database) as urls:
        clients = [httpx.AsyncClient(base_url=u, headers=auth, timeout=30) for u in urls]
        try:
            for client in clients:
                await twice(client, "/api/v1/conversations")
                await twice(client, "/api/v1/unread")
            net = open_network(database)
            try:
                await net.revoke_token(token_id)
            finally:
                await net.close()
            for client in clients:
                for path in ("/api/v1/conversations", "/api/v1/unread", "/api/v1/me"):
                    r = await client.get(path)
                    assert r.status_code == 401, (client.base_url, path, r.text)
                    assert "revoked" in r.json()["message"]
        finally:
            for client in clients:
                await client.aclose()


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
async def test_a_write_through_one_process_is_in_the_next_answer_of_the_other(
    engine: str, request: pytest.FixtureRequest, network: Network
) -> None:
    database = database_of(engine, request, network)
    _, token = await issue(database, network.user_a)
    auth = {"Authorization": f"Bearer {token}"}
    async with (
        two_servers(database) as (url_a, url_b),
        httpx.AsyncClient(base_url=url_a, headers=auth, timeout=30) as a,
        httpx.AsyncClient(base_url=url_b, headers=auth, timeout=30) as b,
    ):
        started = await a.post(
            "/api/v1/conversations",
            json={"customer_id": network.customer_on, "subject": "Pallets", "body": "one"},
        )
        assert started.status_code == 201, started.text
        thread = started.json()["id"]
        messages = f"/api/v1/conversations/{thread}/messages"
        listed = await twice(b, "/api/v1/conversations")
        page = await twice(b, messages)
        assert [m["body"] for m in page.json()["items"]] == ["one"]

        sent = await a.post(messages, json={"body": "two, through the other process"})
        assert sent.status_code == 201, sent.text

        fresh = await b.get("/api/v1/conversations")
        row: dict[str, Any] = fresh.json()["items"][0]
        assert row["id"] == thread and row["message_count"] == 2
        assert row["last_preview"].startswith("two, through the other process")
        assert fresh.headers["etag"] != listed.headers["etag"]
        old = await b.get(
            "/api/v1/conversations", headers={"If-None-Match": listed.headers["etag"]}
        )
        assert old.status_code == 200 and old.content == fresh.content
        bodies = [m["body"] for m in (await b.get(messages)).json()["items"]]
        assert bodies == ["one", "two, through the other process"]

        unread = (await twice(b, "/api/v1/unread")).json()["unread"]
        # Written straight into the database by no server at all: a customer's answer.
        await network.customer_reply(thread, "three, from the customer")
        bodies = [m["body"] for m in (await b.get(messages)).json()["items"]]
        assert bodies[-1] == "three, from the customer"
        assert (await b.get("/api/v1/conversations")).json()["items"][0]["unread_count"] == 1
        assert (await b.get("/api/v1/unread")).json()["unread"] == unread + 1
        assert (await a.post(f"/api/v1/conversations/{thread}/read")).status_code == 200
        assert (await b.get("/api/v1/unread")).json()["unread"] == unread


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
async def test_tokens_asked_together_each_get_their_own_answer_in_their_language(
    engine: str, request: pytest.FixtureRequest, network: Network
) -> None:
    """Many requests at once share token look-ups (server/tokens.py): each still gets its
    own holder or its own refusal, in the language it asked for."""
    database = database_of(engine, request, network)
    _, token_a = await issue(database, network.user_a)
    _, token_b = await issue(database, network.user_b)
    revoked_id, revoked = await issue(database, network.user_a2)
    net = open_network(database)
    try:
        await net.revoke_token(revoked_id)
    finally:
        await net.close()
    asks = [(token_a, "en"), (token_b, "en"), (revoked, "de"), ("nm_unknown", "en")] * 8
    server = ServerProcess(database, 0)  # type: ignore[arg-type]
    server.start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            answers = await asyncio.gather(
                *(
                    client.get(
                        "/api/v1/me",
                        headers={"Authorization": f"Bearer {t}", "Accept-Language": lang},
                    )
                    for t, lang in asks
                )
            )
    finally:
        server.kill()
    for (t, _lang), r in zip(asks, answers, strict=True):
        if t == token_a:
            assert r.status_code == 200 and r.json()["user"]["id"] == network.user_a
        elif t == token_b:
            assert r.status_code == 200 and r.json()["user"]["id"] == network.user_b
        elif t == revoked:
            assert r.status_code == 401 and "widerrufen" in r.json()["message"], r.text
        else:
            assert r.status_code == 401 and r.json()["message"].startswith("Unknown token")


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
async def test_an_event_stream_ends_when_its_token_is_revoked(
    engine: str, request: pytest.FixtureRequest, network: Network
) -> None:
    """A stream checks its token again every few seconds through the same token cache."""
    database = database_of(engine, request, network)
    token_id, token = await issue(database, network.user_a)
    server = ServerProcess(database, 0)  # type: ignore[arg-type]
    server.start()
    try:
        auth = {"Authorization": f"Bearer {token}"}
        async with (
            httpx.AsyncClient(base_url=server.url, headers=auth, timeout=60) as client,
            client.stream("GET", "/api/v1/events") as stream,
        ):
            lines = stream.aiter_lines()
            assert (await anext(lines)).startswith("id: ")  # the cursor event: it is open
            net = open_network(database)
            try:
                await net.revoke_token(token_id)
            finally:
                await net.close()
            told = []
            async with asyncio.timeout(60):  # a guard, not a measure: the check is every 5 s
                async for line in lines:
                    if line.startswith("data: "):
                        told.append(line)
            assert told and '"unauthorized"' in told[-1], told  # the stream's last word
    finally:
        server.kill()


async def test_a_store_that_fails_fails_every_waiting_request_in_its_own_language(
    tmp_path: Path,
) -> None:
    """tokens.py: a look-up that fails (here: the file is no database) tells the requests that
    waited for it, each in its own language."""
    broken = tmp_path / "network.db"
    broken.write_text("not a database")
    net = open_network(str(broken))
    lookups = TokenLookups(net)
    try:
        asks = []
        for lang in ("en", "de", "en", "de"):
            with use_language(lang):
                asks.append(asyncio.create_task(lookups.principal(f"nm_{lang}")))
        failed = await asyncio.gather(*asks, return_exceptions=True)
    finally:
        await net.close()
    assert all(isinstance(f, Unavailable) for f in failed), failed
    assert "not a SQLite database" in str(failed[0]) and "not a SQLite database" in str(failed[2])
    assert "SQLite-Datenbank" in str(failed[1]) and "SQLite-Datenbank" in str(failed[3])


def test_a_token_looked_up_while_something_was_committed_is_not_kept() -> None:
    tokens, holder = TokenCache(), Principal(1, "supplier", user_id=1, account_id=1, feed_head=5)
    assert tokens.get("nm_x", 7) is None  # stamp 7 read, then the store is asked
    assert tokens.get("nm_y", 8) is None  # meanwhile a commit: another request reads 8
    tokens.put("nm_x", 7, holder)  # the answer read under 7 is not kept
    assert tokens.get("nm_x", 8) is None
    tokens.put("nm_x", 8, holder)
    assert tokens.get("nm_x", 8) == holder
    assert tokens.get("nm_x", 9) is None  # the next commit forgets every holder
    assert tokens.get("nm_x", None) is None  # a store without a stamp: never kept


def test_answers_are_kept_for_their_head_only_and_within_their_size() -> None:
    answers = AnswerCache(max_bytes=10)
    answers.put("a", Answer(3, '"t"', b"12345"))
    assert answers.get("a", 3) is not None and answers.get("a", 4) is None
    answers.put("b", Answer(1, '"u"', b"123456"))  # 11 bytes in all: "a" goes
    assert answers.get("a", 3) is None and answers.get("b", 1) is not None
    answers.put("c", Answer(1, '"v"', b"x" * 11))  # larger than all: not kept
    assert answers.get("c", 1) is None and answers.get("b", 1) is not None
