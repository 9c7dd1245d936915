"""Encryption cost: open a database with 50,000 workers and list/filter the worker summaries,
unencrypted and encrypted (SQLCipher, raw key), in the same run. Target: encrypted <= 1.5x.

The sign-in itself (Argon2id key unwrap + password check, once per session) is reported apart:
it is a deliberate, fixed cost and not part of working with the data.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N_WORKERS = 50_000
REPEAT = 7
TARGET = 1.5


def _build(folder: Path) -> tuple[Path, Path, object]:
    from cli.cmd_demo import create_demo
    from db.connection import DatabaseKey, backup_database, open_database
    plain = folder / "plain.db"
    db = open_database(plain)
    create_demo(db, N_WORKERS, seed=7)
    # a second (small) dossier and a consulent assigned to the big one, for the filtered listing
    db.conn.execute("INSERT INTO accounts (login, name, role, password_hash) VALUES ('an', 'An', 'consulent', 'x')")
    db.conn.execute("INSERT INTO dossier_counsellors (dossier_id, account_id) VALUES (1, 1)")
    db.conn.commit()
    key = DatabaseKey(bytes(range(32)))
    enc = backup_database(db, folder / "enc.db", key=key)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return plain, enc, key


def _session_work(path: Path, key) -> tuple[float, float, float]:
    from core.security import Principal, Role
    from db.connection import open_database
    from db.workers import WorkerRepository
    t0 = time.perf_counter()
    db = open_database(path, key=key)
    t1 = time.perf_counter()
    rows = WorkerRepository(db, principal=None, audit=None).summaries()
    t2 = time.perf_counter()
    an = Principal(1, "an", "An", Role.CONSULENT)
    mine = WorkerRepository(db, principal=an, audit=None).summaries(1)
    hits = [r for r in rows if "jan" in r.first_names.lower() and r.status == "intake"]
    t3 = time.perf_counter()
    assert len(rows) == N_WORKERS and len(mine) == N_WORKERS and hits is not None
    db.conn.close()
    return t1 - t0, t2 - t1, t3 - t2


def _median(path, key):
    runs = [_session_work(path, key) for _ in range(REPEAT)]
    return [statistics.median(r[i] for r in runs) for i in range(3)]


def _login_cost(folder: Path) -> float:
    from db.accounts import create_first_admin, login
    p = folder / "login.db"
    create_first_admin(p, "beheer", "Bea", "Proef-Sleutel-2026!").close()
    t = time.perf_counter()
    login(p, "beheer", "Proef-Sleutel-2026!").close()
    return time.perf_counter() - t


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        plain, enc, key = _build(folder)
        print(f"built {N_WORKERS} workers in {time.perf_counter() - t:.1f} s "
              f"(plain {plain.stat().st_size / 1e6:.1f} MB, encrypted {enc.stat().st_size / 1e6:.1f} MB)")
        _session_work(plain, None)
        _session_work(enc, key)                      # warm the OS file cache for both
        p = _median(plain, None)
        e = _median(enc, key)
        names = ("open", "list all summaries", "filter (consulent scope + text)")
        for name, a, b in zip(names, p, e):
            print(f"{name:<34} plain {a * 1000:8.1f} ms   encrypted {b * 1000:8.1f} ms   ratio {b / a:5.2f}")
        total_p, total_e = sum(p), sum(e)
        ratio = total_e / total_p
        print(f"{'total (median of ' + str(REPEAT) + ')':<34} plain {total_p * 1000:8.1f} ms   encrypted "
              f"{total_e * 1000:8.1f} ms   ratio {ratio:5.2f}   (target <= {TARGET})")
        print(f"sign-in (Argon2id 64 MiB: unwrap key + check password), once per session: "
              f"{_login_cost(folder) * 1000:.0f} ms")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
