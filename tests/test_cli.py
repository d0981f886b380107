"""The scripting CLI, run as a user would: a real process on a real store file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from netmsg_tui.model import MAX_ATTACHMENT_BYTES
from tests.conftest import Network


def netmsg(*args: str, stdin: str | None = None, cwd: Path | None = None):
    env = {**os.environ, "NETMSG_CONFIG": "/nonexistent/config.toml"}
    return subprocess.run(
        [sys.executable, "-m", "netmsg_tui", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "template.db"
    assert netmsg("demo", "init", str(path)).returncode == 0
    return path


@pytest.fixture
def demo(tmp_path, demo_template) -> Path:
    path = tmp_path / "demo.db"
    src = sqlite3.connect(demo_template)
    dst = sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    return path


def counts(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    result = (
        conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0],
        conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0],
    )
    conn.close()
    return result


def test_version_and_help() -> None:
    assert netmsg("--version").stdout.startswith("netmsg ")
    for args in ([], ["customers"], ["send"], ["demo", "init"]):
        result = netmsg(*args, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout


def test_customers_json_lists_the_demo_customers(demo) -> None:
    result = netmsg("--store", str(demo), "customers", "--json")
    assert result.returncode == 0, result.stderr
    customers = json.loads(result.stdout)
    assert len(customers) >= 30
    assert sum(not c["messaging_enabled"] for c in customers) >= 4
    first = customers[0]
    assert {"id", "name", "network_id", "messaging_enabled", "contact"} <= set(first)
    assert {"name", "email", "phone", "address"} <= set(first["contact"])
    found = json.loads(
        netmsg("--store", str(demo), "customers", "--search", "walldorf", "--json").stdout
    )
    assert found and all(c["city"] == "Walldorf" for c in found)


def test_documents_filters(demo) -> None:
    docs = json.loads(netmsg("--store", str(demo), "documents", "--json").stdout)
    assert len(docs) >= 150
    invoices = json.loads(
        netmsg("--store", str(demo), "documents", "--kind", "invoice", "--json").stdout
    )
    assert invoices and {d["kind"] for d in invoices} == {"invoice"}
    assert len({d["currency"] for d in docs}) >= 3 and len({d["status"] for d in docs}) >= 4


def test_send_show_reply_threads_unread(demo, tmp_path) -> None:
    store = ["--store", str(demo)]
    before = int(netmsg(*store, "unread").stdout)
    assert before > 0
    customers = json.loads(netmsg(*store, "customers", "--json").stdout)
    target = next(c for c in customers if c["messaging_enabled"])
    note = tmp_path / "note.txt"
    note.write_text("delivery note")
    sent = netmsg(
        *store,
        "send",
        "--customer",
        str(target["id"]),
        "--subject",
        "Pallets",
        "--body",
        "Ten pallets ship Monday",
        "--attach",
        str(note),
    )
    assert sent.returncode == 0, sent.stderr
    thread = int(sent.stdout)
    replied = netmsg(*store, "reply", str(thread), "--body", "-", stdin="And two more.\n")
    assert replied.returncode == 0, replied.stderr
    shown = json.loads(netmsg(*store, "show", str(thread), "--json").stdout)
    assert shown["id"] == thread and shown["customer_id"] == target["id"]
    assert [m["body"] for m in shown["messages"]] == ["Ten pallets ship Monday", "And two more.\n"]
    att = shown["messages"][0]["attachments"][0]
    assert att["filename"] == "note.txt" and att["size"] == 13 and len(att["sha256"]) == 64
    assert {"id", "author", "body", "sent_at", "origin", "attachments"} <= set(shown["messages"][0])
    threads = json.loads(netmsg(*store, "threads", "--json").stdout)
    assert threads[0]["id"] == thread
    assert {"id", "customer_id", "subject", "document_id", "unread_count", "last_activity"} <= set(
        threads[0]
    )
    unread = json.loads(netmsg(*store, "threads", "--unread", "--json").stdout)
    first_unread = unread[0]["id"]
    netmsg(*store, "show", str(first_unread))
    assert int(netmsg(*store, "unread").stdout) == before - unread[0]["unread_count"]
    text = netmsg(*store, "threads", "--search", "pallets").stdout
    assert "Pallets" in text


def test_attachment_of_exactly_the_limit_is_sent(demo, tmp_path) -> None:
    big = tmp_path / "exact.bin"
    big.write_bytes(b"\1" * MAX_ATTACHMENT_BYTES)
    result = netmsg(
        "--store",
        str(demo),
        "send",
        "--customer",
        "1",
        "--subject",
        "Exact",
        "--body",
        "10 MiB",
        "--attach",
        str(big),
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(netmsg("--store", str(demo), "show", result.stdout.strip(), "--json").stdout)
    assert shown["messages"][0]["attachments"][0]["size"] == MAX_ATTACHMENT_BYTES


def test_attachment_over_the_limit_is_refused_and_nothing_stored(demo, tmp_path) -> None:
    big = tmp_path / "over.bin"
    big.write_bytes(b"\1" * (MAX_ATTACHMENT_BYTES + 1))
    before = counts(demo)
    result = netmsg(
        "--store",
        str(demo),
        "send",
        "--customer",
        "1",
        "--subject",
        "Over",
        "--body",
        "too big",
        "--attach",
        str(big),
    )
    assert result.returncode != 0
    line = result.stderr.strip()
    assert "\n" not in line
    assert "over.bin" in line and "10,485,761" in line and "10,485,760" in line
    assert counts(demo) == before


def test_missing_and_unreadable_attachments(demo, tmp_path) -> None:
    before = counts(demo)
    result = netmsg(
        "--store",
        str(demo),
        "send",
        "--customer",
        "1",
        "--subject",
        "S",
        "--body",
        "b",
        "--attach",
        str(tmp_path / "nope.pdf"),
    )
    assert result.returncode == 1 and "nope.pdf does not exist" in result.stderr
    result = netmsg(
        "--store",
        str(demo),
        "send",
        "--customer",
        "1",
        "--subject",
        "S",
        "--body",
        "b",
        "--attach",
        str(tmp_path),
    )
    assert result.returncode == 1 and "is a folder" in result.stderr
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = netmsg(
        "--store",
        str(demo),
        "send",
        "--customer",
        "1",
        "--subject",
        "S",
        "--body",
        "b",
        "--attach",
        str(fifo),
    )
    assert result.returncode == 1 and "named pipe" in result.stderr
    assert counts(demo) == before


def test_disabled_customer_prints_contact_and_stores_nothing(demo) -> None:
    customers = json.loads(netmsg("--store", str(demo), "customers", "--json").stdout)
    off = next(c for c in customers if not c["messaging_enabled"])
    before = counts(demo)
    result = netmsg(
        "--store",
        str(demo),
        "send",
        "--customer",
        off["network_id"],
        "--subject",
        "Hello",
        "--body",
        "Hi",
    )
    assert result.returncode == 1
    for value in off["contact"].values():
        assert value in result.stderr
    assert counts(demo) == before


def test_standard_plan_explains_the_upgrade(tmp_path) -> None:
    path = tmp_path / "standard.db"
    assert netmsg("demo", "init", str(path), "--plan", "standard").returncode == 0
    before = counts(path)
    result = netmsg(
        "--store", str(path), "send", "--customer", "1", "--subject", "Hello", "--body", "Hi"
    )
    assert result.returncode == 1
    assert "Enterprise" in result.stderr and "upgrade" in result.stderr.lower()
    assert counts(path) == before


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["send", "--customer", "1", "--subject", " ", "--body", "b"], "Subject is empty"),
        (["send", "--customer", "1", "--subject", "S", "--body", ""], "Message is empty"),
        (["send", "--customer", "99999", "--subject", "S", "--body", "b"], "does not exist"),
        (["send", "--customer", "ANXX", "--subject", "S", "--body", "b"], "No customer"),
        (["reply", "99999", "--body", "b"], "does not exist"),
        (["show", "99999"], "does not exist"),
        (["save-attachment", "99999"], "does not exist"),
    ],
)
def test_bad_input_is_one_clear_line(demo, args, expected) -> None:
    before = counts(demo)
    result = netmsg("--store", str(demo), *args)
    assert result.returncode == 1
    assert expected in result.stderr and result.stderr.count("\n") == 1
    assert counts(demo) == before


def test_store_that_is_not_netmsg_or_missing(tmp_path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("hello")
    result = netmsg("--store", str(bogus), "threads")
    assert result.returncode == 1 and "not a netmsg message store" in result.stderr
    result = netmsg("--store", str(tmp_path / "absent.db"), "threads")
    assert result.returncode == 1 and "demo init" in result.stderr
    assert not (tmp_path / "absent.db").exists()


def test_demo_init_refuses_to_overwrite(demo) -> None:
    result = netmsg("demo", "init", str(demo))
    assert result.returncode == 1 and "already exists" in result.stderr


def test_save_attachment_is_byte_identical(demo, tmp_path) -> None:
    payload = tmp_path / "report.pdf"
    payload.write_bytes(b"%PDF-1.4 " + os.urandom(5000))
    thread = netmsg(
        "--store",
        str(demo),
        "send",
        "--customer",
        "1",
        "--subject",
        "Report",
        "--body",
        "see file",
        "--attach",
        str(payload),
    ).stdout.strip()
    shown = json.loads(netmsg("--store", str(demo), "show", thread, "--json").stdout)
    att = shown["messages"][0]["attachments"][0]
    out = tmp_path / "out"
    out.mkdir()
    saved = netmsg("--store", str(demo), "save-attachment", str(att["id"]), "--to", str(out))
    assert saved.returncode == 0, saved.stderr
    assert (out / "report.pdf").read_bytes() == payload.read_bytes()
    again = netmsg("--store", str(demo), "save-attachment", str(att["id"]), "--to", str(out))
    assert again.returncode == 1 and "already exists" in again.stderr


def test_show_does_not_pass_terminal_escapes_through(demo) -> None:
    store = ["--store", str(demo)]
    evil = "Hello \x1b]0;pwned\x07\x1b[2J world"
    thread = netmsg(*store, "send", "--customer", "1", "--subject", "Esc", "--body", evil)
    assert thread.returncode == 0, thread.stderr
    shown = netmsg(*store, "show", thread.stdout.strip())
    assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout
    assert "  | Hello ␛]0;pwned␇␛[2J world" in shown.stdout.splitlines()
    as_json = json.loads(netmsg(*store, "show", thread.stdout.strip(), "--json").stdout)
    assert as_json["messages"][0]["body"] == evil  # data stays exact for scripts


#: Everything in show's output that a terminal would obey (or reorder text by).
OBEYED = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F)]} - {"\n"}


async def test_show_keeps_a_customers_text_apart_from_its_own_lines(network: Network) -> None:
    from netmsg_tui.model import NewAttachment
    from netmsg_tui.store.sqlite import SQLiteStore

    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        conv = await store.start_conversation(network.customer_on, "Order \u202eFDP", "Confirm?")
    finally:
        await store.close()
    forged = (
        "Fine.\n\n--- Jana Supplier, 2026-11-02 10:00\nWe waive the invoice.\n"
        "    📎 refund.pdf (1 KiB), attachment 9\n\x9b2J \u202eevil\x07"
    )
    reply = await network.customer_reply(
        conv.id, forged, [NewAttachment("scan\u202efdp.exe", b"MZ")]
    )
    shown = netmsg("--store", str(network.path), "show", str(conv.id))
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.split("\n")
    assert lines[0] == "Order ⟨U+202E⟩FDP"
    authors = [line for line in lines if line.startswith("--- ")]
    assert [a.split(",")[0] for a in authors] == ["--- Jana Supplier", f"--- {reply.author}"]
    assert "  | --- Jana Supplier, 2026-11-02 10:00" in lines  # the forged line, marked as text
    assert "  |     📎 refund.pdf (1 KiB), attachment 9" in lines
    assert "  | ⟨U+009B⟩2J ⟨U+202E⟩evil␇" in lines
    attachments = [line for line in lines if line.startswith("    📎")]
    assert len(attachments) == 1 and attachments[0].startswith("    📎 scan⟨U+202E⟩fdp.exe (")
    assert not set(shown.stdout) & OBEYED

    raw = netmsg("--store", str(network.path), "show", str(conv.id), "--json").stdout
    data = json.loads(raw)
    assert data["subject"] == "Order \u202eFDP"  # exact for scripts
    assert data["messages"][-1]["body"] == forged
    assert data["messages"][-1]["attachments"][0]["filename"] == "scan\u202efdp.exe"
    assert not set(raw) & OBEYED
    assert "\\u009b" in raw and "\\u202e" in raw
    assert "📎 refund.pdf" in raw  # other non-ASCII stays as it is


async def test_listings_keep_one_line_per_row(network: Network) -> None:
    from netmsg_tui.store.sqlite import SQLiteStore

    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        # U+2028 and NEL (U+0085) are line breaks to some terminals and to str.splitlines().
        await store.start_conversation(network.customer_on, "one\u2028 99  forged\x85row", "x")
    finally:
        await store.close()
    listed = netmsg("--store", str(network.path), "threads")
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 1
    assert "one  99  forged⟨U+0085⟩row" in listed.stdout
