"""A generated network to write into a new store in bulk: the demo network and the large store
of the benchmarks (``netmsg_tui.demo`` makes the data up). Only the SQLite adapter writes them
(:mod:`.sqlite.bulk`); these functions load it on demand, so callers import no adapter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..model import Contact, LineItem


@dataclass(frozen=True)
class NewCustomer:
    name: str
    network_id: str
    city: str
    contact: Contact
    messaging_enabled: bool


@dataclass(frozen=True)
class NewDocument:
    customer: int  # index into the customers
    kind: str
    number: str
    issued: date
    currency: str
    status: str
    items: Sequence[LineItem]


@dataclass(frozen=True)
class NewThread:
    customer: int  # index into the customers
    subject: str
    document: int | None  # index into the documents
    started: datetime
    unread: bool  # one unread message for the user when the thread is written


@dataclass(frozen=True)
class NewMessage:
    thread: int  # index into the threads
    sent: datetime
    by_customer: bool
    author_name: str
    body: str
    origin: str
    attachment: str | None  # file name ("{conversation}" filled in) of the attachment's bytes


@dataclass(frozen=True)
class ScaleText:
    """How the large store's rows read, by their 0-based index (the ids are index + 1)."""

    customer_name: Callable[[int], str]
    city: Callable[[int], str]
    document_number: Callable[[int], str]
    amount: Callable[[int], str]  # decimal text, called once per document in order
    subject: Callable[[int], str]  # of thread k
    body: Callable[[int, int, int], str]  # of message n of thread k, message id


@dataclass(frozen=True)
class NewNetwork:
    """One supplier ``account`` (name, plan) and its ``user`` (name, email), trading with all
    the customers; written in the order given, so ids follow it (threads and messages in time
    order, as in a live store)."""

    account: tuple[str, str]
    user: tuple[str, str]
    customers: Sequence[NewCustomer]
    documents: Sequence[NewDocument]
    threads: Sequence[NewThread]
    messages: Sequence[NewMessage]
    attachment: bytes  # the bytes of every message's attachment


def write_network(path: str | Path, network: NewNetwork) -> None:
    """Write ``network`` into the new SQLite store ``path`` in one transaction."""
    from .sqlite import bulk

    bulk.write_network(path, network)


def write_scale(
    path: str | Path, messages: int, text: ScaleText, *, now: datetime
) -> dict[str, int]:
    """Bulk-build a large SQLite store (see :func:`.sqlite.bulk.write_scale`)."""
    from .sqlite import bulk

    return bulk.write_scale(path, messages, text, now=now)
