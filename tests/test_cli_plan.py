"""``plan`` and ``plans`` subcommands: files written, concept plans, versions, --mark-printed."""
import datetime as dt
import json

import pytest
from pypdf import PdfReader

from cli.app import run
from core.model import PlanAction, PlanStatus, PlanTarget, TrajectoryPlan


@pytest.fixture
def demo_db(tmp_path):
    """A demo dossier of 6 workers; workers 1 and 2 have a plan (worker 2 two versions).

    The database is opened as the command line does (signed in as the test account), so the
    commands under test open the same encrypted file.
    """
    from cli.cmd_demo import create_demo
    from cli.context import AppContext
    from db.plans import PlanRepository
    db_path = tmp_path / "plan.db"
    ctx = AppContext(db_path=db_path)
    db = ctx.db
    dossier_id, _ = create_demo(db, 6)
    plans = PlanRepository(db)
    plans.save(TrajectoryPlan(worker_id=1, counsellor="Ann Peeters", targets=[
        PlanTarget("o1", "Onderhoudstechnicus", ["KWANT"], 0.8, missing_essential=["PLC-programmatie"])],
        actions=[PlanAction("Opleiding PLC", start_date=dt.date(2025, 1, 6), duration="8 weken")],
        followups=[dt.date(2025, 2, 1)]))
    first = plans.save(TrajectoryPlan(worker_id=2, counsellor="Ann Peeters", agreements="Versie één"))
    second = plans.new_version(first.id)
    second.agreements = "Versie twee"
    plans.save(second)
    db.conn.commit()
    yield db, db_path, dossier_id
    ctx.close()


def text_of(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def test_plan_writes_a_pdf_without_marking_it_printed(demo_db, tmp_path, capsys):
    db, db_path, _ = demo_db
    out = tmp_path / "plan.pdf"
    assert run(["--db", str(db_path), "plan", "--worker", "1", "--out", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["pages"] >= 2 and result["concept"] is False and result["marked_printed"] is False
    text = text_of(out)
    assert "Individueel trajectplan" in text and "Onderhoudstechnicus" in text and "8 weken" in text
    from db.plans import PlanRepository
    assert PlanRepository(db).latest(1).status is PlanStatus.CONCEPT


def test_plan_version_and_mark_printed(demo_db, tmp_path, capsys):
    db, db_path, _ = demo_db
    out = tmp_path / "v1.pdf"
    assert run(["--db", str(db_path), "plan", "--worker", "2", "--version", "1", "--out", str(out)]) == 0
    assert "Versie één" in text_of(out)
    assert run(["--db", str(db_path), "plan", "--worker", "2", "--out", str(tmp_path / "v2.pdf"),
                "--mark-printed"]) == 0
    assert "Versie twee" in text_of(tmp_path / "v2.pdf")
    from db.plans import PlanRepository
    versions = PlanRepository(db).versions(2)
    assert [p.status for p in versions] == [PlanStatus.CONCEPT, PlanStatus.AFGEDRUKT]
    capsys.readouterr()
    assert run(["--db", str(db_path), "plan", "--worker", "2", "--version", "9", "--out", str(out)]) == 2
    assert "versie 9" in capsys.readouterr().err


def test_worker_without_plan_gets_a_concept_and_a_note(demo_db, tmp_path, capsys):
    db, db_path, _ = demo_db
    out = tmp_path / "concept.pdf"
    assert run(["--db", str(db_path), "plan", "--worker", "3", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "nog geen trajectplan" in err and "conceptplan" in err
    assert "Er zijn nog geen jobdoelwitten vastgelegd" in " ".join(text_of(out).split())
    from db.plans import PlanRepository
    assert PlanRepository(db).latest(3) is None          # printing alone stores nothing


def test_unknown_worker_and_bad_output_are_user_errors(demo_db, tmp_path, capsys):
    _, db_path, _ = demo_db
    assert run(["--db", str(db_path), "plan", "--worker", "999", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "bestaat niet" in capsys.readouterr().err
    assert run(["--db", str(db_path), "plan", "--worker", "1", "--out", str(tmp_path / "x.txt")]) == 2
    assert ".pdf" in capsys.readouterr().err


def test_plans_for_a_dossier_into_a_folder(demo_db, tmp_path, capsys):
    db, db_path, dossier_id = demo_db
    out = tmp_path / "plannen"
    assert run(["--db", str(db_path), "plans", "--dossier", str(dossier_id), "--out", str(out), "--json"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["plans"] == 6 and result["concepts"] == 4 and len(result["files"]) == 6
    assert "4 werknemers hebben nog geen trajectplan" in captured.err
    assert sorted(p.name for p in out.iterdir()) == sorted(p.split("/")[-1] for p in result["files"])
    from db.plans import PlanRepository
    assert PlanRepository(db).latest(1).status is PlanStatus.CONCEPT


def test_plans_single_pdf_with_mark_printed(demo_db, tmp_path, capsys):
    db, db_path, dossier_id = demo_db
    single = tmp_path / "alle.pdf"
    assert run(["--db", str(db_path), "plans", "--dossier", str(dossier_id), "--single", str(single),
                "--mark-printed", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    reader = PdfReader(single)
    assert len(reader.pages) == result["pages"] and len(reader.outline) == 6
    assert sum("Pagina 1 van" in p.extract_text() or "Page 1 de" in p.extract_text() for p in reader.pages) == 6
    from db.plans import PlanRepository
    plans = PlanRepository(db)
    for wid in range(1, 7):
        assert plans.latest(wid).status is PlanStatus.AFGEDRUKT   # concepts were stored, then marked


def test_plans_needs_exactly_one_destination(demo_db, tmp_path, capsys):
    _, db_path, dossier_id = demo_db
    assert run(["--db", str(db_path), "plans", "--dossier", str(dossier_id)]) == 2
    assert run(["--db", str(db_path), "plans", "--dossier", "77", "--out", str(tmp_path)]) == 2
    assert "bestaat niet" in capsys.readouterr().err


def test_printing_is_recorded_in_the_audit_trail(demo_db, tmp_path):
    db, db_path, _ = demo_db
    assert run(["--db", str(db_path), "plan", "--worker", "1", "--out", str(tmp_path / "a.pdf")]) == 0
    from db.audit import AuditLog
    entries = [e for e in AuditLog(db).entries() if e.action == "export"]
    assert entries and entries[-1].entity == "worker" and str(entries[-1].entity_id) == "1"


def test_the_plan_names_the_counsellor_by_the_account_name(demo_db, tmp_path):
    db, db_path, _ = demo_db
    login = db.conn.execute("SELECT login FROM accounts ORDER BY id LIMIT 1").fetchone()[0]
    name = "Ann Peeters-Vandamme"
    db.conn.execute("UPDATE accounts SET name = ? WHERE login = ?", [name, login])
    db.conn.execute("UPDATE workers SET counsellor = ? WHERE id = 3", [login])
    db.conn.commit()
    out = tmp_path / "w3.pdf"
    assert run(["--db", str(db_path), "plan", "--worker", "3", "--out", str(out)]) == 0
    text = text_of(out)
    assert name in text and "niet gekend" not in text


def test_plan_output_says_whether_the_plan_was_frozen(demo_db, tmp_path, capsys):
    db, db_path, _ = demo_db
    out = tmp_path / "concept.pdf"
    assert run(["--db", str(db_path), "plan", "--worker", "1", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "NIET bevroren" in said and "--mark-printed" in said
    text = " ".join(text_of(out).split())
    assert "concept" in text and "te ondertekenen" not in text
    signed = tmp_path / "te-ondertekenen.pdf"
    assert run(["--db", str(db_path), "plan", "--worker", "1", "--out", str(signed), "--mark-printed"]) == 0
    said = capsys.readouterr().out
    assert "gemarkeerd als afgedrukt en bevroren" in said and "NIET" not in said
    text = " ".join(text_of(signed).split())
    assert "afgedrukt, te ondertekenen" in text and "concept" not in text
    from db.plans import PlanRepository
    assert PlanRepository(db).latest(1).status is PlanStatus.AFGEDRUKT
    assert run(["--db", str(db_path), "plan", "--worker", "1", "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["frozen"] is True


def test_plan_help_says_what_mark_printed_does(capsys):
    import pytest
    with pytest.raises(SystemExit):
        run(["plan", "--help"])
    assert "bevroren" in " ".join(capsys.readouterr().out.split())
