"""Idle lock: after a period without keyboard or mouse input the main window is covered by an
opaque lock screen (no personal data visible, other windows of the application hidden) until the
signed-in counsellor types their password again. Wrong passwords count towards the sign-in delay.

    lock = IdleLock(window, session)            # default: 10 minutes
    lock = IdleLock(window, session, minutes=5, clock=fake_clock)   # tests: call lock.check_idle()
"""
from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from core.errors import UserError

DEFAULT_MINUTES = 10
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
             QEvent.Type.TouchBegin}
_BLOCKED = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel, QEvent.Type.Shortcut,
            QEvent.Type.ShortcutOverride}


class LockOverlay(QFrame):
    """The opaque cover with a password field."""

    def __init__(self, parent: QWidget, who: str):
        super().__init__(parent)
        self.setObjectName("lockOverlay")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lockOverlay { background: #23324a; } QLabel { color: white; }")
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        title = QLabel(self.tr("Werkbrug is vergrendeld"), alignment=Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 20px; font-weight: bold")
        lay.addWidget(title)
        lay.addWidget(QLabel(self.tr("Typ het wachtwoord van {who} om verder te werken.").format(who=who),
                             alignment=Qt.AlignmentFlag.AlignCenter))
        self.password = QLineEdit(objectName="lockPassword", echoMode=QLineEdit.EchoMode.Password)
        self.password.setMaximumWidth(320)
        lay.addWidget(self.password, alignment=Qt.AlignmentFlag.AlignCenter)
        self.button = QPushButton(self.tr("Ontgrendelen"), objectName="unlockButton")
        lay.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel(objectName="lockMessage", alignment=Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("color: #ffb4b4")
        lay.addWidget(self.message)
        lay.addStretch(2)

    def cover(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.password.setFocus()


class IdleLock(QObject):
    locked = Signal()
    unlocked = Signal()

    def __init__(self, window: QWidget, session, *, minutes: float = DEFAULT_MINUTES,
                 clock: Callable[[], float] = time.monotonic, check_interval_ms: int = 5000):
        super().__init__(window)
        self.window, self.session, self.clock = window, session, clock
        self.timeout_s = minutes * 60
        self.last_activity = clock()
        self.overlay: LockOverlay | None = None
        self._hidden: list[QWidget] = []
        self._saved_title = ""
        self.timer = QTimer(self)
        self.timer.setInterval(check_interval_ms)
        self.timer.timeout.connect(self.check_idle)
        self.timer.start()
        QApplication.instance().installEventFilter(self)
        window.installEventFilter(self)

    @property
    def is_locked(self) -> bool:
        return self.overlay is not None

    def set_minutes(self, minutes: float) -> None:
        self.timeout_s = minutes * 60

    # -- activity --------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        t = event.type()
        if self.overlay is not None:
            if obj is self.window and t == QEvent.Type.Resize:
                self.overlay.setGeometry(self.window.rect())
            if t in _BLOCKED and isinstance(obj, QWidget) and not self._inside_overlay(obj):
                return True              # nothing behind the lock screen can be used
            return False
        if t in _ACTIVITY:
            self.last_activity = self.clock()
        return False

    def _inside_overlay(self, w: QWidget) -> bool:
        while w is not None:
            if w is self.overlay:
                return True
            w = w.parentWidget()
        return False

    def check_idle(self) -> None:
        """Timer slot: lock when the idle time has passed (tests call it with a fake clock)."""
        if self.overlay is None and self.clock() - self.last_activity >= self.timeout_s:
            self.lock()

    # -- locking ---------------------------------------------------------------------------------
    def lock(self) -> None:
        if self.overlay is not None:
            return
        self.session.lock()
        self._hidden = [w for w in QApplication.topLevelWidgets()
                        if w is not self.window and w.isVisible() and not isinstance(w, LockOverlay)]
        for w in self._hidden:
            w.hide()
        self._saved_title = self.window.windowTitle()
        self.window.setWindowTitle("Werkbrug")
        self.overlay = LockOverlay(self.window, self.session.principal.name or self.session.principal.login)
        self.overlay.button.clicked.connect(self._try_unlock)
        self.overlay.password.returnPressed.connect(self._try_unlock)
        self.overlay.cover()
        self.locked.emit()

    def _try_unlock(self) -> None:
        if self.overlay is not None:
            self.unlock(self.overlay.password.text())

    def unlock(self, password: str) -> bool:
        if self.overlay is None:
            return True
        try:
            ok = self.session.unlock(password)
        except UserError as e:               # LockedOut: the delay is still running
            self.overlay.message.setText(str(e))
            self.overlay.password.clear()
            return False
        if not ok:
            self.overlay.message.setText(self.tr("Verkeerd wachtwoord."))
            self.overlay.password.clear()
            return False
        self.overlay.hide()
        self.overlay.deleteLater()
        self.overlay = None
        self.window.setWindowTitle(self._saved_title)
        for w in self._hidden:
            w.show()
        self._hidden = []
        self.last_activity = self.clock()
        self.unlocked.emit()
        return True

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
