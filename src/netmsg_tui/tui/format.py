"""Text for the screen: relative times, origins, one-line previews. Pure functions."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from rich.cells import cell_len
from textual.widgets import Static

from ..i18n import N_, _, formats
from ..model import Conversation, Document, Message
from ..terminal_text import printable_line

#: Characters Rich measures one terminal cell wide, the usual ones of names, subjects and
#: previews (printable ASCII, Latin-1 letters, dashes and quotes): a text of only these is cut
#: by slicing. Measuring it a character at a time cost ~30 µs a row, a screenful of rows at
#: start-up. tests/tui/test_format_cut.py holds this set to Rich's measure.
ONE_CELL = frozenset(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0xA0, 0x100) if c != 0xAD]  # not the soft hyphen (no cell)
    + list("–—‘’‚“”„…•·€")
)

# Marked here, translated where shown (the language may change after import).
ORIGIN_LABELS = {"app": N_("typed here"), "email": N_("replied by email"), "api": N_("via the API")}


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """'now', '5m', '3h', '2d', then a date: short enough for an 80-column row (German:
    'jetzt', '5 Min.', '3 Std.', '2 Tg.', '05.03.')."""
    now = now or datetime.now(UTC)
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return _("now")
    if seconds < 3600:
        return _("{n}m").format(n=int(seconds // 60))
    if seconds < 86400:
        return _("{n}h").format(n=int(seconds // 3600))
    if seconds < 7 * 86400:
        return _("{n}d").format(n=int(seconds // 86400))
    local = moment.astimezone()
    if local.year == now.astimezone().year:
        return formats.day_month(local)
    return formats.full_date(local)


def clock_time(moment: datetime) -> str:
    """Date and minute in local time: '05 Mar 2026 14:30' / '05.03.2026 14:30'."""
    return formats.date_time(moment.astimezone())


def count_note(length: int, limit: int) -> str:
    """A field's live count as its limit nears: "" below 90 % of ``limit``, then "187/200",
    and past it "205/200, 5 over" (Send refuses it: nothing typed is dropped)."""
    if length * 10 < limit * 9:
        return ""
    note = f"{formats.count(length)}/{formats.count(limit)}"
    if length > limit:
        return _("{count}, {over} over").format(count=note, over=formats.count(length - limit))
    return note


def show_count(counter: Static, length: int, limit: int) -> None:
    """Put :func:`count_note` in ``counter`` (a Static of class ``count``)."""
    note = count_note(length, limit)
    if str(counter.content) == note and counter.has_class("-empty") == (not note):
        return  # unchanged (every key asks): an update would lay out the screen again
    counter.update(note)
    counter.set_class(not note, "-empty")
    counter.set_class(length > limit, "-over")


def one_line(text: str, width: int) -> str:
    """Whitespace folded to single spaces, controls shown as placeholders (outside text goes
    through here), cut to ``width`` terminal cells with an ellipsis."""
    return cut(printable_line(" ".join(text.split())), width)


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` terminal cells, ending in "…" when cut. Cells, not
    characters: a CJK character takes two, and counting it as one pushed a row past the edge."""
    if ONE_CELL.issuperset(text):  # one cell each: no need to measure each one
        if len(text) <= width:
            return text
        return text[: width - 1] + "…" if width > 0 else ""
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    kept, used = [], 0
    for char in text:  # whole characters: half a CJK character cannot be shown
        used += cell_len(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def share_line(first: str, rest: str, width: int) -> tuple[str, str]:
    """``first`` then ``rest`` on one line of ``width`` cells, each cut with "…" where needed:
    ``first`` (a name) gives way first, down to a third of the line, so that the start of
    ``rest`` (a subject) stays in sight; then ``rest`` is cut. Both are printable already."""
    room = width - cell_len(rest)
    if cell_len(first) > room:
        first = cut(first, max(room, min(cell_len(first), width // 3)))
    return first, cut(rest, width - cell_len(first))


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` cells (``f"{text:<width}"`` counts characters)."""
    return text + " " * max(width - cell_len(text), 0)


def document_label(conversation: Conversation) -> str:
    return conversation.document_number or ""


def origin_label(message: Message) -> str:
    if message.origin == "app" and message.author_kind == "customer":
        return _("on the network")  # "typed here" would claim it was typed in this app
    label = ORIGIN_LABELS.get(message.origin)
    # An unknown origin (from a server newer, or hostile) is shown, as data.
    return _(label) if label is not None else printable_line(message.origin)


def quantity(value: Decimal) -> str:
    """A quantity with the decimals it was given: '1,200', '2.5' / '1.200', '2,5'."""
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return formats.number(value, decimals)


def money(document: Document) -> str:
    """'1,234.56 EUR' / '1.234,56 EUR'."""
    return formats.amount(document.amount, document.currency)
