import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cli(*args, input=None):
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True,
                          input=input, timeout=120)


def test_help_lists_subcommands():
    r = cli("--help")
    assert r.returncode == 0
    for sub in ("demo", "dossiers", "workers"):
        assert sub in r.stdout


def test_every_subcommand_has_help():
    import argparse
    from cli.app import build_parser
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    names = sorted(sub.choices)
    assert {"demo", "dossiers", "workers"} <= set(names)
    for name in names:
        h = cli(name, "--help")
        assert h.returncode == 0, (name, h.stderr)


def test_demo_then_list_as_json(tmp_path):
    db = str(tmp_path / "w.db")
    r = cli("--db", db, "demo", "--workers", "25", "--json")
    assert r.returncode == 0, r.stderr
    created = json.loads(r.stdout)
    dossiers = json.loads(cli("--db", db, "dossiers", "--json").stdout)
    assert dossiers[0]["id"] == created["dossier"] and dossiers[0]["workers"] == 25
    workers = json.loads(cli("--db", db, "workers", "--dossier", str(created["dossier"]), "--json").stdout)
    assert len(workers) == 25 and {"id", "surname", "first_names", "insz", "status"} <= set(workers[0])


def test_demo_is_deterministic(tmp_path):
    a = tmp_path / "a.db"
    b = tmp_path / "b.db"
    cli("--db", str(a), "demo", "--workers", "10")
    cli("--db", str(b), "demo", "--workers", "10")
    wa = json.loads(cli("--db", str(a), "workers", "--dossier", "1", "--json").stdout)
    wb = json.loads(cli("--db", str(b), "workers", "--dossier", "1", "--json").stdout)
    assert [w["insz"] for w in wa] == [w["insz"] for w in wb]


def test_user_errors_are_one_line_without_traceback(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_text("dit is geen database")
    r = cli("--db", str(bad), "dossiers")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = cli("--db", str(tmp_path / "ok.db"), "workers", "--dossier", "42")
    assert r.returncode == 2 and "bestaat niet" in r.stderr
    r = cli("--db", str(tmp_path / "ok.db"), "demo", "--workers", "veel")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert bad.read_text() == "dit is geen database"


ARGPARSE_ENGLISH = ("usage:", "positional arguments", "optional arguments", "options:", "show this help message",
                    "show program's version")


def _all_parsers(parser, path=()):
    """(command words, parser) for the main parser and every subcommand at every depth."""
    import argparse
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _all_parsers(child, path + (name,))


def test_help_is_dutch():
    r = cli("--help")
    assert r.returncode == 0
    assert r.stdout.startswith("gebruik: werkbrug")
    for heading in ("positionele argumenten:", "opties:", "-h, --help", "toon deze hulp en stop",
                    "toon het versienummer en stop"):
        assert heading in r.stdout
    for english in ARGPARSE_ENGLISH:
        assert english not in r.stdout
    r = cli("restore", "--help")
    assert r.returncode == 0 and r.stdout.startswith("gebruik: werkbrug restore")
    assert "positionele argumenten:" in r.stdout and "opties:" in r.stdout
    assert not any(english in r.stdout for english in ARGPARSE_ENGLISH)


def test_every_help_text_at_every_depth_is_dutch():
    from cli.app import build_parser
    seen = 0
    for path, parser in _all_parsers(build_parser()):
        text = parser.format_help()
        assert text.startswith("gebruik: "), path
        assert "toon deze hulp en stop" in text, path
        assert not [e for e in ARGPARSE_ENGLISH if e in text], (path, text)
        assert "gebruik: " in parser.format_usage(), path
        seen += 1
    assert seen > 25                                     # subcommands of subcommands too (accounts, audit, gdpr)


def test_argparse_errors_stay_dutch_after_the_help_change():
    r = cli("restore")
    assert r.returncode == 2 and "deze gegevens ontbreken: BESTAND" in r.stderr
    assert "usage" not in r.stderr and "gebruik" not in r.stderr       # still one line, no usage dump
    r = cli("import-transfer", "x.werkbrug", "--resolve", "allebei")
    assert r.returncode == 2 and "ongeldige keuze" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = cli("--versie")
    assert r.returncode == 2 and "onbekende argumenten" in r.stderr
