"""The base of the screens that hold a composer (New conversation, a thread's reply box): the
composer's requests they answer alike. The composer, a widget, only asks; the screen decides
which dialog to show."""

from __future__ import annotations

from textual import on, work

from ..base import NetmsgScreen
from ..dialogs.template_picker import insert_template
from ..widgets.composer import Composer


class ComposerScreen(NetmsgScreen[None]):
    """Attach a file, insert a canned reply, discard the draft after asking.

    A subclass says what :meth:`discard_unsent` forgets, where the typing goes on after a
    discard (:meth:`focus_text`), and for which customer and document a canned reply is filled
    in (:meth:`template_ids`)."""

    #: The store's draft place of the text written here (``thread:12``, ``new``).
    draft_key: str

    async def discard_unsent(self) -> None:
        """Empty the composer and forget its draft. Raises StoreError."""
        raise NotImplementedError

    def focus_text(self) -> None:
        raise NotImplementedError

    def template_ids(self) -> tuple[int | None, int | None]:
        """(customer id, document id) of the message being written, where known."""
        raise NotImplementedError

    @on(Composer.AttachRequested)
    def _choose_attachment(self, event: Composer.AttachRequested) -> None:
        from ..dialogs.attach import AttachmentChooser

        self.app.push_screen(AttachmentChooser(event.start), event.composer.attach_chosen)

    @on(Composer.TemplateRequested)
    def _template_requested(self, event: Composer.TemplateRequested) -> None:
        event.stop()
        self._insert_template(event.composer)

    @work(exclusive=True, group="template")
    async def _insert_template(self, composer: Composer) -> None:
        customer_id, document_id = self.template_ids()
        await insert_template(self.app, self.app.store, composer, customer_id, document_id)

    @on(Composer.DiscardRequested)
    def _discard_requested(self, event: Composer.DiscardRequested) -> None:
        event.stop()
        self._ask_discard()

    @work(exclusive=True, group="discard-draft")
    async def _ask_discard(self) -> None:
        from ..dialogs.unsent_text import discard_after_asking

        if await discard_after_asking(self, self.discard_unsent) and not self.gone:
            self.focus_text()
