"""Killed backups, restores and imports leave nothing behind for long: their temporary files carry the id of
the process that writes them and are removed at the next start, backup, restore or import once that process
is gone (a file of a process that still runs is kept); the error list of an import reaches the disk only
after the commit, so a killed import leaves no names or INSZ in a hidden file."""
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from core.fileio import process_alive, remove_stale_files
from core.model import Dossier, Worker
from core.security import KdfParams
from db.accounts import create_first_admin, login
from db.backup import backup_dir_for, backup_now, backup_to, settle_interrupted_restore

FAST = KdfParams.INSECURE_FAST
USER, PW = "beheer", "Heel-Lang-Wachtwoord-2026!"
ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "import"


def _dead_pid() -> str:
    pid = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                         text=True).stdout.strip()
    assert not process_alive(int(pid))
    return pid


@pytest.fixture
def cell(tmp_path):
    """An encrypted database with 2 workers and a backup of it; closed."""
    from db.dossiers import DossierRepository
    from db.workers import WorkerRepository
    path = tmp_path / "w.db"
    session = create_first_admin(path, USER, "Bea Heerder", PW, kdf=FAST)
    d = DossierRepository(session.db).add(Dossier(company_name="Proef NV"))
    for name in ("Peeters", "Janssens"):
        WorkerRepository(session.db).add(Worker(name, "An", dossier_id=d.id))
    (tmp_path / "kopie").mkdir()
    backup = backup_to(session.db, tmp_path / "kopie" / "ok.db")
    key = session.key
    session.close()
    return path, backup, key


def _run_killed(code: str, *args) -> None:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *map(str, args)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 9, done.stderr


def test_a_killed_backup_leaves_a_copy_that_the_next_backup_removes(cell):
    path, backup, key = cell
    backups = backup_dir_for(path)
    _run_killed("""
        import os, sys
        sys.path.insert(0, sys.argv[1])
        import db.connection as c
        from db.backup import backup_now, backup_dir_for
        c.os.replace = lambda *a: os._exit(9)          # killed when the copy is complete, before its rename
        db = c.open_database(sys.argv[2], key=c.DatabaseKey(bytes.fromhex(sys.argv[3])))
        backup_now(db, backup_dir_for(sys.argv[2]))
    """, ROOT, path, key.raw.hex())
    left = [p.name for p in backups.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and left[0].startswith("werkbrug-")
    session = login(path, USER, PW)
    try:
        made = backup_now(session.db, backups)
    finally:
        session.close()
    assert sorted(p.name for p in backups.iterdir()) == sorted([made.name, made.name + ".keys"])


def test_a_restore_killed_while_preparing_its_copy_leaves_nothing_after_the_next_start(cell):
    path, backup, key = cell
    _run_killed("""
        import os, sys
        sys.path.insert(0, sys.argv[1])
        from pathlib import Path
        import db.backup as B
        from db.connection import DatabaseKey
        B._record_restore = lambda *a, **k: os._exit(9)
        B.restore(Path(sys.argv[3]), Path(sys.argv[2]), key=DatabaseKey(bytes.fromhex(sys.argv[4])),
                  unlock=lambda ks: ks.unlock("beheer", "Heel-Lang-Wachtwoord-2026!"))
    """, ROOT, path, backup, key.raw.hex())
    assert [p for p in path.parent.iterdir() if p.name.startswith(".werkbrug-herstel-")]
    login(path, USER, PW).close()                         # the next start
    assert sorted(p.name for p in path.parent.iterdir()) == ["kopie", "w.db", "w.db.keys"]


def test_only_files_of_processes_that_are_gone_are_removed(cell):
    path, backup, key = cell
    dead, alive = _dead_pid(), str(os.getppid())
    backups = backup_dir_for(path)
    backups.mkdir()
    stale = [path.parent / f".werkbrug-herstel-{dead}-133726123456.db{s}" for s in ("", "-wal", "-shm", ".keys")]
    stale += [backups / f"werkbrug-20261128-133726.db.{dead}-zpl21ele.tmp{s}" for s in ("", "-journal")]
    old_style = backups / "werkbrug-20261128-133728.db.58183a4_.tmp"       # no process id: removed when old
    running = [path.parent / f".werkbrug-herstel-{alive}-133726123456.db",
               path.parent / f".werkbrug-herstel-{os.getpid()}-133726123456.db",
               backups / f"werkbrug-20261128-133726.db.{alive}-abc.tmp", backups / "werkbrug-20261128-133729.db.x_1.tmp"]
    others = [backups / "werkbrug-20261128-133726.db", path.parent / "notities.werkbrug-herstel-1-1.db",
              path.parent / "w.db.voor-herstel-20261128-133726"]
    for p in stale + running + others + [old_style]:
        p.write_bytes(b"x")
    os.utime(old_style, (1, 1))
    settle_interrupted_restore(path)
    assert not [p for p in stale + [old_style] if p.exists()]
    assert all(p.exists() for p in running + others)


def test_a_copy_a_restore_journal_still_needs_is_kept(cell):
    from db.backup import restore_journal
    path, backup, key = cell
    dead = _dead_pid()
    staged = path.with_name(f".werkbrug-herstel-{dead}-101010000000.db")
    shutil.copy(path, staged)
    other = path.with_name(f".werkbrug-herstel-{dead}-111111000000.db")
    other.write_bytes(b"x")
    restore_journal(path).write_text(json.dumps({"pid": os.getpid(), "staged": staged.name,
                                                 "aside": "w.db.voor-herstel-20260101-101010", "present": [""]}))
    settle_interrupted_restore(path)                      # the restore "runs" (this process): left alone
    assert staged.exists() and not other.exists()


def test_remove_stale_files_keeps_young_files_without_a_process_id(tmp_path):
    import re
    young, old = tmp_path / "a.tmp", tmp_path / "b.tmp"
    young.write_text("x")
    old.write_text("x")
    os.utime(old, (time.time() - 7 * 3600,) * 2)
    assert remove_stale_files(tmp_path, re.compile(r"^.\.tmp$")) == [old]
    assert young.exists()


# -- the error list of an import -------------------------------------------------------------------------

@pytest.fixture
def import_setup(tmp_path, capsys):
    from cli.app import run
    db = tmp_path / "w.db"
    assert run(["--db", str(db), "--yes", "demo", "--workers", "3", "--json"]) == 0
    dossier = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["dossier"]
    src = tmp_path / "bron" / "werkgever.xlsx"
    src.parent.mkdir()
    shutil.copy(DATA / "werkgever.xlsx", src)
    return src, ["--db", str(db), "import-workers", str(src), "--dossier", str(dossier), "--yes", "--json"]


def test_until_the_commit_the_hidden_error_file_holds_no_personal_data(import_setup, capsys, monkeypatch):
    from cli.app import run
    import db.import_mappings as im
    src, base = import_setup
    seen = {}
    real = im.commit_import

    def commit(*a, **kw):             # what a kill during the commit would leave
        seen.update({p.name: p.read_bytes() for p in src.parent.iterdir() if p.name.startswith(".")})
        return real(*a, **kw)

    monkeypatch.setattr(im, "commit_import", commit)
    assert run(base) == 0
    error_file = src.parent / "werkgever.fouten.csv"
    assert error_file.exists() and len(error_file.read_text(encoding="utf-8-sig").splitlines()) > 1
    assert list(seen) == [f".werkgever.fouten.csv.{os.getpid()}.part"]
    assert seen[f".werkgever.fouten.csv.{os.getpid()}.part"].decode("utf-8-sig") == ""
    assert sorted(p.name for p in src.parent.iterdir()) == ["werkgever.fouten.csv", "werkgever.xlsx"]


def test_a_hidden_error_file_of_a_killed_import_is_removed_at_the_next_import(import_setup, capsys):
    from cli.app import run
    src, base = import_setup
    dead, alive = _dead_pid(), str(os.getppid())
    killed = src.parent / f".lijst.fouten.csv.{dead}.part"
    earlier = src.parent / ".big40000.fouten.csv.part"          # written by an earlier version, an hour ago
    running = src.parent / f".ander.fouten.csv.{alive}.part"
    for p in (killed, earlier, running):
        p.write_text("Rij;Naam;INSZ\n3;Peeters;85073100327\n", encoding="utf-8")
    os.utime(earlier, (time.time() - 2 * 3600,) * 2)
    assert run(base) == 0
    assert not killed.exists() and not earlier.exists() and running.exists()
