"""Attachment limits at the store, whoever the caller: no UI, no CLI, just the port.

Runs once per adapter (``store`` / ``make_store`` fixtures). A refusal must store nothing: not
the message, not the other (valid) files of the same message.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from netmsg_tui.files import save_attachment
from netmsg_tui.model import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS_PER_MESSAGE,
    MAX_FILENAME_CHARS,
    NewAttachment,
)
from netmsg_tui.store import AttachmentTooLarge, InvalidInput, MessageStore

EXACT = NewAttachment("exact.bin", b"\1" * MAX_ATTACHMENT_BYTES)
OVER = NewAttachment("over.bin", b"\1" * (MAX_ATTACHMENT_BYTES + 1))


def assert_over_limit_reason(error: BaseException) -> None:
    text = str(error)
    assert "over.bin" in text and "10,485,761 bytes" in text and "10,485,760 bytes" in text


async def test_exact_limit_accepted_and_one_byte_more_refused_on_every_write(
    store: MessageStore, network
) -> None:
    conv = await store.start_conversation(network.customer_on, "Exact", "", [EXACT])
    with pytest.raises(AttachmentTooLarge) as caught:
        await store.start_conversation(network.customer_on, "Over", "too big", [OVER])
    assert_over_limit_reason(caught.value)
    assert [c.subject for c in (await store.list_conversations()).items] == ["Exact"]

    await store.reply(conv.id, "again, exact", [EXACT])
    with pytest.raises(AttachmentTooLarge):
        await store.reply(conv.id, "too big", [OVER])

    with pytest.raises(AttachmentTooLarge):
        await store.start_conversation(
            network.customer_on, "PO", "too big", [OVER], document_id=network.po_a
        )
    assert await store.document_thread(network.po_a) is None

    # The network side (a customer's reply) holds the same limit.
    await network.customer_reply(conv.id, "exact back", [EXACT])
    with pytest.raises(AttachmentTooLarge):
        await network.customer_reply(conv.id, "too big", [OVER])

    messages = (await store.list_messages(conv.id)).items
    assert [m.body for m in messages] == ["", "again, exact", "exact back"]
    assert all(m.attachments[0].size == MAX_ATTACHMENT_BYTES for m in messages)


async def test_one_oversize_file_refuses_the_whole_message(store: MessageStore, network) -> None:
    conv = await store.start_conversation(network.customer_on, "Start", "hello")
    good = NewAttachment("good.pdf", b"%PDF-1.4 fine")
    with pytest.raises(AttachmentTooLarge):
        await store.reply(conv.id, "two files", [good, OVER])
    assert (await store.get_conversation(conv.id)).message_count == 1
    assert (await store.list_messages(conv.id)).items[0].attachments == ()


async def test_the_most_files_per_message_round_trip(store: MessageStore, network) -> None:
    files = [
        NewAttachment(f"part-{i}.bin", bytes([i]) * (1000 + i))
        for i in range(MAX_ATTACHMENTS_PER_MESSAGE)
    ]
    conv = await store.start_conversation(network.customer_on, "Many", "all parts", files)
    stored = (await store.list_messages(conv.id)).items[0].attachments
    assert [a.filename for a in stored] == [f.filename for f in files]
    for att, sent in zip(stored, files, strict=True):
        data = await store.read_attachment(att.id)
        assert data == sent.data
        assert att.size == len(sent.data)
        assert att.sha256 == hashlib.sha256(sent.data).hexdigest()
    with pytest.raises(InvalidInput, match=f"at most {MAX_ATTACHMENTS_PER_MESSAGE}"):
        await store.reply(conv.id, "one too many", [*files, NewAttachment("x.bin", b"x")])


async def test_media_type_is_kept_or_guessed_from_the_name(store: MessageStore, network) -> None:
    conv = await store.start_conversation(
        network.customer_on,
        "Types",
        "",
        [
            NewAttachment("photo", b"\x89PNG\r\n\x1a\n....", "image/png"),
            NewAttachment("notes.txt", b"plain"),
            NewAttachment("blob", b"\0\1\2"),
        ],
    )
    stored = (await store.list_messages(conv.id)).items[0].attachments
    assert [a.media_type for a in stored] == ["image/png", "text/plain", "application/octet-stream"]


async def test_file_name_rules(store: MessageStore, network) -> None:
    with pytest.raises(InvalidInput, match="needs a file name"):
        await store.start_conversation(network.customer_on, "S", "b", [NewAttachment("  ", b"x")])
    long_name = "n" * (MAX_FILENAME_CHARS + 1)
    with pytest.raises(InvalidInput, match="longer than"):
        await store.start_conversation(
            network.customer_on, "S", "b", [NewAttachment(long_name, b"x")]
        )
    assert (await store.list_conversations()).items == ()


async def test_a_hostile_name_is_kept_as_sent_and_saved_safely(
    store: MessageStore, network, tmp_path: Path
) -> None:
    """The store records what the sender sent; making it safe is the job of whoever saves it."""
    hostile = "../../.bashrc"
    conv = await store.start_conversation(
        network.customer_on, "Hostile", "", [NewAttachment(hostile, b"rm -rf ~\n")]
    )
    att = (await store.list_messages(conv.id)).items[0].attachments[0]
    assert att.filename == hostile
    area = tmp_path / "home"
    folder = area / "user" / "downloads"
    folder.mkdir(parents=True)
    saved = save_attachment(await store.read_attachment(att.id), att.filename, folder)
    assert saved == folder / "bashrc"
    assert [p for p in area.rglob("*") if p.is_file()] == [saved]


async def test_a_retried_send_with_attachments_is_stored_once(store: MessageStore, network) -> None:
    conv = await store.start_conversation(network.customer_on, "Retry", "hi")
    files = [NewAttachment("a.pdf", b"%PDF-1.4 a"), NewAttachment("b.pdf", b"%PDF-1.4 b")]
    first = await store.reply(conv.id, "files", files, idempotency_key="k-1")
    second = await store.reply(conv.id, "files", files, idempotency_key="k-1")
    assert first.id == second.id
    assert [a.id for a in first.attachments] == [a.id for a in second.attachments]
    assert (await store.get_conversation(conv.id)).message_count == 2


def test_too_large_is_a_kind_of_invalid_input() -> None:
    # Callers that handle InvalidInput generically still show the size refusal.
    assert issubclass(AttachmentTooLarge, InvalidInput)
