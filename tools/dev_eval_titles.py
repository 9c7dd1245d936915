#!/usr/bin/env python3
"""Development harness: score TitleMatcher on a labelled job-title set, scored exactly like
../shared/eval/eval_titles.py (concept level, expected URIs, top 10), without the CLI.

Usage: python tools/dev_eval_titles.py CASES.jsonl --occupations FILE.csv [--show-misses N]
       python tools/dev_eval_titles.py --tune [--set-weights=1,2] CASES.jsonl FILE.csv [CASES2.jsonl FILE2.csv ...]
The second form tunes the blend weights (TitleMatcher.WEIGHTS) by coordinate ascent with
two-fold cross-validation over every given set at once (each set split in two halves by a hash
of the query): weights are fitted on one half and reported on the other, and the other way round.
It prints the held-out scores of both folds and the weights fitted on everything.
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


# ---------------------------------------------------------------------------- weight tuning

def collect(cases_path: str, occupations_path: str, keep: int = 80) -> list[tuple]:
    """Per query: (expected occupation indexes, [(occupation, kind weight, features), ...])."""
    cases = [json.loads(l) for l in open(cases_path, encoding="utf-8") if l.strip()]
    m = TitleMatcher(records_from_esco(read_occupations(occupations_path, "nl")))
    index = {k: i for i, k in enumerate(m.occ_keys)}
    out = []
    for c in cases:
        rows = m.candidate_features(c["query"].replace("\n", " "))
        rows.sort(key=lambda r: -m.blend(r[1]) * m.l_weight[r[0]])
        exp = {index[u] for u in c["expected"] if u in index}
        out.append((c["query"], exp, [(m.l_occ[i], m.l_weight[i], f) for i, f in rows[:keep]]))
    return out


def score_sets(data: list[tuple], weights: tuple[float, ...]) -> tuple[float, float, float]:
    """(s@1, s@5, mrr@10) of the given collected queries under the weights."""
    s1 = s5 = rr = 0.0
    for _q, exp, rows in data:
        best: dict[int, float] = {}
        for oi, lw, f in rows:
            v = sum(a * b for a, b in zip(weights, f)) * lw
            if v > best.get(oi, -1e9):
                best[oi] = v
        if not exp:
            continue
        target = max(best.get(e, -1e9) for e in exp)
        if target <= -1e9:
            continue
        pos = sum(1 for o, v in best.items() if v >= target and o not in exp)
        if pos < 10:
            rr += 1 / (pos + 1)
            s1 += pos == 0
            s5 += pos < 5
    n = len(data) or 1
    return s1 / n, s5 / n, rr / n


SET_WEIGHTS: list[float] = []   # importance of each set in the objective (default 1 each)


def _objective(sets: list[list[tuple]], w: tuple[float, ...]) -> float:
    tot = 0.0
    for k, d in enumerate(sets):
        s1, _s5, mrr = score_sets(d, w)
        tot += (SET_WEIGHTS[k] if k < len(SET_WEIGHTS) else 1.0) * (s1 + mrr)
    return tot


def fit(sets: list[list[tuple]], start: tuple[float, ...], rounds: int = 3,
        frozen: frozenset[int] = frozenset()) -> tuple[float, ...]:
    """Coordinate ascent on the sum of s@1 + mrr over the sets (weights stay >= 0)."""
    w = list(start)
    best = _objective(sets, tuple(w))
    for _r in range(rounds):
        improved = False
        for k in range(len(w)):
            if k in frozen:
                continue
            for step in (-0.1, -0.05, -0.02, 0.02, 0.05, 0.1):
                cand = list(w)
                cand[k] = round(max(0.0, cand[k] + step), 4)
                if cand[k] == w[k]:
                    continue
                v = _objective(sets, tuple(cand))
                if v > best + 1e-9:
                    best, w, improved = v, cand, True
        if not improved:
            break
    return tuple(w)


def tune(pairs: list[tuple[str, str]]) -> None:
    import zlib
    from core.titles import FEATURES
    data = [collect(c, o) for c, o in pairs]
    start = TitleMatcher.WEIGHTS
    halves = [([q for q in d if zlib.crc32(q[0].encode()) % 2 == 0], [q for q in d if zlib.crc32(q[0].encode()) % 2])
              for d in data]
    for fold in (0, 1):
        train = [h[fold] for h in halves]
        test = [h[1 - fold] for h in halves]
        w = fit(train, start)
        for (c, _o), d in zip(pairs, test):
            b = score_sets(d, start)
            a = score_sets(d, w)
            print(f"fold {fold} held-out {Path(c).name}: start s@1 {b[0]:.3f} mrr {b[2]:.3f} -> "
                  f"fitted s@1 {a[0]:.3f} s@5 {a[1]:.3f} mrr {a[2]:.3f}")
        print(f"fold {fold} weights", dict(zip(FEATURES, w)))
    w = fit(data, start)
    for (c, _o), d in zip(pairs, data):
        a = score_sets(d, w)
        print(f"all {Path(c).name}: s@1 {a[0]:.3f} s@5 {a[1]:.3f} mrr {a[2]:.3f}")
    print("WEIGHTS =", w)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--tune":
        args = sys.argv[2:]
        if args and args[0].startswith("--set-weights="):
            SET_WEIGHTS.extend(float(x) for x in args[0].split("=", 1)[1].split(","))
            args = args[1:]
        tune(list(zip(args[0::2], args[1::2])))
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("cases")
    ap.add_argument("--occupations", required=True)
    ap.add_argument("--show-misses", type=int, default=0)
    a = ap.parse_args()
    evaluate(a.cases, a.occupations, a.show_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
