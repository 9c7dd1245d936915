"""Files the counsellor names: Dutch reasons for file-system errors and writes that never leave half a file.

``os_reason(e)`` turns an ``OSError`` into a short Dutch reason (``e.strerror`` is the English text of
the C library). ``atomic_path(target)`` gives a temporary name next to the target; the target appears
only when the block ends without an error, and the temporary file is removed otherwise.

Every file written on the user's request is checked with ``check_output_file`` first (``atomic_path``
does it itself): it refuses, before anything is written, a target that is an open database or one of
its companion files (registered by the database layer with ``protect_files`` when it opens a database,
released when the connection closes) and an existing target that is not a regular file (a folder, a
device, a pipe), which a rename would otherwise replace.
"""
from __future__ import annotations

import errno
import os
import stat
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from core.errors import UserError
from core.i18n import tr

_CTX = "bestanden"


class UnsafeTarget(UserError):
    """A file the user asked to write would replace an open database, its key file or something that
    is not a regular file. Nothing was written."""


# --- files that must never be written over ---------------------------------------------------------------

_protected: dict[str, list] = {}      # key of a database -> [{path: role}, database path, number of openings]
_lock = threading.Lock()


def _key(path: Path | str) -> str:
    return os.path.normcase(os.path.abspath(os.path.realpath(os.fspath(path))))


def protect_files(database: Path | str, files: dict[Path | str, str]) -> str:
    """Register the files of an opened database (``files``: path -> role 'database', 'companion' or
    'keys'); returns a token for ``release_files``. Opening the same database twice counts twice."""
    token = _key(database)
    with _lock:
        entry = _protected.get(token)
        if entry is None:
            _protected[token] = [{_key(f): role for f, role in files.items()}, Path(database), 1]
        else:
            entry[2] += 1
    return token


def release_files(token: str) -> None:
    """The connection registered under ``token`` was closed."""
    with _lock:
        entry = _protected.get(token)
        if entry is not None:
            entry[2] -= 1
            if entry[2] <= 0:
                del _protected[token]


def _protected_role(target: Path) -> tuple[str, Path] | None:
    key = _key(target)
    with _lock:
        entries = [(dict(files), db) for files, db, _n in _protected.values()]
    try:
        st = os.stat(target)
    except OSError:
        st = None
    for files, db in entries:
        if key in files:
            return files[key], db
        if st is not None:           # the same file under another name (hard link, other letter case)
            for other, role in files.items():
                try:
                    o = os.stat(other)
                except OSError:
                    continue
                if (o.st_dev, o.st_ino) == (st.st_dev, st.st_ino):
                    return role, db
    return None


def refuse_folder(target: Path | str) -> Path:
    """Refuse (``UnsafeTarget``) a file name to write that is an existing folder or ends with a path
    separator: Werkbrug never writes a file of its own choosing next to or inside it. Use it on the name
    the user gave, before a suffix is added. Returns ``target`` as a ``Path``."""
    raw = os.fspath(target)
    if raw.endswith(os.sep) or (os.altsep and raw.endswith(os.altsep)) or os.path.isdir(raw):
        raise UnsafeTarget(tr(_CTX, "{pad} is een map; geef een bestandsnaam.").format(pad=raw))
    return Path(raw)


def check_output_file(target: Path | str) -> Path:
    """Refuse (``UnsafeTarget``, nothing written) a file to write that is an open database, one of its
    companion files or its key file, or that exists and is not a regular file (folder, device, pipe).
    A name ending in a path separator means a folder. Returns ``target`` as a ``Path``."""
    path = refuse_folder(target)
    hit = _protected_role(path)
    if hit is not None:
        role, db = hit
        if role == "database":
            text = tr(_CTX, "{pad} is de database zelf; kies een andere bestandsnaam. Er werd niets geschreven.")
        elif role == "keys":
            text = tr(_CTX, "{pad} is het sleutelbestand van de database {db}; kies een andere bestandsnaam. Er werd "
                            "niets geschreven.")
        else:
            text = tr(_CTX, "{pad} is een hulpbestand van de open database {db}; kies een andere bestandsnaam. Er "
                            "werd niets geschreven.")
        raise UnsafeTarget(text.format(pad=path, db=db))
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return path                  # does not exist yet (or cannot be read): the write itself will tell
    if not stat.S_ISREG(mode):
        raise UnsafeTarget(tr(_CTX, "{pad} is geen gewoon bestand (maar bijvoorbeeld een apparaat of een pipe); kies "
                                    "een andere bestandsnaam. Er werd niets geschreven.").format(pad=path))
    return path


def check_output_files(targets: Iterable[Path | str]) -> list[Path]:
    """``check_output_file`` for every target, before any of them is written."""
    return [check_output_file(t) for t in targets]


def os_reason(e: BaseException) -> str:
    """A short Dutch reason for a file-system error (no path in it)."""
    code = getattr(e, "errno", None)
    if isinstance(e, FileNotFoundError) or code == errno.ENOENT:
        return tr(_CTX, "het bestand of de map bestaat niet")
    if isinstance(e, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return tr(_CTX, "geen toegang (rechten)")
    if isinstance(e, IsADirectoryError) or code == errno.EISDIR:
        return tr(_CTX, "dit is een map, geen bestand")
    if isinstance(e, NotADirectoryError) or code == errno.ENOTDIR:
        return tr(_CTX, "een deel van het pad is geen map")
    if isinstance(e, FileExistsError) or code == errno.EEXIST:
        return tr(_CTX, "er bestaat al een bestand met die naam")
    if code == errno.ENOSPC:
        return tr(_CTX, "de schijf is vol")
    if code == errno.EROFS:
        return tr(_CTX, "de schijf is alleen-lezen")
    if code == errno.ENAMETOOLONG:
        return tr(_CTX, "de naam is te lang")
    if code == errno.EBUSY or code == errno.ETXTBSY:
        return tr(_CTX, "het bestand is in gebruik")
    if code == errno.EIO:
        return tr(_CTX, "lees- of schrijffout van de schijf")
    detail = getattr(e, "strerror", None) or str(e) or e.__class__.__name__
    return tr(_CTX, "systeemfout ({fout})").format(fout=detail)


def os_error_path(e: BaseException, default: object = "") -> str:
    """The path an ``OSError`` is about (``default`` when it names none)."""
    name = getattr(e, "filename", None)
    return str(name) if name not in (None, "") else str(default)


def error_text(e: BaseException) -> str:
    """The message for the counsellor: a file-system error as its Dutch reason with the file it is about
    (the C library's own text is English), any other error (a ``UserError``) as it is."""
    if isinstance(e, OSError):
        where = os_error_path(e)
        return f"{where}: {os_reason(e)}" if where else os_reason(e)
    return str(e)


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; replace ``target`` with it when the block succeeds.

    On any error (or interruption) the temporary file is removed and ``target`` is untouched. An
    ``OSError`` about the temporary file is re-raised about ``target``, the name the user knows.
    A target refused by ``check_output_file`` raises ``UnsafeTarget`` before anything is written.
    """
    target = check_output_file(target)
    tmp = target.with_name(f".{target.name}.part")
    try:
        yield tmp
        check_output_file(target)          # again: the block may have taken a while
        os.replace(tmp, target)
    except OSError as e:
        _unlink(tmp)
        if e.filename is not None and Path(str(e.filename)) == tmp:
            raise OSError(e.errno, e.strerror, str(target)) from None
        raise
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A value for a CSV file that spreadsheet programs open: a text that starts like a formula
    (= + - @, tab, carriage return) gets a leading apostrophe, so it is shown, not run. Other values
    are returned unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# --- temporary files left behind by a process that was killed ---------------------------------------------

STALE_AFTER_S = 6 * 3600       # a temporary file untouched this long belongs to no running work


def process_alive(pid: int) -> bool:
    """True when a process with this id runs (or may run: when it cannot be told, it is taken as running)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if os.name == "nt":                     # os.kill would end the process on Windows
        import ctypes
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)        # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.GetLastError() == 5                     # access denied: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259                              # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:                          # PermissionError: it exists, under another user
        return True
    return True


def remove_stale_files(folder: Path | str, pattern, *, keep: Iterable[Path | str] = (),
                       max_age_s: float = STALE_AFTER_S, now: float | None = None) -> list[Path]:
    """Remove the files in ``folder`` whose name matches ``pattern`` (a compiled regular expression; a
    group named ``pid`` holds the id of the process that wrote it, when the name has one) and that no
    running process is writing: the process is gone, or (name without a process id, or an id that may
    have been reused) the file was not touched for ``max_age_s`` seconds. A file of this process and the
    files in ``keep`` are never removed. Best effort: a file that cannot be removed is left. Returns the
    files removed."""
    import time
    now = time.time() if now is None else now
    kept = {_key(k) for k in keep}
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = pattern.match(entry.name)
        if m is None or _key(entry.path) in kept:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        pid = m.groupdict().get("pid")
        if pid is not None and int(pid) == os.getpid():
            continue
        if (pid is not None and not process_alive(int(pid))) or age > max_age_s:
            try:
                os.unlink(entry.path)
            except OSError:
                continue
            removed.append(Path(entry.path))
    return removed
