"""Own occupations and the extended local edit in the reference-data screen (offscreen, no modal
dialogs: confirmations are replaced, non-ASCII text is set, never typed)."""
from __future__ import annotations

import dataclasses

import pytest

from core.errors import UserError
from core.matching import WorkerProfile
from db.reference_repo import ReferenceRepository, occupation_slug
from db.reference_store import ensure_synced, matching_service_for

OWN = ["elektromotoren", "elektrische-metingen", "elektrische-schemas", "lagers-aandrijvingen", "revisie",
       "solderen-elektronica", "meetinstrumenten", "hardsolderen"]
ESSENTIAL = set(OWN[:3])
PROFILE = {"job_title": "wikkelaar elektromotoren",
           "competences": ["Elektromotoren aansluiten en herstellen", "Elektrische metingen uitvoeren",
                           "Elektrische schema's lezen", "Lagers en aandrijvingen vervangen",
                           "Revisie van machines en componenten", "Hardsolderen van koperleidingen"]}


@pytest.fixture
def audit(services):
    from db.audit import AuditLog
    return AuditLog(services.db, "beheerder")


@pytest.fixture
def view(qtbot, services, audit):
    from gui.reference_view import ReferenceView
    ensure_synced(services.db)
    v = ReferenceView(services.db, repository=ReferenceRepository(services.db, principal=None, audit=audit))
    v.confirm = lambda *_a: True
    qtbot.addWidget(v)
    v.show()
    qtbot.waitExposed(v)
    return v


def _new_dialog(qtbot, view, *, name="Wikkelaar elektromotoren", isco="7412", competences=OWN):
    dlg = view.new_occupation()
    qtbot.addWidget(dlg)
    ed = dlg.editor
    ed.name_nl.setText(name)
    ed.name_fr.setText("Bobineur de moteurs électriques")
    ed.sector.setCurrentIndex(ed.sector.findData("onderhoud"))
    ed.isco.setText(isco)
    ed.esco_uri.setText("")
    ed.vks.setValue(4)
    ed.bottleneck.setChecked(True)
    ed.reasons["KWAL"].setChecked(True)
    for cid in competences:
        assert ed.add_competence(cid, cid in ESSENTIAL)
    ed.alt_labels.setPlainText("motorwikkelaar\n\n  herwikkelaar  \nmotorwikkelaar\n")
    ed.set_conditions(["lawaai"])
    ed.set_certificates(required=["ba4"], useful=["vca-basis"])
    return dlg


def _ranked_ids(services, top=5):
    svc = matching_service_for(services.db)
    return [m.occupation_id for m in svc.rank_profile(WorkerProfile.from_dict(PROFILE), top)]


def test_slug_of_a_name():
    assert occupation_slug("Wikkelaar élektromotoren (m/v) – 3-fasig") == "wikkelaar-elektromotoren-m-v-3-fasig"


def test_create_own_occupation_is_stored_audited_and_ranked(qtbot, view, services, audit):
    assert "wikkelaar-elektromotoren" not in _ranked_ids(services, top=None)
    before = matching_service_for(services.db)
    changed = []
    view.changed.connect(lambda: changed.append(1))
    dlg = _new_dialog(qtbot, view)
    assert "waarvan 3 essentieel" in dlg.editor.rule.text() and "Nu: 8" in dlg.editor.rule.text()
    assert dlg.editor.slug.text() == "wikkelaar-elektromotoren"
    assert dlg.save(), dlg.error.text()
    assert changed and dlg.created is not None and not dlg.isVisible()
    repo = ReferenceRepository(services.db, principal=None, audit=None)
    item = repo.local_item("occupation", "wikkelaar-elektromotoren")
    assert item is not None and not item.override
    occ = repo.reference().occupation_by_id("wikkelaar-elektromotoren")
    assert occ.name_fr == "Bobineur de moteurs électriques" and occ.isco == "7412" and occ.vks == 4
    assert occ.alt_labels_nl == ("motorwikkelaar", "herwikkelaar")
    assert occ.conditions == ("lawaai",) and occ.certificates_required == ("ba4",)
    assert occ.certificates_useful == ("vca-basis",) and set(occ.essential_ids) == ESSENTIAL
    assert occ.bottleneck and occ.reasons == ("KWAL",) and occ.evidence.tag == "G"
    # the matcher follows at once (a new data version, a new service)
    assert matching_service_for(services.db) is not before
    assert _ranked_ids(services, top=3)[0] == "wikkelaar-elektromotoren"
    # the screen selects it and marks it as one's own
    assert view.occupations.current().id == "wikkelaar-elektromotoren"
    assert "eigen beroep" in view.occupations.details.toPlainText()
    assert "bewaard" in view.editor.message.text()
    assert view.editor.btn_delete.isVisible() and not view.editor.btn_revert.isEnabled()
    entries = audit.entries(action="reference_add")
    assert [e.entity_id for e in entries] == ["wikkelaar-elektromotoren"]
    assert entries[0].details["name"] == "Wikkelaar elektromotoren"


@pytest.mark.parametrize("change, expected", [
    (dict(competences=OWN[:5]), "8 tot 20 competenties"),
    (dict(competences=OWN[2:]), "minstens 3"),                       # only one essential
    (dict(isco="72A1"), "4 cijfers"),
    (dict(isco="721"), "4 cijfers"),
    (dict(name="Lasser TIG (RVS/aluminium)"), "bestaat al"),        # same id as an embedded one
    (dict(name="TIG-lasser"), "bestaat al"),                          # an alternative name of another one
    (dict(name="  "), "naam"),
])
def test_invalid_new_occupation_is_refused(qtbot, view, services, change, expected):
    version = matching_service_for(services.db)
    dlg = _new_dialog(qtbot, view, **change)
    assert not dlg.save()
    assert expected in dlg.error.text() and dlg.error.isVisible()
    assert dlg.created is None
    assert ReferenceRepository(services.db, principal=None).local_items() == []
    assert matching_service_for(services.db) is version


def test_bad_esco_uri_and_duplicate_own_occupation(qtbot, view, services):
    dlg = _new_dialog(qtbot, view)
    dlg.editor.esco_uri.setText("https://example.org/wikkelaar")
    assert not dlg.save() and "ESCO" in dlg.error.text()
    dlg.editor.esco_uri.setText("http://data.europa.eu/esco/occupation/0b0f5d0c-0000-4000-8000-000000000001")
    assert dlg.save()
    again = _new_dialog(qtbot, view, name="Wikkelaar Elektromotoren")
    assert not again.save() and "bestaat al" in again.error.text()


def test_edit_alt_labels_conditions_certificates_and_revert(qtbot, view, services):
    view.occupations.select_row(view.occupations.model.row_of(lambda o: o.id == "heftruckchauffeur"))
    ed = view.editor
    original = view.reference.occupation_by_id("heftruckchauffeur")
    assert not ed.pages.isTabVisible(0) and not ed.btn_delete.isVisible()
    ed.alt_labels.setPlainText("\n".join(original.alt_labels_nl + ("vorkliftbestuurder",)))
    ed.set_conditions(original.conditions + ("koude",))
    ed.set_certificates(required=original.certificates_required, useful=("ehbo-attest",))
    ed.save_requested.emit(ed.edited())
    assert "Bewaard" in ed.message.text()
    occ = matching_service_for(services.db).reference.occupation_by_id("heftruckchauffeur")
    assert "vorkliftbestuurder" in occ.alt_labels_nl and "koude" in occ.conditions
    assert occ.certificates_useful == ("ehbo-attest",) and occ.name_nl == original.name_nl
    svc = matching_service_for(services.db)
    assert any(m.occupation_id == "heftruckchauffeur"
               for m in svc.rank_profile(WorkerProfile.from_dict({"job_title": "vorkliftbestuurder"}), 3))
    # the same rules as for a new one: too few competences is refused, nothing changes
    ed.competences.setRowCount(5)
    assert not view.save_occupation(ed.edited()) and "8 tot 20" in ed.message.text()
    assert "vorkliftbestuurder" in matching_service_for(services.db).reference.occupation_by_id(
        "heftruckchauffeur").alt_labels_nl
    assert ed.btn_revert.isEnabled()
    assert view.revert_occupation("heftruckchauffeur")
    assert matching_service_for(services.db).reference.occupation_by_id("heftruckchauffeur") == original
    assert view.editor.alt_labels.toPlainText().splitlines() == list(original.alt_labels_nl)


def test_certificate_is_required_or_useful(qtbot, view):
    from gui.occupation_editor import ROW_ROLE, _checked
    ed = view.editor
    ed.set_certificates(required=["ba4"])
    from PySide6.QtCore import Qt
    row = next(ed.cert_useful.item(i) for i in range(ed.cert_useful.count())
               if ed.cert_useful.item(i).data(ROW_ROLE) == "ba4")
    row.setCheckState(Qt.CheckState.Checked)
    assert _checked(ed.cert_useful) == ("ba4",) and "ba4" not in _checked(ed.cert_required)


def test_own_occupation_can_be_renamed_and_deleted_with_confirmation(qtbot, view, services, audit):
    assert _new_dialog(qtbot, view).save()
    ed = view.editor
    assert ed.pages.isTabVisible(0)                      # one's own: names, sector and codes are editable
    ed.name_nl.setText("Wikkelaar van elektromotoren")
    ed.save_requested.emit(ed.edited())
    repo = ReferenceRepository(services.db, principal=None)
    assert repo.reference().occupation_by_id("wikkelaar-elektromotoren").name_nl == "Wikkelaar van elektromotoren"
    view.confirm = lambda *_a: False
    assert not view.delete_occupation("wikkelaar-elektromotoren")
    assert repo.is_local("wikkelaar-elektromotoren")
    view.confirm = lambda *_a: True
    ed.btn_delete.click()
    assert not repo.is_local("wikkelaar-elektromotoren")
    assert "wikkelaar-elektromotoren" not in {o.id for o in repo.reference().occupations}
    assert "wikkelaar-elektromotoren" not in _ranked_ids(services, top=None)
    assert view.occupations.model.row_of(lambda o: o.id == "wikkelaar-elektromotoren") < 0
    assert [e.entity_id for e in audit.entries(action="reference_delete")] == ["wikkelaar-elektromotoren"]
    bakker = repo.reference().occupation_by_id("bakker")
    repo.save_occupation(dataclasses.replace(bakker, reasons=("ARB",)))
    with pytest.raises(UserError):                      # an adjusted embedded occupation is reverted, not deleted
        repo.delete_occupation("bakker")
    assert repo.is_local("bakker")


def test_counsellor_sees_the_screen_read_only(qtbot, services, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    from core.security import Principal, Role
    from gui.reference_view import ReferenceView
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: pytest.fail("no dialog expected"))
    ensure_synced(services.db)
    repo = ReferenceRepository(services.db, principal=Principal(3, "an", "An", Role.CONSULENT), audit=None)
    v = ReferenceView(services.db, repository=repo)
    qtbot.addWidget(v)
    v.show()
    v.occupations.select_row(0)
    assert not v.btn_new.isEnabled() and not v.editor.isEnabled() and not v.btn_import.isEnabled()
    for w in (v.btn_new, v.editor, v.editor.btn_save, v.editor.btn_revert, v.btn_import):
        assert "beheerder" in w.toolTip()
    assert v.occupations.details.toPlainText()           # browsing still works
    with pytest.raises(UserError):
        repo.add_occupation(v.reference.occupation_by_id("bakker"))
    with pytest.raises(UserError):
        repo.delete_occupation("bakker")
