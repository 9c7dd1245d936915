"""Gegevens > Reservekopie terugzetten…: a beheerder restores a backup from the window (the checks of
db.backup.restore, one confirmation with the erasures to confirm, a new start); other roles never see it."""
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox

from cli.cmd_demo import create_demo
from core.security import KdfParams, Principal, Role
from db.accounts import AccountRepository, create_first_admin, login
from gui import admin_menu
from gui.data_menu import install_data_menu
from gui.restore_backup import RestoreDialog
from gui.services import Services

FAST = KdfParams.INSECURE_FAST
PW = "Winter-Appel-2026!x"


@pytest.fixture
def signed_in(qtbot, tmp_path):
    """The main window of a beheerder signed in on an encrypted database with a demo dossier of 5 workers."""
    from gui.main_window import MainWindow
    path = tmp_path / "w.db"
    session = create_first_admin(path, "beheer", "Bea Beheer", PW, kdf=FAST)
    dossier_id, _ = create_demo(session.db, 5)
    services = Services.from_db(session.db, path, matching=False)
    services.extra.update(session=session, audit=session.audit, principal=session.principal)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.refresh_dossiers(dossier_id)
    window.show()
    yield window, services, session, path
    window.tasks.shutdown()
    try:
        session.db.conn.close()
    except Exception:  # noqa: BLE001 - already closed by the restore
        pass


def _answers(monkeypatch, backup: Path, password: str = PW):
    shown, restarted, dialogs = [], [], []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (password, True))
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, n=name, **k: shown.append((n, a[2])))
    monkeypatch.setattr(admin_menu, "restart_application", lambda: restarted.append(True))
    return shown, restarted, dialogs


def _restore_action(window):
    return [a for a in window.menus["data"].actions() if "terugzetten" in a.text()]


def test_a_beheerder_restores_a_backup_from_the_window(signed_in, monkeypatch):
    from db.dossiers import DossierRepository
    from db.gdpr import anonymise_worker
    window, services, session, path = signed_in
    actions = install_data_menu(window)
    assert len(_restore_action(window)) == 1
    shown, restarted, dialogs = _answers(monkeypatch, Path("-"))
    actions.backup()                                         # Gegevens > Reservekopie maken
    backup = next((path.parent / "backups").glob("werkbrug-*.db"))
    assert Path(str(backup) + ".keys").exists()
    # after the backup: a new dossier (lost by the restore) and an erasure (never undone by it)
    from core.model import Dossier
    DossierRepository(session.db).add(Dossier(company_name="Na de reservekopie"))
    erased = services.workers.ids_in_dossier(1)[0]
    anonymise_worker(session.db, erased, reason="verzoek")
    shown, restarted, dialogs = _answers(monkeypatch, backup)

    def accept(dlg):
        dialogs.append(dlg)
        assert not dlg.ok_button.isEnabled()                 # the erasures must be confirmed explicitly
        dlg.accept()
        assert dlg.result() != QDialog.DialogCode.Accepted   # Enter alone does not do it
        dlg.reapply.setChecked(True)
        assert dlg.ok_button.isEnabled()
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(RestoreDialog, "exec", accept)

    assert actions.restore_backup()

    summary = dialogs[0].summary.text()
    assert str(backup) in summary and "1 dossier, 5 werknemers" in summary and "Gemaakt op" in summary
    aside = next(path.parent.glob("w.db.voor-herstel-*[0-9]"))
    assert str(aside) in summary and Path(str(aside) + ".keys").exists()
    erasures = dialogs[0].erasures.toPlainText()
    assert f"(nr. {erased})" in erasures and "reden: verzoek" in erasures and "identiteit van 1 van die" in erasures
    assert restarted == [True]
    kind, message = shown[-1]
    assert kind == "information" and "Reservekopie teruggezet (1 dossier, 5 werknemers)" in message
    assert str(aside) in message and "1 werknemer opnieuw geanonimiseerd" in message
    with pytest.raises(Exception):
        session.db.conn.execute("SELECT 1")                 # the window's connection was closed for the restart

    # the new sign-in finds the backup, with the erasure applied again and the restore audited
    again = login(path, "beheer", PW)
    try:
        names = [d.company_name for d in DossierRepository(again.db).list()]
        assert "Na de reservekopie" not in names and len(names) == 1
        row = again.db.conn.execute("SELECT surname, anonymised_at FROM workers WHERE id = ?", [erased]).fetchone()
        assert row[0] == "Geanonimiseerd" and row[1]
        others = again.db.conn.execute("SELECT count(*) FROM workers WHERE anonymised_at = ''").fetchone()[0]
        assert others == 4
        from db.audit import AuditLog
        entry = AuditLog(again.db).entries(action="backup")[-1]
        assert entry.actor == "beheer" and entry.details["event"] == "restored"
        assert entry.details["previous"] == aside.name and entry.details["erased_after_backup"]
    finally:
        again.close()
    # the set-aside database is the one as it was just before, and opens with today's password
    before = login(aside, "beheer", PW)
    try:
        assert "Na de reservekopie" in [d.company_name for d in DossierRepository(before.db).list()]
    finally:
        before.close()


def test_cancelling_or_keeping_unsaved_changes_changes_nothing(signed_in, monkeypatch):
    from db.backup import backup_dir_for, backup_now
    window, services, session, path = signed_in
    actions = install_data_menu(window)
    backup = backup_now(session.db, backup_dir_for(path))
    shown, restarted, dialogs = _answers(monkeypatch, backup)
    monkeypatch.setattr(RestoreDialog, "exec", lambda dlg: dialogs.append(dlg) or QDialog.DialogCode.Rejected)
    assert not actions.restore_backup()
    assert dialogs and dialogs[0].reapply is None and dialogs[0].ok_button.isEnabled()   # nothing erased since
    # confirmed, but the counsellor stays with the unsaved changes of the open worker
    monkeypatch.setattr(RestoreDialog, "exec", lambda dlg: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(window, "leave_for_restart", lambda: False)
    assert not actions.restore_backup()
    assert not restarted and not shown
    assert not list(path.parent.glob("w.db.voor-herstel-*"))
    assert "niets gewijzigd" in window.statusBar().currentMessage()
    assert services.dossiers.list()                          # the window keeps working on its database


def test_refusals_are_said_in_dutch_and_change_nothing(signed_in, monkeypatch, tmp_path):
    from db.backup import backup_dir_for, backup_now
    window, services, session, path = signed_in
    actions = install_data_menu(window)
    backup = backup_now(session.db, backup_dir_for(path))
    asked = []
    # a text file: named as no backup before any password is asked
    text = tmp_path / "notities.txt"
    text.write_text("geen reservekopie\n" * 200, encoding="utf-8")
    shown, restarted, _ = _answers(monkeypatch, text)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: asked.append(a) or (PW, True))
    assert not actions.restore_backup()
    assert not asked and shown[-1][0] == "warning" and "geen reservekopie van Werkbrug" in shown[-1][1]
    # a wrong password
    shown, restarted, _ = _answers(monkeypatch, backup, password="Fout-Wachtwoord-1!")
    assert not actions.restore_backup()
    assert "klopt niet" in shown[-1][1] and "niets gewijzigd" in shown[-1][1]
    # the password changed since the backup: the one of then is asked; a wrong one is refused in Dutch
    AccountRepository(session.db, kdf=FAST).set_password(session.principal.account_id, "Nieuw-Wachtwoord-2027!",
                                                       old_password=PW)
    given = iter([("Nieuw-Wachtwoord-2027!", True)] + [("Ook-Niet-Juist-2025!", True)] * 3)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(given))
    assert not actions.restore_backup()
    assert "geeft je account geen toegang" in shown[-1][1] and "niets gewijzigd" in shown[-1][1]
    assert not restarted and not list(path.parent.glob("w.db.voor-herstel-*"))
    assert services.dossiers.list()


def test_the_password_of_then_is_asked_in_a_password_field_never_through_an_environment_variable(
        signed_in, monkeypatch):
    """After a password change the window asks for the password of then (hidden as it is typed), asks again
    while it does not open the backup, takes a cancel as cancel, and never sends the counsellor to an
    environment variable (that one is for the command line)."""
    from db.backup import backup_dir_for, backup_now
    from gui.restore_backup import OLD_PASSWORD_TRIES
    window, services, session, path = signed_in
    actions = install_data_menu(window)
    backup = backup_now(session.db, backup_dir_for(path))
    AccountRepository(session.db, kdf=FAST).set_password(session.principal.account_id, "Nieuw-Wachtwoord-2027!",
                                                       old_password=PW)
    monkeypatch.setenv("WERKBRUG_BACKUP_PASSWORD", PW)        # a leftover of the command line: never read here
    shown, restarted, dialogs = _answers(monkeypatch, backup)
    questions = []

    def answering(answers):
        given = iter(answers)

        def get_text(parent, title, label, echo=None, *a, **k):
            questions.append((label, echo))
            return next(given)
        monkeypatch.setattr(QInputDialog, "getText", get_text)

    # wrong every time: asked OLD_PASSWORD_TRIES times, then refused in Dutch without the variable
    answering([("Nieuw-Wachtwoord-2027!", True)] + [("Fout-Wachtwoord-2025!", True)] * OLD_PASSWORD_TRIES)
    assert not actions.restore_backup()
    assert len(questions) == 1 + OLD_PASSWORD_TRIES
    assert all(echo == QLineEdit.EchoMode.Password for _, echo in questions)
    assert "wachtwoord van toen" in questions[1][0] and "Probeer opnieuw" in questions[2][0]
    kind, message = shown[-1]
    assert kind == "warning" and "geeft je account geen toegang" in message and "niets gewijzigd" in message
    assert "WERKBRUG" not in message and "variabele" not in message
    assert not [q for q, _ in questions if "WERKBRUG" in q]
    # the question cancelled: nothing changes, said in the status bar, no refusal shown
    questions.clear()
    shown.clear()
    answering([("Nieuw-Wachtwoord-2027!", True), ("", False)])
    assert not actions.restore_backup()
    assert not shown and "niet teruggezet" in window.statusBar().currentMessage()
    # wrong once, then right: restored, and the new sign-in takes the password of then
    answering([("Nieuw-Wachtwoord-2027!", True), ("Fout-Wachtwoord-2025!", True), (PW, True)])
    monkeypatch.setattr(RestoreDialog, "exec", lambda dlg: dialogs.append(dlg) or QDialog.DialogCode.Accepted)
    assert actions.restore_backup()
    assert restarted == [True] and "wachtwoord van toen" in shown[-1][1] and "WERKBRUG" not in shown[-1][1]
    login(path, "beheer", PW).close()


def test_the_password_of_then_opens_the_backup_and_is_named_for_the_new_sign_in(signed_in, monkeypatch):
    from db.backup import backup_dir_for, backup_now
    window, services, session, path = signed_in
    actions = install_data_menu(window)
    backup = backup_now(session.db, backup_dir_for(path))
    AccountRepository(session.db, kdf=FAST).set_password(session.principal.account_id, "Nieuw-Wachtwoord-2027!",
                                                       old_password=PW)
    shown, restarted, dialogs = _answers(monkeypatch, backup)
    given = iter([("Nieuw-Wachtwoord-2027!", True), (PW, True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(given))
    monkeypatch.setattr(RestoreDialog, "exec", lambda dlg: dialogs.append(dlg) or QDialog.DialogCode.Accepted)
    assert actions.restore_backup()
    assert "wachtwoord van toen" in dialogs[0].summary.text()
    assert restarted == [True] and "wachtwoord van toen" in shown[-1][1]
    login(path, "beheer", PW).close()                        # the backup's key file: the password of then


@pytest.mark.parametrize("role", [Role.CONSULENT, Role.COORDINATOR])
def test_other_roles_do_not_see_the_restore_action(window, services, monkeypatch, role):
    class Session:
        principal = Principal(2, "an", "An", role)
    monkeypatch.setitem(services.extra, "session", Session())
    actions = install_data_menu(window)
    assert not _restore_action(window)
    assert any("Reservekopie maken" in a.text() for a in window.menus["data"].actions())
    opened = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: opened.append(a) or ("", ""))
    assert not actions.restore_backup() and not opened      # nor can the slot be reached another way


def test_the_restore_window_in_a_screenshot(signed_in, tmp_path):
    """The confirmation as the beheerder sees it (kept for a look by hand, next to the test's files)."""
    from db.backup import BackupInfo, ErasureEntry, LostErasures
    window, *_ = signed_in
    lost = LostErasures((ErasureEntry("2026-03-02T09:15:00Z", "beheer", "anonymise", (3,), (), 1, "verzoek"),),
                        frozenset({"u3"}))
    dlg = RestoreDialog(window, backup=tmp_path / "backups" / "werkbrug-20260301-081500.db",
                        info=BackupInfo(tmp_path / "x", 5, 1, 120), lost=lost,
                        aside=tmp_path / "w.db.voor-herstel-20260303-101010", old_password=False)
    dlg.show()
    image = dlg.grab()
    assert image.save(str(tmp_path / "terugzetten.png")) and image.width() >= 560
    assert "1 dossier, 120 werknemers" in dlg.summary.text()
    dlg.close()
