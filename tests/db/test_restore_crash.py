"""A restore killed at any moment (power cut, kill -9) never brings an erased worker back: the erasures made
since the backup and the audit entry are written in the copy before it replaces anything, and the next start
finishes a swap that was under way. A database that still cannot be opened says where the one of before is."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core.model import Dossier, Worker
from core.security import KdfParams
from db.accounts import create_first_admin, login
from db.backup import backup_to, restore, restore_journal
from db.errors import DatabaseError

FAST = KdfParams.INSECURE_FAST
USER, PW = "beheer", "Heel-Lang-Wachtwoord-2026!"
ROOT = Path(__file__).resolve().parents[2]

# Runs a restore in another process and ends that process (os._exit, as a power cut would) at a chosen
# moment: "stage" while the copy is prepared, or before the n-th rename once the swap has started.
CHILD = textwrap.dedent("""
    import json, os, sys
    sys.path.insert(0, {root!r})
    from pathlib import Path
    import db.backup as B
    from core.keystore import KeyStore
    from db.connection import DatabaseKey
    path, backup, key, point = Path(sys.argv[1]), Path(sys.argv[2]), DatabaseKey(bytes.fromhex(sys.argv[3])), sys.argv[4]
    journal = B.restore_journal(path)
    if point == "stage":
        real_record = B._record_restore
        def record(db, *a, **k):
            real_record(db, *a, **k)
            os._exit(9)
        B._record_restore = record
    else:
        real, calls = os.replace, [0]
        def replace(src, dst):
            if journal.exists() and Path(dst) != journal:
                if calls[0] == int(point):
                    os._exit(9)
                calls[0] += 1
            return real(src, dst)
        os.replace = replace
    B.restore(backup, path, key=key, unlock=lambda ks: ks.unlock({user!r}, {pw!r}), on_erasures=lambda lost: True,
              actor={user!r})
    print("finished")
""").format(root=str(ROOT), user=USER, pw=PW)


@pytest.fixture
def cell(tmp_path):
    """An encrypted database with 2 workers, a backup of it, then worker 2 anonymised (after the backup)."""
    from db.dossiers import DossierRepository
    from db.gdpr import anonymise_workers
    from db.workers import WorkerRepository
    path = tmp_path / "w.db"
    session = create_first_admin(path, USER, "Bea Heerder", PW, kdf=FAST)
    d = DossierRepository(session.db).add(Dossier(company_name="Proef NV"))
    for name in ("Peeters", "Janssens"):
        WorkerRepository(session.db).add(Worker(name, "An", dossier_id=d.id))
    (tmp_path / "kopie").mkdir()
    backup = backup_to(session.db, tmp_path / "kopie" / "ok.db")
    anonymise_workers(session.db, [2])
    key = session.key
    session.close()
    return path, backup, key


def _kill_restore_at(cell, point) -> str:
    path, backup, key = cell
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(backup), key.raw.hex(), str(point)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode in (0, 9), done.stderr
    return "finished" if "finished" in done.stdout else "killed"


def _state(path):
    """(surname of worker 2, restore entries in the audit trail, chain intact) after signing in."""
    from db.audit import AuditLog
    session = login(path, USER, PW)
    try:
        surname = session.db.conn.execute("SELECT surname FROM workers WHERE id = 2").fetchone()[0]
        log = AuditLog(session.db)
        restored = [e for e in log.entries(action="backup") if e.details.get("event") == "restored"]
        return surname, restored, log.verify().ok
    finally:
        session.close()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".werkbrug-herstel-")
                  or p.name.endswith(".herstel-bezig"))


def test_killed_while_the_copy_is_prepared_nothing_changed(cell):
    path, backup, key = cell
    assert _kill_restore_at(cell, "stage") == "killed"
    surname, restored, ok = _state(path)
    assert surname == "Geanonimiseerd" and restored == [] and ok
    assert not restore_journal(path).exists() and not list(path.parent.glob("w.db.voor-herstel-*"))


@pytest.mark.parametrize("point", [0, 1, 2, 3])           # before: setting the database aside, its key file,
def test_killed_during_the_swap_the_next_start_finishes_the_restore(cell, point):   # new key file, new database
    path, backup, key = cell
    assert _kill_restore_at(cell, point) == "killed"
    assert restore_journal(path).exists()
    surname, restored, ok = _state(path)
    assert surname == "Geanonimiseerd"                    # never "Janssens" again
    assert len(restored) == 1 and ok
    assert [e["worker_ids"] for e in restored[0].details["erased_after_backup"]] == [[2]]
    aside = [p for p in path.parent.glob("w.db.voor-herstel-*") if not p.name.endswith(".keys")]
    assert len(aside) == 1 and Path(str(aside[0]) + ".keys").is_file()       # the database of before, whole
    assert not restore_journal(path).exists() and _leftovers(path.parent) == []


def test_a_restore_that_is_not_interrupted_leaves_no_journal(cell):
    path, backup, key = cell
    assert _kill_restore_at(cell, 99) == "finished"
    assert not restore_journal(path).exists() and _leftovers(path.parent) == []
    assert _state(path)[0] == "Geanonimiseerd"


def test_a_journal_of_a_running_restore_is_left_alone(cell):
    path, backup, key = cell
    journal = restore_journal(path)
    staged = path.with_name(f".werkbrug-herstel-{os.getpid()}-101010000000.db")
    staged.write_bytes(b"x")
    journal.write_text(json.dumps({"pid": os.getpid(), "staged": staged.name, "aside": "w.db.voor-herstel-20260101-"
                                   "101010", "present": ["", ".keys"]}))
    from db.backup import settle_interrupted_restore
    assert settle_interrupted_restore(path) is False
    assert journal.exists() and staged.exists() and path.exists()


def test_a_database_that_cannot_be_opened_after_a_restore_says_where_the_previous_one_is(cell):
    path, backup, key = cell
    aside = path.with_name("w.db.voor-herstel-20261128-133726")
    os.replace(path, aside)                               # as an interrupted restore of an earlier version left it
    os.replace(str(path) + ".keys", str(aside) + ".keys")
    Path(str(path) + ".keys").write_bytes(Path(str(aside) + ".keys").read_bytes())
    with pytest.raises(DatabaseError) as e:
        login(path, USER, PW)
    text = str(e.value)
    assert aside.name in text and "w.db.voor-herstel-20261128-133726.keys" in text and "onderbroken" in text
    path.write_bytes(os.urandom(4096))                   # a key file that is not the database's
    with pytest.raises(DatabaseError) as e:
        login(path, USER, PW)
    assert aside.name in str(e.value)


def test_a_journal_that_cannot_be_read_is_reported_with_the_previous_database(cell):
    path, backup, key = cell
    restore(backup, path, key=key, unlock=lambda ks: ks.unlock(USER, PW), on_erasures=lambda lost: True)
    restore_journal(path).write_text("{kapot")
    with pytest.raises(DatabaseError) as e:
        login(path, USER, PW)
    assert "w.db.voor-herstel-" in str(e.value) and "onderbroken" in str(e.value)
