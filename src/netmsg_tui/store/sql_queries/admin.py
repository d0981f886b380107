"""Network operator's writes: accounts, users, customers, documents, customer contacts and API
tokens.

Not part of the supplier-facing port: the demo generator and tests use them on a plain
connection (each engine's ``admin.connect``) to set a network up; the network store runs them
for ``netmsg admin`` in one transaction each.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TypeVar

from ...i18n import N_, _
from ...model import PLANS, Contact, LineItem, TokenInfo, nul_problem
from .. import sql
from ..base import Conflict, InvalidInput, NotFound
from ..network import check_token_request, hash_token, new_token
from ..sql import Row
from .dialect import Queries

C = TypeVar("C")
_NEW_CUSTOMER = (
    "INSERT INTO customers(name, network_id, city, messaging_enabled, contact_name,"
    " contact_email, contact_phone, contact_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_NEW_DOCUMENT = (
    "INSERT INTO documents(account_id, customer_id, kind, number, issued, amount, currency,"
    " status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_NEW_TOKEN = (
    "INSERT INTO api_tokens(token_hash, role, user_id, contact_id, label, created)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)

# One sentence per kind of row (German word order and gender differ).
_NO_ACCOUNT = N_("Account {id} does not exist")
_NO_CUSTOMER = N_("Customer {id} does not exist")
_NO_USER = N_("User {id} does not exist")
_NO_CONTACT = N_("Customer contact {id} does not exist")
# Where each kind of person belongs (owner column and table, and the owner's refusal) and the
# person's refusal.
_PEOPLE = {
    "users": (
        "account_id",
        "accounts",
        _NO_ACCOUNT,
        N_("A user needs a name and an email address"),
    ),
    "customer_contacts": (
        "customer_id",
        "customers",
        _NO_CUSTOMER,
        N_("A customer contact needs a name and an email address"),
    ),
}


def _token(row: Row) -> TokenInfo:
    token_id, role, user_id, contact_id, label, created, revoked = row
    revoked_at = sql.moment(revoked) if revoked else None
    return TokenInfo(token_id, role, user_id, contact_id, label, sql.moment(created), revoked_at)


def _refuse_nul(*texts: str) -> None:
    """Names and other text of the operator's writes: a NUL character is refused on every
    store alike (see :func:`~netmsg_tui.model.nul_problem`)."""
    for text in texts:
        if problem := nul_problem(text):
            raise InvalidInput(problem)


def _check_plan(plan: str) -> None:
    if plan not in PLANS:
        raise InvalidInput(_("Unknown plan {plan!r}: use enterprise or standard").format(plan=plan))


class Admin(Queries[C]):
    def _require(self, conn: C, table: str, row_id: int, missing: str) -> None:
        self.found(conn, f"SELECT 1 FROM {table} WHERE id = ?", (row_id,), missing, id=row_id)

    def create_account(self, conn: C, name: str, plan: str = "enterprise") -> int:
        _check_plan(plan)
        _refuse_nul(name)
        if not name.strip():
            raise InvalidInput(_("An account needs a name"))
        return self.db.insert(
            conn, "INSERT INTO accounts(name, plan) VALUES (?, ?)", (name.strip(), plan)
        )

    def set_plan(self, conn: C, account_id: int, plan: str) -> None:
        _check_plan(plan)
        self.db.execute(conn, "UPDATE accounts SET plan = ? WHERE id = ?", (plan, account_id))

    def create_user(self, conn: C, account_id: int, name: str, email: str) -> int:
        return self._add_person(conn, "users", account_id, name, email)

    def _add_person(self, conn: C, table: str, owner_id: int, name: str, email: str) -> int:
        """A user of an account, or a contact of a customer (``table``)."""
        column, owners, owner, refusal = _PEOPLE[table]
        _refuse_nul(name, email)
        if not name.strip() or "@" not in email:
            raise InvalidInput(_(refusal))
        self._require(conn, owners, owner_id, owner)
        return self.db.insert(
            conn,
            f"INSERT INTO {table}({column}, name, email) VALUES (?, ?, ?)",
            (owner_id, name, email),
        )

    def create_customer(
        self,
        conn: C,
        name: str,
        network_id: str,
        city: str,
        contact: Contact,
        *,
        trading_with: Iterable[int] = (),
        messaging_enabled: bool = True,
    ) -> int:
        accounts = list(trading_with)
        c = contact
        _refuse_nul(name, network_id, city, c.name, c.email, c.phone, c.address)
        found = self.db.one(conn, "SELECT id FROM customers WHERE network_id = ?", (network_id,))
        if found:
            raise Conflict(
                _("A customer with network id {network_id} already exists (customer {id})").format(
                    network_id=network_id, id=found[0]
                )
            )
        for account_id in accounts:
            self._require(conn, "accounts", account_id, _NO_ACCOUNT)
        customer_id = self.db.insert(
            conn,
            _NEW_CUSTOMER,
            (name, network_id, city, messaging_enabled, c.name, c.email, c.phone, c.address),
        )
        for account_id in accounts:
            self.link(conn, account_id, customer_id)
        return customer_id

    def link(self, conn: C, account_id: int, customer_id: int) -> None:
        self.db.execute(
            conn,
            "INSERT INTO relationships(account_id, customer_id) VALUES (?, ?) "
            "ON CONFLICT DO NOTHING",
            (account_id, customer_id),
        )

    def set_messaging(self, conn: C, customer_id: int, enabled: bool) -> None:
        self.db.execute(
            conn, "UPDATE customers SET messaging_enabled = ? WHERE id = ?", (enabled, customer_id)
        )

    def create_document(
        self,
        conn: C,
        account_id: int,
        customer_id: int,
        kind: str,
        number: str,
        issued: date,
        currency: str,
        status: str,
        items: Iterable[LineItem],
    ) -> int:
        db, lines = self.db, list(items)
        _refuse_nul(kind, number, currency, status, *(i.description for i in lines))
        amount = db.number(sum((i.total for i in lines), Decimal("0")))
        doc_id = db.insert(
            conn,
            _NEW_DOCUMENT,
            (account_id, customer_id, kind, number, db.day(issued), amount, currency, status),
        )
        db.execute_many(
            conn,
            "INSERT INTO line_items VALUES (?, ?, ?, ?, ?)",
            [(doc_id, i.line, i.description, db.number(i.quantity), db.number(i.unit_price))
             for i in lines],
        )  # fmt: skip
        return doc_id

    def delete_document(self, conn: C, document_id: int) -> None:
        """Remove a document; a linked thread stays, unlinked (correspondence is never lost)."""
        with self.db.transaction(conn):
            self.db.execute(
                conn, "UPDATE conversations SET document_id = NULL WHERE document_id = ?",
                (document_id,),
            )  # fmt: skip
            self.db.execute(conn, "DELETE FROM line_items WHERE document_id = ?", (document_id,))
            self.db.execute(conn, "DELETE FROM documents WHERE id = ?", (document_id,))

    # -- customer contacts and API tokens -------------------------------------------------------
    def create_customer_contact(self, conn: C, customer_id: int, name: str, email: str) -> int:
        return self._add_person(conn, "customer_contacts", customer_id, name.strip(), email.strip())

    def issue_token(
        self,
        conn: C,
        role: str,
        *,
        user_id: int | None = None,
        contact_id: int | None = None,
        accounts: Iterable[int] = (),
        label: str = "",
    ) -> tuple[int, str]:
        """Create a token; returns (token id, the token itself: shown once, never stored)."""
        granted = list(accounts)
        check_token_request(role, user_id, contact_id, granted)
        if user_id is not None:
            self._require(conn, "users", user_id, _NO_USER)
        if contact_id is not None:
            self._require(conn, "customer_contacts", contact_id, _NO_CONTACT)
        for account_id in granted:
            self._require(conn, "accounts", account_id, _NO_ACCOUNT)
        token = new_token()
        now = self.db.time(datetime.now(UTC))
        token_id = self.db.insert(
            conn, _NEW_TOKEN, (hash_token(token), role, user_id, contact_id, label, now)
        )
        self.db.execute_many(
            conn,
            "INSERT INTO support_grants(token_id, account_id) VALUES (?, ?)",
            [(token_id, a) for a in granted],
        )
        return token_id, token

    def revoke_token(self, conn: C, token_id: int) -> None:
        revoked = self.db.execute(
            conn,
            "UPDATE api_tokens SET revoked = ? WHERE id = ? AND revoked IS NULL",
            (self.db.time(datetime.now(UTC)), token_id),
        ).rowcount
        if revoked == 0:
            if self.db.one(conn, "SELECT 1 FROM api_tokens WHERE id = ?", (token_id,)):
                raise InvalidInput(
                    _("Token {token_id} is already revoked").format(token_id=token_id)
                )
            raise NotFound(_("Token {token_id} does not exist").format(token_id=token_id))

    def list_tokens(self, conn: C) -> list[TokenInfo]:
        found = self.db.all(
            conn,
            "SELECT id, role, user_id, contact_id, label, created, revoked FROM api_tokens "
            "ORDER BY id",
        )
        return [_token(r) for r in found]
