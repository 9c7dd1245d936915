"""Foundation benchmarks: filtering a 50,000-worker table per keystroke, and cold start.

Targets: at most 50 ms per keystroke with 50,000 workers; at most 1.5 s from process start to a
shown main window. Baselines measured in the same run: a QSortFilterProxyModel with a fixed-string
filter over the same rows (the textbook approach) and `python -c "import PySide6.QtWidgets"`.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

KEYSTROKES = ["p", "pe", "pee", "peet", "peete", "peeter", "peeters", "peeters ", "peeters j", "peeters ja",
              "peeters jan", "peeters ja", "peeters j", "peeters", "", "l", "la", "las", "lass", "lasser",
              "8", "85", "850", "8507", "gen", "genk", "aan", "aan het werk"]


os.environ.setdefault("WERKBRUG_USER", "bench")
os.environ.setdefault("WERKBRUG_PASSWORD", "Bench-Wachtwoord-2026!")


def _context(path: Path):
    """Signed in like the application (encrypted database, credentials from the environment)."""
    from cli.context import AppContext
    return AppContext(db_path=path)


def make_db(path: Path, n: int) -> None:
    from cli.cmd_demo import create_demo
    ctx = _context(path)
    create_demo(ctx.db, n)
    ctx.close()


def bench_filter(path: Path) -> tuple[float, float, float]:
    from PySide6.QtCore import QSortFilterProxyModel, Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication
    from db.workers import WorkerRepository
    from gui.models import WorkerTableModel
    app = QApplication.instance() or QApplication([])
    ctx = _context(path)
    db = ctx.db
    t0 = time.perf_counter()
    rows = WorkerRepository(db).summaries()
    model = WorkerTableModel()
    model.set_rows(rows)
    load_ms = (time.perf_counter() - t0) * 1000
    times = []
    for k in KEYSTROKES:
        t = time.perf_counter()
        model.set_filter(k)
        model.rowCount()
        times.append((time.perf_counter() - t) * 1000)
    # baseline: a standard item model behind a QSortFilterProxyModel
    base = QStandardItemModel()
    for w in rows[:len(rows)]:
        base.appendRow([QStandardItem(w.surname), QStandardItem(w.first_names), QStandardItem(w.insz),
                        QStandardItem(w.previous_job_title)])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(base)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    btimes = []
    for k in KEYSTROKES[:10]:
        t = time.perf_counter()
        proxy.setFilterFixedString(k)
        proxy.rowCount()
        btimes.append((time.perf_counter() - t) * 1000)
    ctx.close()
    del app
    return load_ms, max(times), statistics.median(btimes) / max(statistics.median(times), 1e-6)


def bench_start(path: Path) -> tuple[float, float]:
    env = dict(os.environ, WERKBRUG_EXIT_WHEN_SHOWN="1", QT_QPA_PLATFORM="offscreen")
    runs, base = [], []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "main.py", "--db", str(path)], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        runs.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import PySide6.QtWidgets"], check=True)
        base.append(time.perf_counter() - t)
    return min(runs), min(base)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t = time.perf_counter()
        make_db(path, 50_000)
        print(f"demo database with 50,000 workers built in {time.perf_counter() - t:.1f} s")
        load_ms, worst_ms, ratio = bench_filter(path)
        print(f"workers table: load 50,000 rows {load_ms:.0f} ms; filter per keystroke worst {worst_ms:.1f} ms "
              f"(target <= 50 ms); QSortFilterProxyModel baseline is {ratio:.1f}x slower (median)")
        start_s, import_s = bench_start(path)
        print(f"cold start to shown main window with 50,000 workers: {start_s:.2f} s (target <= 1.5 s); "
              f"bare 'import PySide6.QtWidgets' process: {import_s:.2f} s (ratio {start_s / import_s:.1f}x)")
    ok = worst_ms <= 50 and start_s <= 1.5
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
