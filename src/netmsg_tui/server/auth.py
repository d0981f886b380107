"""Who is calling: bearer tokens, their roles, and the operator's token commands.

Tokens are 256 random bits (``nm_`` + URL-safe base64); only their SHA-256 is stored, so a copy
of the database does not hand out access. A revoked token stops working on its next request.

Roles:

* ``supplier``: a user of a supplier account; reads and writes that account's threads.
* ``customer``: a contact of a buyer organisation; lists and answers its own threads.
* ``support``: reads the accounts it was granted (never writes); every read lands in the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ..store.base import InvalidInput, NotFound, Unauthorized
from ..store.sqlite.rows import now_text

Role = Literal["supplier", "customer", "support"]
ROLES: tuple[Role, ...] = ("supplier", "customer", "support")
TOKEN_PREFIX = "nm_"


@dataclass(frozen=True, slots=True)
class Principal:
    """The holder of a valid token."""

    token_id: int
    role: Role
    user_id: int | None = None  # supplier
    account_id: int | None = None  # supplier: its account
    contact_id: int | None = None  # customer
    customer_id: int | None = None  # customer: the buyer organisation
    granted: frozenset[int] = frozenset()  # support: account ids


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def bearer(header: str | None) -> str:
    """The token of an ``Authorization: Bearer …`` header. Raises Unauthorized."""
    if not header:
        raise Unauthorized("Missing token: send 'Authorization: Bearer <token>'")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("Malformed Authorization header: use 'Bearer <token>'")
    return value.strip()


def lookup(conn: sqlite3.Connection, token: str) -> Principal:
    """The principal of a token (runs on the server's query thread). Raises Unauthorized."""
    row = conn.execute(
        "SELECT t.id, t.role, t.user_id, u.account_id, t.contact_id, cc.customer_id, t.revoked "
        "FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id "
        "LEFT JOIN customer_contacts cc ON cc.id = t.contact_id WHERE t.token_hash = ?",
        (hash_token(token),),
    ).fetchone()
    if row is None:
        raise Unauthorized("Unknown token: log in again with a valid token")
    if row[6] is not None:
        raise Unauthorized("This token was revoked: ask your network operator for a new one")
    token_id, role = row[0], row[1]
    if role == "supplier":
        if row[3] is None:
            raise Unauthorized("The user of this token no longer exists")
        return Principal(token_id, "supplier", user_id=row[2], account_id=row[3])
    if role == "customer":
        if row[5] is None:
            raise Unauthorized("The customer contact of this token no longer exists")
        return Principal(token_id, "customer", contact_id=row[4], customer_id=row[5])
    granted = frozenset(
        r[0]
        for r in conn.execute(
            "SELECT account_id FROM support_grants WHERE token_id = ?", (token_id,)
        )
    )
    return Principal(token_id, "support", granted=granted)


# --- operator commands (plain connection from store.sqlite.admin.connect) ---
def create_customer_contact(
    conn: sqlite3.Connection, customer_id: int, name: str, email: str
) -> int:
    if not name.strip() or "@" not in email:
        raise InvalidInput("A customer contact needs a name and an email address")
    if conn.execute("SELECT 1 FROM customers WHERE id = ?", (customer_id,)).fetchone() is None:
        raise NotFound(f"Customer {customer_id} does not exist")
    cur = conn.execute(
        "INSERT INTO customer_contacts(customer_id, name, email) VALUES (?, ?, ?)",
        (customer_id, name.strip(), email.strip()),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def issue_token(
    conn: sqlite3.Connection,
    role: str,
    *,
    user_id: int | None = None,
    contact_id: int | None = None,
    accounts: Iterable[int] = (),
    label: str = "",
) -> tuple[int, str]:
    """Create a token; returns (token id, the token itself: shown once, never stored)."""
    accounts = list(accounts)
    if role == "supplier":
        if user_id is None or contact_id is not None or accounts:
            raise InvalidInput("A supplier token needs --user (and nothing else)")
        if conn.execute("SELECT 1 FROM users WHERE id = ?", (user_id,)).fetchone() is None:
            raise NotFound(f"User {user_id} does not exist")
    elif role == "customer":
        if contact_id is None or user_id is not None or accounts:
            raise InvalidInput("A customer token needs --contact (and nothing else)")
        found = conn.execute("SELECT 1 FROM customer_contacts WHERE id = ?", (contact_id,))
        if found.fetchone() is None:
            raise NotFound(f"Customer contact {contact_id} does not exist")
    elif role == "support":
        if not accounts or user_id is not None or contact_id is not None:
            raise InvalidInput("A support token needs at least one --account")
        for account_id in accounts:
            found = conn.execute("SELECT 1 FROM accounts WHERE id = ?", (account_id,))
            if found.fetchone() is None:
                raise NotFound(f"Account {account_id} does not exist")
    else:
        raise InvalidInput(f"Unknown role {role!r}: use supplier, customer or support")
    token = new_token()
    cur = conn.execute(
        "INSERT INTO api_tokens(token_hash, role, user_id, contact_id, label, created)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (hash_token(token), role, user_id, contact_id, label, now_text()),
    )
    token_id = cur.lastrowid
    assert token_id is not None
    conn.executemany(
        "INSERT INTO support_grants(token_id, account_id) VALUES (?, ?)",
        [(token_id, a) for a in accounts],
    )
    return token_id, token


def revoke_token(conn: sqlite3.Connection, token_id: int) -> None:
    cur = conn.execute(
        "UPDATE api_tokens SET revoked = ? WHERE id = ? AND revoked IS NULL",
        (now_text(), token_id),
    )
    if cur.rowcount == 0:
        if conn.execute("SELECT 1 FROM api_tokens WHERE id = ?", (token_id,)).fetchone():
            raise InvalidInput(f"Token {token_id} is already revoked")
        raise NotFound(f"Token {token_id} does not exist")


def list_tokens(conn: sqlite3.Connection) -> list[dict[str, object]]:
    return [
        {
            "id": r[0],
            "role": r[1],
            "user_id": r[2],
            "contact_id": r[3],
            "label": r[4],
            "created": r[5],
            "revoked": r[6],
        }
        for r in conn.execute(
            "SELECT id, role, user_id, contact_id, label, created, revoked FROM api_tokens "
            "ORDER BY id"
        )
    ]
