"""The server answers each request in the language of its Accept-Language header: the network's
rules keep one wording per language (the store's, raised on the store's own thread, the
server's validation, its 404s), codes and JSON keys stay English; the remote store asks in the
app's language, so a German TUI shows a server's refusals in German.

Real server on 127.0.0.1 (a thread of this process: the process itself is switched to German
where a test asks for English, so the header, not the process, decides)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from netmsg_tui import i18n
from netmsg_tui.server.limits import Limits
from netmsg_tui.server.run import ServerThread
from netmsg_tui.store import NotFound, UpgradeRequired
from netmsg_tui.store.remote import RemoteStore

from .conftest import Tenants, issue


async def _ask(
    tenants: Tenants,
    token: str,
    language: str,
    method: str,
    path: str,
    *,
    json: object = None,
    content: bytes | None = None,
) -> httpx.Response:
    headers = {"Accept-Language": language}
    if content is not None:
        headers["Content-Type"] = "application/json"
    async with tenants.client(token) as client:
        return await client.request(method, path, headers=headers, json=json, content=content)


async def test_a_rule_error_speaks_the_language_the_request_asks_for(tenants: Tenants) -> None:
    body = {"customer_id": tenants.network.customer_on, "subject": "x" * 201, "body": "Hallo"}
    german = await _ask(tenants, tenants.supplier_a, "de-DE,de;q=0.9,en;q=0.5", "POST",
                        "/api/v1/conversations", json=body)  # fmt: skip
    assert german.status_code == 400
    assert german.json() == {
        "error": "invalid_input",
        "message": "Der Betreff hat 201 Zeichen; erlaubt sind höchstens 200",
    }
    i18n.set_language("de")  # the server's process: the request's header still decides
    english = await _ask(tenants, tenants.supplier_a, "en-GB", "POST", "/api/v1/conversations",
                         json=body)  # fmt: skip
    assert english.json() == {
        "error": "invalid_input",
        "message": "Subject is 201 characters; at most 200 are allowed",
    }
    unspoken = await _ask(tenants, tenants.supplier_a, "fr-CH, fr;q=0.9", "POST",
                          "/api/v1/conversations", json=body)  # fmt: skip
    assert unspoken.json()["message"] == "Subject is 201 characters; at most 200 are allowed"


async def test_errors_raised_on_the_store_thread_and_by_the_server_itself_are_german(
    tenants: Tenants,
) -> None:
    missing = await _ask(tenants, tenants.supplier_a, "de", "GET", "/api/v1/conversations/987654")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": "not_found",
        "message": "Unterhaltung 987654 existiert nicht",
    }
    # Another tenant's thread reads the same as a missing one, in German too.
    other = await _ask(tenants, tenants.supplier_a, "de", "GET",
                       f"/api/v1/conversations/{tenants.conv_b}")  # fmt: skip
    assert other.json()["message"] == f"Unterhaltung {tenants.conv_b} existiert nicht"
    _, standard = issue(tenants.network, "supplier", user_id=tenants.network.user_s)
    upgrade = await _ask(tenants, standard, "de", "POST", "/api/v1/conversations",
                         json={"customer_id": tenants.network.customer_on, "subject": "Termin",
                               "body": "Hallo"})  # fmt: skip
    assert upgrade.status_code == 403 and upgrade.json()["error"] == "upgrade_required"
    assert upgrade.json()["message"].startswith("Nachrichten sind nur für Konten mit Enterprise")
    unknown = await _ask(tenants, tenants.supplier_a, "de", "POST", "/api/v1/conversations",
                         json={"customer_id": 1, "subject": "s", "colour": "red"})  # fmt: skip
    assert unknown.json() == {
        "error": "invalid_input",
        "message": "Unbekanntes Feld 'colour'; erlaubt: body, customer_id, document_id, "
        "idempotency_key, origin, subject",
    }
    broken = await _ask(tenants, tenants.supplier_a, "de", "POST", "/api/v1/conversations",
                        content=b"{")  # fmt: skip
    assert broken.json()["message"].startswith("Der Anfragetext ist kein gültiges JSON (")
    cursor = await _ask(tenants, tenants.supplier_a, "de", "GET",
                        "/api/v1/conversations?cursor=garbage")  # fmt: skip
    assert cursor.json() == {
        "error": "invalid_input",
        "message": "Dieser Seiten-Cursor ist ungültig; beginnen Sie erneut mit der ersten Seite",
    }
    nowhere = await _ask(tenants, tenants.supplier_a, "de", "GET", "/api/v1/nowhere")
    assert nowhere.json() == {
        "error": "not_found",
        "message": "Diesen Endpunkt gibt es nicht: /api/v1/nowhere",
    }
    async with tenants.client(tenants.supplier_a) as client:
        plain = await client.post(
            "/api/v1/conversations",
            headers={"Accept-Language": "de", "Content-Type": "text/plain"},
            content=b"Hallo",
        )
    assert plain.status_code == 415
    assert plain.json()["message"] == (
        "Senden Sie den Anfragetext als application/json oder multipart/form-data"
    )  # whole: no English "or" between the German words
    anonymous = await _ask(tenants, "", "de", "GET", "/api/v1/me")
    assert anonymous.status_code == 401
    assert anonymous.json()["message"] == (
        "Token fehlt: Senden Sie 'Authorization: Bearer <token>'"
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Unterhaltung 987654 existiert nicht"),
        ("en", "Conversation 987654 does not exist"),
    ],
)
async def test_a_remote_store_shows_the_servers_refusals_in_the_apps_language(
    tenants: Tenants, tmp_path: Path, language: str, expected: str
) -> None:
    i18n.set_language(language)
    store = RemoteStore(tenants.url, tenants.supplier_a, outbox_path=tmp_path / "o.db")
    try:
        with pytest.raises(NotFound) as missing:
            await store.get_conversation(987654)
        assert str(missing.value) == expected
    finally:
        await store.close()


async def test_a_german_remote_store_on_the_standard_plan_reads_the_upgrade_text_in_german(
    tenants: Tenants, tmp_path: Path
) -> None:
    _, standard = issue(tenants.network, "supplier", user_id=tenants.network.user_s)
    i18n.set_language("de")
    store = RemoteStore(tenants.url, standard, outbox_path=tmp_path / "o.db")
    try:
        with pytest.raises(UpgradeRequired) as refused:
            await store.reply(tenants.conv_a, "Hallo", idempotency_key=None)
        assert "Upgrade auf den Enterprise-Tarif" in str(refused.value)
    finally:
        await store.close()


async def _raw(url: str, head: bytes) -> dict[str, object]:
    """Send ``head`` as it is and read the answer until the server closes the connection."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(head)
    await writer.drain()
    raw = b""
    while chunk := await asyncio.wait_for(reader.read(65536), 30):
        raw += chunk
    writer.close()
    return json.loads(raw.split(b"\r\n\r\n", 1)[1])


async def test_the_guards_raw_answers_read_the_header_lines_that_did_arrive(network) -> None:
    with ServerThread(network.path, rate=0, limits=Limits(head_timeout=0.5)) as url:
        # The head never ends: the 408 comes from the guard, before any app ran.
        late = await _raw(url, b"GET /api/v1/me HTTP/1.1\r\nAccept-Language: de\r\nX-A: 1\r\n")
        assert late == {
            "error": "timeout",
            "message": "Der Anfragekopf kam nicht innerhalb von 0,5 s an",
        }
        english = await _raw(url, b"GET /api/v1/me HTTP/1.1\r\nX-A: 1\r\n")
        assert english["message"] == "The request head did not arrive within 0.5 s"
