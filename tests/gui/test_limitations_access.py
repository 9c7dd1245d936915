"""Functional limitations in the worker view, signed in with a role: the own counsellor records them and
they survive a reopen; anyone else gets a notice instead of an input (never a form that looks saved
while the repository drops what was typed); a worker without counsellor is taken on or assigned."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core.model import Dossier, FunctionalLimitation, Worker
from core.security import KdfParams, Principal, Role
from db.accounts import AccountRepository, bind
from db.connection import open_database
from db.dossiers import DossierRepository
from db.workers import WorkerRepository
from gui.services import Services
from gui.worker_view import TAB_IDENTITY, TAB_PREFERENCES
from tests.gui.test_workflow_support import FakeMatcher, shown_main_window

PW = "Proef-Sleutel-2026!"
TODAY = dt.date.today()


@pytest.fixture
def cell(tmp_path):
    """Dossier A with consulenten An and Cas; a beheerder and a coordinator assigned to nothing. Worker
    ``own`` is Cas's, ``free`` has no counsellor yet (with a limitation the coordinator noted)."""
    path = tmp_path / "cel.db"
    db = open_database(path)
    accounts = AccountRepository(db, principal=None, audit=None, kdf=KdfParams.INSECURE_FAST)
    who = {}
    for login, name, role in (("beheer", "Bea Heerder", Role.ADMIN), ("kim", "Kim Coördinator", Role.COORDINATOR),
                              ("an", "An Peeters", Role.CONSULENT), ("cas", "Cas Claes", Role.CONSULENT)):
        acc = accounts.add(login, name, role, PW)
        who[login] = Principal(acc.id, acc.login, acc.name, acc.role)
    d = DossierRepository(db, principal=None, audit=None).add(
        Dossier("Van Hool NV", announcement_date=TODAY - dt.timedelta(days=100)))
    for login in ("an", "cas"):
        accounts.assign(d.id, who[login].account_id)
    system = WorkerRepository(db, principal=None, audit=None)
    ids = {"dossier": d.id}
    ids["own"] = system.add(Worker("Aerts", "Alma", dossier_id=d.id, counsellor="cas",
                                   limitations=[FunctionalLimitation("tillen", "max. 10 kg")])).id
    ids["free"] = system.add(Worker("Baert", "Bart", dossier_id=d.id,
                                    limitations=[FunctionalLimitation("nachtwerk", "geen nachtploeg")])).id
    yield db, path, who, ids
    db.conn.close()


@pytest.fixture
def sign_in(qtbot, cell):
    """``sign_in(login)`` -> a shown main window on the cell's database, as that account."""
    db, path, who, ids = cell
    windows = []

    def open_as(login):
        bind(db, who[login], None)
        services = Services.from_db(db, path, matching=False)
        services.extra["matching"] = FakeMatcher()
        ctx = shown_main_window(qtbot, services)
        win = ctx.__enter__()
        windows.append(ctx)
        win.refresh_dossiers(ids["dossier"])
        return win
    yield open_as
    for ctx in reversed(windows):
        ctx.__exit__(None, None, None)


def limits_state(view):
    p = view.preferences
    return {"allowed": p.limitations_allowed, "table": not p.limits.isHidden(),
            "input": p.limits.inputs["note"].isEnabled(), "take_on": not p.btn_take_on.isHidden(),
            "notice": p.limits_notice.text() if not p.limits_notice.isHidden() else ""}


def test_a_consulents_new_worker_keeps_her_limitations_after_a_reopen(qtbot, cell, sign_in):
    db, path, who, ids = cell
    win = sign_in("an")
    win.new_worker()
    view = win.worker_view
    assert "An Peeters (jij)" in view.counsellor.label.text()
    view.identity.surname.setText("Claes")
    view.identity.first_names.setText("Hilde")
    assert view.save()
    view.show_tab(TAB_PREFERENCES)
    assert limits_state(view) == {"allowed": True, "table": True, "input": True, "take_on": False, "notice": ""}
    note = view.preferences.limits.inputs["note"]
    note.setFocus()
    qtbot.keyClicks(note, "niet langer dan 2 uur rechtstaan")
    qtbot.keyClick(note, Qt.Key.Key_Return)
    assert view.save() and not view.is_dirty()
    wid = view.worker.id
    assert WorkerRepository(db, principal=None).get(wid).counsellor == "an"
    assert win.open_worker(ids["own"]) and win.open_worker(wid)         # away and back: read from the file
    assert [(x.kind, x.note) for x in view.preferences.limits.model.items] == \
        [("tillen", "niet langer dan 2 uur rechtstaan")]
    assert [x.note for x in WorkerRepository(db, principal=None).get(wid).limitations] == \
        ["niet langer dan 2 uur rechtstaan"]


def test_someone_elses_worker_shows_a_notice_and_takes_no_limitations(qtbot, cell, sign_in):
    db, path, who, ids = cell
    win = sign_in("an")
    assert win.open_worker(ids["own"])
    view = win.worker_view
    view.show_tab(TAB_PREFERENCES)
    state = limits_state(view)
    assert state["allowed"] is False and state["table"] is False and state["input"] is False
    assert state["take_on"] is False
    assert "Cas Claes" in state["notice"] and "niet zien of noteren" in state["notice"]
    assert not view.preferences.limits.submit()                        # nothing can be added
    assert view.counsellor.label.text() == "Eigen consulent: Cas Claes" and view.counsellor.btn_take_on.isHidden()
    view.identity.phone.setText("011 22 33 44")
    assert view.save()
    kept = WorkerRepository(db, principal=None).get(ids["own"])
    assert kept.phone == "011 22 33 44" and [x.note for x in kept.limitations] == ["max. 10 kg"]


def test_a_refusal_of_the_repository_is_shown_and_nothing_looks_saved(qtbot, cell, sign_in):
    """The worker is given to someone else while it is open: saving a new limitation is refused with a
    message, the form stays unsaved, nothing is stored."""
    db, path, who, ids = cell
    win = sign_in("cas")
    assert win.open_worker(ids["own"])
    view = win.worker_view
    view.show_tab(TAB_PREFERENCES)
    view.preferences.limits.inputs["note"].setText("niet bukken")
    assert view.preferences.limits.submit()
    WorkerRepository(db, principal=who["kim"]).set_counsellor(ids["own"], "an")
    assert not view.save()
    assert view.general_error.isVisible() and "niets bewaard" in view.general_error.text()
    assert view.is_dirty() and view.tabs.currentIndex() == TAB_PREFERENCES
    assert [x.note for x in WorkerRepository(db, principal=None).get(ids["own"]).limitations] == ["max. 10 kg"]


def test_a_worker_without_counsellor_is_taken_on_without_losing_other_edits(qtbot, cell, sign_in):
    db, path, who, ids = cell
    win = sign_in("an")
    assert win.open_worker(ids["free"])
    view = win.worker_view
    view.identity.street.setText("Kerkstraat 1")                     # an edit not saved yet
    view.show_tab(TAB_PREFERENCES)
    state = limits_state(view)
    assert state["allowed"] is False and state["take_on"] is True and "Zelf opvolgen" in state["notice"]
    qtbot.mouseClick(view.preferences.btn_take_on, Qt.MouseButton.LeftButton)
    assert WorkerRepository(db, principal=None).get(ids["free"]).counsellor == "an"       # stored at once
    assert limits_state(view)["allowed"] is True and limits_state(view)["table"] is True
    assert [x.note for x in view.preferences.limits.model.items] == ["geen nachtploeg"]    # loaded now
    assert "An Peeters (jij)" in view.counsellor.label.text()
    assert view.identity.street.text() == "Kerkstraat 1" and view.is_dirty()            # still there, unsaved
    view.preferences.limits.inputs["note"].setText("niet boven 5 kg")
    assert view.preferences.limits.submit()
    assert view.save()
    stored = WorkerRepository(db, principal=None).get(ids["free"])
    assert stored.street == "Kerkstraat 1" and [x.note for x in stored.limitations] == ["geen nachtploeg",
                                                                                         "niet boven 5 kg"]


def test_the_beheerder_not_on_the_dossier_cannot_take_on(qtbot, cell, sign_in):
    db, path, who, ids = cell
    win = sign_in("beheer")
    assert win.open_worker(ids["free"])
    view = win.worker_view
    view.show_tab(TAB_PREFERENCES)
    state = limits_state(view)
    assert state["allowed"] is False and state["take_on"] is False and "celcoördinator" in state["notice"]
    assert view.counsellor.btn_take_on.isHidden() and view.counsellor.choice.isHidden()


def test_the_coordinator_assigns_a_counsellor(qtbot, cell, sign_in, monkeypatch):
    db, path, who, ids = cell
    win = sign_in("kim")
    assert win.open_worker(ids["free"])
    view = win.worker_view
    view.show_tab(TAB_IDENTITY)
    assert limits_state(view)["allowed"] is True                        # the coordinator sees all
    box = view.counsellor.choice
    assert not box.isHidden() and [box.itemData(i) for i in range(box.count())] == ["", "an", "cas", "kim"]
    box.setCurrentIndex(box.findData("cas"))
    qtbot.mouseClick(view.counsellor.btn_assign, Qt.MouseButton.LeftButton)
    assert WorkerRepository(db, principal=None).get(ids["free"]).counsellor == "cas"
    assert view.counsellor.label.text() == "Eigen consulent: Cas Claes" and not view.is_dirty()
    # a refusal (here: an account switched off meanwhile) is said, nothing changes
    db.conn.execute("UPDATE accounts SET active = 0 WHERE login = 'an'")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    assert not view.assign_counsellor("an")
    assert warnings and "geen actief account" in warnings[0]
    assert WorkerRepository(db, principal=None).get(ids["free"]).counsellor == "cas"
