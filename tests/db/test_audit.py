"""The audit trail: reads, changes, exports and prints are logged; the chain reveals tampering."""
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.model import Dossier, FunctionalLimitation, TrajectoryPlan, Worker
from core.security import KdfParams
from db.accounts import create_first_admin, login
from db.audit import AuditLog
from db.dossiers import DossierRepository
from db.plans import PlanRepository
from db.workers import WorkerRepository

FAST = KdfParams.INSECURE_FAST
PW = "Proef-Sleutel-2026!"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def session(tmp_path):
    s = create_first_admin(tmp_path / "w.db", "beheer", "Bea Heerder", PW, kdf=FAST)
    yield s
    s.close()


def _worker(s):
    d = DossierRepository(s.db).add(Dossier(company_name="Metaal NV"))
    return WorkerRepository(s.db).add(Worker(surname="Claes", first_names="Mia", dossier_id=d.id, street="Kerkstraat 1",
                                             counsellor="beheer",
                                             limitations=[FunctionalLimitation(kind="rug", note="Hernia L4")]),
                                      validate=False)


def test_read_change_export_print_are_logged_with_account(session):
    w = _worker(session)
    repo = WorkerRepository(session.db)
    repo.view(w.id)                                                   # the GUI's read
    w.street = "Molenstraat 9"
    w.limitations[0].note = "Hernia L5"
    repo.update(w, validate=False)
    session.audit.exported("werknemerslijst", "dossier", w.dossier_id, destination="lijst.xlsx", count=1)
    plan = PlanRepository(session.db).save(TrajectoryPlan(worker_id=w.id, counsellor="beheer"))
    PlanRepository(session.db).mark_printed(plan.id)
    log = AuditLog(session.db)
    by_action = {}
    for e in log.entries():
        by_action.setdefault(e.action, []).append(e)
        assert e.actor == "beheer" and e.ts.endswith("Z")
    assert {"view", "change", "export", "print", "create", "login"} <= set(by_action)
    change = [e for e in by_action["change"] if e.entity == "worker"][0]
    assert change.details["fields"] == ["limitations", "street"]
    assert change.values == {"street": {"old": "Kerkstraat 1", "new": "Molenstraat 9"}}   # no health values
    every_text = json.dumps([e.as_dict() for e in log.entries()], ensure_ascii=False)
    assert "Hernia" not in every_text
    assert by_action["view"][0].details == {"sensitive_fields": ["limitations"]}


def test_log_is_append_only(session):
    _worker(session)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        session.db.conn.execute("UPDATE audit_log SET actor = 'iemand' WHERE id = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        session.db.conn.execute("DELETE FROM audit_log WHERE id = 1")


def test_tampering_is_detected_at_the_first_broken_entry(session):
    _worker(session)
    log = AuditLog(session.db)
    assert log.verify().ok
    n = log.count()
    x = session.db.conn.execute
    x("DROP TRIGGER audit_log_no_update")                             # someone with the key and a SQLite tool
    x("UPDATE audit_log SET actor = 'niemand' WHERE id = 3")
    session.db.conn.commit()
    check = log.verify()
    assert not check.ok and check.broken_id == 3 and "regel 3" in check.message()
    assert check.checked <= n


def test_deleted_entry_and_edited_values_are_detected(session):
    w = _worker(session)
    w.street = "Nieuwstraat 1"
    WorkerRepository(session.db).update(w, validate=False)
    log = AuditLog(session.db)
    entry = log.entries(action="change")[0].id
    x = session.db.conn.execute
    x("DROP TRIGGER audit_values_no_update")
    x("UPDATE audit_values SET payload = replace(payload, 'Nieuwstraat', 'Valsestraat')")
    assert log.verify().broken_id == entry
    x("UPDATE audit_values SET payload = replace(payload, 'Valsestraat', 'Nieuwstraat')")
    x("DROP TRIGGER audit_log_no_delete")
    x("DELETE FROM audit_log WHERE id = 2")
    assert log.verify().broken_id == 3


def test_chain_key_comes_from_the_database_key(session):
    _worker(session)
    assert not AuditLog(session.db, key=b"x" * 32).verify().ok


def _cli(*args, env=None):
    import os
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, **(env or {})))


def test_cli_audit_verify_list_and_export(tmp_path):
    db = str(tmp_path / "c.db")
    assert _cli("--db", db, "demo", "--workers", "3").returncode == 0
    r = _cli("--db", db, "audit", "verify")
    assert r.returncode == 0 and "in orde" in r.stdout
    rows = json.loads(_cli("--db", db, "audit", "list", "--json", "--since", "2000-01-01").stdout)
    assert rows and {"id", "ts", "actor", "action"} <= set(rows[0])
    r = _cli("--db", db, "audit", "export", "--out", str(tmp_path / "a.csv"))
    assert r.returncode == 0 and (tmp_path / "a.csv").read_text(encoding="utf-8-sig").startswith("nr;")
    from tests.conftest import TEST_PASSWORD, TEST_USER
    s = login(db, TEST_USER, TEST_PASSWORD)
    for trig in ("audit_log_no_update",):
        s.db.conn.execute(f"DROP TRIGGER {trig}")
    s.db.conn.execute("UPDATE audit_log SET actor = 'iemand' WHERE id = 2")
    s.db.conn.commit()
    s.db.conn.close()
    r = _cli("--db", db, "audit", "verify")
    assert r.returncode == 1 and "regel 2" in r.stdout and "GESCHONDEN" in r.stdout


def test_audit_export_never_writes_a_formula(session, tmp_path):
    import csv
    from db.audit import AuditLog
    log = AuditLog(session.db, "=HYPERLINK(\"http://x\";\"klik\")")
    log.record("view", "worker", "+32471", {"note": "x"})
    out = tmp_path / "audit.csv"
    AuditLog(session.db, "beheer").export_csv(out)
    rows = list(csv.reader(out.open(encoding="utf-8-sig"), delimiter=";"))
    actors = [r[2] for r in rows[1:]]
    ids = [r[5] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://x\";\"klik\")" in actors and "'+32471" in ids
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_cli_audit_list_is_dutch_while_json_and_export_keep_the_codes(tmp_path, capsys):
    """The listing is for a person (werknemer, "aantal: 3; nrs. 1 t/m 3"); ``--json`` and the CSV export keep
    the stored codes and details, as tools reading them expect."""
    from cli.app import run
    db = str(tmp_path / "c.db")
    assert run(["--db", db, "--yes", "demo", "--workers", "3"]) == 0
    capsys.readouterr()
    assert run(["--db", db, "audit", "list"]) == 0
    out = capsys.readouterr().out
    assert "installatie          account 1" in out and "eerste beheerder; login" in out and "versleuteld: ja" in out
    assert "aangemaakt           werknemer" in out and "aantal: 3; nrs. 1 t/m 3" in out
    assert "worker" not in out and "first_admin" not in out and "{" not in out
    assert run(["--db", db, "audit", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    created = next(r for r in rows if r["action"] == "create" and r["entity"] == "worker")
    assert created["details"] == {"count": 3, "first_id": 1, "last_id": 3}
    assert run(["--db", db, "audit", "export", "--out", str(tmp_path / "a.csv")]) == 0
    assert "regels geschreven naar" in capsys.readouterr().out
    import csv
    lines = list(csv.reader((tmp_path / "a.csv").open(encoding="utf-8-sig"), delimiter=";"))
    line = next(r for r in lines if r[4] == "worker")
    assert json.loads(line[6]) == {"count": 3, "first_id": 1, "last_id": 3}
