#!/usr/bin/env python3
"""Development harness: score TitleMatcher on a labelled job-title set, scored exactly like
../shared/eval/eval_titles.py (concept level, expected URIs, top 10), without the CLI.

Usage: python tools/dev_eval_titles.py CASES.jsonl --occupations FILE.csv [--show-misses N]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.esco_csv import read_occupations  # noqa: E402
from core.titles import TitleMatcher, records_from_esco  # noqa: E402


def evaluate(cases_path: str, occupations_path: str, show_misses: int = 0, top: int = 10) -> dict:
    cases = [json.loads(l) for l in open(cases_path, encoding="utf-8") if l.strip()]
    t0 = time.perf_counter()
    matcher = TitleMatcher(records_from_esco(read_occupations(occupations_path, "nl")))
    build = time.perf_counter() - t0
    t1 = time.perf_counter()
    outs = [matcher.query(c["query"].replace("\n", " "), top=top) for c in cases]
    qtime = time.perf_counter() - t1
    n = len(cases)
    s1 = s5 = s10 = rr = 0.0
    misses = []
    for c, o in zip(cases, outs):
        ranked = []
        for m in o:
            if m.uri not in ranked:
                ranked.append(m.uri)
        exp = set(c["expected"])
        pos = next((k for k, u in enumerate(ranked[:10]) if u in exp), None)
        if pos is None:
            misses.append((c["query"], [m.label for m in o[:3]]))
            continue
        s1 += pos == 0
        s5 += pos < 5
        s10 += 1
        rr += 1 / (pos + 1)
    for q, got in misses[:show_misses]:
        print(f"miss: {q!r} -> {got}")
    res = {"n": n, "s1": s1 / n, "s5": s5 / n, "s10": s10 / n, "mrr": rr / n,
           "build_s": build, "ms_query": 1000 * qtime / n, "ms_total": 1000 * (build + qtime) / n}
    print(f"titles: n={n} s@1={res['s1']:.3f} s@5={res['s5']:.3f} s@10={res['s10']:.3f} "
          f"mrr@10={res['mrr']:.3f} build={build:.2f}s ms/query={res['ms_query']:.2f} "
          f"(with build {res['ms_total']:.2f})")
    return res


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("cases")
    ap.add_argument("--occupations", required=True)
    ap.add_argument("--show-misses", type=int, default=0)
    a = ap.parse_args()
    evaluate(a.cases, a.occupations, a.show_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
