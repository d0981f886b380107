"""The binding descriptions of Textual's own widgets, marked here for the German catalog.

F1 lists every binding of the screen, Textual's too (a text field's cursor and editing keys, a
list's or a scroll area's moves, Tab), and shows each description through ``_()``
(dialogs/help.py, widgets/key_bar.py). Textual writes them in English in its own classes, where
the extractor cannot see them: their msgids are listed here, as Textual 8.2 spells them, for the
widgets this app uses (Screen, scroll containers, Input, TextArea, OptionList, DataTable, Button,
RadioSet and its buttons, Checkbox, the tabs of TabbedContent, the command palette).
``tests/tui/test_german_help.py`` fails if a screen shows a description the catalog lacks (a
Textual upgrade that renames one, a new widget).
"""

from __future__ import annotations

from ..i18n import N_

TEXTUAL_BINDING_DESCRIPTIONS = (
    # Screen
    N_("Focus Next"),
    N_("Focus Previous"),
    N_("Copy selected text"),
    # ScrollableContainer (VerticalScroll, the message view, the help itself)
    N_("Scroll Up"),
    N_("Scroll Down"),
    N_("Scroll Left"),
    N_("Scroll Right"),
    N_("Scroll Home"),
    N_("Scroll End"),
    N_("Page Up"),
    N_("Page Down"),
    N_("Page Left"),
    N_("Page Right"),
    # OptionList
    N_("Up"),
    N_("Down"),
    N_("First"),
    N_("Last"),
    N_("Select"),
    # DataTable
    N_("Cursor up"),
    N_("Cursor down"),
    N_("Cursor left"),
    N_("Cursor right"),
    N_("Page up"),
    N_("Page down"),
    N_("Top"),
    N_("Bottom"),
    N_("Home"),
    N_("End"),
    # Input
    N_("Move cursor left"),
    N_("Move cursor left and select"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Move cursor right and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Go to start"),
    N_("Select line start"),
    N_("Go to end"),
    N_("Select line end"),
    N_("Select all"),
    N_("Delete character left"),
    N_("Delete character right"),
    N_("Delete left to start of word"),
    N_("Delete right to start of word"),
    N_("Delete all to the left"),
    N_("Delete all to the right"),
    N_("Cut selected text"),
    N_("Paste text from the clipboard"),
    N_("Submit"),
    # TextArea
    N_("Cursor up select"),
    N_("Cursor down select"),
    N_("Cursor left select"),
    N_("Cursor right select"),
    N_("Cursor word left"),
    N_("Cursor word right"),
    N_("Cursor left word select"),
    N_("Cursor right word select"),
    N_("Cursor line start"),
    N_("Cursor line end"),
    N_("Cursor line start select"),
    N_("Cursor line end select"),
    N_("Cursor page up"),
    N_("Cursor page down"),
    N_("Select line"),
    N_("Delete to line start"),
    N_("Delete to line end"),
    N_("Delete line"),
    N_("Cut"),
    N_("Copy"),
    N_("Paste"),
    N_("Undo"),
    N_("Redo"),
    # Button, RadioSet, RadioButton / Checkbox (ToggleButton), Tabs
    N_("Press button"),
    N_("Previous option"),
    N_("Next option"),
    N_("Toggle"),
    N_("Previous tab"),
    N_("Next tab"),
    # CommandPalette
    N_("Exit the command palette"),
    N_("Previous command"),
    N_("Next command"),
    N_("Previous page"),
    N_("Next page"),
    N_("Go to top"),
    N_("Go to bottom"),
)
