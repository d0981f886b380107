"""The garbage collector's full pass runs while the app is idle, and is put back at exit."""

from __future__ import annotations

import gc
import weakref

from netmsg_tui.tui import idle_gc
from netmsg_tui.tui.screens.thread import ThreadScreen
from tests.conftest import Network
from tests.tui.conftest import current_thread
from tests.waiting import wait_until

from .conftest import SIZE, OpenStore, make_app, ready


class Node:
    """Half of a reference cycle: freed only by the collector's full pass once old."""

    other: Node | None = None


async def test_old_garbage_is_collected_while_idle_and_gc_restored_at_exit(
    network: Network, open_store: OpenStore
) -> None:
    thresholds = gc.get_threshold()
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: gc.get_freeze_count() > 0, "start-up objects frozen")
        assert gc.get_threshold() == idle_gc.THRESHOLDS

        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        gc.collect(1)  # alive through a middle pass: now in the oldest generation
        del a, b
        assert gone() is not None  # no full pass of its own
        await wait_until(pilot, lambda: gone() is None, "the cycle collected while idle")

    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


async def test_a_start_without_the_collector_turns_it_on_when_the_home_screen_is_up(
    network: Network, open_store: OpenStore
) -> None:
    """`netmsg` runs the app with the collector off (cli/tui_cmd.py, for start-up): once the
    home screen is up it is on again, the objects made until then frozen, and at exit they are
    unfrozen."""
    gc.disable()
    try:
        app = make_app(open_store(network.user_a))
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await wait_until(pilot, lambda: app.home_shown, "the home screen shown")
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()


async def test_no_automatic_pass_while_a_thread_builds_its_first_frame(
    network: Network, open_store: OpenStore
) -> None:
    """From open_thread to the thread's first frame the collector waits (issue 15: its passes
    were the slow tail of opening a thread); then it is on again."""
    store = open_store(network.user_a)
    conv = await store.start_conversation(network.customer_on, "Pallets", "How many?")
    for n in range(30):
        await store.reply(conv.id, f"message {n}")
    app = make_app(store)
    passes: list[bool] = []  # per automatic pass: was a thread's first frame being built?

    def building() -> bool:
        screen = app.screen
        return isinstance(screen, ThreadScreen) and not screen._opened

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(building())

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert gc.isenabled()
        gc.callbacks.append(seen)
        try:
            app.open_thread(conv.id)
            thread = await current_thread(pilot)
            await wait_until(pilot, lambda: thread._opened, "the first page")
            await wait_until(pilot, gc.isenabled, "the collector on again")
        finally:
            gc.callbacks.remove(seen)
        assert passes.count(True) == 0, f"{passes.count(True)} passes while the thread was built"


async def test_a_pause_never_resumed_ends_by_itself(
    network: Network, open_store: OpenStore
) -> None:
    app = make_app(open_store(network.user_a))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.collector.pause(object())  # a bug forgets to resume
        assert not gc.isenabled()
        await wait_until(pilot, gc.isenabled, "the collector on again")
