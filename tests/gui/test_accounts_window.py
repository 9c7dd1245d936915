"""Accounts window: dossiers assigned to a consulent (beheerder and celcoördinator), the role box follows the
selected account and a role change is confirmed; 'Laatst aangemeld' and the audit window in local time."""
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core.model import Dossier
from core.security import KdfParams, Role
from db.accounts import AccountRepository, create_first_admin, login

FAST = KdfParams.INSECURE_FAST
PW = "Heel-Lang-Wachtwoord-2026!"


@pytest.fixture
def cell(tmp_path):
    """A beheerder, a celcoördinator, a consulent and two dossiers; the beheerder signed in."""
    from db.dossiers import DossierRepository
    s = create_first_admin(tmp_path / "w.db", "beheer", "Bea Heerder", PW, kdf=FAST)
    repo = AccountRepository(s.db, kdf=FAST)
    repo.add("cora", "Cora Coördinator", Role.COORDINATOR, PW)
    repo.add("an", "An Peeters", Role.CONSULENT, PW)
    for name in ("Van Hool NV", "Carrosseriebouw NV"):
        DossierRepository(s.db).add(Dossier(company_name=name))
    yield s
    s.db.conn.close()


def _dialog(qtbot, session):
    from gui.accounts_dialog import AccountsDialog
    dlg = AccountsDialog(AccountRepository(session.db, kdf=FAST))
    qtbot.addWidget(dlg)
    return dlg


def _select(dlg, login_name):
    acc = next(a for a in dlg.accounts if a.login == login_name)
    dlg.select_account(acc.id)
    return acc


def _row_of(dlg, login_name):
    return next(i for i, a in enumerate(dlg.accounts) if a.login == login_name)


# -- assigning dossiers ------------------------------------------------------------------------------------

def test_the_beheerder_assigns_and_withdraws_dossiers_of_a_consulent_in_the_window(qtbot, cell):
    from db.audit import AuditLog
    dlg = _dialog(qtbot, cell)
    an = _select(dlg, "an")
    assert dlg.dossier_list.isEnabled() and dlg.dossier_list.count() == 2
    assert dlg.assigned_dossiers() == [] and "nog geen dossier" in dlg.dossier_hint.text()
    van_hool = next(dlg.dossier_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(2)
                    if "Van Hool" in dlg.dossier_list.item(i).text())
    assert dlg.set_assigned(van_hool, True)
    assert AccountRepository(cell.db).dossiers_of(an.id) == [van_hool]
    assert "toegewezen aan An Peeters" in dlg.dossier_hint.text() and "1 dossier." in dlg.dossier_hint.text()
    entry = AuditLog(cell.db).entries(action="account", entity="dossier")[-1]
    assert entry.actor == "beheer" and entry.entity_id == str(van_hool)
    assert entry.details == {"event": "assigned", "account_id": an.id}
    # the consulent now sees that dossier, and only that one
    from db.dossiers import DossierRepository
    s_an = login(cell.path, "an", PW, kdf=FAST)
    try:
        assert [d.id for d in DossierRepository(s_an.db).list()] == [van_hool]
    finally:
        s_an.db.conn.close()
    # another account and back: the check boxes show what is stored for the selected one
    _select(dlg, "beheer")
    assert not dlg.dossier_list.isEnabled() and "ziet alle dossiers" in dlg.dossier_hint.text()
    _select(dlg, "an")
    assert dlg.assigned_dossiers() == [van_hool]
    assert dlg.set_assigned(van_hool, False)
    assert AccountRepository(cell.db).dossiers_of(an.id) == []
    assert AuditLog(cell.db).entries(action="account", entity="dossier")[-1].details["event"] == "unassigned"


def test_the_celcoordinator_assigns_dossiers_but_manages_no_accounts(qtbot, cell):
    from gui.accounts_dialog import AccountsDialog
    s = login(cell.path, "cora", PW, kdf=FAST)
    try:
        dlg = AccountsDialog(AccountRepository(s.db, kdf=FAST), rotate_key=lambda pw: None)
        qtbot.addWidget(dlg)
        for b in (dlg.add_button, dlg.password_button, dlg.role_box, dlg.role_button, dlg.active_button,
                  dlg.rotate_button):
            assert b.isHidden()
        an = _select(dlg, "an")
        assert dlg.set_assigned(1, True)
        assert AccountRepository(s.db).dossiers_of(an.id) == [1]
    finally:
        s.db.conn.close()


def test_the_accounts_menu_is_offered_to_the_celcoordinator_not_to_a_consulent():
    from gui.admin_menu import install_admin_menu
    from core.security import Principal
    from PySide6.QtWidgets import QMainWindow

    class Window(QMainWindow):
        menus: dict

    for role, offered in ((Role.COORDINATOR, True), (Role.CONSULENT, False)):
        w = Window()
        w.menus = {}
        install_admin_menu(w, None, Principal(2, "x", "X", role), audit=object())
        texts = [a.text() for a in w.menus["admin"].actions()] if "admin" in w.menus else []
        assert any("Accounts" in t for t in texts) == offered
        w.deleteLater()


# -- the role box and its confirmation --------------------------------------------------------------------

def test_the_role_box_follows_the_selected_account(qtbot, cell):
    dlg = _dialog(qtbot, cell)
    for name, role in (("beheer", Role.ADMIN), ("an", Role.CONSULENT), ("cora", Role.COORDINATOR),
                       ("beheer", Role.ADMIN)):
        dlg.table.selectRow(_row_of(dlg, name))          # as a click does
        assert dlg.role_box.currentData() == role.value, name
    dlg.table.clearSelection()
    assert not dlg.role_button.isEnabled()


def test_a_role_change_is_confirmed_and_a_refusal_changes_nothing(qtbot, cell, monkeypatch):
    dlg = _dialog(qtbot, cell)
    asked = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answer[0])
    cora = _select(dlg, "cora")
    dlg.role_box.setCurrentIndex(dlg.role_box.findData(Role.CONSULENT.value))
    assert not dlg.change_role()
    assert "Cora Coördinator" in asked[-1] and "consulent in plaats van celcoördinator" in asked[-1]
    assert "toegewezen" in asked[-1]                     # what the demotion means
    assert AccountRepository(cell.db).get(cora.id).role is Role.COORDINATOR
    assert dlg.role_box.currentData() == Role.COORDINATOR.value      # back to what is stored
    answer[0] = QMessageBox.StandardButton.Yes
    dlg.role_box.setCurrentIndex(dlg.role_box.findData(Role.CONSULENT.value))
    assert dlg.change_role()
    assert AccountRepository(cell.db).get(cora.id).role is Role.CONSULENT
    assert dlg.selected().login == "cora" and dlg.role_box.currentData() == Role.CONSULENT.value


def test_demoting_a_beheerder_says_what_is_lost_and_the_same_role_asks_nothing(qtbot, cell, monkeypatch):
    dlg = _dialog(qtbot, cell)
    asked, told = [], []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    _select(dlg, "beheer")
    assert not dlg.change_role()                          # the box shows Beheerder: nothing to change
    assert not asked and "al beheerder" in told[-1]
    dlg.role_box.setCurrentIndex(dlg.role_box.findData(Role.CONSULENT.value))
    assert not dlg.change_role()
    assert "geen accounts meer beheren" in asked[-1] and "eigen account" in asked[-1]


# -- local time ---------------------------------------------------------------------------------------------

@pytest.fixture
def brussels(monkeypatch):
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available")
    monkeypatch.setenv("TZ", "Europe/Brussels")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_local_time_text_in_winter_and_summer(brussels):
    from core.dates import local_time_text
    assert local_time_text("2026-11-28T04:32:59.123456Z") == "28/11/2026 05:32"
    assert local_time_text("2026-07-01T22:30:00Z") == "02/07/2026 00:30"
    assert local_time_text("") == ""


def test_last_sign_in_and_the_audit_window_show_local_time(qtbot, cell, brussels):
    from gui.audit_view import AuditView
    cell.db.conn.execute("UPDATE accounts SET last_login = '2026-11-28T04:32:59.123456Z' WHERE login = 'an'")
    dlg = _dialog(qtbot, cell)
    assert dlg.table.item(_row_of(dlg, "an"), 4).text() == "28/11/2026 05:32"
    cell.audit.record("setting", "meta", "idle_lock_minutes", {"old": 10, "new": 5})
    view = AuditView(cell.audit)
    qtbot.addWidget(view)
    entry = cell.audit.entries(newest_first=True, limit=1)[0]
    from core.dates import local_time_text
    assert view.table.item(0, 1).text() == local_time_text(entry.ts)
    assert "UTC" not in view.table.horizontalHeaderItem(1).text()


def test_audit_list_shows_local_time(tmp_path, brussels, capsys, monkeypatch):
    from cli.app import run
    from db.connection import set_session_key
    db = tmp_path / "x.db"
    try:
        assert run(["--db", str(db), "dossiers"]) == 0       # creates the beheerder
        capsys.readouterr()
        assert run(["--db", str(db), "audit", "list", "--json"]) == 0
        import json
        stored = json.loads(capsys.readouterr().out)[0]["ts"]
        assert stored.endswith("Z")                           # stored in UTC, as before
        assert run(["--db", str(db), "audit", "list"]) == 0
        first = capsys.readouterr().out.splitlines()[0]
    finally:
        set_session_key(None)
    from core.dates import local_time_text
    assert local_time_text(stored) in first and stored[:19].replace("T", " ") not in first
