"""Competence recognition over the embedded reference, on phrases as counsellors type them
(tests/data/matching/competence_phrases.tsv; tools/eval_competences.py prints the same figures)."""
from pathlib import Path

import pytest

from core.matching import MatchingService
from core.textnorm import intake_words
from tools.eval_competences import evaluate, read_phrases

PHRASES = Path(__file__).resolve().parents[1] / "data" / "matching" / "competence_phrases.tsv"


@pytest.fixture(scope="module")
def report():
    return evaluate(MatchingService.create(), read_phrases(PHRASES))


def test_the_phrase_file_names_only_competences_of_the_reference():
    service = MatchingService.create()
    phrases = read_phrases(PHRASES)
    assert len(phrases) >= 400
    unknown = {c for _p, ids in phrases for c in ids if c not in service.competences}
    assert not unknown


def test_phrases_are_recognised_as_the_competence_they_name(report):
    n = len(report.positives)
    assert n >= 350
    assert len(report.right()) / n >= 0.95, [(o.phrase, o.found) for o in report.wrong() + report.missed()]
    # forcing a phrase onto a wrong competence is worse than leaving it "niet herkend"
    assert len(report.wrong()) / n <= 0.02, [(o.phrase, o.found) for o in report.wrong()]


def test_limits_wishes_and_other_skills_stay_niet_herkend(report):
    n = len(report.negatives)
    assert n >= 40
    assert len(report.false_alarms()) / n <= 0.05, [(o.phrase, o.found) for o in report.false_alarms()]


def test_everyday_intake_words_are_plain_lower_case_words():
    words = intake_words()
    assert len(words) >= 150
    assert all(w == w.lower() and " " not in w for w in words)
    assert len(set(words)) == len(words)
