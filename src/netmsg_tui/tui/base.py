"""Bases for our screens, dialogs and widgets: their ``app`` is the :class:`NetmsgApp`, typed.

Textual types ``self.app`` as a bare ``App``, so ``self.app.store`` would need a type ignore at
every use and a renamed app method would go unnoticed. Only the type is narrowed (for the type
checker): at run time ``app`` is Textual's own property, at no cost, and it is always a
NetmsgApp since these classes are only used inside one. The app module is imported for type
checking only: it imports the screens, which import this module.

A widget lists :class:`NetmsgWidget` first: ``class ConversationList(NetmsgWidget, OptionList)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen, Screen
from textual.widget import Widget

if TYPE_CHECKING:
    from .app import NetmsgApp

ResultType = TypeVar("ResultType")


class NetmsgScreen(Screen[ResultType]):
    """A full screen of the app."""

    if TYPE_CHECKING:
        app: NetmsgApp


class NetmsgModalScreen(ModalScreen[ResultType]):
    """A dialog: shown over the screen below, dismissed with a value of type ``ResultType``."""

    if TYPE_CHECKING:
        app: NetmsgApp


if TYPE_CHECKING:

    class NetmsgWidget(Widget):
        app: NetmsgApp

else:

    class NetmsgWidget:
        """Mixed into a widget of the app, as its first base: ``class X(NetmsgWidget, Static)``.

        Not a Widget at run time: Textual inherits CSS and component classes along the first
        base that is a DOM node, which must stay the Textual widget."""
