"""Opaque change-feed cursors: a tenant learns nothing about other tenants from them.

The feed's change ids are one sequence for the whole network, so a raw id tells how busy the
others are (the gap between two of one's own changes, or a cursor that moves while nothing of
one's own happened). Here every id a client sees is passed through a keyed permutation of the
62-bit numbers, keyed per tenant (account or customer) with the network's secret: ids look
random, differ between tenants and cannot be ordered or subtracted. 0 stays 0 ("from the
start"). And the routes only ever hand out the id of the tenant's own last change (or the
cursor it sent), never the feed's head.
"""

from __future__ import annotations

import hashlib
import hmac

from ..i18n import _
from .errors import bad_request

BITS = 62
HALF = BITS // 2
MASK = (1 << HALF) - 1
ROUNDS = 4


class FeedCursors:
    def __init__(self, secret: bytes) -> None:
        self.secret = secret

    def _keys(self, tenant: str) -> list[bytes]:
        base = hmac.new(self.secret, f"feed-cursor:{tenant}".encode(), hashlib.sha256).digest()
        return [hmac.new(base, bytes([r]), hashlib.sha256).digest() for r in range(ROUNDS)]

    @staticmethod
    def _round(key: bytes, half: int) -> int:
        digest = hmac.new(key, half.to_bytes(4, "big"), hashlib.sha256).digest()
        return int.from_bytes(digest[:4], "big") & MASK

    def _permute(self, keys: list[bytes], value: int, forward: bool) -> int:
        left, right = value >> HALF, value & MASK
        if forward:
            for key in keys:
                left, right = right, left ^ self._round(key, right)
        else:
            for key in reversed(keys):
                left, right = right ^ self._round(key, left), left
        return (left << HALF) | right

    def _walk(self, tenant: str, value: int, forward: bool) -> int:
        # A permutation of 0..2^62-1; walking its cycle past 0 makes it one of 1..2^62-1, so 0
        # can keep its meaning.
        keys = self._keys(tenant)
        value = self._permute(keys, value, forward)
        while value == 0:
            value = self._permute(keys, value, forward)
        return value

    def hide(self, tenant: str, change_id: int) -> int:
        """The id ``tenant`` sees for a change id (0 stays 0)."""
        if change_id == 0:
            return 0
        return self._walk(tenant, change_id, True)

    def reveal(self, tenant: str, cursor: int | None) -> int | None:
        """The change id behind a cursor ``tenant`` sent (None stays None). Raises a 400 for a
        number no cursor can be."""
        if cursor is None or cursor == 0:
            return cursor
        if cursor >> BITS:
            raise bad_request(_("That change cursor is not valid; start again without a cursor"))
        return self._walk(tenant, cursor, False)
