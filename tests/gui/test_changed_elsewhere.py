"""A worker, plan or dossier saved elsewhere after the form read it (another window, a transfer import, a command)
is not overwritten: the save is refused with nothing written, and the counsellor can reload what is stored."""
import pytest

from core.model import TrajectoryPlan
from db.connection import open_database
from db.dossiers import DossierRepository
from db.errors import ChangedElsewhere
from db.plans import PlanRepository
from db.workers import WorkerRepository
from gui import changed_elsewhere
from tests.gui.test_workflow_support import shown_main_window


@pytest.fixture
def mwindow(qtbot, services):
    with shown_main_window(qtbot, services) as w:
        yield w


@pytest.fixture
def asked(monkeypatch):
    """The reload question: records each message and answers with ``asked.answer`` (False: keep the input)."""
    class Asked(list):
        answer = False
    out = Asked()

    def ask(parent, message):
        out.append(message)
        return out.answer
    monkeypatch.setattr(changed_elsewhere, "ask_reload", ask)
    return out


@pytest.fixture
def elsewhere(services, tmp_path):
    """A second connection to the same file, as another window or a command has."""
    other = open_database(tmp_path / "gui.db")
    yield other
    other.conn.close()


def _open_first(window, services):
    from cli.cmd_demo import create_demo
    did, _ = create_demo(services.db, 3)
    window.refresh_dossiers(did)
    wid = window.worker_model.worker_at(0).id
    assert window.open_worker(wid)
    return wid, window.worker_view


def test_a_save_over_a_worker_saved_in_another_window_is_refused_and_reload_shows_it(mwindow, services, elsewhere,
                                                                                      asked):
    wid, view = _open_first(mwindow, services)
    other = WorkerRepository(elsewhere, principal=None, audit=None)
    b = other.get(wid)
    b.phone = "0499 12 34 56"
    other.update(b)                                      # window B saves first
    view.identity.municipality.setText("Gent")           # window A, opened before, then saves
    assert not view.save()
    assert len(asked) == 1 and "werd intussen elders gewijzigd" in asked[0] and "Herlaad" in asked[0]
    stored = services.workers.get(wid)
    assert stored.phone == "0499 12 34 56" and stored.municipality != "Gent"      # B's phone is kept
    assert view.identity.municipality.text() == "Gent" and view.is_dirty()        # A's input stays on screen
    assert not view.save() and len(asked) == 2                                    # and stays refused
    asked.answer = True
    assert not view.save()                                                        # reloaded
    assert view.identity.phone.text() == "0499 12 34 56" and not view.is_dirty()
    view.identity.municipality.setText("Gent")
    assert view.save()
    stored = services.workers.get(wid)
    assert (stored.phone, stored.municipality) == ("0499 12 34 56", "Gent")


def test_a_record_changed_by_a_transfer_import_is_a_change_too(mwindow, services, elsewhere, asked):
    wid, view = _open_first(mwindow, services)
    uid = elsewhere.execute("SELECT uid FROM worker_competences WHERE worker_id = ? LIMIT 1", [wid]).fetchone()[0]
    # what db.transfer_repo does with a record changed on the other computer: its data and that computer's
    # (older) stamp, without touching the worker's own row
    elsewhere.execute("UPDATE worker_competences SET level = 4, modified = '2020-01-01T00:00:00.000000Z' "
                      "WHERE uid = ?", [uid])
    elsewhere.conn.commit()
    view.identity.phone.setText("011 22 33 44")
    assert not view.save() and asked
    assert services.workers.get(wid).phone != "011 22 33 44"


def test_the_windows_own_changes_do_not_count_as_elsewhere(mwindow, services, asked):
    wid, view = _open_first(mwindow, services)
    assert view.assign_counsellor("iemand")              # stored at once, the form stays open
    view.identity.phone.setText("011 22 33 44")
    assert view.save()
    view.identity.phone.setText("011 55 66 77")
    assert view.save() and not asked                     # saved twice from the same form
    assert services.workers.get(wid).phone == "011 55 66 77"


def test_a_plan_changed_elsewhere_refuses_the_whole_save(mwindow, services, elsewhere, asked):
    from cli.cmd_demo import create_demo
    did, _ = create_demo(services.db, 2)
    mwindow.refresh_dossiers(did)
    wid = mwindow.worker_model.worker_at(0).id
    PlanRepository(services.db, principal=None, audit=None).save(TrajectoryPlan(worker_id=wid))
    assert mwindow.open_worker(wid)
    view = mwindow.worker_view
    plans = PlanRepository(elsewhere, principal=None, audit=None)
    p = plans.versions(wid)[-1]
    p.agreements = "Afspraak uit venster B"
    plans.save(p)
    view.plan.agreements.setPlainText("Afspraak uit venster A")
    view.identity.phone.setText("011 22 33 44")
    assert not view.save() and "trajectplan" in asked[0]
    assert services.workers.get(wid).phone != "011 22 33 44"                     # the worker was not saved either
    assert plans.versions(wid)[-1].agreements == "Afspraak uit venster B"


def test_repositories_refuse_stale_records(services, elsewhere):
    from cli.cmd_demo import create_demo
    did, _ = create_demo(services.db, 1)
    here, there = DossierRepository(services.db), DossierRepository(elsewhere, principal=None, audit=None)
    d, d2 = here.get(did), there.get(did)
    d2.site_address = "Elders 1"
    there.update(d2)
    d.joint_committee = "111"
    with pytest.raises(ChangedElsewhere, match="Dit dossier .* werd intussen elders gewijzigd"):
        here.update(d)
    assert here.get(did).site_address == "Elders 1"


def test_the_dossier_dialog_offers_to_reload(qtbot, services, elsewhere, asked):
    from cli.cmd_demo import create_demo
    from gui.dossier_form import DossierDialog
    did, _ = create_demo(services.db, 1)
    dlg = DossierDialog(services.dossiers, services.dossiers.get(did))
    qtbot.addWidget(dlg)
    there = DossierRepository(elsewhere, principal=None, audit=None)
    d2 = there.get(did)
    d2.site_address = "Elders 1"
    there.update(d2)
    dlg.pc.setText("209")
    asked.answer = True
    dlg.save()
    assert asked and dlg.result() == 0 and dlg.site.text() == "Elders 1" and dlg.pc.text() != "209"
    dlg.pc.setText("209")
    dlg.save()
    stored = services.dossiers.get(did)
    assert (stored.site_address, stored.joint_committee) == ("Elders 1", "209")
