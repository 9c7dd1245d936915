#!/usr/bin/env python3
"""Benchmark TitleMatcher on the 2,508 NLD job titles (../shared/eval).

Prints ms/query including index build (cold start), ms/query with a restored state
(export_state / from_state, as the app does after storing it), a single interactive query
latency, and the ratio to a naive baseline measured in the same run: a loop of
rapidfuzz.process.extractOne(query, labels, scorer=fuzz.WRatio, processor=default_process).
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402
from rapidfuzz.utils import default_process  # noqa: E402

from core.esco_csv import read_occupations  # noqa: E402
from core.titles import TitleMatcher, records_from_esco  # noqa: E402


def main() -> int:
    shared = ROOT.parent / "shared" / "eval"
    cases_path = Path(sys.argv[1]) if len(sys.argv) > 1 else shared / "titles_nld.dev.jsonl"
    occ_path = Path(sys.argv[2]) if len(sys.argv) > 2 else shared / "melo_occupations_nl.csv"
    queries = [json.loads(l)["query"] for l in open(cases_path, encoding="utf-8") if l.strip()]
    n = len(queries)

    t0 = time.perf_counter()
    occ = read_occupations(occ_path, "nl")
    matcher = TitleMatcher(records_from_esco(occ))
    t_build = time.perf_counter() - t0
    t1 = time.perf_counter()
    for q in queries:
        matcher.query(q, top=10)
    t_query = time.perf_counter() - t1
    cold = 1000 * (t_build + t_query) / n

    state = json.dumps(matcher.export_state())
    t2 = time.perf_counter()
    warm_matcher = TitleMatcher.from_state(json.loads(state))
    t_load = time.perf_counter() - t2
    t3 = time.perf_counter()
    for q in queries:
        warm_matcher.query(q, top=10)
    t_warm = time.perf_counter() - t3

    # single interactive query on a fresh matcher state (no query cache), median of several
    lat = []
    for q in ("Heftruckchauffeur (m/v/x)", "technieker onderhoud", "adm. bediende boekhouding",
              "productiemedewerkster voeding", "vrachtwagenchaufeur CE"):
        t = time.perf_counter()
        warm_matcher.query(q, top=10)
        lat.append(1000 * (time.perf_counter() - t))

    labels = [l for o in occ for l in (o.preferred_label,) + o.alt_labels + o.hidden_labels]
    t4 = time.perf_counter()
    for q in queries:
        process.extractOne(q, labels, scorer=fuzz.WRatio, processor=default_process)
    t_naive = time.perf_counter() - t4
    naive = 1000 * t_naive / n

    print(f"queries={n} occupations={len(matcher)} labels={matcher.label_count}")
    print(f"cold: build {t_build:.2f} s + queries {t_query:.2f} s = {cold:.2f} ms/query (start-up included)")
    print(f"warm: state {len(state) / 1e6:.1f} MB, load {t_load:.2f} s, {1000 * t_warm / n:.2f} ms/query, "
          f"{1000 * (t_load + t_warm) / n:.2f} ms/query with load")
    print(f"single query: median {statistics.median(lat):.2f} ms, max {max(lat):.2f} ms")
    print(f"naive extractOne(WRatio, default_process): {naive:.2f} ms/query; "
          f"ratio cold/naive = {cold / naive:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
