"""One writer at a time per database file: the window, or a command that changes data.

Two windows on the same database each keep a worker as they read it, and the later save undoes the
earlier one. So the window, and every command that writes (``cli.app``), holds ``<db>.lock`` while it
runs: a lock of the operating system (``flock`` / ``LockFileEx`` through ``msvcrt.locking``) on that
file, which the operating system releases when the process ends, however it ends. A lock left by a
crashed process is therefore taken over without asking; the file's text (who, since when) is only
there to say in the message who holds it. Commands that only read do not take it.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
from pathlib import Path

from core.errors import UserError
from core.i18n import tr

_CTX = "database"
SUFFIX = ".lock"
_WIN_OFFSET = 1 << 30          # Windows locks a byte range; one far beyond the text keeps the text readable

WINDOW = "venster"
COMMAND = "opdracht"


class DatabaseInUse(UserError):
    """The database is held by another window or writing command (the message says which, in Dutch)."""

    def __init__(self, message: str, holder: dict | None):
        super().__init__(message)
        self.holder = holder or {}


def lock_path(db_path: Path | str) -> Path:
    p = Path(db_path)
    return p.with_name(p.name + SUFFIX)


def _try_lock(fd: int) -> bool:
    if os.name == "nt":
        import msvcrt
        os.lseek(fd, _WIN_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if os.name == "nt":
        import msvcrt
        os.lseek(fd, _WIN_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl
        fcntl.flock(fd, fcntl.LOCK_UN)


def read_holder(db_path: Path | str) -> dict | None:
    """What the holder wrote in the lock file (kind, what, pid, host, since), or None."""
    try:
        with open(lock_path(db_path), "rb") as f:
            data = json.loads(f.read(4096).split(b"\0", 1)[0] or b"null")
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class InstanceLock:
    """The lock of one database file, held by this process until ``release`` (or the process ends)."""

    def __init__(self, db_path: Path | str):
        self.db_path = Path(db_path)
        self.path = lock_path(db_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self, kind: str, what: str = "") -> bool:
        """Take the lock if free (also when a crashed process left the file); False when it is held."""
        if self._fd is not None:
            return True
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
            except FileNotFoundError:
                return True          # no folder, so no database either: nothing to share
            if not _try_lock(fd):
                os.close(fd)
                return False
            try:
                same = os.name == "nt" or os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:             # removed by the holder that just released it: lock the new file
                _unlock(fd)
                os.close(fd)
                continue
            self._fd = fd
            self._write(kind, what)
            return True
        return False

    def acquire(self, kind: str, what: str = "", *, wait: float = 0.0) -> "InstanceLock":
        """Take the lock, waiting up to ``wait`` seconds; DatabaseInUse (a Dutch message) when still held."""
        deadline = time.monotonic() + wait
        while not self.try_acquire(kind, what):
            if time.monotonic() >= deadline:
                raise DatabaseInUse(in_use_message(self.db_path, read_holder(self.db_path), kind),
                                    read_holder(self.db_path))
            time.sleep(0.2)
        return self

    def _write(self, kind: str, what: str) -> None:
        info = {"kind": kind, "what": what, "pid": os.getpid(), "host": socket.gethostname(),
                "since": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        try:
            os.lseek(self._fd, 0, os.SEEK_SET)
            os.ftruncate(self._fd, 0)
            os.write(self._fd, json.dumps(info, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass                     # the text only serves the message of whoever is refused

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if os.name != "nt":
                try:
                    os.unlink(self.path)    # while still locked: nobody else can hold this file now
                except OSError:
                    pass
            _unlock(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
        if os.name == "nt":
            try:
                os.unlink(self.path)
            except OSError:
                pass                 # another process has it open (and may be taking it over)

    def __enter__(self) -> "InstanceLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _since(holder: dict) -> str:
    try:
        when = dt.datetime.fromisoformat(str(holder.get("since")))
    except (TypeError, ValueError):
        return ""
    return when.strftime("%d/%m/%Y %H:%M")


def in_use_message(db_path: Path | str, holder: dict | None, wanted: str) -> str:
    """Why ``wanted`` (WINDOW or COMMAND) cannot start now, in Dutch."""
    holder = holder or {}
    since = _since(holder)
    if holder.get("kind") == COMMAND:
        who = (tr(_CTX, "de opdracht „{wat}” (sinds {sinds})") if since else tr(_CTX, "de opdracht „{wat}”")).format(
            wat=holder.get("what") or "?", sinds=since)
    else:
        who = (tr(_CTX, "een ander venster van Werkbrug (open sinds {sinds})") if since else
               tr(_CTX, "een ander venster van Werkbrug")).format(sinds=since)
    if wanted == WINDOW:
        return tr(_CTX, "Deze database ({pad}) is al in gebruik door {wie}. Werkbrug opent niet een tweede keer op "
                        "dezelfde gegevens: twee vensters zouden elkaars bewaarde wijzigingen ongedaan maken. Ga naar "
                        "het venster dat al open is (of wacht tot de opdracht klaar is) en probeer dan "
                        "opnieuw.").format(pad=db_path, wie=who)
    return tr(_CTX, "Deze database ({pad}) is in gebruik door {wie}. Deze opdracht wijzigt gegevens en start daarom "
                    "niet: sluit eerst het venster (of wacht tot de opdracht klaar is) en probeer opnieuw. Opdrachten "
                    "die alleen lezen (zoals dossiers, workers, export-dossier, audit, backup) kunnen wel terwijl "
                    "het venster open is.").format(pad=db_path, wie=who)
