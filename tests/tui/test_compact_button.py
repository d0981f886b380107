"""compact_button makes the Button Textual makes for ``compact=True``: the same classes, so the
same look, and the same state, once mounted (the classes are set at once to spare restyles)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Button

from netmsg_tui.tui.widgets.compact_button import compact_button


class _Buttons(App[None]):
    AUTO_FOCUS = None  # a focused button looks different

    def compose(self) -> ComposeResult:
        yield Button("Attach", id="textual-default", compact=True)
        yield compact_button("Attach", id="ours-default")
        yield Button("Send", id="textual-primary", variant="primary", compact=True)
        yield compact_button("Send", id="ours-primary", variant="primary", classes="extra")


async def test_compact_button_is_textuals_compact_button() -> None:
    app = _Buttons()
    async with app.run_test() as pilot:
        await pilot.pause()
        for variant in ("default", "primary"):
            textual = app.query_one(f"#textual-{variant}", Button)
            ours = app.query_one(f"#ours-{variant}", Button)
            extra = {"extra"} if variant == "primary" else set()
            assert set(ours.classes) == set(textual.classes) | extra
            assert (ours.compact, ours.variant) == (textual.compact, textual.variant)
            assert ours.render_lines(ours.region.reset_offset) == textual.render_lines(
                textual.region.reset_offset
            )
