"""Network operator's writes on a SQLite store: accounts, users, customers, documents, customer
contacts and API tokens.

These are not part of the supplier-facing port: the demo generator and tests use them on a plain
connection (:func:`connect`) to set a network up; :class:`~.network.SQLiteNetworkStore` runs them
for ``netmsg admin`` in one transaction each.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

from ...i18n import N_, _
from ...model import PLANS, Contact, LineItem, TokenInfo
from ...private_files import private_file
from ..base import Conflict, InvalidInput, NotFound
from ..network import check_token_request, hash_token, new_token
from .rows import now_text, parse_time
from .schema import migrate


def connect(path: str | Path, *, use_fts: bool = True) -> sqlite3.Connection:
    """A connection for setup work, with the schema in place (``use_fts=False`` builds a
    new file without full-text tables, as on a SQLite build that lacks FTS5)."""
    private_file(path)  # a new store holds message text: 0600 from the start
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, use_fts=use_fts)
    return conn


def create_account(conn: sqlite3.Connection, name: str, plan: str = "enterprise") -> int:
    if plan not in PLANS:
        raise InvalidInput(_("Unknown plan {plan!r}: use enterprise or standard").format(plan=plan))
    if not name.strip():
        raise InvalidInput(_("An account needs a name"))
    cur = conn.execute("INSERT INTO accounts(name, plan) VALUES (?, ?)", (name.strip(), plan))
    assert cur.lastrowid is not None
    return cur.lastrowid


def set_plan(conn: sqlite3.Connection, account_id: int, plan: str) -> None:
    if plan not in PLANS:
        raise InvalidInput(_("Unknown plan {plan!r}: use enterprise or standard").format(plan=plan))
    conn.execute("UPDATE accounts SET plan = ? WHERE id = ?", (plan, account_id))


def create_user(conn: sqlite3.Connection, account_id: int, name: str, email: str) -> int:
    if not name.strip() or "@" not in email:
        raise InvalidInput(_("A user needs a name and an email address"))
    _require(conn, "accounts", account_id, "Account")
    cur = conn.execute(
        "INSERT INTO users(account_id, name, email) VALUES (?, ?, ?)", (account_id, name, email)
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def create_customer(
    conn: sqlite3.Connection,
    name: str,
    network_id: str,
    city: str,
    contact: Contact,
    *,
    messaging_enabled: bool = True,
    trading_with: Iterable[int] = (),
) -> int:
    trading_with = list(trading_with)
    found = conn.execute("SELECT id FROM customers WHERE network_id = ?", (network_id,)).fetchone()
    if found:
        raise Conflict(
            _("A customer with network id {network_id} already exists (customer {id})").format(
                network_id=network_id, id=found[0]
            )
        )
    for account_id in trading_with:
        _require(conn, "accounts", account_id, "Account")
    cur = conn.execute(
        "INSERT INTO customers(name, network_id, city, messaging_enabled, contact_name,"
        " contact_email, contact_phone, contact_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            name,
            network_id,
            city,
            int(messaging_enabled),
            contact.name,
            contact.email,
            contact.phone,
            contact.address,
        ),
    )
    assert cur.lastrowid is not None
    for account_id in trading_with:
        link(conn, account_id, cur.lastrowid)
    return cur.lastrowid


def link(conn: sqlite3.Connection, account_id: int, customer_id: int) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO relationships(account_id, customer_id) VALUES (?, ?)",
        (account_id, customer_id),
    )


def set_messaging(conn: sqlite3.Connection, customer_id: int, enabled: bool) -> None:
    conn.execute(
        "UPDATE customers SET messaging_enabled = ? WHERE id = ?", (int(enabled), customer_id)
    )


def create_document(
    conn: sqlite3.Connection,
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
    cur = conn.execute(
        "INSERT INTO documents(account_id, customer_id, kind, number, issued, amount, currency,"
        " status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (account_id, customer_id, kind, number, issued.isoformat(), str(amount), currency, status),
    )
    doc_id = cur.lastrowid
    assert doc_id is not None
    conn.executemany(
        "INSERT INTO line_items VALUES (?, ?, ?, ?, ?)",
        [(doc_id, i.line, i.description, str(i.quantity), str(i.unit_price)) for i in items],
    )
    return doc_id


def delete_document(conn: sqlite3.Connection, document_id: int) -> None:
    """Remove a document; a linked thread stays, unlinked (correspondence is never lost)."""
    conn.execute(
        "UPDATE conversations SET document_id = NULL WHERE document_id = ?", (document_id,)
    )
    conn.execute("DELETE FROM line_items WHERE document_id = ?", (document_id,))
    conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))


# One sentence per kind of row (German word order and gender differ), by the name callers use.
_MISSING = {
    "Account": N_("Account {id} does not exist"),
    "Customer": N_("Customer {id} does not exist"),
    "User": N_("User {id} does not exist"),
    "Customer contact": N_("Customer contact {id} does not exist"),
}


def _require(conn: sqlite3.Connection, table: str, row_id: int, what: str) -> None:
    if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is None:
        raise NotFound(_(_MISSING[what]).format(id=row_id))


# --- customer contacts and API tokens --------------------------------------------------------
def create_customer_contact(
    conn: sqlite3.Connection, customer_id: int, name: str, email: str
) -> int:
    if not name.strip() or "@" not in email:
        raise InvalidInput(_("A customer contact needs a name and an email address"))
    _require(conn, "customers", customer_id, "Customer")
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
    check_token_request(role, user_id, contact_id, accounts)
    if user_id is not None:
        _require(conn, "users", user_id, "User")
    if contact_id is not None:
        _require(conn, "customer_contacts", contact_id, "Customer contact")
    for account_id in accounts:
        _require(conn, "accounts", account_id, "Account")
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
            raise InvalidInput(_("Token {token_id} is already revoked").format(token_id=token_id))
        raise NotFound(_("Token {token_id} does not exist").format(token_id=token_id))


def list_tokens(conn: sqlite3.Connection) -> list[TokenInfo]:
    return [
        TokenInfo(
            id=r[0],
            role=r[1],
            user_id=r[2],
            contact_id=r[3],
            label=r[4],
            created=parse_time(r[5]),
            revoked=parse_time(r[6]) if r[6] else None,
        )
        for r in conn.execute(
            "SELECT id, role, user_id, contact_id, label, created, revoked FROM api_tokens "
            "ORDER BY id"
        )
    ]
