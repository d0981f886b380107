"""JSON schemas of the API's answers, derived from the model dataclasses (so a field added to the
model shows in the OpenAPI document by itself) plus the few envelope shapes of the routes."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..model import Conversation
from ..wire import MODELS

_NAMES = {cls: name for name, cls in MODELS.items()}
NULL: dict[str, Any] = {"type": "null"}


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def type_schema(hint: Any) -> dict[str, Any]:
    """The JSON schema of a value of type ``hint``, as :func:`netmsg_tui.wire.to_json` writes it."""
    simple: dict[Any, dict[str, Any]] = {
        int: {"type": "integer"},
        str: {"type": "string"},
        bool: {"type": "boolean"},
        float: {"type": "number"},
        datetime: {"type": "string", "format": "date-time"},
        date: {"type": "string", "format": "date"},
        Decimal: {"type": "string", "format": "decimal"},
    }
    if hint in simple:
        return dict(simple[hint])
    if hint in _NAMES:
        return ref(_NAMES[hint])
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return {"type": "string", "enum": list(args)}
    if origin in (typing.Union, types.UnionType):
        options = [type_schema(a) for a in args if a is not type(None)]
        schema = options[0] if len(options) == 1 else {"anyOf": options}
        return {"anyOf": [schema, NULL]} if type(None) in args else schema
    if origin in (tuple, list):
        return {"type": "array", "items": type_schema(args[0])}
    if origin is dict:
        return {"type": "object", "additionalProperties": type_schema(args[1])}
    raise TypeError(f"no JSON schema for {hint!r}")


def model_schema(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [
            f.name
            for f in fields
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        ],
        "properties": {f.name: type_schema(hints[f.name]) for f in fields},
    }


def _customer_conversation() -> dict[str, Any]:
    schema = model_schema(Conversation)
    schema["properties"]["supplier"] = {"type": "string", "description": "the supplier's name"}
    schema["required"].append("supplier")
    return schema


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def components() -> dict[str, Any]:
    """Every named schema: the models and the envelopes the routes answer with."""
    schemas = {name: model_schema(cls) for name, cls in MODELS.items()}
    schemas["CustomerConversation"] = _customer_conversation()
    schemas["DocumentThread"] = _object({"conversation": {"anyOf": [ref("Conversation"), NULL]}})
    schemas["Ok"] = _object({"ok": {"type": "boolean"}})
    schemas["Unread"] = _object({"unread": {"type": "integer"}})
    schemas["Templates"] = _object({"items": {"type": "array", "items": ref("Template")}})
    schemas["CustomerProfile"] = _object(
        {
            "contact": _object(
                {"id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"}}
            ),
            "customer": ref("Customer"),
        }
    )
    return schemas


def response_schema(name: str) -> dict[str, Any]:
    """``Page:Customer`` is a page of customers, ``List:Found`` all the hits in one answer
    (``{"items": [...]}``); any other name refers to a component."""
    if name.startswith("List:"):
        return _object({"items": {"type": "array", "items": ref(name.split(":", 1)[1])}})
    if name.startswith("Page:"):
        return _object(
            {
                "items": {"type": "array", "items": ref(name.split(":", 1)[1])},
                "next_cursor": {"anyOf": [{"type": "string"}, NULL]},
            }
        )
    return ref(name)
