"""Overdrachtsbestand inlezen through the window: what the counsellor is told about erased workers and about
who follows the new workers, and what the audit entry keeps."""
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox

from core.model import Dossier, Worker
from db.audit import AuditLog
from db.connection import open_database
from db.dossiers import DossierRepository
from db.gdpr import anonymise_worker
from db.workers import WorkerRepository
from gui.data_menu import MergeDialog, PassphraseDialog, install_data_menu

PHRASE = "Een-Goede-Zin-2026"


def _read_in(window, services, path, monkeypatch):
    shown, seen = [], []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: shown.append(a[2] if len(a) > 2 else ""))
    monkeypatch.setattr(PassphraseDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(PassphraseDialog, "passphrase", lambda self: PHRASE)
    monkeypatch.setattr(MergeDialog, "exec", lambda self: seen.append(self) or QDialog.DialogCode.Accepted)
    install_data_menu(window).import_transfer(str(path))
    return shown, seen


def test_the_window_says_who_follows_new_workers_and_that_an_erased_worker_stays_erased(
        window, services, tmp_path, monkeypatch):
    from cli.cmd_transfer import export_transfer
    services.extra["audit"] = AuditLog(services.db, "beheer")
    other = open_database(tmp_path / "ander.db")
    try:
        d = DossierRepository(other).add(Dossier("Van Hool NV", kbo_number="0403.170.701"))
        wr = WorkerRepository(other)
        jan = wr.add(Worker("Peeters", "Jan", insz="85073003328", dossier_id=d.id, counsellor="piet"))
        wr.add(Worker("Maes", "An", dossier_id=d.id, counsellor="piet"))
        first = export_transfer(other, d.id, tmp_path / "eerste", passphrase=PHRASE)
        shown, _ = _read_in(window, services, first, monkeypatch)
        assert ("2 nieuwe werknemers hebben hier geen eigen consulent: hun consulent op de andere computer (piet) "
                "heeft geen account op deze computer.") in shown[-1]
        entry = AuditLog(services.db).entries(action="import")[-1]
        assert entry.details["sender_counsellors"] == {"piet": 2} and entry.details["without_counsellor"] == 2

        here = WorkerRepository(services.db, principal=None).find_by_uid(jan.uid)
        anonymise_worker(services.db, here.id)
        x = wr.find_by_uid(jan.uid); x.phone = "0470 12 34 56"; wr.update(x)
        second = export_transfer(other, d.id, tmp_path / "tweede", passphrase=PHRASE)
    finally:
        other.conn.close()
    shown, seen = _read_in(window, services, second, monkeypatch)
    sentence = "1 werknemer werd op deze computer geanonimiseerd (AVG) en wordt niet opnieuw ingelezen."
    assert any(sentence in label.text() for label in seen[0].findChildren(QLabel))      # before anything is read in
    assert sentence in shown[-1]
    got = WorkerRepository(services.db, principal=None).get(here.id)
    assert (got.surname, got.insz, got.phone) == ("Geanonimiseerd", "", "")
    assert AuditLog(services.db).entries(action="import")[-1].details["erased_not_imported"] == 1


def test_an_erasure_made_on_the_other_computer_is_completed_and_the_open_worker_shown_as_stored(
        window, services, tmp_path, monkeypatch):
    from cli.cmd_transfer import export_transfer
    from db.transfer_repo import ERASED_ELSEWHERE_REASON
    from gui.main_window import PAGE_WORKER
    services.extra["audit"] = AuditLog(services.db, "beheer")
    other = open_database(tmp_path / "ander.db")
    try:
        d = DossierRepository(other).add(Dossier("Van Hool NV", kbo_number="0403.170.701"))
        wr = WorkerRepository(other)
        jan = wr.add(Worker("Peeters", "Jan", insz="85073003328", dossier_id=d.id))
        _read_in(window, services, export_transfer(other, d.id, tmp_path / "eerste", passphrase=PHRASE), monkeypatch)
        anonymise_worker(other, jan.id)                  # the erasure is made on the other computer
        second = export_transfer(other, d.id, tmp_path / "tweede", passphrase=PHRASE)
    finally:
        other.conn.close()
    here = WorkerRepository(services.db, principal=None).find_by_uid(jan.uid)
    assert window.open_worker(here.id)
    window.worker_view.identity.surname.setText("Peeters-Claes")         # typed here, not saved yet
    assert window.worker_view.is_dirty()

    shown, seen = _read_in(window, services, second, monkeypatch)

    labels = " ".join(label.text() for label in seen[0].findChildren(QLabel))     # before anything is written
    assert ("1 werknemer werd op de andere computer geanonimiseerd (AVG) en wordt bij het samenvoegen ook hier "
            "geanonimiseerd.") in labels
    assert "Dat kan niet ongedaan gemaakt worden." in labels and not seen[0].plan.conflicts
    assert "1 werknemer werd op de andere computer geanonimiseerd (AVG) en is hier ook geanonimiseerd." in shown[-1]
    assert "De werknemer die open stond, werd op de andere computer geanonimiseerd" in shown[-1]
    got = WorkerRepository(services.db, principal=None).get(here.id)
    assert (got.surname, got.first_names, got.insz) == ("Geanonimiseerd", "", "")
    # the open worker shows what is stored now: saving it cannot write the identity back
    assert window.stack.currentIndex() == PAGE_WORKER and not window.worker_view.is_dirty()
    assert window.worker_view.identity.surname.text() == "Geanonimiseerd"
    log = AuditLog(services.db)
    assert log.entries(action="anonymise")[-1].details["reason"] == ERASED_ELSEWHERE_REASON
    assert log.entries(action="anonymise")[-1].actor == "beheer"
    assert log.entries(action="import")[-1].details["erased_elsewhere_ids"] == [here.id]
