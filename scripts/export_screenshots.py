"""Regenerate ``screenshots/*.svg`` from the real app on a fresh demo store, driven by keys.

    python scripts/export_screenshots.py [--out screenshots] [--only support-mode.svg ...]
    python scripts/export_screenshots.py --language de     # the German ones, screenshots/de/

Each picture is taken at 80×24 (the size support staff use over SSH), the document view also
at 120×36. Times in the demo are laid out backwards from now, so relative ages match any day.
Support mode and the delivery trail are taken through a network server on 127.0.0.1 (a
support token, as over SSH), after one notification email failed against an SMTP port where
nothing listens. All in a truecolour terminal, but new-conversation-no-color.svg with NO_COLOR.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from netmsg_tui import i18n
from netmsg_tui.demo import build_demo
from netmsg_tui.i18n import _
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.customer_picker import CustomerPicker
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.document import DocumentScreen, MessagesPanel
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.screens.trail import TrailScreen
from netmsg_tui.tui.widgets.notices import ContactCard

SMALL = (80, 24)
LARGE = (120, 36)
Scene = Callable[[Pilot[int], NetmsgApp], Awaitable[None]]


async def until(pilot: Pilot[int], condition: Callable[[], object], what: str) -> None:
    for _attempt in range(500):
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


#: What the new-conversation picture shows typed, per language.
TYPED = {
    "en": (
        "Delivery of order 4500012346",
        "Hello, the pallets leave our warehouse on Friday. Regards, Jana",
    ),
    "de": (
        "Lieferung zur Bestellung 4500012346",
        "Guten Tag, die Paletten verlassen unser Lager am Freitag. Viele Grüße, Jana",
    ),
}


async def new_conversation(pilot: Pilot[int], app: NetmsgApp) -> None:
    await picker(pilot, app)
    await pilot.press("enter")
    await until(pilot, lambda: getattr(app.screen, "customer", None), "the customer in To")
    subject, body = TYPED[i18n.language()]
    await pilot.press(*subject, "tab")
    await pilot.press(*body)


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
        pilot, lambda: screen.thread is not None and _("Loading…") not in str(panel.render()), ""
    )


async def support_mode(pilot: Pilot[int], app: NetmsgApp) -> None:
    await home(pilot, app)
    await until(pilot, lambda: "Support" in app.header_text, "the support header")


async def trail(pilot: Pilot[int], app: NetmsgApp) -> None:
    await thread(pilot, app)
    await pilot.press("t")
    await until(pilot, lambda: isinstance(app.screen, TrailScreen), "the trail")
    screen = app.screen
    assert isinstance(screen, TrailScreen)
    await until(pilot, lambda: screen.trail is not None, "the trail loaded")


#: Taken as in a terminal with NO_COLOR (and 16 colours): the field edges drawn with lines.
NO_COLOR_SCENES = {"new-conversation-no-color.svg"}


def pick_terminal(name: str) -> None:
    """The terminal the next app is made for (it reads these when it is made): truecolour, so
    the pictures do not depend on the TERM of whoever runs this; NO_COLOR for some."""
    os.environ["COLORTERM"] = "truecolor"
    os.environ.pop("NO_COLOR", None)
    if name in NO_COLOR_SCENES:
        os.environ["NO_COLOR"] = "1"
        os.environ["TERM"] = "xterm"
        del os.environ["COLORTERM"]


SCENES: list[tuple[str, str, Scene, tuple[int, int]]] = [
    ("messages.svg", "enterprise", messages_tab, SMALL),
    ("customer-picker.svg", "enterprise", picker, SMALL),
    ("new-conversation.svg", "enterprise", new_conversation, SMALL),
    ("new-conversation-no-color.svg", "enterprise", new_conversation, SMALL),
    ("contact-card.svg", "enterprise", contact_card, SMALL),
    ("standard-plan.svg", "standard", standard_plan, SMALL),
    ("thread.svg", "enterprise", thread, SMALL),
    ("documents.svg", "enterprise", documents_tab, SMALL),
    ("document-messages-panel.svg", "enterprise", document, SMALL),
    ("document-messages-panel-wide.svg", "enterprise", document, LARGE),
]


async def shoot(out: Path, only: set[str] | None = None) -> list[Path]:
    written = []
    folder = Path(tempfile.mkdtemp(prefix="netmsg-screens-"))
    # The header shows the store's path as given: a name, not this machine's temporary folder.
    out, home = out.resolve(), Path.cwd()
    os.chdir(folder)
    try:
        stores = {}
        for plan in ("enterprise", "standard"):
            stores[plan] = folder / f"{plan}.db"
            build_demo(stores[plan], plan=plan)
        for name, plan, scene, size in SCENES:
            if only is not None and name not in only:
                continue
            # A fresh copy per picture: one scene's reads and sends never show in the next.
            path = Path("netmsg-demo.db")
            shutil.copyfile(stores[plan], path)
            store = SQLiteStore(path)
            pick_terminal(name)
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
        written += await shoot_support(out, folder, only)
    finally:
        os.chdir(home)
        shutil.rmtree(folder, ignore_errors=True)
    return written


SUPPORT_SCENES: list[tuple[str, Scene]] = [
    ("support-mode.svg", support_mode),
    ("delivery-trail.svg", trail),
]


async def fail_one_notification(path: Path) -> None:
    """A customer answers the newest thread and its notification fails once: nothing listens
    on the SMTP port (the trail then shows the try, the error and the retry still pending)."""
    from netmsg_tui.config import MailSettings, Settings, SmtpSettings
    from netmsg_tui.mail.sender import send_due
    from netmsg_tui.mail.tokens import TokenSigner

    side = SQLiteStore(path)
    try:
        newest = (await side.list_conversations(limit=1)).items[0]
        await side.add_customer_reply(newest.id, "Did the pallets leave? We have not heard.", [])
    finally:
        await side.close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    settings = Settings(
        smtp=SmtpSettings(host="127.0.0.1", port=port, security="none",
                          sender="Business Network <noreply@network.example>", timeout=5),
        mail=MailSettings(reply_domain="reply.network.example", token_days=30),
    )  # fmt: skip
    signer = TokenSigner([b"screenshots-only-secret-0123456789"], "reply.network.example", 30)
    await asyncio.to_thread(send_due, path, settings, signer)


async def shoot_support(out: Path, folder: Path, only: set[str] | None) -> list[Path]:
    from netmsg_tui.server.run import ServerThread
    from netmsg_tui.store.remote import RemoteStore
    from netmsg_tui.store.sqlite import admin

    written = []
    for name, scene in SUPPORT_SCENES:
        if only is not None and name not in only:
            continue
        path = folder / "netmsg-support.db"
        build_demo(path)
        await fail_one_notification(path)
        conn = admin.connect(path)
        try:
            account = conn.execute("SELECT min(id) FROM accounts").fetchone()[0]
            _, token = admin.issue_token(conn, "support", accounts=[account])
        finally:
            conn.close()
        server = ServerThread(path, rate=0)
        store = RemoteStore(server.start(), token, outbox_path=folder / "outbox.db")
        pick_terminal(name)
        app = NetmsgApp(store)
        try:
            async with app.run_test(size=SMALL) as pilot:
                await scene(pilot, app)
                await pilot.pause(0.1)
                written.append(Path(app.save_screenshot(name, str(out))))
        finally:
            await store.close()
            server.stop()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            (folder / "outbox.db").unlink(missing_ok=True)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="folder (screenshots/, or screenshots/de/)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these pictures")
    parser.add_argument(
        "--language", choices=i18n.LANGUAGES, default="en", help="the interface's language"
    )
    args = parser.parse_args()
    i18n.set_language(args.language)  # as netmsg does from config.toml or the locale
    out = args.out or Path(__file__).parent.parent / "screenshots"
    if args.out is None and args.language != i18n.DEFAULT_LANGUAGE:
        out = out / args.language
    out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(shoot(out, set(args.only) if args.only else None)):
        print(path)


if __name__ == "__main__":
    main()
