"""The tables of :mod:`.languages` compiled into the line tests the extractor uses.

Every pattern is tried on one line (or a few lines joined with spaces), anchored at both ends and
bounded in length, so a hostile mail cannot make a regular expression backtrack for long.
"""

from __future__ import annotations

import re

from . import languages as L

_I = re.IGNORECASE


def _any(words: list[str]) -> str:
    # Longest first, so "Original Message" wins over "Original".
    return "|".join(sorted(words, key=len, reverse=True))


_EMAIL = r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"
_TIME = r"\d{1,2}[:.]\d{2}"
_DATE = (
    r"\d{1,4}[./-]\s?\d{1,2}[./-]\s?\d{1,4}|\d{1,2}\.? [^\W\d]{3,}\.? \d{2,4}|"
    r"[^\W\d]{3,}\.? \d{1,2},? \d{4}|\d{4}年|\d{1,2}月|\d{4}\b"
)

EMAIL = re.compile(_EMAIL)
# "On … wrote:" and its translations: the verb, maybe a name after it, and a colon at the end.
# The name after the verb is short and has no sentence in it ("schrieb Business Network <…>:").
WROTE_END = re.compile(
    rf"(?:{_any(L.WROTE)})(?:\s+[^.!?:]{{0,120}}?|\s*\([^)]{{0,80}}\))?\s*[:：]\s*-*\s*$", _I
)
WROTE_THEN_TEXT = re.compile(rf"(?:{_any(L.WROTE)})\s*[:：]\s{{2,}}\S", _I)
# Polymail's wrapped attribution ends in a line "> wrote:".
QUOTED_VERB = re.compile(rf"^\s*>\s*(?:{_any(L.WROTE)})\s*[:：]\s*$", _I)
# The same verb form without a colon ("-- Business Network wrote --", Android).
ANDROID_WROTE = re.compile(r"^-{2,}\s*.{1,120}\s(?:wrote|schrieb|a écrit|skrev)\s*-{2,}$", _I)
CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)|(?<!\d)\d{2}(?:[./-]\d{1,2}){2}(?!\d)")
DATE_OR_TIME = re.compile(rf"(?:{_TIME}|{_DATE})", _I)
# Case-sensitive: "…last words.On Thu, 26 Nov …" but not "…as agreed on 12.11. …".
START = re.compile(rf"(?<=[.!?)\w])\s*(?:{_any(L.ATTRIBUTION_START)})\s")
START_AT_LINE = re.compile(rf"^\s*(?:{_any(L.ATTRIBUTION_START)})\s", _I)
# "2026年11月26日(木) 10:15 Business Network <noreply@network.test>:" (Gmail in Japanese,
# Chinese, Russian): a date, an address and a colon, no verb.
ADDRESS_COLON = re.compile(rf"<\s*(?:mailto:)?{_EMAIL}\s*>\s*[:：]\s*$|{_EMAIL}\s*[:：]\s*$", _I)

ORIGINAL_MESSAGE = re.compile(
    rf"^\s*[-=_]{{2,}}\s*(?:{_any(L.ORIGINAL_MESSAGE)})\s*[-=_]{{2,}}\s*$", _I
)
FORWARDED = re.compile(
    rf"^\s*[-=_]{{2,}}\s*(?:{_any(L.FORWARDED_DASHED)})\s*[-=_]{{2,}}\s*$"
    rf"|^\s*(?:{_any(L.FORWARDED_BEGIN)})\s*[:：]?\s*$",
    _I,
)
FORWARD_SUBJECT = re.compile(
    rf"^\s*(?:(?:Re|AW|SV|VS|Odp|R)\s*:\s*)*(?:{_any(L.FORWARD_SUBJECT)})\s*[:：]", _I
)
UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")

# One field of an Outlook header block: "From: …", "*From:* …", "De : …", "**Von:**", "差出人:".
HEADER_FIELD = {
    kind: re.compile(rf"^\s*[*]{{0,2}}(?:{_any(words)})[*]{{0,2}}\s?[:：]", _I)
    for kind, words in L.HEADER_FIELDS.items()
}
# "From: a Sent: b To: c Subject: d" on one line (a header block whose breaks were lost).
_SENT_OR_SUBJECT = _any(L.HEADER_FIELDS["sent"] + L.HEADER_FIELDS["subject"])
HEADER_INLINE_FIELD = re.compile(rf"\s[*]{{0,2}}(?:{_SENT_OR_SUBJECT})[*]{{0,2}}\s?[:：]", _I)

MOBILE_SIGN_OFF = re.compile(rf"^\s*(?:{_any(L.MOBILE_SIGN_OFF)})\s*$", _I)
# A client's line names a device or an app; "Sent from the warehouse today" does not.
MOBILE_WORDS = re.compile(
    r"iPhone|iPad|Android|BlackBerry|Samsung|Galaxy|Outlook|Mail|mobile|Mobil|Huawei|Xiaomi|"
    r"Pixel|Nokia|Motorola|Verizon|T-Mobile|AT&T|smartphone|phone|tablet|Windows|Yahoo|GMX|"
    r"WEB\.DE|Telekom|Proton|Spark|Gmail|Libero|Orange|Seznam|Onet|WP|Yandex|Яндекс|Mail\.ru|"
    r"手机|手機|iPhone|Xperia|OnePlus|Oppo|Vivo|Honor|Fairphone|Apple|Watch|BlueMail|Airmail|"
    r"K-9|Aqua|Nine|Newton|Edison|Zoho|Tutanota|Tuta|Posteo|mailbox|Fastmail|GMail|app|App|"
    r"Telefon|telefonu|puhelimesta|laitteesta|iPhonesta|iPadista|Androidista|iPhonu|iPhone'a|"
    r"urządzenia|telefonie|điện thoại|から送信|发自|發自|來自",
    _I,
)
# "Best regards", "Best regards,", "Regards, Jana", "LG Jana"; not "Best of luck with the
# launch" (a name after the closing without a comma must be capitalised).
_NAME = r"(?-i:[A-ZÀ-ÞĀ-Ž][\w'-]+)(?:\s(?-i:[A-ZÀ-ÞĀ-Ž][\w'-]+)){0,2}"
CLOSING = re.compile(
    rf"^\s*(?:{_any(L.CLOSINGS)})\s*(?:[,!.]|,\s*[^\W\d][\w .'-]{{0,40}}|\s{_NAME})?\s*$", _I
)
LIST_FOOTER = re.compile(rf"^\s*(?:{_any(L.LIST_FOOTER)})\s*$", _I)
LIST_FOOTER_AFTER_RULE = re.compile(rf"^\s*(?:{_any(L.LIST_FOOTER_AFTER_RULE)})\s*$", _I)
SIGNATURE_DASHES = re.compile(r"^\s*--\s*$")
DASHED_TITLE = re.compile(r"^\s*-{3,}\s*[^-\s][^-]{1,48}\s*-{3,}\s*$")
DISCLAIMER = re.compile(rf"(?:{_any(L.DISCLAIMER)})", _I)
