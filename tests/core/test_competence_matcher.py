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


def test_a_negated_phrase_is_never_recognised_as_the_competence_it_names():
    from core.competences import negation
    m = CompetenceMatcher(ENTRIES + [CompetenceEntry("ndo", "Niet-destructief onderzoek",
                                                     ("Niet-destructief onderzoek", "NDO"))])
    assert m.recognise("nachtwerk").competence_id == "ploegenwerk"
    for phrase in ("geen nachtwerk", "GEEN nachtwerk!", "kan niet met de heftruck rijden", "nooit heftruck gereden"):
        assert m.recognise(phrase) is None, phrase
        assert m.recognise_all(phrase) == [], phrase
        assert negation(phrase) is not None
    # the suggestions stay available: the counsellor may still pick one on purpose
    assert m.suggest("geen nachtwerk", 1)[0].competence_id == "ploegenwerk"
    # a competence whose own text holds the word is not a negation
    assert m.recognise("niet-destructief onderzoek").competence_id == "ndo"
    assert negation("niet-destructief onderzoek", "Niet-destructief onderzoek") is None
    # a counsellor's own synonym is taken as confirmed
    m.add_synonym("geen probleem met ploegen", "ploegenwerk")
    assert m.recognise("geen probleem met ploegen").competence_id == "ploegenwerk"


def test_a_typing_error_is_forgiven_but_another_word_with_the_same_letters_is_not():
    m = CompetenceMatcher(ENTRIES + [CompetenceEntry("productieplanning", "Productieplanning",
                                                     ("Productieplanning", "productie plannen"))])
    assert m.recognise("productie planen").competence_id == "productieplanning"     # one letter missing
    assert m.recognise("heftruk rijden").competence_id == "heftruck"
    # "route" is no typing error for "productie", although its letters stand in it in order
    assert m.recognise("route plannen") is None
