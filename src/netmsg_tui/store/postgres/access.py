"""Who calls, and what support read: token look-up, the support view's user, the audit log.

Queries of :class:`~.network.PostgresNetworkStore`, on a pooled connection.
"""

from __future__ import annotations

import secrets

from ...i18n import _
from ...model import AuditEntry, Principal
from ..base import NotFound
from ..network import hash_token, principal_of
from .connection import Conn
from .queries import many, one


def authenticate(conn: Conn, token: str) -> Principal:
    """The principal of a token. Raises Unauthorized."""
    row = one(
        conn,
        "SELECT t.id, t.role, t.user_id, u.account_id, t.contact_id, cc.customer_id, t.revoked "
        "FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id "
        "LEFT JOIN customer_contacts cc ON cc.id = t.contact_id WHERE t.token_hash = %s",
        (hash_token(token),),
    )
    return principal_of(
        row,
        lambda token_id: (
            r[0]
            for r in many(
                conn, "SELECT account_id FROM support_grants WHERE token_id = %s", (token_id,)
            )
        ),
    )


def support_user(conn: Conn, account_id: int) -> int:
    row = one(conn, "SELECT id FROM users WHERE account_id = %s ORDER BY id LIMIT 1", (account_id,))
    if row is None:
        raise NotFound(_("Account {account_id} has no users").format(account_id=account_id))
    return int(row[0])


def audit(conn: Conn, token_id: int, account_id: int | None, action: str, target: str) -> None:
    conn.execute(
        "INSERT INTO audit_log(at, token_id, account_id, action, target)"
        " VALUES (now(), %s, %s, %s, %s)",
        (token_id, account_id, action, target[:500]),
    )


def audit_log(conn: Conn, limit: int) -> list[AuditEntry]:
    return [
        AuditEntry(id=r[0], at=r[1], token_id=r[2], account_id=r[3], action=r[4], target=r[5])
        for r in many(
            conn,
            "SELECT id, at, token_id, account_id, action, target FROM audit_log "
            "ORDER BY id DESC LIMIT %s",
            (max(limit, 1),),
        )
    ]


def network_secret(conn: Conn) -> bytes:
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('network_secret', %s) ON CONFLICT (key) DO NOTHING",
        (secrets.token_hex(32),),
    )
    row = one(conn, "SELECT value FROM meta WHERE key = 'network_secret'", ())
    assert row is not None
    return bytes.fromhex(row[0])


def feed_head(conn: Conn) -> int:
    row = one(conn, "SELECT COALESCE(MAX(id), 0) FROM changes", ())
    return int(row[0]) if row else 0
