"""Command line: a file to read that is a folder, missing, unreadable or not a usable spreadsheet.

One Dutch line that names the real problem, exit 2, checked before signing in or asking the transfer
passphrase, and nothing written: not the database, not its folder, not next to the input file.
"""
import getpass
import shutil
import sys
from pathlib import Path

import pytest

from cli.app import run

DATA = Path(__file__).resolve().parent / "data" / "import"
ENGLISH = ("Error", "error", "Traceback", "zip", "password protected", "No such file", "Is a directory")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from tests.conftest import build_demo_db
    return build_demo_db(tmp_path_factory.mktemp("invoer"), 3)


@pytest.fixture
def work(demo_db, tmp_path):
    """A folder with a copy of the demo database (db/) and a folder for the input (in/)."""
    (tmp_path / "db").mkdir()
    (tmp_path / "in").mkdir()
    from tests.conftest import copy_db
    copy_db(demo_db, tmp_path / "db" / "w.db")
    return tmp_path


def snapshot(folder: Path) -> dict:
    """Every file under ``folder`` with its bytes: equal snapshots mean nothing was written."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


@pytest.fixture
def werkbrug(work, monkeypatch, capsys):
    """Run a command on the copied database; returns (exit code, stderr)."""
    import io

    def call(*args):
        from db.connection import set_session_key
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        capsys.readouterr()
        try:
            code = run(["--db", str(work / "db" / "w.db"), *args])
        finally:
            set_session_key(None)
        return code, capsys.readouterr().err
    return call


def assert_dutch_user_error(code, err, *needles):
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1, err
    assert not [e for e in ENGLISH if e in err], err
    for n in needles:
        assert n in err, err


def _no_prompt(monkeypatch):
    """A terminal on which any prompt (passphrase, password) fails the test."""
    asked = []

    def refuse(prompt=""):
        asked.append(prompt)
        raise AssertionError(f"asked: {prompt}")
    monkeypatch.setattr(getpass, "getpass", refuse)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    return asked


# -- import-transfer -------------------------------------------------------------------------------
@pytest.mark.parametrize("with_passphrase", [True, False])
def test_import_transfer_of_a_folder_says_it_is_a_folder(werkbrug, work, monkeypatch, with_passphrase):
    if with_passphrase:
        monkeypatch.setenv("WERKBRUG_TRANSFER_PASSPHRASE", "Overdracht-Test-2026")
    else:
        monkeypatch.delenv("WERKBRUG_TRANSFER_PASSPHRASE", raising=False)
    folder = work / "in" / "overdracht.werkbrug"
    folder.mkdir()
    before = snapshot(work)
    code, err = werkbrug("import-transfer", str(folder))
    assert_dutch_user_error(code, err, str(folder), "is een map, geen bestand")
    assert "bestaat niet" not in err and "wachtwoordzin" not in err
    assert snapshot(work) == before


def test_import_transfer_checks_the_file_before_asking_the_passphrase(werkbrug, work, monkeypatch):
    monkeypatch.delenv("WERKBRUG_TRANSFER_PASSPHRASE", raising=False)
    missing = work / "in" / "weg.werkbrug"
    before = snapshot(work)
    code, err = werkbrug("import-transfer", str(missing))          # no terminal: before, the passphrase was asked
    assert_dutch_user_error(code, err, "Het bestand", str(missing), "bestaat niet")
    assert "wachtwoordzin" not in err
    asked = _no_prompt(monkeypatch)                                  # on a terminal: no prompt at all
    code, err = werkbrug("import-transfer", str(missing))
    assert_dutch_user_error(code, err, "bestaat niet")
    assert asked == []
    assert snapshot(work) == before


def test_import_transfer_of_an_unreadable_file_gives_the_dutch_reason(werkbrug, work, monkeypatch):
    import cli.argtypes
    monkeypatch.delenv("WERKBRUG_TRANSFER_PASSPHRASE", raising=False)
    f = work / "in" / "dicht.werkbrug"
    f.write_bytes(b"x" * 2048)

    def no_access(path, *a, **kw):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(cli.argtypes, "open", no_access, raising=False)
    asked = _no_prompt(monkeypatch)
    before = snapshot(work)
    code, err = werkbrug("import-transfer", str(f))
    assert_dutch_user_error(code, err, str(f), "kan niet gelezen worden", "geen toegang")
    assert asked == [] and snapshot(work) == before


def test_import_transfer_of_a_real_file_still_asks_for_the_passphrase(werkbrug, work, monkeypatch):
    monkeypatch.delenv("WERKBRUG_TRANSFER_PASSPHRASE", raising=False)
    f = work / "in" / "overdracht.werkbrug"
    f.write_bytes(b"\0" * 4096)
    code, err = werkbrug("import-transfer", str(f))                 # no terminal, no variable: the passphrase message
    assert_dutch_user_error(code, err, "WERKBRUG_TRANSFER_PASSPHRASE")


# -- restore -----------------------------------------------------------------------------------------
def test_restore_of_a_folder_says_it_is_a_folder(werkbrug, work):
    folder = work / "in" / "backups"
    folder.mkdir()
    before = snapshot(work)
    code, err = werkbrug("restore", str(folder))
    assert_dutch_user_error(code, err, str(folder), "is een map, geen bestand")
    assert "bestaat niet" not in err
    assert snapshot(work) == before
    assert not [p for p in (work / "db").iterdir() if "voor-herstel" in p.name]


def test_restore_of_a_missing_file_changes_nothing(werkbrug, work, monkeypatch):
    asked = _no_prompt(monkeypatch)
    monkeypatch.delenv("WERKBRUG_PASSWORD", raising=False)          # signing in would have to ask: it must not
    before = snapshot(work)
    code, err = werkbrug("restore", str(work / "in" / "weg.db"))
    assert_dutch_user_error(code, err, "bestaat niet")
    assert asked == [] and snapshot(work) == before


def test_restore_on_a_new_computer_creates_no_database_for_a_folder(tmp_path, capsys):
    db = tmp_path / "nieuw" / "w.db"
    assert run(["--db", str(db), "restore", str(tmp_path)]) == 2
    assert "is een map, geen bestand" in capsys.readouterr().err
    assert not db.parent.exists()


# -- import-workers ----------------------------------------------------------------------------------
def _state(werkbrug_db, capsys):
    """Workers of the demo dossier, as the command line lists them."""
    assert run(["--db", str(werkbrug_db), "workers", "--dossier", "1", "--json"]) == 0
    return capsys.readouterr().out


def _truncated_xlsx(p):
    p.write_bytes((DATA / "werkgever.xlsx").read_bytes()[:700])


def _text_as_xlsx(p):
    p.write_text("Naam;Voornaam\nPeeters;An\n", encoding="utf-8")


def _word_as_xlsx(p):
    import zipfile
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")


def _encrypted_xlsx(p):
    shutil.copy(DATA / "versleuteld.xlsx", p)


@pytest.mark.parametrize("make,needle", [
    (_truncated_xlsx, "is beschadigd of onvolledig"),
    (_text_as_xlsx, "is geen geldig Excel-bestand"),
    (_word_as_xlsx, "is geen geldig Excel-bestand"),
    (_encrypted_xlsx, "is beveiligd met een wachtwoord"),
])
def test_import_workers_from_a_bad_excel_file_is_one_dutch_line(werkbrug, work, capsys, make, needle):
    f = work / "in" / "lijst.xlsx"
    make(f)
    before_rows = _state(work / "db" / "w.db", capsys)
    before = snapshot(work)
    code, err = werkbrug("import-workers", str(f), "--dossier", "1", "--yes")
    assert_dutch_user_error(code, err, "lijst.xlsx", needle)
    assert snapshot(work) == before                                    # no error file, database untouched
    assert _state(work / "db" / "w.db", capsys) == before_rows


def test_import_workers_of_a_folder_says_it_is_a_folder(werkbrug, work):
    folder = work / "in" / "lijst.xlsx"
    folder.mkdir()
    before = snapshot(work)
    code, err = werkbrug("import-workers", str(folder), "--dossier", "1", "--yes")
    assert_dutch_user_error(code, err, "is een map, geen bestand")
    assert snapshot(work) == before
