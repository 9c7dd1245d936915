"""The command line says "1 werknemer", "1 minuut", "1 waarde" for one, and the plural otherwise."""
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
    assert "Het venster vergrendelt na 2.5 minuten zonder activiteit." in capsys.readouterr().out


def test_argparse_asking_one_value():
    assert argparse_message_nl("argument --x: expected 1 argument") == "--x: hier hoort 1 waarde bij"
    assert argparse_message_nl("argument --x: expected 2 arguments") == "--x: hier horen 2 waarden bij"
