"""JSON shapes of the network API: model objects to JSON and back.

Shared by the server (encoding) and the HTTP adapter (decoding), so the two cannot drift apart.
Pure: no httpx, no Starlette. Decimals travel as strings, times as ISO 8601 in UTC.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

import msgspec

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
    Page,
    Role,
    Template,
    User,
)
from .store.base import (
    AttachmentTooLarge,
    Conflict,
    InvalidInput,
    MessagingDisabled,
    NotFound,
    StoreError,
    Unauthorized,
    Unavailable,
    UpgradeRequired,
)

JSON = dict[str, Any]
T = TypeVar("T")

#: The model types the API carries, by their names in the OpenAPI document (server/schemas.py).
MODELS: dict[str, type] = {
    "Account": Account,
    "User": User,
    "Identity": Identity,
    "Contact": Contact,
    "Customer": Customer,
    "LineItem": LineItem,
    "Document": Document,
    "Conversation": Conversation,
    "Attachment": Attachment,
    "Message": Message,
    "Preferences": NotificationPrefs,
    "Change": Change,
    "ChangeBatch": ChangeBatch,
    "Template": Template,
    "Found": Found,
    "NotificationRecord": NotificationRecord,
    "InboundMail": InboundMail,
    "CustomerRead": CustomerRead,
    "DeliveryTrail": DeliveryTrail,
}

#: How a store error travels: its HTTP status and its code. The server answers with them
#: (server/errors.py) and the HTTP adapter raises the error back (store/remote/http.py). Most
#: specific first: AttachmentTooLarge is an InvalidInput.
STORE_ERRORS: tuple[tuple[type[StoreError], int, str], ...] = (
    (AttachmentTooLarge, 413, "attachment_too_large"),
    (InvalidInput, 400, "invalid_input"),
    (NotFound, 404, "not_found"),
    (UpgradeRequired, 403, "upgrade_required"),
    (MessagingDisabled, 409, "messaging_disabled"),
    (Conflict, 409, "conflict"),
    (Unauthorized, 401, "unauthorized"),
    (Unavailable, 503, "unavailable"),
)

_ENCODER = msgspec.json.Encoder()
_PLAIN_DECODER = msgspec.json.Decoder()


def encode(value: Any) -> bytes:
    """Any model object (or tuple/list/dict of them, or what :func:`to_json` made) as JSON
    bytes: the body of every answer the server sends. msgspec writes the dataclasses itself, in
    C: a 50-row conversation page in ~15 us, where building dicts in Python and ``json.dumps``
    took ~580 us (bench/server_profile.py). Times as ISO 8601 (UTC as ``Z``), decimals as
    strings, tuples as arrays: what :func:`to_json` has always written."""
    return _ENCODER.encode(value)


def to_json(value: Any) -> Any:
    """Any model object (or tuple/list/dict of them) as plain JSON data (dicts, lists, str)."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    return _PLAIN_DECODER.decode(_ENCODER.encode(value))


def page_json(items: Any, next_cursor: str | None) -> JSON:
    """A page as the server answers it; the items stay model objects for :func:`encode`."""
    return {"items": items, "next_cursor": next_cursor}


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _keep(value: Any) -> Any:
    return value


_PLAIN: dict[Any, Callable[[Any], Any]] = {
    datetime: _time,
    date: date.fromisoformat,
    Decimal: Decimal,
}


def _reader(hint: Any) -> Callable[[Any], Any]:
    """How a value of type ``hint`` is read back from what :func:`to_json` wrote."""
    if hint in _PLAIN:
        return _PLAIN[hint]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return decoder(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        read = _reader(inner)
        return _keep if read is _keep else lambda v: None if v is None else read(v)
    if origin in (tuple, list):
        item = _reader(args[0])
        return tuple if item is _keep else lambda v: tuple(item(x) for x in v)
    if origin is dict:
        return dict
    return _keep  # str, int, bool, Literal: JSON has them as they are


#: A field as :func:`decoder` reads it: its name, its reader, and what it is when missing (None:
#: the field is required).
_Field = tuple[str, Callable[[Any], Any], Callable[[], Any] | None]
_READ_FIELDS: dict[type, tuple[_Field, ...]] = {}


def _fields(cls: type) -> tuple[_Field, ...]:
    # Built on first use, not at import: the TUI imports this module on its way to the screen.
    found = _READ_FIELDS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = _READ_FIELDS[cls] = tuple(
            (f.name, _reader(hints[f.name]), _when_missing(f)) for f in dataclasses.fields(cls)
        )
    return found


def _when_missing(field: dataclasses.Field[Any]) -> Callable[[], Any] | None:
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory  # a fresh {} or [] each time, as the dataclass makes it
    if field.default is dataclasses.MISSING:
        return None
    default = field.default
    return lambda: default


def decoder(cls: type[T]) -> Callable[[JSON], T]:
    """The reader of a model dataclass from its JSON, derived from the field types (so a field
    added to the model travels by itself). A field with a default may be missing; a missing
    required one raises KeyError."""

    def read(data: JSON) -> T:
        values = {}
        for name, read_value, when_missing in _fields(cls):
            if name in data:
                values[name] = read_value(data[name])
            elif when_missing is None:
                raise KeyError(name)
            else:
                values[name] = when_missing()
        return cls(**values)

    return read


contact = decoder(Contact)
customer = decoder(Customer)
document = decoder(Document)
conversation = decoder(Conversation)
attachment = decoder(Attachment)
message = decoder(Message)
account = decoder(Account)
found = decoder(Found)
customer_read = decoder(CustomerRead)
inbound_mail = decoder(InboundMail)
notification_record = decoder(NotificationRecord)
delivery_trail = decoder(DeliveryTrail)
prefs = decoder(NotificationPrefs)
change_batch = decoder(ChangeBatch)
template = decoder(Template)
_user = decoder(User)


def conversation_page(data: JSON) -> Page[Conversation]:
    return Page(tuple(conversation(c) for c in data["items"]), data["next_cursor"])


def message_page(data: JSON) -> Page[Message]:
    return Page(tuple(message(m) for m in data["items"]), data["next_cursor"])


def identity(data: JSON) -> Identity:
    # Not derived: no "granted" means the account shown, and any role but support is a supplier.
    shown = account(data["account"])
    granted = tuple(account(a) for a in data.get("granted", ())) or (shown,)
    role: Role = "support" if data.get("role") == "support" else "supplier"
    return Identity(account=shown, user=_user(data["user"]), role=role, granted=granted)
