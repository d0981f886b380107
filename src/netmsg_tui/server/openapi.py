"""The OpenAPI 3.1 document, generated from the endpoint table (so it cannot drift)."""

from __future__ import annotations

from typing import Any

from .. import __version__
from .bodies import Field
from .endpoint import Endpoint
from .schemas import components, response_schema
from .validation import MAX_ID

_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "string[]": {"type": "array", "items": {"type": "string"}},
}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "machine-readable code"},
        "message": {"type": "string", "description": "a sentence a person understands"},
        "customer": {"type": "object", "description": "messaging_disabled: the contact card"},
    },
}
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
_HEADER_TEXT = {"schema": {"type": "string"}}
_REQUEST_ID = {"description": "names this request in the server's log", **_HEADER_TEXT}
_RETRY_AFTER = {"description": "seconds to wait", "schema": {"type": "integer", "minimum": 0}}
# Every route's possible refusals: (status, text, headers beyond X-Request-Id)
ERROR_STATUSES: dict[str, tuple[str, dict[str, Any]]] = {
    "400": ("Invalid input (unknown field, wrong type, out of range, broken rule)", {}),
    "401": (
        "Missing, unknown or revoked token",
        {"WWW-Authenticate": {"description": "Bearer", **_HEADER_TEXT}},
    ),
    "403": ("Not allowed for this token's role, or the account needs Enterprise", {}),
    "404": ("Not found (or another tenant's: the two are not told apart)", {}),
    "405": (
        "Method not allowed on this path",
        {"Allow": {"description": "the methods this path answers", "required": True,
                   **_HEADER_TEXT}},
    ),  # fmt: skip
    "429": ("Rate limit for this token", {"Retry-After": {"required": True, **_RETRY_AFTER}}),
    "503": ("The store is busy or unavailable, or too many connections: retry",
            {"Retry-After": _RETRY_AFTER}),
}  # fmt: skip
BODY_STATUSES: dict[str, tuple[str, dict[str, Any]]] = {
    "408": ("The request body arrived too slowly (see the limits in docs/server.md)", {}),
    "409": ("Messaging disabled by the customer, or an idempotency key reused", {}),
    "413": ("Attachment over 10 MiB, or request body over the cap", {}),
    "415": ("The body is not in a media type this route takes", {}),
}
EVENT_SCHEMA = {
    "type": "object",
    "description": "One server-sent event. 'cursor' (data: {\"cursor\": N}) opens a stream "
    "started without a cursor; 'changes' (data: a ChangeBatch; id: its cursor, to resume "
    "with Last-Event-ID) when something changed; 'error' (data: an Error) ends the stream. "
    "Comment lines keep an idle stream alive.",
    "required": ["event", "data"],
    "properties": {
        "event": {"type": "string", "enum": ["cursor", "changes", "error"]},
        "data": {"type": "string", "contentMediaType": "application/json"},
        "id": {"type": "string", "pattern": "^[0-9]+$"},
        "retry": {"type": "integer"},
    },
}


def _schema(field: Field) -> dict[str, Any]:
    schema: dict[str, Any] = dict(_TYPES[field.kind])
    if field.choices:
        schema["enum"] = list(field.choices)
    elif field.kind == "string":
        schema["maxLength"] = field.max_length
    if field.kind == "integer":
        schema["minimum"], schema["maximum"] = field.minimum, field.maximum
    if field.nullable:
        schema = {"anyOf": [schema, {"type": "null"}]}
    if field.description:
        schema["description"] = field.description
    return schema


def _object(fields: tuple[Field, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: _schema(f) for f in fields},
    }


def _operation(ep: Endpoint) -> dict[str, Any]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": ID_SCHEMA}
        for name in ep.path_params
    ]
    params += [
        {"name": f.name, "in": "query", "required": f.required, "schema": _schema(f)}
        for f in ep.query
    ]
    if "support" in ep.roles:
        params.append(
            {
                "name": "X-Netmsg-Account",
                "in": "header",
                "required": False,
                "description": "support tokens with several granted accounts: which one",
                "schema": ID_SCHEMA,
            }
        )
    op: dict[str, Any] = {
        "operationId": f"{ep.method.lower()}_{ep.handler.__module__.rsplit('.', 1)[-1]}_"
        f"{ep.handler.__name__}",
        "summary": ep.summary,
        "x-roles": sorted(ep.roles),
        "parameters": params,
        "responses": {
            str(ep.status): {
                "description": "OK",
                "headers": {"X-Request-Id": _REQUEST_ID},
                "content": _success_content(ep),
            },
            **{
                status: {
                    "description": text,
                    "headers": {"X-Request-Id": _REQUEST_ID, **headers},
                    "content": {"application/json": {"schema": ERROR_REF}},
                }
                for status, (text, headers) in sorted(
                    {**ERROR_STATUSES, **(BODY_STATUSES if ep.body is not None else {})}.items()
                )
            },
        },
    }
    if ep.body is not None:
        content: dict[str, Any] = {"application/json": {"schema": _object(ep.body)}}
        if ep.files:
            content["multipart/form-data"] = {
                "schema": {
                    "type": "object",
                    "required": ["message"],
                    "properties": {
                        "message": _object(ep.body),
                        "file": {
                            "type": "array",
                            "maxItems": 10,
                            "items": {"type": "string", "format": "binary"},
                            "description": "attachments, each at most 10,485,760 bytes",
                        },
                    },
                },
                "encoding": {"message": {"contentType": "application/json"}},
            }
        op["requestBody"] = {"required": True, "content": content}
    return op


def _success_content(ep: Endpoint) -> dict[str, Any]:
    if ep.returns == "application/octet-stream":
        # An attachment is served with the media type it was uploaded with.
        return {
            "*/*": {
                "schema": {
                    "type": "string",
                    "format": "binary",
                    "description": "the attachment's bytes, in its media type "
                    "(application/octet-stream when none was given)",
                }
            }
        }
    if ep.returns == "text/event-stream":
        return {"text/event-stream": {"schema": EVENT_SCHEMA}}
    return {ep.returns: {"schema": response_schema(ep.response)}}


def build_openapi(endpoints: list[Endpoint]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for ep in endpoints:
        paths.setdefault(ep.openapi_path, {})[ep.method.lower()] = _operation(ep)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "netmsg network API",
            "version": __version__,
            "description": "Supplier, customer and support access to a business network's "
            "messages. Authenticate with 'Authorization: Bearer <token>'.",
        },
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR_SCHEMA, **components()},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
