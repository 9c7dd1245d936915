"""Restore is for a beheerder only; it never undoes a GDPR erasure made after the backup (warned, confirmed,
applied again and audited); a transfer file or any other file is recognised before any key or password."""
import os
import shutil
import zipfile

import pytest

from core.keystore import KeyStore
from core.security import KdfParams, Role
from db.accounts import AccountRepository, create_first_admin, login
from db.backup import BackupError, RestoreCancelled, backup_to, check_backup_kind, restore
from tests.conftest import TEST_PASSWORD, TEST_USER, build_demo_db, copy_db

FAST = KdfParams.INSECURE_FAST
AN, AN_PW = "an", "Herfst-Peer-2026!y"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A demo database (3 workers) with a consulent assigned to its dossier."""
    base = tmp_path_factory.mktemp("restore")
    db = build_demo_db(base, 3)
    s = login(db, TEST_USER, TEST_PASSWORD)
    try:
        acc = AccountRepository(s.db, kdf=FAST).add(AN, "An Peeters", Role.CONSULENT, AN_PW)
        AccountRepository(s.db).assign(1, acc.id)
    finally:
        s.close()
    return db


@pytest.fixture
def cell(demo, tmp_path):
    """A copy of the demo database and a backup of it (with its key file) made now."""
    from cli.app import run
    from db.connection import set_session_key
    db = copy_db(demo, tmp_path / "x.db")
    try:
        assert run(["--db", str(db), "backup", "--out", str(tmp_path / "bk1")]) == 0
    finally:
        set_session_key(None)
    return db, tmp_path / "bk1"


def _cli(*argv) -> int:
    from cli.app import run
    from db.connection import set_session_key
    try:
        return run(list(argv))
    finally:
        set_session_key(None)


def _worker(db, worker_id):
    s = login(db, TEST_USER, TEST_PASSWORD)
    try:
        return s.db.conn.execute("SELECT surname, insz, anonymised_at FROM workers WHERE id = ?",
                                 [worker_id]).fetchone()
    finally:
        s.close()


# -- only a beheerder ------------------------------------------------------------------------------------

def test_a_consulent_may_not_restore_and_nothing_changes(cell, monkeypatch, capsys):
    db, bk = cell
    monkeypatch.setenv("WERKBRUG_USER", AN)
    monkeypatch.setenv("WERKBRUG_PASSWORD", AN_PW)
    capsys.readouterr()
    assert _cli("--db", str(db), "restore", str(bk)) == 2
    err = capsys.readouterr().err
    assert "mag dit niet" in err and "reservekopie terugzetten" in err and "beheerder" in err
    assert not list(db.parent.glob("x.db.voor-herstel-*"))      # the database was not replaced


def test_restore_refuses_a_principal_that_is_not_a_beheerder(cell):
    from core.security import AccessDenied, Principal
    db, bk = cell
    with pytest.raises(AccessDenied):
        restore(bk, db, principal=Principal(2, AN, "An Peeters", Role.CONSULENT))
    assert not list(db.parent.glob("x.db.voor-herstel-*"))


def test_without_a_database_only_a_beheerder_of_the_backup_restores_it(cell, tmp_path):
    _, bk = cell
    target = tmp_path / "leeg" / "w.db"
    target.parent.mkdir()
    with pytest.raises(BackupError) as e:
        restore(bk, target, unlock=lambda keys: keys.unlock(AN, AN_PW), admin_login=AN)
    assert "geen actieve beheerder" in str(e.value) and not target.exists()
    restore(bk, target, unlock=lambda keys: keys.unlock(TEST_USER, TEST_PASSWORD), admin_login=TEST_USER)
    assert target.exists()


# -- erasures after the backup -----------------------------------------------------------------------------

def test_an_erasure_after_the_backup_is_listed_and_needs_an_explicit_confirmation(cell, capsys):
    db, bk = cell
    assert _cli("--db", str(db), "--yes", "gdpr", "anonymise", "--worker", "3") == 0
    capsys.readouterr()
    assert _cli("--db", str(db), "--yes", "restore", str(bk)) == 2     # --yes alone does not confirm this
    err = capsys.readouterr().err
    assert "na deze reservekopie" in err and "geanonimiseerd 1 werknemer (nr. 3)" in err and "verzoek" in err
    assert TEST_USER in err and "opnieuw" in err and "--reapply-erasures" in err
    assert not list(db.parent.glob("x.db.voor-herstel-*")) and _worker(db, 3)[0] == "Geanonimiseerd"


def test_a_confirmed_restore_applies_the_erasure_again_and_audits_it(cell, capsys):
    db, bk = cell
    assert _worker(db, 3)[0] != "Geanonimiseerd"
    assert _cli("--db", str(db), "--yes", "gdpr", "anonymise", "--worker", "3") == 0
    capsys.readouterr()
    assert _cli("--db", str(db), "restore", str(bk), "--reapply-erasures") == 0
    out = capsys.readouterr().out
    assert "1 werknemer opnieuw geanonimiseerd" in out
    assert "1 dossier," in out                            # not "1 dossiers"
    surname, insz, anonymised = _worker(db, 3)
    assert surname == "Geanonimiseerd" and insz == "" and anonymised
    assert _worker(db, 2)[0] != "Geanonimiseerd"          # the others are as in the backup
    s = login(db, TEST_USER, TEST_PASSWORD)
    try:
        from db.audit import AuditLog, details_text
        log = AuditLog(s.db)
        assert log.verify().ok
        restored = log.entries(action="backup")[-1]
        assert restored.actor == TEST_USER and restored.details["event"] == "restored"
        assert restored.details["file"] == "bk1"
        assert [e["worker_ids"] for e in restored.details["erased_after_backup"]] == [[3]]
        assert "gewist na de reservekopie" in details_text(restored.details)
        again = log.entries(action="anonymise")[-1]
        assert again.details["worker_ids"] == [3] and again.details["reason"].startswith("opnieuw")
    finally:
        s.close()


def test_a_retention_run_after_the_backup_is_applied_again_and_declining_changes_nothing(cell):
    import datetime as dt
    db, bk = cell
    s = login(db, TEST_USER, TEST_PASSWORD)
    try:
        s.db.conn.execute("UPDATE dossiers SET status = 'afgesloten' WHERE id = 1")
        s.db.conn.execute("UPDATE dossiers SET closed_at = '2015-01-01' WHERE id = 1")     # closed long ago
        s.db.conn.commit()
        from db.gdpr import apply_retention
        assert [c.dossier_id for c in apply_retention(s.db, today=dt.date(2026, 11, 28))] == [1]
        key = s.key
    finally:
        s.close()
    seen = []
    with pytest.raises(RestoreCancelled):
        restore(bk, db, key=key, on_erasures=lambda lost: seen.append(lost) or False)
    assert not list(db.parent.glob("x.db.voor-herstel-*"))
    lost = seen[0]
    assert lost.workers == 3 and len(lost.dossier_uids) == 1
    assert {e.action for e in lost.entries} == {"anonymise", "retention"}
    restore(bk, db, key=key, on_erasures=lambda lost: True, actor=TEST_USER)
    s = login(db, TEST_USER, TEST_PASSWORD)
    try:
        rows = s.db.conn.execute("SELECT surname, anonymised_at FROM workers").fetchall()
        assert rows and all(r[0] == "Geanonimiseerd" and r[1] for r in rows)
        assert s.db.conn.execute("SELECT anonymised_at FROM dossiers WHERE id = 1").fetchone()[0]
    finally:
        s.close()


def test_nothing_erased_since_the_backup_restores_without_a_question(cell, capsys):
    db, bk = cell
    assert _cli("--db", str(db), "restore", str(bk)) == 0
    captured = capsys.readouterr()
    assert "gewist" not in captured.err and "opnieuw" not in captured.out


# -- the wrong kind of file ----------------------------------------------------------------------------------

def test_a_transfer_file_is_named_as_such_before_any_password(cell, monkeypatch, capsys):
    db, _ = cell
    monkeypatch.setenv("WERKBRUG_TRANSFER_PASSPHRASE", "Lange-zin-2026-ok")
    assert _cli("--db", str(db), "export-transfer", "--dossier", "1", "--out", str(db.parent / "t1")) == 0
    transfer = db.parent / "t1.werkbrug"
    monkeypatch.delenv("WERKBRUG_PASSWORD")               # not even signing in is needed to say this
    capsys.readouterr()
    assert _cli("--db", str(db), "restore", str(transfer)) == 2
    err = capsys.readouterr().err
    assert "overdrachtsbestand, geen reservekopie" in err and "import-transfer" in err
    assert "Overdrachtsbestand inlezen" in err and "wachtwoord" not in err
    # renamed, without a key file: the message names the possibilities, not the password
    renamed = shutil.copy(transfer, db.parent / "kopie.db")
    monkeypatch.setenv("WERKBRUG_PASSWORD", TEST_PASSWORD)
    assert _cli("--db", str(db), "restore", str(renamed)) == 2
    err = capsys.readouterr().err
    assert "overdrachtsbestand" in err and "sleutelbestand kopie.db.keys" in err and "wachtwoord" not in err
    assert not list(db.parent.glob("x.db.voor-herstel-*"))


@pytest.mark.parametrize("kind", ["text", "readme", "zip", "transfer zip"])
def test_files_that_are_no_backup_are_refused_before_any_key(tmp_path, kind):
    f = tmp_path / "bestand.db"
    if kind == "text":
        f.write_text("Naam;Voornaam\nPeeters;Jan\n" * 200)
    elif kind == "readme":
        f.write_text(("# Werkbrug\n\nDe werkbank van de consulent. " * 40)[:4096])     # exactly one page
    else:
        with zipfile.ZipFile(f, "w") as z:
            z.writestr("manifest.json" if kind == "transfer zip" else "x.txt", "{}")
            if kind == "transfer zip":
                z.writestr("content.json", "{}")
    with pytest.raises(BackupError) as e:
        check_backup_kind(f)
    msg = str(e.value)
    assert ("overdrachtsbestand" in msg) == (kind == "transfer zip")
    assert kind == "transfer zip" or "geen reservekopie van Werkbrug" in msg
    assert "wachtwoord" not in msg and "niets gewijzigd" in msg


def test_a_real_backup_passes_the_kind_check(cell):
    _, bk = cell
    check_backup_kind(bk)
    assert os.path.getsize(bk) % 512 == 0
    assert KeyStore.load(str(bk) + ".keys").slots


def test_a_cut_off_backup_is_called_damaged_not_foreign(cell, tmp_path):
    _, bk = cell
    with open(bk, "rb") as fh:
        data = fh.read()
    for name, size, keys in (("afgebroken", 100_000, True), ("kort", 600, True), ("zonder-sleutel", 100_000, False)):
        f = tmp_path / name
        f.write_bytes(data[:size])
        if keys:
            shutil.copy(str(bk) + ".keys", str(f) + ".keys")
        with pytest.raises(BackupError) as e:
            check_backup_kind(f)
        msg = str(e.value)
        assert "beschadigd of onvolledig" in msg and "geen reservekopie" not in msg, (name, msg)
        assert "wachtwoord" not in msg and "niets gewijzigd" in msg
    # a file that is clearly something else stays "geen reservekopie", also next to a key file
    other = tmp_path / "lijst.csv"
    other.write_text("Naam;Voornaam\nPeeters;Jan\n" * 30)
    shutil.copy(str(bk) + ".keys", str(other) + ".keys")
    with pytest.raises(BackupError, match="geen reservekopie van Werkbrug"):
        check_backup_kind(other)
