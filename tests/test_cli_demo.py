"""``demo`` follows the rule of the window's demo button: a beheerder only, and only in a database without
dossiers, so that fictitious workers never land among a cell's real ones."""
import pytest

from core.security import KdfParams, Role
from db.accounts import AccountRepository, login
from tests.conftest import TEST_PASSWORD, TEST_USER

FAST = KdfParams.INSECURE_FAST


def _cli(*argv) -> int:
    from cli.app import run
    from db.connection import set_session_key
    try:
        return run(list(argv))
    finally:
        set_session_key(None)


def _counts(db):
    s = login(db, TEST_USER, TEST_PASSWORD)
    try:
        return tuple(s.db.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("dossiers", "workers"))
    finally:
        s.close()


@pytest.fixture
def empty_db(tmp_path):
    """A database with its beheerder (created by the first command), a consulent and a celcoördinator,
    and no dossier."""
    db = tmp_path / "w.db"
    assert _cli("--db", str(db), "dossiers") == 0
    s = login(db, TEST_USER, TEST_PASSWORD)
    try:
        repo = AccountRepository(s.db, kdf=FAST)
        repo.add("an", "An Peeters", Role.CONSULENT, "Herfst-Peer-2026!y")
        repo.add("co", "Co Ordinator", Role.COORDINATOR, "Lente-Kers-2026!z")
    finally:
        s.close()
    return db


@pytest.mark.parametrize("user,password,role", [("an", "Herfst-Peer-2026!y", "Consulent"),
                                                ("co", "Lente-Kers-2026!z", "Celcoördinator")])
def test_only_a_beheerder_makes_a_demo_dossier(empty_db, monkeypatch, capsys, user, password, role):
    monkeypatch.setenv("WERKBRUG_USER", user)
    monkeypatch.setenv("WERKBRUG_PASSWORD", password)
    capsys.readouterr()
    assert _cli("--db", str(empty_db), "demo", "--workers", "3") == 2
    err = capsys.readouterr().err
    assert f"Je account ({role}) mag dit niet: een demodossier aanmaken" in err and "beheerder" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert _counts(empty_db) == (0, 0)


def test_the_beheerder_makes_one_demo_in_a_database_without_dossiers_and_no_second(empty_db, capsys):
    assert _cli("--db", str(empty_db), "demo", "--workers", "3") == 0
    assert "Demodossier 1 aangemaakt met 3 werknemers." in capsys.readouterr().out
    assert _counts(empty_db) == (1, 3)
    assert _cli("--db", str(empty_db), "demo", "--workers", "3") == 2
    err = capsys.readouterr().err
    assert "al dossiers" in err and "niets gewijzigd" in err and len(err.strip().splitlines()) == 1
    assert _counts(empty_db) == (1, 3)


def test_one_demo_worker_is_said_in_the_singular(tmp_path, capsys):
    assert _cli("--db", str(tmp_path / "w.db"), "demo", "--workers", "1") == 0
    assert "aangemaakt met 1 werknemer." in capsys.readouterr().out
