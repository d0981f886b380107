"""Bulk writing of a generated network (:mod:`..bulk`) into a new SQLite store: the demo network
and the large store of the benchmarks. ``netmsg_tui.demo`` makes up the data (names, texts,
times); the SQL, ids, search index and transactions stay here, in the adapter.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from ..bulk import NewNetwork, ScaleText
from ..sql import timestamp
from . import admin, search
from .connection import transaction


def write_network(path: str | Path, network: NewNetwork) -> None:
    """Write ``network`` into ``path`` (which must not hold a store yet) in one transaction."""
    path = Path(path)
    conn = admin.connect(path)
    try:
        with transaction(conn):
            if conn.execute("SELECT COUNT(*) FROM accounts").fetchone()[0]:
                raise FileExistsError(f"{path} already holds a store; choose a new file")
            account_id = admin.create_account(conn, *network.account)
            user_id = admin.create_user(conn, account_id, *network.user)
            customer_ids = [
                admin.create_customer(
                    conn,
                    c.name,
                    c.network_id,
                    c.city,
                    c.contact,
                    messaging_enabled=c.messaging_enabled,
                    trading_with=[account_id],
                )
                for c in network.customers
            ]
            document_ids = [
                admin.create_document(
                    conn,
                    account_id,
                    customer_ids[d.customer],
                    d.kind,
                    d.number,
                    d.issued,
                    d.currency,
                    d.status,
                    d.items,
                )
                for d in network.documents
            ]
            _write_threads(conn, network, account_id, user_id, customer_ids, document_ids)
    finally:
        conn.close()


def _write_threads(
    conn: sqlite3.Connection,
    network: NewNetwork,
    account: int,
    user: int,
    customer_ids: Sequence[int],
    document_ids: Sequence[int],
) -> None:
    threads, messages, attachment = network.threads, network.messages, network.attachment
    fts = conn.execute("SELECT value FROM meta WHERE key='fts'").fetchone()[0] == "1"
    blob_sha = hashlib.sha256(attachment).hexdigest()
    conn.execute(
        "INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)",
        (blob_sha, len(attachment), attachment),
    )
    conv_of: list[int] = []
    for t in threads:
        cur = conn.execute(
            "INSERT INTO conversations(account_id, customer_id, document_id, subject, created,"
            " last_activity) VALUES (?, ?, ?, ?, ?, ?)",
            (
                account,
                customer_ids[t.customer],
                None if t.document is None else document_ids[t.document],
                t.subject,
                timestamp(t.started),
                timestamp(t.started),
            ),
        )
        assert cur.lastrowid is not None
        conv_of.append(cur.lastrowid)
    last_of: dict[int, tuple[datetime, str]] = {}
    count_of: dict[int, int] = {}
    for m in messages:
        conv = conv_of[m.thread]
        mid = conn.execute(
            "INSERT INTO messages(conversation_id, author_kind, author_user_id, author_name,"
            " body, sent_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                conv,
                "customer" if m.by_customer else "supplier",
                None if m.by_customer else user,
                m.author_name,
                m.body,
                timestamp(m.sent),
                m.origin,
            ),
        ).lastrowid
        assert mid is not None
        if fts:
            search.index_message(conn, account, conv, mid, m.body)
        if m.attachment is not None:
            conn.execute(
                "INSERT INTO attachments(message_id, filename, size, media_type, sha256)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    mid,
                    m.attachment.format(conversation=conv),
                    len(attachment),
                    "application/pdf",
                    blob_sha,
                ),
            )
        last_of[m.thread] = (m.sent, m.body[:120])
        count_of[m.thread] = count_of.get(m.thread, 0) + 1
    for k, t in enumerate(threads):
        conv = conv_of[k]
        last, last_preview = last_of[k]
        conn.execute(
            "UPDATE conversations SET last_activity = ?, message_count = ?, last_preview = ?"
            " WHERE id = ?",
            (timestamp(last), count_of[k], last_preview, conv),
        )
        if t.unread:
            conn.execute(
                "INSERT INTO unread(user_id, conversation_id, count, last_activity)"
                " VALUES (?, ?, ?, ?)",
                (user, conv, 1, timestamp(last)),
            )
        conn.execute(
            "INSERT INTO changes(account_id, conversation_id, message_id, kind, author_kind)"
            " VALUES (?, ?, NULL, 'conversation', NULL)",
            (account, conv),
        )


def write_scale(
    path: str | Path, messages: int, text: ScaleText, *, now: datetime
) -> dict[str, int]:
    """Bulk-build a large store: ``messages`` messages, ``messages // 100`` customers,
    ``messages // 10`` documents, threads of ~20 messages plus one 10,000-message thread.
    Returns the counts. Uses executemany in large transactions (minutes for 1,000,000)."""
    conn = admin.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    fts = conn.execute("SELECT value FROM meta WHERE key='fts'").fetchone()[0] == "1"
    n_customers = max(10, messages // 100)
    n_documents = max(10, messages // 10)
    big_thread = min(10_000, messages // 2)
    conn.execute("BEGIN")
    account = admin.create_account(conn, "Precision Parts GmbH (scale)", "enterprise")
    user = admin.create_user(conn, account, "Jana Supplier", "jana@precision-parts.example")
    conn.executemany(
        "INSERT INTO customers(id, name, network_id, city, messaging_enabled, contact_name,"
        " contact_email, contact_phone, contact_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                i + 1,
                f"{text.customer_name(i)} {i}",
                f"AN{2000000000 + i:011d}",
                text.city(i),
                int(i % 7 != 3),
                f"Contact {i}",
                f"contact{i}@customer{i}.example",
                "+49 30 1234567",
                f"Street {i}, Berlin",
            )
            for i in range(n_customers)
        ),
    )
    conn.executemany(
        "INSERT INTO relationships VALUES (?, ?)", ((account, i + 1) for i in range(n_customers))
    )
    start_day = date(2020, 1, 1)
    conn.executemany(
        "INSERT INTO documents(id, account_id, customer_id, kind, number, issued, amount,"
        " currency, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                i + 1,
                account,
                i % n_customers + 1,
                "invoice" if i % 3 == 0 else "purchase_order",
                text.document_number(i),
                (start_day + timedelta(days=i * 2000 // n_documents)).isoformat(),
                text.amount(i),
                "EUR",
                "Sent",
            )
            for i in range(n_documents)
        ),
    )
    conn.execute("COMMIT")
    # Threads: one huge thread, then ~20 messages each; every 10th is linked to a document.
    sizes = [big_thread]
    left = messages - big_thread
    while left > 0:
        sizes.append(min(20, left))
        left -= 20
    t0 = now - timedelta(seconds=messages * 10)
    tenant = search.tenant_token(account)
    mid = 0
    for base in range(0, len(sizes), 2000):
        conn.execute("BEGIN")
        conv_rows: list[tuple[object, ...]] = []
        msg_rows: list[tuple[object, ...]] = []
        fts_rows: list[tuple[int, str, str, str]] = []
        unread_rows: list[tuple[object, ...]] = []
        for k in range(base, min(base + 2000, len(sizes))):
            cid = k + 1
            customer = k % n_customers + 1
            doc = k * 10 + 1 if k % 10 == 0 and k * 10 < n_documents else None
            subject = text.subject(k)
            number = text.document_number(doc - 1) if doc else ""
            context = f"{subject} {text.customer_name(customer - 1)} {customer - 1} {number}"
            first_mid = mid
            body = sent = ""
            for n in range(sizes[k]):
                mid += 1
                body = text.body(k, n, mid)
                sent = timestamp(t0 + timedelta(seconds=mid * 10))
                msg_rows.append(
                    (
                        mid,
                        cid,
                        "customer" if n % 2 else "supplier",
                        None if n % 2 else user,
                        "Buyer" if n % 2 else "Jana Supplier",
                        body,
                        sent,
                        "app",
                    )
                )
                if fts:
                    fts_rows.append((mid, body, context, tenant))
            created = timestamp(t0 + timedelta(seconds=(first_mid + 1) * 10))
            conv_rows.append(
                (cid, account, customer, doc, subject, created, sent, sizes[k], body[:120])
            )
            if k % 5 == 0:
                unread_rows.append((user, cid, 1, sent))
        conn.executemany(
            "INSERT INTO conversations(id, account_id, customer_id, document_id, subject,"
            " created, last_activity, message_count, last_preview)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            conv_rows,
        )
        conn.executemany("INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?, ?)", msg_rows)
        conn.executemany("INSERT INTO unread VALUES (?, ?, ?, ?)", unread_rows)
        if fts:
            _index_bulk(conn, fts_rows)
        conn.execute("COMMIT")
    conn.execute("PRAGMA optimize")
    conn.close()
    return {
        "customers": n_customers,
        "documents": n_documents,
        "conversations": len(sizes),
        "messages": messages,
    }


def _index_bulk(conn: sqlite3.Connection, fts_rows: Iterable[tuple[int, str, str, str]]) -> None:
    fts_rows = list(fts_rows)
    conn.executemany(
        "INSERT INTO search_fts(rowid, body, context, tenant) VALUES (?, ?, ?, ?)", fts_rows
    )
    words: dict[str, set[str]] = {}
    for _, body, context, tenant in fts_rows:
        words.setdefault(tenant, set()).update(search.terms(body) | search.terms(context))
    for tenant, tenant_words in words.items():
        search.remember_terms(conn, int(tenant.removeprefix("a")), tenant_words)
