"""Deterministic demo data, and the large-scale generator for benchmarks.

``build_demo(path)`` writes a realistic small network: one supplier account (Enterprise, or
Standard with ``plan="standard"``) and its user, 36 customers (5 with messaging off), 180
purchase orders and invoices, 28 threads (some linked to documents) with histories, attachments
and unread customer replies. The same inputs always give the same file contents (apart from
timestamps, which are laid out backwards from "now" so relative times read naturally).

``build_scale(path, messages)`` bulk-inserts a store of ``messages`` messages, with customers
(1 per 100 messages) and documents (1 per 10 messages) scaled with it: 1,000,000 messages ->
10,000 customers, 100,000 documents.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from .model import Contact, LineItem
from .store.sqlite import admin
from .store.sqlite import search as search
from .store.sqlite.connection import transaction
from .store.sqlite.rows import timestamp

CITIES = [
    ("Walldorf", "Germany"),
    ("Hamburg", "Germany"),
    ("Munich", "Germany"),
    ("Vienna", "Austria"),
    ("Zurich", "Switzerland"),
    ("Lyon", "France"),
    ("Milan", "Italy"),
    ("Rotterdam", "Netherlands"),
    ("Chicago", "USA"),
    ("Austin", "USA"),
    ("Toronto", "Canada"),
    ("Osaka", "Japan"),
    ("Barcelona", "Spain"),
    ("Gdansk", "Poland"),
    ("Brno", "Czechia"),
    ("Malmo", "Sweden"),
]
COMPANY_WORDS = [
    "Alpine",
    "Nordic",
    "Rhein",
    "Baltic",
    "Summit",
    "Keystone",
    "Harbor",
    "Meridian",
    "Granite",
    "Pioneer",
    "Vertex",
    "Atlas",
    "Cobalt",
    "Evergreen",
    "Falcon",
    "Horizon",
    "Ironwood",
    "Juniper",
    "Lakeside",
    "Monarch",
]
COMPANY_KINDS = [
    "Foods",
    "Motors",
    "Pharma",
    "Logistics",
    "Retail",
    "Textiles",
    "Electronics",
    "Chemicals",
    "Machinery",
    "Hospitals",
]
FIRST = [
    "Anna",
    "Lukas",
    "Marie",
    "Jonas",
    "Sofia",
    "Elias",
    "Clara",
    "Noah",
    "Emma",
    "Paul",
    "Mia",
    "Felix",
    "Lea",
    "Ben",
    "Hannah",
    "Tom",
]
LAST = [
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Braun",
]
PRODUCTS = [
    ("Hydraulic pump HP-200", "1450.00"),
    ("Steel bolts M8 (box of 500)", "38.50"),
    ("Conveyor belt 12 m", "2890.00"),
    ("Safety gloves, size L (pack of 50)", "62.00"),
    ("Industrial sensor IS-4", "310.00"),
    ("Pallet wrap 500 mm", "19.90"),
    ("Control cabinet CC-1", "4200.00"),
    ("Lubricant, 20 l", "145.00"),
    ("Bearing 6204-2RS", "7.80"),
    ("Maintenance service (hour)", "95.00"),
]
PO_STATUSES = ["New", "Confirmed", "Shipped", "Partially shipped", "Changed", "Cancelled"]
INVOICE_STATUSES = ["Sent", "Approved", "Paid", "Rejected", "Disputed"]
CURRENCIES = ["EUR", "EUR", "EUR", "USD", "CHF", "GBP"]

SUPPLIER_LINES = [
    "Hello, we have a question about the delivery schedule for this order.",
    "Please find the updated delivery note attached.",
    "Could you confirm the shipping address for the next delivery?",
    "Our production slot moved: we can ship two days earlier if that helps.",
    "The invoice was corrected as discussed; please check the attached copy.",
    "We need the goods receipt confirmation to close this invoice.",
]
CUSTOMER_LINES = [
    "Thanks, the new date works for us.",
    "Please ship to our warehouse in the harbour district, gate 4.",
    "We rejected the invoice because the unit price differs from the order.",
    "Can you send the quality certificate for batch 2231?",
    "Received, thank you. Our accounts team will process it this week.",
    "Is a partial delivery possible? We urgently need 40 units.",
]
SUBJECTS = [
    "Delivery schedule for Q1",
    "Price list 2027",
    "Quality certificate request",
    "Holiday closing times",
    "Packaging change",
    "New contact for invoicing",
    "Framework agreement renewal",
    "Forecast for next quarter",
]
PDF_BYTES = b"%PDF-1.4\n% netmsg demo delivery note\n" + b"0" * 2048 + b"\n%%EOF\n"


def _customer_name(i: int) -> str:
    word = COMPANY_WORDS[i % len(COMPANY_WORDS)]
    kind = COMPANY_KINDS[(i * 7) % len(COMPANY_KINDS)]
    suffix = "" if i < len(COMPANY_WORDS) else f" {['North', 'South', 'East', 'West'][i % 4]}"
    return f"{word} {kind}{suffix} {['GmbH', 'AG', 'Inc.', 'S.A.', 'Ltd'][i % 5]}"


def _contact(rng: random.Random, company: str, city: str, country: str) -> Contact:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    domain = company.split()[0].lower() + "-" + company.split()[1].lower() + ".example"
    return Contact(
        name=f"{first} {last}",
        email=f"{first.lower()}.{last.lower()}@{domain}",
        phone=f"+49 {rng.randint(30, 89)} {rng.randint(1000000, 9999999)}",
        address=f"{rng.choice(['Hauptstrasse', 'Market St', 'Industrieweg', 'Harbour Rd'])} "
        f"{rng.randint(1, 120)}, {city}, {country}",
    )


def build_demo(path: str | Path, *, plan: str = "enterprise") -> None:
    """Write the demo network into ``path`` (which must not hold a store yet)."""
    rng = random.Random(20261126)
    path = Path(path)
    conn = admin.connect(path)
    now = datetime.now(UTC).replace(microsecond=0)
    try:
        with transaction(conn):
            if conn.execute("SELECT COUNT(*) FROM accounts").fetchone()[0]:
                raise FileExistsError(f"{path} already holds a store; choose a new file")
            account = admin.create_account(conn, "Precision Parts GmbH", plan)
            user = admin.create_user(conn, account, "Jana Supplier", "jana@precision-parts.example")
            customers = []
            for i in range(36):
                city, country = CITIES[i % len(CITIES)]
                name = _customer_name(i)
                enabled = i % 7 != 3  # 5 of 36 have messaging off
                cid = admin.create_customer(
                    conn,
                    name,
                    f"AN{1000000000 + i * 7919:011d}",
                    city,
                    _contact(rng, name, city, country),
                    messaging_enabled=enabled,
                    trading_with=[account],
                )
                customers.append((cid, name, enabled))
            documents = []
            for i in range(180):
                cid, cname, enabled = customers[i % len(customers)]
                kind = "purchase_order" if i % 3 else "invoice"
                number = (
                    f"45000{12345 + i}" if kind == "purchase_order" else f"INV-2026-{i + 1:04d}"
                )
                items = [
                    LineItem(n + 1, desc, Decimal(rng.randint(1, 40)), Decimal(price))
                    for n, (desc, price) in enumerate(rng.sample(PRODUCTS, rng.randint(1, 4)))
                ]
                statuses = PO_STATUSES if kind == "purchase_order" else INVOICE_STATUSES
                issued = (now - timedelta(days=i // 2)).date()
                did = admin.create_document(
                    conn,
                    account,
                    cid,
                    kind,
                    number,
                    issued,
                    rng.choice(CURRENCIES),
                    rng.choice(statuses),
                    items,
                )
                documents.append((did, cid, enabled, kind, number))
            _demo_threads(conn, rng, account, user, customers, documents, now)
    finally:
        conn.close()


def _demo_threads(conn, rng, account, user, customers, documents, now) -> None:  # type: ignore[no-untyped-def]
    fts = conn.execute("SELECT value FROM meta WHERE key='fts'").fetchone()[0] == "1"
    enabled_customers = [c for c in customers if c[2]]
    linked_docs = [d for d in documents if d[2]][:12]
    threads = []
    for i, (did, cid, _e, kind, number) in enumerate(linked_docs):
        label = "Purchase order" if kind == "purchase_order" else "Invoice"
        threads.append((cid, f"{label} {number}", did, i))
    for i in range(16):
        cid = enabled_customers[(i * 5) % len(enabled_customers)][0]
        threads.append((cid, SUBJECTS[i % len(SUBJECTS)], None, i + 12))
    names = {c[0]: c[1] for c in customers}
    contacts = dict(conn.execute("SELECT id, contact_name FROM customers").fetchall())
    blob_sha = hashlib.sha256(PDF_BYTES).hexdigest()
    conn.execute(
        "INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)",
        (blob_sha, len(PDF_BYTES), PDF_BYTES),
    )
    # Written as they would have happened: threads by start, messages by time across threads,
    # so ids follow time as in a live store (search lists the newest matching message first by
    # walking message ids).
    starts = {i: now - timedelta(hours=3 * i + 2, minutes=17 * i) for _c, _s, _d, i in threads}
    threads.sort(key=lambda t: starts[t[3]])
    conv_of: dict[int, int] = {}
    for cid, subject, did, i in threads:
        start = starts[i]
        conv_of[i] = conn.execute(
            "INSERT INTO conversations(account_id, customer_id, document_id, subject, created,"
            " last_activity) VALUES (?, ?, ?, ?, ?, ?)",
            (account, cid, did, subject, timestamp(start), timestamp(start)),
        ).lastrowid
    planned = [
        (starts[i] + timedelta(minutes=40 * n + 5), i, n, cid)
        for cid, _s, _d, i in threads
        for n in range(2 + (i * 3) % 6)
    ]
    planned.sort()
    last_of: dict[int, tuple[datetime, str]] = {}
    for sent, i, n, cid in planned:
        conv = conv_of[i]
        by_customer = n % 2 == 1
        body = (CUSTOMER_LINES if by_customer else SUPPLIER_LINES)[(i + n) % 6]
        author = f"{contacts[cid]} ({names[cid]})" if by_customer else "Jana Supplier"
        origin = "email" if (not by_customer and n == 2 and i % 4 == 0) else "app"
        mid = conn.execute(
            "INSERT INTO messages(conversation_id, author_kind, author_user_id, author_name,"
            " body, sent_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                conv,
                "customer" if by_customer else "supplier",
                None if by_customer else user,
                author,
                body,
                timestamp(sent),
                origin,
            ),
        ).lastrowid
        if fts:
            search.index_message(conn, account, conv, mid, body)
        if "attached" in body:
            conn.execute(
                "INSERT INTO attachments(message_id, filename, size, media_type, sha256)"
                " VALUES (?, ?, ?, ?, ?)",
                (mid, f"delivery-note-{conv}.pdf", len(PDF_BYTES), "application/pdf", blob_sha),
            )
        last_of[i] = (sent, body[:120])
    for _cid, _subject, _did, i in threads:
        conv = conv_of[i]
        count = 2 + (i * 3) % 6
        last, last_preview = last_of[i]
        conn.execute(
            "UPDATE conversations SET last_activity = ?, message_count = ?, last_preview = ?"
            " WHERE id = ?",
            (timestamp(last), count, last_preview, conv),
        )
        if i % 3 == 0 and count % 2 == 0:  # the customer spoke last and it is still unread
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


def _scale_doc_number(i: int) -> str:
    return f"INV-{i:08d}" if i % 3 == 0 else f"45{i:08d}"


def build_scale(path: str | Path, messages: int, *, batch: int = 20_000) -> dict[str, int]:
    """Bulk-build a large store: ``messages`` messages, ``messages // 100`` customers,
    ``messages // 10`` documents, threads of ~20 messages plus one 10,000-message thread.
    Returns the counts. Uses executemany in large transactions (minutes for 1,000,000)."""
    rng = random.Random(7)
    conn = admin.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    fts = conn.execute("SELECT value FROM meta WHERE key='fts'").fetchone()[0] == "1"
    n_customers = max(10, messages // 100)
    n_documents = max(10, messages // 10)
    big_thread = min(10_000, messages // 2)
    now = datetime.now(UTC)
    conn.execute("BEGIN")
    account = admin.create_account(conn, "Precision Parts GmbH (scale)", "enterprise")
    user = admin.create_user(conn, account, "Jana Supplier", "jana@precision-parts.example")
    conn.executemany(
        "INSERT INTO customers(id, name, network_id, city, messaging_enabled, contact_name,"
        " contact_email, contact_phone, contact_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                i + 1,
                f"{_customer_name(i)} {i}",
                f"AN{2000000000 + i:011d}",
                CITIES[i % len(CITIES)][0],
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
                _scale_doc_number(i),
                (start_day + timedelta(days=i * 2000 // n_documents)).isoformat(),
                f"{rng.randint(100, 99999)}.00",
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
        conv_rows, msg_rows, fts_rows, unread_rows = [], [], [], []
        for k in range(base, min(base + 2000, len(sizes))):
            cid = k + 1
            customer = k % n_customers + 1
            doc = k * 10 + 1 if k % 10 == 0 and k * 10 < n_documents else None
            subject = f"{SUBJECTS[k % len(SUBJECTS)]} #{k}"
            number = _scale_doc_number(doc - 1) if doc else ""
            context = f"{subject} {_customer_name(customer - 1)} {customer - 1} {number}"
            first_mid = mid
            for n in range(sizes[k]):
                mid += 1
                body = f"{(CUSTOMER_LINES if n % 2 else SUPPLIER_LINES)[(k + n) % 6]} ref {mid}"
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
            conn.executemany(
                "INSERT INTO search_fts(rowid, body, context, tenant) VALUES (?, ?, ?, ?)",
                fts_rows,
            )
            words: dict[str, set[str]] = {}
            for _, body, context, tenant in fts_rows:
                words.setdefault(tenant, set()).update(search.terms(body) | search.terms(context))
            for tenant, tenant_words in words.items():
                search.remember_terms(conn, int(tenant.removeprefix("a")), tenant_words)
        conn.execute("COMMIT")
    conn.execute("PRAGMA optimize")
    conn.close()
    return {
        "customers": n_customers,
        "documents": n_documents,
        "conversations": len(sizes),
        "messages": messages,
    }
