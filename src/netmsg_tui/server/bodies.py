"""Reading requests safely: query parameters, JSON bodies and multipart uploads.

Everything is checked against a declared shape: unknown fields, wrong types and oversized values
get a 400 that names the field. Bodies are read as a stream with a total cap and a per-chunk
timeout (a slow client cannot hold a worker forever). Attachment parts are counted while they
stream and spooled to disk past a small size, so an oversized file is refused with 413 without
the server ever holding it in memory.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from ..i18n import N_, _, formats
from ..model import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS_PER_MESSAGE,
    NewAttachment,
    attachment_count_problem,
    attachment_size_problem,
)
from .errors import ApiError, bad_request
from .limits import Limits
from .validation import MAX_ID, check_int, load_json, parse_int

Kind = Literal["string", "integer", "boolean", "string[]"]
JSON_BODY_CAP = 1024 * 1024  # a message of 50,000 characters is at most ~200 KB of JSON
_PER_FILE = MAX_ATTACHMENT_BYTES + 64 * 1024  # the file plus its part headers
MULTIPART_BODY_CAP = MAX_ATTACHMENTS_PER_MESSAGE * _PER_FILE + JSON_BODY_CAP
SPOOL_IN_MEMORY = 256 * 1024
LIMITS = Limits()
MAX_PARTS = 1 + MAX_ATTACHMENTS_PER_MESSAGE
MAX_PART_HEADER_BYTES = 8 * 1024
MAX_TEXT_FIELD = 60_000  # above MAX_BODY_CHARS, so the store gives the precise refusal


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a JSON body or one query parameter."""

    name: str
    kind: Kind
    required: bool = False
    nullable: bool = False
    choices: tuple[str, ...] = ()
    description: str = ""
    max_length: int = MAX_TEXT_FIELD
    minimum: int = 1  # integers: ids and page sizes start at 1
    maximum: int = MAX_ID

    def check(self, value: Any) -> Any:
        if value is None:
            if self.nullable or not self.required:
                return None
            raise bad_request(_("{name} must not be null").format(name=self.name))
        ok = {
            "string": isinstance(value, str),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
            "string[]": isinstance(value, list) and all(isinstance(v, str) for v in value),
        }[self.kind]
        if not ok:
            raise bad_request(
                _("{name} must be {kind}").format(name=self.name, kind=_(_KIND_TEXT[self.kind]))
            )
        if self.kind == "integer":
            check_int(value, self.name, self.minimum, self.maximum)
        if self.kind == "string" and len(value) > self.max_length:
            raise bad_request(
                _("{name} is longer than {max_length} characters").format(
                    name=self.name, max_length=formats.count(self.max_length)
                )
            )
        if self.kind == "string[]" and (len(value) > 20 or any(len(v) > 320 for v in value)):
            raise bad_request(_("{name} has too many or too long entries").format(name=self.name))
        if self.choices and value not in self.choices:
            raise bad_request(
                _("{name} must be one of: {choices}").format(
                    name=self.name, choices=", ".join(self.choices)
                )
            )
        return value


_KIND_TEXT = {
    "string": N_("a string"),
    "integer": N_("an integer"),
    "boolean": N_("true or false"),
    "string[]": N_("a list of strings"),
}


def check_fields(data: Any, fields: tuple[Field, ...]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise bad_request(_("The request body must be a JSON object"))
    known = {f.name for f in fields}
    unknown = sorted(set(data) - known)
    if unknown:
        raise bad_request(
            _("Unknown field {name!r}; allowed: {allowed}").format(
                name=unknown[0], allowed=", ".join(sorted(known))
            )
        )
    result: dict[str, Any] = {}
    for f in fields:
        if f.name not in data:
            if f.required:
                raise bad_request(_("Missing field {name!r}").format(name=f.name))
            result[f.name] = None
        else:
            result[f.name] = f.check(data[f.name])
    return result


#: Query strings already parsed, per parameter list: the same page is asked again and again
#: (every client's refresh), and parsing and checking it was a fifth of such a request's CPU.
#: What a query string means depends on nothing else (refusals are not kept: their text is in
#: the request's language). Bounded: cleared when full (cursors make every page's string new).
_PARSED: dict[int, tuple[tuple[Field, ...], dict[bytes, dict[str, Any]]]] = {}
MAX_PARSED = 512


def parse_query(request: Request, params: tuple[Field, ...]) -> dict[str, Any]:
    """Typed query parameters; unknown or repeated ones are refused."""
    raw: bytes = request.scope.get("query_string", b"")
    entry = _PARSED.get(id(params))
    if entry is None or entry[0] is not params:  # the tuple is kept: its id is not reused
        entry = _PARSED[id(params)] = (params, {})
    known = entry[1].get(raw)
    if known is None:
        known = _parse_query(request, params)
        if len(entry[1]) >= MAX_PARSED:
            entry[1].clear()
        entry[1][raw] = known
    return dict(known)  # the caller's own: a handler may change it


def _parse_query(request: Request, params: tuple[Field, ...]) -> dict[str, Any]:
    known = {p.name: p for p in params}
    result: dict[str, Any] = {p.name: None for p in params}
    for name in request.query_params:
        if name not in known:
            allowed = ", ".join(sorted(known)) or "none"
            raise bad_request(
                _("Unknown query parameter {name!r}; allowed: {allowed}").format(
                    name=name, allowed=allowed
                )
            )
        values = request.query_params.getlist(name)
        if len(values) > 1:
            raise bad_request(
                _("Query parameter {name!r} is given more than once").format(name=name)
            )
        result[name] = known[name].check(_query_value(known[name], values[0]))
    for p in params:
        if p.required and result[p.name] is None:
            raise bad_request(_("Missing query parameter {name!r}").format(name=p.name))
    return result


def _query_value(param: Field, text: str) -> Any:
    if param.kind == "integer":
        return parse_int(text, param.name, param.minimum, param.maximum)
    if param.kind == "boolean":
        if text.lower() in ("true", "1", "yes"):
            return True
        if text.lower() in ("false", "0", "no"):
            return False
        raise bad_request(_("{name} must be true or false").format(name=param.name))
    return text


# --- streaming ----------------------------------------------------------------------------------
def _too_large(cap: int) -> ApiError:
    return ApiError(
        413,
        "body_too_large",
        _("The request body is larger than the limit of {cap} bytes").format(
            cap=formats.count(cap)
        ),
    )


async def _chunks(
    request: Request, cap: int, idle_timeout: float, limits: Limits
) -> AsyncIterator[bytes]:
    """The body as it arrives, refused past ``cap`` bytes, after ``idle_timeout`` seconds without
    data, or when it is slower than the whole-body deadline of ``limits`` (a trickle)."""
    length = request.headers.get("content-length")
    declared = 0 if length is None else parse_int(length, "Content-Length", 0)
    if declared > cap:
        raise _too_large(cap)
    loop = asyncio.get_running_loop()
    started = loop.time()
    total = 0
    stream = request.stream().__aiter__()
    while True:
        # Without a Content-Length the deadline grows with what arrived, at the slowest rate.
        deadline = started + limits.body_seconds(max(declared, total))
        try:
            async with asyncio.timeout_at(min(loop.time() + idle_timeout, deadline)):
                chunk = await anext(stream)
        except StopAsyncIteration:
            return
        except TimeoutError:
            if loop.time() >= deadline:
                raise ApiError(
                    408,
                    "timeout",
                    _(
                        "The request body arrived too slowly (it did not arrive within {seconds} s)"
                    ).format(seconds=f"{deadline - started:.0f}"),
                ) from None
            raise ApiError(
                408,
                "timeout",
                _("The request body arrived too slowly (nothing for {idle_timeout:g} s)").format(
                    idle_timeout=idle_timeout
                ),
            ) from None
        total += len(chunk)
        if total > cap:
            raise _too_large(cap)
        if chunk:
            yield chunk


async def read_json(
    request: Request, fields: tuple[Field, ...], idle_timeout: float, limits: Limits = LIMITS
) -> Any:
    data = bytearray()
    async for chunk in _chunks(request, JSON_BODY_CAP, idle_timeout, limits):
        data += chunk
    return check_fields(load_json(data), fields)


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    content_type: str = ""
    headers: dict[bytes, bytes] = field(default_factory=dict)
    text: bytearray = field(default_factory=bytearray)
    spool: IO[bytes] | None = None
    size: int = 0


class _MultipartReader:
    """Callbacks for python-multipart that count each file while it streams."""

    def __init__(self) -> None:
        self.parts: list[_Part] = []
        self.part = _Part()
        self.header_name = b""
        self.header_value = b""
        self.header_bytes = 0

    def on_part_begin(self) -> None:
        if len(self.parts) >= MAX_PARTS:
            raise bad_request(
                _(
                    "A message has at most {max_attachments_per_message} attachments and "
                    "one 'message' part: no more than {max_parts} parts"
                ).format(
                    max_attachments_per_message=MAX_ATTACHMENTS_PER_MESSAGE, max_parts=MAX_PARTS
                )
            )
        self.part = _Part()
        self.parts.append(self.part)
        self.header_bytes = 0

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self.header_value += data[start:end]

    def _count_header(self, size: int) -> None:
        self.header_bytes += size
        if self.header_bytes > MAX_PART_HEADER_BYTES:
            raise bad_request(
                _("A part's headers are longer than {limit} bytes").format(
                    limit=formats.count(MAX_PART_HEADER_BYTES)
                )
            )

    def on_header_end(self) -> None:
        self.part.headers[self.header_name.lower()] = self.header_value
        self.header_name = self.header_value = b""

    def on_headers_finished(self) -> None:
        """Refuse a part as soon as its headers show it is not one a message has."""
        _value, options = parse_options_header(self.part.headers.get(b"content-disposition", b""))
        if b"name" not in options:
            raise bad_request(_("Every multipart part needs a Content-Disposition name"))
        self.part.name = options[b"name"].decode("utf-8", "replace")
        if b"filename" not in options:
            if self.part.name != "message" or any(p.name == "message" for p in self.parts[:-1]):
                raise bad_request(
                    _("Unexpected form field {name!r}: send one 'message' part").format(
                        name=self.part.name
                    )
                )
            return
        if self.part.name != "file":
            raise bad_request(
                _("Unexpected file field {name!r}: name file parts 'file'").format(
                    name=self.part.name
                )
            )
        self.part.filename = options[b"filename"].decode("utf-8", "replace")
        self.part.content_type = self.part.headers.get(b"content-type", b"").decode("latin-1")[:200]
        if sum(1 for p in self.parts if p.filename is not None) > MAX_ATTACHMENTS_PER_MESSAGE:
            problem = attachment_count_problem(MAX_ATTACHMENTS_PER_MESSAGE + 1)
            raise bad_request(problem or "too many attachments")
        # Closed in close(), whatever happens to the request.
        self.part.spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self.part
        part.size += end - start
        if part.spool is None:
            if part.size > JSON_BODY_CAP:
                raise _too_large(JSON_BODY_CAP)
            part.text += data[start:end]
        elif part.size <= MAX_ATTACHMENT_BYTES:
            part.spool.write(data[start:end])
        # Past the limit the bytes are only counted, to name the real size in the refusal.

    def close(self) -> None:
        for part in self.parts:
            if part.spool is not None:
                part.spool.close()


async def read_multipart(
    request: Request, fields: tuple[Field, ...], idle_timeout: float, limits: Limits = LIMITS
) -> tuple[dict[str, Any], list[NewAttachment]]:
    """A ``message`` part (JSON, checked against ``fields``) plus ``file`` parts."""
    _value, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if not boundary:
        raise bad_request(_("multipart/form-data needs a boundary"))
    reader = _MultipartReader()
    callbacks: Any = {
        name: getattr(reader, name)
        for name in (
            "on_part_begin",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
            "on_part_data",
        )
    }
    try:
        parser = MultipartParser(boundary, callbacks)
        async for chunk in _chunks(request, MULTIPART_BODY_CAP, idle_timeout, limits):
            parser.write(chunk)
        parser.finalize()
        return _collect(reader, fields)
    except MultipartParseError as exc:
        raise bad_request(_("The multipart body is malformed ({exc})").format(exc=exc)) from None
    finally:
        reader.close()


def _collect(
    reader: _MultipartReader, fields: tuple[Field, ...]
) -> tuple[dict[str, Any], list[NewAttachment]]:
    message: dict[str, Any] | None = None
    files: list[NewAttachment] = []
    for part in reader.parts:
        if part.spool is None:
            if part.name != "message" or message is not None:
                raise bad_request(
                    _("Unexpected form field {name!r}: send one 'message' part").format(
                        name=part.name
                    )
                )
            message = check_fields(load_json(part.text, _("The 'message' part")), fields)
            continue
        if part.name != "file":
            raise bad_request(
                _("Unexpected file field {name!r}: name file parts 'file'").format(name=part.name)
            )
        # Kept as sent (the store's contract); whoever saves a file makes the name safe.
        filename = part.filename or ""
        if problem := attachment_size_problem(filename, part.size):
            status, code = (413, "attachment_too_large") if part.size else (400, "invalid_input")
            raise ApiError(status, code, problem)
        part.spool.seek(0)
        data = part.spool.read()
        media = part.content_type if part.content_type != "application/octet-stream" else ""
        files.append(NewAttachment(filename, data, media))
    if message is None:
        raise bad_request(_("The multipart body needs a 'message' part with the JSON fields"))
    return message, files
