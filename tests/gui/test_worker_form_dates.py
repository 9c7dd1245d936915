"""Dates typed in the worker form: five digits are no Excel serial, "vandaag" is today."""
import datetime as dt

import pytest

from core.model import Dossier
from gui.widgets import DateEdit
from gui.worker_form import WorkerDialog


@pytest.fixture
def dialog(qtbot, services):
    d = services.dossiers.add(Dossier("Testcel Rapport NV", announcement_date=dt.date(2026, 9, 1)))
    dlg = WorkerDialog(services.workers, d)
    qtbot.addWidget(dlg)
    dlg.surname.setText("Claes")
    dlg.first_names.setText("Chris")
    return dlg


@pytest.mark.parametrize("field,editor", [("birth_date", "birth"), ("seniority_start", "seniority")])
@pytest.mark.parametrize("typed", ["10226", "31122"])
def test_five_digits_in_a_date_field_are_refused_next_to_it(qtbot, services, dialog, field, editor, typed):
    qtbot.keyClicks(getattr(dialog, editor), typed)
    getattr(dialog, editor).editingFinished.emit()
    assert getattr(dialog, editor).text() == typed             # not turned into 1927 or 1985
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.fields[field].error.text() == f"{typed} is geen datum: typ de datum als dd/mm/jjjj (bv. 10/02/2026)."
    assert services.workers.count() == 0


def test_vandaag_in_a_date_field_becomes_todays_date(qtbot):
    edit = DateEdit()
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "vandaag")
    edit.editingFinished.emit()
    assert edit.text() == dt.date.today().strftime("%d/%m/%Y")
    assert edit.date() == dt.date.today()
