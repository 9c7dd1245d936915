from core.competences import THRESHOLD, CompetenceEntry, CompetenceMatcher

ENTRIES = [
    CompetenceEntry("aansturen", "Een ploeg aansturen", ("Een ploeg aansturen", "ploeg aansturen", "team leiden",
                                                         "leiding geven")),
    CompetenceEntry("ploegenwerk", "Bereid tot ploegenwerk", ("Bereid tot ploegenwerk", "werken in ploegen", "nachtwerk")),
    CompetenceEntry("heftruck", "Heftruck besturen", ("Heftruck besturen", "heftruck rijden", "heftruck")),
]


def test_a_phrase_may_combine_words_of_two_texts_of_one_competence():
    m = CompetenceMatcher(ENTRIES)
    # "ploeg" is in one variant of aansturen and "leiden" in another: together they explain the
    # whole phrase (no single text does), whereas ploegenwerk explains half of it
    best = m.suggest("ploeg leiden", 2)
    assert best[0].competence_id == "aansturen" and best[0].score >= THRESHOLD
    assert best[1].competence_id == "ploegenwerk" and best[1].score < THRESHOLD
    # a phrase that one text holds keeps its clear match
    assert m.recognise("werken in ploegen").competence_id == "ploegenwerk"
    assert m.recognise("heftruck rijden").score == 1.0


def test_words_around_a_competence_do_not_hide_it():
    m = CompetenceMatcher(ENTRIES)
    got = m.recognise("ervaring met heftruck rijden")
    assert got is not None and got.competence_id == "heftruck"
    assert m.recognise("goede kennis van bloemschikken") is None
