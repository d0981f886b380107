"""The supplier side of the API: the store port, one route per method.

Supplier tokens read and write their own account; support tokens may call the GET routes of the
accounts granted to them (the caller in :mod:`.app` enforces both and writes the audit log).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..i18n import LANGUAGES
from ..model import (
    MAX_BODY_CHARS,
    MAX_PAGE_SIZE,
    MAX_TEMPLATE_NAME_CHARS,
    Identity,
    NotificationPrefs,
)
from ..store.base import NotFound
from ..wire import page_json, to_json
from .bodies import Field
from .endpoint import READERS, SUPPLIER, Call, Endpoint, attachment_response
from .etags import kept_answer, page_answer
from .push import batch_json, change_stream, start_cursor

CURSOR = Field("cursor", "string", max_length=500, description="next_cursor of the previous page")
LIMIT = Field(
    "limit", "integer", maximum=MAX_PAGE_SIZE, description="page size, 1 to 500 (default 50)"
)
CHANGES_LIMIT = Field(
    "limit", "integer", maximum=MAX_PAGE_SIZE, description="changes per batch (default 200)"
)
SEARCH = Field("query", "string", max_length=200, description="search text")
ORIGIN = Field("origin", "string", choices=("app", "api"), description="default app")
KEY = Field(
    "idempotency_key",
    "string",
    nullable=True,
    max_length=200,
    description="a retried send with the same key is stored once",
)
START_FIELDS = (
    Field("customer_id", "integer", required=True),
    Field("subject", "string", required=True),
    Field("body", "string"),
    Field("document_id", "integer", nullable=True),
    KEY,
    ORIGIN,
)
REPLY_FIELDS = (Field("body", "string"), KEY, ORIGIN)
PREFS_FIELDS = (
    Field("email_on_reply", "boolean", required=True),
    Field("addresses", "string[]", required=True),
    Field("mode", "string", required=True, choices=("immediate", "daily")),
    Field("toast", "boolean", required=True),
    Field("bell", "boolean", required=True),
    # Optional: a client from before it keeps the stored language (see set_preferences).
    Field(
        "language",
        "string",
        nullable=True,
        choices=LANGUAGES,
        description="of notification emails (absent or null: as stored)",
    ),
)


def _limit(call: Call) -> int:
    return 50 if call.query["limit"] is None else int(call.query["limit"])


async def whoami(call: Call) -> Any:
    me = await call.store().whoami()
    if call.principal.role == "support":
        me = await support_identity(call, me)
    return to_json(me)


async def support_identity(call: Call, me: Identity) -> Identity:
    """A support token's identity: read-only, the account shown and every granted account (an
    account with no user yet cannot be read, so it is left out)."""
    network, granted = call.state.network, []
    for account_id in sorted(call.principal.granted):
        try:
            user = await network.support_user(account_id)
        except NotFound:
            continue
        granted.append((await network.for_user(user).whoami()).account)
    return dataclasses.replace(me, role="support", granted=tuple(granted))


async def list_customers(call: Call) -> Any:
    page = await call.store().list_customers(
        call.query["query"] or "", cursor=call.query["cursor"], limit=_limit(call)
    )
    return page_json(page.items, page.next_cursor)


async def get_customer(call: Call) -> Any:
    return to_json(await call.store().get_customer(call.path_id("customer_id")))


async def list_documents(call: Call) -> Any:
    page = await call.store().list_documents(
        call.query["query"] or "",
        kind=call.query["kind"],
        customer_id=call.query["customer_id"],
        oldest_first=bool(call.query["oldest_first"]),
        cursor=call.query["cursor"],
        limit=_limit(call),
    )
    return page_json(page.items, page.next_cursor)


async def get_document(call: Call) -> Any:
    return to_json(await call.store().get_document(call.path_id("document_id")))


async def document_thread(call: Call) -> Any:
    found = await call.store().document_thread(call.path_id("document_id"))
    return {"conversation": to_json(found)}


async def list_conversations(call: Call) -> Any:
    return await page_answer(  # 304, or the cached answer, or the query: see etags.py
        call,
        lambda: call.store().list_conversations(
            call.query["query"] or "",
            unread_only=bool(call.query["unread_only"]),
            customer_id=call.query["customer_id"],
            document_id=call.query["document_id"],
            cursor=call.query["cursor"],
            limit=_limit(call),
        ),
    )


async def start_conversation(call: Call) -> Any:
    b = call.body
    conversation = await call.store().start_conversation(
        b["customer_id"],
        b["subject"],
        b["body"] or "",
        call.files,
        document_id=b["document_id"],
        idempotency_key=b["idempotency_key"],
        origin=b["origin"] or "app",
    )
    return to_json(conversation)


async def get_conversation(call: Call) -> Any:
    return to_json(await call.store().get_conversation(call.path_id("conversation_id")))


async def list_messages(call: Call) -> Any:
    return await page_answer(
        call,
        lambda: call.store().list_messages(
            call.path_id("conversation_id"), cursor=call.query["cursor"], limit=_limit(call)
        ),
    )


async def reply(call: Call) -> Any:
    b = call.body
    message = await call.store().reply(
        call.path_id("conversation_id"),
        b["body"] or "",
        call.files,
        idempotency_key=b["idempotency_key"],
        origin=b["origin"] or "app",
    )
    return message  # encoded as it is (wire.encode)


async def mark_read(call: Call) -> Any:
    await call.store().mark_read(call.path_id("conversation_id"))
    return {"ok": True}


async def unread_total(call: Call) -> Any:
    async def read() -> Any:
        return {"unread": await call.store().unread_total()}

    # Every change of a user's unread count (a customer's message, a read mark) is a change of
    # the account in the feed: kept in memory as a list is (etags.py).
    return await kept_answer(call, read)


async def get_attachment(call: Call) -> Any:
    return to_json(await call.store().get_attachment(call.path_id("attachment_id")))


async def attachment_content(call: Call) -> Any:
    store = call.store()
    attachment_id = call.path_id("attachment_id")
    meta = await store.get_attachment(attachment_id)
    return attachment_response(meta, await store.read_attachment(attachment_id))


async def get_preferences(call: Call) -> Any:
    return to_json(await call.store().get_preferences())


async def set_preferences(call: Call) -> Any:
    b = call.body
    store = call.store()
    language = b["language"] or (await store.get_preferences()).language
    prefs = NotificationPrefs(
        email_on_reply=b["email_on_reply"],
        addresses=tuple(b["addresses"]),
        mode=b["mode"],
        toast=b["toast"],
        bell=b["bell"],
        language=language,
    )
    return to_json(await store.set_preferences(prefs))


async def list_templates(call: Call) -> Any:
    return {"items": to_json(await call.store().list_templates())}


async def get_template(call: Call) -> Any:
    return to_json(await call.store().get_template(call.query["name"]))


async def save_template(call: Call) -> Any:
    return to_json(await call.store().save_template(call.body["name"], call.body["body"]))


async def delete_template(call: Call) -> Any:
    await call.store().delete_template(call.query["name"])
    return {"ok": True}


async def changes(call: Call) -> Any:
    limit = call.query["limit"] or 200
    cursor = start_cursor(call)
    batch = await call.store().changes_since(cursor, limit=max(1, min(limit, 1000)))
    return batch_json(call, batch, cursor)


async def events(call: Call) -> Any:
    return change_stream(call, call.store().changes_since)


INT_CURSOR = Field(
    "cursor",
    "integer",
    minimum=0,
    description="the cursor of the last batch or event seen (opaque; 0: the start of the feed)",
)
# Names travel in the query or the body, not the path: every path parameter here is an id.
TEMPLATE_NAME = Field(
    "name", "string", required=True, max_length=MAX_TEMPLATE_NAME_CHARS, description="its name"
)
TEMPLATE_FIELDS = (
    TEMPLATE_NAME,
    Field(
        "body",
        "string",
        required=True,
        max_length=MAX_BODY_CHARS + 1,  # one over: the store's rule says it, in its own words
        description="the text; placeholders {customer}, {contact}, {document}, "
        "{document_kind}, {me}; {{ and }} for literal braces",
    ),
)
ENDPOINTS = [
    Endpoint("GET", "/api/v1/me", whoami, READERS, "Who am I: account, plan and user",
             response="Identity"),
    Endpoint("GET", "/api/v1/customers", list_customers, READERS,
             "Customers trading with this account", (SEARCH, CURSOR, LIMIT),
             response="Page:Customer"),
    Endpoint("GET", "/api/v1/customers/{customer_id:int}", get_customer, READERS,
             "One customer", response="Customer"),
    Endpoint("GET", "/api/v1/documents", list_documents, READERS,
             "Purchase orders and invoices",
             (SEARCH, Field("kind", "string", choices=("purchase_order", "invoice")),
              Field("customer_id", "integer"), Field("oldest_first", "boolean"), CURSOR, LIMIT),
             response="Page:Document"),
    Endpoint("GET", "/api/v1/documents/{document_id:int}", get_document, READERS,
             "One document with its line items", response="Document"),
    Endpoint("GET", "/api/v1/documents/{document_id:int}/thread", document_thread, READERS,
             "The conversation linked to a document (or null)", response="DocumentThread"),
    Endpoint("GET", "/api/v1/conversations", list_conversations, READERS,
             "Conversations, most recent activity first",
             (SEARCH, Field("unread_only", "boolean"), Field("customer_id", "integer"),
              Field("document_id", "integer"), CURSOR, LIMIT), response="Page:Conversation"),
    Endpoint("POST", "/api/v1/conversations", start_conversation, SUPPLIER,
             "Start a conversation with its first message", body=START_FIELDS, files=True,
             status=201, response="Conversation"),
    Endpoint("GET", "/api/v1/conversations/{conversation_id:int}", get_conversation, READERS,
             "One conversation", response="Conversation"),
    Endpoint("GET", "/api/v1/conversations/{conversation_id:int}/messages", list_messages,
             READERS, "A page of messages, newest page first", (CURSOR, LIMIT),
             response="Page:Message"),
    Endpoint("POST", "/api/v1/conversations/{conversation_id:int}/messages", reply, SUPPLIER,
             "Reply in a conversation", body=REPLY_FIELDS, files=True, status=201,
             response="Message"),
    Endpoint("POST", "/api/v1/conversations/{conversation_id:int}/read", mark_read, SUPPLIER,
             "Mark a conversation read", response="Ok"),
    Endpoint("GET", "/api/v1/unread", unread_total, READERS, "Unread customer messages",
             response="Unread"),
    Endpoint("GET", "/api/v1/attachments/{attachment_id:int}", get_attachment, READERS,
             "An attachment's metadata", response="Attachment"),
    Endpoint("GET", "/api/v1/attachments/{attachment_id:int}/content", attachment_content,
             READERS, "An attachment's bytes", returns="application/octet-stream"),
    Endpoint("GET", "/api/v1/preferences", get_preferences, READERS,
             "Notification preferences", response="Preferences"),
    Endpoint("PUT", "/api/v1/preferences", set_preferences, SUPPLIER,
             "Store notification preferences", body=PREFS_FIELDS, response="Preferences"),
    Endpoint("GET", "/api/v1/templates", list_templates, READERS,
             "The account's canned replies, by name", response="Templates"),
    Endpoint("PUT", "/api/v1/template", save_template, SUPPLIER,
             "Create or replace a canned reply (an unknown placeholder is refused)",
             body=TEMPLATE_FIELDS, response="Template"),
    Endpoint("GET", "/api/v1/template", get_template, READERS, "One canned reply, by name",
             (TEMPLATE_NAME,), response="Template"),
    Endpoint("DELETE", "/api/v1/template", delete_template, SUPPLIER,
             "Remove a canned reply", (TEMPLATE_NAME,), response="Ok"),
    Endpoint("GET", "/api/v1/changes", changes, READERS,
             "Changes after a cursor (no cursor: the current cursor)",
             (INT_CURSOR, CHANGES_LIMIT), response="ChangeBatch"),
    Endpoint("GET", "/api/v1/events", events, READERS,
             "Server-sent events: a 'changes' event per batch; resumes from cursor or "
             "Last-Event-ID", (INT_CURSOR,), returns="text/event-stream"),
]  # fmt: skip
