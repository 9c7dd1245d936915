"""The version number, read from the installed metadata (pyproject.toml is the one source)."""
from __future__ import annotations

import re
import sys
from pathlib import Path


def _read_version() -> str:
    if getattr(sys, "frozen", False):   # an installed bundle: the build wrote resources/VERSION
        from core.resources import resource_path
        stamp = resource_path("VERSION")
        if stamp.exists():
            return stamp.read_text(encoding="utf-8").strip()
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if pyproject.exists():
        m = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"), re.M)
        if m:
            return m.group(1)
    try:
        from importlib.metadata import version
        return version("werkbrug")
    except Exception:  # noqa: BLE001
        from core.resources import resource_path
        stamp = resource_path("VERSION")
        return stamp.read_text(encoding="utf-8").strip() if stamp.exists() else "0.0.0"


__version__ = _read_version()
