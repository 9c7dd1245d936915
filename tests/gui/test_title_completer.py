"""Job-title suggestions under "Vorige functie": the embedded occupations (no ESCO imported), picking
stores the occupation's URI, a hand edit forgets it, Escape keeps what was typed."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt

from core.model import Dossier, Worker
from tests.gui.test_workflow_support import FakeMatcher, shown_main_window

TODAY = dt.date.today()


@pytest.fixture
def view(qtbot, services):
    services.extra["matching"] = FakeMatcher()
    d = services.dossiers.add(Dossier("Van Hool NV", announcement_date=TODAY - dt.timedelta(days=100)))
    w = services.workers.add(Worker("Aerts", "An", dossier_id=d.id))
    with shown_main_window(qtbot, services) as win:
        win.refresh_dossiers(d.id)
        assert win.open_worker(w.id)
        source = services.extra["titles"]
        qtbot.waitUntil(lambda: source.index is not None, timeout=30000)   # loaded in the background
        yield win.worker_view, w.id


def _type(qtbot, edit, text):
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, text)


def _rows(completer):
    return [completer.model.item(r).text() for r in range(completer.model.rowCount())]


def test_typing_shows_occupations_and_picking_stores_the_uri_through_a_save(view, qtbot, services):
    v, worker_id = view
    edit, completer = v.identity.previous_job, v.identity.previous_job_titles
    _type(qtbot, edit, "halfautomaatlasser")
    qtbot.waitUntil(lambda: completer.completer.popup().isVisible(), timeout=3000)
    rows = _rows(completer)
    assert 0 < len(rows) <= 8
    assert "lasser" in rows[0].lower()
    assert edit.text() == "halfautomaatlasser"           # nothing replaced while the list shows
    completer.pick(0)
    picked_label, uri = completer.model.item(0).data(Qt.ItemDataRole.UserRole + 2), completer.uri
    assert uri and edit.text() == picked_label
    assert v.identity.previous_job_esco.text().startswith("ESCO: ")
    assert v.save()
    again = services.workers.get(worker_id)
    assert again.previous_job_title == picked_label and again.previous_job_esco_uri == uri
    # loaded again into the form, the link is shown; a hand edit then forgets it
    v.identity.load(again)
    assert completer.uri == uri and v.identity.previous_job_esco.isVisible()
    _type(qtbot, edit, "x")
    assert completer.uri == "" and not v.identity.previous_job_esco.isVisible()
    assert v.save()
    assert services.workers.get(worker_id).previous_job_esco_uri == ""


def test_escape_keeps_the_typed_text_and_links_nothing(view, qtbot):
    v, _ = view
    edit, completer = v.identity.previous_job, v.identity.previous_job_titles
    _type(qtbot, edit, "lasser")
    qtbot.waitUntil(lambda: completer.completer.popup().isVisible(), timeout=3000)
    qtbot.keyClick(completer.completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.completer.popup(), Qt.Key.Key_Escape)
    assert not completer.completer.popup().isVisible()
    assert edit.text() == "lasser" and completer.uri == ""


def test_an_experience_row_keeps_the_picked_occupation_until_its_title_is_edited(view, qtbot, services):
    v, worker_id = view
    section = v.experience
    edit = section.table.inputs["job_title"]
    _type(qtbot, edit, "heftruckchauffeur")
    qtbot.waitUntil(lambda: section.titles.completer.popup().isVisible(), timeout=3000)
    section.titles.pick(0)
    uri, label = section.titles.uri, edit.text()
    assert uri
    assert section.table.submit()
    assert section.titles.uri == ""                     # the emptied row editor links nothing
    assert v.save()
    stored = services.workers.get(worker_id).experiences
    assert [(e.job_title, e.esco_uri) for e in stored] == [(label, uri)]
    # the title changed in the table: the link no longer holds
    model = section.table.model
    model.setData(model.index(0, 0), "magazijnier")
    assert v.save()
    assert [(e.job_title, e.esco_uri) for e in services.workers.get(worker_id).experiences] == [("magazijnier", "")]


def test_after_an_esco_import_the_suggestions_come_from_the_imported_occupations(view, qtbot, services):
    from pathlib import Path

    from cli.cmd_esco import import_esco_folder
    v, _ = view
    import_esco_folder(services.db, Path(__file__).resolve().parents[1] / "data" / "esco_mini")
    source = services.extra["titles"]
    source.invalidate()
    qtbot.waitUntil(lambda: source.index is not None, timeout=30000)
    edit, completer = v.identity.previous_job, v.identity.previous_job_titles
    _type(qtbot, edit, "vorkheftruckbestuurder")
    qtbot.waitUntil(lambda: completer.completer.popup().isVisible(), timeout=3000)
    first = completer.model.item(0)
    assert first.data(Qt.ItemDataRole.UserRole + 1) == "http://data.europa.eu/esco/occupation/t-heftruck"
    assert "heftruckchauffeur" in first.text() and "8344" in first.text()   # preferred label and ISCO shown
    completer.pick(0)
    assert v.identity.previous_job_esco.text() == "ESCO: heftruckchauffeur"


def test_down_and_enter_pick_an_entry_by_keyboard(view, qtbot):
    v, _ = view
    edit, completer = v.identity.previous_job, v.identity.previous_job_titles
    _type(qtbot, edit, "lasser")
    popup = completer.completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    first_label = completer.model.item(0).data(Qt.ItemDataRole.UserRole + 2)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    assert edit.text() == "lasser"                       # moving through the list replaces nothing
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert edit.text() == first_label and completer.uri
