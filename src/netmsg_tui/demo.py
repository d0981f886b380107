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

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from .model import Contact, LineItem
from .store.bulk import (
    NewCustomer,
    NewDocument,
    NewMessage,
    NewNetwork,
    NewThread,
    ScaleText,
    write_network,
    write_scale,
)

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
    now = datetime.now(UTC).replace(microsecond=0)
    customers = []
    for i in range(36):
        city, country = CITIES[i % len(CITIES)]
        name = _customer_name(i)
        customers.append(
            NewCustomer(
                name,
                f"AN{1000000000 + i * 7919:011d}",
                city,
                _contact(rng, name, city, country),
                messaging_enabled=i % 7 != 3,  # 5 of 36 have messaging off
            )
        )
    documents = []
    for i in range(180):
        kind = "purchase_order" if i % 3 else "invoice"
        number = f"45000{12345 + i}" if kind == "purchase_order" else f"INV-2026-{i + 1:04d}"
        items = [
            LineItem(n + 1, desc, Decimal(rng.randint(1, 40)), Decimal(price))
            for n, (desc, price) in enumerate(rng.sample(PRODUCTS, rng.randint(1, 4)))
        ]
        statuses = PO_STATUSES if kind == "purchase_order" else INVOICE_STATUSES
        issued = (now - timedelta(days=i // 2)).date()
        documents.append(
            NewDocument(
                i % len(customers),
                kind,
                number,
                issued,
                rng.choice(CURRENCIES),
                rng.choice(statuses),
                items,
            )
        )
    threads, messages = _demo_threads(customers, documents, now)
    network = NewNetwork(
        account=("Precision Parts GmbH", plan),
        user=("Jana Supplier", "jana@precision-parts.example"),
        customers=customers,
        documents=documents,
        threads=threads,
        messages=messages,
        attachment=PDF_BYTES,
    )
    write_network(path, network)


def _demo_threads(
    customers: list[NewCustomer], documents: list[NewDocument], now: datetime
) -> tuple[list[NewThread], list[NewMessage]]:
    """28 threads, 12 of them on documents, and their messages, written as they would have
    happened: threads by start, messages by time across threads, so ids follow time as in a
    live store (search lists the newest matching message first by walking message ids)."""
    enabled = [k for k, c in enumerate(customers) if c.messaging_enabled]
    linked_docs = [k for k, d in enumerate(documents) if customers[d.customer].messaging_enabled]
    plan: list[tuple[int, str, int | None, int]] = []  # (customer, subject, document, i)
    for i, k in enumerate(linked_docs[:12]):
        d = documents[k]
        label = "Purchase order" if d.kind == "purchase_order" else "Invoice"
        plan.append((d.customer, f"{label} {d.number}", k, i))
    for i in range(16):
        plan.append((enabled[(i * 5) % len(enabled)], SUBJECTS[i % len(SUBJECTS)], None, i + 12))
    starts = {i: now - timedelta(hours=3 * i + 2, minutes=17 * i) for _c, _s, _d, i in plan}
    plan.sort(key=lambda t: starts[t[3]])
    threads = [
        NewThread(c, subject, d, starts[i], unread=i % 3 == 0 and (2 + (i * 3) % 6) % 2 == 0)
        for c, subject, d, i in plan
    ]
    planned = sorted(
        (starts[i] + timedelta(minutes=40 * n + 5), i, n, k)
        for k, (_c, _s, _d, i) in enumerate(plan)
        for n in range(2 + (i * 3) % 6)
    )
    messages = []
    for sent, i, n, k in planned:
        customer = customers[plan[k][0]]
        by_customer = n % 2 == 1
        body = (CUSTOMER_LINES if by_customer else SUPPLIER_LINES)[(i + n) % 6]
        author = f"{customer.contact.name} ({customer.name})" if by_customer else "Jana Supplier"
        origin = "email" if (not by_customer and n == 2 and i % 4 == 0) else "app"
        attachment = "delivery-note-{conversation}.pdf" if "attached" in body else None
        messages.append(NewMessage(k, sent, by_customer, author, body, origin, attachment))
    return threads, messages


def _scale_doc_number(i: int) -> str:
    return f"INV-{i:08d}" if i % 3 == 0 else f"45{i:08d}"


def build_scale(path: str | Path, messages: int, *, batch: int = 20_000) -> dict[str, int]:
    """Bulk-build a large store: ``messages`` messages, ``messages // 100`` customers,
    ``messages // 10`` documents, threads of ~20 messages plus one 10,000-message thread.
    Returns the counts. Uses executemany in large transactions (minutes for 1,000,000)."""
    rng = random.Random(7)
    text = ScaleText(
        customer_name=_customer_name,
        city=lambda i: CITIES[i % len(CITIES)][0],
        document_number=_scale_doc_number,
        amount=lambda _i: f"{rng.randint(100, 99999)}.00",
        subject=lambda k: f"{SUBJECTS[k % len(SUBJECTS)]} #{k}",
        body=lambda k, n, mid: (
            f"{(CUSTOMER_LINES if n % 2 else SUPPLIER_LINES)[(k + n) % 6]} ref {mid}"
        ),
    )
    return write_scale(path, messages, text, now=datetime.now(UTC))
