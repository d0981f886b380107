"""Network operator's writes on a PostgreSQL store: accounts, users, customers, documents.

The same functions, with the same arguments, as ``store.sqlite.admin``: the demo generator,
``netmsg admin`` and tests set a network up through either. Each runs on a plain (synchronous)
psycopg connection in autocommit mode; wrap several in ``with conn.transaction():``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import psycopg

from ...model import PLANS, Contact, LineItem
from ..base import InvalidInput
from .schema import migrate

Conn = psycopg.Connection[tuple[Any, ...]]


def connect(url: str) -> Conn:
    """A connection for setup work, with the schema in place."""
    conn = psycopg.connect(url, autocommit=True)
    migrate(conn)
    return conn


def _id(conn: Conn, sql: str, args: tuple[Any, ...]) -> int:
    row = conn.execute(sql, args).fetchone()
    assert row is not None
    return int(row[0])


def create_account(conn: Conn, name: str, plan: str = "enterprise") -> int:
    if plan not in PLANS:
        raise InvalidInput(f"Unknown plan {plan!r}: use enterprise or standard")
    if not name.strip():
        raise InvalidInput("An account needs a name")
    return _id(
        conn, "INSERT INTO accounts(name, plan) VALUES (%s, %s) RETURNING id", (name.strip(), plan)
    )


def set_plan(conn: Conn, account_id: int, plan: str) -> None:
    if plan not in PLANS:
        raise InvalidInput(f"Unknown plan {plan!r}: use enterprise or standard")
    conn.execute("UPDATE accounts SET plan = %s WHERE id = %s", (plan, account_id))


def create_user(conn: Conn, account_id: int, name: str, email: str) -> int:
    if not name.strip() or "@" not in email:
        raise InvalidInput("A user needs a name and an email address")
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
