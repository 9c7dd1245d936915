"""Restore checks the backup's key file before anything is swapped, never overwrites an earlier
set-aside copy and writes the key file readable by the owner only; key-file errors are Dutch."""
import datetime as dt
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from core.keystore import KeyFileError, KeyStore
from core.security import KdfParams
from db.accounts import create_first_admin, login
from db.backup import BackupError, backup_to, restore
from db.workers import WorkerRepository
from core.model import Dossier, Worker

FAST = KdfParams.INSECURE_FAST
USER, PW = "beheer", "Heel-Lang-Wachtwoord-2026!"
ENGLISH = ("codec", "Expecting", "Errno", "(format)", "line 1", "decode", "Is a directory")


def _snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def cell(tmp_path):
    """An encrypted database with 2 workers, a backup of it (with its key file) and the key; closed."""
    path = tmp_path / "w.db"
    session = create_first_admin(path, USER, "Bea Heerder", PW, kdf=FAST)
    from db.dossiers import DossierRepository
    d = DossierRepository(session.db).add(Dossier(company_name="Proef NV"))
    for name in ("Peeters", "Janssens"):
        WorkerRepository(session.db).add(Worker(name, "An", dossier_id=d.id))
    (tmp_path / "kopie").mkdir()
    backup = backup_to(session.db, tmp_path / "kopie" / "ok.db")
    key = session.key
    session.close()
    return path, backup, key


def _unlock(keys):
    return keys.unlock(USER, PW)


def _restore(backup, path, **kw):
    return restore(backup, path, key=kw.pop("key"), unlock=_unlock, **kw)


@pytest.mark.parametrize("content", [b"{}", b"\xff\xfe\x00", b"", b"[1, 2]", b"geen json",
                                     json.dumps({"format": "werkbrug-keys", "version": 1, "db_id": "x",
                                                 "slots": [{"label": "a"}]}).encode()])
def test_a_broken_key_file_next_to_the_backup_is_refused_and_nothing_changes(cell, content):
    path, backup, key = cell
    Path(str(backup) + ".keys").write_bytes(content)
    before = _snapshot(path.parent)
    for unlock in (_unlock, None):
        with pytest.raises(BackupError) as e:
            restore(backup, path, key=key, unlock=unlock)
        assert "Er werd niets gewijzigd" in str(e.value) and "van de reservekopie" in str(e.value)
        assert not [w for w in ENGLISH if w in str(e.value)], str(e.value)
        assert _snapshot(path.parent) == before
    login(path, USER, PW).close()                       # the database still opens as before


def test_a_key_file_of_another_database_is_refused(cell, tmp_path):
    path, backup, key = cell
    other = create_first_admin(tmp_path / "ander.db", USER, "Bea", PW, kdf=FAST)
    other.close()
    shutil.copy(tmp_path / "ander.db.keys", str(backup) + ".keys")
    before = _snapshot(path.parent)
    with pytest.raises(BackupError) as e:
        _restore(backup, path, key=key)
    assert "hoort niet bij" in str(e.value)
    assert _snapshot(path.parent) == before


def test_a_key_file_that_does_not_let_the_account_in_is_refused(cell, tmp_path):
    path, backup, key = cell
    with pytest.raises(BackupError) as e:
        restore(backup, path, key=key, unlock=lambda keys: keys.unlock(USER, "Een-Ander-Wachtwoord-99"))
    assert "geeft je account geen toegang" in str(e.value)
    assert KeyStore.load(Path(str(backup) + ".keys")).attempts == {}    # the backup's key file is not touched


def test_a_good_backup_restores_with_a_private_key_file(cell):
    path, backup, key = cell
    old = os.umask(0o022)
    try:
        info, aside = restore(backup, path, key=key)
    finally:
        os.umask(old)
    assert info.workers == 2
    assert stat.S_IMODE(os.stat(str(path) + ".keys").st_mode) == 0o600
    session = login(path, USER, PW)
    assert WorkerRepository(session.db).count() == 2
    session.close()


def test_restores_in_the_same_second_never_overwrite_the_set_aside_copy(cell):
    path, backup, key = cell
    now = dt.datetime(2026, 3, 1, 9, 30, 0)
    original = path.read_bytes()
    _, first = restore(backup, path, key=key, now=now)
    _, second = restore(backup, path, key=key, now=now)
    assert first != second and first.exists() and second.exists()
    assert first.name == "w.db.voor-herstel-20260301-093000" and second.name == "w.db.voor-herstel-20260301-093000-2"
    assert first.read_bytes() == original                # the database as it was before the first restore
    assert Path(str(first) + ".keys").exists() and Path(str(second) + ".keys").exists()


def test_cli_restore_of_a_backup_with_a_broken_key_file(tmp_path, capsys):
    """The audit's case: restore used to say it worked, after which nothing opened any more."""
    from cli.app import run
    from db.connection import set_session_key
    db = tmp_path / "x.db"
    try:
        assert run(["--db", str(db), "demo", "--workers", "3"]) == 0
        assert run(["--db", str(db), "backup", "--out", str(tmp_path / "ok.bak")]) == 0
        shutil.copy(tmp_path / "ok.bak", tmp_path / "bad.bak")
        (tmp_path / "bad.bak.keys").write_text("{}\n")
        capsys.readouterr()
        assert run(["--db", str(db), "restore", str(tmp_path / "bad.bak")]) == 2
        err = capsys.readouterr().err
        assert "bad.bak.keys" in err and "niets gewijzigd" in err and len(err.strip().splitlines()) == 1
        assert not list(tmp_path.glob("x.db.voor-herstel-*"))
        assert run(["--db", str(db), "dossiers"]) == 0
        assert run(["--db", str(db), "restore", str(tmp_path / "ok.bak")]) == 0
        assert run(["--db", str(db), "dossiers"]) == 0
    finally:
        set_session_key(None)


# -- key-file messages in Dutch ---------------------------------------------------------------------------
@pytest.mark.parametrize("kind,reason", [
    ("not utf-8", "geen tekstbestand"), ("not json", "geen geldige JSON"), ("folder", "dit is een map"),
    ("empty object", "geen Werkbrug-sleutelbestand"), ("list", "geen Werkbrug-sleutelbestand"),
    ("empty", "leeg"), ("bad slot", "sleutelvak"), ("missing", "bestaat niet")])
def test_key_file_errors_give_a_dutch_reason(tmp_path, kind, reason):
    kp = tmp_path / "w.db.keys"
    if kind == "not utf-8":
        kp.write_bytes(b"\xff\xfe{")
    elif kind == "not json":
        kp.write_text("{niet: json")
    elif kind == "folder":
        kp.mkdir()
    elif kind == "empty object":
        kp.write_text("{}")
    elif kind == "list":
        kp.write_text("[]")
    elif kind == "empty":
        kp.write_text("")
    elif kind == "bad slot":
        kp.write_text(json.dumps({"format": "werkbrug-keys", "version": 1, "db_id": "abc",
                                  "slots": [{"label": "x", "kdf": {"alg": "argon2id", "t": 1, "m": 8, "p": 1},
                                             "salt": "zz", "wrapped": "00", "mac": "00"}]}))
    with pytest.raises(KeyFileError) as e:
        KeyStore.load(kp)
    msg = str(e.value)
    assert reason in msg and str(kp) in msg, msg
    assert not [w for w in ENGLISH if w in msg], msg


def test_cli_restore_after_a_password_change_takes_the_password_of_then(tmp_path, capsys, monkeypatch):
    """The backup's key file knows the password of the day it was made; restoring it with today's
    password is refused (nobody could sign in afterwards) unless the old one is given."""
    from cli.app import run
    from db.connection import set_session_key
    db = tmp_path / "x.db"
    old = os.environ["WERKBRUG_PASSWORD"]
    try:
        assert run(["--db", str(db), "demo", "--workers", "3"]) == 0
        assert run(["--db", str(db), "backup", "--out", str(tmp_path / "ok.bak")]) == 0
        new = "Een-Ander-Wachtwoord-2027!"
        monkeypatch.setenv("WERKBRUG_NEW_PASSWORD", new)
        assert run(["--db", str(db), "accounts", "passwd"]) == 0
        monkeypatch.setenv("WERKBRUG_PASSWORD", new)
        capsys.readouterr()
        assert run(["--db", str(db), "restore", str(tmp_path / "ok.bak")]) == 2
        err = capsys.readouterr().err
        assert "WERKBRUG_BACKUP_PASSWORD" in err and "niets gewijzigd" in err
        assert not list(tmp_path.glob("x.db.voor-herstel-*"))
        monkeypatch.setenv("WERKBRUG_BACKUP_PASSWORD", old)
        assert run(["--db", str(db), "restore", str(tmp_path / "ok.bak")]) == 0
        assert list(tmp_path.glob("x.db.voor-herstel-*"))
        monkeypatch.setenv("WERKBRUG_PASSWORD", old)          # the restored key file knows the old one
        assert run(["--db", str(db), "dossiers"]) == 0
    finally:
        set_session_key(None)
