"""Canned replies over HTTP: the routes, their OpenAPI entries, the rule's refusal in the rule's
words, tenants apart, support read-only."""

from __future__ import annotations

from netmsg_tui.model import MAX_BODY_CHARS, template_problem
from tests.server.conftest import Tenants


async def test_templates_round_trip_and_stay_with_their_account(tenants: Tenants) -> None:
    body = "Dear {contact}, {document_kind} {document} ships Friday. {me}"
    async with tenants.client(tenants.supplier_a) as a, tenants.client(tenants.supplier_b) as b:
        saved = await a.put("/api/v1/template", json={"name": "ETA", "body": body})
        assert saved.status_code == 200, saved.text
        assert saved.json() == {"name": "ETA", "body": body}
        assert (await a.get("/api/v1/templates")).json() == {"items": [saved.json()]}
        got = await a.get("/api/v1/template", params={"name": "ETA"})
        assert got.json() == saved.json()
        assert (await b.get("/api/v1/templates")).json() == {"items": []}
        assert (await b.get("/api/v1/template", params={"name": "ETA"})).status_code == 404
        assert (await b.delete("/api/v1/template", params={"name": "ETA"})).status_code == 404
        gone = await a.delete("/api/v1/template", params={"name": "ETA"})
        assert gone.status_code == 200 and gone.json() == {"ok": True}
        assert (await a.get("/api/v1/template", params={"name": "ETA"})).status_code == 404


async def test_an_unknown_placeholder_is_refused_with_the_rules_words(tenants: Tenants) -> None:
    bad = "Dear {contact}, order {po_number} ships"
    async with tenants.client(tenants.supplier_a) as a:
        refused = await a.put("/api/v1/template", json={"name": "ETA", "body": bad})
        assert refused.status_code == 400
        assert refused.json()["message"] == template_problem("ETA", bad)
        assert "Unknown placeholder {po_number}" in refused.json()["message"]
        long = "x" * (MAX_BODY_CHARS + 1)
        too_long = await a.put("/api/v1/template", json={"name": "ETA", "body": long})
        assert too_long.status_code == 400
        assert too_long.json()["message"] == template_problem("ETA", long)
        assert (await a.get("/api/v1/templates")).json() == {"items": []}


async def test_support_reads_templates_but_cannot_write_them(tenants: Tenants) -> None:
    async with tenants.client(tenants.supplier_a) as a, tenants.client(tenants.support_a) as s:
        await a.put("/api/v1/template", json={"name": "ETA", "body": "Soon, {me}"})
        assert [t["name"] for t in (await s.get("/api/v1/templates")).json()["items"]] == ["ETA"]
        put = await s.put("/api/v1/template", json={"name": "X", "body": "y"})
        assert put.status_code == 403
        assert (await s.delete("/api/v1/template", params={"name": "ETA"})).status_code == 403


async def test_the_template_routes_are_documented(tenants: Tenants) -> None:
    async with tenants.client(None) as client:
        doc = (await client.get("/openapi.json")).json()
    put = doc["paths"]["/api/v1/template"]["put"]
    schema = put["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["name", "body"]
    assert "{customer}" in schema["properties"]["body"]["description"]
    assert {"200", "400", "403"} <= set(put["responses"])
    assert set(doc["paths"]["/api/v1/template"]) == {"get", "put", "delete"}
    listed = doc["paths"]["/api/v1/templates"]["get"]["responses"]["200"]["content"]
    assert listed["application/json"]["schema"] == {"$ref": "#/components/schemas/Templates"}
    assert doc["components"]["schemas"]["Template"]["required"] == ["name", "body"]
