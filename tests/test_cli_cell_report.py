"""Command line: ``export-cell-report --dossier ID --out FILE.pdf [--with-names]``, the printed cell report.

Totals only by default; the file name is checked as for the other exports (.pdf added, another file type,
a folder, a pipe or the open database refused, nothing written); the export is in the audit trail; the
command only reads, so it runs while a window is open."""
import io
import os
import sys

import pytest
from pypdf import PdfReader

from cli.app import READ_ONLY_COMMANDS, run

ENGLISH = ("Error", "error", "Traceback", "Errno", "Is a directory", "No such file")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from tests.conftest import build_demo_db
    return build_demo_db(tmp_path_factory.mktemp("celrapport"), 6)


@pytest.fixture
def work(demo_db, tmp_path):
    from tests.conftest import copy_db
    copy_db(demo_db, tmp_path / "w.db")
    return tmp_path


@pytest.fixture
def werkbrug(work, monkeypatch, capsys):
    """Run a command on the copied database; returns (exit code, stdout, stderr)."""
    def call(*args, db="w.db"):
        from db.connection import set_session_key
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        capsys.readouterr()
        try:
            code = run(["--db", str(work / db), *args])
        finally:
            set_session_key(None)
        out = capsys.readouterr()
        return code, out.out, out.err
    return call


def _people(work):
    """Surnames, first names and INSZ numbers of the demo workers, and the audit trail."""
    from cli.context import AppContext
    from db.audit import AuditLog
    from db.workers import WorkerRepository
    ctx = AppContext(db_path=work / "w.db")
    try:
        repo = WorkerRepository(ctx.db)
        workers = [repo.get(i) for i in repo.ids_in_dossier(1)]
        audit = [(e.action, e.details.get("what"), e.details.get("destination")) for e in AuditLog(ctx.db).entries()]
    finally:
        ctx.close()
    return workers, audit


def _text(path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


def _refused(code, err, *needles):
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1, err
    assert not [e for e in ENGLISH if e in err], err
    for n in needles:
        assert n in err, err


def test_writes_the_cell_report_with_totals_only_and_audits_it(werkbrug, work):
    code, out, err = werkbrug("export-cell-report", "--dossier", "1", "--out", str(work / "celrapport"))
    assert code == 0, err
    target = work / "celrapport.pdf"                               # .pdf added to a name without a file type
    assert str(target) in out and "Celrapport geschreven" in out
    text = _text(target)
    assert "Celrapport" in text and "Werknemers in het dossier 6 100 %" in text and "VERTROUWELIJK" in text
    workers, audit = _people(work)
    for w in workers:
        assert w.surname not in text and w.first_names not in text
        assert not w.insz or (w.insz not in text and w.insz[:6] not in text.replace(".", ""))
    assert ("export", "celrapport (pdf)", str(target)) in audit
    assert not list(work.glob("*.tmp*"))                           # written in one go


def test_with_names_adds_the_appendix_and_says_so_in_the_audit_trail(werkbrug, work):
    target = work / "met-namen.pdf"
    code, _, err = werkbrug("export-cell-report", "--dossier", "1", "--out", str(target), "--with-names")
    assert code == 0, err
    workers, audit = _people(work)
    last = " ".join(PdfReader(str(target)).pages[-1].extract_text().split())
    assert "Bijlage: werknemers en status" in last
    assert all(w.surname in last for w in workers)
    assert not any(w.insz and w.insz in _text(target) for w in workers)
    assert ("export", "celrapport (pdf, met namen)", str(target)) in audit


@pytest.mark.parametrize("name,reason", [("rapport.xlsx", "moet op .pdf eindigen, niet op .xlsx"),
                                         ("w.db", "moet op .pdf eindigen"), ("w.db.keys", "moet op .pdf eindigen")])
def test_another_file_type_is_refused_and_nothing_written(werkbrug, work, name, reason):
    before = sorted(p.name for p in work.iterdir())
    keys = (work / "w.db.keys").read_bytes()
    code, _, err = werkbrug("export-cell-report", "--dossier", "1", "--out", str(work / name))
    _refused(code, err, reason, "Er werd niets geschreven")
    assert sorted(p.name for p in work.iterdir() if not p.name.endswith(("-wal", "-shm"))) == \
        [n for n in before if not n.endswith(("-wal", "-shm"))]
    assert (work / "w.db.keys").read_bytes() == keys


def test_a_folder_a_pipe_and_the_open_database_are_refused(werkbrug, work):
    folder = work / "uit.pdf"
    folder.mkdir()
    code, _, err = werkbrug("export-cell-report", "--dossier", "1", "--out", str(folder))
    _refused(code, err, "is een map")
    code, _, err = werkbrug("export-cell-report", "--dossier", "1", "--out", str(work / "uit") + os.sep)
    _refused(code, err, "is een map")
    assert not any(folder.iterdir())
    fifo = work / "pijp.pdf"
    os.mkfifo(fifo)
    code, _, err = werkbrug("export-cell-report", "--dossier", "1", "--out", str(fifo))
    _refused(code, err, "geen gewoon bestand")
    assert fifo.is_fifo()
    # a database whose name ends in .pdf: the report is never written over it
    os.rename(work / "w.db", work / "cel.pdf")
    os.rename(work / "w.db.keys", work / "cel.pdf.keys")
    before = (work / "cel.pdf").read_bytes()[:4096]
    code, _, err = werkbrug("export-cell-report", "--dossier", "1", "--out", str(work / "cel.pdf"), db="cel.pdf")
    _refused(code, err, "is de database zelf")
    assert (work / "cel.pdf").read_bytes()[:4096] == before
    code, _, err = werkbrug("dossiers", db="cel.pdf")
    assert code == 0, err


def test_an_unknown_dossier_is_a_dutch_error(werkbrug, work):
    code, _, err = werkbrug("export-cell-report", "--dossier", "99", "--out", str(work / "x.pdf"))
    _refused(code, err, "99")
    assert not (work / "x.pdf").exists()


def test_the_command_only_reads():
    assert "cli.cmd_export.run_cell_report" in READ_ONLY_COMMANDS
