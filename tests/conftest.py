import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
TEST_USER, TEST_PASSWORD = "testbeheerder", "Proef-Sleutel-2026!"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never touch the real user's data or log folder from a test."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("WERKBRUG_LOG_DIR", str(base / "log"))
    monkeypatch.setenv("WERKBRUG_DB", str(base / "werkbrug.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    # Command-line calls sign in without a prompt; the first one on a new database creates this beheerder.
    monkeypatch.setenv("WERKBRUG_USER", TEST_USER)
    monkeypatch.setenv("WERKBRUG_PASSWORD", TEST_PASSWORD)
    yield
    from db.connection import set_session_key
    set_session_key(None)   # a test that signed in must not leave its key to the next one


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "werkbrug.db"


@pytest.fixture
def db(db_path):
    from db.connection import open_database
    database = open_database(db_path)
    yield database
    database.conn.close()


@pytest.fixture
def shared_dir():
    if not SHARED.exists():
        pytest.skip(f"shared material not present at {SHARED} (a clone outside the project workspace)")
    return SHARED


def build_demo_db(base: Path, workers: int, user: str = TEST_USER, password: str = TEST_PASSWORD) -> Path:
    """A demo database (``demo --workers N``) made through the command line in ``base``, signed in
    as ``user``; for module-scoped fixtures that copy it for every test (``copy_db``)."""
    from cli.app import run
    from db.connection import set_session_key
    db = base / "w.db"
    mp = pytest.MonkeyPatch()
    mp.setenv("WERKBRUG_USER", user)
    mp.setenv("WERKBRUG_PASSWORD", password)
    mp.setenv("WERKBRUG_LOG_DIR", str(base / "log"))
    try:
        assert run(["--db", str(db), "demo", "--workers", str(workers)]) == 0
    finally:
        set_session_key(None)
        mp.undo()
    return db


def copy_db(src: Path, dst: Path) -> Path:
    """A copy of a database with its key file."""
    import shutil
    shutil.copy(src, dst)
    shutil.copy(str(src) + ".keys", str(dst) + ".keys")
    return dst
