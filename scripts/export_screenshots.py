"""Regenerate ``screenshots/*.svg`` from the real app on a fresh demo store, driven by keys.

    python scripts/export_screenshots.py [--out screenshots] [--only support-mode.svg ...]
    python scripts/export_screenshots.py --language de     # the German ones, screenshots/de/

Each picture is taken at 80×24 (the size support staff use over SSH), the document view also
at 120×36. Times in the demo are laid out backwards from now, so relative ages match any day.
Support mode and the delivery trail are taken through a network server on 127.0.0.1 (a
support token, as over SSH), after one notification email failed against an SMTP port where
nothing listens. The 📎 chooser refuses a 14 MiB scan in a folder of shipping documents made in
a home folder of its own (HOME points there for that picture): it shows ``~/shipping-docs/``,
not this machine's paths. All in a truecolour terminal, but new-conversation-no-color.svg with
NO_COLOR.
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
from netmsg_tui.model import MAX_ATTACHMENT_BYTES
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.attach import AttachmentChooser
from netmsg_tui.tui.dialogs.customer_picker import CustomerPicker
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.screens.document import DocumentScreen, MessagesPanel
from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.screens.thread import ThreadScreen
from netmsg_tui.tui.screens.trail import TrailScreen
from netmsg_tui.tui.widgets.file_list import FileList
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


#: The file of the chooser's picture that is refused (14 MiB, over the limit).
REFUSED = "scan-all-pages.tiff"


def make_shipping_docs(home: Path) -> None:
    """``home/shipping-docs``: the files the chooser's picture lists (sparse: no disk used)."""
    folder = home / "shipping-docs"
    (folder / "photos").mkdir(parents=True)
    (folder / "delivery-note-4500012345.pdf").write_bytes(b"%PDF-1.7\n" + b"\0" * 48_000)
    (folder / "certificate-of-conformity.pdf").write_bytes(b"%PDF-1.7\n" + b"\0" * 310_000)
    (folder / "packing-list.xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 22_000)
    for name, size in ((REFUSED, 14_680_064), ("pallet-photos.zip", MAX_ATTACHMENT_BYTES)):
        with (folder / name).open("wb") as handle:
            handle.truncate(size)
    (folder / "notes.txt").touch()  # empty: refused too


async def attachment_chooser(pilot: Pilot[int], app: NetmsgApp) -> None:
    """New conversation, ctrl+o, ~ then shipping-docs/, Enter on the 14 MiB scan."""
    await home(pilot, app)
    page = await app.store.list_customers(limit=50)
    customer = next(c for c in page.items if c.messaging_enabled)
    app.new_conversation(customer.id)
    await until(pilot, lambda: getattr(app.screen, "customer", None), "the customer in To")
    await pilot.press(*TYPED[i18n.language()][0], "tab", "ctrl+o")
    await until(pilot, lambda: isinstance(app.screen, AttachmentChooser), "the chooser")
    await pilot.press("tilde")
    files = app.screen.query_one(FileList)
    await until(pilot, lambda: [e.name for e in files.entries] == ["shipping-docs"], "home")
    await pilot.press("home", "down", "enter")
    await until(pilot, lambda: len(files.entries) == 7, "the shipping documents")
    names = [e.name for e in files.entries]
    await pilot.press("home", *["down"] * (names.index(REFUSED) + 1), "enter")
    await until(pilot, lambda: app.screen.query_one("#chooser-status").has_class("-refused"), "")


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


#: Taken with HOME set to a folder of their own (made by make_shipping_docs).
OWN_HOME_SCENES = {"attachment-chooser.svg"}


def set_home(home: Path | str | None) -> None:
    """HOME for the next picture (None: unset, as it was)."""
    if home is None:
        os.environ.pop("HOME", None)
    else:
        os.environ["HOME"] = str(home)


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
    ("attachment-chooser.svg", "enterprise", attachment_chooser, SMALL),
]


async def shoot(out: Path, only: set[str] | None = None) -> list[Path]:
    written = []
    folder = Path(tempfile.mkdtemp(prefix="netmsg-screens-"))
    # The header shows the store's path as given: a name, not this machine's temporary folder.
    out, home = out.resolve(), Path.cwd()
    own_home, real_home = folder / "home", os.environ.get("HOME")
    make_shipping_docs(own_home)
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
            set_home(own_home if name in OWN_HOME_SCENES else real_home)
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
        set_home(real_home)
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
