import pytest

from db.connection import open_database
from gui.services import Services


@pytest.fixture
def services(tmp_path):
    db = open_database(tmp_path / "gui.db")
    yield Services.from_db(db, tmp_path / "gui.db")
    db.conn.close()


@pytest.fixture
def window(qtbot, services):
    from gui.main_window import MainWindow
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.tasks.shutdown()
