"""Who calls, and what support read: token look-up, the support view's user, the audit log, the
network's secret and the change feed's head."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TypeVar

from ...i18n import N_
from ...model import AuditEntry, Principal
from .. import sql
from ..base import Unauthorized
from ..network import hash_token, principal_of
from .dialect import Queries
from .lookups import Lookups

C = TypeVar("C")
# The last column: the supplier account's change-feed head, read with the token (index
# changes_account), for the server's ETags; NULL for other roles.
_TOKEN_FROM = (
    "SELECT t.id, t.role, t.user_id, u.account_id, t.contact_id, cc.customer_id, t.revoked, "
    "(SELECT COALESCE(MAX(c.id), 0) FROM changes c WHERE c.account_id = u.account_id) "
    "FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id "
    "LEFT JOIN customer_contacts cc ON cc.id = t.contact_id "
)
_TOKEN = _TOKEN_FROM + "WHERE t.token_hash = ?"
_TOKENS_PER_QUERY = 500  # SQLite before 3.32 takes at most 999 parameters
_TOKENS = _TOKEN_FROM.replace("SELECT ", "SELECT t.token_hash, ", 1) + "WHERE t.token_hash IN "


class Access(Queries[C]):
    def authenticate(self, conn: C, token: str) -> Principal:
        """The principal of a token. Raises Unauthorized."""
        row = self.db.one(conn, _TOKEN, (hash_token(token),))
        return principal_of(
            row,
            lambda token_id: (
                r[0]
                for r in self.db.all(
                    conn, "SELECT account_id FROM support_grants WHERE token_id = ?", (token_id,)
                )
            ),
        )

    def authenticate_many(self, conn: C, tokens: Sequence[str]) -> dict[str, Principal | None]:
        """The principal of each token, None where the token is refused (one query for all)."""
        hashes = {hash_token(t): t for t in tokens}
        digests, rows = list(hashes), dict[str, Sequence[object]]()
        for start in range(0, len(digests), _TOKENS_PER_QUERY):
            chunk = digests[start : start + _TOKENS_PER_QUERY]
            query = f"{_TOKENS}({', '.join('?' * len(chunk))})"
            rows.update((r[0], r[1:]) for r in self.db.all(conn, query, chunk))
        found: dict[str, Principal | None] = {}
        for digest, token in hashes.items():
            try:
                found[token] = principal_of(rows.get(digest), lambda t: self._grants(conn, t))
            except Unauthorized:
                found[token] = None
        return found

    def _grants(self, conn: C, token_id: int) -> list[int]:
        query = "SELECT account_id FROM support_grants WHERE token_id = ?"
        return [r[0] for r in self.db.all(conn, query, (token_id,))]

    def support_user(self, conn: C, account_id: int) -> int:
        query = "SELECT id FROM users WHERE account_id = ? ORDER BY id LIMIT 1"
        missing = N_("Account {account_id} has no users")
        return int(self.found(conn, query, (account_id,), missing, account_id=account_id)[0])

    def audit(
        self, conn: C, token_id: int, account_id: int | None, action: str, target: str
    ) -> None:
        at = self.db.time(datetime.now(UTC))
        with self.db.transaction(conn):
            self.db.execute(
                conn,
                "INSERT INTO audit_log(at, token_id, account_id, action, target)"
                " VALUES (?, ?, ?, ?, ?)",
                (at, token_id, account_id, action, target[:500]),
            )

    def audit_log(self, conn: C, limit: int) -> list[AuditEntry]:
        found = self.db.all(
            conn,
            "SELECT id, at, token_id, account_id, action, target FROM audit_log "
            "ORDER BY id DESC LIMIT ?",
            (max(limit, 1),),
        )
        return [AuditEntry(r[0], sql.moment(r[1]), *r[2:]) for r in found]

    def network_secret(self, conn: C) -> bytes:
        with self.db.transaction(conn):
            self.db.execute(
                conn,
                "INSERT INTO meta(key, value) VALUES ('network_secret', ?) "
                "ON CONFLICT (key) DO NOTHING",
                (secrets.token_hex(32),),
            )
            return bytes.fromhex(
                self.db.value(conn, "SELECT value FROM meta WHERE key = 'network_secret'")
            )

    def feed_head(self, conn: C) -> int:
        return Lookups(self.db).feed_head(conn)

    def account_feed_head(self, conn: C, account_id: int) -> int:
        sql = "SELECT COALESCE(MAX(id), 0) FROM changes WHERE account_id = ?"
        return int(self.db.value(conn, sql, (account_id,)))  # index changes_account
