import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from core.model import Dossier
from gui.dossier_form import DossierDialog
from gui.models import WorkerTableModel
from gui.worker_form import WorkerDialog


def test_empty_database_offers_the_demo(window, qtbot):
    assert window.stack.currentIndex() == 0
    qtbot.mouseClick(window.btn_demo, Qt.MouseButton.LeftButton)
    assert window.stack.currentIndex() == 1
    assert window.worker_model.rowCount() == 120
    assert "120" in window.count_label.text()


def test_add_worker_through_the_form_and_find_it(window, qtbot, services):
    services.dossiers.add(Dossier("Van Hool NV", announcement_date=dt.date(2024, 3, 1)))
    window.refresh_dossiers()
    dossier = services.dossiers.get(window.current_dossier_id)
    dlg = WorkerDialog(services.workers, dossier, parent=window)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.surname, "Peeters")
    qtbot.keyClicks(dlg.first_names, "Jan")
    qtbot.keyClicks(dlg.insz, "85.07.30-033.28")
    dlg.insz.editingFinished.emit()
    assert dlg.birth.text() == "30/07/1985"          # filled from the INSZ
    qtbot.keyClicks(dlg.postcode, "2500")
    dlg.municipality.setText("Lier")
    dlg.save()
    assert dlg.result() == dlg.DialogCode.Accepted
    window.refresh_workers(dlg.worker.id)
    assert window.worker_model.rowCount() == 1
    qtbot.keyClicks(window.search, "peet")
    assert window.worker_model.rowCount() == 1
    window.search.clear()
    qtbot.keyClicks(window.search, "850730")
    assert window.worker_model.rowCount() == 1
    window.search.clear()
    qtbot.keyClicks(window.search, "janssens")
    assert window.worker_model.rowCount() == 0
    assert "0 van 1" in window.count_label.text()


def test_invalid_input_shows_messages_next_to_the_fields_and_saves_nothing(window, qtbot, services):
    d = services.dossiers.add(Dossier("X", announcement_date=dt.date(2024, 3, 1)))
    dlg = WorkerDialog(services.workers, d, parent=window)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.first_names, "Jan")
    qtbot.keyClicks(dlg.insz, "12345678901")
    qtbot.keyClicks(dlg.postcode, "12")
    qtbot.keyClicks(dlg.birth, "31/02/1980")
    dlg.save()
    assert dlg.result() != dlg.DialogCode.Accepted
    assert "Naam is verplicht" in dlg.fields["surname"].error.text()
    assert dlg.fields["birth_date"].error.isVisibleTo(dlg)
    assert "datum" in dlg.fields["birth_date"].error.text()
    assert services.workers.count() == 0


def test_accented_names_are_stored_unchanged(window, qtbot, services):
    d = services.dossiers.add(Dossier("X"))
    dlg = WorkerDialog(services.workers, d, parent=window)
    qtbot.addWidget(dlg)
    dlg.surname.setText("Çelik-Lefèvre")     # non-ASCII: setText, never keyClicks
    dlg.first_names.setText("Zoë")
    dlg.save()
    assert services.workers.get(dlg.worker.id).first_names == "Zoë"
    window.refresh_dossiers(d.id)
    window.search.setText("zoe celik")
    assert window.worker_model.rowCount() == 1


def test_unsaved_changes_guard_on_cancel(window, qtbot, services, monkeypatch):
    d = services.dossiers.add(Dossier("X"))
    dlg = WorkerDialog(services.workers, d, parent=window)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.surname.setText("Maes")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or answers[len(asked) - 1])
    dlg.reject()
    assert len(asked) == 1 and dlg.isVisible()        # "Annuleren": the form stays open with the text
    assert dlg.surname.text() == "Maes"
    dlg.reject()
    assert len(asked) == 2 and not dlg.isVisible()    # "Niet bewaren": closed, nothing stored
    assert services.workers.count() == 0


def test_dossier_dialog_refuses_bad_kbo(window, qtbot, services):
    dlg = DossierDialog(services.dossiers, parent=window)
    qtbot.addWidget(dlg)
    dlg.company.setText("Bedrijf")
    dlg.kbo.setText("0403.170.702")
    dlg.save()
    assert "KBO" in dlg.fields["kbo_number"].error.text()
    assert services.dossiers.summaries() == []
    dlg.kbo.setText("0403.170.701")
    dlg.save()
    assert services.dossiers.summaries()[0].kbo_number == "0403170701"


def test_worker_model_sorts_and_filters(qtmodeltester, services):
    from cli.cmd_demo import create_demo
    did, _ = create_demo(services.db, 60)
    model = WorkerTableModel()
    model.set_rows(services.workers.summaries(did))
    qtmodeltester.check(model)
    model.sort(WorkerTableModel.COL_INSZ, Qt.SortOrder.DescendingOrder)
    values = [model.data(model.index(r, WorkerTableModel.COL_INSZ)) for r in range(model.rowCount())]
    assert values == sorted(values, reverse=True)
    model.set_filter("lasser")
    assert 0 < model.rowCount() < 60
    assert all("lasser" in model.worker_at(r).previous_job_title.lower() for r in range(model.rowCount()))
