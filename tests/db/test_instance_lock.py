"""One window (or one writing command) per database: a second one is refused with a Dutch message naming
who holds it, a lock left by a killed process is taken over, and commands that only read still run."""
import argparse
import os
import signal
import subprocess
import sys
import time

import pytest

from cli.app import READ_ONLY_COMMANDS, build_parser, command_name
from db.instance_lock import COMMAND, WINDOW, DatabaseInUse, InstanceLock, lock_path, read_holder
from tests.conftest import ROOT

HOLD = ("import sys, time; sys.path.insert(0, {root!r}); from db.instance_lock import InstanceLock, WINDOW; "
        "InstanceLock({path!r}).acquire(WINDOW); print('held', flush=True); time.sleep(60)")


@pytest.fixture
def other_window(tmp_path):
    """Another process holding the lock of tmp_path/w.db as a window does."""
    path = tmp_path / "w.db"
    proc = subprocess.Popen([sys.executable, "-c", HOLD.format(root=str(ROOT), path=str(path))],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    yield path, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _cli(*argv) -> int:
    from cli.app import run
    from db.connection import set_session_key
    try:
        return run(list(argv))
    finally:
        set_session_key(None)


def test_a_second_holder_is_refused_and_told_who_holds_it(other_window):
    path, proc = other_window
    holder = read_holder(path)
    assert holder["kind"] == WINDOW and holder["pid"] == proc.pid
    with pytest.raises(DatabaseInUse) as e:
        InstanceLock(path).acquire(WINDOW)
    assert "al in gebruik door een ander venster van Werkbrug (open sinds" in str(e.value)
    assert "twee vensters zouden elkaars bewaarde wijzigingen ongedaan maken" in str(e.value)


def test_the_lock_of_a_killed_process_is_taken_over(other_window):
    path, proc = other_window
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert lock_path(path).exists()                 # the file stays behind, its lock does not
    lock = InstanceLock(path).acquire(WINDOW)
    try:
        assert read_holder(path)["pid"] == os.getpid()
    finally:
        lock.release()
    assert not lock_path(path).exists()


def test_within_one_process_a_second_lock_is_refused_too(tmp_path):
    path = tmp_path / "w.db"
    with InstanceLock(path).acquire(COMMAND, "demo"):
        with pytest.raises(DatabaseInUse) as e:
            InstanceLock(path).acquire(WINDOW, wait=0.3)
        assert "de opdracht „demo”" in str(e.value)
    InstanceLock(path).acquire(WINDOW).release()


def test_writing_commands_are_refused_while_a_window_is_open_and_reading_ones_run(tmp_path, capsys):
    path = tmp_path / "w.db"
    assert _cli("--db", str(path), "demo", "--workers", "3") == 0
    proc = subprocess.Popen([sys.executable, "-c", HOLD.format(root=str(ROOT), path=str(path))],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        capsys.readouterr()
        assert _cli("--db", str(path), "workers", "--dossier", "1") == 0          # reads: runs
        assert _cli("--db", str(path), "match-dossier", "--dossier", "1") == 2    # writes: refused
        err = capsys.readouterr().err
        assert "Deze opdracht wijzigt gegevens en start daarom niet" in err
        assert _cli("--db", str(path), "gdpr", "anonymise", "--worker", "1", "--yes") == 2
    finally:
        proc.kill()
        proc.wait()
    assert _cli("--db", str(path), "match-dossier", "--dossier", "1") == 0       # the window is gone


def test_every_read_only_command_exists():
    """A renamed handler must not silently become a writing one (or the other way round)."""
    parser = build_parser()
    names = set()

    def walk(p):
        if p._defaults.get("func"):
            names.add(command_name(p._defaults["func"]))
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    walk(sub)
    walk(parser)
    assert READ_ONLY_COMMANDS <= names
    assert "cli.cmd_demo.run" in names and "cli.cmd_demo.run" not in READ_ONLY_COMMANDS


def test_the_window_refuses_to_open_a_second_time(other_window, qapp, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    from gui import app as gui_app
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: shown.append(a)))
    path, _ = other_window
    started = time.monotonic()
    assert gui_app._hold_database(qapp, path, wait=0.5) is False
    assert time.monotonic() - started >= 0.5          # it waited for a window that might be ending
    assert shown and shown[0][1] == "Werkbrug is al geopend" and "ander venster" in shown[0][2]
