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
