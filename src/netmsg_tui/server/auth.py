"""Who is calling: the bearer token of a request. The network store answers whose it is
(``NetworkStore.authenticate``: a :class:`~netmsg_tui.model.Principal`).

Tokens are 256 random bits (``nm_`` + URL-safe base64); only their SHA-256 is stored, so a copy
of the database does not hand out access. A revoked token stops working on its next request.

Roles:

* ``supplier``: a user of a supplier account; reads and writes that account's threads.
* ``customer``: a contact of a buyer organisation; lists and answers its own threads.
* ``support``: reads the accounts it was granted (never writes); every read lands in the audit log.
"""

from __future__ import annotations

from ..i18n import _
from ..model import ROLES, Principal, Role
from ..store.base import Unauthorized
from ..store.network import TOKEN_PREFIX, hash_token, new_token

__all__ = ["ROLES", "TOKEN_PREFIX", "Principal", "Role", "bearer", "hash_token", "new_token"]


def bearer(header: str | None) -> str:
    """The token of an ``Authorization: Bearer …`` header. Raises Unauthorized."""
    if not header:
        raise Unauthorized(_("Missing token: send 'Authorization: Bearer <token>'"))
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized(_("Malformed Authorization header: use 'Bearer <token>'"))
    return value.strip()
