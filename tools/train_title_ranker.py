#!/usr/bin/env python3
"""Fit the job-title re-ranker (core/title_ranker.py) and write resources/ranker/titles.json.

Usage: python tools/train_title_ranker.py CASES.jsonl OCCUPATIONS.csv [CASES2.jsonl OCCUPATIONS2.csv ...]
           [--out resources/ranker/titles.json] [--trees 100] [--leaves 7] [--top 30]

Needs LightGBM (``pip install lightgbm``), for fitting only: the application evaluates the
exported trees itself. For every labelled query the matcher's best ``top`` candidates (by the
linear blend, exactly as ``TitleMatcher`` produces them when it answers a query) are collected
with their features; a candidate is relevant when its occupation is one of the expected ones.
LambdaRank is fitted with k-fold cross-validation first (``--folds``, 5; each set split by a hash of
the query) and the held-out scores are printed next to those of the blend alone; then the model
is fitted on everything and exported as plain data.
"""
from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.esco_csv import read_occupations  # noqa: E402
from core.title_ranker import FORMAT, RANKER_EXTRA, TitleRanker  # noqa: E402
from core.reference import load_reference  # noqa: E402
from core.title_service import embedded_records, merge_records  # noqa: E402
from core.titles import FEATURES, TitleMatcher, records_from_esco  # noqa: E402


def collect(cases_path: str, occupations_path: str, top: int) -> list[tuple[str, list, list, list, list]]:
    """Per query: (query, ranker features, relevance, occupation index, blended score) of its best candidates."""
    cases = [json.loads(line) for line in open(cases_path, encoding="utf-8") if line.strip()]
    # the corpus as the application builds it: the taxonomy plus the embedded reference labels
    records = merge_records(records_from_esco(read_occupations(occupations_path, "nl")),
                            embedded_records(load_reference()))
    m = TitleMatcher(records)
    m.use_ranker(None)
    m.rank_top = top   # the features a ranker over this many candidates reads
    index = {k: i for i, k in enumerate(m.occ_keys)}
    out = []
    for c in cases:
        q = c["query"].replace("\n", " ")
        rows, scores = m._candidates(q)
        order = sorted(range(len(rows)), key=lambda k: (-scores[k], len(m.l_text[rows[k][0]]), rows[k][0]))[:top]
        exp = {index[u] for u in c["expected"] if u in index}
        X, y, occ, lin = [], [], [], []
        ctx = m.ranker_context(q)
        for k in order:
            i, f = rows[k]
            X.append(list(m.ranker_features(ctx, i, f, scores[k])))
            y.append(1 if m.l_occ[i] in exp else 0)
            occ.append(m.l_occ[i])
            lin.append(scores[k])
        out.append((q, X, y, occ, lin))
    return out


def evaluate(items, score) -> tuple[float, float, float]:
    """(s@1, s@5, mrr@10) at occupation level, ordering each query's candidates by ``score``."""
    s1 = s5 = rr = 0.0
    for _q, X, y, occ, lin in items:
        keyed = sorted(range(len(X)), key=lambda k: (-score(X[k], lin[k]), -lin[k]))
        seen, ranked = set(), []
        for k in keyed:
            if occ[k] not in seen:
                seen.add(occ[k])
                ranked.append(y[k])
        pos = next((p for p, rel in enumerate(ranked[:10]) if rel), None)
        if pos is not None:
            s1 += pos == 0
            s5 += pos < 5
            rr += 1 / (pos + 1)
    n = len(items) or 1
    return s1 / n, s5 / n, rr / n


def fit(items, trees: int, leaves: int):
    import lightgbm as lgb
    import numpy as np
    train = [d for d in items if d[1] and any(d[2])]
    X = np.array([r for d in train for r in d[1]], dtype=float)
    y = np.array([v for d in train for v in d[2]])
    params = dict(objective="lambdarank", learning_rate=0.1, num_leaves=leaves, min_data_in_leaf=20,
                  lambdarank_truncation_level=10, num_threads=2, verbose=-1, seed=7, deterministic=True)
    return lgb.train(params, lgb.Dataset(X, y, group=[len(d[1]) for d in train]), num_boost_round=trees)


def export(booster, top: int, min_labels: int, note: dict) -> dict:
    def node(n):
        if "leaf_value" in n:
            return round(float(n["leaf_value"]), 6)
        if n.get("decision_type", "<=") != "<=":
            raise ValueError("only numerical splits are exported")
        return [int(n["split_feature"]), float(n["threshold"]), node(n["left_child"]), node(n["right_child"])]
    dump = booster.dump_model()
    return {"format": FORMAT, "features": list(FEATURES + RANKER_EXTRA), "top": top, "min_labels": min_labels,
            "note": note, "trees": [node(t["tree_structure"]) for t in dump["tree_info"]]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pairs", nargs="+", help="CASES.jsonl OCCUPATIONS.csv, one or more times")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "resources" / "ranker" / "titles.json"))
    ap.add_argument("--trees", type=int, default=100)
    ap.add_argument("--leaves", type=int, default=11)
    ap.add_argument("--top", type=int, default=60)
    ap.add_argument("--min-labels", type=int, default=1000)
    ap.add_argument("--folds", type=int, default=5, help="cross-validation folds (queries split by a hash)")
    a = ap.parse_args()
    if len(a.pairs) % 2:
        ap.error("give cases and occupations in pairs")
    pairs = list(zip(a.pairs[0::2], a.pairs[1::2]))
    sets = [collect(c, o, a.top) for c, o in pairs]

    k = max(2, a.folds)

    def fold(items, f, held=True):
        return [d for d in items if (zlib.crc32(d[0].encode()) % k == f) == held]

    note: dict = {"fitted_on": [Path(c).name for c, _o in pairs], "folds": k, "cv": {}}
    totals: dict[str, list] = {}
    for f in range(k):
        model = fit([d for s in sets for d in fold(s, f, held=False)], a.trees, a.leaves)
        for (c, _o), s in zip(pairs, sets):
            held = fold(s, f)
            lin = evaluate(held, lambda x, v: v)
            lgbm = evaluate(held, lambda x, v: float(model.predict([x])[0]))
            print(f"fold {f} held-out {Path(c).name}: blend s@1 {lin[0]:.3f} s@5 {lin[1]:.3f} mrr {lin[2]:.3f} -> "
                  f"ranker s@1 {lgbm[0]:.3f} s@5 {lgbm[1]:.3f} mrr {lgbm[2]:.3f}")
            t = totals.setdefault(Path(c).name, [0, [0.0] * 6])
            t[0] += len(held)
            t[1] = [acc + len(held) * v for acc, v in zip(t[1], lin + lgbm)]
    for name, (n, acc) in totals.items():
        m = [round(v / max(1, n), 3) for v in acc]
        print(f"{k}-fold mean {name}: blend s@1 {m[0]:.3f} s@5 {m[1]:.3f} mrr {m[2]:.3f} -> "
              f"ranker s@1 {m[3]:.3f} s@5 {m[4]:.3f} mrr {m[5]:.3f}")
        note["cv"][name] = {"blend_s1": m[0], "blend_s5": m[1], "blend_mrr": m[2],
                            "ranker_s1": m[3], "ranker_s5": m[4], "ranker_mrr": m[5]}
    model = fit([d for s in sets for d in s], a.trees, a.leaves)
    doc = export(model, a.top, a.min_labels, note)
    ranker = TitleRanker(doc)
    probe = [x for s in sets for d in s[:50] for x in d[1]]
    worst = max(abs(ranker.score(x) - float(model.predict([x])[0])) for x in probe)
    print(f"exported {len(doc['trees'])} trees; largest difference to LightGBM on {len(probe)} candidates: {worst:.2e}")
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"written {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
