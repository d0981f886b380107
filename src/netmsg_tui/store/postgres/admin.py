"""Network operator's writes on a PostgreSQL store: accounts, users, customers, documents,
customer contacts and API tokens.

The same functions, with the same arguments and errors, as ``store.sqlite.admin``: the demo
generator and tests set a network up through either, on a plain connection (:func:`connect`,
autocommit: wrap several in ``with conn.transaction():``); :class:`~.network.PostgresNetworkStore`
runs them for ``netmsg admin`` in one transaction each.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import psycopg

from ...i18n import N_, _
from ...model import PLANS, Contact, LineItem, TokenInfo
from ..base import Conflict, InvalidInput, NotFound
from ..network import check_token_request, hash_token, new_token
from .schema import migrate

Conn = psycopg.Connection[tuple[Any, ...]]


def connect(url: str) -> Conn:
    """A connection for setup work, with the schema in place."""
    conn = psycopg.connect(url, autocommit=True)
    conn.execute("SET TIME ZONE 'UTC'")
    migrate(conn)
    return conn


def _id(conn: Conn, sql: str, args: tuple[Any, ...]) -> int:
    row = conn.execute(sql, args).fetchone()
    assert row is not None
    return int(row[0])


def create_account(conn: Conn, name: str, plan: str = "enterprise") -> int:
    if plan not in PLANS:
        raise InvalidInput(_("Unknown plan {plan!r}: use enterprise or standard").format(plan=plan))
    if not name.strip():
        raise InvalidInput(_("An account needs a name"))
    return _id(
        conn, "INSERT INTO accounts(name, plan) VALUES (%s, %s) RETURNING id", (name.strip(), plan)
    )


def set_plan(conn: Conn, account_id: int, plan: str) -> None:
    if plan not in PLANS:
        raise InvalidInput(_("Unknown plan {plan!r}: use enterprise or standard").format(plan=plan))
    conn.execute("UPDATE accounts SET plan = %s WHERE id = %s", (plan, account_id))


def create_user(conn: Conn, account_id: int, name: str, email: str) -> int:
    if not name.strip() or "@" not in email:
        raise InvalidInput(_("A user needs a name and an email address"))
    _require(conn, "accounts", account_id, "Account")
    return _id(
        conn,
        "INSERT INTO users(account_id, name, email) VALUES (%s, %s, %s) RETURNING id",
        (account_id, name, email),
    )


def create_customer(
    conn: Conn,
    name: str,
    network_id: str,
    city: str,
    contact: Contact,
    *,
    messaging_enabled: bool = True,
    trading_with: Iterable[int] = (),
) -> int:
    trading_with = list(trading_with)
    found = conn.execute("SELECT id FROM customers WHERE network_id = %s", (network_id,)).fetchone()
    if found:
        raise Conflict(
            _("A customer with network id {network_id} already exists (customer {id})").format(
                network_id=network_id, id=found[0]
            )
        )
    for account_id in trading_with:
        _require(conn, "accounts", account_id, "Account")
    customer_id = _id(
        conn,
        "INSERT INTO customers(name, network_id, city, messaging_enabled, contact_name,"
        " contact_email, contact_phone, contact_address)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (
            name,
            network_id,
            city,
            messaging_enabled,
            contact.name,
            contact.email,
            contact.phone,
            contact.address,
        ),
    )
    for account_id in trading_with:
        link(conn, account_id, customer_id)
    return customer_id


def link(conn: Conn, account_id: int, customer_id: int) -> None:
    conn.execute(
        "INSERT INTO relationships(account_id, customer_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        (account_id, customer_id),
    )


def set_messaging(conn: Conn, customer_id: int, enabled: bool) -> None:
    conn.execute(
        "UPDATE customers SET messaging_enabled = %s WHERE id = %s", (enabled, customer_id)
    )


def create_document(
    conn: Conn,
    account_id: int,
    customer_id: int,
    kind: str,
    number: str,
    issued: date,
    currency: str,
    status: str,
    items: Iterable[LineItem],
) -> int:
    items = list(items)
    amount = sum((i.total for i in items), Decimal("0"))
    doc_id = _id(
        conn,
        "INSERT INTO documents(account_id, customer_id, kind, number, issued, amount, currency,"
        " status) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (account_id, customer_id, kind, number, issued, amount, currency, status),
    )
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO line_items VALUES (%s, %s, %s, %s, %s)",
            [(doc_id, i.line, i.description, i.quantity, i.unit_price) for i in items],
        )
    return doc_id


def delete_document(conn: Conn, document_id: int) -> None:
    """Remove a document; a linked thread stays, unlinked (correspondence is never lost)."""
    with conn.transaction():
        conn.execute(
            "UPDATE conversations SET document_id = NULL WHERE document_id = %s", (document_id,)
        )
        conn.execute("DELETE FROM line_items WHERE document_id = %s", (document_id,))
        conn.execute("DELETE FROM documents WHERE id = %s", (document_id,))


# One sentence per kind of row (German word order and gender differ), by the name callers use.
_MISSING = {
    "Account": N_("Account {id} does not exist"),
    "Customer": N_("Customer {id} does not exist"),
    "User": N_("User {id} does not exist"),
    "Customer contact": N_("Customer contact {id} does not exist"),
}


def _require(conn: Conn, table: str, row_id: int, what: str) -> None:
    if conn.execute(f"SELECT 1 FROM {table} WHERE id = %s", (row_id,)).fetchone() is None:
        raise NotFound(_(_MISSING[what]).format(id=row_id))


# --- customer contacts and API tokens --------------------------------------------------------
def create_customer_contact(conn: Conn, customer_id: int, name: str, email: str) -> int:
    if not name.strip() or "@" not in email:
        raise InvalidInput(_("A customer contact needs a name and an email address"))
    _require(conn, "customers", customer_id, "Customer")
    return _id(
        conn,
        "INSERT INTO customer_contacts(customer_id, name, email) VALUES (%s, %s, %s) RETURNING id",
        (customer_id, name.strip(), email.strip()),
    )


def issue_token(
    conn: Conn,
    role: str,
    *,
    user_id: int | None = None,
    contact_id: int | None = None,
    accounts: Iterable[int] = (),
    label: str = "",
) -> tuple[int, str]:
    """Create a token; returns (token id, the token itself: shown once, never stored)."""
    accounts = list(accounts)
    check_token_request(role, user_id, contact_id, accounts)
    if user_id is not None:
        _require(conn, "users", user_id, "User")
    if contact_id is not None:
        _require(conn, "customer_contacts", contact_id, "Customer contact")
    for account_id in accounts:
        _require(conn, "accounts", account_id, "Account")
    token = new_token()
    token_id = _id(
        conn,
        "INSERT INTO api_tokens(token_hash, role, user_id, contact_id, label, created)"
        " VALUES (%s, %s, %s, %s, %s, now()) RETURNING id",
        (hash_token(token), role, user_id, contact_id, label),
    )
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO support_grants(token_id, account_id) VALUES (%s, %s)",
            [(token_id, a) for a in accounts],
        )
    return token_id, token


def revoke_token(conn: Conn, token_id: int) -> None:
    cur = conn.execute(
        "UPDATE api_tokens SET revoked = now() WHERE id = %s AND revoked IS NULL", (token_id,)
    )
    if cur.rowcount == 0:
        if conn.execute("SELECT 1 FROM api_tokens WHERE id = %s", (token_id,)).fetchone():
            raise InvalidInput(_("Token {token_id} is already revoked").format(token_id=token_id))
        raise NotFound(_("Token {token_id} does not exist").format(token_id=token_id))


def list_tokens(conn: Conn) -> list[TokenInfo]:
    return [
        TokenInfo(
            id=r[0],
            role=r[1],
            user_id=r[2],
            contact_id=r[3],
            label=r[4],
            created=r[5],
            revoked=r[6],
        )  # fmt: skip
        for r in conn.execute(
            "SELECT id, role, user_id, contact_id, label, created, revoked FROM api_tokens "
            "ORDER BY id"
        )
    ]
