"""The bottom line of keys: one Static instead of Textual's Footer.

Textual's Footer recomposes itself (a widget per key, each styled and laid out) on every focus
change, since any focus change may change the active bindings. On a large store that was half
the time of a full-text search (the list takes focus after Enter). This bar renders the same
information as one line of text and repaints only when that text changes. F1 lists every
binding, including those hidden here (``show=False``).

At 80 columns not every key fits. The bar never cuts a label: it keeps the keys in order of
:data:`RANK` (quit and help first, then the screen's main actions, the palette, ...) as long as
they fit, and shows the kept ones in their usual order (the focused widget's, the screen's, the
app's). A key that would type a character into the focused text field is not shown there: the
field takes it, the binding never runs. A click on a key runs its action, as in Textual's Footer.
"""

from __future__ import annotations

import sys
from typing import ClassVar

from textual import events
from textual.binding import ActiveBinding, Binding
from textual.content import Content
from textual.dom import DOMNode
from textual.keys import _character_to_key, key_to_character
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from ...i18n import _
from ...records import record

#: Which keys stay when the line is short, by binding id: lower ranks are kept first; equal
#: ranks in the bar's order. Ids not listed rank :data:`OTHER`.
RANK: dict[str, int] = {
    # Always: how to get out, and where every other key is listed.
    "quit": 0,
    "help": 0,
    # The screen's reason to be.
    "back": 1,
    "send": 1,
    "new": 1,
    "reply": 1,
    "messages-panel": 1,
    "support-trail": 1,
    "switch-account": 1,
    # Every customer, thread, document and action, by name.
    "palette": 2,
    "search": 3,
    "pick-customer": 3,
    # Before the thread's `d`, which its header names beside the document's number (^o is on
    # screen only as a button): at 80 columns German has room for one of the two.
    "attach": 3,
    "trail-older": 3,
    "trail-newer": 3,
    "documents-kind": 3,
    "documents-customer": 3,
    "outbox-retry": 3,
    "outbox-discard": 3,
    "save-attachment": 3,
    "next-unread": 4,
    "open-document": 4,
    "export-thread": 4,
    "documents-order": 4,
    "edit-in-editor": 4,
    "preferences": 5,
    "insert-template": 5,
    "unread-only": 6,
    "discard-draft": 6,
}
OTHER = 5

#: Key names of the printable ASCII characters ("plus", "slash"): Textual's key_to_character
#: knows only some of them ("plus" -> None), and a field types every one.
_TYPED_KEYS = {_character_to_key(chr(code)): chr(code) for code in range(32, 127)}


@record
class Key:
    """One key as the bar shows it."""

    active: ActiveBinding
    display: str  # the key as remapped and shown ("^s")
    label: str  # the description, translated

    @property
    def width(self) -> int:
        return len(self.display) + 1 + len(self.label)  # "^s Send"

    @property
    def rank(self) -> int:
        binding = self.active.binding
        return RANK.get(binding.id or "", OTHER)


def types_text(binding: Binding, focused: Widget | None) -> bool:
    """True when ``binding``'s key would type a character into the focused text field (which
    takes printable keys before any binding of its screen or the app sees them)."""
    if binding.priority or focused is None:
        return False
    if not isinstance(focused, Input):
        # A TextArea exists only once its module is loaded; naming it here would load its
        # editor machinery at start-up, where no screen has one.
        text_area = sys.modules.get("textual.widgets._text_area")
        if text_area is None or not isinstance(focused, text_area.TextArea):
            return False
        if focused.read_only:
            return False
    character = _TYPED_KEYS.get(binding.key) or key_to_character(binding.key)
    return character is not None and character.isprintable()


def fitting(keys: list[Key], width: int) -> list[Key]:
    """The keys that fit in ``width`` columns, the most important first, in their order.
    Each takes its width plus two columns (one before, one between)."""
    kept: set[int] = set()
    used = 0
    for index, key in sorted(enumerate(keys), key=lambda item: (item[1].rank, item[0])):
        if used + key.width + 2 <= width + 1:  # the last key needs no space after it
            kept.add(index)
            used += key.width + 2
    return [key for index, key in enumerate(keys) if index in kept]


def key_bar_text(keys: list[Key]) -> Content:
    """`` key description`` for each key, disabled ones dimmed. Colours come from the theme's
    footer ones."""
    parts: list[tuple[str, str]] = []
    for key in keys:
        dim = "" if key.active.enabled else " dim"
        parts.append((f" {key.display} ", f"bold $footer-key-foreground{dim}"))
        parts.append((f"{key.label} ", dim.strip()))
    return Content.assemble(*parts)


class KeyBar(Static):
    """The screen's shown bindings on one line (keys as remapped by ``[keymap]``)."""

    DEFAULT_CSS: ClassVar[str] = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-description-foreground;
        text-wrap: nowrap;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._shown: tuple[object, ...] | None = None
        self._pending = False
        #: The keys on the line: (first column, column after the key, the key), for clicks.
        self.spans: list[tuple[int, int, Key]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._look_again()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        # Not when a look is asked for (it sees the new width) or the keys were fitted to this
        # width (before the first layout, to the terminal's): only the width matters here.
        fitted = self._shown[0] if self._shown else None
        if not self._pending and self.size.width != fitted:
            self._show_bindings()

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self._look_again()

    def _look_again(self) -> None:
        # Several changes in one go (a screen being built: mounted, laid out, focused) cost one
        # look at the bindings (a thread's opening looked four times, ~1 ms).
        if not self._pending:
            self._pending = True
            self.call_after_refresh(self._show_bindings)

    def shown_keys(self) -> list[Key]:
        """Every key the bar would show on an endless line, in the bar's order: one per action
        (the first bound key wins, as in Textual's Footer)."""
        app = self.app
        focused = self.screen.focused
        keys: list[Key] = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in seen or types_text(binding, focused):
                continue
            seen.add(binding.action)
            keys.append(Key(active, app.get_key_display(binding), _(binding.description)))
        return keys

    def _show_bindings(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        width = self.size.width or self.app.size.width
        keys = fitting(self.shown_keys(), width)
        signature = (
            width,
            *((k.active.binding.action, k.display, k.label, k.active.enabled) for k in keys),
        )
        if signature != self._shown:  # the usual case, a focus change, ends here
            self._shown = signature
            self.spans = []
            column = 0
            for key in keys:
                self.spans.append((column, column + key.width + 2, key))
                column += key.width + 2
            # One docked line whatever it says: no layout, only a repaint.
            self.update(key_bar_text(keys), layout=False)

    def key_at(self, x: int) -> Key | None:
        for start, end, key in self.spans:
            if start <= x < end:
                return key
        return None

    async def on_click(self, event: events.Click) -> None:
        """A click on a key runs its action where the key is bound (not if it is disabled)."""
        key = self.key_at(event.x)
        if key is None or not key.active.enabled:
            return
        event.stop()
        namespace: DOMNode = key.active.node
        await self.app.run_action(key.active.binding.action, namespace)
