"""``netmsg templates list|add|edit|rm``: the account's canned replies, kept in the store."""

from __future__ import annotations

import argparse
from typing import Any

from ..i18n import N_, _
from ..store import MessageStore, NotFound
from .common import CliError, add_store_options, print_json, say, say_line, with_store


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    help = _("canned replies shared by your account: list, add, edit, rm")
    group: argparse.ArgumentParser = sub.add_parser("templates", help=help, description=help)
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, help: str, handler: Any) -> argparse.ArgumentParser:
        text = _(help)
        parser: argparse.ArgumentParser = actions.add_parser(name, help=text, description=text)
        add_store_options(parser)
        parser.set_defaults(handler=with_store(handler))
        return parser

    p = action("list", N_("list the templates by name"), list_templates)
    p.add_argument("--json", action="store_true", help=_("print a JSON array (with the text)"))
    # Not .format()-ed: the placeholders are shown as they are written in a template.
    text_help = _(
        "the text ('-' reads stdin; default: open $VISUAL/$EDITOR); placeholders: "
        "{customer} {contact} {document} {document_kind} {me}, {{ and }} for braces"
    )
    name_help = _("the template's name")
    p = action("add", N_("add a template"), add)
    p.add_argument("name", metavar="NAME", help=name_help)
    p.add_argument("--body", metavar="B", help=text_help)
    p = action("edit", N_("change a template's text"), edit)
    p.add_argument("name", metavar="NAME", help=name_help)
    p.add_argument("--body", metavar="B", help=text_help)
    p = action("rm", N_("remove a template"), remove)
    p.add_argument("name", metavar="NAME", help=name_help)


def _text(given: str | None, current: str) -> str:
    if given == "-":
        import sys

        return sys.stdin.read()
    if given is not None:
        return given
    from ..editor import EditorError, edit_text

    try:
        return edit_text(current)
    except EditorError as exc:
        raise CliError(_("{reason}; nothing was saved").format(reason=exc)) from None


async def list_templates(store: MessageStore, args: argparse.Namespace) -> int:
    found = await store.list_templates()
    if args.json:
        print_json(found)
        return 0
    for t in found:
        first = t.body.strip().split("\n", 1)[0]
        say_line(f"{t.name[:24]:<24}  {first[:52]}")
    return 0


async def add(store: MessageStore, args: argparse.Namespace) -> int:
    try:
        await store.get_template(args.name)
    except NotFound:
        pass
    else:
        raise CliError(
            _("A template called {name} exists: use 'netmsg templates edit'").format(
                name=repr(args.name)
            )
        )
    saved = await store.save_template(args.name, _text(args.body, ""))
    say(_("Saved template {name}").format(name=repr(saved.name)))
    return 0


async def edit(store: MessageStore, args: argparse.Namespace) -> int:
    current = await store.get_template(args.name)
    saved = await store.save_template(args.name, _text(args.body, current.body))
    say(_("Saved template {name}").format(name=repr(saved.name)))
    return 0


async def remove(store: MessageStore, args: argparse.Namespace) -> int:
    await store.delete_template(args.name)
    say(_("Removed template {name}").format(name=repr(args.name)))
    return 0
