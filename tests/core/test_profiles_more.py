"""Worker profiles as counsellors write them (other titles, typing errors, French and English titles,
no title) must find a bottleneck occupation of the expected ISCO group near the top.
Written for Werkbrug: tests/data/matching/profiles_more.jsonl."""
import json
from pathlib import Path

import pytest

from core.matching import MatchingService, WorkerProfile

CASES = [json.loads(line) for line in
         (Path(__file__).resolve().parents[1] / "data" / "matching" / "profiles_more.jsonl")
         .read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def svc():
    return MatchingService.create()


def test_profiles_find_the_expected_occupation_group(svc):
    misses = []
    for case in CASES:
        ranked = svc.rank_profile(WorkerProfile.from_dict(case), top=case["k"])
        if not any(m.isco[:4] in case["expected_isco"] for m in ranked):
            misses.append((case["id"], case["job_title"], [(m.name, m.isco) for m in ranked]))
    assert len(CASES) >= 35
    assert len(misses) <= 1, misses
