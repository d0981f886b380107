"""Regenerate ``screenshots/*.svg`` from the real app on a fresh demo store, driven by keys.

    python scripts/export_screenshots.py [--out screenshots]

Each picture is taken at 80×24 (the size support staff use over SSH), the document view also
at 120×36. Times in the demo are laid out backwards from now, so relative ages match any day.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from netmsg_tui.demo import build_demo
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.customer_picker import CustomerPicker
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.document import DocumentScreen, MessagesPanel
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.widgets.notices import ContactCard

SMALL = (80, 24)
LARGE = (120, 36)
Scene = Callable[[Pilot[int], NetmsgApp], Awaitable[None]]


async def until(pilot: Pilot[int], condition: Callable[[], object], what: str) -> None:
    for _ in range(500):
        if condition():
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise TimeoutError(f"waited too long for {what}")


async def home(pilot: Pilot[int], app: NetmsgApp) -> MainScreen:
    await until(pilot, lambda: app.identity is not None, "the account")
    await until(pilot, lambda: isinstance(app.screen, MainScreen), "the home screen")
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await until(pilot, lambda: screen.messages.list.option_count > 0, "the conversation rows")
    return screen


async def messages_tab(pilot: Pilot[int], app: NetmsgApp) -> None:
    await home(pilot, app)


async def picker(pilot: Pilot[int], app: NetmsgApp) -> None:
    await home(pilot, app)
    await pilot.press("n", "plus")
    await until(pilot, lambda: isinstance(app.screen, CustomerPicker), "the picker")
    await pilot.press(*"gmbh")
    screen = app.screen
    assert isinstance(screen, CustomerPicker)
    await until(
        pilot,
        lambda: screen.customers.filter.query == "gmbh" and screen.customers.customers,
        "the matches",
    )


async def contact_card(pilot: Pilot[int], app: NetmsgApp) -> None:
    await home(pilot, app)
    page = await app.store.list_customers(limit=100)
    off = next(c for c in page.items if not c.messaging_enabled)
    app.new_conversation(off.id)
    await until(pilot, lambda: isinstance(app.screen, ComposeScreen), "the composer")
    await until(pilot, lambda: app.screen.query(ContactCard), "the contact card")


async def standard_plan(pilot: Pilot[int], app: NetmsgApp) -> None:
    await home(pilot, app)
    await until(pilot, lambda: app.screen.query_one("#upgrade-notice").display, "the upgrade text")


async def thread(pilot: Pilot[int], app: NetmsgApp) -> None:
    await home(pilot, app)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, ThreadScreen), "the thread")
    screen = app.screen
    assert isinstance(screen, ThreadScreen)
    await until(pilot, lambda: screen.conversation is not None and screen.messages, "messages")


async def new_conversation(pilot: Pilot[int], app: NetmsgApp) -> None:
    await picker(pilot, app)
    await pilot.press("enter")
    await until(pilot, lambda: getattr(app.screen, "customer", None), "the customer in To")
    await pilot.press(*"Delivery of order 4500012346", "tab")
    await pilot.press(*"Hello, the pallets leave our warehouse on Friday. Regards, Jana")


async def documents_tab(pilot: Pilot[int], app: NetmsgApp) -> None:
    screen = await home(pilot, app)
    await pilot.press("2")
    await until(pilot, lambda: screen.documents.table.row_count > 0, "the documents")


async def document(pilot: Pilot[int], app: NetmsgApp) -> None:
    await home(pilot, app)
    thread_page = await app.store.list_conversations(limit=50)
    linked = next(c for c in thread_page.items if c.document_id is not None)
    assert linked.document_id is not None
    app.open_document(linked.document_id)
    await until(pilot, lambda: isinstance(app.screen, DocumentScreen), "the document")
    screen = app.screen
    assert isinstance(screen, DocumentScreen)
    panel = screen.query_one(MessagesPanel)
    await until(
        pilot, lambda: screen.thread is not None and "Loading" not in str(panel.render()), ""
    )


SCENES: list[tuple[str, str, Scene, tuple[int, int]]] = [
    ("messages.svg", "enterprise", messages_tab, SMALL),
    ("customer-picker.svg", "enterprise", picker, SMALL),
    ("new-conversation.svg", "enterprise", new_conversation, SMALL),
    ("contact-card.svg", "enterprise", contact_card, SMALL),
    ("standard-plan.svg", "standard", standard_plan, SMALL),
    ("thread.svg", "enterprise", thread, SMALL),
    ("documents.svg", "enterprise", documents_tab, SMALL),
    ("document-messages-panel.svg", "enterprise", document, SMALL),
    ("document-messages-panel-wide.svg", "enterprise", document, LARGE),
]


async def shoot(out: Path) -> list[Path]:
    written = []
    folder = Path(tempfile.mkdtemp(prefix="netmsg-screens-"))
    try:
        stores = {}
        for plan in ("enterprise", "standard"):
            stores[plan] = folder / f"{plan}.db"
            build_demo(stores[plan], plan=plan)
        for name, plan, scene, size in SCENES:
            # A fresh copy per picture: one scene's reads and sends never show in the next.
            path = folder / "netmsg-demo.db"
            shutil.copyfile(stores[plan], path)
            store = SQLiteStore(path)
            app = NetmsgApp(store)
            try:
                async with app.run_test(size=size) as pilot:
                    await scene(pilot, app)
                    await pilot.pause(0.1)
                    written.append(Path(app.save_screenshot(name, str(out))))
            finally:
                await store.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent.parent / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(shoot(args.out)):
        print(path)


if __name__ == "__main__":
    main()
