"""Typing in the cells of a row table: what cannot be stored is refused with a Dutch message, the old value stays."""
import datetime as dt
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from gui.row_tables import Column, RecordTable
from gui.worker_view import TAB_COMPETENCES, TAB_EDUCATION, TAB_LANGUAGES, TAB_PREFERENCES
from tests.gui.test_worker_view import open_first, two_workers, win  # noqa: F401 - fixtures

EXP_START, EXP_END, EXP_TITLE, EXP_EMPLOYER = 2, 3, 0, 1       # columns of the experience table


def type_in_cell(qtbot, table: RecordTable, row: int, column: int, text: str) -> None:
    """Open the cell's editor as a counsellor would, replace its text and press Enter."""
    view = table.view
    index = table.model.index(row, column)
    view.setFocus()
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    assert editor is not None
    editor.selectAll()
    if text:
        qtbot.keyClicks(editor, text)
    else:
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(index) is None)     # the data is committed when the editor closes


def shown_error(table: RecordTable) -> str:
    return table.error.text() if table.error.isVisible() else ""


@pytest.mark.parametrize("text,why", [("31/02/2024", "geen bestaande datum"),
                                      ("gisteren", "geen geldige datum (gebruik dd/mm/jjjj)"),
                                      ("2024-13-45", "geen bestaande datum")])
def test_unreadable_date_in_a_cell_is_refused_with_a_message(win, qtbot, services, two_workers, text, why):  # noqa: F811
    view = open_first(win, services, two_workers)
    view.show_tab(TAB_EDUCATION)
    t = view.experience.table
    undo_steps = view.undo.count()
    type_in_cell(qtbot, t, 0, EXP_START, text)
    assert t.model.items[0].start_date == dt.date(2001, 1, 1)
    assert t.model.index(0, EXP_START).data() == "01/01/2001"
    assert shown_error(t) == f"Van: {text} is {why}."
    assert view.undo.count() == undo_steps and not view.is_dirty()
    assert view.save()
    assert services.workers.get(two_workers[1].id).experiences[0].start_date == dt.date(2001, 1, 1)


def test_readable_date_in_a_cell_is_stored_and_clears_the_message(win, qtbot, services, two_workers):  # noqa: F811
    view = open_first(win, services, two_workers)
    view.show_tab(TAB_EDUCATION)
    t = view.experience.table
    type_in_cell(qtbot, t, 0, EXP_START, "gisteren")
    assert shown_error(t)
    type_in_cell(qtbot, t, 0, EXP_START, "3/7/1999")
    assert t.model.items[0].start_date == dt.date(1999, 7, 3)
    assert t.model.index(0, EXP_START).data() == "03/07/1999"
    assert not shown_error(t)
    assert view.is_dirty() and view.save()
    assert services.workers.get(two_workers[1].id).experiences[0].start_date == dt.date(1999, 7, 3)
    # emptying a date means unknown, and is undoable like any cell edit
    type_in_cell(qtbot, t, 0, EXP_START, "")
    assert t.model.items[0].start_date is None and not shown_error(t)
    view.undo.undo()
    assert t.model.items[0].start_date == dt.date(1999, 7, 3)


def test_cells_follow_the_rules_of_the_row_editor(win, qtbot, services, two_workers):  # noqa: F811
    view = open_first(win, services, two_workers)
    view.show_tab(TAB_EDUCATION)
    exp = view.experience.table
    # an end before the start
    type_in_cell(qtbot, exp, 0, EXP_END, "31/12/2000")
    assert exp.model.items[0].end_date is None
    assert shown_error(exp) == "De einddatum ligt vóór de begindatum."
    # a required field emptied: one of function and employer is enough, both empty is refused
    type_in_cell(qtbot, exp, 0, EXP_TITLE, "")
    assert exp.model.items[0].job_title == "" and not shown_error(exp)
    type_in_cell(qtbot, exp, 0, EXP_EMPLOYER, "   ")
    assert exp.model.items[0].employer == "Van Hool"
    assert shown_error(exp) == "Geef minstens een functie of een werkgever."
    # a certificate needs its name
    view.show_tab(TAB_COMPETENCES)
    certs = view.certificates.table
    type_in_cell(qtbot, certs, 2, 0, "")
    assert certs.model.items[2].label == "EHBO"
    assert shown_error(certs) == "Geef de naam van het attest."
    # what is not required can be emptied; a language's levels can be changed (the row editor's
    # "this language is already there" does not count against the row itself)
    view.show_tab(TAB_PREFERENCES)
    limits = view.preferences.limits
    type_in_cell(qtbot, limits, 0, 1, "")
    assert limits.model.items[0].note == "" and not shown_error(limits)
    view.show_tab(TAB_LANGUAGES)
    langs = view.languages.table
    assert langs.model.setData(langs.model.index(0, 4), "C1")
    assert langs.model.items[0].writing == "C1" and not shown_error(langs)


def test_a_plan_action_needs_its_description(qtbot, services):
    from core.model import Dossier, PlanAction, TrajectoryPlan, Worker
    from gui.plan_editor import PlanEditor
    d = services.dossiers.add(Dossier("X"))
    w = services.workers.add(Worker("Maes", "An", dossier_id=d.id))
    services.plans.save(TrajectoryPlan(w.id, actions=[PlanAction("VCA basis", start_date=dt.date(2026, 3, 1))]))
    editor = PlanEditor(services.plans, QUndoStack())
    qtbot.addWidget(editor)
    editor.load(w.id)
    editor.show()
    actions = editor.actions
    type_in_cell(qtbot, actions, 0, 1, "")
    assert actions.model.items[0].description == "VCA basis"
    assert shown_error(actions) == "Beschrijf de actie."
    type_in_cell(qtbot, actions, 0, 3, "30/02/2026")
    assert actions.model.items[0].start_date == dt.date(2026, 3, 1)
    assert shown_error(actions) == "Start: 30/02/2026 is geen bestaande datum."
    assert not editor.is_dirty()


@dataclass
class _Row:
    hours: int | None = 8
    score: float | None = 5.0


@pytest.fixture
def numbers(qtbot):
    table = RecordTable([Column("hours", "Uren", "int", maximum=40), Column("score", "Score", "float", maximum=10)],
                        QUndoStack())
    table.model.set_items([_Row()])
    qtbot.addWidget(table)
    table.show()
    return table


@pytest.mark.parametrize("column,text,message", [
    (0, "veel", "Uren: veel is geen getal."),
    (0, "2,5", "Uren: 2,5 is geen geheel getal."),
    (0, "50", "Uren: 50 ligt niet tussen 0 en 40."),
    (1, "-1", "Score: -1 ligt niet tussen 0 en 10."),
    (1, "1e999", "Score: 1e999 is geen getal."),
])
def test_unreadable_number_in_a_cell_is_refused_with_a_message(qtbot, numbers, column, text, message):
    type_in_cell(qtbot, numbers, 0, column, text)
    assert (numbers.model.items[0].hours, numbers.model.items[0].score) == (8, 5.0)
    assert shown_error(numbers) == message


def test_readable_numbers_in_a_cell_are_stored(qtbot, numbers):
    type_in_cell(qtbot, numbers, 0, 0, "12")
    type_in_cell(qtbot, numbers, 0, 1, "7,5")
    row = numbers.model.items[0]
    assert (row.hours, row.score) == (12, 7.5) and isinstance(row.hours, int)
    assert numbers.model.index(0, 1).data() == "7.5"
    type_in_cell(qtbot, numbers, 0, 1, "")
    assert numbers.model.items[0].score is None and not shown_error(numbers)
