"""Every documented route answers what its OpenAPI schema says: each route is called with real
ids of the caller's own tenant and its JSON answer is checked against the documented schema
(strictly: an undocumented field fails too)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import httpx

from netmsg_tui.model import InboundMail
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.store.sqlite.network import SQLiteNetworkStore
from tests.conftest import Network

from .conftest import Tenants

TEMPLATE = "Schema"
DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def check(value: Any, schema: dict[str, Any], doc: dict[str, Any], where: str) -> None:
    """A small JSON-schema check: the subset of keywords the document uses."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        check(value, doc["components"]["schemas"][name], doc, f"{where}<{name}>")
        return
    if "anyOf" in schema:
        problems = []
        for option in schema["anyOf"]:
            try:
                check(value, option, doc, where)
                return
            except AssertionError as exc:
                problems.append(str(exc))
        raise AssertionError(f"{where}: matches no option: {problems}")
    kind = schema.get("type")
    python = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "boolean": bool,
        "number": (int, float),
        "null": type(None),
    }
    if kind is not None:
        assert isinstance(value, python[kind]), f"{where}: {value!r} is not {kind}"
        assert not (kind == "integer" and isinstance(value, bool)), f"{where}: bool for integer"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if schema.get("format") == "date-time":
        assert DATE_TIME.match(value), f"{where}: {value!r} is not a date-time"
    if kind == "object":
        for name in schema.get("required", []):
            assert name in value, f"{where}: missing {name!r}"
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                check(item, properties[name], doc, f"{where}.{name}")
            elif extra is False:
                raise AssertionError(f"{where}: undocumented field {name!r}")
            elif isinstance(extra, dict):
                check(item, extra, doc, f"{where}.{name}")
    if kind == "array":
        for i, item in enumerate(value):
            check(item, schema["items"], doc, f"{where}[{i}]")


def valid_body(operation: dict[str, Any], t: Tenants) -> dict[str, Any] | None:
    if "requestBody" not in operation:
        return None
    properties = operation["requestBody"]["content"]["application/json"]["schema"]["properties"]
    if "email_on_reply" in properties:
        return {"email_on_reply": True, "addresses": ["jana@parts.example"], "mode": "daily",
                "toast": True, "bell": False}  # fmt: skip
    if "name" in properties:  # a canned reply, fetched and removed by name next
        return {"name": TEMPLATE, "body": "Checked, {me}"}
    if "customer_id" in properties:
        return {"customer_id": t.network.customer_on, "subject": "Schema", "body": "checked"}
    return {"body": "checked"}


async def walk(
    t: Tenants, token: str, role: str, ids: dict[str, int], query: dict[str, str] | None = None
) -> int:
    """Call every operation of ``role`` with ``ids`` in the path and the required query
    parameters from ``query``; check each answer against its documented schema."""
    async with t.client(None) as anonymous:
        doc = (await anonymous.get("/openapi.json")).json()
    checked = 0
    async with t.client(token) as client:
        for path, operations in doc["paths"].items():
            for method, op in operations.items():
                if role not in op["x-roles"]:
                    continue
                url = path
                for name, value in ids.items():
                    url = url.replace("{" + name + "}", str(value))
                [(status, answer)] = [(s, r) for s, r in op["responses"].items() if s < "300"]
                content_type = next(iter(answer["content"]))
                where = f"{method.upper()} {path}"
                if content_type == "text/event-stream":
                    async with client.stream("GET", url, params={"cursor": "0"}) as response:
                        assert response.status_code == 200, where
                        async for line in response.aiter_lines():
                            if line.startswith("data:"):
                                check(json.loads(line[5:]), doc["components"]["schemas"][
                                    "ChangeBatch"], doc, where)  # fmt: skip
                                break
                    checked += 1
                    continue
                # Required query parameters: from ``query``, else a canned reply's name.
                params = {
                    p["name"]: (query or {}).get(p["name"], TEMPLATE)
                    for p in op.get("parameters", ())
                    if p["in"] == "query" and p.get("required")
                }
                response = await client.request(
                    method.upper(), url, json=valid_body(op, t), params=params
                )
                assert response.status_code == int(status), f"{where}: {response.text[:300]}"
                if content_type == "application/json":
                    check(response.json(), answer["content"][content_type]["schema"], doc, where)
                checked += 1
        missing = await client.get("/api/v1/conversations/999999")
        check(missing.json(), {"$ref": "#/components/schemas/Error"}, doc, "404")
    return checked


async def test_supplier_routes_answer_their_documented_schemas(tenants: Tenants) -> None:
    n = tenants.network
    ids = {
        "customer_id": n.customer_on,
        "document_id": n.po_a,
        "conversation_id": tenants.conv_a,
        "attachment_id": tenants.attachment_a,
        "message_id": await first_message(n, tenants.conv_a),
    }
    net = SQLiteNetworkStore(n.path)
    try:  # an emailed reply to look up by its Message-ID (GET /api/v1/mail/trail)
        await net.record_inbound_mail(
            InboundMail("<walk@x>", datetime.now(UTC), "rejected", "empty", tenants.conv_a)
        )
    finally:
        await net.close()
    query = {"query": "Alpine", "message_id": "<walk@x>"}
    # 19, 4 of canned replies, 5 of support look-ups
    assert await walk(tenants, tenants.supplier_a, "supplier", ids, query) == 28


async def first_message(n: Network, conversation_id: int) -> int:
    store = SQLiteStore(n.path, user_id=n.user_a)
    try:
        return (await store.list_messages(conversation_id)).items[0].id
    finally:
        await store.close()


async def test_customer_routes_answer_their_documented_schemas(tenants: Tenants) -> None:
    ids = {"conversation_id": tenants.conv_a, "attachment_id": tenants.attachment_a}
    assert await walk(tenants, tenants.customer_x, "customer", ids) == 9


async def test_the_check_is_strict(tenants: Tenants) -> None:
    async with httpx.AsyncClient(base_url=tenants.url, timeout=30) as client:
        doc = (await client.get("/openapi.json")).json()
    conversation = {"$ref": "#/components/schemas/Conversation"}
    try:
        check({"id": 1}, conversation, doc, "probe")
    except AssertionError as exc:
        assert "missing" in str(exc)
    else:
        raise AssertionError("a conversation without its fields passed the check")
