"""Translation hook for text a counsellor sees.

Source strings are Dutch (nl-BE). core/ must not import Qt, so it marks strings with
``tr(context, text)``; the GUI installs Qt's translator as the backend at start-up
(``set_backend(QCoreApplication.translate)``) so the same strings go through Qt Linguist.
"""
from __future__ import annotations

from typing import Callable

_backend: Callable[[str, str], str] | None = None


def set_backend(func: Callable[[str, str], str] | None) -> None:
    global _backend
    _backend = func


def tr(context: str, text: str) -> str:
    if _backend is None:
        return text
    try:
        return _backend(context, text)
    except Exception:  # a broken translation must never hide the message
        return text


def counted(n: int, one: str, many: str, **values) -> str:
    """``one`` (already translated, for exactly 1) or ``many`` with ``{n}`` filled in: "1 werknemer",
    "2 werknemers". Both are whole translated texts, so a translation can word each as it needs."""
    return (one if n == 1 else many).format(n=n, **values)
