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


def test_a_seniority_start_months_after_the_birth_is_refused_next_to_it(qtbot, services, dialog):
    dialog.birth.setText("01/09/1981")
    dialog.seniority.setText("01/12/1981")
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.fields["seniority_start"].error.text() == (
        "Anciënniteit begint vóór de werknemer 15 jaar werd (01/09/1996), de minimumleeftijd om te werken.")
    assert services.workers.count() == 0
    dialog.seniority.setText("01/09/1999")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_the_worker_view_checks_the_seniority_against_its_own_rules(qtbot, services):
    import dataclasses

    from core.model import Worker
    from tests.gui.test_workflow_support import FakeMatcher, shown_main_window
    d = services.dossiers.add(Dossier("Van Hool NV", announcement_date=dt.date.today() - dt.timedelta(days=100)))
    w = services.workers.add(Worker("Aerts", "An", dossier_id=d.id, birth_date=dt.date(1970, 5, 1),
                                    seniority_start=dt.date(2001, 1, 1)))
    services.extra["matching"] = FakeMatcher()
    with shown_main_window(qtbot, services) as win:
        win.refresh_dossiers(d.id)
        assert win.open_worker(w.id)
        view = win.worker_view
        view.rules = dataclasses.replace(view.rules, min_working_age=35)    # as an administrator set it
        view.identity.surname.setText("Aerts-Peeters")
        assert not view.save()
        assert "vóór de werknemer 35 jaar werd (01/05/2005)" in view.identity.fields["seniority_start"].error.text()
        assert services.workers.get(w.id).surname == "Aerts"
        view.identity.surname.setText("Aerts")                # nothing left unsaved when the window closes
        view.identity.seniority.clearFocus()                  # (the refused save put the focus there)
