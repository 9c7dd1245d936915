"""The installer's files, checked without building anything: the spec's helpers, the Inno Setup script,
the Linux menu entry and install/uninstall scripts (against a fake program), the icons and the
version stamp of a frozen bundle."""
import configparser
import importlib
import importlib.util
import os
import re
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"


def load_bundle():
    spec = importlib.util.spec_from_file_location("werkbrug_bundle", INSTALLER / "bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


def pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


# -- the spec and its helpers ------------------------------------------------------------------------

def test_hidden_imports_cover_every_module_found_at_run_time(bundle):
    hidden = set(bundle.hidden_imports())
    subcommands = {f"cli.{p.stem}" for p in (ROOT / "cli").glob("cmd_*.py")}
    migrations = {f"db.migrations.{p.stem}" for p in (ROOT / "db" / "migrations").glob("m[0-9][0-9][0-9][0-9]_*.py")}
    assert subcommands and migrations
    assert subcommands <= hidden
    assert migrations <= hidden
    assert {"cli.cmd_selftest", "core.selftest", "gui.main_window", "db.connection"} <= hidden
    assert not any("__pycache__" in name or name.endswith(".__init__") for name in hidden)


def test_hidden_imports_follow_the_tree(bundle, tmp_path):
    for rel in ("cli/__init__.py", "cli/cmd_nieuw.py", "cli/context.py", "db/__init__.py",
                "db/migrations/__init__.py", "db/migrations/m0042_iets.py", "db/migrations/helpers.py",
                "core/__init__.py", "core/sub/__init__.py", "core/sub/x.py", "gui/__init__.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("", encoding="utf-8")
    hidden = bundle.hidden_imports(tmp_path)
    assert "cli.cmd_nieuw" in hidden and "db.migrations.m0042_iets" in hidden
    assert "core.sub.x" in hidden and "core.sub" in hidden


def test_data_files_are_the_resources_folder_as_a_whole_plus_the_version(bundle, tmp_path):
    stamp = bundle.write_version_stamp(tmp_path)
    assert stamp.read_text(encoding="utf-8").strip() == pyproject_version()
    datas = bundle.data_files(ROOT, stamp)
    assert datas == [(str(ROOT / "resources"), "resources"), (str(stamp), "resources")]


def test_spec_uses_the_helpers():
    text = (INSTALLER / "werkbrug.spec").read_text(encoding="utf-8")
    compile(text, "werkbrug.spec", "exec")
    for call in ("bundle.data_files(", "bundle.hidden_imports(", "bundle.excluded_modules(",
                 "bundle.write_version_stamp(", "bundle.keep_data_file(", "bundle.keep_binary("):
        assert call in text, call
    assert "onefile" not in text.lower() or "onedir" in text.lower()


def test_used_qt_modules_are_never_excluded(bundle):
    used = bundle.used_qt_modules()
    assert {"QtCore", "QtGui", "QtWidgets"} <= used
    excluded = set(bundle.excluded_modules())
    assert not {f"PySide6.{m}" for m in used} & excluded
    assert {"PySide6.QtWebEngineCore", "PySide6.Qt3DCore", "PySide6.QtMultimedia", "PySide6.QtQuick"} <= excluded


def test_a_qt_module_starts_being_used(bundle, tmp_path):
    for package in ("cli", "core", "db", "gui"):
        (tmp_path / package).mkdir()
    (tmp_path / "main.py").write_text("", encoding="utf-8")
    (tmp_path / "gui" / "charts.py").write_text("from PySide6 import QtCharts, QtCore\nimport PySide6.QtSvg\n",
                                                encoding="utf-8")
    assert {"QtCharts", "QtCore", "QtSvg"} <= bundle.used_qt_modules(tmp_path)
    assert "PySide6.QtCharts" not in bundle.excluded_modules(tmp_path)


def test_binary_and_data_filters(bundle):
    assert not bundle.keep_binary("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", set())
    assert not bundle.keep_binary("PySide6/Qt/lib/libQt6Quick.so.6", {"QtWidgets"})
    assert bundle.keep_binary("PySide6/Qt/lib/libQt6Quick.so.6", {"QtQuick"})
    assert not bundle.keep_binary("PySide6\\Qt6Qml.dll", set())
    for keep in ("PySide6/Qt/lib/libQt6Widgets.so.6", "PySide6/Qt/plugins/platforms/libqxcb.so",
                 "PySide6/Qt/lib/libQt6Pdf.so.6", "sqlcipher3/_sqlite3.so"):
        assert bundle.keep_binary(keep, set()), keep
    assert bundle.keep_data_file("PySide6/Qt/translations/qtbase_nl.qm")
    assert bundle.keep_data_file("PySide6/Qt/translations/qtbase_fr.qm")
    assert not bundle.keep_data_file("PySide6/Qt/translations/qtbase_de.qm")
    assert not bundle.keep_data_file("PySide6/Qt/translations/qt_zh_CN.qm")
    assert bundle.keep_data_file("resources/translations/werkbrug_fr.qm")
    assert bundle.keep_data_file("resources/fonts/DejaVuSans.ttf")


def test_frozen_version_comes_from_the_stamp(tmp_path, monkeypatch):
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "VERSION").write_text("9.8.7\n", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    import core.version
    try:
        assert importlib.reload(core.version).__version__ == "9.8.7"
    finally:
        monkeypatch.undo()
        importlib.reload(core.version)
    assert core.version.__version__ == pyproject_version()


# -- Windows: Inno Setup script and build script ------------------------------------------------------

def parse_iss(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        m = re.fullmatch(r"\[(\w+)\]", line)
        if m:
            current = m.group(1)
            sections.setdefault(current, [])
        elif current is not None:
            sections[current].append(line)
    return sections


def iss_setup(sections) -> dict[str, str]:
    return dict(line.split("=", 1) for line in sections["Setup"])


@pytest.fixture(scope="module")
def iss():
    raw = (INSTALLER / "windows" / "werkbrug.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so that Inno Setup reads the accents right"
    return raw.decode("utf-8-sig")


def test_iss_setup_keys(iss):
    sections = parse_iss(iss)
    assert {"Setup", "Languages", "CustomMessages", "Files", "Icons", "Code"} <= set(sections)
    setup = iss_setup(sections)
    assert re.fullmatch(r"\{\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", setup["AppId"])
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    assert setup["AppVersion"] == "{#AppVersion}"
    assert "{#AppVersion}" in setup["OutputBaseFilename"]
    assert setup["DefaultDirName"].startswith("{autopf}")
    assert (INSTALLER / "windows" / setup["SetupIconFile"].replace("\\", "/")).resolve().is_file()
    assert "#error" in iss.split("[Setup]")[0] and "#ifndef AppVersion" in iss
    assert not re.search(r"AppVersion\s*=\s*\d", iss), "the version is passed in, never written here"


def test_iss_languages_and_messages(iss):
    sections = parse_iss(iss)
    languages = {re.search(r'Name:\s*"(\w+)"', line).group(1): line for line in sections["Languages"]}
    assert set(languages) == {"dutch", "french"}
    assert "Dutch.isl" in languages["dutch"] and "French.isl" in languages["french"]
    defined: dict[str, set[str]] = {}
    for line in sections["CustomMessages"]:
        lang, rest = line.split(".", 1)
        defined.setdefault(rest.split("=", 1)[0], set()).add(lang)
    used = set(re.findall(r"CustomMessage\('(\w+)'\)", iss)) | set(re.findall(r"\{cm:(\w+)", iss))
    builtin = {"CreateDesktopIcon", "AdditionalIcons", "LaunchProgram"}
    for name in used - builtin:
        assert defined.get(name) == {"dutch", "french"}, name


def test_iss_shortcut_and_uninstall_keeps_data_by_default(iss):
    sections = parse_iss(iss)
    assert any(line.startswith('Name: "{autoprograms}\\Werkbrug"') for line in sections["Icons"])
    assert any("recursesubdirs" in line for line in sections["Files"])
    code = "\n".join(sections["Code"])
    assert "usPostUninstall" in code and "{localappdata}\\Werkbrug" in code and "DelTree" in code
    assert "MB_DEFBUTTON2" in code and "IDNO" in code            # default answer: keep


def test_build_ps1_passes_the_version(iss):
    text = (INSTALLER / "windows" / "build.ps1").read_text(encoding="ascii")
    assert "/DAppVersion=$Version" in text and "bundle.read_version()" in text
    assert "installer\\build.py" in text and "werkbrug.iss" in text and "self-test" in text


# -- Linux: menu entry, icons, install and uninstall ------------------------------------------------

def test_desktop_entry():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(INSTALLER / "linux" / "werkbrug.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Name"] == "Werkbrug"
    assert entry["Categories"] == "Office;"
    assert entry["Icon"] == "werkbrug" and entry["Terminal"] == "false"
    assert "@APP_DIR@/werkbrug" in entry["Exec"] and "knelpuntberoep" in entry["Comment"]
    assert "Comment[fr]" in entry


def test_icons():
    icons = ROOT / "resources" / "icons"
    import xml.etree.ElementTree as ET
    assert ET.parse(icons / "werkbrug.svg").getroot().tag.endswith("svg")
    for size in (48, 128, 256):
        head = (icons / f"werkbrug-{size}.png").read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(head[16:20], "big") == size and int.from_bytes(head[20:24], "big") == size
    assert (icons / "werkbrug.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell scripts")
def test_shell_scripts_are_executable_and_parse():
    for name in ("install.sh", "uninstall.sh"):
        path = INSTALLER / "linux" / name
        assert path.stat().st_mode & stat.S_IXUSR, name
        assert subprocess.run(["sh", "-n", str(path)], capture_output=True).returncode == 0, name


def fake_package(tmp_path: Path) -> Path:
    """The layout of the tar.gz, with a shell script standing in for the program."""
    pkg = tmp_path / "pkg"
    (pkg / "app").mkdir(parents=True)
    (pkg / "icons").mkdir()
    program = pkg / "app" / "werkbrug"
    program.write_text("#!/bin/sh\necho 'Werkbrug 0.0.1'\n", encoding="utf-8")
    program.chmod(0o755)
    for name in ("install.sh", "uninstall.sh", "werkbrug.desktop"):
        (pkg / name).write_bytes((INSTALLER / "linux" / name).read_bytes())
        (pkg / name).chmod(0o755)
    for icon in (ROOT / "resources" / "icons").glob("werkbrug*"):
        (pkg / "icons" / icon.name).write_bytes(icon.read_bytes())
    return pkg


def user_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), WERKBRUG_INSTALL_AS_ROOT="1")
    return env


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell scripts")
def test_install_then_uninstall_keeps_the_database_unless_purged(tmp_path):
    pkg, home = fake_package(tmp_path), tmp_path / "home"
    home.mkdir()
    env = user_env(home)
    r = subprocess.run(["sh", str(pkg / "install.sh")], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    app = home / ".local/opt/werkbrug"
    desktop = home / ".local/share/applications/werkbrug.desktop"
    assert (app / "werkbrug").exists() and (app / "uninstall.sh").exists()
    assert f'Exec="{app}/werkbrug"' in desktop.read_text(encoding="utf-8")
    for size in (48, 128, 256):
        assert (home / f".local/share/icons/hicolor/{size}x{size}/apps/werkbrug.png").exists()
    assert (home / ".local/share/icons/hicolor/scalable/apps/werkbrug.svg").exists()
    assert os.readlink(home / ".local/bin/werkbrug") == str(app / "werkbrug")
    assert "Werkbrug 0.0.1" in r.stdout

    # installing again replaces the program
    assert subprocess.run(["sh", str(pkg / "install.sh")], env=env, capture_output=True).returncode == 0

    data = home / ".local/share/Werkbrug"
    data.mkdir(parents=True)
    (data / "werkbrug.db").write_bytes(b"SQLite format 3\x00")
    r = subprocess.run(["sh", str(app / "uninstall.sh")], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert not app.exists() and not desktop.exists() and not (home / ".local/bin/werkbrug").exists()
    assert not (home / ".local/share/icons/hicolor/48x48/apps/werkbrug.png").exists()
    assert (data / "werkbrug.db").exists(), "the database is kept without --purge"
    assert "bewaard" in r.stdout

    r = subprocess.run(["sh", str(pkg / "uninstall.sh"), "--purge"], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert not data.exists()
    assert subprocess.run(["sh", str(pkg / "uninstall.sh"), "--wat"], env=env, capture_output=True).returncode == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell scripts")
def test_install_refuses_a_package_without_the_program(tmp_path):
    pkg, home = fake_package(tmp_path), tmp_path / "home"
    home.mkdir()
    (pkg / "app" / "werkbrug").unlink()
    r = subprocess.run(["sh", str(pkg / "install.sh")], env=user_env(home), capture_output=True, text=True)
    assert r.returncode == 1 and "ontbreekt" in r.stderr
    assert not (home / ".local/opt/werkbrug").exists()


def test_no_excluded_module_is_imported_by_the_application(bundle):
    """Excluded modules (numpy is only there for fitting the title ranker) must never be ones the
    application itself imports: the frozen program would fail where the source tree works."""
    import ast
    root = Path(__file__).resolve().parents[1]
    imported: set[str] = set()
    files = [root / "main.py"] + [f for p in ("cli", "core", "db", "gui") for f in (root / p).rglob("*.py")]
    for f in files:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    assert {"PySide6", "rapidfuzz", "reportlab"} <= imported     # the scan sees the real imports
    excluded = {m.split(".")[0] for m in bundle.excluded_modules() if not m.startswith("PySide6.")}
    assert "numpy" in excluded
    assert not imported & excluded
