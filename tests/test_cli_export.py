"""``netmsg export``: a thread as Markdown, an mbox of emails and JSON, run as a real process on a
real store file; the mbox is read back with the standard library."""

from __future__ import annotations

import email.policy
import hashlib
import json
import mailbox
from email.message import EmailMessage
from pathlib import Path

from netmsg_tui.model import NewAttachment
from netmsg_tui.store.sqlite import SQLiteStore
from tests.conftest import Network
from tests.test_cli import OBEYED, netmsg

PDF = b"%PDF-1.4 certificate\n" + bytes(range(256)) * 8
FORGED = "Fine.\nFrom the warehouse: 12 pallets\n\x1b]0;pwned\x07 \u202eevil\n## not a heading"


async def _thread(network: Network) -> tuple[int, str]:
    """A thread of three: ours with a PDF, the customer's with a hostile body and file name,
    ours again. Returns its id and the customer's author name."""
    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        conv = await store.start_conversation(
            network.customer_on,
            "Certificate \u202eFDP",
            "Please find the certificate attached.",
            [NewAttachment("cert.pdf", PDF, "application/pdf")],
        )
        reply = await network.customer_reply(
            conv.id, FORGED, [NewAttachment("scan\u202efdp.exe", b"MZ\x90\x00")]
        )
        await store.reply(conv.id, "Thanks, noted.")
    finally:
        await store.close()
    return conv.id, reply.author


def _bodies(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


async def test_eml_export_is_an_mbox_any_mail_reader_opens(network: Network, tmp_path) -> None:
    thread, customer = await _thread(network)
    out = tmp_path / "thread.mbox"
    done = netmsg(
        "--store", str(network.path), "export", str(thread), "--format", "eml", "--to", str(out)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)

    box = mailbox.mbox(out, factory=None, create=False)
    try:
        mails = [
            email.message_from_bytes(box.get_bytes(k), policy=email.policy.default)
            for k in box.iterkeys()
        ]
    finally:
        box.close()  # else a ResourceWarning (unclosed file) at teardown
    assert len(mails) == 3
    assert all(isinstance(m, EmailMessage) for m in mails)
    subjects = [m["Subject"] for m in mails]
    assert subjects == [
        "Certificate ⟨U+202E⟩FDP",
        "Re: Certificate ⟨U+202E⟩FDP",
        "Re: Certificate ⟨U+202E⟩FDP",
    ]
    assert mails[1]["From"].addresses[0].display_name == customer
    assert mails[1]["In-Reply-To"] == mails[0]["Message-ID"]
    assert mails[2]["References"].split() == [mails[0]["Message-ID"], mails[1]["Message-ID"]]
    # The body as the terminal shows it: escapes as placeholders, a "From " line kept as text.
    assert _bodies(mails[0]) == "Please find the certificate attached.\n"
    assert _bodies(mails[1]).splitlines() == [
        "Fine.",
        "From the warehouse: 12 pallets",
        "␛]0;pwned␇ ⟨U+202E⟩evil",
        "## not a heading",
    ]
    files = [
        [(a.get_filename(), a.get_content_type(), a.get_content()) for a in m.iter_attachments()]
        for m in mails
    ]
    assert files[0] == [("cert.pdf", "application/pdf", PDF)]
    assert [(name, data) for name, _, data in files[1]] == [("scan⟨U+202E⟩fdp.exe", b"MZ\x90\x00")]
    assert files[2] == []
    assert hashlib.sha256(files[0][0][2]).hexdigest() == hashlib.sha256(PDF).hexdigest()
    assert not set(out.read_bytes().decode("utf-8", "replace")) & OBEYED


async def test_markdown_export_lists_attachments_with_sha256(network: Network) -> None:
    thread, customer = await _thread(network)
    done = netmsg("--store", str(network.path), "export", str(thread), "--format", "md")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    assert lines[0] == "# Certificate ⟨U+202E⟩FDP"
    headings = [line for line in lines if line.startswith("## ")]
    assert len(headings) == 3 and headings[1].startswith(f"## {customer}, ")
    assert "> ## not a heading" in lines  # customer text stays quoted
    assert "> ␛]0;pwned␇ ⟨U+202E⟩evil" in lines
    sha = hashlib.sha256(PDF).hexdigest()
    assert f"- `cert.pdf` (2.0 KiB), sha256 `{sha}`" in lines
    exe_sha = hashlib.sha256(b"MZ\x90\x00").hexdigest()
    assert f"- `scan⟨U+202E⟩fdp.exe` (4 B), sha256 `{exe_sha}`" in lines
    assert not set(done.stdout) & OBEYED


async def test_json_export_has_the_api_shape_with_the_shown_text(
    network: Network, tmp_path: Path
) -> None:
    thread, _ = await _thread(network)
    out = tmp_path / "t.json"
    store = ["--store", str(network.path)]
    assert (
        netmsg(*store, "export", str(thread), "--format", "json", "--to", str(out)).returncode == 0
    )
    data = json.loads(out.read_text())
    shown = json.loads(netmsg(*store, "show", str(thread), "--json", "--no-mark-read").stdout)
    assert set(data) == set(shown)
    assert set(data["messages"][0]) == set(shown["messages"][0])
    assert [m["id"] for m in data["messages"]] == [m["id"] for m in shown["messages"]]
    assert data["subject"] == "Certificate ⟨U+202E⟩FDP"
    assert data["messages"][1]["body"].split("\n")[2] == "␛]0;pwned␇ ⟨U+202E⟩evil"
    assert data["messages"][0]["attachments"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()

    again = netmsg(*store, "export", str(thread), "--format", "json", "--to", str(out))
    assert again.returncode == 1 and "already exists; use --force" in again.stderr
    missing = netmsg(*store, "export", "99999", "--format", "md")
    assert missing.returncode == 1 and missing.stderr.startswith("netmsg: ")
