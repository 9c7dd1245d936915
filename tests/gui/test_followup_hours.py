"""The hours box of the follow-up tab: what is typed is stored as meant or refused with a message,
never changed into another number (a dot used to be read as a thousands separator: 1.5 -> 15)."""
import datetime as dt

import pytest
from PySide6.QtCore import Qt

from core.model import Dossier, Worker
from gui.followup import FollowupPanel

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def panel(qtbot, services):
    d = services.dossiers.add(Dossier("Testcel Rapport NV", announcement_date=dt.date(2026, 9, 1)))
    w = services.workers.add(Worker("Claes", "Chris", dossier_id=d.id, birth_date=dt.date(1990, 3, 15)))
    p = FollowupPanel(services.workers, lambda: TODAY)
    qtbot.addWidget(p)
    p.context = lambda: (w, d)
    p.set_worker(w.id)
    p.show()
    qtbot.waitExposed(p)
    p.worker = w
    return p


def type_contact(qtbot, panel, hours: str, note: str = "telefoongesprek vacature") -> None:
    panel.note.setText(note)
    panel.hours.clear()
    qtbot.keyClicks(panel.hours, hours)
    qtbot.keyClick(panel.hours, Qt.Key.Key_Return)


@pytest.mark.parametrize("typed,stored,shown", [
    ("1.5", 1.5, "1,5"), ("1,5", 1.5, "1,5"), ("0.25", 0.25, "0,25"), ("0,25", 0.25, "0,25"),
    ("1u30", 1.5, "1,5"), ("1:30", 1.5, "1,5"), ("90 min", 1.5, "1,5"), ("2,75", 2.75, "2,75"),
    ("1u", 1.0, "1"),
])
def test_typed_hours_are_stored_as_meant(qtbot, services, panel, typed, stored, shown):
    type_contact(qtbot, panel, typed)
    assert not panel.error.isVisible()
    assert [c.hours for c in services.workers.contacts(panel.worker.id)] == [pytest.approx(stored)]
    assert panel.model.index(0, 2).data() == shown
    assert f"samen {shown} uur" in panel.summary.text()
    assert panel.hours.text() == "" and not panel.pending()


@pytest.mark.parametrize("typed,message", [
    ("24,5", "te veel voor één contact"),
    ("15:00:00", "geen aantal uren"),
    ("veel", "geen aantal uren"),
    ("0,125", "hoogstens twee cijfers na de komma"),
    ("1.500", "hoogstens twee cijfers na de komma"),
])
def test_unreadable_or_absurd_hours_are_refused_next_to_the_field(qtbot, services, panel, typed, message):
    type_contact(qtbot, panel, typed)
    assert panel.error.isVisible() and message in panel.error.text()
    assert services.workers.contacts(panel.worker.id) == []
    assert panel.hours.text() == typed and panel.pending()       # nothing changed, nothing lost


def test_leaving_the_hours_field_shows_how_they_were_read_or_what_is_wrong(qtbot, services, panel):
    qtbot.keyClicks(panel.hours, "1.5")
    panel.hours.editingFinished.emit()
    assert panel.hours.text() == "1,5" and not panel.error.isVisible()
    panel.hours.setText("1u75")
    panel.hours.editingFinished.emit()
    assert panel.error.isVisible() and "60 minuten" in panel.error.text()
    assert panel.hours.text() == "1u75"
    panel.hours.setText("1u20")
    panel.hours.editingFinished.emit()
    assert not panel.error.isVisible() and panel.hours.text() == "1u20"   # 80 minutes, not 1,33 h
    assert panel.add_contact()
    assert [round(c.hours * 60) for c in services.workers.contacts(panel.worker.id)] == [80]


def test_hours_alone_make_a_contact_and_count_as_pending(qtbot, services, panel):
    qtbot.keyClicks(panel.hours, "0.25")
    assert panel.pending()
    qtbot.keyClick(panel.hours, Qt.Key.Key_Return)
    assert [c.hours for c in services.workers.contacts(panel.worker.id)] == [0.25]
