"""Textual's CSS parsed once and read back by later runs (tui/css_cache.py, issue 15): the rules
read back are the rules Textual parses and the screen looks the same; changed CSS is parsed
again; a damaged file, or one another Textual's parser wrote, costs a parse, never a start."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

from textual.css.model import RuleSet

from netmsg_tui.store.sqlite import SQLiteStore
from netmsg_tui.tui.css_cache import ParsedCss
from tests.tui.conftest import SIZE, OpenStore, make_app, ready
from tests.waiting import wait_until


@dataclass
class Run:
    rules: list[str]  # every rule set of the stylesheet, described, in order
    screenshot: str  # the home screen as an SVG: cells, colours and styles
    parsed: int
    read_back: int


def described(rule: RuleSet) -> str:
    """A rule set's selectors, declarations and flags (``RuleSet.css`` fails on some of
    Textual's own rules: a link-background of None)."""
    declarations = sorted((name, repr(value)) for name, value in rule.styles.get_rules().items())
    return repr(
        (
            rule.selector_set,
            declarations,
            rule.is_default_rules,
            rule.tie_breaker,
            sorted(rule.selector_names),
            sorted(rule.pseudo_classes),
        )
    )


async def home(store: SQLiteStore, cache: Path | None, extra_css: str = "") -> Run:
    """Start the app on ``store`` (with the cache file ``cache`` if given) until the home
    screen is up and the screens' CSS is in, then quit and write the cache."""
    app = make_app(store)
    if extra_css:
        app.stylesheet.add_source(extra_css, read_from=("test", "extra"))
    parsed = ParsedCss(app.stylesheet, cache) if cache else None
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: app.home_shown, "the start finished")
        app.load_screens_css()
        await pilot.pause()
        rules = [described(rule) for rule in app.stylesheet.rules]
        screenshot = app.export_screenshot(title="home")
    if parsed is None:
        return Run(rules, screenshot, 0, 0)
    parsed.save()
    return Run(rules, screenshot, parsed.parsed, parsed.read_back)


async def test_a_second_run_reads_every_rule_back_and_looks_the_same(
    open_store: OpenStore, network, tmp_path: Path
) -> None:
    store = open_store(network.user_a)
    await store.start_conversation(network.customer_on, "Pallets", "How many pallets?")
    cache = tmp_path / "cache" / "parsed-css.pickle"
    plain = await home(store, None)
    first = await home(store, cache)
    assert first.parsed > 10 and first.read_back == 0
    assert cache.exists()
    second = await home(store, cache)
    assert second.parsed == 0
    assert second.read_back == first.parsed
    assert second.rules == first.rules == plain.rules
    assert second.screenshot == plain.screenshot


async def test_changed_css_is_parsed_again(open_store: OpenStore, network, tmp_path: Path) -> None:
    store = open_store(network.user_a)
    cache = tmp_path / "parsed-css.pickle"
    await home(store, cache, "ConversationList { background: red; }")
    changed = await home(store, cache, "ConversationList { background: blue; }")
    assert changed.parsed == 1
    assert any("'background', 'Color(0, 0, 255" in rule for rule in changed.rules)
    assert not any("'background', 'Color(255, 0, 0" in rule for rule in changed.rules)
    again = await home(store, cache, "ConversationList { background: blue; }")
    assert again.parsed == 0 and again.rules == changed.rules


async def test_a_damaged_or_foreign_file_is_parsed_and_written_anew(
    open_store: OpenStore, network, tmp_path: Path
) -> None:
    store = open_store(network.user_a)
    cache = tmp_path / "parsed-css.pickle"
    good = await home(store, cache)
    stamp, entries = pickle.loads(cache.read_bytes())
    # Another Textual's parser made these rules: not used.
    cache.write_bytes(pickle.dumps((("another textual",), entries)))
    foreign = await home(store, cache)
    assert foreign.parsed == good.parsed and foreign.rules == good.rules
    assert pickle.loads(cache.read_bytes())[0] == stamp  # written anew by this Textual
    cache.write_bytes(b"\x80\x05 not a pickle")
    damaged = await home(store, cache)
    assert damaged.parsed == good.parsed and damaged.rules == good.rules
    assert (await home(store, cache)).parsed == 0
