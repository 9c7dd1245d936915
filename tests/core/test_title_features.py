from core.title_features import GramIndex, char_grams, learn_acronyms, mine_substitutions


def test_substitutions_need_several_occupations():
    occs = [
        [("filiaal", "beheerder"), ("filiaal", "manager")],
        [("winkel", "beheerder"), ("winkel", "manager"), ("winkel", "chef")],
        [("hotel", "beheerder"), ("hotel", "manager")],
        [("kok",), ("kok", "chef")],                # an optional modifier is no substitution
        [("bakker", "brood"), ("bakker", "banket")],  # seen once: not kept
    ]
    table = mine_substitutions(occs)
    assert dict(table["beheerder"])["manager"] > 0.3
    assert dict(table["manager"])["beheerder"] == dict(table["beheerder"])["manager"]
    assert "brood" not in table and "kok" not in table
    assert all(0 < s <= 1 for subs in table.values() for _v, s in subs)
    # deterministic
    assert mine_substitutions(occs) == table


def test_char_grams_and_typo_similarity():
    assert char_grams("kap") == {" ka": 1, "kap": 1, "ap ": 1}
    idx = GramIndex(["steenbewerker", "steenbreker operator", "lasser"])
    q, qn = idx.query_vector("steenbeewerker")
    sims = [idx.cosine(q, qn, i) for i in range(3)]
    assert sims[0] > 0.5 > sims[1] > sims[2]
    idx2 = GramIndex(idx.texts, idf=idx.idf)
    assert idx2.cosine(q, qn, 0) == sims[0]


def test_acronyms_learned_from_labels():
    from core.textnorm import STOPWORDS, normalize
    texts = ["chief operating officer", "Chief Operating Officer", "officier van justitie",
             "chief information security officer", "kok", "medewerker", "ciso-assistent"]
    acr = learn_acronyms(texts, normalize, STOPWORDS)
    assert acr["coo"] == "chief operating officer"
    assert acr["ciso"] == "chief information security officer"
    assert "ovj" in acr and "oj" not in acr      # two letters are too short to be trusted
    assert "k" not in acr and "m" not in acr     # one-word labels give no acronym
    assert learn_acronyms(list(reversed(texts)), normalize, STOPWORDS) == acr   # order does not matter
