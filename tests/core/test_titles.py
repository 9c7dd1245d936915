import json
import os
import sys
from pathlib import Path

import pytest

from core.esco_csv import read_occupations
from core.textnorm import stem
from core.titles import LabelKind, OccupationRecord, TitleMatcher, records_from_esco

MINI = Path(__file__).resolve().parents[1] / "data" / "esco_mini"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
U = "http://data.europa.eu/esco/occupation/"


@pytest.fixture(scope="module")
def matcher():
    return TitleMatcher(records_from_esco(read_occupations(MINI / "occupations_nl.csv")))


@pytest.mark.parametrize("query, uri", [
    ("Heftruckchauffeur (m/v/x)", "t-heftruck"),
    ("chauffeur heftruck", "t-heftruck"),
    ("heftruckbestuurder", "t-heftruck"),
    ("vrachtwagenchauffeurs", "t-vracht"),
    ("Technieker onderhoud", "t-onderhoud"),
    ("onderhoudstechnieker", "t-onderhoud"),
    ("Magazijnier", "t-magazijn"),
    ("adm. bediende", "t-adm"),
    ("administratief medewerkster", "t-adm"),
    ("lasster", "t-lasser"),
    ("vrachtwagenchaufeur", "t-vracht"),
    ("directrice", "t-directeur"),
])
def test_right_occupation_first(matcher, query, uri):
    res = matcher.query(query)
    assert res and res[0].uri == U + uri, [(m.uri, m.label) for m in res]


def test_one_entry_per_occupation_and_label_returned(matcher):
    res = matcher.query("chauffeur", top=10)
    uris = [m.uri for m in res]
    assert len(uris) == len(set(uris))
    assert {U + "t-heftruck", U + "t-vracht"} <= set(uris)
    assert all(0 <= m.score <= 100 for m in res)
    assert [m.score for m in res] == sorted((m.score for m in res), reverse=True)
    top = matcher.query("chauffeur heftruck")[0]
    assert top.label == "chauffeur heftruck" and top.kind == LabelKind.ALTERNATIVE and top.isco == "8344"
    assert top.as_dict()["uri"] == U + "t-heftruck"
    assert matcher.query("") == [] and len(matcher.query("lasser", top=2)) <= 2


def test_generic_records_and_state_roundtrip(matcher):
    extra = OccupationRecord("app:poets", "9112", (("schoonmaker", LabelKind.PREFERRED),
                                                    ("poetshulp", LabelKind.ALTERNATIVE)))
    recs = records_from_esco(read_occupations(MINI / "occupations_nl.csv")) + [extra]
    m = TitleMatcher(recs)
    assert m.query("poetsvrouw")[0].uri == "app:poets"
    state = json.loads(json.dumps(m.export_state()))
    m2 = TitleMatcher.from_state(state)
    for q in ("poetsvrouw", "heftruckchauffeur", "Technieker onderhoud", "lasser"):
        assert [(r.uri, r.label, r.score) for r in m2.query(q)] == [(r.uri, r.label, r.score) for r in m.query(q)]
    with pytest.raises(ValueError):
        TitleMatcher.from_state({"version": -1})


@pytest.mark.slow
@pytest.mark.needs_shared
@pytest.mark.parametrize("cases, occupations, min_s1, min_s5, min_mrr", [
    ("eval/titles_nld.dev.jsonl", "eval/melo_occupations_nl.csv", 0.54, 0.69, 0.61),
    ("eval/titles_esco_heldout.dev.jsonl", "esco/occupations_nl.csv", 0.82, 0.915, 0.86),
])
def test_quality_on_shared_sets(cases, occupations, min_s1, min_s5, min_mrr):
    if not (SHARED / cases).exists():
        pytest.skip("../shared is not available")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    from dev_eval_titles import evaluate
    res = evaluate(str(SHARED / cases), str(SHARED / occupations))
    assert res["s1"] >= min_s1 and res["s5"] >= min_s5 and res["mrr"] >= min_mrr, res
    # speed is measured by bench/bench_titles.py (make bench), not asserted here


def test_corpus_learned_substitution_finds_a_sibling_wording():
    def occ(key, *labels):
        return OccupationRecord(key, "1420", tuple((t, LabelKind.PREFERRED if k == 0 else LabelKind.ALTERNATIVE)
                                                  for k, t in enumerate(labels)))
    recs = [occ("winkel", "winkelbeheerder", "winkelmanager"),
            occ("hotel", "hotelbeheerder", "hotelmanager"),
            occ("camping", "campingbeheerder", "campingmanager"),
            occ("filiaal", "filiaalbeheerder", "filiaalleider"),
            occ("sales", "salesmanager", "verkoopmanager"),
            occ("bank", "bankfiliaalmedewerker", "bankbediende")]
    m = TitleMatcher(recs)
    assert dict(m.subst[stem("manager")]).get(stem("beheerder"), 0) > 0
    res = m.query("filiaalmanager")
    assert res[0].uri == "filiaal", [(r.uri, r.label) for r in res]
    m2 = TitleMatcher.from_state(json.loads(json.dumps(m.export_state())))
    assert m2.subst == m.subst
    assert [(r.uri, r.score) for r in m2.query("filiaalmanager")] == [(r.uri, r.score) for r in res]


def test_description_words_raise_an_occupation_whose_labels_lack_them():
    from core.titles import FEATURES

    def recs(with_text: bool):
        return [OccupationRecord("kok", "5120", (("kok", LabelKind.PREFERRED), ("chef keuken", LabelKind.ALTERNATIVE)),
                                 "Koks bereiden sauzen, soepen en gerechten." if with_text else ""),
                OccupationRecord("afwas", "9412", (("afwasser", LabelKind.PREFERRED),
                                                   ("medewerker keuken", LabelKind.ALTERNATIVE)),
                                 "Afwassers reinigen borden en potten." if with_text else ""),
                OccupationRecord("kelner", "5131", (("kelner", LabelKind.PREFERRED),))]   # no description
    m, plain = TitleMatcher(recs(True)), TitleMatcher(recs(False))
    q = "keuken sauzen"
    by_occ = {m.occ_keys[m.l_occ[i]]: f for i, f in m.candidate_features(q)}
    d, g = FEATURES.index("desc"), FEATURES.index("desc_gap")
    assert by_occ["kok"][d] > 0 and by_occ["kok"][g] > 0   # sauzen: in the description, in no label
    assert by_occ["afwas"][d] == 0 and by_occ["afwas"][g] == 0
    score = {r.uri: r.score for r in m.query(q)}
    before = {r.uri: r.score for r in plain.query(q)}
    assert score["kok"] - score["afwas"] > before["kok"] - before["afwas"]
    m2 = TitleMatcher.from_state(json.loads(json.dumps(m.export_state())))
    assert [(r.uri, r.score) for r in m2.query(q)] == [(r.uri, r.score) for r in m.query(q)]
    assert OccupationRecord("x", "1", (("a", LabelKind.PREFERRED),)).description == ""


def test_database_records_carry_the_description(db):
    from core.esco_csv import EscoDataset
    from db.esco import EscoRepository
    from dataclasses import replace
    occs = [replace(o, description=f"Beschrijving {k}.") if k % 2 else replace(o, description="")
            for k, o in enumerate(read_occupations(MINI / "occupations_nl.csv"))]
    repo = EscoRepository(db)
    repo.import_dataset(EscoDataset(lang="nl", folder=MINI, occupations=occs))
    recs = {r.key: r for r in repo.occupation_records()}
    assert [recs[o.uri].description for o in occs] == [o.description for o in occs]


def test_acronym_in_capitals_finds_the_label_that_spells_it_out():
    recs = [OccupationRecord("coo", "1120", (("operationeel directeur", LabelKind.PREFERRED),
                                             ("chief operating officer", LabelKind.ALTERNATIVE))),
            OccupationRecord("eco", "2133", (("ecoloog", LabelKind.PREFERRED),)),
            OccupationRecord("kok", "5120", (("kok", LabelKind.PREFERRED), ("koker", LabelKind.ALTERNATIVE)))]
    m = TitleMatcher(recs)
    assert m.query("COO")[0].uri == "coo"
    assert m.query("manager COO")[0].uri == "coo"
    # lower case is read as a word (a typing error is likelier than an acronym): no expansion
    assert m.expand_acronyms("coo") == "coo"
    # a known word in capitals stays itself
    assert m.expand_acronyms("KOK") == "KOK"
    m2 = TitleMatcher.from_state(json.loads(json.dumps(m.export_state())))
    assert [(r.uri, r.score) for r in m2.query("COO")] == [(r.uri, r.score) for r in m.query("COO")]


def test_compound_part_gives_the_same_units_as_the_word_alone():
    from core.textnorm import Normalizer
    n = Normalizer.from_texts(["ruimtevaartingenieur", "technicus ruimtevaart", "luchtvaart", "ruimtevaart",
                               "ruimte", "vaart", "technicus", "scheepvaart"])
    whole = set(n.tokens("ruimtevaarttechnicus"))
    apart = set(n.tokens("technicus ruimtevaart"))
    assert whole == apart, (whole, apart)


def test_character_search_skips_only_labels_that_cannot_reach_the_cutoff():
    import random
    from rapidfuzz import fuzz, process
    rng = random.Random(5)
    words = ["lasser", "monteur", "heftruck", "chauffeur", "technicus", "onderhoud", "elektro", "operator", "cnc",
             "draaier", "magazijn", "medewerker", "ploeg", "leider", "schilder", "spuiter", "bouw", "hout"]
    recs = [OccupationRecord(f"o{k}", "7212", tuple((" ".join(rng.sample(words, rng.randint(1, 4))), "alternative")
                                                   for _ in range(3))) for k in range(120)]
    m = TitleMatcher(recs)
    for _ in range(200):
        q = " ".join(rng.sample(words, rng.randint(1, 3)))
        q = "".join(c for c in q if rng.random() > 0.08)       # typing errors
        want = process.extract(q, m.l_fuzzy, scorer=fuzz.ratio, processor=None, limit=10, score_cutoff=60)
        got = m._char_search(q, 10)
        assert [(s, i) for _c, s, i in got] == [(s, i) for _c, s, i in want], q
