"""The worker list: its best-occupation column follows a saved worker, the keyboard gets in and out of the
table (Tab leaves it, a search makes the first hit current so Enter opens it), Ctrl+3 / Ctrl+4 land in the
tab's input, counts say "1 werknemer", and only the beheerder of an empty database gets the demo button."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.model import Dossier, Worker
from core.security import KdfParams, Principal, Role
from db.accounts import AccountRepository, bind
from db.connection import open_database
from db.matches import MatchResultRepository
from gui.dossier_match import best_per_worker
from gui.main_window import PAGE_DOSSIER, PAGE_EMPTY, PAGE_WORKER
from gui.models import WorkerTableModel
from gui.services import Services
from gui.worker_view import TAB_COMPETENCES, TAB_LANGUAGES
from tests.gui.test_workflow_support import FakeMatcher, Match, shown_main_window


@pytest.fixture
def mwindow(qtbot, services):
    services.extra["matching"] = FakeMatcher()
    with shown_main_window(qtbot, services) as w:
        yield w


def demo(window, services, n=5):
    from cli.cmd_demo import create_demo
    did, _ = create_demo(services.db, n)
    window.refresh_dossiers(did)
    return did


def stale(services, wid):
    MatchResultRepository(services.db).store(wid, [Match("o_oud", "Oud beroep", "", "", "", [], True, 0.97)])


def best_shown(window, wid):
    return window.worker_model.index(window.worker_model.row_of(wid), WorkerTableModel.COL_BEST).data()


def add_forklift_and_save(window, wid):
    assert window.open_worker(wid)
    view = window.worker_view
    view.competences.input.setText("heftruck")
    view.competences._chosen(None, "heftruck")
    assert view.save()
    return view


def test_saving_a_worker_reranks_their_stored_best_occupation(mwindow, services):
    did = demo(mwindow, services)
    wid = mwindow.worker_model.worker_at(0).id
    stale(services, wid)
    mwindow.refresh_workers()
    assert "Oud beroep" in best_shown(mwindow, wid)
    view = add_forklift_and_save(mwindow, wid)
    top = FakeMatcher().rank(view.worker)[0]
    assert top.name == "Heftruckchauffeur"
    assert best_per_worker(services.db, did)[wid] == (top.name, top.score)
    view.back_requested.emit()
    assert mwindow.stack.currentIndex() == PAGE_DOSSIER
    assert best_shown(mwindow, wid) == f"{top.score * 100:.0f}%  Heftruckchauffeur"


def test_without_matching_saving_clears_the_stale_best_occupation(qtbot, services):
    services.extra.pop("matching", None)
    with shown_main_window(qtbot, services) as w:
        did = demo(w, services)
        wid, other = w.worker_model.worker_at(0).id, w.worker_model.worker_at(1).id
        stale(services, wid)
        stale(services, other)
        w.open_worker(wid)
        w.worker_view.identity.phone.setText("011 22 33 44")
        assert w.worker_view.save()
        best = best_per_worker(services.db, did)
        assert wid not in best and best[other][0] == "Oud beroep"   # only the saved worker's ranking goes
        w.worker_view.back_requested.emit()
        assert not best_shown(w, wid)


def test_tab_leaves_the_table_and_a_search_hit_opens_with_enter(mwindow, qtbot, services):
    demo(mwindow, services, 8)
    w = mwindow
    assert not w.table.tabKeyNavigation()
    w.table.setFocus()
    w.table.selectRow(0)
    qtbot.keyClick(w.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not w.table
    target = w.worker_model.worker_at(3)
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is w.search
    w.search.setText(target.insz)
    assert w.worker_model.rowCount() == 1
    assert w.current_worker_id() == target.id            # the single hit is current
    qtbot.keyClick(w.search, Qt.Key.Key_Return)
    assert w.stack.currentIndex() == PAGE_WORKER and w.worker_view.worker.id == target.id


def test_down_in_the_search_field_goes_to_the_hits(mwindow, qtbot, services):
    demo(mwindow, services, 8)
    w = mwindow
    first = w.worker_model.worker_at(0)
    w._focus_search()
    w.search.setText(first.surname)
    hit = w.worker_model.worker_at(0)
    qtbot.keyClick(w.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is w.table and w.current_worker_id() == hit.id
    qtbot.keyClick(w.table, Qt.Key.Key_Return)
    assert w.stack.currentIndex() == PAGE_WORKER and w.worker_view.worker.id == hit.id


def test_ctrl_3_and_ctrl_4_focus_the_competence_and_language_inputs(mwindow, qtbot, services):
    demo(mwindow, services, 2)
    w = mwindow
    w.open_worker(w.worker_model.worker_at(0).id)
    view = w.worker_view
    qtbot.keyClick(QApplication.focusWidget() or view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert view.tabs.currentIndex() == TAB_COMPETENCES
    assert QApplication.focusWidget() is view.competences.input
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert view.tabs.currentIndex() == TAB_LANGUAGES
    assert QApplication.focusWidget() is view.languages.table.first_input()
    assert QApplication.focusWidget().accessibleName() == "Taal"


def test_one_worker_is_counted_in_the_singular(mwindow, services):
    d = services.dossiers.add(Dossier("Eenmanszaak BV", announcement_date=dt.date(2026, 9, 1)))
    services.workers.add(Worker("Peeters", "Jan", dossier_id=d.id))
    mwindow.refresh_dossiers(d.id)
    assert mwindow.count_label.text() == "1 werknemer"
    mwindow.search.setText("janssens")
    assert mwindow.count_label.text() == "0 van 1 werknemer"
    row = mwindow.dossier_model.index(mwindow.dossier_model.row_of(d.id)).data()
    assert "1 werknemer ·" in row and "werknemers" not in row


# -- the empty page ---------------------------------------------------------------------------------

@pytest.fixture
def accounts_db(tmp_path):
    path = tmp_path / "cel.db"
    db = open_database(path)
    accounts = AccountRepository(db, principal=None, audit=None, kdf=KdfParams.INSECURE_FAST)
    who = {}
    for login, role in (("beheer", Role.ADMIN), ("kim", Role.COORDINATOR), ("bram", Role.CONSULENT)):
        acc = accounts.add(login, login.title(), role, "Proef-Sleutel-2026!")
        who[login] = Principal(acc.id, acc.login, acc.name, acc.role)
    yield db, path, who
    db.conn.close()


def window_as(qtbot, accounts_db, login):
    db, path, who = accounts_db
    bind(db, who[login], None)
    return shown_main_window(qtbot, Services.from_db(db, path, matching=False))


def test_an_unassigned_consulent_is_told_to_ask_and_gets_no_demo(qtbot, accounts_db):
    db, path, who = accounts_db
    from db.dossiers import DossierRepository
    DossierRepository(db, principal=None, audit=None).add(Dossier("Echte Sluiting NV"))   # not assigned to bram
    with window_as(qtbot, accounts_db, "bram") as w:
        assert w.stack.currentIndex() == PAGE_EMPTY
        assert "nog geen dossiers aan jou toegewezen" in w.empty_message.text()
        assert "beheerder of celcoördinator" in w.empty_message.text()
        assert w.btn_demo.isHidden() and not w.may_create_demo()
        w.create_demo()                                  # even called directly: nothing is written
    assert db.conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 1


def test_the_beheerder_of_an_empty_database_gets_the_demo_a_coordinator_does_not(qtbot, accounts_db):
    with window_as(qtbot, accounts_db, "kim") as w:
        assert w.stack.currentIndex() == PAGE_EMPTY and w.btn_demo.isHidden()
        assert "demodossier" not in w.empty_message.text()
    with window_as(qtbot, accounts_db, "beheer") as w:
        assert w.stack.currentIndex() == PAGE_EMPTY and not w.btn_demo.isHidden()
        assert "demodossier" in w.empty_message.text()


def test_one_task_and_a_one_day_training_in_other_screens(qtbot, services):
    from core.followup import TodoItem
    from gui.todo_view import TodoView
    view = TodoView(services)
    qtbot.addWidget(view)
    item = TodoItem("contact", 1, "Claes Kris", "Geen contact sinds 01/01/2026.", dt.date(2026, 1, 1), urgent=True)
    view._show([item])
    assert view.summary.text() == "1 taak, waarvan 1 dringend"
    view._show([item, item])
    assert view.summary.text() == "2 taken, waarvan 2 dringend"


class _HeldMatcher(FakeMatcher):
    """Ranks a dossier only when released, so a worker can be saved while the dossier is being ranked."""

    def __init__(self):
        super().__init__()
        import threading
        self.started, self.release = threading.Event(), threading.Event()

    def rank_dossier(self, workers, progress, is_cancelled):
        if len(workers) > 1:                          # the whole dossier; a saved worker ranks at once
            self.started.set()
            assert self.release.wait(10)
        return super().rank_dossier(workers, progress, is_cancelled)


def test_a_worker_saved_while_the_dossier_is_ranked_keeps_the_ranking_of_the_save(qtbot, services):
    held = _HeldMatcher()
    services.extra["matching"] = held
    with shown_main_window(qtbot, services) as w:
        did = demo(w, services)
        wid, other = w.worker_model.worker_at(0).id, w.worker_model.worker_at(1).id
        assert w.dossier_match.start(did)
        try:
            assert held.started.wait(10)             # the dossier's workers are read: profiles as they were
            view = add_forklift_and_save(w, wid)     # saved (and ranked again) while the dossier is ranked
            fresh = FakeMatcher().rank(view.worker)[0]
            assert best_per_worker(services.db, did)[wid] == (fresh.name, fresh.score)
        except BaseException:
            held.release.set()                       # never leave the ranking thread waiting
            raise
        with qtbot.waitSignal(w.dossier_match.finished, timeout=10000):
            held.release.set()
        best = best_per_worker(services.db, did)
        assert best[wid] == (fresh.name, fresh.score)    # not replaced by the ranking of the old profile
        assert other in best                              # the others are stored as before
        old = [x for x in services.workers.load_dossier(did) if x.id == other][0]
        assert best[other] == (FakeMatcher().rank(old)[0].name, FakeMatcher().rank(old)[0].score)


def test_store_many_keeps_rankings_newer_than_the_read(services):
    from db.convert import utc_now
    from cli.cmd_demo import create_demo
    did, _ = create_demo(services.db, 3)
    a, b, c = [x.id for x in services.workers.load_dossier(did)]
    repo = MatchResultRepository(services.db)
    read_at = utc_now()
    stale(services, b)                                       # ranked again after the read
    w = services.workers.get(c)
    services.workers.update(w)                               # saved after the read
    new = [Match("o_new", "Nieuw beroep", "", "", "", [], True, 0.5)]
    stored = repo.store_many({a: new, b: new, c: new}, read_at=read_at)
    assert stored == [a]
    best = best_per_worker(services.db, did)
    assert best[a][0] == "Nieuw beroep" and best[b][0] == "Oud beroep" and c not in best
    assert repo.store_many({b: new}) == [b] and best_per_worker(services.db, did)[b][0] == "Nieuw beroep"
