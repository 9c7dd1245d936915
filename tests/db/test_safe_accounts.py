"""Signing in never writes to a key file whose database is empty, missing or damaged; account
passwords are never empty, logins never hold control characters, display names are never empty."""
import os
import shutil
from pathlib import Path

import pytest

from core.errors import UserError
from core.security import KdfParams
from db.accounts import AccountRepository, create_first_admin, login, recover_account
from db.errors import DatabaseError

FAST = KdfParams.INSECURE_FAST
USER, PW = "beheer", "Heel-Lang-Wachtwoord-2026!"


@pytest.fixture
def keys(tmp_path):
    """The key file of a real encrypted database (closed), to put next to other files."""
    session = create_first_admin(tmp_path / "echt.db", USER, "Bea Heerder", PW, kdf=FAST)
    session.close()
    return tmp_path / "echt.db.keys"


def _files(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("kind", ["nul bytes", "ontbreekt"])
def test_a_key_file_without_its_database_is_refused_and_nothing_is_written(tmp_path, keys, kind):
    folder = tmp_path / "zk"
    folder.mkdir()
    db = folder / "zk.db"
    if kind == "nul bytes":
        db.write_bytes(b"")
    shutil.copy(keys, folder / "zk.db.keys")
    before = _files(folder)
    for password in (PW, "Fout-Wachtwoord-123"):
        with pytest.raises(DatabaseError) as e:
            login(db, USER, password)
        assert "leeg of ontbreekt" in str(e.value) and "reservekopie" in str(e.value)
    with pytest.raises(DatabaseError):
        recover_account(db, USER, "ABCD-EFGH", "Nieuw-Wachtwoord-2026!")
    assert _files(folder) == before                 # no schema created, no failed-login counter written


def test_a_damaged_database_next_to_its_key_file_is_said_to_be_damaged(tmp_path, keys):
    folder = tmp_path / "rommel"
    folder.mkdir()
    db = folder / "r.db"
    db.write_bytes(os.urandom(4096))
    shutil.copy(keys, folder / "r.db.keys")
    before = _files(folder)
    with pytest.raises(DatabaseError) as e:
        login(db, USER, PW)
    assert "beschadigd" in str(e.value) and "reservekopie" in str(e.value)
    assert "wachtwoord" not in str(e.value).lower()
    assert _files(folder) == before


def test_cli_an_empty_database_with_a_key_file_then_restore(tmp_path, capsys):
    from cli.app import run
    from db.connection import set_session_key
    good = tmp_path / "x.db"
    try:
        assert run(["--db", str(good), "demo", "--workers", "3"]) == 0
        assert run(["--db", str(good), "backup", "--out", str(tmp_path / "ok.bak")]) == 0
        empty = tmp_path / "zk.db"
        empty.write_bytes(b"")
        shutil.copy(str(good) + ".keys", str(empty) + ".keys")
        keys_before = Path(str(empty) + ".keys").read_bytes()
        capsys.readouterr()
        assert run(["--db", str(empty), "dossiers"]) == 2
        err = capsys.readouterr().err
        assert "leeg of ontbreekt" in err and "Onbekende gebruikersnaam" not in err
        assert empty.stat().st_size == 0 and Path(str(empty) + ".keys").read_bytes() == keys_before
        assert run(["--db", str(empty), "restore", str(tmp_path / "ok.bak")]) == 0   # what the message advises
        capsys.readouterr()
        assert run(["--db", str(empty), "dossiers"]) == 0
        assert "Demo" in capsys.readouterr().out
    finally:
        set_session_key(None)


# -- passwords, logins, names ---------------------------------------------------------------------------------
@pytest.mark.parametrize("password", ["", "   "])
def test_no_beheerder_with_an_empty_password(tmp_path, password):
    with pytest.raises(UserError) as e:
        create_first_admin(tmp_path / "w.db", USER, "Bea", password, kdf=FAST, check_strength=False)
    assert "leeg wachtwoord" in str(e.value)
    assert list(tmp_path.iterdir()) == []


def test_cli_empty_password_in_the_environment_creates_nothing(tmp_path, monkeypatch, capsys):
    from cli.app import run
    monkeypatch.setenv("WERKBRUG_PASSWORD", "")
    assert run(["--db", str(tmp_path / "w.db"), "dossiers"]) == 2
    assert "leeg wachtwoord" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def admin(tmp_path):
    session = create_first_admin(tmp_path / "w.db", USER, "Bea Heerder", PW, kdf=FAST)
    yield session, AccountRepository(session.db, kdf=FAST)
    session.close()


def test_account_passwords_are_never_empty(admin):
    session, repo = admin
    with pytest.raises(UserError):
        repo.add("els", "Els Peeters", "consulent", "", check_strength=False)
    acc = repo.add("els", "Els Peeters", "consulent", PW)
    with pytest.raises(UserError):
        repo.set_password(acc.id, "", check_strength=False)
    assert repo.check_password(acc.id, PW)


@pytest.mark.parametrize("name", ["a\x01b", "a\x00b", "el\u200bs", "a\x7fb"])
def test_control_characters_in_a_login_are_refused_not_removed(admin, tmp_path, name):
    session, repo = admin
    with pytest.raises(UserError) as e:
        repo.add(name, "Iemand", "consulent", PW)
    assert "stuurtekens" in str(e.value)
    assert [a.login for a in repo.list()] == [USER]
    with pytest.raises(UserError):
        create_first_admin(tmp_path / "ander.db", name, "Iemand", PW, kdf=FAST)
    assert not (tmp_path / "ander.db").exists() and not (tmp_path / "ander.db.keys").exists()


@pytest.mark.parametrize("name", ["", "   ", "Els\nPeeters"])
def test_a_display_name_is_required_and_plain(admin, name):
    session, repo = admin
    with pytest.raises(UserError):
        repo.add("els", name, "consulent", PW)
    acc = repo.add("els", "Els Peeters", "consulent", PW)
    with pytest.raises(UserError):
        repo.update(acc.id, name=name)
    assert repo.get(acc.id).name == "Els Peeters"


def test_cli_accounts_add_with_an_empty_name_is_refused(tmp_path, monkeypatch, capsys):
    from cli.app import run
    from db.connection import set_session_key
    db = str(tmp_path / "w.db")
    try:
        assert run(["--db", db, "dossiers"]) == 0
        monkeypatch.setenv("WERKBRUG_NEW_PASSWORD", "Nog-Een-Lang-Wachtwoord-7")
        capsys.readouterr()
        assert run(["--db", db, "accounts", "add", "--login", "els", "--name", "", "--role", "consulent"]) == 2
        assert "naam is verplicht" in capsys.readouterr().err
        assert run(["--db", db, "accounts", "add", "--login", "a\x01b", "--name", "A B", "--role", "consulent"]) == 2
        assert "stuurtekens" in capsys.readouterr().err
    finally:
        set_session_key(None)


def test_a_role_typed_without_the_trema_or_in_capitals_is_that_role(tmp_path, monkeypatch, capsys):
    from cli.app import run
    from core.security import Role
    from db.connection import set_session_key
    assert Role("celcoordinator") is Role("Celcoördinator") is Role(" CEL-COORDINATOR ".strip()) is Role.COORDINATOR
    assert Role("Beheerder") is Role.ADMIN
    with pytest.raises(ValueError):
        Role("coordinator")
    db = str(tmp_path / "w.db")
    try:
        assert run(["--db", db, "dossiers"]) == 0
        monkeypatch.setenv("WERKBRUG_NEW_PASSWORD", "Nog-Een-Lang-Wachtwoord-7")
        capsys.readouterr()
        assert run(["--db", db, "accounts", "add", "--login", "els", "--name", "Els Peeters",
                    "--role", "celcoordinator"]) == 0
        assert "(celcoördinator)" in capsys.readouterr().out
        assert run(["--db", db, "accounts", "add", "--login", "jan", "--name", "Jan Peeters",
                    "--role", "Consulent"]) == 0
        capsys.readouterr()
        with pytest.raises(SystemExit):
            run(["--db", db, "accounts", "add", "--login", "x", "--name", "X Y", "--role", "baas"])
        assert "onbekende rol baas" in capsys.readouterr().err
    finally:
        set_session_key(None)
