"""The customer side of the API: a buyer's contact lists and answers its own threads.

This is how customers' replies reach the network. A customer token sees only the conversations
of its own customer (with any supplier); every other id answers 404.
"""

from __future__ import annotations

from typing import Any

from ..i18n import _
from ..model import MAX_PAGE_SIZE, ChangeBatch, CustomerConversation
from ..store.base import InvalidInput
from ..wire import to_json
from .bodies import Field
from .endpoint import CUSTOMER, Call, Endpoint, attachment_response
from .push import batch_json, change_stream, start_cursor
from .routes import CHANGES_LIMIT, CURSOR, INT_CURSOR, KEY, LIMIT


def _customer(call: Call) -> int:
    customer_id = call.principal.customer_id
    assert customer_id is not None
    return customer_id


def _contact(call: Call) -> int:
    contact_id = call.principal.contact_id
    assert contact_id is not None
    return contact_id


def _limit(call: Call) -> int:
    return 50 if call.query["limit"] is None else int(call.query["limit"])


def _conversation_json(found: CustomerConversation) -> Any:
    return {**to_json(found.conversation), "supplier": found.supplier}


async def me(call: Call) -> Any:
    contact_id = call.principal.contact_id
    assert contact_id is not None
    return to_json(await call.state.network.customer_profile(contact_id))


async def list_conversations(call: Call) -> Any:
    page = await call.state.network.customer_conversations(
        _customer(call), cursor=call.query["cursor"], limit=_limit(call)
    )
    return {"items": [_conversation_json(c) for c in page.items], "next_cursor": page.next_cursor}


async def get_conversation(call: Call) -> Any:
    found = await call.state.network.customer_conversation(
        _customer(call), call.path_id("conversation_id")
    )
    return _conversation_json(found)


async def list_messages(call: Call) -> Any:
    page = await call.state.network.customer_messages(
        _customer(call),
        call.path_id("conversation_id"),
        cursor=call.query["cursor"],
        limit=_limit(call),
    )
    if call.query["cursor"] is None:  # the thread was opened: the contact has read it
        await call.state.network.customer_mark_read(_contact(call), call.path_id("conversation_id"))
    return {"items": to_json(page.items), "next_cursor": page.next_cursor}


async def mark_read(call: Call) -> Any:
    await call.state.network.customer_mark_read(_contact(call), call.path_id("conversation_id"))
    return {"ok": True}


async def reply(call: Call) -> Any:
    message = await call.state.network.customer_reply(
        call.path_id("conversation_id"),
        call.body["body"] or "",
        call.files,
        customer_id=_customer(call),
        contact_id=call.principal.contact_id,
        origin=call.body["origin"] or "api",
        idempotency_key=call.body["idempotency_key"],
    )
    return to_json(message)


async def attachment_content(call: Call) -> Any:
    meta, data = await call.state.network.customer_attachment(
        _customer(call), call.path_id("attachment_id")
    )
    return attachment_response(meta, data)


async def changes(call: Call) -> Any:
    limit = call.query["limit"] or 200
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(
            _("limit must be between 1 and {max_page_size}").format(max_page_size=MAX_PAGE_SIZE)
        )
    cursor = start_cursor(call)
    batch = await call.state.network.customer_changes(_customer(call), cursor, limit=limit)
    return batch_json(call, batch, cursor, extra=False)


async def events(call: Call) -> Any:
    customer_id, network = _customer(call), call.state.network

    async def fetch(cursor: int | None) -> ChangeBatch:
        return await network.customer_changes(customer_id, cursor)

    return change_stream(call, fetch, extra=False)


ENDPOINTS = [
    Endpoint("GET", "/api/v1/customer/me", me, CUSTOMER,
             "The customer contact and its organisation", response="CustomerProfile"),
    Endpoint("GET", "/api/v1/customer/conversations", list_conversations, CUSTOMER,
             "The customer's threads with all its suppliers", (CURSOR, LIMIT),
             response="Page:CustomerConversation"),
    Endpoint("GET", "/api/v1/customer/conversations/{conversation_id:int}", get_conversation,
             CUSTOMER, "One of the customer's threads", response="CustomerConversation"),
    Endpoint("GET", "/api/v1/customer/conversations/{conversation_id:int}/messages",
             list_messages, CUSTOMER, "A page of a thread's messages", (CURSOR, LIMIT),
             response="Page:Message"),
    Endpoint("POST", "/api/v1/customer/conversations/{conversation_id:int}/read", mark_read,
             CUSTOMER, "The contact read the thread (opening its messages does so too)",
             response="Ok"),
    Endpoint("POST", "/api/v1/customer/conversations/{conversation_id:int}/messages", reply,
             CUSTOMER, "Answer the supplier in a thread",
             body=(Field("body", "string"), KEY,
                   Field("origin", "string", choices=("app", "api"), description="default api")),
             files=True, status=201, response="Message"),
    Endpoint("GET", "/api/v1/customer/attachments/{attachment_id:int}/content",
             attachment_content, CUSTOMER, "An attachment's bytes",
             returns="application/octet-stream"),
    Endpoint("GET", "/api/v1/customer/changes", changes, CUSTOMER,
             "Changes to the customer's threads after a cursor",
             (INT_CURSOR, CHANGES_LIMIT), response="ChangeBatch"),
    Endpoint("GET", "/api/v1/customer/events", events, CUSTOMER,
             "Server-sent events for the customer's threads", (INT_CURSOR,),
             returns="text/event-stream"),
]  # fmt: skip
