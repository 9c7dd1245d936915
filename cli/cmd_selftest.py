"""``self-test`` (also ``--self-test``): check that this installation works, without a display.

The checks themselves are in core/selftest.py; this module adds the one that needs Qt (the
platform plugins) and writes the lines to the terminal and, with ``--rapport``, to a file (a
windowed program on Windows has no console to print to).
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path

from core.i18n import tr
from core.selftest import Check, CheckFailed, SelfTestContext, run_selftest

_CTX = "zelftest"
# The platform plugin the installed program needs on a desktop, per system.
DESKTOP_PLATFORM_PLUGIN = {"linux": "xcb", "win32": "windows", "darwin": "cocoa"}


def register(sub) -> None:
    p = sub.add_parser("self-test", help=tr("cli", "controleer of deze installatie werkt (zonder scherm)"))
    p.add_argument("--rapport", type=Path, metavar="PAD",
                   help=tr("cli", "schrijf de resultaten ook naar dit tekstbestand"))
    p.set_defaults(func=run)


def _plugin_names(folder: Path) -> list[str]:
    names = []
    for f in folder.iterdir():
        stem = f.name.split(".")[0]
        if f.suffix.lower() in (".so", ".dll", ".dylib") or ".so." in f.name:
            names.append(stem.removeprefix("lib").removeprefix("q"))
    return sorted(set(names))


def check_qt(ctx: SelfTestContext) -> str:
    """Start Qt with the offscreen platform, paint a widget, find the desktop platform plugin and
    import the window modules (so a Qt library missing from the bundle shows up here)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication.instance()
    if app is None:
        app = QApplication(["werkbrug", "-platform", "offscreen"])
        ctx.state["qt_app"] = app               # keep it alive until the end of the self-test
    platform = QApplication.platformName()
    label = QLabel("Werkbrug – Zoë Çelik-Lefèvre")
    label.resize(240, 40)
    pixmap = label.grab()
    if pixmap.isNull() or pixmap.width() <= 0:
        raise CheckFailed(tr(_CTX, "Qt kan geen venster tekenen (platform {platform})").format(platform=platform))
    found: list[str] = []
    for path in QCoreApplication.libraryPaths():
        folder = Path(path) / "platforms"
        if folder.is_dir():
            found += _plugin_names(folder)
    found = sorted(set(found))
    needed = DESKTOP_PLATFORM_PLUGIN.get(sys.platform)
    if needed and needed not in found:
        raise CheckFailed(tr(_CTX, "het platformplugin {nodig} ontbreekt (gevonden: {lijst})").format(
            nodig=needed, lijst=", ".join(found) or "-"))
    import gui  # every window module, and so every Qt library it needs, must load
    for info in pkgutil.iter_modules(gui.__path__):
        importlib.import_module(f"gui.{info.name}")
    return tr(_CTX, "Qt gestart met platform {platform}, vensters geladen; platformplugins: {lijst}").format(
        platform=platform, lijst=", ".join(found))


QT_CHECK = Check(tr(_CTX, "Qt-platform"), check_qt)


def run(args, ctx) -> int:
    report = getattr(args, "rapport", None)
    lines: list[str] = []

    def out(line: str) -> None:
        lines.append(line)
        if sys.stdout is not None:
            print(line, flush=True)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    code = run_selftest([QT_CHECK], out)
    if report is not None:
        Path(report).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return code
