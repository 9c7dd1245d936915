"""The intake's statute choice: 'onbekend' is offered, is what a new worker gets, and is saved as such."""
from core.model import Dossier, Statute, Worker
from gui.worker_form import WorkerDialog


def _texts(combo):
    return [combo.itemText(i) for i in range(combo.count())]


def test_new_worker_without_a_choice_is_saved_with_an_unknown_statute(qtbot, services):
    d = services.dossiers.add(Dossier("Van Hool NV"))
    dlg = WorkerDialog(services.workers, d)
    qtbot.addWidget(dlg)
    assert _texts(dlg.statute) == ["onbekend", "arbeider", "bediende"]
    assert dlg.statute.currentText() == "onbekend"
    dlg.surname.setText("Peeters")
    dlg.first_names.setText("Jan")
    dlg.save()
    assert dlg.worker.id is not None
    assert services.workers.get(dlg.worker.id).statute is Statute.ONBEKEND


def test_a_known_statute_is_shown_and_can_be_set_back_to_unknown(qtbot, services):
    d = services.dossiers.add(Dossier("Van Hool NV"))
    w = services.workers.add(Worker("Maes", "An", dossier_id=d.id, statute=Statute.BEDIENDE))
    dlg = WorkerDialog(services.workers, d, w)
    qtbot.addWidget(dlg)
    assert dlg.statute.currentText() == "bediende"
    dlg.statute.setCurrentIndex(dlg.statute.findText("onbekend"))
    assert dlg.is_dirty()
    dlg.save()
    assert services.workers.get(w.id).statute is Statute.ONBEKEND
    again = WorkerDialog(services.workers, d, services.workers.get(w.id))
    qtbot.addWidget(again)
    assert again.statute.currentText() == "onbekend"
    arb = services.workers.add(Worker("Claes", "Cas", dossier_id=d.id, statute=Statute.ARBEIDER))
    shown = WorkerDialog(services.workers, d, arb)
    qtbot.addWidget(shown)
    assert shown.statute.currentText() == "arbeider"
