"""Textual CSS parsed once, kept between runs: start-up reads the rules instead of parsing them.

Textual parses every CSS source it meets (app.tcss, each widget class's ``DEFAULT_CSS``) in
every run: ~24,000 characters before the home screen's first frame, ~10 ms of the main thread's
CPU on a 2-core machine, where reading the same rules back with ``pickle`` takes ~3 ms. The
cache holds, for each source, the text it was parsed from and the rules made of it; a rule set
is used only when its source's text, place, flags and CSS variables (the theme's colours, which
the parser writes into the rules) are the ones asked for now. Anything else is parsed as Textual
always does.

The file lives in ``platformdirs.user_cache_path("netmsg-tui")``, private to the user (as the
cache of any program that pickles, only someone who can already write the user's files could
hand it other objects). It is written when the app ends, if something was parsed that it did not
hold. Deleting it costs one slower start; a file that cannot be read, or that another Textual's
parser wrote (told by the size and time of its parser's files), is ignored and written anew.

This leans on ``Stylesheet._parse_rules``, a private method of Textual 8 (pinned < 9 in
pyproject.toml): should a later Textual not have it, nothing is cached.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.css.model import RuleSet
    from textual.css.stylesheet import Stylesheet

#: A source: its CSS variables, place (file or class), default-CSS flag, tie breaker, scope.
Key = tuple[Any, ...]


def default_path() -> Path:
    import platformdirs

    return platformdirs.user_cache_path("netmsg-tui") / "parsed-css.pickle"


def parser_stamp() -> tuple[object, ...]:
    """The Textual whose parser made the rules, by the files the rules come from (not by
    ``textual.__version__``, which reads the package's metadata: ~40 ms of start-up)."""
    from textual.css import model, parse, styles

    return tuple(
        (path, stat.st_size, stat.st_mtime_ns)
        for path in (parse.__file__, model.__file__, styles.__file__)
        if path is not None and (stat := os.stat(path))
    )


class ParsedCss:
    """Serves ``stylesheet``'s parses from the file at ``path`` and remembers the new ones."""

    def __init__(self, stylesheet: Stylesheet, path: Path) -> None:
        self.path = path
        self._stylesheet = stylesheet
        self._parse = getattr(stylesheet, "_parse_rules", None)
        self._stamp = parser_stamp()
        #: key -> (the CSS text, its rules pickled): unpickled only when asked for
        self._entries: dict[Key, tuple[str, bytes]] = self._read()
        #: this run's rules by key, with their CSS text: Textual parses all its sources again
        #: each time one is added, and each must be read or parsed once
        self._rules: dict[Key, tuple[str, list[RuleSet]]] = {}
        self._new: set[Key] = set()  # parsed this run: pickled when the file is written
        self.read_back = 0  # sources this run took from the file
        self.parsed = 0  # and those it parsed
        self._variables: object = None
        self._variables_key: tuple[tuple[str, str], ...] = ()
        if self._parse is not None:
            stylesheet._parse_rules = self._parse_rules  # type: ignore[method-assign]

    def _read(self) -> dict[Key, tuple[str, bytes]]:
        try:
            with self.path.open("rb") as file:
                stamp, entries = pickle.load(file)
        except Exception:  # noqa: BLE001 - missing or damaged: parsed as always, never a failed start
            return {}
        return entries if stamp == self._stamp and isinstance(entries, dict) else {}

    def _key(self, read_from: Any, is_default_rules: bool, tie_breaker: int, scope: str) -> Key:
        variables = self._stylesheet._variables
        if variables is not self._variables:  # a new theme: a new dict
            self._variables = variables
            self._variables_key = tuple(sorted(variables.items()))
        return (self._variables_key, read_from, is_default_rules, tie_breaker, scope)

    def _parse_rules(
        self,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        assert self._parse is not None
        key = self._key(read_from, is_default_rules, tie_breaker, scope)
        known = self._rules.get(key)
        if known is not None and known[0] == css:
            return known[1]
        kept = self._entries.get(key)
        rules: list[RuleSet] | None = None
        if kept is not None and kept[0] == css:
            try:
                rules = pickle.loads(kept[1])
            except Exception:  # noqa: BLE001 - unreadable: parse it again
                rules = None
        if rules is None:
            rules = self._parse(css, read_from, is_default_rules, tie_breaker, scope)
            self._new.add(key)
            self.parsed += 1
        else:
            self.read_back += 1
        self._rules[key] = (css, rules)
        return rules

    def save(self) -> None:
        """Write the file if this run parsed something it did not hold (quietly: a cache)."""
        if not self._new:
            return
        for key in self._new:
            css, rules = self._rules[key]
            try:
                self._entries[key] = (css, pickle.dumps(rules, pickle.HIGHEST_PROTOCOL))
            except Exception:  # noqa: BLE001 - rules that do not pickle are parsed each run
                self._entries.pop(key, None)
        self._new.clear()
        part = self.path.with_name(f"{self.path.name}.{os.getpid()}.part")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Equal variables as one object: pickle writes it once, not once a source.
            one: dict[object, object] = {}
            entries = {(one.setdefault(k[0], k[0]), *k[1:]): v for k, v in self._entries.items()}
            with part.open("wb") as file:
                pickle.dump((self._stamp, entries), file, pickle.HIGHEST_PROTOCOL)
            os.replace(part, self.path)  # whole or not at all, also with two apps at once
        except OSError:
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)
