"""Reply tokens (HMAC, expiry, rotation) and quote stripping of single texts."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from netmsg_tui.mail.reply_text import html_to_text, strip_reply
from netmsg_tui.mail.secret import SecretError, load_secrets, rotate_secret
from netmsg_tui.mail.tokens import TokenError, TokenSigner

from .conftest import REPLY_DOMAIN, SECRET


def test_a_token_round_trips_and_survives_upper_case(signer: TokenSigner) -> None:
    token = signer.issue(7, 12345)
    address = signer.address(token)
    assert address.startswith("reply+") and address.endswith("@" + REPLY_DOMAIN)
    assert len(address.split("@")[0]) <= 64  # RFC 5321 local-part limit
    back = signer.verify(token.text.upper())
    assert (back.user_id, back.conversation_id) == (7, 12345)


def test_every_changed_character_breaks_the_signature(signer: TokenSigner) -> None:
    text = signer.issue(1, 2).text
    for i, char in enumerate(text):
        if char == "-":
            continue
        other = "3" if char != "3" else "4"
        with pytest.raises(TokenError) as err:
            signer.verify(text[:i] + other + text[i + 1 :])
        assert err.value.forged


def test_an_expired_token_is_refused_but_not_as_forged(signer: TokenSigner) -> None:
    issued = datetime(2026, 1, 1, tzinfo=UTC)
    token = signer.issue(1, 2, now=issued)
    assert signer.verify(token.text, now=issued + timedelta(days=29)).user_id == 1
    with pytest.raises(TokenError) as err:
        signer.verify(token.text, now=issued + timedelta(days=30))
    assert not err.value.forged
    assert "expired on 2026-01-31" in str(err.value)


def test_candidates_come_from_our_domain_only(signer: TokenSigner) -> None:
    text = signer.issue(1, 2).text
    found = signer.find_candidates(
        [f"reply+{text}@evil.example", f"Reply+{text}@{REPLY_DOMAIN.upper()}"],
        [f"<netmsg-reply.{text}@{REPLY_DOMAIN}>", "<other@id>"],
    )
    assert found == [text]


def test_the_secret_file_is_created_private_and_rotation_keeps_the_previous_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NETMSG_MAIL_SECRET")
    path = tmp_path / "data" / "mail-secret"
    monkeypatch.setenv("NETMSG_MAIL_SECRET_FILE", str(path))
    (first,) = load_secrets()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    old_token = TokenSigner([first], REPLY_DOMAIN).issue(1, 2)
    rotate_secret()
    secrets = load_secrets()
    assert len(secrets) == 2 and secrets[1] == first and secrets[0] != first
    assert TokenSigner(secrets, REPLY_DOMAIN).verify(old_token.text).conversation_id == 2
    rotate_secret()
    assert first not in load_secrets()  # only one previous secret is kept
    os.chmod(path, 0o644)
    with pytest.raises(SecretError, match="chmod 600"):
        load_secrets()


def test_the_environment_secret_wins_and_must_be_long_enough(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_secrets() == [SECRET]
    monkeypatch.setenv("NETMSG_MAIL_SECRET", "short")
    with pytest.raises(SecretError, match="shorter than 16"):
        load_secrets()


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("Thanks, see you Monday", "Thanks, see you Monday"),
        ("Ok.\n\nBest regards\nJana", "Ok."),
        ("Best regards\nJana", ""),
        ("Thanks,\nJana", "Thanks,\nJana"),
        (
            "Hi Max,\n\nThanks, we ship on Monday as agreed with your team.\n\nKind regards\nJana",
            "Hi Max,\n\nThanks, we ship on Monday as agreed with your team.",
        ),
        ("Ja, passt.\n\nAm 26.11.2026 um 10:15 schrieb Business Network:\n> alt", "Ja, passt."),
        ("Yes\n\n-----Original Message-----\nFrom: x\nSent: y\n\nold text", "Yes"),
        ("> quoted\n> more\n\nInline answer\n\n> quoted again", "Inline answer"),
    ],
)
def test_strip_reply(text: str, reply: str) -> None:
    assert strip_reply(text)[0] == reply


def test_html_to_text_keeps_lines_and_marks_blockquotes() -> None:
    html = (
        "<html><head><style>p{}</style></head><body><p>One &amp; two</p><div>three<br>four"
        "</div><blockquote>quoted<blockquote>deeper</blockquote></blockquote></body></html>"
    )
    assert html_to_text(html) == "One & two\nthree\nfour\n\n> quoted\n> > deeper\n>"
