"""Conditional requests on a real server: the conversation list and a thread page carry an
ETag; If-None-Match with the current one is answered 304 with no body; any change the user can
see moves it, another tenant's never does; the remote store asks this way on every refresh."""

from __future__ import annotations

from pathlib import Path

import httpx

from netmsg_tui.store.remote import RemoteStore

from .conftest import Tenants, issue

LIST = "/api/v1/conversations"


async def tag_of(client: httpx.AsyncClient, path: str, **params: object) -> str:
    r = await client.get(path, params=params)
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "private, no-cache"
    return r.headers["etag"]


async def test_an_unchanged_list_is_answered_304_without_a_body(tenants: Tenants) -> None:
    async with tenants.client(tenants.supplier_a) as client:
        first = await client.get(LIST)
        tag = first.headers["etag"]
        assert tag.startswith('"') and tag.endswith('"')
        assert await tag_of(client, LIST) == tag  # nothing changed: the same tag
        again = await client.get(LIST, headers={"If-None-Match": tag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == tag
        # A list of tags and the weak form name it too; another tag does not.
        both = await client.get(LIST, headers={"If-None-Match": f'"nope", W/{tag}'})
        assert both.status_code == 304
        other = await client.get(LIST, headers={"If-None-Match": '"nope"'})
        assert other.status_code == 200
        assert other.json() == first.json()


async def test_the_tag_moves_with_a_new_message_a_read_and_a_new_thread(
    tenants: Tenants,
) -> None:
    network = tenants.network
    async with tenants.client(tenants.supplier_a) as client:
        tags = [await tag_of(client, LIST)]
        r = await client.post(
            f"/api/v1/conversations/{tenants.conv_a}/messages", json={"body": "a new line"}
        )
        assert r.status_code == 201
        tags.append(await tag_of(client, LIST))
        await network.customer_reply(tenants.conv_a, "the customer answers")
        tags.append(await tag_of(client, LIST))
        listed = (await client.get(LIST)).json()["items"]
        assert [c["unread_count"] for c in listed if c["id"] == tenants.conv_a] == [1]
        r = await client.post(f"/api/v1/conversations/{tenants.conv_a}/read")
        assert r.status_code == 200
        tags.append(await tag_of(client, LIST))
        r = await client.post(
            LIST, json={"customer_id": network.customer_on, "subject": "New", "body": "hi"}
        )
        assert r.status_code == 201
        tags.append(await tag_of(client, LIST))
        assert len(set(tags)) == len(tags), tags
        # The first tag is stale now: a full answer, never a 304.
        stale = await client.get(LIST, headers={"If-None-Match": tags[0]})
        assert stale.status_code == 200
        assert len(stale.json()["items"]) == len(listed) + 1


async def test_tags_are_per_user_per_query_and_other_tenants_do_not_move_them(
    tenants: Tenants,
) -> None:
    network = tenants.network
    a2_token = issue(network, "supplier", user_id=network.user_a2)[1]
    async with (
        tenants.client(tenants.supplier_a) as a,
        tenants.client(a2_token) as a2,
        tenants.client(tenants.supplier_b) as b,
    ):
        tag_a = await tag_of(a, LIST)
        tag_a_unread = await tag_of(a, LIST, unread_only="true")
        tag_a2 = await tag_of(a2, LIST)
        tag_b = await tag_of(b, LIST)
        assert len({tag_a, tag_a_unread, tag_a2, tag_b}) == 4
        # Another user's or tenant's tag is no key to this user's list.
        for tag in (tag_a2, tag_b):
            r = await a.get(LIST, headers={"If-None-Match": tag})
            assert r.status_code == 200
        # B writes (its own message, a customer's reply, a read): A's tag stays.
        r = await b.post(f"/api/v1/conversations/{tenants.conv_b}/messages", json={"body": "b"})
        assert r.status_code == 201
        await network.customer_reply(tenants.conv_b, "to B only")
        await b.post(f"/api/v1/conversations/{tenants.conv_b}/read")
        assert await tag_of(a, LIST) == tag_a
        assert (await a.get(LIST, headers={"If-None-Match": tag_a})).status_code == 304
        assert await tag_of(b, LIST) != tag_b


async def test_a_thread_page_is_tagged_too(tenants: Tenants) -> None:
    path = f"/api/v1/conversations/{tenants.conv_a}/messages"
    async with tenants.client(tenants.supplier_a) as client:
        tag = await tag_of(client, path)
        assert tag != await tag_of(client, LIST)
        assert (await client.get(path, headers={"If-None-Match": tag})).status_code == 304
        await tenants.network.customer_reply(tenants.conv_a, "more")
        r = await client.get(path, headers={"If-None-Match": tag})
        assert r.status_code == 200
        assert r.json()["items"][-1]["body"] == "more"
        # Another tenant's thread stays refused whatever tag is sent.
        other = f"/api/v1/conversations/{tenants.conv_b}/messages"
        r = await client.get(other, headers={"If-None-Match": "*"})
        assert r.status_code == 404


async def test_support_reads_are_tagged_and_still_audited(tenants: Tenants) -> None:
    async with tenants.client(tenants.support_a) as client:
        tag = await tag_of(client, LIST)
        r = await client.get(LIST, headers={"If-None-Match": tag})
        assert r.status_code == 304
    from netmsg_tui.store.sqlite.network import SQLiteNetworkStore

    network = SQLiteNetworkStore(tenants.network.path)
    try:
        log = await network.audit_log(limit=20)
    finally:
        await network.close()
    listed = [e for e in log if e.token_id == tenants.support_a_id and e.action.endswith(LIST)]
    assert len(listed) >= 2  # the 304 was audited as a read like the 200


class Recorder(httpx.AsyncHTTPTransport):
    """httpx's own transport, noting the status of every answer the server sent."""

    def __init__(self) -> None:
        super().__init__()
        self.statuses: list[tuple[str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        self.statuses.append((request.url.path, response.status_code))
        return response


async def test_the_remote_store_refreshes_with_if_none_match(
    tenants: Tenants, tmp_path: Path
) -> None:
    recorder = Recorder()
    store = RemoteStore(
        tenants.url, tenants.supplier_a, outbox_path=tmp_path / "outbox.db", transport=recorder
    )
    try:
        first = await store.list_conversations()
        second = await store.list_conversations()
        assert second == first
        thread = await store.list_messages(tenants.conv_a)
        assert await store.list_messages(tenants.conv_a) == thread
        answers = [s for p, s in recorder.statuses if p.startswith(LIST)]
        assert answers == [200, 304, 200, 304]
        # Another query is its own request; a change is a full answer with the new rows.
        await store.list_conversations(unread_only=True)
        await tenants.network.customer_reply(tenants.conv_a, "news")
        third = await store.list_conversations()
        assert third != first
        assert [c.unread_count for c in third.items if c.id == tenants.conv_a] == [1]
        assert (await store.list_messages(tenants.conv_a)).items[-1].body == "news"
        answers = [s for p, s in recorder.statuses if p.startswith(LIST)]
        assert answers[4:] == [200, 200, 200]
    finally:
        await store.close()
