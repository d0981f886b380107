"""Tenant isolation, walked over every route of the OpenAPI document: supplier A's token (and a
support token for A) gets nothing of supplier B, customer X's token nothing of customer Y.

Path and query ids are filled with the *other* tenant's ids; an answer must be 404 (or an empty
listing, or A's own data) and must not contain any of the other tenant's text. Writes must not
land in the other tenant's threads.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from netmsg_tui.store.sqlite import SQLiteStore

from .conftest import Tenants

B_SECRETS = (
    "Bravo secret",
    "bravo body",
    "bravo customer answer",
    "Cobalt Retail",
    "4500099999",
    "b.txt",
    "Other Supplier AG",
    "Olga",
    "bravo",
)


def other_ids(t: Tenants) -> dict[str, int]:
    n = t.network
    return {
        "customer_id": n.customer_other,
        "document_id": n.po_b,
        "conversation_id": t.conv_b,
        "attachment_id": t.attachment_b,
        "message_id": t.message_b,
        "cursor": 0,
        "limit": 50,
    }


def probe_value(name: str, schema: dict[str, Any], ids: dict[str, int]) -> Any:
    schema = schema.get("anyOf", [schema])[0]
    if name in ids:
        return ids[name]
    if "enum" in schema:
        return schema["enum"][0]
    return {
        "integer": 1,
        "boolean": False,
        "string": "probe",
        "array": ["probe@example.com"],
    }[schema["type"]]


def probe_body(operation: dict[str, Any], ids: dict[str, int]) -> dict[str, Any] | None:
    if "requestBody" not in operation:
        return None
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    return {name: probe_value(name, prop, ids) for name, prop in schema["properties"].items()}


async def call(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    operation: dict[str, Any],
    ids: dict[str, int],
) -> tuple[int, str]:
    for param in operation["parameters"]:
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", str(ids[param["name"]]))
    query = {
        p["name"]: probe_value(p["name"], p["schema"], ids)
        for p in operation["parameters"]
        if p["in"] == "query" and p["name"] in ids
    }
    query = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in query.items()}
    body = probe_body(operation, ids)
    if operation["responses"].get("200", {}).get("content", {}).get("text/event-stream"):
        # An event stream: read what it sends first (the backlog from cursor 0), then leave.
        async with client.stream(method, path, params=query) as response:
            text = ""
            if response.status_code == 200:
                async for line in response.aiter_lines():
                    text += line + "\n"
                    if line.startswith("data:"):
                        break
            else:
                text = (await response.aread()).decode()
            return response.status_code, text
    response = await client.request(method, path, params=query, json=body)
    return response.status_code, response.text


def conversation_ids(text: str) -> set[int]:
    found: set[int] = set()
    for line in text.splitlines():
        payload = line[5:] if line.startswith("data:") else line
        try:
            data = json.loads(payload)
        except ValueError:
            continue
        for change in data.get("changes", []) if isinstance(data, dict) else []:
            found.add(change["conversation_id"])
    return found


async def walk(t: Tenants, token: str, role: str, ids: dict[str, int]) -> list[str]:
    async with t.client(None) as client:
        doc = (await client.get("/openapi.json")).json()
    walked = []
    async with t.client(token) as client:
        for path, operations in doc["paths"].items():
            for method, operation in operations.items():
                if role not in operation["x-roles"]:
                    continue
                status, text = await call(client, method.upper(), path, operation, ids)
                where = f"{method.upper()} {path} -> {status}: {text[:200]}"
                assert status < 500, where
                for secret in B_SECRETS:
                    assert secret not in text, where
                assert t.conv_b not in conversation_ids(text), where
                if "{" in path:
                    assert status in (403, 404), where
                walked.append(f"{method.upper()} {path}")
    return walked


async def count_b_messages(t: Tenants) -> int:
    store = SQLiteStore(t.network.path, user_id=t.network.user_b)
    try:
        return (await store.get_conversation(t.conv_b)).message_count
    finally:
        await store.close()


async def test_supplier_a_gets_nothing_of_supplier_b_on_any_route(tenants: Tenants) -> None:
    before = await count_b_messages(tenants)
    walked = await walk(tenants, tenants.supplier_a, "supplier", other_ids(tenants))
    assert len(walked) >= 19  # every supplier route of the document
    assert "POST /api/v1/conversations/{conversation_id}/messages" in walked
    assert await count_b_messages(tenants) == before


async def test_support_for_a_gets_nothing_of_b_on_any_route(tenants: Tenants) -> None:
    walked = await walk(tenants, tenants.support_a, "support", other_ids(tenants))
    assert "GET /api/v1/events" in walked and len(walked) >= 15


async def test_customer_x_gets_no_thread_of_customer_y_on_any_route(tenants: Tenants) -> None:
    before = await count_b_messages(tenants)
    walked = await walk(tenants, tenants.customer_x, "customer", other_ids(tenants))
    assert len(walked) == 9
    assert await count_b_messages(tenants) == before


async def test_customer_y_sees_its_own_thread_but_not_x(tenants: Tenants) -> None:
    """The walk above is only meaningful if the ids it probes are real: Y does see them."""
    async with tenants.client(tenants.customer_y) as client:
        r = await client.get(f"/api/v1/customer/conversations/{tenants.conv_b}/messages")
        assert r.status_code == 200 and "bravo body" in r.text
        r = await client.get(f"/api/v1/customer/conversations/{tenants.conv_a}/messages")
        assert r.status_code == 404 and "alpha" not in r.text
    async with tenants.client(tenants.supplier_b) as client:
        r = await client.get(f"/api/v1/attachments/{tenants.attachment_b}/content")
        assert r.status_code == 200 and r.content == b"bravo"


async def test_the_walk_does_catch_a_leak(tenants: Tenants) -> None:
    """B's own token over B's ids must trip the walk: proof that it looks at the right things."""
    try:
        await walk(tenants, tenants.supplier_b, "supplier", other_ids(tenants))
    except AssertionError as caught:
        assert any(secret in str(caught) for secret in B_SECRETS)
    else:
        raise AssertionError("the isolation walk saw B's data through B's token and passed")
