"""Idle lock: after a period without keyboard or mouse input every window of the application is covered by
an opaque lock screen (no personal data visible, window titles replaced by "Werkbrug") until the signed-in
counsellor types their password again, in any of the covers. Wrong passwords count towards the sign-in delay.

Open dialogs are covered, never hidden or closed: hiding a dialog would end its ``exec()`` as rejected while
the counsellor is still in it. After unlocking every window is as it was, and a dialog works as before.

    lock = IdleLock(window, session)            # default: 10 minutes
    lock = IdleLock(window, session, minutes=5, clock=fake_clock)   # tests: call lock.check_idle()
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import shiboken6

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
                               QWidget)

from core.errors import UserError

DEFAULT_MINUTES = 10
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
             QEvent.Type.TouchBegin}
_BLOCKED = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel, QEvent.Type.Shortcut,
            QEvent.Type.ShortcutOverride}


class LockOverlay(QFrame):
    """The opaque cover with a password field (``compact`` for a dialog: the same in less room)."""

    def __init__(self, parent: QWidget, who: str, *, compact: bool = False):
        super().__init__(parent)
        self.setObjectName("lockOverlay")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lockOverlay { background: #23324a; } QLabel { color: white; }")
        lay = QVBoxLayout(self)
        if compact:
            lay.setContentsMargins(12, 8, 12, 8)
            lay.setSpacing(4)
        lay.addStretch(1)
        title = QLabel(self.tr("Werkbrug is vergrendeld"), alignment=Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-weight: bold" if compact else "font-size: 20px; font-weight: bold")
        lay.addWidget(title)
        prompt = QLabel(self.tr("Typ het wachtwoord van {who} om verder te werken.").format(who=who),
                        alignment=Qt.AlignmentFlag.AlignCenter)
        prompt.setWordWrap(True)
        lay.addWidget(prompt)
        self.password = QLineEdit(objectName="lockPassword", echoMode=QLineEdit.EchoMode.Password)
        self.password.setMaximumWidth(320)
        self.button = QPushButton(self.tr("Ontgrendelen"), objectName="unlockButton")
        self.button.setAutoDefault(False)         # in a dialog: Enter must never reach the dialog's own buttons
        if compact:
            row = QHBoxLayout()
            row.addWidget(self.password, 1)
            row.addWidget(self.button)
            lay.addLayout(row)
        else:
            lay.addWidget(self.password, alignment=Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel(objectName="lockMessage", alignment=Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("color: #ffb4b4")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        lay.addStretch(2)

    def cover(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.password.setFocus()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        event.accept()       # Escape or Enter in the cover never reach the dialog underneath (reject, default button)

    def keyReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        event.accept()


@dataclass
class _Covered:
    """A window under a cover, with what is given back at unlocking."""
    window: QWidget
    overlay: LockOverlay
    title: str
    focus: QWidget | None
    minimum: QSize | None = None          # the window was enlarged to hold the cover: its size of before
    size: QSize | None = None


def _alive(obj) -> bool:
    return obj is not None and shiboken6.isValid(obj)


class IdleLock(QObject):
    locked = Signal()
    unlocked = Signal()

    def __init__(self, window: QWidget, session, *, minutes: float = DEFAULT_MINUTES,
                 clock: Callable[[], float] = time.monotonic, check_interval_ms: int = 5000):
        super().__init__(window)
        self.window, self.session, self.clock = window, session, clock
        self.timeout_s = minutes * 60
        self.last_activity = clock()
        self.overlay: LockOverlay | None = None        # the main window's cover while locked
        self._covered: list[_Covered] = []
        self._active: QWidget | None = None
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

    def cover_of(self, window: QWidget) -> LockOverlay | None:
        """The cover over ``window`` while locked (None: not covered)."""
        for c in self._covered:
            if c.window is window and _alive(c.overlay):
                return c.overlay
        return None

    # -- activity --------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        t = event.type()
        if self.overlay is not None:
            if t == QEvent.Type.Resize and isinstance(obj, QWidget):
                cover = self.cover_of(obj)
                if cover is not None:
                    cover.setGeometry(obj.rect())
            elif t == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow():
                self._cover_window(obj)          # opened while locked: covered as well
            elif t == QEvent.Type.Close and event.spontaneous() and isinstance(obj, QWidget) \
                    and self.cover_of(obj) is not None and obj is not self.window:
                event.ignore()            # the title bar's close button must not end a dialog under the cover
                return True
            if t in _BLOCKED and isinstance(obj, QWidget) and not self._inside_overlay(obj):
                return True              # nothing behind the lock screen can be used
            return False
        if t in _ACTIVITY:
            self.last_activity = self.clock()
        return False

    def _inside_overlay(self, w: QWidget) -> bool:
        while w is not None:
            if isinstance(w, LockOverlay):
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
        self._active = QApplication.activeModalWidget() or QApplication.activeWindow()
        self.overlay = self._cover(self.window, compact=False)
        self._cover_new_windows()
        front = self.cover_of(self._active) if _alive(self._active) else None
        (front or self.overlay).password.setFocus()      # where the counsellor can type: the dialog in front
        self.locked.emit()

    def _cover_new_windows(self) -> None:
        if self.overlay is None:
            return
        for w in QApplication.topLevelWidgets():
            if w.isVisible():
                self._cover_window(w)

    def _cover_window(self, w: QWidget) -> None:
        if self.overlay is None or isinstance(w, LockOverlay) or self.cover_of(w) is not None:
            return
        if w.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen):
            w.hide()              # an open menu, list or tooltip: closed, as a click elsewhere would
            return
        self._cover(w, compact=True)

    def _cover(self, w: QWidget, *, compact: bool) -> LockOverlay:
        who = self.session.principal.name or self.session.principal.login
        overlay = LockOverlay(w, who, compact=compact)
        entry = _Covered(w, overlay, w.windowTitle(), w.focusWidget())
        need = overlay.minimumSizeHint().expandedTo(QSize(320, 150)) if compact else QSize()
        if compact and (w.width() < need.width() or w.height() < need.height()):
            entry.minimum, entry.size = w.minimumSize(), w.size()
            w.setMinimumSize(w.minimumSize().expandedTo(need))
            w.resize(w.size().expandedTo(need))
        w.setWindowTitle("Werkbrug")
        overlay.button.clicked.connect(lambda: self._try_unlock(overlay))
        overlay.password.returnPressed.connect(lambda: self._try_unlock(overlay))
        overlay.cover()
        self._covered.append(entry)
        return overlay

    def _try_unlock(self, overlay: LockOverlay | None = None) -> None:
        overlay = overlay or self.overlay
        if overlay is not None and self.overlay is not None:
            self.unlock(overlay.password.text(), overlay)

    def unlock(self, password: str, overlay: LockOverlay | None = None) -> bool:
        if self.overlay is None:
            return True
        shown = overlay if _alive(overlay) else self.overlay
        try:
            ok = self.session.unlock(password)
        except UserError as e:               # LockedOut: the delay is still running
            shown.message.setText(str(e))
            shown.password.clear()
            return False
        if not ok:
            shown.message.setText(self.tr("Verkeerd wachtwoord."))
            shown.password.clear()
            return False
        covered, self._covered, self.overlay = self._covered, [], None
        for c in covered:
            if not _alive(c.window):
                continue
            if _alive(c.overlay):
                c.overlay.hide()
                c.overlay.deleteLater()
            c.window.setWindowTitle(c.title)
            if c.minimum is not None:
                c.window.setMinimumSize(c.minimum)
                c.window.resize(c.size)
            if _alive(c.focus) and c.focus.window() is c.window:
                c.focus.setFocus()
        if _alive(self._active) and self._active.isVisible():
            self._active.activateWindow()
        self._active = None
        self.last_activity = self.clock()
        self.unlocked.emit()
        return True

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
