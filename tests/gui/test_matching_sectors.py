"""The matching table and its detail pane name sectors as the reference data does, not by code."""
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt

from core.matching import MatchingService, WorkerProfile
from gui.matching_view import MatchingView, MatchTableModel, match_details_html


def test_sectors_are_shown_by_their_dutch_name(qtbot):
    service = MatchingService.create()
    names = MatchingView._sector_names(SimpleNamespace(matcher=service))
    assert names["chemie_proces"] == "Chemie, farma, kunststof en proces"
    match = next(m for m in service.rank_profile(WorkerProfile.from_dict({"job_title": "procesoperator"}))
                 if m.sector == "chemie_proces")
    model = MatchTableModel()
    model.sector_names = names
    model.set_rows([match])
    shown = model.index(0, MatchTableModel.COL_SECTOR).data(Qt.ItemDataRole.DisplayRole)
    assert shown == "Chemie, farma, kunststof en proces"
    html = match_details_html(match, lambda s: s, names)
    assert "Chemie, farma, kunststof en proces" in html and "chemie_proces" not in html
    # without names (no reference at hand) the code is still shown rather than nothing
    assert MatchingView._sector_names(SimpleNamespace(matcher=None)) == {}


def test_the_explanation_names_every_part_of_the_score():
    from core.matching import MatchingService
    from core.model import Worker, WorkerCompetence
    svc = MatchingService.create()
    w = Worker("Marleen", "De Smet", previous_job_title="productiemedewerker",
               competences=[WorkerCompetence("productiemedewerker")])
    m = svc.rank(w, 1)[0]
    html = match_details_html(m, lambda s: s)
    assert "Opbouw van de score" in html
    assert "vorige functie „productiemedewerker” lijkt op dit beroep" in html
    shown = m.part_competences + m.part_title + m.part_certificates + m.part_transition - m.part_conflicts
    assert shown == pytest.approx(m.score, abs=0.01)


def test_a_previous_job_that_is_the_occupation_is_named_so():
    from core.matching import MatchingService
    from core.model import Worker
    ranked = {m.occupation_id: m for m in MatchingService.create().rank(Worker("Jan", "Peeters",
                                                                              previous_job_title="Heftruckchauffeur"))}
    same = match_details_html(ranked["heftruckchauffeur"], lambda s: s)
    assert "vorige functie „Heftruckchauffeur” is dit beroep" in same and "overstap" not in same
    assert "gebruikelijke overstap vanuit „Heftruckchauffeur”" in match_details_html(ranked["reachtruckchauffeur"],
                                                                                  lambda s: s)
