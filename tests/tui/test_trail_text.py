"""The delivery trail as text: every field it holds is shown, and every string from outside
(names, addresses, SMTP errors, Message-IDs, paths) is inert: escapes as placeholders, markup
as literal brackets."""

from __future__ import annotations

from datetime import UTC, datetime

from netmsg_tui.model import DeliveryTrail, InboundMail, Message, NotificationRecord
from netmsg_tui.tui.screens.mail_log import mail_prompt
from netmsg_tui.tui.screens.trail import trail_text

WHEN = datetime(2026, 11, 26, 14, 2, tzinfo=UTC)
HOSTILE = "\x1b[31mred\x1b[0m [bold]x[/] \u202egpj.exe"


def customer_message(author: str = "Max Buyer") -> Message:
    return Message(7, 3, author, "customer", "Friday?", WHEN, "app")


def test_a_customer_message_with_a_failed_notification() -> None:
    failed = NotificationRecord(
        id=1, user_name="Jana Supplier", addresses=("jana@parts.example",), state="failed",
        attempts=10, last_error="cannot deliver through 127.0.0.1:2525: refused", created=WHEN,
        email_message_id="<n1@network.test>",
    )  # fmt: skip
    trail = DeliveryTrail(3, customer_message(), "key-123", (failed,))
    text = trail_text(trail).plain
    assert "#7" in text and "Max Buyer" in text and "(customer)" in text
    assert "From where    network" in text  # a customer's "app" origin is the network's app
    assert "key-123" in text
    assert "✕ failed · 10 tries" in text
    assert "to jana@parts.example (Jana Supplier)" in text
    assert "last error: cannot deliver through 127.0.0.1:2525: refused" in text
    assert "Message-ID: <n1@network.test>" in text


def test_a_rejected_reply_without_a_stored_message() -> None:
    mail = InboundMail(
        "<r1@evil.example>", WHEN, "rejected", "mallory@evil.example is not one of the "
        "notification addresses", conversation_id=3, kept_at="/srv/netmsg/rejected-mail/r1.eml",
    )  # fmt: skip
    text = trail_text(DeliveryTrail(3, inbound=mail)).plain
    assert "not stored" in text
    assert "none (sent without a key)" in text
    assert "✕ rejected: mallory@evil.example is not one of the notification addresses" in text
    assert "raw mail kept at: /srv/netmsg/rejected-mail/r1.eml" in text
    assert "<r1@evil.example>" in text


def test_outside_strings_are_inert() -> None:
    record = NotificationRecord(
        id=1, user_name=HOSTILE, addresses=(HOSTILE,), state="failed", attempts=1,
        last_error=HOSTILE, created=WHEN, email_message_id=HOSTILE,
    )  # fmt: skip
    mail = InboundMail(HOSTILE, WHEN, "rejected", HOSTILE, 3, kept_at=HOSTILE)
    trail = DeliveryTrail(
        3, customer_message(HOSTILE), HOSTILE, (record,), mail, WHEN, customer_reader=HOSTILE
    )
    for text in (trail_text(trail), mail_prompt(mail)):
        plain = text.plain
        assert "\x1b" not in plain and "\u202e" not in plain
        assert "␛[31mred" in plain and "⟨U+202E⟩" in plain
        assert "[bold]x[/]" in plain  # shown literally, never parsed as markup
