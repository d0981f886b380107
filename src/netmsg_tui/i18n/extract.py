"""Find the msgids in the code and the ones a catalog lacks.

    python -m netmsg_tui.i18n.extract            # list msgids missing from the German catalog
    python -m netmsg_tui.i18n.extract --append   # add them, untranslated, to the right .po file

A msgid is the literal first argument of ``_(...)`` or ``N_(...)``, or the literal first two of
``ngettext(...)``. ``_`` of an f-string is an error (its text changes at run time, so no catalog
can hold it): use ``_("... {name} ...").format(name=...)``. Each msgid belongs to the catalog of
the area its first use is in: ``tui/screens/`` → ``tui-screens.po`` (likewise ``widgets``,
``dialogs``), the rest of ``tui/`` → ``tui.po``, ``cli/`` → ``cli.po``, ``mail/`` → ``mail.po``,
the modules at the package's top (config, editor, export, files…) → ``common.po``, everything
else (model, rules, store, server) → ``network.po``. A msgid used in two areas is translated
once, in either file.
"""

from __future__ import annotations

import argparse
import ast
import string
from dataclasses import dataclass
from pathlib import Path

from . import CATALOG_ROOT
from .po import read_catalog_dir

SOURCE_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Found:
    msgid: str
    plural: str | None
    where: str  # path relative to the package, and line

    @property
    def area(self) -> str:
        parts = self.where.split("/")
        if parts[0] == "tui" and parts[1] in {"screens", "widgets", "dialogs"}:
            return f"tui-{parts[1]}"
        if parts[0] in {"tui", "cli", "mail"}:
            return parts[0]
        if len(parts) == 1 and parts[0].split(":")[0] not in {"model.py", "wire.py"}:
            return "common"  # config, editor, export, files, credentials, demo
        return "network"


class ExtractError(ValueError):
    pass


def find_msgids(root: Path = SOURCE_ROOT) -> list[Found]:
    """Every marked string under ``root``, first use first. Raises ExtractError for ``_(f"…")``."""
    found: dict[str, Found] = {}
    errors: list[str] = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            name = node.func.id
            if name not in {"_", "N_", "ngettext"} or not node.args:
                continue
            where = f"{relative}:{node.lineno}"
            first = node.args[0]
            if isinstance(first, ast.JoinedStr):
                errors.append(f"{where}: {name}() of an f-string cannot be translated")
                continue
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue  # _(variable): the value was marked with N_ where it was defined
            plural = None
            if name == "ngettext" and len(node.args) > 1:
                second = node.args[1]
                if isinstance(second, ast.Constant) and isinstance(second.value, str):
                    plural = second.value
            found.setdefault(first.value, Found(first.value, plural, where))
    if errors:
        raise ExtractError("\n".join(errors))
    return list(found.values())


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a format string."""
    names = set()
    for _literal, field, _spec, _conv in string.Formatter().parse(text):
        if field is not None:
            names.add(field)
    return names


def problems(code: str = "de", root: Path = SOURCE_ROOT) -> list[str]:
    """What keeps ``code``'s catalog from being complete: missing, untranslated or fuzzy
    msgids, and translations whose placeholders differ from the msgid's."""
    catalog = read_catalog_dir(CATALOG_ROOT / code)
    report = []
    for item in find_msgids(root):
        entry = catalog.entries.get(item.msgid)
        if entry is None:
            report.append(f"{item.where}: no {code} translation for {item.msgid!r}")
            continue
        if not entry.translated:
            report.append(f"{entry.where}: untranslated or fuzzy: {item.msgid!r}")
            continue
        wanted = placeholders(item.msgid) | placeholders(item.plural or "")
        for text in entry.msgstr:
            if placeholders(text) - wanted or (wanted and not placeholders(text)):
                report.append(
                    f"{entry.where}: placeholders differ in {text!r} (msgid has {sorted(wanted)})"
                )
    return report


def _po_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\t", "\\t")
    return '"' + escaped + '"'


def append_missing(code: str = "de", root: Path = SOURCE_ROOT) -> list[Found]:
    """Add each msgid the catalog lacks to its area's ``.po`` file with an empty msgstr."""
    catalog = read_catalog_dir(CATALOG_ROOT / code)
    missing = [item for item in find_msgids(root) if item.msgid not in catalog.entries]
    for item in missing:
        path = CATALOG_ROOT / code / f"{item.area}.po"
        lines = [f"\n#: {item.where}", f"msgid {_po_string(item.msgid)}"]
        if item.plural is not None:
            lines += [f"msgid_plural {_po_string(item.plural)}", 'msgstr[0] ""', 'msgstr[1] ""']
        else:
            lines.append('msgstr ""')
        with path.open("a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m netmsg_tui.i18n.extract",
        description="List (or append) msgids the German catalog lacks.",
    )
    parser.add_argument("--language", default="de")
    parser.add_argument("--append", action="store_true", help="add them, untranslated")
    args = parser.parse_args(argv)
    if args.append:
        added = append_missing(args.language)
        print(f"{len(added)} msgids added to the {args.language} catalogs")
    report = problems(args.language)
    print("\n".join(report) or "complete")
    return 1 if report else 0


if __name__ == "__main__":
    raise SystemExit(main())
