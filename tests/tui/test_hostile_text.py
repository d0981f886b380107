"""Outside text that looks like markup is shown as written, and never stops the app (80×24)."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Static

from netmsg_tui.tui.screens.main import MainScreen
from netmsg_tui.tui.screens.thread import ThreadScreen

from .conftest import SIZE, make_app, ready, toasts_into, wait_until

#: ``[/]`` made notify() raise MarkupError; ``[EUR]`` was swallowed as an unknown tag.
SUBJECTS = ["Closing [/] tag", "Price in [EUR] per unit", "[bold red]x"]


def option_texts(screen: MainScreen) -> list[str]:
    lst = screen.messages.list
    return [str(lst.get_option_at_index(i).prompt) for i in range(lst.option_count)]


def toast_texts(app) -> list[str]:  # type: ignore[no-untyped-def]
    # render() is what the compositor calls: it would raise MarkupError on a parsed subject.
    return [str(toast.render()) for toast in app.screen.query("Toast")]


async def test_markup_looking_subjects_are_literal_in_list_toast_and_thread(
    network, open_store
) -> None:  # type: ignore[no-untyped-def]
    store = open_store(network.user_a)
    convs = [
        await store.start_conversation(network.customer_on, s, f"About: {s}") for s in SUBJECTS
    ]
    app = make_app(store)
    toasts: list[tuple[str, str]] = []
    # notifications=True: toasts are mounted and rendered, as in the real app.
    hook = toasts_into(toasts)
    async with app.run_test(size=SIZE, message_hook=hook, notifications=True) as pilot:
        main = await ready(pilot)
        rows = "\n".join(option_texts(main))
        for subject in SUBJECTS:
            assert subject in rows

        for conv in convs:
            await network.customer_reply(conv.id, f"Reply on {conv.subject}")
        await wait_until(pilot, lambda: len(toast_texts(app)) >= len(SUBJECTS), "the toasts")
        shown = "\n".join(toast_texts(app))
        for subject in SUBJECTS:
            assert f"Alpine Foods GmbH replied\n{subject}" in shown
        assert sorted(message for _, message in toasts) == sorted(SUBJECTS)
        await wait_until(
            pilot, lambda: all(r.startswith("● ") for r in option_texts(main)), "unread rows"
        )
        for subject in SUBJECTS:
            assert subject in "\n".join(option_texts(main))

        for conv in convs:
            app.open_thread(conv.id)
            await wait_until(
                pilot,
                lambda c=conv: (
                    isinstance(app.screen, ThreadScreen)
                    and app.screen.conversation is not None
                    and app.screen.conversation.id == c.id
                ),
                "the thread",
            )
            header = app.screen.query_one("#thread-header", Static).render()
            assert str(header).startswith(f"Alpine Foods GmbH — {conv.subject}")
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the list")
        assert app.is_running


async def test_palette_hits_show_markup_looking_subjects_literally(network, open_store) -> None:  # type: ignore[no-untyped-def]
    store = open_store(network.user_a)
    for subject in SUBJECTS:
        await store.start_conversation(network.customer_on, subject, "Body")
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"alpine")
        palette = app.screen

        def hits() -> str:
            return "\n".join(str(o.prompt) for o in palette.query_one("CommandList").options)

        await wait_until(pilot, lambda: hits().count("Thread:") == len(SUBJECTS), "the hits")
        for subject in SUBJECTS:
            assert f"Thread: Alpine Foods GmbH — {subject}" in hits()
        assert app.is_running
