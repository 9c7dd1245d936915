"""Run long core functions off the GUI thread.

Core functions take plain callables ``progress(fraction, text)`` and ``is_cancelled()``; this
adapter turns them into Qt signals. Results and errors come back on the GUI thread through
queued signals. Starting a task with the same ``key`` cancels the running one (a newer match
replaces an older one).
"""
from __future__ import annotations

import logging
import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("werkbrug.gui.tasks")


class TaskSignals(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Task(QRunnable):
    def __init__(self, func: Callable[..., Any], *args, **kwargs):
        super().__init__()
        self.setAutoDelete(False)
        self.func, self.args, self.kwargs = func, args, kwargs
        self.signals = TaskSignals()
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, fraction: float, text: str = "") -> None:
        self.signals.progress.emit(float(fraction), text)

    def run(self) -> None:
        try:
            result = self.func(*self.args, progress=self._progress, is_cancelled=self.is_cancelled, **self.kwargs)
        except Exception as e:  # noqa: BLE001 - reported to the GUI, logged with traceback
            log.error("background task failed: %s", traceback.format_exc())
            if not self.is_cancelled():
                self.signals.failed.emit(str(e) or e.__class__.__name__)
        else:
            if self.is_cancelled():
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)
        finally:
            self.done.set()


class TaskRunner(QObject):
    """Owns the thread pool; keeps one running task per key."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._running: dict[str, Task] = {}

    def start(self, key: str, func: Callable[..., Any], *args,
              on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[str], None] | None = None,
              on_progress: Callable[[float, str], None] | None = None, **kwargs) -> Task:
        old = self._running.get(key)
        if old is not None:
            old.cancel()
        task = Task(func, *args, **kwargs)
        if on_done:
            task.signals.finished.connect(on_done)
        if on_error:
            task.signals.failed.connect(on_error)
        if on_progress:
            task.signals.progress.connect(on_progress)
        task.signals.finished.connect(lambda *_: self._forget(key, task))
        task.signals.failed.connect(lambda *_: self._forget(key, task))
        task.signals.cancelled.connect(lambda: self._forget(key, task))
        self._running[key] = task
        self.pool.start(task)
        return task

    def _forget(self, key: str, task: Task) -> None:
        if self._running.get(key) is task:
            del self._running[key]

    def cancel(self, key: str) -> None:
        task = self._running.get(key)
        if task:
            task.cancel()

    def is_running(self, key: str) -> bool:
        return key in self._running

    def shutdown(self, timeout_ms: int = 3000) -> None:
        for task in list(self._running.values()):
            task.cancel()
        self.pool.waitForDone(timeout_ms)
