"""The API carries the language of a user's notification emails: PUT stores it, GET returns it,
a client that does not send it (one from before it existed) keeps the stored one, and a
language the network does not speak is refused."""

from __future__ import annotations

from .conftest import Tenants

PREFS = {
    "email_on_reply": True,
    "addresses": ["jana@parts.example"],
    "mode": "immediate",
    "toast": True,
    "bell": False,
}


async def test_the_language_preference_over_the_api(tenants: Tenants) -> None:
    async with tenants.client(tenants.supplier_a) as client:
        assert (await client.get("/api/v1/preferences")).json()["language"] == "en"
        saved = await client.put("/api/v1/preferences", json={**PREFS, "language": "de"})
        assert saved.status_code == 200 and saved.json()["language"] == "de"
        older = await client.put("/api/v1/preferences", json={**PREFS, "bell": True})
        assert older.json()["bell"] is True and older.json()["language"] == "de"
        refused = await client.put("/api/v1/preferences", json={**PREFS, "language": "fr"})
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_input"
        assert refused.json()["message"] == "language must be one of: en, de"
        assert (await client.get("/api/v1/preferences")).json()["language"] == "de"
