"""No customer byte drives the supplier's terminal: the real app in a real pseudo-terminal.

A customer (through the real server's customer API, with a customer token) answers with escape
sequences in the body and the attachment's file name; its company name, its contact's name, the
subject and the document number carry them too. The app runs as ``python -m netmsg_tui`` in a pty
of 80×24; the list, the toast and the thread are shown by keys, and every byte the app writes is
read. Textual writes escape sequences of its own, so the checks are on the hostile payloads.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx

from netmsg_tui.model import Contact, LineItem
from netmsg_tui.server.run import ServerThread
from netmsg_tui.store.sqlite import SQLiteStore, admin
from netmsg_tui.store.sqlite.admin import create_customer_contact, issue_token

from .pty_terminal import PtyTerminal


def hostile(tag: str, st: str = "\x1b\\") -> str:
    """``tag`` followed by one of each escape class (``st``: the string terminator)."""
    return (
        f"{tag}"
        f"\x1b]52;c;ZWNobyBwd25lZA=={st}"  # OSC 52: write the clipboard
        f"\x1b]0;TITLE{st}"  # OSC 0: set the window title
        f"\x1b]8;;http://evil.example/{st}LINK\x1b]8;;{st}"  # OSC 8: plant a hyperlink
        "\x1b[2JWIPED"  # CSI 2J: clear the screen
        "\x9b2JC1WIPED"  # the same as one C1 character
        "\u202eRLO"  # right-to-left override
        "\x07BELL"  # bell
    )


#: What must never reach the terminal, by class (markers keep Textual's own bytes apart).
FORBIDDEN = {
    "OSC 52 clipboard": b"\x1b]52;",
    "OSC 0 title": b"\x1b]0;TITLE",
    "OSC 8 hyperlink": b"\x1b]8;;http://evil",
    "CSI 2J": b"\x1b[2JWIPED",
    "C1 CSI U+009B": "\x9b".encode(),
    "U+202E": "\u202e".encode(),
    "BEL": b"\x07BELL",
}


def leaks(output: bytes) -> dict[str, bytes]:
    """Each forbidden payload found in what the app wrote, by class, with the bytes around it."""
    return {
        name: output[max(at - 80, 0) : at + 40]
        for name, payload in FORBIDDEN.items()
        if (at := output.find(payload)) >= 0
    }


#: What the reader sees instead: the same text, with the controls as visible placeholders.
SHOWN = ["␛]52;c;ZWNobyBwd25lZA==", "␛]0;TITLE", "␛[2JWIPED", "⟨U+009B⟩2J", "⟨U+202E⟩RLO", "␇BELL"]


def hostile_network(path: Path) -> tuple[int, str]:
    """A supplier, and a customer whose every field is hostile, with a thread between them;
    the conversation id and a customer token of the hostile contact."""
    conn = admin.connect(path)
    conn.execute("BEGIN")
    account = admin.create_account(conn, "Precision Parts GmbH", "enterprise")
    admin.create_user(conn, account, "Jana Supplier", "jana@parts.example")
    customer = admin.create_customer(
        conn,
        hostile("MALLORYCO"),
        "AN01000000666",
        hostile("CITY"),
        Contact(hostile("CARD"), "m@evil.example", hostile("PHONE"), hostile("ADDR")),
        trading_with=[account],
    )
    items = [LineItem(1, hostile("ITEM"), Decimal("1"), Decimal("1.00"))]
    document = admin.create_document(
        conn, account, customer, "purchase_order", hostile("DOCNO"), date(2026, 11, 2), "EUR",
        "New", items,
    )  # fmt: skip
    conn.execute("COMMIT")
    contact = create_customer_contact(conn, customer, hostile("MAXCONTACT"), "max@evil.example")
    _, token = issue_token(conn, "customer", contact_id=contact)
    conn.close()

    async def start() -> int:
        store = SQLiteStore(path)
        try:
            conv = await store.start_conversation(
                customer, hostile("SUBJ"), "Hello from the supplier", document_id=document
            )
            return conv.id
        finally:
            await store.close()

    import asyncio

    return asyncio.run(start()), token


def customer_reply(url: str, token: str, conversation_id: int) -> None:
    """POST the reply as the customer would: multipart written by hand, so the file name keeps
    its raw bytes (httpx would percent-encode some controls)."""
    body = "BODYMARK\n" + "\n".join(hostile(f"L{n}") for n in range(2))
    name = hostile("ATTACHMARK", st="\x07") + ".pdf"  # no backslash inside a quoted name
    message = json.dumps({"body": body, "idempotency_key": "evil-1"})
    boundary = "netmsgtestboundary"
    payload = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="message"\r\n\r\n'
        f"{message}\r\n"
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
        "%PDF-1.4 evil\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    r = httpx.post(
        f"{url}/api/v1/customer/conversations/{conversation_id}/messages",
        content=payload,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
        timeout=30,
    )
    assert r.status_code == 201, r.text
    reply = r.json()
    assert reply["body"] == body and reply["attachments"][0]["filename"] == name


def test_customer_escape_sequences_never_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "network.db"
    conversation_id, token = hostile_network(path)
    server = ServerThread(path, rate=0)
    url = server.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", NETMSG_CONFIG=str(tmp_path / "none.toml"), LANG="C.UTF-8")
    env.pop("COLUMNS", None), env.pop("LINES", None)
    term = PtyTerminal([sys.executable, "-m", "netmsg_tui", "--store", str(path)], env)
    try:
        term.read_until(b"SUBJ", "the conversation list")
        listed = len(term.output)
        customer_reply(url, token, conversation_id)
        term.read_until(b"replied", "the toast", start=listed)  # title: "<name> replied"
        opened = len(term.output)
        term.type(b"\r")  # Enter: open the highlighted (only) thread
        term.read_until(b"BODYMARK", "the reply in the thread", start=opened)
        term.read_until(b"ATTACHMARK", "the attachment's name", start=opened)
        term.read_until(b"MAXCONTACT", "the author's name", start=opened)
        shown = len(term.output)
        term.type(b"d")  # the thread's document: number, line items, the customer's city
        term.read_until(b"ITEM", "the document's line item", start=shown)
        term.read_until(b"CITY", "the customer's city", start=shown)
        term.read_until(b"DOCNO", "the document number", start=shown)
        code = term.finish(b"\x11")  # ctrl+q
    finally:
        term.close()
        server.stop()
    assert code == 0, term.tail()

    output = bytes(term.output)
    assert leaks(output) == {}, f"reached the terminal: {leaks(output)}"
    text = output.decode("utf-8", "replace")
    for placeholder in SHOWN:
        assert placeholder in text, placeholder
