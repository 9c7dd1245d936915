"""GUI test support (no tests here): a small stand-in with the matching service's methods, and a
shown main window that closes without questions."""
from __future__ import annotations

import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


@dataclass
class Suggestion:
    competence_id: str
    label: str
    score: float
    matched_text: str


@dataclass
class Ref:
    competence_id: str
    label: str


@dataclass
class Matched:
    competence_id: str
    label: str
    phrase: str
    essential: bool


@dataclass
class Match:
    occupation_id: str
    name: str
    name_fr: str
    isco: str
    sector: str
    reasons: list
    bottleneck: bool
    score: float
    matched: list = field(default_factory=list)
    missing_essential: list = field(default_factory=list)
    missing_optional: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"id": self.occupation_id, "name": self.name, "score": self.score}


VOCAB = {
    "c_mig": ("MIG/MAG-lassen", ["mig lassen", "mag lassen", "lassen met mig"]),
    "c_plan": ("technische tekeningen lezen", ["plannen lezen", "tekening lezen"]),
    "c_slijp": ("slijpen en afwerken", ["slijpen"]),
    "c_heftruck": ("heftruck besturen", ["heftruck", "clark rijden"]),
    "c_cnc": ("CNC-machine bedienen", ["cnc"]),
    "c_pneu": ("pneumatische systemen onderhouden", ["pneumatica"]),
    "c_vca": ("veiligheidsvoorschriften toepassen", ["vca"]),
}
SOURCES = {"lasser": ["c_mig", "c_plan", "c_slijp"], "magazijnier": ["c_heftruck"]}
OCCUPATIONS = [
    ("o_lasser", "Lasser MIG/MAG", "Soudeur", "7212", "metaal", ["KWANT", "KWAL"], ["c_mig", "c_plan"], ["c_vca"]),
    ("o_heftruck", "Heftruckchauffeur", "Cariste", "8344", "logistiek", ["KWANT"], ["c_heftruck"], ["c_vca"]),
    ("o_cnc", "CNC-operator", "Opérateur CNC", "7223", "metaal", ["KWAL"], ["c_cnc", "c_plan"], ["c_slijp"]),
    ("o_elektro", "Elektromecanicien", "Électromécanicien", "7412", "onderhoud", ["KWAL", "ARB"], ["c_pneu"],
     ["c_plan"]),
    ("o_proces", "Procesoperator", "Opérateur de process", "8131", "chemie", ["ARB"], ["c_vca"], ["c_pneu"]),
]
TRAININGS = {"c_cnc": ("t_cnc", "CNC-draaien basis", "opleiding", 12), "c_pneu": ("t_pneu", "Pneumatica", "opleiding", 4),
             "c_vca": ("t_vca", "VCA basis", "attest", 1), "c_heftruck": ("t_heftruck", "Heftruck", "opleiding", 1)}


class FakeMatcher:
    def __init__(self):
        self.calls = {"suggest": 0, "rank": 0}

    def _s(self, cid: str, score: float, matched: str) -> Suggestion:
        return Suggestion(cid, VOCAB[cid][0], score, matched)

    def suggest_competences(self, text: str, limit: int = 8):
        self.calls["suggest"] += 1
        t = _fold(text.strip())
        out = []
        for cid, (label, syns) in VOCAB.items():
            for phrase in [label, *syns]:
                if t and t in _fold(phrase):
                    out.append(self._s(cid, 0.9 if _fold(phrase).startswith(t) else 0.7, phrase))
                    break
        return sorted(out, key=lambda s: -s.score)[:limit]

    def recognise(self, text: str):
        t = _fold(text.strip())
        for cid, (label, syns) in VOCAB.items():
            if t in {_fold(p) for p in [label, *syns]}:
                return self._s(cid, 1.0, text)
        return None

    def source_competences(self, job_title: str):
        return [self._s(c, 0.8, job_title) for c in SOURCES.get(_fold(job_title.strip()), [])]

    def rank(self, worker, top=None):
        self.calls["rank"] += 1
        have = {c.competence_id: c.text for c in worker.competences if c.competence_id}
        out = []
        for oid, name, fr, isco, sector, reasons, ess, opt in OCCUPATIONS:
            matched = [Matched(c, VOCAB[c][0], have[c], c in ess) for c in ess + opt if c in have]
            score = (2 * sum(c in have for c in ess) + sum(c in have for c in opt)) / (2 * len(ess) + len(opt))
            conflicts = []
            if oid == "o_proces" and not worker.preferences.accepts_nights:
                conflicts.append("Nachtwerk: werknemer wil geen nachtwerk")
            out.append(Match(oid, name, fr, isco, sector, reasons, True, round(score, 3), matched,
                             [Ref(c, VOCAB[c][0]) for c in ess if c not in have],
                             [Ref(c, VOCAB[c][0]) for c in opt if c not in have], conflicts))
        out.sort(key=lambda m: -m.score)
        return out[:top] if top else out

    def gap_trainings(self, match):
        trainings, uncovered = [], []
        for ref in [*match.missing_essential, *match.missing_optional]:
            t = TRAININGS.get(ref.competence_id)
            if t:
                trainings.append(SimpleNamespace(id=t[0], name_nl=t[1], route=t[2], provider_kind="VDAB",
                                                 duration_weeks_indicative=t[3], teaches=[ref.competence_id]))
            else:
                uncovered.append(ref)
        return SimpleNamespace(trainings=trainings, total_weeks=sum(t.duration_weeks_indicative for t in trainings),
                               uncovered=uncovered)

    def rank_dossier(self, workers, progress, is_cancelled):
        out = {}
        for i, w in enumerate(workers):
            if is_cancelled():
                break
            out[w.id] = self.rank(w, 3)
            progress((i + 1) / len(workers), w.full_name)
        return out


@contextmanager
def shown_main_window(qtbot, services):
    """A shown main window at laptop size, closed here rather than by qtbot (whose close would run
    before the test's teardown) and never waiting on a question: a failed test may leave unsaved edits."""
    from gui.main_window import MainWindow
    w = MainWindow(services)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    try:
        yield w
    finally:
        w.worker_view.maybe_leave = lambda: True
        w.close()
        w.deleteLater()
