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
ERROR_STATUSES = {
    "400": "Invalid input (unknown field, wrong type, broken rule)",
    "401": "Missing, unknown or revoked token",
    "403": "Not allowed for this token's role, or the account needs Enterprise",
    "404": "Not found (or another tenant's: the two are not told apart)",
    "409": "Messaging disabled by the customer, or an idempotency key reused",
    "413": "Attachment over 10 MiB, or request body over the cap",
    "429": "Rate limit: see Retry-After",
    "503": "The store is busy or unavailable: retry",
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
                "content": {ep.returns: {"schema": _response_schema(ep)}},
            },
            **{
                status: {
                    "description": text,
                    "content": {"application/json": {"schema": ERROR_REF}},
                }
                for status, text in ERROR_STATUSES.items()
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


def _response_schema(ep: Endpoint) -> dict[str, Any]:
    if ep.returns == "application/octet-stream":
        return {"type": "string", "format": "binary"}
    if ep.returns == "text/event-stream":
        return {"type": "string", "description": "events 'cursor', 'changes', 'error'"}
    return response_schema(ep.response)


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
