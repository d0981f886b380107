"""The CLI in German: ``language = "de"`` in config.toml, else ``LANG=de_DE.UTF-8``, turns help
(argparse's own words too), errors, listings and the Markdown export German; scripts' output
(JSON, subcommand and option names) stays as it is. ``main()`` runs in-process on a real store
file; the autouse fixture in conftest puts the process back into English after each test."""

from __future__ import annotations

import argparse
import asyncio
import gettext
import json
from pathlib import Path

import pytest

from netmsg_tui.cli import main
from netmsg_tui.model import NewAttachment
from netmsg_tui.store.sqlite import SQLiteStore
from tests.conftest import Network


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``netmsg ARGS`` in this process: (exit status, stdout, stderr)."""
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse: --help, usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def german_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config.toml that asks for German (the locale says English)."""
    path = tmp_path / "config.toml"
    path.write_text('language = "de"\n', encoding="utf-8")
    monkeypatch.setenv("NETMSG_CONFIG", str(path))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    return path


@pytest.fixture
def german_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No config file; the locale is German."""
    monkeypatch.setenv("NETMSG_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("LANG", "de_DE.UTF-8")


def _thread(network: Network) -> int:
    """Ours with a PDF, the customer's answer (unread), linked to a purchase order."""

    async def make() -> int:
        store = SQLiteStore(network.path, user_id=network.user_a)
        try:
            conv = await store.start_conversation(
                network.customer_on,
                "Lieferung KW 12",
                "Please confirm the date.",
                [NewAttachment("cert.pdf", b"%PDF-1.4 x", "application/pdf")],
                document_id=network.po_a,
            )
        finally:
            await store.close()
        await network.customer_reply(conv.id, "Confirmed.")
        return conv.id

    return asyncio.run(make())


def test_help_is_german_with_argparses_own_words(german_config, capsys) -> None:
    code, out, _err = run(capsys, "--help")
    assert code == 0
    assert out.startswith("Aufruf: netmsg ")
    assert "Positionsargumente:" in out and "Optionen:" in out
    assert "diese Hilfe anzeigen und beenden" in out
    assert "Nachrichten an Ihre Kunden" in out  # our description
    assert "Unterhaltungen auflisten, die neuesten zuerst" in out  # a subcommand's help
    for word in ("usage:", "options:", "positional arguments", "show this help"):
        assert word not in out
    # Subcommand and option names stay English: they are what people type.
    assert "    threads " in out and "--store URL" in out and "--demo" in out
    code, out, _err = run(capsys, "export", "--help")
    assert code == 0 and out.startswith("Aufruf: netmsg export ")
    assert "eine Unterhaltung als Markdown" in out and "--format {md,eml,json}" in out
    # argparse is itself again afterwards: nothing else in the process speaks German.
    assert argparse.__dict__["_"] is gettext.gettext
    assert argparse.__dict__["ngettext"] is gettext.ngettext


def test_usage_errors_are_german(german_locale, capsys) -> None:
    code, _out, err = run(capsys, "send")
    assert code == 2
    assert err.splitlines()[-1] == (
        "netmsg send: Fehler: die folgenden Argumente sind erforderlich: "
        "--customer, --subject, --body"
    )
    code, _out, err = run(capsys, "export", "1", "--format", "pdf")
    assert code == 2 and "netmsg export: Fehler: Argument --format: ungültige Auswahl: 'pdf'" in err
    code, _out, err = run(capsys, "threads", "--limit", "ten")
    assert code == 2 and "ungültiger int-Wert: 'ten'" in err


def test_refusals_are_german(german_config, tmp_path, capsys) -> None:
    missing = tmp_path / "nowhere.db"
    code, _out, err = run(capsys, "--store", str(missing), "threads")
    assert code == 1
    assert err == (
        f"netmsg: Kein Nachrichtenspeicher unter {missing}: "
        f"legen Sie einen an mit 'netmsg demo init {missing}'\n"
    )
    code, _out, err = run(capsys, "demo", "init", str(tmp_path / "x.db"), "--scale", "5")
    assert code == 1 and err == "netmsg: --scale braucht mindestens 100 Nachrichten\n"


def test_results_are_german(german_config, tmp_path, capsys) -> None:
    target = tmp_path / "scale.db"
    code, out, err = run(capsys, "demo", "init", str(target), "--scale", "100")
    assert code == 0, err
    assert out.endswith(f" Unterhaltungen, 100 Nachrichten nach {target} geschrieben\n")
    code, out, err = run(capsys, "--store", str(target), "notify", "--status")
    assert code == 0 and out == "die Warteschlange der Benachrichtigungen ist leer\n"
    code, out, err = run(capsys, "--store", str(target), "preferences")
    assert code == 0 and "E-Mail bei Antwort eines Kunden: " in out and "Modus: " in out


def test_threads_and_show_are_german(german_config, network: Network, capsys) -> None:
    thread = _thread(network)
    code, out, err = run(capsys, "--store", str(network.path), "threads")
    assert code == 0, err
    row = next(line for line in out.splitlines() if "Lieferung KW 12" in line)
    assert row.endswith("(1 neu)")
    day = row.split()[1]
    assert day.count(".") == 2 and len(day) == 10  # 05.03.2026, as German readers write it
    code, out, err = run(capsys, "--store", str(network.path), "show", str(thread))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1].startswith("mit ")
    assert any(line.startswith("    📎 cert.pdf (") and ", Anhang " in line for line in lines)
    code, out, err = run(capsys, "--store", str(network.path), "documents")
    assert code == 0, err
    assert " Best. " in out and " PO " not in out
    assert " Neu " in out and " New " not in out  # the network's document status
    # --json is for scripts: the same keys and values in every language.
    code, out, err = run(capsys, "--store", str(network.path), "threads", "--json")
    assert code == 0
    found = next(t for t in json.loads(out) if t["id"] == thread)
    assert found["unread_count"] == 0 and found["last_activity"][:2] == "20"  # ISO, read by show


def test_find_labels_are_german(german_config, network: Network, capsys) -> None:
    thread = _thread(network)
    code, out, err = run(capsys, "--store", str(network.path), "find", str(thread))
    assert code == 0, err
    row = next(line for line in out.splitlines() if "Lieferung KW 12" in line)
    assert f"Unterhaltung {thread}: Lieferung KW 12 (" in row and "Thread" not in row
    code, out, err = run(capsys, "--store", str(network.path), "find", "4500012345")
    assert code == 0, err
    assert "Bestellung 4500012345 (" in out and f"), Unterhaltung {thread}" in out
    assert "Purchase order" not in out and ", thread" not in out


def test_markdown_export_headings_are_german(german_locale, network: Network, capsys) -> None:
    thread = _thread(network)
    code, out, err = run(capsys, "--store", str(network.path), "export", str(thread))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "# Lieferung KW 12"
    assert lines[2].startswith(f"Unterhaltung {thread} mit ")
    assert "; Beleg " in lines[2] and lines[2].endswith("; 2 Nachrichten.")
    assert "Anhänge:" in lines and "Attachments:" not in lines
    headings = [line for line in lines if line.startswith("## ")]
    assert len(headings) == 2 and all(h.endswith(" UTC") for h in headings)
    assert headings[0].split(", ")[-1][2] == "."  # ## Jana, 05.03.2026 14:30 UTC


def test_config_errors_and_warnings_are_german(tmp_path, monkeypatch, capsys) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("NETMSG_CONFIG", str(config))
    store = ("--store", str(tmp_path / "none.db"))
    # A wrong value elsewhere in the file: its language still decides how that is told.
    config.write_text('language = "de"\n[smtp]\nsecurity = "ssl"\n', encoding="utf-8")
    code, _out, err = run(capsys, *store, "unread")
    assert code == 1
    assert err == f"netmsg: {config}: smtp.security muss starttls, tls oder none sein\n"
    # Not valid TOML at all: the locale decides.
    config.write_text("language = \n", encoding="utf-8")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    code, _out, err = run(capsys, *store, "unread")
    assert code == 1 and err.startswith(f"netmsg: Die Konfigurationsdatei {config} ist kein ")
    config.write_text('language = "de"\ncolour = "red"\n', encoding="utf-8")
    code, _out, err = run(capsys, *store, "unread")
    assert err.startswith(
        f"netmsg: Warnung: {config}: unbekannter Schlüssel 'colour' (ignoriert)\n"
    )


def test_a_language_we_do_not_speak_is_refused_by_name(tmp_path, monkeypatch, capsys) -> None:
    config = tmp_path / "config.toml"
    config.write_text('language = "fr"\n', encoding="utf-8")
    monkeypatch.setenv("NETMSG_CONFIG", str(config))
    code, out, err = run(capsys, "--store", str(tmp_path / "none.db"), "unread")
    assert code == 1 and out == ""
    assert err == f"netmsg: {config}: language must be one of en, de, not 'fr'\n"
    # The same in German when the locale is German.
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    code, _out, err = run(capsys, "--store", str(tmp_path / "none.db"), "unread")
    assert err == f"netmsg: {config}: language muss eine der Sprachen en, de sein, nicht 'fr'\n"


def test_english_stays_the_default(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("NETMSG_CONFIG", str(tmp_path / "absent.toml"))
    code, out, _err = run(capsys, "--help")
    assert code == 0 and out.startswith("usage: netmsg ") and "options:" in out
    code, _out, err = run(capsys, "send")
    assert "netmsg send: error: the following arguments are required" in err
