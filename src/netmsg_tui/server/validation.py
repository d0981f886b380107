"""Strict parsing of what a client sends: ids, integers, header values and JSON.

Python is generous where an API must not be: ``str.isdigit()`` accepts ``²``, ``int()`` accepts
``١٢``, ``" 7"`` and ``1_000``, integers have no size, ``json.loads`` recurses as deep as it is
told, parses 5,000-digit numbers slowly and lets lone surrogates through (SQLite then fails on
them). Everything here refuses such input with a 400 before it reaches the store.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..i18n import _, formats
from .errors import bad_request

MAX_ID = 2**63 - 1  # SQLite's INTEGER: a larger id cannot exist (and overflows the driver)
MAX_JSON_DEPTH = 16  # the deepest body the API takes is an object holding a list
MAX_NUMBER_CHARS = 24  # enough for any 64-bit integer, with a sign, or a plain decimal
_INTEGER = re.compile(r"-?[0-9]{1,19}", re.ASCII)
_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_int(text: str, name: str, minimum: int = 1, maximum: int = MAX_ID) -> int:
    """``text`` as an integer of ASCII digits within ``minimum``..``maximum``; else a 400."""
    if not _INTEGER.fullmatch(text):
        raise bad_request(
            _("{name} must be an integer of the digits 0-9, not {text!r}").format(
                name=name, text=text[:40]
            )
        )
    return check_int(int(text), name, minimum, maximum)


def check_int(value: int, name: str, minimum: int = 1, maximum: int = MAX_ID) -> int:
    if not minimum <= value <= maximum:
        raise bad_request(
            _("{name} must be between {minimum} and {maximum}").format(
                name=name, minimum=formats.count(minimum), maximum=formats.count(maximum)
            )
        )
    return value


def parse_id(text: str, name: str) -> int:
    """An id: a positive 64-bit integer of ASCII digits."""
    return parse_int(text, name, 1, MAX_ID)


def _number(text: str) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        raise bad_request(
            _("A number in the JSON body has more than {max_number_chars} characters").format(
                max_number_chars=MAX_NUMBER_CHARS
            )
        )
    return int(text) if _INTEGER.fullmatch(text) else float(text)


def _constant(text: str) -> Any:
    raise bad_request(_("{text} is not valid JSON").format(text=text))


def load_json(data: bytes | bytearray, what: str | None = None) -> Any:
    """Parse JSON with bounded depth and number size, refusing invalid UTF-8 and lone surrogates
    (``"\\ud800"``); every failure is a 400 naming ``what`` (default: the request body)."""
    what = what or _("The request body")
    try:
        parsed = json.loads(data, parse_int=_number, parse_float=_number, parse_constant=_constant)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad_request(
            _("{what} is not valid JSON ({exc})").format(what=what, exc=exc)
        ) from None
    except RecursionError:
        raise bad_request(
            _("{what} is nested deeper than {max_json_depth} levels").format(
                what=what, max_json_depth=MAX_JSON_DEPTH
            )
        ) from None
    _check_value(parsed, what, 0)
    return parsed


def _check_value(value: Any, what: str, depth: int) -> None:
    if depth > MAX_JSON_DEPTH:
        raise bad_request(
            _("{what} is nested deeper than {max_json_depth} levels").format(
                what=what, max_json_depth=MAX_JSON_DEPTH
            )
        )
    if isinstance(value, str):
        check_text(value, what)
    elif isinstance(value, list):
        for item in value:
            _check_value(item, what, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key, what)
            _check_value(item, what, depth + 1)


def check_text(text: str, what: str) -> str:
    """Text that can be stored: no lone surrogates (they are not Unicode characters)."""
    if _SURROGATE.search(text):
        raise bad_request(_("{what} contains invalid Unicode (a lone surrogate)").format(what=what))
    return text
