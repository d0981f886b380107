"""The rules of a write (store/rules.py), where the contract suite does not already pin them."""

from __future__ import annotations

from netmsg_tui.model import NewAttachment, NotificationPrefs
from netmsg_tui.store import rules
from netmsg_tui.store.sqlite import SQLiteStore, admin

from ..conftest import Network


def test_fingerprint_is_the_one_stored_with_earlier_keys() -> None:
    # Fingerprints are stored with each idempotency key: if their computation changed, a retry
    # of a send made before an upgrade would answer Conflict instead of the stored result.
    message = rules.outgoing("body", [NewAttachment("a.pdf", b"xx")], " Subj ")
    assert message.subject == "Subj"
    assert message.files[0].attachment.media_type == "application/pdf"
    assert (
        rules.fingerprint("start", 3, None, message.subject, message.body, files=message.files)
        == "2316a6f190569c6548c59b8fd434045b8da7ddccce67b3307eb84a06edac26fd"
    )


async def test_a_replay_answers_even_after_the_customer_turned_messaging_off(
    network: Network,
) -> None:
    store = SQLiteStore(network.path, user_id=network.user_a)
    try:
        first = await store.start_conversation(
            network.customer_on, "Once", "hello", idempotency_key="k"
        )
        conn = admin.connect(network.path)
        admin.set_messaging(conn, network.customer_on, False)
        conn.close()
        again = await store.start_conversation(
            network.customer_on, "Once", "hello", idempotency_key="k"
        )
        assert again.id == first.id and again.message_count == 1
    finally:
        await store.close()


async def test_customer_reply_marks_unread_and_queues_mail_for_users_who_want_it(
    network: Network,
) -> None:
    jana = SQLiteStore(network.path, user_id=network.user_a)
    piet = SQLiteStore(network.path, user_id=network.user_a2)
    try:
        await piet.set_preferences(NotificationPrefs(email_on_reply=False))
        conv = await jana.start_conversation(network.customer_on, "Mail", "hello")
        await network.customer_reply(conv.id, "answer")
        assert (await jana.get_conversation(conv.id)).unread_count == 1
        assert (await piet.get_conversation(conv.id)).unread_count == 1
        conn = admin.connect(network.path)
        queued = [r[0] for r in conn.execute("SELECT user_id FROM notification_outbox")]
        conn.close()
        assert queued == [network.user_a]
    finally:
        await jana.close()
        await piet.close()
