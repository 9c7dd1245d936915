"""Files written on the user's request never replace the open database, its companion files or its
key file, nor an existing folder, device or pipe; a folder given as the file to write is refused.

Checked on the library functions (what the window uses too) and on every command with --out:
one Dutch line, exit 2, and nothing written anywhere.
"""
import io
import os
import shutil
import sys
from pathlib import Path

import pytest

from cli.app import run

ENGLISH = ("Error", "error", "Traceback", "Errno", "Is a directory", "No such file")


# -- the guard itself (core.fileio, registered by db.connection.open_database) -------------------------------
def test_open_database_files_are_refused_and_released_after_closing(tmp_path):
    from core.fileio import UnsafeTarget, atomic_path, check_output_file
    from db.connection import open_database
    path = tmp_path / "w.db"
    db = open_database(path)
    before = path.read_bytes()
    for target in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm"), Path(str(path) + "-journal"),
                   Path(str(path) + ".keys"), tmp_path / "." / "w.db"):
        with pytest.raises(UnsafeTarget):
            with atomic_path(target) as tmp:
                tmp.write_text("kapot")
    link = tmp_path / "koppeling.db"
    link.symlink_to(path)
    with pytest.raises(UnsafeTarget) as e:
        check_output_file(link)
    assert "is de database zelf" in str(e.value)
    assert path.read_bytes() == before and not (tmp_path / "w.db.keys").exists()
    db.conn.close()
    check_output_file(path)                      # no longer open: an ordinary file again


def test_two_connections_keep_the_protection_until_both_are_closed(tmp_path):
    from core.fileio import UnsafeTarget, check_output_file
    from db.connection import open_database
    path = tmp_path / "w.db"
    first, second = open_database(path), open_database(path)
    first.conn.close()
    with pytest.raises(UnsafeTarget):
        check_output_file(path)
    second.conn.close()
    check_output_file(path)


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_target_that_is_no_regular_file_is_left_alone(db, tmp_path, kind):
    from db.audit import AuditLog
    from db.backup import BackupError, backup_to
    from core.fileio import UnsafeTarget
    target = tmp_path / "doel"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    with pytest.raises(BackupError) as e:
        backup_to(db, target)
    assert str(target) in str(e.value)
    with pytest.raises(UnsafeTarget):
        AuditLog(db).export_csv(target)
    assert (target.is_fifo() if kind == "fifo" else target.is_dir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doel", "werkbrug.db", "werkbrug.db-shm",
                                                          "werkbrug.db-wal"]


def test_backup_of_an_encrypted_database_checks_its_key_file_target_first(tmp_path):
    """The backup's own key file (<target>.keys) is checked before the copy is written."""
    from db.accounts import create_first_admin
    from db.backup import BackupError, backup_to
    from core.security import KdfParams
    session = create_first_admin(tmp_path / "w.db", "beheer", "Beheer", "Lang-Genoeg-Wachtwoord-1",
                                 kdf=KdfParams.INSECURE_FAST)
    try:
        (tmp_path / "kopie.db.keys").mkdir()
        with pytest.raises(BackupError) as e:
            backup_to(session.db, tmp_path / "kopie.db")
        assert "kopie.db.keys" in str(e.value)
        assert not (tmp_path / "kopie.db").exists()
    finally:
        session.close()


# -- the commands ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from tests.conftest import build_demo_db
    return build_demo_db(tmp_path_factory.mktemp("uitvoer"), 4)


@pytest.fixture
def work(demo_db, tmp_path):
    from tests.conftest import copy_db
    copy_db(demo_db, tmp_path / "w.db")
    return tmp_path


@pytest.fixture
def werkbrug(work, monkeypatch, capsys):
    """Run a command on the copied database; returns (exit code, stderr)."""
    monkeypatch.setenv("WERKBRUG_TRANSFER_PASSPHRASE", "Overdracht-Test-2026")

    def call(*args):
        from db.connection import set_session_key
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        capsys.readouterr()
        try:
            code = run(["--db", str(work / "w.db"), *args])
        finally:
            set_session_key(None)
        return code, capsys.readouterr().err
    return call


def snapshot(folder: Path) -> dict:
    """Every file under ``folder`` (log files aside) with its bytes and kind."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if "log" in p.relative_to(folder).parts[:1]:
            continue
        out[str(p.relative_to(folder))] = p.read_bytes() if p.is_file() else ("map" if p.is_dir() else "ander")
    return out


def assert_refused(code, err, *needles):
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1, err
    assert not [e for e in ENGLISH if e in err], err
    for n in needles:
        assert n in err, err


def _stable(snap: dict) -> dict:
    """The database and its WAL change with every sign-in (audit entry): compare the rest, and which
    files exist."""
    return {k: (v if not k.startswith("w.db") or k.endswith(".keys") else "database") for k, v in snap.items()
            if not k.endswith(("-wal", "-shm"))}


@pytest.mark.parametrize("target", ["w.db", "w.db.keys", "w.db-wal", "w.db-shm"])
@pytest.mark.parametrize("command", [["backup"], ["audit", "export"]])
def test_commands_never_write_over_the_database_or_its_key_file(werkbrug, work, command, target):
    before = _stable(snapshot(work))
    code, err = werkbrug(*command, "--out", str(work / target))
    assert_refused(code, err, str(work / target), "kies een andere bestandsnaam")
    assert _stable(snapshot(work)) == before
    assert not (work / "w.db").read_bytes().startswith(b"\xef\xbb\xbf")      # no CSV over it
    code, err = werkbrug("dossiers")
    assert code == 0, err                           # the database still opens, with its data


@pytest.mark.parametrize("args,name", [
    (["backup", "--out"], "pijp"), (["audit", "export", "--out"], "pijp"),
    (["export-transfer", "--dossier", "1", "--out"], "pijp.werkbrug"), (["plan", "--worker", "1", "--out"], "pijp.pdf"),
    (["plans", "--dossier", "1", "--single"], "pijp.pdf")])
def test_a_fifo_is_never_replaced(werkbrug, work, args, name):
    fifo = work / name
    os.mkfifo(fifo)
    before = _stable(snapshot(work))
    code, err = werkbrug(*args, str(fifo))
    assert_refused(code, err, str(fifo), "geen gewoon bestand")
    assert _stable(snapshot(work)) == before and fifo.is_fifo()


@pytest.mark.parametrize("command", [
    ["backup"], ["audit", "export"], ["export-dossier", "--dossier", "1"], ["export-transfer", "--dossier", "1"],
    ["plan", "--worker", "1"], ["plans", "--dossier", "1", "--single"]])
@pytest.mark.parametrize("form", ["bestaande map", "naam met schuine streep"])
def test_a_folder_as_file_to_write_is_refused(werkbrug, work, command, form):
    """One rule for every --out that names a file: a folder is refused, never a file made next to it
    (uit -> uit.xlsx) or inside it."""
    folder = work / "uit"
    if form == "bestaande map":
        folder.mkdir()
        given = str(folder)
    else:
        given = str(folder) + os.sep
    before = _stable(snapshot(work))
    args = [*command, given] if command[-1] == "--single" else [*command, "--out", given]
    code, err = werkbrug(*args)
    assert_refused(code, err, given, "is een map")
    assert _stable(snapshot(work)) == before


def test_plans_checks_every_file_before_writing_and_names_the_one_in_the_way(werkbrug, work):
    out = work / "plannen"
    code, err = werkbrug("plans", "--dossier", "1", "--out", str(out))
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 4
    shutil.rmtree(out)
    out.mkdir()
    (out / names[2]).mkdir()                       # a folder with the name of the third PDF
    code, err = werkbrug("plans", "--dossier", "1", "--out", str(out))
    assert_refused(code, err, str(out / names[2]), "is een map")
    assert [p.name for p in out.iterdir()] == [names[2]]       # not one PDF written


def test_gdpr_export_checks_both_files_before_writing(werkbrug, work):
    out = work / "inzage"
    (out / "werknemer-1.pdf").mkdir(parents=True)
    code, err = werkbrug("gdpr", "export", "--worker", "1", "--out", str(out))
    assert_refused(code, err, str(out / "werknemer-1.pdf"), "is een map")
    assert [p.name for p in out.iterdir()] == ["werknemer-1.pdf"]


def test_transfer_file_is_never_sealed_over_the_key_file(work, werkbrug):
    """export-transfer adds .werkbrug to a name without it; with it, the target is checked like any other."""
    from db.transfer_file import write_sealed
    from core.fileio import UnsafeTarget
    from db.connection import open_database
    plain = work / "plat.db"
    db = open_database(plain)
    try:
        with pytest.raises(UnsafeTarget):
            write_sealed(Path(str(plain) + ".keys"), {}, source="x", schema=1, passphrase="Overdracht-Test-2026")
    finally:
        db.conn.close()
    assert not Path(str(plain) + ".keys").exists()
