"""A screen whose widgets newly placed by a layout are laid out and painted by it, once."""

from __future__ import annotations

from typing import Any

from textual.geometry import Region, Size
from textual.screen import Screen
from textual.widget import Widget


class PaintedByLayout(Screen[Any]):
    """Drops the layouts and repaints that a layout's widgets ask for as it places them.

    Textual (8.x) sets the virtual size of each widget a layout placed or resized, which asks
    for another layout and a repaint of the widget: the layout had just placed and painted
    it, so the screen was laid out and painted again a frame later. Showing the Documents tab
    (hidden until then: each of its widgets newly placed) drew the tab, then the whole tab
    again. Kept: what was asked for before the layout, by widgets it left where they were, and
    the layout a scrollbar needs that came or went during it (placed by the next layout).
    """

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        placed: dict[Widget, tuple[bool, bool, Region]] = {
            widget: (widget._layout_required, widget._repaint_required, geometry.region)
            for widget, geometry in self._compositor.layers
        }
        super()._refresh_layout(size, scroll)
        layers = self._compositor.layers
        now = {widget for widget, _geometry in layers}
        for widget, geometry in layers:
            layout, repaint, region = placed.get(widget, (False, False, None))
            if region == geometry.region:
                continue
            if widget._repaint_required and not repaint:
                widget._repaint_required = False
            if widget._layout_required and not layout and _scrollbars_placed(widget, now):
                widget._layout_required = False


def _scrollbars_placed(widget: Widget, placed: set[Widget]) -> bool:
    """The widget's scrollbars are placed as it shows them now."""
    vertical = widget._vertical_scrollbar in placed
    horizontal = widget._horizontal_scrollbar in placed
    return (widget.show_vertical_scrollbar, widget.show_horizontal_scrollbar) == (
        vertical,
        horizontal,
    )
