"""The command line says "1 werknemer", "1 minuut", "1 waarde" for one, and the plural otherwise."""
import pytest

from cli.app import argparse_message_nl, run
from db.connection import set_session_key


def _cli(*argv) -> int:
    try:
        return run(list(argv))
    finally:
        set_session_key(None)


def test_anonymising_one_worker_and_a_dossier_of_two(tmp_path, capsys):
    db = str(tmp_path / "w.db")
    assert _cli("--db", db, "demo", "--workers", "3") == 0
    capsys.readouterr()
    assert _cli("--db", db, "--yes", "gdpr", "anonymise", "--worker", "1") == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "1 werknemer geanonimiseerd."
    assert _cli("--db", db, "--yes", "gdpr", "anonymise", "--dossier", "1") == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "2 werknemers geanonimiseerd."


def test_an_idle_lock_of_one_minute(tmp_path, capsys):
    db = str(tmp_path / "w.db")
    assert _cli("--db", db, "accounts", "idle-lock", "--minutes", "1") == 0
    assert "Het venster vergrendelt na 1 minuut zonder activiteit." in capsys.readouterr().out
    assert _cli("--db", db, "accounts", "idle-lock", "--minutes", "2.5") == 0
    assert "Het venster vergrendelt na 2,5 minuten zonder activiteit." in capsys.readouterr().out


@pytest.mark.parametrize("typed", ["2,5", "2.5", " 2,5 "])
def test_an_idle_lock_typed_with_a_decimal_comma_or_point(tmp_path, capsys, typed):
    """Minutes are written with a decimal comma in Dutch: "2,5" is two and a half minutes, shown as such."""
    db = str(tmp_path / "w.db")
    assert _cli("--db", db, "accounts", "idle-lock", "--minutes", typed) == 0
    assert "Het venster vergrendelt na 2,5 minuten zonder activiteit." in capsys.readouterr().out
    assert _cli("--db", db, "accounts", "idle-lock") == 0
    assert "na 2,5 minuten" in capsys.readouterr().out
    assert _cli("--db", db, "audit", "list") == 0
    assert "vergrendeling na inactiviteit (minuten) van 10 naar 2,5" in capsys.readouterr().out


@pytest.mark.parametrize("typed, says", [
    ("0", "tussen 1 en 240 minuten; 0 kan niet"), ("-3", "tussen 1 en 240 minuten; -3 kan niet"),
    ("0,5", "tussen 1 en 240 minuten; 0,5 kan niet"), ("100000", "tussen 1 en 240 minuten; 100000 kan niet"),
    ("1e9", "tussen 1 en 240 minuten"), ("", "geen aantal minuten"), ("tien", "\"tien\" is geen aantal minuten"),
    ("nan", "geen aantal minuten"), ("inf", "geen aantal minuten"), ("1.000,5", "geen aantal minuten")])
def test_an_idle_lock_that_is_no_number_of_minutes_is_refused_in_dutch(tmp_path, capsys, typed, says):
    db = str(tmp_path / "w.db")
    assert _cli("--db", db, "accounts", "idle-lock", "--minutes", "5") == 0
    capsys.readouterr()
    with pytest.raises(SystemExit) as e:
        _cli("--db", db, "accounts", "idle-lock", "--minutes", typed)
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert says in err and "--minutes" in err and "Traceback" not in err, err
    assert _cli("--db", db, "accounts", "idle-lock") == 0
    assert "na 5 minuten" in capsys.readouterr().out                  # nothing changed


def test_argparse_asking_one_value():
    assert argparse_message_nl("argument --x: expected 1 argument") == "--x: hier hoort 1 waarde bij"
    assert argparse_message_nl("argument --x: expected 2 arguments") == "--x: hier horen 2 waarden bij"
