"""core/ and db/ must never import PySide6: they run without a window (CLI, batch, tests)."""
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_core_and_db_do_not_import_qt():
    code = (
        "import importlib, pkgutil, sys\n"
        "import core, db, db.migrations\n"
        "for pkg in (core, db, db.migrations):\n"
        "    for info in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(f'{pkg.__name__}.{info.name}')\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6') or m.startswith('shiboken')]\n"
        "print(','.join(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, f"Qt imported by core/db: {r.stdout} {r.stderr[-2000:]}"


def test_no_sql_outside_db():
    """SQL statements live in db/ only (repositories); gui/ and core/ call repositories."""
    offenders = []
    for folder in ("core", "gui"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for kw in ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "CREATE TABLE"):
                if f'"{kw}' in text or f"'{kw}" in text or f'"""{kw}' in text:
                    offenders.append(f"{path.relative_to(ROOT)}: {kw.strip()}")
    assert not offenders, offenders
