"""The idle lock covers open dialogs without ending them: after unlocking, the dialog the counsellor was in
works exactly as before (its caller still waits for it), and while locked nothing of it can be read or used."""
import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QLineEdit, QMessageBox

from core.security import KdfParams

FAST = KdfParams.INSECURE_FAST
PW = "Proef-Sleutel-2026!"


@pytest.fixture
def signed_in(qtbot, tmp_path):
    from db.accounts import create_first_admin
    from gui.idle_lock import IdleLock
    from gui.main_window import MainWindow
    from gui.services import Services
    s = create_first_admin(tmp_path / "w.db", "beheer", "Bea Heerder", PW, kdf=FAST)
    w = MainWindow(Services.from_db(s.db, tmp_path / "w.db"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    now = [0.0]
    lock = IdleLock(w, s, minutes=10, clock=lambda: now[0], check_interval_ms=1_000_000)
    yield w, lock, now, s
    lock.stop()
    w.tasks.shutdown()
    s.close()


def _readable(window) -> list[str]:
    """Texts of the window that are not under a lock cover."""
    from gui.idle_lock import LockOverlay
    covers = [o for o in window.findChildren(LockOverlay) if o.isVisible() and o.parentWidget() is window]
    out = []
    for w in window.findChildren(QLabel) + window.findChildren(QLineEdit):
        if not w.isVisible() or any(o.isAncestorOf(w) for o in covers):
            continue
        centre = w.mapTo(window, w.rect().center())
        if not any(o.geometry().contains(centre) for o in covers):
            out.append(w.text())
    return out


def _run_during(qtbot, during, *, fallback):
    """Call ``during`` once the dialog runs; a fallback ends the dialog so a broken lock cannot hang the tests."""
    state = {}

    def step():
        state["dialog"] = QApplication.activeModalWidget()
        try:
            during(state["dialog"])
        except BaseException as e:  # noqa: BLE001 - reported after the dialog ended
            state["error"] = e
            fallback(state["dialog"])
    def rescue():
        d = state.get("dialog")
        if d is not None and shiboken6.isValid(d) and d.isVisible():
            fallback(d)
    QTimer.singleShot(0, step)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(rescue)
    guard.start(20_000)
    state["guard"] = guard
    return state


def _lock(lock, now):
    now[0] += 11 * 60
    lock.check_idle()
    assert lock.is_locked


def test_a_new_dossier_typed_before_the_lock_is_saved_and_listed_after_unlocking(signed_in, qtbot):
    w, lock, now, s = signed_in
    before = w.dossier_model.rowCount()
    seen = {}

    def during(dlg):
        dlg.company.setText("Nieuwe Sluiting BV")
        _lock(lock, now)
        seen["visible"] = dlg.isVisible()
        seen["readable"] = _readable(dlg)
        seen["title"] = dlg.windowTitle()
        bewaren = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        qtbot.mouseClick(bewaren, Qt.MouseButton.LeftButton)         # a click behind the cover does nothing ...
        for target in (dlg, lock.cover_of(dlg).password):          # ... nor does Escape, behind or in the cover
            QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape,
                                                     Qt.KeyboardModifier.NoModifier))
        seen["still_open"] = dlg.isVisible() and s.db.conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 0
        assert lock.unlock(PW)
        seen["after_unlock"] = (dlg.isVisible(), dlg.company.text(), dlg.windowTitle())
        dlg.save()                                                     # Bewaren, as the counsellor clicks it

    state = _run_during(qtbot, during, fallback=lambda d: d.reject())
    w.new_dossier()
    state["guard"].stop()
    assert "error" not in state, state.get("error")
    assert seen["visible"] and "Nieuwe Sluiting BV" not in seen["readable"] and seen["title"] == "Werkbrug"
    assert seen["still_open"]
    assert seen["after_unlock"] == (True, "Nieuwe Sluiting BV", "Nieuw dossier")
    assert w.dossier_model.rowCount() == before + 1                    # listed: no reason to make it twice
    assert s.db.conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 1


def test_a_question_open_at_the_lock_gives_the_answer_chosen_after_unlocking(signed_in, qtbot):
    w, lock, now, s = signed_in
    seen = {}

    def during(box):
        _lock(lock, now)
        seen["visible"] = box.isVisible()
        seen["readable"] = _readable(box)
        cover = lock.cover_of(box) if hasattr(lock, "cover_of") else lock.overlay
        cover.password.setText("Verkeerd-Wachtwoord-1")               # typed in the cover of the question
        QApplication.sendEvent(cover.password, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return,
                                                         Qt.KeyboardModifier.NoModifier))
        seen["wrong"] = (lock.is_locked, box.isVisible(), cover.message.text())
        cover.password.setText(PW)
        QApplication.sendEvent(cover.password, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return,
                                                         Qt.KeyboardModifier.NoModifier))
        seen["unlocked"] = (not lock.is_locked, box.isVisible())
        box.button(QMessageBox.StandardButton.Save).click()

    state = _run_during(qtbot, during, fallback=lambda b: b.reject())
    answer = QMessageBox.question(w, "Wijzigingen niet bewaard", "Werknemer Vandersmissen Godelieve is gewijzigd.",
                                  QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                                  | QMessageBox.StandardButton.Cancel)
    state["guard"].stop()
    assert "error" not in state, state.get("error")
    assert seen["visible"] and not any("Vandersmissen" in t for t in seen["readable"])
    assert seen["wrong"][0] and seen["wrong"][1] and "Verkeerd" in seen["wrong"][2]
    assert seen["unlocked"] == (True, True)
    assert answer == QMessageBox.StandardButton.Save


def test_a_window_opened_while_locked_is_covered_too(signed_in, qtbot):
    from PySide6.QtWidgets import QWidget
    w, lock, now, s = signed_in
    _lock(lock, now)
    late = QWidget()
    late.setWindowTitle("Werknemer Vandersmissen")
    QLabel("Vandersmissen Godelieve", late)
    qtbot.addWidget(late)
    late.show()
    qtbot.waitExposed(late)
    assert lock.cover_of(late) is not None and _readable(late) == [] and late.windowTitle() == "Werkbrug"
    assert lock.unlock(PW)
    assert late.windowTitle() == "Werknemer Vandersmissen" and lock.cover_of(late) is None


def test_an_import_open_at_the_lock_imports_and_refreshes_the_list_after_unlocking(signed_in, qtbot, tmp_path):
    import shutil
    from pathlib import Path
    from core.model import Dossier
    from db.dossiers import DossierRepository
    from gui.data_menu import install_data_menu
    w, lock, now, s = signed_in
    dossier = DossierRepository(s.db).add(Dossier(company_name="Proef NV"))
    w.refresh_dossiers(dossier.id)
    src = tmp_path / "werkgever.xlsx"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "import" / "werkgever.xlsx", src)
    actions = install_data_menu(w)
    seen = {}

    def during(dlg):
        _lock(lock, now)
        seen["visible"] = dlg.isVisible()
        qtbot.mouseClick(dlg.btn_import, Qt.MouseButton.LeftButton)     # behind the cover: nothing happens
        seen["nothing_yet"] = s.db.conn.execute("SELECT count(*) FROM workers").fetchone()[0] == 0
        assert lock.unlock(PW)
        qtbot.mouseClick(dlg.btn_import, Qt.MouseButton.LeftButton)     # Importeer, after unlocking

    state = _run_during(qtbot, during, fallback=lambda d: d.reject())
    actions.import_list(str(src))
    state["guard"].stop()
    assert "error" not in state, state.get("error")
    assert seen["visible"] and seen["nothing_yet"]
    imported = s.db.conn.execute("SELECT count(*) FROM workers").fetchone()[0]
    assert imported == 5
    assert "5 werknemers geïmporteerd" in w.statusBar().currentMessage()       # the caller saw it end
    assert str(imported) in w.count_label.text()                                 # and the list was refreshed
