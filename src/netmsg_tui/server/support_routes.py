"""What support staff look up (and suppliers, for their own account): find by any key, the
delivery trail of a message, the customer's read marks of a thread, the inbound mail log.

Read-only routes for supplier and support tokens: the caller in :mod:`.app` picks the account
(a support token's ``X-Netmsg-Account``) and audits every support read, as for every GET.
"""

from __future__ import annotations

from typing import Any

from ..model import MAX_PAGE_SIZE, MAX_SEARCH_CHARS
from ..wire import to_json
from .bodies import Field
from .endpoint import READERS, Call, Endpoint

MAX_MAIL_ID = 998


async def find(call: Call) -> Any:
    limit = 20 if call.query["limit"] is None else int(call.query["limit"])
    return {"items": to_json(await call.store().find(call.query["query"], limit=limit))}


async def message_trail(call: Call) -> Any:
    return to_json(await call.store().message_trail(call.path_id("message_id")))


async def mail_trail(call: Call) -> Any:
    return to_json(await call.store().message_trail(str(call.query["message_id"])))


async def customer_reads(call: Call) -> Any:
    found = await call.store().customer_reads(call.path_id("conversation_id"))
    return {"items": to_json(found)}


async def mail_log(call: Call) -> Any:
    limit = 20 if call.query["limit"] is None else int(call.query["limit"])
    return {"items": to_json(await call.store().mail_log(limit=limit))}


FIND_LIMIT = Field(
    "limit", "integer", maximum=MAX_PAGE_SIZE, description="at most this many hits (default 20)"
)
MAIL_LIMIT = Field(
    "limit", "integer", maximum=MAX_PAGE_SIZE, description="at most this many (default 20)"
)
ENDPOINTS = [
    Endpoint("GET", "/api/v1/find", find, READERS,
             "Look up by thread id, message id, document number, network id or customer name",
             (Field("query", "string", required=True, max_length=MAX_SEARCH_CHARS,
                    description="an id (12 or #12), a document number, AN…, or a name"),
              FIND_LIMIT), response="List:Found"),
    Endpoint("GET", "/api/v1/messages/{message_id:int}/trail", message_trail, READERS,
             "The delivery trail of a stored message", response="DeliveryTrail"),
    Endpoint("GET", "/api/v1/mail/trail", mail_trail, READERS,
             "The delivery trail of an emailed reply, by its Message-ID (also a rejected one)",
             (Field("message_id", "string", required=True, max_length=MAX_MAIL_ID,
                    description="the Message-ID header, <…@…>"),), response="DeliveryTrail"),
    Endpoint("GET", "/api/v1/conversations/{conversation_id:int}/customer-reads", customer_reads,
             READERS, "When the customer's contacts read the thread", response="List:CustomerRead"),
    Endpoint("GET", "/api/v1/mail/log", mail_log, READERS,
             "Emailed replies to this account's threads, newest first", (MAIL_LIMIT,),
             response="List:InboundMail"),
]  # fmt: skip
