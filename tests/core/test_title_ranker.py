import json
import math
import random

import pytest

from core.title_ranker import RANKER_EXTRA, TitleRanker, default_ranker
from core.titles import FEATURES, LabelKind, OccupationRecord, TitleMatcher

NAMES = list(FEATURES + RANKER_EXTRA)
KIND = NAMES.index("kind")


def doc(trees, **extra):
    return {"format": 1, "features": NAMES, "top": 30, "min_labels": 0, "trees": trees, **extra}


def test_shipped_ranker_matches_its_trees_and_the_current_features():
    r = default_ranker()
    assert r is not None, "resources/ranker/titles.json is missing or unreadable"
    # fitted on exactly the features the matcher produces (retrain with tools/train_title_ranker.py if not)
    assert r.features == FEATURES + RANKER_EXTRA
    rng = random.Random(3)
    for _ in range(300):
        x = [rng.random() * rng.choice((1, 2, 10)) for _ in NAMES]
        assert r.score(x) == pytest.approx(r.score_slow(x), abs=1e-9)


@pytest.mark.parametrize("bad", [
    [0, "__import__('os').system('true')", 1.0, 2.0],   # a threshold that is code, not a number
    [len(NAMES), 0.5, 1.0, 2.0],                         # no such feature
    [True, 0.5, 1.0, 2.0],
    [0, float("nan"), 1.0, 2.0],
    [0, 0.5, 1.0],
    "1.0",
])
def test_a_model_with_anything_but_numbers_is_refused(bad):
    with pytest.raises(ValueError):
        TitleRanker(doc([bad]))
    deep = 1.0
    for _ in range(100):
        deep = [0, 0.5, deep, 0.0]
    with pytest.raises(ValueError):
        TitleRanker(doc([deep]))
    with pytest.raises(ValueError):
        TitleRanker({"format": 99, "features": NAMES, "trees": [1.0]})


def recs():
    return [OccupationRecord("a", "7212", (("lasser", LabelKind.PREFERRED), ("lasser staal", LabelKind.ALTERNATIVE))),
            OccupationRecord("b", "7212", (("lasser-monteur", LabelKind.PREFERRED),
                                           ("lasser", LabelKind.HIDDEN))),
            OccupationRecord("c", "8322", (("chauffeur", LabelKind.PREFERRED),))]


def test_the_ranker_reorders_the_best_candidates_and_scores_stay_monotone():
    plain = TitleMatcher(recs())
    plain.use_ranker(None)
    assert plain.query("lasser")[0].uri == "a"          # the preferred label wins in the blend
    m = TitleMatcher(recs())
    # a (silly) ranker that prefers hidden labels: it decides the order, not the blend
    m.use_ranker(TitleRanker(doc([[KIND, 1.5, 0.0, 5.0]])))
    res = m.query("lasser")
    assert res[0].uri == "b" and res[0].label == "lasser"
    scores = [r.score for r in res]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)
    # a ranker fitted on other features, or on a larger corpus than this one, is not used
    m.use_ranker(TitleRanker({**doc([[KIND, 1.5, 0.0, 5.0]]), "features": NAMES[:-1] + ["other"]}))
    assert m.ranker is None and m.query("lasser")[0].uri == "a"
    m.use_ranker(TitleRanker(doc([[KIND, 1.5, 0.0, 5.0]], min_labels=10_000)))
    assert m.ranker is None


def test_state_roundtrip_keeps_the_ranker_order():
    m = TitleMatcher(recs())
    m.use_ranker(TitleRanker(doc([[KIND, 1.5, 0.0, 5.0]])))
    m2 = TitleMatcher.from_state(json.loads(json.dumps(m.export_state())))
    m2.use_ranker(m.ranker)
    assert [(r.uri, r.score) for r in m2.query("lasser")] == [(r.uri, r.score) for r in m.query("lasser")]


def test_an_unreadable_shipped_file_leaves_the_blend(tmp_path, monkeypatch, caplog):
    import logging
    import core.title_ranker as tr
    # the application's log set-up (run by command-line tests before this one) stops propagation
    monkeypatch.setattr(logging.getLogger("werkbrug"), "propagate", True)
    (tmp_path / "ranker").mkdir()
    (tmp_path / "ranker" / "titles.json").write_text('{"format": 1, "features": [], "trees": [[0, "x"', encoding="utf-8")
    monkeypatch.setattr(tr, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    tr.default_ranker.cache_clear()
    try:
        assert tr.default_ranker() is None
        assert "not used" in caplog.text
        (tmp_path / "ranker" / "titles.json").unlink()
        tr.default_ranker.cache_clear()
        assert tr.default_ranker() is None              # no file: the blend alone, silently
        m = TitleMatcher(recs())
        assert m.ranker is None and m.query("lasser")[0].uri == "a"
    finally:
        tr.default_ranker.cache_clear()


def test_ranker_inputs_compare_the_words_as_written():
    m = TitleMatcher([
        OccupationRecord("i", "7212", (("lasser technicus", LabelKind.PREFERRED),)),
        OccupationRecord("j", "3113", (("laser technicus", LabelKind.PREFERRED),
                                       ("technicus laser optiek", LabelKind.ALTERNATIVE))),
        OccupationRecord("k", "7411", (("monteur", LabelKind.PREFERRED), ("installateur", LabelKind.ALTERNATIVE))),
        OccupationRecord("l", "7411", (("monteur", LabelKind.PREFERRED),)),
    ])
    at = {name: NAMES.index(name) for name in ("swap", "unknown", "ambiguity", "label_extra")}

    def inputs(query, label):
        i = m.l_text.index(label)
        return m.ranker_context(query), m.ranker_features(m.ranker_context(query), i, [0.0] * len(FEATURES), 0.5)

    # lasser and laser are both known words written alike: the label swaps one for the other
    _, x = inputs("lasser technicus", "laser technicus")
    assert x[at["swap"]] == pytest.approx(1 / 2) and x[at["unknown"]] == 0.0 and x[at["label_extra"]] == 1.0
    _, x = inputs("lasser technicus", "lasser technicus")
    assert x[at["swap"]] == 0.0 and x[at["label_extra"]] == 0.0
    _, x = inputs("laser technicus", "technicus laser optiek")
    assert x[at["swap"]] == 0.0 and x[at["label_extra"]] == 1.0
    # a typing error is no swap: the word is unknown
    _, x = inputs("lassr technicus", "laser technicus")
    assert x[at["swap"]] == 0.0 and x[at["unknown"]] == pytest.approx(1 / 2)
    # two occupations share the label monteur; installateur is a word of its own
    assert inputs("monteur", "monteur")[1][at["ambiguity"]] == pytest.approx(math.log(2))
    assert inputs("monteur", "installateur")[1][at["ambiguity"]] == 0.0
    assert inputs("monteur", "installateur")[1][at["swap"]] == 0.0


def test_embedded_labels_join_the_taxonomy_as_their_own_kind():
    from core.title_service import merge_records
    esco = [OccupationRecord("u1", "7212", (("lasser", LabelKind.PREFERRED),), "beschrijving")]
    extra = [OccupationRecord("u1", "7212", (("TIG-lasser", LabelKind.PREFERRED), ("lasser rvs", LabelKind.ALTERNATIVE),
                                             ("soudeur", LabelKind.HIDDEN))),
             OccupationRecord("u9", "8322", (("chauffeur", LabelKind.PREFERRED),))]
    merged = merge_records(esco, extra)
    assert [r.key for r in merged] == ["u1"]            # an occupation outside the taxonomy adds nothing
    assert merged[0].labels == (("lasser", LabelKind.PREFERRED), ("TIG-lasser", LabelKind.REFERENCE),
                                ("lasser rvs", LabelKind.REFERENCE), ("soudeur", LabelKind.HIDDEN))
    assert merged[0].description == "beschrijving"
    m = TitleMatcher(merged)
    hit = m.query("tig lasser")[0]
    assert hit.uri == "u1" and hit.kind == LabelKind.REFERENCE
    assert merge_records([], extra) == extra            # without a taxonomy the embedded records stand alone
