"""Renewing the database key: old key files stop opening the database; nothing is lost, also when
the renewal stops half-way."""
import json
import os

import pytest

from core.errors import UserError
from core.keystore import KeyStore, NeedsNewPassword, keyfile_path
from core.security import Role
from db.accounts import AccountRepository, login
from db.audit import AuditLog
from db.connection import DatabaseKey, WrongKey, _connect_encrypted, _table_counts
from db.rekey import pending_keyfile, rotate_database_key
from tests.db.test_recovery_key import FAST, NEW, PW, _cli
from tests.db.test_recovery_key import cell as recovery_cell  # noqa: F401 - fixture: beheer and an


@pytest.fixture
def cell(recovery_cell):     # noqa: F811
    """beheer, an, bert (switched off) and a recovery key."""
    admin = login(recovery_cell, "beheer", PW, kdf=FAST)
    repo = AccountRepository(admin.db, kdf=FAST)
    repo.add("bert", "Bert Claes", Role.CONSULENT, PW)
    repo.update(repo.by_login("bert").id, active=False)
    repo.create_recovery_key()
    admin.close()
    return recovery_cell


def _state(path):
    s = login(path, "beheer", PW, kdf=FAST)
    try:
        return s.key.raw, _table_counts(s.db.conn), AuditLog(s.db).count()
    finally:
        s.close()


def _opens(path, raw) -> bool:
    try:
        _connect_encrypted(path, DatabaseKey(raw)).close()
        return True
    except WrongKey:
        return False


def test_rotation_re_encrypts_keeps_everything_and_retires_old_key_files(cell, tmp_path):
    old_raw, counts, n_audit = _state(cell)
    old_keyfile = keyfile_path(cell).read_bytes()              # e.g. a copy someone kept
    s = login(cell, "beheer", PW, kdf=FAST)
    result = rotate_database_key(s, PW, kdf=FAST)
    assert result.need_password == ["an"] and result.recovery_dropped
    assert not pending_keyfile(cell).exists() and not cell.with_name(cell.name + ".sleutelwissel.tmp").exists()
    # the old key no longer opens the database; the old key file's slots only give the old key
    assert not _opens(cell, old_raw)
    stolen = tmp_path / "gestolen" / "w.db"
    stolen.parent.mkdir()
    keyfile_path(stolen).write_bytes(old_keyfile)
    assert KeyStore.for_database(stolen).unlock("an", PW) == old_raw
    # the beheerder signs in with the same password; data and audit trail are intact
    s = login(cell, "beheer", PW, kdf=FAST)
    try:
        assert s.key.raw != old_raw
        after = _table_counts(s.db.conn)
        assert {k: v for k, v in after.items() if k not in ("audit_log", "meta")} == \
               {k: v for k, v in counts.items() if k not in ("audit_log", "meta")}
        log = AuditLog(s.db)
        assert log.verify().ok and log.count() > n_audit
        assert any(e.action == "key_rotated" for e in log.entries())
        assert not KeyStore.for_database(cell).has_recovery_slot
        # the other account waits for a new password, with a clear message that an unknown login
        # gets as well (it does not tell which logins exist)
        with pytest.raises(NeedsNewPassword, match="nieuw wachtwoord") as waiting:
            login(cell, "an", PW, kdf=FAST)
        with pytest.raises(NeedsNewPassword) as unknown:
            login(cell, "niemand", PW, kdf=FAST)
        assert str(waiting.value) == str(unknown.value)
        repo = AccountRepository(s.db, kdf=FAST)
        assert repo.waiting_for_password() == {"an"}           # bert is switched off
        repo.set_password(repo.by_login("an").id, NEW)
        assert repo.waiting_for_password() == set()
    finally:
        s.close()
    login(cell, "an", NEW, kdf=FAST).close()
    assert KeyStore.for_database(cell).waiting == []
    # the backup is the database as it was, opened by the old key file and passwords
    login(result.backup, "an", PW, kdf=FAST).close()
    b = login(result.backup, "beheer", PW, kdf=FAST)
    try:
        assert b.key.raw == old_raw and AuditLog(b.db).verify().ok
    finally:
        b.close()


def test_refused_with_nothing_changed(cell):
    old_raw = _state(cell)[0]
    before = keyfile_path(cell).read_bytes()
    s = login(cell, "an", PW, kdf=FAST)
    with pytest.raises(UserError, match="beheerder"):
        rotate_database_key(s, PW, kdf=FAST)
    s.close()
    s = login(cell, "beheer", PW, kdf=FAST)
    with pytest.raises(UserError, match="wachtwoord klopt niet"):
        rotate_database_key(s, "fout", kdf=FAST)
    s.close()
    assert keyfile_path(cell).read_bytes() == before and _opens(cell, old_raw)
    assert not list(cell.parent.glob("*sleutelwissel*"))


@pytest.mark.parametrize("fail_at", [1, 2])
def test_a_rotation_stopped_between_its_steps_is_settled_at_the_next_sign_in(cell, monkeypatch, fail_at):
    """fail_at 1: stopped before the database file was replaced; 2: after it, before the key file."""
    import db.rekey as rekey
    old_raw = _state(cell)[0]
    calls = {"n": 0}
    real_replace = os.replace

    class PowerCut(BaseException):
        """Stops the program where it is: no clean-up runs."""

    def crashing_replace(src, dst):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise PowerCut()
        return real_replace(src, dst)

    monkeypatch.setattr(rekey, "_rename", crashing_replace)
    s = login(cell, "beheer", PW, kdf=FAST)
    with pytest.raises(PowerCut):
        rotate_database_key(s, PW, kdf=FAST)
    monkeypatch.setattr(rekey, "_rename", real_replace)
    assert pending_keyfile(cell).exists()
    if fail_at == 1:
        # nothing was committed: anyone signs in as before, and the stale key file is removed
        login(cell, "an", PW, kdf=FAST).close()
        assert not pending_keyfile(cell).exists() and _opens(cell, old_raw)
        assert not cell.with_name(cell.name + ".sleutelwissel.tmp").exists()
        login(cell, "beheer", PW, kdf=FAST).close()
    else:
        # the database is under the new key: only the beheerder who started can finish it
        with pytest.raises(UserError, match="onderbroken"):
            login(cell, "an", PW, kdf=FAST)
        s = login(cell, "beheer", PW, kdf=FAST)
        try:
            assert s.key.raw != old_raw and AuditLog(s.db).verify().ok
        finally:
            s.close()
        assert not pending_keyfile(cell).exists()
        with pytest.raises(NeedsNewPassword):
            login(cell, "an", PW, kdf=FAST)


def test_a_failed_rename_leaves_everything_as_it_was(cell, monkeypatch):
    import db.rekey as rekey
    old_raw = _state(cell)[0]

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rekey, "_rename", full_disk)
    s = login(cell, "beheer", PW, kdf=FAST)
    with pytest.raises(OSError):
        rotate_database_key(s, PW, kdf=FAST)
    assert not pending_keyfile(cell).exists() and not cell.with_name(cell.name + ".sleutelwissel.tmp").exists()
    assert _opens(cell, old_raw)
    login(cell, "an", PW, kdf=FAST).close()


@pytest.mark.slow
def test_cli_rotate_key(tmp_path, monkeypatch, capsys):
    from tests.conftest import TEST_PASSWORD, TEST_USER
    db = tmp_path / "w.db"
    monkeypatch.setenv("WERKBRUG_LOG_DIR", str(tmp_path / "log"))
    assert _cli(monkeypatch, capsys, db, "accounts", "list")[0] == 0          # first admin created
    rc, _, err = _cli(monkeypatch, capsys, db, "accounts", "add", "--login", "an", "--name", "An Peeters",
                      "--role", "consulent", env={"WERKBRUG_NEW_PASSWORD": PW})
    assert rc == 0, err
    rc, _, err = _cli(monkeypatch, capsys, db, "accounts", "rotate-key", env={"WERKBRUG_USER": "an",
                                                                            "WERKBRUG_PASSWORD": PW})
    assert rc == 2 and "Alleen een beheerder" in err and len(err.strip().splitlines()) == 1
    rc, out, err = _cli(monkeypatch, capsys, db, "accounts", "rotate-key")
    assert rc == 0, err
    assert "vernieuwd" in out and "accounts passwd" in out and "an" in out
    rc, _, err = _cli(monkeypatch, capsys, db, "accounts", "list", env={"WERKBRUG_USER": "an",
                                                                      "WERKBRUG_PASSWORD": PW})
    assert rc == 2 and "nieuw wachtwoord" in err
    rc, out, err = _cli(monkeypatch, capsys, db, "accounts", "list", "--json")
    assert rc == 0, err
    assert {a["login"]: a["needs_new_password"] for a in json.loads(out)} == {TEST_USER: False, "an": True}
    rc, out, err = _cli(monkeypatch, capsys, db, "audit", "verify", env={"WERKBRUG_USER": TEST_USER,
                                                                       "WERKBRUG_PASSWORD": TEST_PASSWORD})
    assert rc == 0 and "in orde" in out + err
