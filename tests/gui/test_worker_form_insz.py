"""Correcting a mistyped INSZ: a birth date and sex filled in from the wrong INSZ follow the new one;
a birth date or sex the counsellor typed himself stays (and saving still says when it disagrees)."""
import datetime as dt

import pytest

from core.model import Dossier, Sex, Worker
from gui.worker_form import WorkerDialog

WRONG = "81090100283"        # 01/09/1981, vrouw
RIGHT = "90031500204"        # 15/03/1990, vrouw
MAN = "90031500303"          # 15/03/1990, man (the correction of the review)


@pytest.fixture
def dossier(services):
    return services.dossiers.add(Dossier("Testcel Rapport NV", announcement_date=dt.date(2026, 9, 1)))


@pytest.fixture
def dialog(qtbot, services, dossier):
    dlg = WorkerDialog(services.workers, dossier)
    qtbot.addWidget(dlg)
    return dlg


def type_insz(qtbot, dlg, number):
    dlg.insz.clear()
    qtbot.keyClicks(dlg.insz, number)
    dlg.insz.editingFinished.emit()


def test_numbers_used_here_are_what_the_tests_say():
    from core.validation import parse_insz
    assert (parse_insz(WRONG).birth_date, parse_insz(WRONG).sex) == (dt.date(1981, 9, 1), Sex.V)
    assert (parse_insz(RIGHT).birth_date, parse_insz(RIGHT).sex) == (dt.date(1990, 3, 15), Sex.V)
    assert (parse_insz(MAN).birth_date, parse_insz(MAN).sex) == (dt.date(1990, 3, 15), Sex.M)


def test_birth_date_and_sex_filled_from_a_mistyped_insz_follow_the_corrected_one(qtbot, services, dialog):
    dialog.surname.setText("Claes")
    dialog.first_names.setText("Chris")
    type_insz(qtbot, dialog, WRONG)
    assert (dialog.birth.text(), dialog.sex.currentData()) == ("01/09/1981", Sex.V)
    type_insz(qtbot, dialog, MAN)
    assert (dialog.birth.text(), dialog.sex.currentData()) == ("15/03/1990", Sex.M)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    stored = services.workers.get(dialog.worker.id)
    assert (stored.birth_date, stored.sex) == (dt.date(1990, 3, 15), Sex.M)


def test_what_the_counsellor_typed_himself_stays_and_is_still_checked(qtbot, dialog):
    dialog.surname.setText("Claes")
    dialog.first_names.setText("Chris")
    dialog.birth.setText("02/02/1982")
    dialog.sex.setCurrentIndex(dialog.sex.findData(Sex.X))
    type_insz(qtbot, dialog, WRONG)
    assert (dialog.birth.text(), dialog.sex.currentData()) == ("02/02/1982", Sex.X)
    type_insz(qtbot, dialog, RIGHT)
    assert (dialog.birth.text(), dialog.sex.currentData()) == ("02/02/1982", Sex.X)
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "komt niet overeen met het INSZ (15/03/1990)" in dialog.fields["birth_date"].error.text()


def test_a_birth_date_changed_by_hand_after_the_insz_stays(qtbot, dialog):
    type_insz(qtbot, dialog, WRONG)
    dialog.birth.setText("01/09/1980")                 # the counsellor overwrote it
    type_insz(qtbot, dialog, RIGHT)
    assert dialog.birth.text() == "01/09/1980"
    assert dialog.sex.currentData() == Sex.V            # the sex still came from an INSZ


def test_a_stored_birth_date_that_agrees_with_the_stored_insz_follows_a_corrected_insz(qtbot, services, dossier):
    w = services.workers.add(Worker("Claes", "Chris", dossier_id=dossier.id, insz=WRONG,
                                    birth_date=dt.date(1981, 9, 1), sex=Sex.V))
    dlg = WorkerDialog(services.workers, dossier, w)
    qtbot.addWidget(dlg)
    type_insz(qtbot, dlg, MAN)
    assert (dlg.birth.text(), dlg.sex.currentData()) == ("15/03/1990", Sex.M)
