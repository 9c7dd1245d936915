"""The recovery key: one extra key slot, wrapped under a printed code, to reset a beheerder's password."""
import io
import json
import logging
import sys

import pytest

from core.errors import UserError
from core.keystore import RECOVERY_LOGIN, BadCredentials, BadRecoveryCode, KeyStore, LockedOut, NoRecoveryKey
from core.security import (RECOVERY_ALPHABET, AccessDenied, KdfParams, Role, new_recovery_code,
                           normalize_recovery_code)
from db.accounts import AccountRepository, create_first_admin, login, recover_account
from db.audit import AuditLog

FAST = KdfParams.INSECURE_FAST
PW = "Proef-Sleutel-2026!"
NEW = "Nieuw-Sterk-Wachtwoord-7?"


@pytest.fixture
def cell(tmp_path):
    path = tmp_path / "w.db"
    admin = create_first_admin(path, "beheer", "Bea Heerder", PW, kdf=FAST)
    AccountRepository(admin.db, kdf=FAST).add("an", "An Peeters", Role.CONSULENT, PW)
    admin.close()
    return path


def _create_code(path) -> str:
    s = login(path, "beheer", PW, kdf=FAST)
    try:
        return AccountRepository(s.db, kdf=FAST).create_recovery_key()
    finally:
        s.close()


def test_codes_are_random_grouped_and_typed_loosely():
    code = new_recovery_code()
    groups = code.split("-")
    assert len(groups) == 7 and all(len(g) == 4 for g in groups)
    raw = normalize_recovery_code(code)
    assert len(raw) * 5 >= 128 and set(raw) <= set(RECOVERY_ALPHABET)
    assert not set("01IO") & set(RECOVERY_ALPHABET)
    assert normalize_recovery_code(" " + code.lower().replace("-", " ") + "\n") == raw
    assert new_recovery_code() != code


def test_recover_a_beheerder_then_sign_in_with_the_new_password(cell):
    path = cell
    code = _create_code(path)
    recover_account(path, "beheer", code.lower().replace("-", " "), NEW, kdf=FAST)
    with pytest.raises(BadCredentials):
        login(path, "beheer", PW, kdf=FAST)
    s = login(path, "beheer", NEW, kdf=FAST)
    entries = AuditLog(s.db).entries()
    rec = [e for e in entries if e.action == "recovery"]
    assert len(rec) == 1 and rec[0].actor == "herstelsleutel" and rec[0].details["login"] == "beheer"
    assert [e.details for e in entries if e.action == "recovery_key"] == [{"event": "created"}]
    assert any(e.action == "account" and e.details.get("event") == "password_changed" for e in entries)
    for e in entries:                                             # the code is never written down
        assert normalize_recovery_code(code) not in json.dumps(e.details) and code not in json.dumps(e.details)
    s.close()
    # the key file is still valid JSON, other slots still work, the recovery key stays valid
    data = json.loads((path.parent / "w.db.keys").read_text(encoding="utf-8"))
    assert len(data["slots"]) == 3
    assert code not in json.dumps(data) and normalize_recovery_code(code) not in json.dumps(data)
    login(path, "an", PW, kdf=FAST).close()
    recover_account(path, "beheer", code, "Nog-Een-Ander-Wachtw00rd!", kdf=FAST)
    login(path, "beheer", "Nog-Een-Ander-Wachtw00rd!", kdf=FAST).close()


def test_wrong_code_is_refused_in_dutch_and_counted(cell):
    path = cell
    code = _create_code(path)
    now = [1_000.0]
    clock = lambda: now[0]  # noqa: E731
    wrong = new_recovery_code()
    with pytest.raises(BadRecoveryCode, match="De herstelsleutel klopt niet"):
        recover_account(path, "beheer", wrong, NEW, kdf=FAST, clock=clock)
    assert KeyStore.for_database(path).failures(RECOVERY_LOGIN) == 1
    for _ in range(4):
        with pytest.raises(BadRecoveryCode):
            recover_account(path, "beheer", wrong, NEW, kdf=FAST, clock=clock)
    with pytest.raises(LockedOut) as e:                          # even the right code waits
        recover_account(path, "beheer", code, NEW, kdf=FAST, clock=clock)
    assert e.value.seconds == 30
    login(path, "beheer", PW, kdf=FAST).close()                  # nothing changed
    now[0] += 30
    recover_account(path, "beheer", code, NEW, kdf=FAST, clock=clock)
    assert KeyStore.for_database(path).failures(RECOVERY_LOGIN) == 0
    login(path, "beheer", NEW, kdf=FAST).close()


def test_replacing_the_key_invalidates_the_old_code(cell):
    path = cell
    old = _create_code(path)
    new = _create_code(path)
    assert old != new
    assert sum(1 for s in KeyStore.for_database(path).slots
               if s["label"] == KeyStore.for_database(path).label(RECOVERY_LOGIN)) == 1
    with pytest.raises(BadRecoveryCode):
        recover_account(path, "beheer", old, NEW, kdf=FAST)
    recover_account(path, "beheer", new, NEW, kdf=FAST)
    s = login(path, "beheer", NEW, kdf=FAST)
    assert [e.details for e in AuditLog(s.db).entries(action="recovery_key")] == [{"event": "created"},
                                                                                  {"event": "replaced"}]
    s.close()


def test_a_consulent_cannot_create_a_recovery_key(cell):
    path = cell
    s = login(path, "an", PW, kdf=FAST)
    with pytest.raises(AccessDenied):
        AccountRepository(s.db, kdf=FAST).create_recovery_key()
    s.close()
    assert not KeyStore.for_database(path).has_recovery_slot


def test_only_active_beheerders_are_recovered_and_weak_passwords_refused(cell):
    path = cell
    with pytest.raises(NoRecoveryKey):
        recover_account(path, "beheer", new_recovery_code(), NEW, kdf=FAST)
    code = _create_code(path)
    with pytest.raises(UserError, match="beheerder"):
        recover_account(path, "an", code, NEW, kdf=FAST)
    with pytest.raises(UserError, match="minstens"):
        recover_account(path, "beheer", code, "kort", kdf=FAST)
    login(path, "beheer", PW, kdf=FAST).close()
    login(path, "an", PW, kdf=FAST).close()


# --- command line ----------------------------------------------------------------------------------------

def _cli(monkeypatch, capsys, db, *args, env=None):
    from cli.app import run
    from db.connection import set_session_key
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    capsys.readouterr()
    with monkeypatch.context() as mp:
        for k, v in (env or {}).items():
            mp.setenv(k, v)
        try:
            code = run(["--db", str(db), *args])
        finally:
            set_session_key(None)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_cli_recovery_key_and_recover(tmp_path, monkeypatch, capsys, caplog):
    from tests.conftest import TEST_PASSWORD, TEST_USER
    db = tmp_path / "w.db"
    monkeypatch.setenv("WERKBRUG_LOG_DIR", str(tmp_path / "log"))
    caplog.set_level(logging.DEBUG)
    assert _cli(monkeypatch, capsys, db, "accounts", "list")[0] == 0          # first admin created
    rc, out, err = _cli(monkeypatch, capsys, db, "accounts", "add", "--login", "an", "--name", "An Peeters",
                        "--role", "consulent", env={"WERKBRUG_NEW_PASSWORD": PW})
    assert rc == 0, err
    rc, out, err = _cli(monkeypatch, capsys, db, "accounts", "recovery-key")
    assert rc == 0, err
    code = next(line for line in out.splitlines() if line.count("-") == 6)
    assert "gesloten omslag" in out and code not in err
    # a consulent may not
    rc, _, err = _cli(monkeypatch, capsys, db, "accounts", "recovery-key",
                      env={"WERKBRUG_USER": "an", "WERKBRUG_PASSWORD": PW})
    assert rc == 2 and "herstelsleutel aanmaken" in err and len(err.strip().splitlines()) == 1
    # wrong code: one Dutch line, exit 2
    monkeypatch.delenv("WERKBRUG_PASSWORD")                              # recovering needs no password
    rc, _, err = _cli(monkeypatch, capsys, db, "accounts", "recover", "--login", TEST_USER,
                      env={"WERKBRUG_RECOVERY_KEY": new_recovery_code(), "WERKBRUG_NEW_PASSWORD": NEW})
    assert rc == 2 and "De herstelsleutel klopt niet" in err and len(err.strip().splitlines()) == 1
    assert KeyStore.for_database(db).failures(RECOVERY_LOGIN) == 1
    rc, out, err = _cli(monkeypatch, capsys, db, "accounts", "recover", "--login", TEST_USER,
                        env={"WERKBRUG_RECOVERY_KEY": code, "WERKBRUG_NEW_PASSWORD": NEW})
    assert rc == 0, err
    assert code not in out + err
    rc, _, err = _cli(monkeypatch, capsys, db, "accounts", "list",
                      env={"WERKBRUG_PASSWORD": TEST_PASSWORD})
    assert rc == 2 and "verkeerd wachtwoord" in err
    rc, out, err = _cli(monkeypatch, capsys, db, "audit", "list", "--json", env={"WERKBRUG_PASSWORD": NEW})
    assert rc == 0, err
    assert "\"recovery\"" in out and "\"recovery_key\"" in out
    assert code not in out and normalize_recovery_code(code) not in out
    # the code never reaches the log
    logged = caplog.text + "".join(p.read_text(encoding="utf-8", errors="replace")
                                   for p in (tmp_path / "log").rglob("*") if p.is_file())
    assert code not in logged and normalize_recovery_code(code) not in logged
