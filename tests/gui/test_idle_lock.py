"""The idle lock hides personal data behind opaque covers (every window of the application) until the password is
typed again."""
import pytest
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from core.security import KdfParams

FAST = KdfParams.INSECURE_FAST
PW = "Proef-Sleutel-2026!"


@pytest.fixture
def setup(qtbot, tmp_path):
    from db.accounts import create_first_admin
    from gui.idle_lock import IdleLock
    s = create_first_admin(tmp_path / "w.db", "beheer", "Bea Heerder", PW, kdf=FAST)
    win = QMainWindow()
    label = QLabel("Vandersmissen Godelieve – INSZ 65.03.15-123.45")
    win.setCentralWidget(label)
    win.resize(600, 400)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    other = QWidget()
    other.setWindowTitle("Werknemer Vandersmissen")
    qtbot.addWidget(other)
    other.show()
    now = [0.0]
    lock = IdleLock(win, s, minutes=10, clock=lambda: now[0])
    yield win, label, other, lock, now, s
    lock.stop()
    s.close()


def _visible_texts(widget):
    return [w.text() for w in widget.findChildren(QLabel) if w.isVisible() and not _covered(w)]


def _covered(w):
    from gui.idle_lock import LockOverlay
    p = w
    while p is not None:
        if isinstance(p, LockOverlay):
            return False
        p = p.parentWidget()
    top = w.window()
    overlays = [o for o in top.findChildren(LockOverlay) if o.isVisible()]
    return bool(overlays) and all(o.geometry().contains(w.mapTo(top, w.rect().center())) for o in overlays)


def test_locks_after_idle_time_and_hides_data(setup, qtbot):
    win, label, other, lock, now, s = setup
    now[0] = 9 * 60
    lock.check_idle()
    assert not lock.is_locked
    now[0] = 10 * 60 + 1
    lock.check_idle()
    assert lock.is_locked and s.locked
    assert lock.overlay.isVisible() and lock.overlay.geometry() == win.rect()
    assert not any("Vandersmissen" in t for t in _visible_texts(win))   # the data is behind the cover
    assert other.isVisible() and lock.cover_of(other).isVisible()       # other windows are covered, not closed
    assert other.windowTitle() == "Werkbrug" and not any("Vandersmissen" in t for t in _visible_texts(other))
    assert "Vandersmissen" not in win.windowTitle()


def test_activity_postpones_the_lock(setup, qtbot):
    win, label, other, lock, now, s = setup
    now[0] = 9 * 60
    qtbot.mouseClick(label, __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.MouseButton.LeftButton)
    now[0] = 15 * 60
    lock.check_idle()
    assert not lock.is_locked


def test_wrong_password_keeps_it_locked_right_one_unlocks(setup, qtbot):
    win, label, other, lock, now, s = setup
    lock.lock()
    lock.overlay.password.setText("Verkeerd-Wachtwoord-1")
    lock.overlay.button.click()
    assert lock.is_locked and "Verkeerd" in lock.overlay.message.text()
    lock.overlay.password.setText(PW)
    lock.overlay.button.click()
    assert not lock.is_locked and not s.locked and other.isVisible() and lock.cover_of(other) is None
    assert other.windowTitle() == "Werknemer Vandersmissen"
    actions = [e.action for e in s.audit.entries()]
    assert actions[-3:] == ["lock", "login_failed", "unlock"]


def test_input_behind_the_cover_is_blocked(setup, qtbot):
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    win, label, other, lock, now, s = setup
    lock.lock()
    ev = QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(5, 5), QPointF(5, 5), Qt.MouseButton.LeftButton,
                     Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    assert lock.eventFilter(label, ev) is True
    assert lock.eventFilter(lock.overlay.password, ev) is False
