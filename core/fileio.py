"""Files the counsellor names: Dutch reasons for file-system errors and writes that never leave half a file.

``os_reason(e)`` turns an ``OSError`` into a short Dutch reason (``e.strerror`` is the English text of
the C library). ``atomic_path(target)`` gives a temporary name next to the target; the target appears
only when the block ends without an error, and the temporary file is removed otherwise.
"""
from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from core.i18n import tr

_CTX = "bestanden"


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


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; replace ``target`` with it when the block succeeds.

    On any error (or interruption) the temporary file is removed and ``target`` is untouched. An
    ``OSError`` about the temporary file is re-raised about ``target``, the name the user knows.
    """
    target = Path(target)
    tmp = target.with_name(f".{target.name}.part")
    try:
        yield tmp
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
