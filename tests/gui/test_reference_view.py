"""Reference-data screen, bottleneck import dialog and labour-market chart (offscreen, no modal
dialogs: confirmations are replaced, non-ASCII text is set, never typed)."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db.reference_repo import LiveMatchingService, ReferenceRepository
from db.reference_store import ensure_synced, matching_service_for

DATA = Path(__file__).resolve().parents[1] / "data" / "bottlenecks"


@pytest.fixture
def view(qtbot, services):
    from gui.reference_view import ReferenceView
    ensure_synced(services.db)
    v = ReferenceView(services.db, repository=ReferenceRepository(services.db, principal=None, audit=None))
    v.confirm = lambda *_a: True
    qtbot.addWidget(v)
    v.show()
    qtbot.waitExposed(v)
    return v


def _select(browser, pred) -> None:
    row = browser.model.row_of(pred)
    assert row >= 0
    browser.select_row(row)


def test_browse_and_search_filters_as_you_type(qtbot, view):
    occ = view.occupations
    assert occ.model.rowCount() == 82
    qtbot.keyClicks(occ.search, "lasser")
    names = [occ.model.row_at(r).name_nl for r in range(occ.model.rowCount())]
    assert names and all("lasser" in n.lower() or "lasser" in " ".join(occ.model.row_at(i).alt_labels_nl).lower()
                         for i, n in enumerate(names))
    assert "van 82" in occ.count.text()
    occ.search.setText("7212")                       # ISCO
    assert {occ.model.row_at(r).isco for r in range(occ.model.rowCount())} == {"7212"}
    occ.search.setText("industriële automatisering")   # accents typed or not give the same rows
    with_accent = occ.model.rowCount()
    occ.search.setText("industriele automatisering")
    assert occ.model.rowCount() == with_accent >= 1
    occ.search.clear()
    _select(occ, lambda o: o.id == "lasser-tig")
    html = occ.details.toPlainText()
    for part in ("Lasser TIG", "Metaal", "7212", "Essentiële competenties", "TIG-lassen", "B-VCA",
                 "Kwantitatief tekort"):
        assert part in html, part
    comp = view.competences
    comp.search.setText("heftruckattest")               # found through a variant
    assert comp.model.rowCount() >= 1
    _select(comp, lambda c: c.id == "attest-heftruck")
    text = comp.details.toPlainText()
    assert "Heftruckchauffeur" in text and "Gebruikt door" in text and "Opleidingen die dit aanleren" in text
    view.trainings.search.setText("TIG")
    assert view.trainings.model.rowCount() >= 1
    view.trainings.select_row(0)
    assert "Leert aan" in view.trainings.details.toPlainText()


def test_add_variant_is_stored_and_used_by_the_matcher(qtbot, view, services):
    live = LiveMatchingService(services.db)
    assert live.recognise("hermle spindelwerk") is None or live.recognise("hermle spindelwerk").competence_id != "cnc-frezen"
    changed = []
    view.changed.connect(lambda: changed.append(1))
    view.tabs.setCurrentIndex(1)
    _select(view.competences, lambda c: c.id == "cnc-frezen")
    view.variant_input.setText("Hermle spindelwerk")
    qtbot.mouseClick(view.btn_variant, Qt.MouseButton.LeftButton)
    assert changed and "toegevoegd" in view.variant_message.text()
    assert view.local_variants.count() == 1
    assert live.recognise("hermle spindelwerk").competence_id == "cnc-frezen"
    assert view.competences.current().id == "cnc-frezen"      # the selection stays after the reload
    view.variant_input.setText("MIG lassen")
    assert not view.add_variant()
    assert "hoort al bij" in view.variant_message.text()
    view.local_variants.setCurrentRow(0)
    assert view.remove_variant()
    assert view.local_variants.count() == 0


def test_edit_occupation_locally_and_revert(qtbot, view, services):
    _select(view.occupations, lambda o: o.id == "heftruckchauffeur")
    ed = view.editor
    assert ed.isEnabled() and not ed.btn_revert.isEnabled()
    ed.reasons["ARB"].setChecked(True)
    ed.add_combo.setCurrentIndex(ed.add_combo.findData("rijbewijs-c"))
    ed.add_selected()
    ed.set_essential("rijbewijs-c", True)
    qtbot.mouseClick(ed.btn_save, Qt.MouseButton.LeftButton)
    assert "Bewaard" in ed.message.text()
    occ = matching_service_for(services.db).reference.occupation_by_id("heftruckchauffeur")
    assert occ.reasons == ("KWANT", "ARB")
    assert any(c.competence_id == "rijbewijs-c" and c.essential for c in occ.competences)
    assert view.occupations.current().id == "heftruckchauffeur"
    assert "lokaal aangepast" in view.occupations.details.toPlainText()
    assert ed.btn_revert.isEnabled()
    # an invalid edit is refused with a message, nothing stored
    for code in ("KWANT", "ARB"):
        ed.reasons[code].setChecked(False)
    assert not view.save_occupation(ed.edited())
    assert "reden" in ed.message.text()
    qtbot.mouseClick(ed.btn_revert, Qt.MouseButton.LeftButton)
    assert "Teruggezet" in ed.message.text()
    assert matching_service_for(services.db).reference.occupation_by_id("heftruckchauffeur").reasons == ("KWANT",)
    assert not ReferenceRepository(services.db, principal=None).is_local("heftruckchauffeur")


def test_counsellor_cannot_edit_occupations(qtbot, services):
    from core.security import Principal, Role
    from gui.reference_view import ReferenceView
    ensure_synced(services.db)
    repo = ReferenceRepository(services.db, principal=Principal(3, "an", "An", Role.CONSULENT), audit=None)
    v = ReferenceView(services.db, repository=repo)
    qtbot.addWidget(v)
    assert not v.editor.isEnabled() and not v.btn_import.isEnabled()
    v.tabs.setCurrentIndex(1)
    _select(v.competences, lambda c: c.id == "lassen-tig")
    v.variant_input.setText("wolfraamlassen")
    assert v.add_variant()


def test_bottleneck_import_dialog_preview_override_and_apply(qtbot, view, services):
    dlg = view.import_bottlenecks(str(DATA / "knelpuntberoepen_2025.csv"))
    qtbot.addWidget(dlg)
    dlg.confirm = lambda *_a: True
    p = dlg.preview
    assert dlg.year.value() == 2025 and dlg.table.rowCount() == 13
    i_nurse = next(i for i, r in enumerate(p.rows) if r.name == "Verpleegkundige")
    assert dlg.table.item(i_nurse, 5).text() == "niet gekoppeld"
    assert dlg.combo(i_nurse).currentData() is None
    i_mig = next(i for i, r in enumerate(p.rows) if r.name == "Lasser MIG/MAG")
    assert dlg.combo(i_mig).currentData() == "lasser-mig-mag" and dlg.table.item(i_mig, 4).text() == "100%"
    combo = dlg.combo(i_nurse)                            # override through the row's combo
    combo.setCurrentIndex(combo.findData("bakker"))
    assert p.rows[i_nurse].occupation_id == "bakker" and "zelf gekozen" in dlg.table.item(i_nurse, 5).text()
    dlg.choose(i_mig, None)
    assert dlg.combo(i_mig).currentData() is None
    dlg.year.setValue(2026)
    assert p.year == 2026 and "2026" in dlg.not_listed_label.text()
    assert "Niet op de lijst (71)" in dlg.not_listed_label.text()
    applied = []
    dlg.applied.connect(applied.append)
    assert dlg.btn_apply.isEnabled()
    assert dlg.apply()
    assert applied == [2026]
    ref = matching_service_for(services.db).reference
    assert ref.occupation_by_id("bakker").bottleneck and ref.occupation_by_id("bakker").reasons == ("KWANT", "KWAL", "ARB")
    assert not ref.occupation_by_id("lasser-mig-mag").bottleneck
    assert view.years.rowCount() == 1 and view.years.item(0, 0).text() == "2026"
    assert "Knelpuntlijst 2026" in view.status.text()


def test_bottleneck_import_bad_file_shows_message_and_changes_nothing(qtbot, services):
    from gui.bottleneck_import import BottleneckImportDialog
    ensure_synced(services.db)
    repo = ReferenceRepository(services.db, principal=None, audit=None)
    dlg = BottleneckImportDialog(repo)
    qtbot.addWidget(dlg)
    dlg.confirm = lambda *_a: pytest.fail("nothing to confirm")
    for name in ("leeg.csv", "zonder_naamkolom.csv", "onleesbaar.csv"):
        assert not dlg.load(str(DATA / name))
        assert dlg.error.text() and not dlg.btn_apply.isEnabled() and dlg.table.rowCount() == 0
    assert not dlg.apply()
    assert repo.bottleneck_years() == []
    assert dlg.load(str(DATA / "knelpuntlijst_2024_cp1252.csv"))
    assert dlg.error.isHidden() and dlg.table.rowCount() == 6
    colours = {r.status: dlg.table.item(i, 0).background().color().name() for i, r in enumerate(dlg.preview.rows)}
    assert colours.get("zeker") == "#e3f4e1"
    dlg.confirm = lambda *_a: False                       # the counsellor says no
    assert not dlg.apply() and repo.bottleneck_years() == []


def test_labour_market_chart(qtbot, services):
    from core.reference import default_reference
    from gui.labour_market_chart import LabourMarketChart
    lm = default_reference().labour_market
    w = LabourMarketChart(lm)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert set(w.series) == {"knelpunt", "kritiek_knelpunt"}
    pts = w.series["knelpunt"].points()
    assert [int(p.x()) for p in pts] == [p.year for p in lm.points]
    assert pts[-1].y() == pytest.approx(lm.points[-1].bottleneck_pct)
    assert w.axis_x.titleText() == "Jaar" and "Aandeel" in w.axis_y.titleText()
    assert w.axis_y.max() >= max(p.bottleneck_pct for p in lm.points)
    assert "Bron:" in w.source.text() and "2014" in w.source.text() and "46,2" in w.source.text()
    assert not w.grab().isNull()


def test_menu_action_in_main_window(qtbot, window):
    from gui.reference_view import ReferenceView
    assert window.act_reference in window.menus["file"].actions()
    window.act_reference.trigger()
    view = window._reference_view
    assert isinstance(view, ReferenceView) and view.isVisible()
    assert view.occupations.model.rowCount() == 82
    window.act_reference.trigger()
    assert window._reference_view is view
    view.close()
