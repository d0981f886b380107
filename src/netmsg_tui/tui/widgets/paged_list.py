"""The one list paged from the store and searched as you type: the conversations, the documents
and the customer picker are each a :class:`PagedList` with its own rows, filter and view.

What they share lives here, once: the search box's debounce, the first page loaded in an
exclusive named worker (the latest query wins; an older one still waiting on the store is
cancelled), the next page fetched ahead as the cursor nears the end of what is loaded, and the
status line. A subclass says how to fetch a page (:meth:`PagedList.fetch`), how to show rows
(:meth:`PagedList.show_rows`) and what the status line says (:meth:`PagedList.status_text`),
and reports cursor moves of its view through :meth:`PagedList.cursor_at`.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import Worker

from ...i18n import N_, _
from ...model import MAX_SEARCH_CHARS, Page
from ...store import StoreError
from ...terminal_text import printable_line
from ..base import NetmsgWidget
from .plain_input import PlainInput
from .steady import steady


class Searchable(Protocol):
    """A list's filter: a dataclass with the search box's text as ``query``."""

    @property
    def query(self) -> str: ...


ItemT = TypeVar("ItemT")
FilterT = TypeVar("FilterT", bound=Searchable)


class PagedList(NetmsgWidget, Vertical, Generic[ItemT, FilterT]):
    """A search box, a status line and a view of items paged from the store.

    Subclasses set the class attributes and implement the four hooks at the bottom."""

    #: Rows of a first page (start-up, a search, a filter): a screenful, so a search renders
    #: only what is seen.
    FIRST_PAGE = 20
    #: Rows of each further page.
    PAGE_SIZE = 50
    #: Load the next page when the cursor comes this close to the end of what is loaded: ahead,
    #: so that holding ↓ never waits on a page.
    PREFETCH_ROWS = 15
    #: Seconds of no typing before the store is searched.
    SEARCH_DELAY = 0.25
    #: A key typed while no search runs searches at once; keys typed while one runs are
    #: gathered until a pause of SEARCH_DELAY.
    SEARCH_WHEN_IDLE = False
    #: Worker groups: WORKERS for the first page (exclusive), WORKERS-more for further pages.
    WORKERS = "paged-list"
    SEARCH_ID = "search"
    #: Marked with N_ (class attribute): translated where the box is made.
    SEARCH_PLACEHOLDER = N_("Search")
    STATUS_ID = "status"
    STATUS_BELOW = False  # the status line under the list instead of above it
    STATUS_CLASSES = ""
    #: Seconds at most without a frame after Enter in the search box (see _hold_frames).
    SEARCH_FRAME_WAIT = 0.2

    @dataclass
    class Loaded(Message):
        """A load finished: ``count`` rows shown in total, or ``error`` text."""

        paged_list: PagedList[Any, Any]
        count: int
        error: str = ""

    def __init__(
        self,
        filter: FilterT,
        first_page: Page[ItemT] | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.filter = filter
        self.items: list[ItemT] = []
        self._next_cursor: str | None = None
        self._loading_more = False
        self._search_timer: Timer | None = None
        self._searching: Worker[None] | None = None
        self._first_page = first_page
        self._status: str | None = None  # the status line's text, once set
        self._frames_held = False  # see _hold_frames

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield from self.compose_above()
        yield steady(
            PlainInput(
                self.filter.query,
                placeholder=_(self.SEARCH_PLACEHOLDER),
                id=self.SEARCH_ID,
                max_length=MAX_SEARCH_CHARS,
                compact=True,
            )
        )
        status = self._first_status()
        if not self.STATUS_BELOW:
            yield status
        yield self.make_view()
        if self.STATUS_BELOW:
            yield status

    def _first_status(self) -> Static:
        """The status line; with a first page given, already saying what on_mount would (a
        class changed after mounting restyles the line before the first frame)."""
        text, classes = "", self.STATUS_CLASSES
        if self._first_page is not None:
            self.items = list(self._first_page.items)
            text = self._status = self.status_text()
            classes = f"{classes} -empty" if not text else classes
        return Static(printable_line(text), id=self.STATUS_ID, classes=classes, markup=False)

    def compose_above(self) -> ComposeResult:
        """Widgets above the search box (none by default)."""
        yield from ()

    @property
    def search(self) -> Input:
        return self.query_one(f"#{self.SEARCH_ID}", Input)

    def on_mount(self) -> None:
        if self._first_page is not None:
            # Read before the screen was built: the rows are in the very first frame.
            page, self._first_page = self._first_page, None
            self._show_first(page)
        elif self.load_on_mount():
            self.reload()

    def load_on_mount(self) -> bool:
        """False to wait for a :meth:`reload` (a tab loads when first shown)."""
        return True

    # -- loading ------------------------------------------------------------------------------
    def reload(self, filter: FilterT | None = None) -> Worker[None]:
        """Load the first page again, with ``filter`` if given. A new filter starts with a
        first page; a refresh of the same one keeps as many rows as are shown, so the list does
        not shrink under the cursor."""
        new_filter = filter is not None and filter != self.filter
        if filter is not None:
            self.filter = filter
        limit = self.FIRST_PAGE
        if not new_filter:
            limit = min(max(self.FIRST_PAGE, len(self.items)), 500)
        # The work as a callable, not a coroutine: a worker replaced before it started (keys
        # typed fast) left a coroutine never awaited (a RuntimeWarning at teardown).
        self._searching = self.run_worker(
            partial(self._load_first, self.filter, limit), group=self.WORKERS, exclusive=True
        )
        return self._searching

    async def _load_first(self, filter: FilterT, limit: int) -> None:
        try:
            page = await self.fetch(filter, None, limit)
        except StoreError as exc:
            if self.gone:
                return
            self._show_status(str(exc))
            self.post_message(self.Loaded(self, len(self.items), str(exc)))
            return
        finally:
            # Also when the store failed. Not when a newer search cancelled this one: the
            # frames held are that search's, until its rows are in.
            if filter == self.filter:
                self.call_later(self._release_frames)
        if self.gone:  # the list went (its screen closed, the app quit) while the store answered
            return
        self._show_first(page)

    def _show_first(self, page: Page[ItemT]) -> None:
        self.items = list(page.items)
        self._next_cursor = page.next_cursor
        self.show_rows(self.items, first=True)
        self._show_status()
        self.post_message(self.Loaded(self, len(self.items)))

    def cursor_at(self, index: int) -> None:
        """The view's cursor is on row ``index``: fetch the next page when it nears the end."""
        cursor = self._next_cursor
        if (
            cursor is not None
            and not self._loading_more
            and index >= len(self.items) - self.PREFETCH_ROWS
        ):
            self._loading_more = True
            self.run_worker(self._load_more(self.filter, cursor), group=f"{self.WORKERS}-more")

    async def _load_more(self, filter: FilterT, cursor: str) -> None:
        try:
            page = await self.fetch(filter, cursor, self.PAGE_SIZE)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        finally:
            self._loading_more = False
        if self.gone or cursor != self._next_cursor:  # gone, or a reload replaced the list
            return
        known = {self.item_key(item) for item in self.items}
        fresh = [item for item in page.items if self.item_key(item) not in known]
        self.items += fresh
        self._next_cursor = page.next_cursor
        self.show_rows(fresh, first=False)
        self._show_status()

    @property
    def has_more(self) -> bool:
        """More rows wait in the store beyond those loaded."""
        return self._next_cursor is not None

    def _show_status(self, error: str = "") -> None:
        text = f"⚠ {error}" if error else self.status_text()
        if text == self._status:
            return  # an unchanged line: no repaint
        self._status = text
        status = self.query_one(f"#{self.STATUS_ID}", Static)
        # Always one line (CSS): new text needs a repaint, not a layout of the screen.
        status.update(printable_line(text), layout=False)
        status.set_class(not text, "-empty")

    # -- searching ----------------------------------------------------------------------------
    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id != self.SEARCH_ID:
            return
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        idle = self._searching is None or self._searching.is_finished
        if self.SEARCH_WHEN_IDLE and idle:
            self.search_now()  # the store is idle: no reason to wait
        else:
            self._search_timer = self.set_timer(self.SEARCH_DELAY, self.search_now)

    def search_now(self) -> Worker[None] | None:
        """Search for the box's text now; the search's worker, or None when it is unchanged."""
        if self.gone:  # the search timer fired as the list went
            return None
        query = self.search.value.strip()
        if query == self.filter.query:
            return None
        return self.reload(replace(self.filter, query=query))  # type: ignore[type-var]

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == self.SEARCH_ID:
            searching = self.search_now()
            if searching is None and self._searching is not None:
                # The text was searched already, maybe not found yet: Enter waits for it.
                searching = None if self._searching.is_finished else self._searching
            if searching is not None:
                self._hold_frames()
            self.submitted(searching)

    def _hold_frames(self) -> None:
        """No frame until the search's rows are in, or SEARCH_FRAME_WAIT has passed. (Enter
        moves the focus to the rows: that was painted, the old rows restyled, and the found
        rows painted again a few milliseconds later, the whole list twice.)"""
        if not self._frames_held:
            self._frames_held = True
            self.app._begin_batch()  # Textual's batch_update, held across the store's answer
            self.set_timer(self.SEARCH_FRAME_WAIT, self._release_frames)

    def _release_frames(self) -> None:
        if self._frames_held:
            self._frames_held = False
            app = self.app
            app._end_batch()
            if not app._batch_count:
                # Textual drops the frames asked for during a batch (a screen pushed, a resize,
                # the focus moved): paint what is there now, as its own delay_update does.
                app.screen.refresh()

    def on_unmount(self) -> None:
        self._release_frames()  # the list goes (its screen closed) before its search ended

    # -- the subclass's part ------------------------------------------------------------------
    def make_view(self) -> Widget:
        """The widget that shows the rows (an OptionList, a DataTable)."""
        raise NotImplementedError

    async def fetch(self, filter: FilterT, cursor: str | None, limit: int) -> Page[ItemT]:
        """A page of items for ``filter`` from the store (first page when ``cursor`` is None)."""
        raise NotImplementedError

    def show_rows(self, items: Sequence[ItemT], *, first: bool) -> None:
        """Show ``items`` in the view: all the rows when ``first``, else added at the end."""
        raise NotImplementedError

    def item_key(self, item: ItemT) -> Hashable:
        """What tells items apart (a page that overlaps the last one adds no row twice)."""
        return id(item)

    def status_text(self) -> str:
        """The status line for what is shown ("" hides it)."""
        return ""

    def submitted(self, searching: Worker[None] | None) -> None:
        """Enter in the search box: ``searching`` is the search it started, if the text changed."""
