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
    CustomerRead,
    DeliveryTrail,
    Document,
    Found,
    Identity,
    InboundMail,
    LineItem,
    Message,
    NotificationPrefs,
    NotificationRecord,
    Role,
    Template,
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


def account(data: JSON) -> Account:
    return Account(id=data["id"], name=data["name"], plan=data["plan"])


def identity(data: JSON) -> Identity:
    u = data["user"]
    shown = account(data["account"])
    granted = tuple(account(a) for a in data.get("granted", ())) or (shown,)
    role: Role = "support" if data.get("role") == "support" else "supplier"
    return Identity(
        account=shown,
        user=User(id=u["id"], account_id=u["account_id"], name=u["name"], email=u["email"]),
        role=role,
        granted=granted,
    )


def found(data: JSON) -> Found:
    return Found(
        kind=data["kind"],
        key=data["key"],
        label=data["label"],
        conversation_id=data.get("conversation_id"),
        message_id=data.get("message_id"),
        document_id=data.get("document_id"),
        customer_id=data.get("customer_id"),
    )


def customer_read(data: JSON) -> CustomerRead:
    return CustomerRead(
        conversation_id=data["conversation_id"],
        contact_name=data["contact_name"],
        up_to_message_id=data["up_to_message_id"],
        read_at=_time(data["read_at"]),
    )


def inbound_mail(data: JSON) -> InboundMail:
    return InboundMail(
        message_id=data["message_id"],
        received=_time(data["received"]),
        status=data["status"],
        reason=data.get("reason", ""),
        conversation_id=data.get("conversation_id"),
        stored_message_id=data.get("stored_message_id"),
        stripped_text=data.get("stripped_text", ""),
        kept_at=data.get("kept_at", ""),
    )


def _maybe_time(text: str | None) -> datetime | None:
    return None if text is None else _time(text)


def notification_record(data: JSON) -> NotificationRecord:
    return NotificationRecord(
        id=data["id"],
        user_name=data["user_name"],
        addresses=tuple(data["addresses"]),
        state=data["state"],
        attempts=data["attempts"],
        last_error=data["last_error"],
        created=_time(data["created"]),
        sent_at=_maybe_time(data.get("sent_at")),
        email_message_id=data.get("email_message_id", ""),
    )


def delivery_trail(data: JSON) -> DeliveryTrail:
    stored, inbound = data.get("message"), data.get("inbound")
    return DeliveryTrail(
        conversation_id=data.get("conversation_id"),
        message=None if stored is None else message(stored),
        idempotency_key=data.get("idempotency_key"),
        notifications=tuple(notification_record(n) for n in data.get("notifications", ())),
        inbound=None if inbound is None else inbound_mail(inbound),
        customer_read_at=_maybe_time(data.get("customer_read_at")),
        customer_reader=data.get("customer_reader", ""),
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


def template(data: JSON) -> Template:
    return Template(name=data["name"], body=data["body"])
