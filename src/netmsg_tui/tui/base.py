"""Bases for our screens, dialogs and widgets: their ``app`` is the :class:`NetmsgApp`, typed.

Textual types ``self.app`` as a bare ``App``, so ``self.app.store`` would need a type ignore at
every use and a renamed app method would go unnoticed. Only the type is narrowed (for the type
checker): at run time ``app`` is Textual's own property, at no cost, and it is always a
NetmsgApp since these classes are only used inside one. The app module is imported for type
checking only: it imports the screens, which import this module.

A widget lists :class:`NetmsgWidget` first: ``class ConversationList(NetmsgWidget, OptionList)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from ..i18n import N_

if TYPE_CHECKING:
    from .app import NetmsgApp

ResultType = TypeVar("ResultType")


def is_gone(node: DOMNode) -> bool:
    """Closed, closing or being removed: code that awaited (a worker, an async handler, a
    callback queued for later) must not touch the node's widgets any more.

    ``is_attached`` is not enough: when a screen is popped or the app quits, Textual (8.x)
    marks the screen and everything in it as pruned and removes the children first, while the
    parents are still attached, so a ``query_one`` in between fails (NoMatches: seen in CI, a
    thread opening as its test ended). Message handlers of a screen being removed still run
    (a StoreChanged posted just before), so they ask too."""
    return not node.is_attached or node._pruning or node._closing or node._closed


def app_ending(app: App[Any]) -> bool:
    """The app is exiting or shutting down (a test ended): its screens are being removed, so
    nothing may push, pop or fill a screen, or hand it a key, any more."""
    return app._exit or app._closing or not app.is_running


#: Habits of terminal mail readers: j/k move in the focused list, q goes back. Only where no
#: text is typed: a text field takes the letters before the screen's bindings see them.
READER_BINDINGS = [
    Binding("j", "cursor('down')", N_("Down"), show=False, id="reader-down"),
    Binding("k", "cursor('up')", N_("Up"), show=False, id="reader-up"),
    Binding("q", "back", N_("Back"), show=False, id="reader-back"),
]


class _PaintsWhatWidgetsAsked(Screen[ResultType]):
    """A repaint of the screen that also takes the repaints its widgets asked for.

    When the screen itself asks for a repaint (a focus change does), Textual (8.x) repaints the
    screen but drops its widgets from the update without taking the regions they asked for:
    those stay with the widget until its next refresh, which then repaints them again (the
    reply box, border and all, with the first character typed after `r`: 1.5 KB over ssh
    instead of 0.2) or late. Here they go into the same update.
    """

    # Textual's Screen.focused repaints the whole screen (~5 KB over ssh for `r`, Tab,
    # Escape): the widgets that gain and lose focus repaint themselves (Widget._on_focus and
    # _on_blur), and :focus-within styles are updated by Screen._update_focus_styles.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def _on_timer_update(self) -> None:
        if (
            self._repaint_required
            and not self._layout_required  # a layout moves widgets: their regions are stale
            and self.is_current
            and not self.app._batch_count
            and self._dirty_widgets
        ):
            self._compositor.update_widgets(self._dirty_widgets)
        super()._on_timer_update()

    def _compositor_refresh(self) -> None:
        # Textual hands a hidden screen's repaints to the screen on top, even when that one is
        # opaque and shows nothing of it: the home screen's list rebuilt under a thread (a
        # draft kept, the store's news) repainted the whole terminal, ~5 KB each time. What
        # is hidden waits: a screen back on top repaints all of itself (Textual's ScreenResume).
        if self._under_an_opaque_screen():
            self._compositor._dirty_regions.clear()
            self._dirty_widgets.clear()
            return
        super()._compositor_refresh()

    def _under_an_opaque_screen(self) -> bool:
        stack = self.app.screen_stack
        if self not in stack:
            return False
        above = stack[stack.index(self) + 1 :]
        return any(screen.styles.background.a == 1 for screen in above)

    @property
    def gone(self) -> bool:
        """Closed, closing or being removed (:func:`is_gone`): leave the widgets alone."""
        return is_gone(self)


class NetmsgScreen(_PaintsWhatWidgetsAsked[ResultType]):
    """A full screen of the app."""

    if TYPE_CHECKING:
        app: NetmsgApp

    def closing(self) -> None:
        """Called by the app just before the screen leaves the stack (popped, dismissed or
        replaced, whoever asked): keep what the user would lose with it. Nothing by default."""

    async def action_cursor(self, direction: str) -> None:
        """j/k: the focused list's cursor, else its scroll (a thread's messages)."""
        focused = self.focused
        if focused is not None and not await self.app.run_action(f"cursor_{direction}", focused):
            await self.app.run_action(f"scroll_{direction}", focused)


class NetmsgModalScreen(_PaintsWhatWidgetsAsked[ResultType], ModalScreen[ResultType]):
    """A dialog: shown over the screen below, dismissed with a value of type ``ResultType``."""

    if TYPE_CHECKING:
        app: NetmsgApp


if TYPE_CHECKING:

    class NetmsgWidget(Widget):
        app: NetmsgApp

        @property
        def gone(self) -> bool: ...

else:

    class NetmsgWidget:
        """Mixed into a widget of the app, as its first base: ``class X(NetmsgWidget, Static)``.

        Not a Widget at run time: Textual inherits CSS and component classes along the first
        base that is a DOM node, which must stay the Textual widget."""

        @property
        def gone(self) -> bool:
            """Closed, closing or being removed (:func:`is_gone`): leave the widgets alone."""
            return is_gone(self)
