"""The conversation list draws its rows itself (start-up: Textual's way cost ~0.4 ms a line):
every row, highlighted or not, is the same cells and styles as OptionList draws them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.strip import Strip
from textual.widgets import OptionList

from netmsg_tui.model import Conversation
from tests.tui.conftest import SIZE, OpenStore, make_app, ready

NOW = datetime.now(UTC)


def conversation(
    id: int, name: str, subject: str, *, unread: int = 0, preview: str = ""
) -> Conversation:
    return Conversation(
        id=id,
        customer_id=1,
        customer_name=name,
        subject=subject,
        document_id=None,
        document_number="4500012346" if id % 2 else None,
        created=NOW - timedelta(days=3),
        last_activity=NOW - timedelta(hours=id),
        unread_count=unread,
        message_count=3,
        last_preview=preview,
    )


ROWS = [
    conversation(1, "Alpine Foods GmbH", "Invoice INV-1", unread=2, preview="Please ship"),
    conversation(2, "Nordic Chemicals AG", "Delivery date", preview="We need the goods " * 9),
    conversation(3, "東京精密機械株式会社 大阪支店", "納期について", unread=12),
    conversation(4, "Größe & Söhne — Lieferung", "Änderung", preview="“quoted” text…"),
    conversation(5, "A" * 120, "S" * 300, unread=1, preview="P" * 50),
]


def cells(strips: list[Strip]) -> list[list[tuple[str, object, object]]]:
    """Each line's characters with their styles (how they are split in segments aside) and the
    option they belong to for the mouse. Textual's rows also carry each run's text offset for
    selecting text with the mouse, which OptionList does not allow (ALLOW_SELECT): left out."""
    return [
        [
            (char, s.style.clear_meta_and_links(), s.style.meta.get("option"))
            for s in strip
            if s.style is not None
            for char in s.text
        ]
        for strip in strips
    ]


async def test_rows_are_drawn_as_option_list_draws_them(open_store: OpenStore, network) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        rows = screen.messages.list
        app.draft_places = frozenset({"thread:2"})  # the ✎ mark on one row
        rows.show(ROWS, first=True)
        await pilot.pause()
        assert "✎ Draft" in str(rows.get_option("2").prompt)
        compared = 0
        for option in rows.options:
            for component in ("option-list--option", "option-list--option-highlighted"):
                style = rows.get_visual_style(component)
                rows._option_render_cache.clear()
                ours = rows._get_option_render(option, style)
                rows._option_render_cache.clear()
                textual = OptionList._get_option_render(rows, option, style)
                assert cells(ours) == cells(textual), (option.id, component)
                assert [strip.cell_length for strip in ours] == [
                    strip.cell_length for strip in textual
                ]
                # drawn by the list itself (Textual's carry text offsets), not handed back to it
                assert not any("offset" in s.style.meta for strip in ours for s in strip if s.style)
                compared += 1
        assert compared == 2 * len(ROWS)
