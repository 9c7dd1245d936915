"""Sign-in window: first run creates the beheerder (strength and confirmation), then normal sign-in."""
import pytest
from PySide6.QtWidgets import QDialogButtonBox

from core.security import KdfParams
from db.accounts import needs_first_admin

FAST = KdfParams.INSECURE_FAST
PW = "Proef-Sleutel-2026!"


def _ok(dlg):
    return dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_first_run_checks_strength_and_confirmation(qtbot, tmp_path):
    from gui.login_dialog import LoginDialog
    path = tmp_path / "w.db"
    dlg = LoginDialog(path, kdf=FAST)
    qtbot.addWidget(dlg)
    assert dlg.first_run and not _ok(dlg).isEnabled()
    dlg.login_edit.setText("beheer")
    dlg.name_edit.setText("Bea Heerder")
    dlg.password_edit.setText("kort")
    assert not _ok(dlg).isEnabled() and "minstens" in dlg.strength.text()
    dlg.password_edit.setText(PW)
    dlg.confirm_edit.setText(PW + "x")
    assert not _ok(dlg).isEnabled() and "niet gelijk" in dlg.strength.text()
    dlg.confirm_edit.setText(PW)
    assert _ok(dlg).isEnabled()
    _ok(dlg).click()
    assert dlg.result() == dlg.DialogCode.Accepted and dlg.session is not None
    assert dlg.session.principal.login == "beheer" and not needs_first_admin(path)
    assert dlg.password_edit.text() == ""
    dlg.session.close()


def test_sign_in_wrong_then_right_password(qtbot, tmp_path):
    from db.accounts import create_first_admin
    from gui.login_dialog import LoginDialog
    path = tmp_path / "w.db"
    create_first_admin(path, "beheer", "Bea", PW, kdf=FAST).close()
    dlg = LoginDialog(path, kdf=FAST)
    qtbot.addWidget(dlg)
    assert not dlg.first_run and not dlg.name_edit.isVisible()
    dlg.login_edit.setText("beheer")
    dlg.password_edit.setText("Verkeerd-Wachtwoord-1")
    _ok(dlg).click()
    assert dlg.session is None and "verkeerd wachtwoord" in dlg.error.text()
    dlg.password_edit.setText(PW)
    _ok(dlg).click()
    assert dlg.session is not None and dlg.result() == dlg.DialogCode.Accepted
    dlg.session.close()


def test_sign_in_helper_uses_the_environment_without_a_window(tmp_path):
    from cli.context import AppContext
    from gui.login_dialog import sign_in
    ctx = AppContext(db_path=tmp_path / "w.db")          # conftest sets WERKBRUG_USER / WERKBRUG_PASSWORD
    assert sign_in(ctx) and ctx.principal is not None and ctx.db is ctx.session.db
    ctx.close()


def test_accounts_dialog_adds_an_account(qtbot, tmp_path):
    from db.accounts import AccountRepository, create_first_admin
    from gui.accounts_dialog import AccountsDialog, NewAccountDialog
    s = create_first_admin(tmp_path / "w.db", "beheer", "Bea", PW, kdf=FAST)
    dlg = AccountsDialog(AccountRepository(s.db, kdf=FAST))
    qtbot.addWidget(dlg)
    new = NewAccountDialog(dlg)
    qtbot.addWidget(new)
    new.login.setText("an")
    new.name.setText("An Peeters")
    new.role.setCurrentIndex(0)
    new.password.setText(PW)
    new.confirm.setText(PW)
    assert not new.problems()
    assert dlg.add_account(new)
    assert dlg.table.rowCount() == 2
    s.close()


def test_accounts_dialog_shows_who_needs_a_new_password_after_a_key_renewal(qtbot, tmp_path):
    from core.security import Role
    from db.accounts import AccountRepository, create_first_admin, login
    from db.rekey import rotate_database_key
    from gui.accounts_dialog import AccountsDialog
    s = create_first_admin(tmp_path / "w.db", "beheer", "Bea", PW, kdf=FAST)
    AccountRepository(s.db, kdf=FAST).add("an", "An Peeters", Role.CONSULENT, PW)
    rotate_database_key(s, PW, kdf=FAST)
    s = login(tmp_path / "w.db", "beheer", PW, kdf=FAST)
    dlg = AccountsDialog(AccountRepository(s.db, kdf=FAST))
    qtbot.addWidget(dlg)
    state = {dlg.table.item(r, 0).text(): dlg.table.item(r, 3).text() for r in range(dlg.table.rowCount())}
    assert state == {"beheer": "ja", "an": "ja, nieuw wachtwoord nodig"}
    s.close()


def test_the_database_key_is_renewed_from_the_accounts_window(qtbot, tmp_path, monkeypatch):
    import shutil
    from PySide6.QtWidgets import QInputDialog, QMessageBox
    from core.keystore import KeyStore
    from core.security import Role
    from db.accounts import AccountRepository, create_first_admin, login
    from db.rekey import rotate_database_key
    from gui.accounts_dialog import AccountsDialog
    s = create_first_admin(tmp_path / "w.db", "beheer", "Bea", PW, kdf=FAST)
    AccountRepository(s.db, kdf=FAST).add("an", "An Peeters", Role.CONSULENT, PW)
    shutil.copy(tmp_path / "w.db.keys", tmp_path / "oud.keys")            # a copy kept by someone who left
    restarted, shown = [], []
    dlg = AccountsDialog(AccountRepository(s.db, kdf=FAST), rotate_key=lambda pw: rotate_database_key(s, pw, kdf=FAST),
                         after_rotation=lambda: restarted.append(True))
    qtbot.addWidget(dlg)
    assert not dlg.rotate_button.isHidden()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    # a wrong password: refused, nothing changed, no restart
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Fout-Wachtwoord-1!", True))
    assert not dlg.renew_key()
    assert not restarted and "klopt niet" in shown[-1]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (PW, True))
    assert dlg.renew_key()
    assert restarted == [True]
    assert "an" in shown[-1] and "opnieuw" in shown[-1]
    # the old copy of the key file no longer opens the database; the beheerder signs in as before
    from db.connection import DatabaseKey, _connect_encrypted
    from db.errors import DatabaseError
    old_key = KeyStore.load(tmp_path / "oud.keys").unlock("beheer", PW)
    with pytest.raises(DatabaseError):
        _connect_encrypted(tmp_path / "w.db", DatabaseKey(old_key)).close()
    s2 = login(tmp_path / "w.db", "beheer", PW, kdf=FAST)
    assert isinstance(s2.key.raw, bytes) and s2.key.raw != old_key
    s2.close()


def test_the_key_renewal_button_is_hidden_without_a_session(qtbot, tmp_path):
    from db.accounts import AccountRepository, create_first_admin
    from gui.accounts_dialog import AccountsDialog
    s = create_first_admin(tmp_path / "w.db", "beheer", "Bea", PW, kdf=FAST)
    dlg = AccountsDialog(AccountRepository(s.db, kdf=FAST))
    qtbot.addWidget(dlg)
    assert dlg.rotate_button.isHidden() and not dlg.renew_key()
    s.close()


def test_audit_view_lists_verifies_and_exports(qtbot, tmp_path, monkeypatch):
    from db.accounts import create_first_admin
    from gui.audit_view import AuditView
    from PySide6.QtWidgets import QMessageBox
    s = create_first_admin(tmp_path / "w.db", "beheer", "Bea", PW, kdf=FAST)
    view = AuditView(s.audit)
    qtbot.addWidget(view)
    assert view.table.rowCount() >= 2
    # what an entry is about and its details read in Dutch, not as codes and JSON
    shown = [view.table.item(r, c).text() for r in range(view.table.rowCount()) for c in (4, 5)]
    assert "eerste beheerder" in " ".join(shown)
    assert not any(t.startswith("{") or '"event"' in t for t in shown)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    assert view.verify().ok
    assert view.export(str(tmp_path / "log.csv")) >= 2
    # a refused target (the database itself, a folder) is told in Dutch, never an unhandled error
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    assert view.export(str(tmp_path / "w.db")) == 0
    assert view.export(str(tmp_path)) == 0
    assert len(warnings) == 2 and all("Traceback" not in w and "Error" not in w for w in warnings)
    assert "map" in warnings[1]
    assert (tmp_path / "w.db").stat().st_size > 1000          # the database was not written over
    s.close()
