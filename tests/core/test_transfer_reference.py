"""The counsellor's local reference edits (competence variants, edited and own occupations) travel
in the transfer file and are merged on the other computer without overwriting its own edits."""
import dataclasses
import sqlite3

import pytest

from core.security import Principal, Role
from core.transfer import REFERENCE_SECTION, REFERENCE_VERSION, TransferFileError, write_transfer_file
from db.accounts import AccountRepository, bind
from db.dossiers import DossierRepository
from db.reference_repo import ReferenceRepository
from db.transfer_file import read_sealed
from db.transfer_repo import apply_merge
from db.workers import WorkerRepository
from tests.core.test_transfer import FAST, PASS, _seal, _seed, export_transfer, prepare_import
from tests.core.test_transfer import two  # noqa: F401 - fixture: two fresh databases


def _repo(db):
    return ReferenceRepository(db, principal=None, audit=None)


def _local_edits(db):
    """On ``db``: a variant, an edited embedded occupation and an occupation of one's own."""
    repo = _repo(db)
    assert repo.add_variant("lassen-tig", "wolfraamlassen")
    ref = repo.reference()
    repo.save_occupation(dataclasses.replace(ref.occupation_by_id("lasser-tig"), reasons=("KWAL",)))
    own = dataclasses.replace(ref.occupation_by_id("cnc-frezer"), id="cnc-frezer-5-assig",
                              name_nl="CNC-frezer 5-assig", alt_labels_nl=())
    repo.save_occupation(own)
    return repo


def _import(db, path, **kw):
    plan, duid, _ = prepare_import(db, path)
    notes = apply_merge(db, plan, duid, **kw)
    return plan, notes


def _rewrite(path, tmp_path, change):
    """The same transfer file with its content changed by ``change(content)``, sealed again."""
    manifest, content = read_sealed(path, passphrase=PASS, max_schema=99, kdf=FAST)
    change(content)
    zipped = write_transfer_file(tmp_path / "anders.zip", content, source=manifest["source"],
                                 schema=manifest["schema"])
    return _seal(zipped, tmp_path)


def test_variants_and_local_occupations_travel_and_a_second_import_changes_nothing(two, tmp_path):
    a, b = two
    d, *_ = _seed(a)
    _local_edits(a)
    f = export_transfer(a, d.id, tmp_path / "naar_b")
    section = read_sealed(f, passphrase=PASS, max_schema=99, kdf=FAST)[1][REFERENCE_SECTION]
    assert section["version"] == REFERENCE_VERSION
    assert section["variants"] == [{"competence_id": "lassen-tig", "text": "wolfraamlassen"}]
    assert {o["id"]: o["override"] for o in section["occupations"]} == {"lasser-tig": True,
                                                                       "cnc-frezer-5-assig": False}
    assert len(section["occupations"]) == 2           # only the local layer, not the embedded catalogue

    plan, _ = _import(b, f)
    report = plan.reference_report
    assert [t for _, t in report.added_variants] == ["wolfraamlassen"]
    assert sorted(report.added_occupations) == ["CNC-frezer 5-assig", "Lasser TIG (RVS/aluminium)"]
    assert not report.kept_here and not report.refused and not report.not_allowed
    assert "2 beroepen overgenomen" in report.lines()[0]
    ref = _repo(b).reference()
    assert "wolfraamlassen" in ref.competence_by_id("lassen-tig").variants
    assert ref.occupation_by_id("lasser-tig").reasons == ("KWAL",)
    assert ref.occupation_by_id("cnc-frezer-5-assig").name_nl == "CNC-frezer 5-assig"
    rb = _repo(b)
    assert rb.local_item("occupation", "lasser-tig").override
    assert not rb.local_item("occupation", "cnc-frezer-5-assig").override
    assert DossierRepository(b).find_by_uid(d.uid) is not None

    plan, _ = _import(b, f)                            # again: all known, nothing added, no conflict
    report = plan.reference_report
    assert (report.added_variants, report.added_occupations, report.kept_here, report.unchanged) == ([], [], [], 3)
    assert len(rb.variants()) == 1 and len(rb.local_items("occupation")) == 2


def test_the_receivers_own_edit_of_the_same_occupation_is_kept_and_reported(two, tmp_path):
    a, b = two
    d, *_ = _seed(a)
    _local_edits(a)
    rb = _repo(b)
    tig = rb.reference().occupation_by_id("lasser-tig")
    rb.save_occupation(dataclasses.replace(tig, reasons=("ARB",)))
    assert rb.add_variant("lassen-mig-mag", "wolfraamlassen")       # here the text means another competence
    plan, _ = _import(b, export_transfer(a, d.id, tmp_path / "x"))
    report = plan.reference_report
    assert len(report.kept_here) == 1
    assert "Lasser TIG" in report.kept_here[0] and "knelpuntredenen" in report.kept_here[0]
    assert "blijft behouden" in report.kept_here[0]
    assert len(report.refused) == 1 and "wolfraamlassen" in report.refused[0]
    assert report.added_occupations == ["CNC-frezer 5-assig"]
    assert "1 conflict (hier behouden)" in report.lines()[0] and "1 beroep overgenomen" in report.lines()[0]
    ref = _repo(b).reference()
    assert ref.occupation_by_id("lasser-tig").reasons == ("ARB",)                       # not overwritten
    assert "wolfraamlassen" not in ref.competence_by_id("lassen-tig").variants
    assert "wolfraamlassen" in ref.competence_by_id("lassen-mig-mag").variants


def test_a_file_without_the_reference_section_imports_as_before(two, tmp_path):
    a, b = two
    d, *_ = _seed(a)
    _local_edits(a)
    old = _rewrite(export_transfer(a, d.id, tmp_path / "nieuw"), tmp_path,
                   lambda c: c.pop(REFERENCE_SECTION))
    plan, _ = _import(b, old)
    assert plan.reference is None and plan.reference_report is None
    assert len(plan.add) == 6 and not plan.conflicts          # no limitations asked
    assert WorkerRepository(b).count() == 2
    assert _repo(b).variants() == [] and _repo(b).local_items() == []


def test_a_newer_reference_section_is_refused_and_nothing_is_written(two, tmp_path):
    a, b = two
    d, *_ = _seed(a)
    _local_edits(a)
    f = export_transfer(a, d.id, tmp_path / "nieuw")
    newer = _rewrite(f, tmp_path, lambda c: c[REFERENCE_SECTION].update(version=REFERENCE_VERSION + 1))
    with pytest.raises(TransferFileError, match="nieuwere vorm") as e:
        prepare_import(b, newer)
    assert "niets ingelezen" in str(e.value)
    broken = _rewrite(f, tmp_path, lambda c: c[REFERENCE_SECTION].update(variants="kapot"))
    with pytest.raises(TransferFileError, match="beschadigd"):
        prepare_import(b, broken)
    assert DossierRepository(b).list() == [] and WorkerRepository(b).count() == 0
    assert _repo(b).variants() == [] and _repo(b).local_items() == []


def test_without_the_right_to_edit_occupations_the_dossier_comes_in_and_the_reason_is_given(two, tmp_path):
    a, b = two
    d, *_ = _seed(a)
    _local_edits(a)
    f = export_transfer(a, d.id, tmp_path / "x")
    an = AccountRepository(b, principal=None, audit=None, kdf=FAST).add("an", "An Consulent", Role.CONSULENT,
                                                                        "Zomer-Appel-2026!x")
    bind(b, Principal(an.id, "an", "An Consulent", Role.CONSULENT), None)      # the account signed in on b
    plan, _ = _import(b, f)
    report = plan.reference_report
    assert DossierRepository(b).find_by_uid(d.uid) is not None        # she brought it in: it is hers to open
    assert WorkerRepository(b, principal=None).count() == 2
    assert report.added_occupations == [] and "beheerder" in report.not_allowed
    assert "2 aangepaste of eigen beroepen werden niet overgenomen" in report.lines()[-1]
    assert _repo(b).local_items() == []
    # variants are not reserved to a beheerder (every counsellor adds them while matching): they come in
    assert [t for _, t in report.added_variants] == ["wolfraamlassen"]


def test_a_failure_during_the_reference_merge_leaves_nothing_behind(two, tmp_path, monkeypatch):
    a, b = two
    d, *_ = _seed(a)
    _local_edits(a)
    f = export_transfer(a, d.id, tmp_path / "x")
    rb = _repo(b)
    rb.reference()
    real = ReferenceRepository.save_occupation

    def save_then_fail(self, occupation):
        real(self, occupation)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(ReferenceRepository, "save_occupation", save_then_fail)
    plan, duid, _ = prepare_import(b, f)
    with pytest.raises(sqlite3.OperationalError):
        apply_merge(b, plan, duid)
    monkeypatch.undo()
    assert DossierRepository(b).list() == [] and WorkerRepository(b).count() == 0
    assert rb.variants() == [] and rb.local_items() == []
    assert "wolfraamlassen" not in _repo(b).reference().competence_by_id("lassen-tig").variants
    # a later edit is seen as it is, never as the rolled-back state cached under the same revision
    assert rb.add_variant("lassen-tig", "wolfraam inert gas lassen")
    variants = _repo(b).reference().competence_by_id("lassen-tig").variants
    assert "wolfraam inert gas lassen" in variants and "wolfraamlassen" not in variants
    plan, _ = _import(b, f)                                           # and the import can simply be redone
    assert len(plan.reference_report.added_occupations) == 2


def test_command_line_reports_the_reference_edits(tmp_path, capsys, monkeypatch):
    from cli.app import run
    from tests.test_cli_data import _json, _new_db
    monkeypatch.setenv("WERKBRUG_TRANSFER_PASSPHRASE", PASS)
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    dossier = _new_db(a, capsys)
    _new_db(b, capsys)
    assert run(["--db", str(a), "reference-variant", "lassen-tig", "wolfraamlassen"]) == 0
    f = tmp_path / "overdracht.werkbrug"
    assert run(["--db", str(a), "export-transfer", "--dossier", str(dossier), "--out", str(f)]) == 0
    capsys.readouterr()
    assert run(["--db", str(b), "import-transfer", str(f)]) == 0
    out = capsys.readouterr().out
    assert "Referentiegegevens: 1 variant en 0 beroepen overgenomen" in out
    assert "Variant 'wolfraamlassen' toegevoegd" in out
    assert run(["--db", str(b), "import-transfer", str(f), "--json"]) == 0
    res = _json(capsys)
    assert res["reference"]["added_variants"] == [] and res["reference"]["unchanged"] == 1
    from cli.context import AppContext
    from db.audit import AuditLog
    ctx = AppContext(db_path=b)
    try:
        actions = [e.action for e in AuditLog(ctx.db).entries()]
    finally:
        ctx.close()
    assert "reference_variant_add" in actions                      # through the repository: audited
