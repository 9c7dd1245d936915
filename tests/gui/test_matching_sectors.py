"""The matching table and its detail pane name sectors as the reference data does, not by code."""
from types import SimpleNamespace

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
