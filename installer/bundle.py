"""Build-time helpers for installer/werkbrug.spec.

They live outside the spec so that tests can import them without running PyInstaller. Everything
that must follow the source tree (modules found through pkgutil at run time, the resources/ folder,
the version number) is computed here from the tree, never listed by hand.
"""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "werkbrug"

# Qt modules Werkbrug does not use. A module that the sources do import is never excluded
# (see excluded_modules), so adding e.g. a chart later cannot silently break the bundle.
QT_CANDIDATES_TO_EXCLUDE = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtBluetooth", "QtCharts", "QtDataVisualization", "QtDesigner", "QtGraphs", "QtGraphsWidgets",
    "QtHelp", "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetworkAuth",
    "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPositioning", "QtQml", "QtQuick", "QtQuick3D",
    "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors",
    "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine", "QtTest",
    "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick",
    "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtCanvasPainter",
)
# Python packages that are only ever imported optionally (or by the tests) and are not needed.
# numpy / scipy / lightgbm: only for fitting the title ranker (the `tune` extra); rapidfuzz imports
# numpy when it is there, which would pull about 35 MB into the bundle for nothing
OTHER_EXCLUDES = ("tkinter", "_tkinter", "pytest", "_pytest", "hypothesis", "IPython", "pypdf",
                  "numpy", "scipy", "lightgbm", "pandas", "sklearn")
# Qt's own translations are kept for these languages only (the others are ~25 MB).
QT_TRANSLATION_LANGUAGES = ("nl", "fr", "en")

SOURCE_PACKAGES = ("cli", "core", "db", "gui")


def read_version(root: Path = ROOT) -> str:
    """The version from pyproject.toml: the one place where it is written."""
    with open(root / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def _modules_under(root: Path, package: str, pattern: str = "*.py") -> list[str]:
    base = root / package.replace(".", "/")
    found = []
    for path in sorted(base.rglob(pattern)):
        if "__pycache__" in path.parts:
            continue
        rel = path.relative_to(root).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.append(".".join(parts))
    return found


def hidden_imports(root: Path = ROOT) -> list[str]:
    """Modules that are imported by name at run time, which PyInstaller cannot see.

    - cli.cmd_*: the subcommands, discovered with pkgutil by cli.app;
    - db.migrations.mNNNN_*: the schema migrations, discovered with pkgutil;
    - every other module of cli/, core/, db/ and gui/: the self-test looks some of them up by name
      and imports all windows, and a module imported only inside a function is easily missed.
    """
    names = [f"cli.{p.stem}" for p in sorted((root / "cli").glob("cmd_*.py"))]
    names += [f"db.migrations.{p.stem}" for p in sorted((root / "db" / "migrations").glob("m*.py"))
              if re.fullmatch(r"m\d{4}_\w+", p.stem)]
    for package in SOURCE_PACKAGES:
        names += _modules_under(root, package)
    return sorted(dict.fromkeys(names))


def used_qt_modules(root: Path = ROOT) -> set[str]:
    """Qt modules named anywhere in the application sources (``PySide6.QtX`` or ``from PySide6 import QtX``)."""
    used: set[str] = set()
    for package in SOURCE_PACKAGES + ("main.py",):
        target = root / package
        files = [target] if target.is_file() else target.rglob("*.py")
        for path in files:
            text = path.read_text(encoding="utf-8", errors="replace")
            used.update(re.findall(r"PySide6\.(Qt\w+)", text))
            for names in re.findall(r"from[ \t]+PySide6[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)", text):
                for name in names.strip("()").split(","):
                    m = re.match(r"\s*(Qt\w+)", name)
                    if m:
                        used.add(m.group(1))
    return used


def excluded_modules(root: Path = ROOT) -> list[str]:
    used = used_qt_modules(root)
    qt = [f"PySide6.{m}" for m in QT_CANDIDATES_TO_EXCLUDE if m not in used]
    return qt + list(OTHER_EXCLUDES)


def write_version_stamp(build_dir: Path, root: Path = ROOT) -> Path:
    """Write VERSION (the pyproject version) into ``build_dir``; it is bundled as resources/VERSION."""
    build_dir.mkdir(parents=True, exist_ok=True)
    stamp = build_dir / "VERSION"
    stamp.write_text(read_version(root) + "\n", encoding="utf-8")
    return stamp


def data_files(root: Path = ROOT, stamp: Path | None = None) -> list[tuple[str, str]]:
    """The data files of the bundle: the resources/ folder as a whole, plus the version stamp."""
    datas = [(str(root / "resources"), "resources")]
    if stamp is not None:
        datas.append((str(stamp), "resources"))
    return datas


def keep_data_file(dest: str) -> bool:
    """Filter for the collected data files: drop Qt translations of languages we do not offer."""
    norm = dest.replace("\\", "/")
    if "/translations/" in norm and norm.endswith(".qm") and "PySide6" in norm:
        lang = re.search(r"_([a-z]{2})(?:_[A-Z]{2})?\.qm$", norm)
        return bool(lang) and lang.group(1) in QT_TRANSLATION_LANGUAGES
    return True


# The virtual keyboard input plugin drags in QtQuick and QtQml (~17 MB); Werkbrug has no touch UI.
_QUICK_LIBS = re.compile(r"^(lib)?Qt6(VirtualKeyboard|Quick|Qml)\w*\.(so|dll|dylib)", re.I)
_VKB_PLUGIN = re.compile(r"qtvirtualkeyboardplugin", re.I)


def keep_binary(dest: str, used_qt: set[str] | None = None) -> bool:
    """Filter for the collected binaries: drop the virtual keyboard and, unless used, QtQuick/QtQml."""
    name = dest.replace("\\", "/").rsplit("/", 1)[-1]
    if _VKB_PLUGIN.search(name):
        return False
    if _QUICK_LIBS.match(name):
        used = used_qt if used_qt is not None else used_qt_modules()
        return bool(used & {"QtQuick", "QtQml", "QtQuickWidgets", "QtQuickControls2"})
    return True


def icon_file(root: Path = ROOT) -> str | None:
    """The executable's icon: .ico on Windows (PyInstaller ignores it on Linux)."""
    ico = root / "resources" / "icons" / "werkbrug.ico"
    return str(ico) if sys.platform == "win32" and ico.exists() else None
