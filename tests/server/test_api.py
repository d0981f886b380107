"""The API's answers to good and bad requests: always JSON with the right status, never a
traceback; the OpenAPI document lists exactly the routes the server has."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from netmsg_tui.server import ENDPOINTS
from netmsg_tui.server.auth import hash_token
from netmsg_tui.store.sqlite import admin

from .conftest import Tenants, issue


async def test_openapi_document_matches_the_routes(tenants: Tenants) -> None:
    async with tenants.client(None) as client:
        doc = (await client.get("/openapi.json")).json()
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    served = {(ep.method, ep.openapi_path) for ep in ENDPOINTS}
    assert documented == served
    assert doc["openapi"].startswith("3.")
    start = doc["paths"]["/api/v1/conversations"]["post"]["requestBody"]["content"]
    assert start["application/json"]["schema"]["required"] == ["customer_id", "subject"]
    assert "multipart/form-data" in start


@pytest.mark.parametrize(
    ("body", "wanted"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"customer_id": "1", "subject": "s", "body": "b"}', "customer_id must be an integer"),
        (b'{"customer_id": true, "subject": "s", "body": "b"}', "customer_id must be an integer"),
        (b'{"customer_id": 1, "subject": 5, "body": "b"}', "subject must be a string"),
        (b'{"customer_id": 1, "subject": "s", "body": "b", "admin": 1}', "Unknown field 'admin'"),
        (b'{"subject": "s", "body": "b"}', "Missing field 'customer_id'"),
        (b'{"customer_id": 1, "subject": "s", "origin": "email"}', "origin must be one of"),
        (b'{"customer_id": 1, "subject": "", "body": "b"}', "Subject is empty"),
    ],
)
async def test_bad_bodies_get_a_400_that_names_the_problem(
    tenants: Tenants, body: bytes, wanted: str
) -> None:
    async with tenants.client(tenants.supplier_a) as client:
        r = await client.post(
            "/api/v1/conversations", content=body, headers={"Content-Type": "application/json"}
        )
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid_input"
    assert wanted in r.json()["message"]


async def test_bad_queries_paths_and_methods(tenants: Tenants) -> None:
    async with tenants.client(tenants.supplier_a) as client:
        cases = [
            (await client.get("/api/v1/customers?colour=red"), 400, "Unknown query parameter"),
            (await client.get("/api/v1/customers?limit=ten"), 400, "limit must be an integer"),
            (await client.get("/api/v1/customers?limit=0"), 400, "limit must be between 1 and 500"),
            (await client.get("/api/v1/customers?limit=1&limit=2"), 400, "more than once"),
            (await client.get("/api/v1/customers?cursor=garbage"), 400, "cursor is not valid"),
            (await client.get("/api/v1/conversations/abc"), 404, "No such endpoint"),
            (await client.get("/api/v1/nothing-here"), 404, "No such endpoint"),
            (await client.delete("/api/v1/customers"), 405, "DELETE is not allowed"),
            (
                await client.post(f"/api/v1/conversations/{tenants.conv_a}/messages", content=b"x",
                                  headers={"Content-Type": "text/plain"}),
                415,
                "application/json or multipart/form-data",
            ),
        ]  # fmt: skip
    for response, status, text in cases:
        assert response.status_code == status, response.text
        assert set(response.json()) >= {"error", "message"}
        assert text in response.json()["message"]


async def test_tokens_missing_unknown_revoked_and_wrong_role(tenants: Tenants) -> None:
    network = tenants.network
    token_id, token = issue(network, "supplier", user_id=network.user_a)
    async with tenants.client(token) as client:
        assert (await client.get("/api/v1/me")).status_code == 200
        conn = admin.connect(network.path)
        from netmsg_tui.store.sqlite.admin import revoke_token

        revoke_token(conn, token_id)
        conn.close()
        r = await client.get("/api/v1/me")
        assert r.status_code == 401 and "revoked" in r.json()["message"]
        assert r.headers["www-authenticate"] == "Bearer"
    async with tenants.client(None) as client:
        r = await client.get("/api/v1/me")
        assert r.status_code == 401 and "Missing token" in r.json()["message"]
        r = await client.get("/api/v1/me", headers={"Authorization": "Basic abc"})
        assert r.status_code == 401 and "Bearer" in r.json()["message"]
    async with tenants.client("nm_" + "x" * 43) as client:
        r = await client.get("/api/v1/me")
        assert r.status_code == 401 and "Unknown token" in r.json()["message"]
    async with tenants.client(tenants.customer_x) as client:
        r = await client.get("/api/v1/conversations")
        assert r.status_code == 403 and r.json()["error"] == "forbidden"
    async with tenants.client(tenants.supplier_a) as client:
        r = await client.get("/api/v1/customer/conversations")
        assert r.status_code == 403


async def test_tokens_are_stored_only_as_hashes(tenants: Tenants) -> None:
    conn = admin.connect(tenants.network.path)
    stored = {r[0] for r in conn.execute("SELECT token_hash FROM api_tokens")}
    conn.close()
    assert hash_token(tenants.supplier_a) in stored
    assert tenants.supplier_a not in stored
    assert len(tenants.supplier_a) >= 3 + 43  # nm_ + 256 bits in URL-safe base64


async def test_store_rules_come_back_as_json(tenants: Tenants) -> None:
    n = tenants.network
    async with tenants.client(tenants.supplier_a) as client:
        r = await client.post(
            "/api/v1/conversations",
            json={"customer_id": n.customer_off, "subject": "Hi", "body": "hello"},
        )
        assert r.status_code == 409 and r.json()["error"] == "messaging_disabled"
        assert r.json()["customer"]["contact"]["email"] == "eva@baltic.example"
    standard = issue(n, "supplier", user_id=n.user_s)[1]
    async with tenants.client(standard) as client:
        r = await client.post(
            "/api/v1/conversations",
            json={"customer_id": n.customer_on, "subject": "Hi", "body": "hello"},
        )
        assert r.status_code == 403 and r.json()["error"] == "upgrade_required"
        assert "Enterprise" in r.json()["message"]


async def test_customer_contact_answers_its_thread(tenants: Tenants) -> None:
    async with tenants.client(tenants.customer_x) as client:
        listed = (await client.get("/api/v1/customer/conversations")).json()["items"]
        assert [(c["id"], c["supplier"]) for c in listed] == [
            (tenants.conv_a, "Precision Parts GmbH")
        ]
        r = await client.post(
            f"/api/v1/customer/conversations/{tenants.conv_a}/messages",
            data={"message": '{"body": "Signed copy attached", "idempotency_key": "k1"}'},
            files=[("file", ("signed.pdf", b"%PDF-1.4 signed", "application/pdf"))],
        )
        assert r.status_code == 201, r.text
        again = await client.post(
            f"/api/v1/customer/conversations/{tenants.conv_a}/messages",
            data={"message": '{"body": "Signed copy attached", "idempotency_key": "k1"}'},
            files=[("file", ("signed.pdf", b"%PDF-1.4 signed", "application/pdf"))],
        )
        assert again.json()["id"] == r.json()["id"]
        att = r.json()["attachments"][0]
        content = await client.get(f"/api/v1/customer/attachments/{att['id']}/content")
        assert content.content == b"%PDF-1.4 signed"
    async with tenants.client(tenants.supplier_a) as client:
        page = (await client.get(f"/api/v1/conversations/{tenants.conv_a}/messages")).json()
        assert [m["body"] for m in page["items"]][-1] == "Signed copy attached"
        assert page["items"][-1]["author_kind"] == "customer"
        assert page["items"][-1]["author"] == "Xavier (Alpine Foods GmbH)"  # the token holder
        assert (await client.get("/api/v1/unread")).json() == {"unread": 1}


async def test_support_reads_granted_account_only_and_every_attempt_is_audited(
    tenants: Tenants,
) -> None:
    n = tenants.network
    async with tenants.client(tenants.support_a) as client:
        r = await client.get("/api/v1/conversations")
        assert [c["id"] for c in r.json()["items"]] == [tenants.conv_a]
        r = await client.get(f"/api/v1/conversations/{tenants.conv_a}/messages")
        assert r.status_code == 200
        r = await client.post(f"/api/v1/conversations/{tenants.conv_a}/read")
        assert r.status_code == 403 and "read-only" in r.json()["message"]
        r = await client.get("/api/v1/me", headers={"X-Netmsg-Account": str(n.account_b)})
        assert r.status_code == 403
        r = await client.get(f"/api/v1/conversations/{tenants.conv_b}")
        assert r.status_code == 404
    conn = admin.connect(n.path)
    audit = conn.execute(
        "SELECT token_id, account_id, action FROM audit_log ORDER BY id"
    ).fetchall()
    conn.close()
    assert (tenants.support_a_id, n.account_a, "GET /api/v1/conversations") in audit
    # The refused attempts are audited as such: the write, and the account not granted.
    write = f"REFUSED POST /api/v1/conversations/{tenants.conv_a}/read"
    assert (tenants.support_a_id, None, write) in audit
    assert (tenants.support_a_id, n.account_b, "REFUSED GET /api/v1/me") in audit
    assert len(audit) == 5  # three permitted reads (the 404 too), two refusals


async def test_the_operator_reads_the_audit_log_newest_first(
    tenants: Tenants, capsys: pytest.CaptureFixture[str]
) -> None:
    from netmsg_tui.cli import main

    async with tenants.client(tenants.support_a) as client:
        assert (await client.get("/api/v1/conversations?query=pump")).status_code == 200
        assert (await client.get("/api/v1/unread")).status_code == 200
    store = ["--store", str(tenants.network.path)]
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["admin", "audit-log", *store, "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [(e["action"], e["target"]) for e in entries] == [
        ("GET /api/v1/unread", ""),
        ("GET /api/v1/conversations", "query=pump"),
    ]
    assert entries[0]["token_id"] == tenants.support_a_id
    assert entries[0]["account_id"] == tenants.network.account_a
    assert await asyncio.to_thread(main, ["admin", "audit-log", *store, "--limit", "1"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert f"token {tenants.support_a_id}" in line and "GET /api/v1/unread" in line


async def test_slow_body_is_cut_off_with_408(network) -> None:
    from netmsg_tui.server.run import ServerThread

    token = issue(network, "supplier", user_id=network.user_a)[1]
    with ServerThread(network.path, rate=0, idle_timeout=0.3) as url:
        reader, writer = await asyncio.open_connection("127.0.0.1", int(url.rsplit(":", 1)[1]))
        writer.write(
            b"POST /api/v1/conversations HTTP/1.1\r\nHost: x\r\n"
            + f"Authorization: Bearer {token}\r\n".encode()
            + b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"body"'
        )
        await writer.drain()
        answer = b""
        while b"too slowly" not in answer and (
            chunk := await asyncio.wait_for(reader.read(65536), 30)
        ):
            answer += chunk
        writer.close()
    assert b" 408 " in answer.split(b"\r\n", 1)[0] and b"too slowly" in answer


async def test_rate_limit_answers_429_with_retry_after(network) -> None:
    from netmsg_tui.server.run import ServerThread

    token = issue(network, "supplier", user_id=network.user_a)[1]
    # A bucket of 3 refilled once in 1000 s: the fourth and fifth requests are refused however
    # slowly a loaded machine sends them (at 0.5/s, five requests had to go out within 2 s).
    with ServerThread(network.path, rate=0.001, burst=3) as url:
        async with httpx.AsyncClient(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            statuses = [(await client.get("/api/v1/unread")).status_code for _ in range(4)]
            assert statuses == [200, 200, 200, 429]
            r = await client.get("/api/v1/unread")
            assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
            assert r.json()["error"] == "rate_limited"
        other = issue(network, "supplier", user_id=network.user_a2)[1]
        async with httpx.AsyncClient(
            base_url=url, headers={"Authorization": f"Bearer {other}"}, timeout=30
        ) as client:
            assert (await client.get("/api/v1/unread")).status_code == 200  # per token


async def test_support_with_several_accounts_chooses_one_per_request(tenants: Tenants) -> None:
    n = tenants.network
    token = issue(n, "support", accounts=[n.account_a, n.account_b])[1]
    async with tenants.client(token) as client:
        r = await client.get("/api/v1/conversations")
        assert r.status_code == 400 and "X-Netmsg-Account" in r.json()["message"]
        r = await client.get("/api/v1/conversations", headers={"X-Netmsg-Account": "x"})
        assert r.status_code == 400
        r = await client.get(
            "/api/v1/conversations", headers={"X-Netmsg-Account": str(n.account_b)}
        )
        assert [c["id"] for c in r.json()["items"]] == [tenants.conv_b]
        r = await client.get(
            "/api/v1/conversations", headers={"X-Netmsg-Account": str(n.account_s)}
        )
        assert r.status_code == 403
