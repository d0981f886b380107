"""JSON shapes of the network API: model objects to JSON and back.

Shared by the server (encoding) and the HTTP adapter (decoding), so the two cannot drift apart.
Pure: no httpx, no Starlette. Decimals travel as strings, times as ISO 8601 in UTC.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .model import (
    Account,
    Attachment,
    Change,
    ChangeBatch,
    Contact,
    Conversation,
    Customer,
    Document,
    Identity,
    LineItem,
    Message,
    NotificationPrefs,
    User,
)

JSON = dict[str, Any]


_FIELDS: dict[type, tuple[str, ...]] = {}


def to_json(value: Any) -> Any:
    """Any model object (or tuple/list/dict of them) as plain JSON data."""
    # Hot path of every answer the server sends: plain values first, field names cached.
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    names = _FIELDS.get(type(value))
    if names is None:
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            return value
        names = _FIELDS[type(value)] = tuple(f.name for f in dataclasses.fields(value))
    return {name: to_json(getattr(value, name)) for name in names}


def page_json(items: Any, next_cursor: str | None) -> JSON:
    return {"items": to_json(items), "next_cursor": next_cursor}


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def contact(data: JSON) -> Contact:
    return Contact(data["name"], data["email"], data["phone"], data["address"])


def customer(data: JSON) -> Customer:
    return Customer(
        id=data["id"],
        name=data["name"],
        network_id=data["network_id"],
        city=data["city"],
        messaging_enabled=data["messaging_enabled"],
        contact=contact(data["contact"]),
    )


def document(data: JSON) -> Document:
    return Document(
        id=data["id"],
        kind=data["kind"],
        number=data["number"],
        customer_id=data["customer_id"],
        customer_name=data["customer_name"],
        issued=date.fromisoformat(data["issued"]),
        amount=Decimal(data["amount"]),
        currency=data["currency"],
        status=data["status"],
        line_items=tuple(
            LineItem(
                line=i["line"],
                description=i["description"],
                quantity=Decimal(i["quantity"]),
                unit_price=Decimal(i["unit_price"]),
            )
            for i in data.get("line_items", ())
        ),
    )


def conversation(data: JSON) -> Conversation:
    return Conversation(
        id=data["id"],
        customer_id=data["customer_id"],
        customer_name=data["customer_name"],
        subject=data["subject"],
        document_id=data["document_id"],
        document_number=data["document_number"],
        created=_time(data["created"]),
        last_activity=_time(data["last_activity"]),
        unread_count=data["unread_count"],
        message_count=data["message_count"],
        last_preview=data.get("last_preview", ""),
    )


def attachment(data: JSON) -> Attachment:
    return Attachment(
        id=data["id"],
        filename=data["filename"],
        size=data["size"],
        media_type=data["media_type"],
        sha256=data["sha256"],
    )


def message(data: JSON) -> Message:
    return Message(
        id=data["id"],
        conversation_id=data["conversation_id"],
        author=data["author"],
        author_kind=data["author_kind"],
        body=data["body"],
        sent_at=_time(data["sent_at"]),
        origin=data["origin"],
        attachments=tuple(attachment(a) for a in data.get("attachments", ())),
    )


def identity(data: JSON) -> Identity:
    a, u = data["account"], data["user"]
    return Identity(
        account=Account(id=a["id"], name=a["name"], plan=a["plan"]),
        user=User(id=u["id"], account_id=u["account_id"], name=u["name"], email=u["email"]),
    )


def prefs(data: JSON) -> NotificationPrefs:
    return NotificationPrefs(
        email_on_reply=data["email_on_reply"],
        addresses=tuple(data["addresses"]),
        mode=data["mode"],
        toast=data["toast"],
        bell=data["bell"],
    )


def change_batch(data: JSON) -> ChangeBatch:
    return ChangeBatch(
        changes=tuple(
            Change(
                id=c["id"],
                kind=c["kind"],
                conversation_id=c["conversation_id"],
                message_id=c["message_id"],
                author_kind=c["author_kind"],
            )
            for c in data["changes"]
        ),
        cursor=data["cursor"],
        extra=dict(data.get("extra", {})),
    )
