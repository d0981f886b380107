"""A document search finds the same documents in the same order whichever way the SQLite adapter
looks: few hits collected by index and then sorted, or many found by walking the documents
newest first (store/sqlite/search.py chooses by counting the hits up to DENSE_HITS)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from netmsg_tui.demo import build_demo
from netmsg_tui.model import Document
from netmsg_tui.store.sqlite import SQLiteStore, search

QUERIES = ["4500", "45000123", "inv", "INV-2026-00", "a", "alpine", "NORDIC", "%", "_", "9999"]
FILTERS: list[dict[str, Any]] = [
    {},
    {"kind": "invoice"},
    {"oldest_first": True},
    {"kind": "purchase_order", "oldest_first": True},
]


async def every_page(store: SQLiteStore, query: str, **filters: Any) -> list[Document]:
    found: list[Document] = []
    cursor = None
    while True:
        page = await store.list_documents(query, cursor=cursor, limit=7, **filters)
        found += page.items
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


def expected(everything: list[Document], query: str, **filters: Any) -> list[int]:
    """What the search means, in Python: the number starts with the text (as typed or in
    capitals) or the customer's name holds it (any case)."""
    kind, oldest_first = filters.get("kind"), filters.get("oldest_first", False)
    ordered = sorted(everything, key=lambda d: (d.issued, d.id), reverse=not oldest_first)
    return [
        d.id
        for d in ordered
        if (kind is None or d.kind == kind)
        and (
            d.number.startswith((query, query.upper())) or query.lower() in d.customer_name.lower()
        )
    ]


async def test_both_plans_find_the_same_documents_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.db"
    build_demo(path)
    store = SQLiteStore(path)
    try:
        everything = await every_page(store, "")
        assert len(everything) > 100
        searches = [(q, f) for q in QUERIES for f in FILTERS]
        few = [[d.id for d in await every_page(store, q, **f)] for q, f in searches]
        assert few == [expected(everything, q, **f) for q, f in searches]
        assert max(len(ids) for ids in few) > 50  # some searches do find many

        monkeypatch.setattr(search, "DENSE_HITS", 1)  # every search walks the documents by date
        many = [[d.id for d in await every_page(store, q, **f)] for q, f in searches]
        assert many == few
    finally:
        await store.close()
