"""Write screenshots/attachment-chooser.svg: the 📎 chooser of the real app refusing a file.

Drives ``NetmsgApp`` on a fresh demo store at 80×24: new conversation → ctrl+o → a folder of
shipping documents → Enter on a 14 MiB scan, which is refused with its reason on screen.

    /work/venv/bin/python scripts/screenshot_chooser.py [OUTPUT_DIR]
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path

from netmsg_tui.demo import build_demo
from netmsg_tui.model import MAX_ATTACHMENT_BYTES
from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.app import NetmsgApp
from netmsg_tui.tui.dialogs.attach import AttachmentChooser
from netmsg_tui.tui.screens.compose import ComposeScreen
from netmsg_tui.tui.widgets.file_list import FileList

# A fixed folder, so the path shown in the picture is the same on every run.
DOCS = Path(tempfile.gettempdir()) / "netmsg-screenshot" / "shipping-docs"
REFUSED = "scan-all-pages.tiff"


def make_files(folder: Path) -> None:
    shutil.rmtree(folder.parent, ignore_errors=True)
    (folder / "photos").mkdir(parents=True)
    (folder / "delivery-note-4500012345.pdf").write_bytes(b"%PDF-1.7\n" + b"\0" * 48_000)
    (folder / "certificate-of-conformity.pdf").write_bytes(b"%PDF-1.7\n" + b"\0" * 310_000)
    (folder / "packing-list.xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 22_000)
    for name, size in ((REFUSED, 14_680_064), ("pallet-photos.zip", MAX_ATTACHMENT_BYTES)):
        with (folder / name).open("wb") as handle:
            handle.truncate(size)  # sparse: no real disk use
    (folder / "notes.txt").touch()  # empty: refused too


async def until(condition: object, pilot: object) -> None:
    for _ in range(400):
        if condition():  # type: ignore[operator]
            return
        await pilot.pause(0.025)  # type: ignore[attr-defined]
    raise SystemExit("screenshot: the app did not reach the expected state")


async def shoot(output: Path) -> Path:
    make_files(DOCS)
    with tempfile.TemporaryDirectory(prefix="netmsg-shot-") as tmp:
        db = Path(tmp) / "demo.db"
        build_demo(db)
        store = SQLiteStore(db)
        try:
            customers = (await store.list_customers(limit=50)).items
            customer = next(c for c in customers if c.messaging_enabled)
            os.chdir(DOCS)  # the chooser starts in the current directory
            app = NetmsgApp(store)
            async with app.run_test(size=(80, 24)) as pilot:
                await until(lambda: app.identity is not None, pilot)
                app.new_conversation(customer.id)
                await until(lambda: isinstance(app.screen, ComposeScreen), pilot)
                await until(lambda: app.screen.customer is not None, pilot)  # type: ignore[attr-defined]
                await pilot.press(*"Delivery documents", "tab")
                await pilot.press("ctrl+o")
                await until(lambda: isinstance(app.screen, AttachmentChooser), pilot)
                files = app.screen.query_one(FileList)
                await until(lambda: len(files.entries) == 7, pilot)
                names = [e.name for e in files.entries]
                await pilot.press("home", *["down"] * (names.index(REFUSED) + 1), "enter")
                await pilot.pause(0.2)
                output.mkdir(parents=True, exist_ok=True)
                return Path(app.save_screenshot("attachment-chooser.svg", str(output)))
        finally:
            await store.close()
            shutil.rmtree(DOCS.parent, ignore_errors=True)


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "screenshots"
    print(asyncio.run(shoot(output.resolve())))


if __name__ == "__main__":
    main()
