from core.competences import THRESHOLD, CompetenceEntry, CompetenceMatcher, CompetenceSuggestion

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


def test_a_text_that_says_what_is_not_the_case_is_not_matched_by_the_bare_phrase():
    m = CompetenceMatcher(ENTRIES + [CompetenceEntry("hoogte", "Veilig werken op hoogte",
                                                     ("Veilig werken op hoogte", "geen hoogtevrees"))])
    # "hoogtevrees" (a fear of heights) is the opposite of the text "geen hoogtevrees"
    assert m.recognise("hoogtevrees") is None
    assert all(s.matched_text != "geen hoogtevrees" for s in m.suggest("hoogtevrees", 5))
    # the text itself, negation included, still finds its competence
    assert m.recognise("geen hoogtevrees").competence_id == "hoogte"
    assert m.recognise("werken op hoogte").competence_id == "hoogte"


def test_a_short_word_in_place_of_another_is_not_a_typing_error():
    from core.competences import _word_typos
    assert _word_typos("heftruk rijden", "heftruck rijden")
    assert _word_typos("rijden heftruk", "heftruck rijden")
    assert _word_typos("heftruckrijden", "heftruck rijden")
    assert not _word_typos("s7 programmeren", "iso programmeren")
    assert not _word_typos("route plannen", "productie plannen")
    entries = [CompetenceEntry("cnc", "CNC programmeren", ("CNC programmeren", "ISO programmeren")),
               CompetenceEntry("plc", "PLC programmeren", ("PLC programmeren", "Siemens S7"))]
    m = CompetenceMatcher(entries)
    assert m.recognise("s7 programmeren").competence_id == "plc"
    assert m.recognise("iso programeren").competence_id == "cnc"


def test_everyday_words_are_not_read_as_typing_errors_of_competence_words():
    entries = [CompetenceEntry("brood", "Brood bakken", ("Brood bakken", "bakken")),
               CompetenceEntry("buizen", "Buizen monteren", ("Buizen monteren",))]
    bare = CompetenceMatcher(entries)
    # without the everyday words, "bukken" is one letter from "bakken"
    assert bare.recognise("bukken") is not None
    m = CompetenceMatcher(entries, extra_vocabulary=("bukken", "buiten", "werk"))
    assert m.recognise("bukken") is None
    assert m.recognise("buitenwerk") is None
    assert m.recognise("bakken").competence_id == "brood"
    assert m.recognise("buizen monteren").competence_id == "buizen"


def test_a_phrase_that_reads_like_a_limit_is_told_apart():
    from core.competences import limit_hint
    for phrase in ("geen nachtwerk", "rugklachten", "Hoogtevrees", "last van zijn knie", "astma"):
        assert limit_hint(phrase), phrase
    for phrase in ("heftruck rijden", "tig lassen rvs", "werken op hoogte"):
        assert not limit_hint(phrase), phrase


def test_two_weak_suggestions_as_good_as_each_other_leave_the_phrase_niet_herkend():
    from core.competences import _tied
    from core.matching import MatchingService
    m = MatchingService.create().matcher
    # "hydraulische herstellingen": repairs of which kind? several competences explain half of it
    sugg = m.suggest("hydraulische herstellingen", 3)
    assert sugg[0].score >= THRESHOLD and _tied(sugg)
    assert m.recognise("hydraulische herstellingen") is None
    assert m.recognise_all("hydraulische herstellingen") == []
    # a clear phrase is not affected
    assert m.recognise("hydraulische systemen").competence_id == "hydrauliek"
    s = [CompetenceSuggestion("a", "A", 0.70, "a"), CompetenceSuggestion("b", "B", 0.695, "b")]
    assert _tied(s) and not _tied(s[:1])
    assert not _tied([CompetenceSuggestion("a", "A", 0.90, "a"), CompetenceSuggestion("b", "B", 0.90, "b")])
    assert not _tied([CompetenceSuggestion("a", "A", 0.70, "a"), CompetenceSuggestion("b", "B", 0.65, "b")])


def test_words_around_a_competence_weigh_little():
    from core.competences import CONTEXT_WEIGHT
    m = CompetenceMatcher(ENTRIES)
    assert 0 < CONTEXT_WEIGHT < 1
    plain = m.suggest("heftruck rijden", 1)[0].score
    # experience, degree and ability words dilute the phrase less than unknown words do
    wrapped = m.suggest("10 jaar ervaring, kan heel goed heftruck rijden", 1)[0]
    other = m.suggest("zondag karper vissen heftruck rijden", 1)[0]
    assert wrapped.competence_id == "heftruck" and wrapped.score >= THRESHOLD
    assert wrapped.score > other.score
    assert wrapped.score <= plain


def test_a_phrase_that_lists_several_things_is_read_item_by_item():
    from core.competences import list_parts
    m = CompetenceMatcher(ENTRIES)
    assert list_parts("heftruck rijden, nachtwerk") == ["heftruck rijden", "nachtwerk"]
    assert list_parts("MIG/MAG lassen") == ["MIG/MAG lassen"]
    found = [s.competence_id for s in m.recognise_all("heftruck rijden; werken in ploegen")]
    assert found == ["heftruck", "ploegenwerk"]
    # a negated item stays out, the others count
    assert [s.competence_id for s in m.recognise_all("geen nachtwerk, heftruck")] == ["heftruck"]


def test_no_objection_is_no_negation():
    from core.competences import negation
    m = CompetenceMatcher(ENTRIES)
    for phrase in ("nachtwerk geen probleem", "geen bezwaar tegen nachtwerk", "geen enkel probleem met nachtwerk"):
        assert negation(phrase) is None, phrase
        assert m.recognise(phrase).competence_id == "ploegenwerk", phrase
    assert negation("geen nachtwerk, dat is een probleem") == "geen"
    assert m.recognise("wil geen nachtwerk") is None


def test_an_agent_or_workplace_noun_counts_as_the_activity():
    entries = [CompetenceEntry("draaien", "CNC-draaien", ("CNC-draaien", "draaibank")),
               CompetenceEntry("spuitgieten", "Spuitgieten", ("Spuitgieten",)),
               CompetenceEntry("monteren", "Mechanisch monteren", ("mechanisch monteren",))]
    m = CompetenceMatcher(entries)
    assert m.phrase_units("cnc draaier") == m.phrase_units("cnc draaien")
    assert m.recognise("spuitgieterij").competence_id == "spuitgieten"
    assert m.recognise("mechanisch monteur").competence_id == "monteren"
    # a word the vocabulary knows as it is keeps its own meaning
    assert "draaibank" in m.phrase_units("draaibank")


def test_the_text_as_written_beats_the_same_stems():
    entries = [CompetenceEntry("sensoren", "Sensoren", ("sensoren", "encoders")),
               CompetenceEntry("invoer", "Gegevens invoeren", ("gegevens invoeren", "encoderen"))]
    m = CompetenceMatcher(entries)
    best = m.suggest("encoderen", 2)
    assert best[0].competence_id == "invoer" and best[0].score == 1.0
    assert best[1].score < 1.0
    assert m.suggest("encoders", 1)[0].competence_id == "sensoren"


def test_agent_nouns_in_aar_with_doubled_consonants_and_compound_verbs_count_as_the_activity():
    entries = [CompetenceEntry("metselen", "Metselen", ("Metselen", "metselwerk")),
               CompetenceEntry("uitbenen", "Uitbenen", ("uitbenen", "vlees uitsnijden")),
               CompetenceEntry("orderpicking", "Orderpicking", ("orderpicken", "orders verzamelen"))]
    m = CompetenceMatcher(entries)
    assert m.recognise("metselaar").competence_id == "metselen"
    assert m.recognise("uitbenner").competence_id == "uitbenen"        # uitben-n-er: one n in the verb
    assert m.phrase_units("orderpicker") == m.phrase_units("orderpicken")
    assert m.recognise("orderpicker").competence_id == "orderpicking"
    assert m.recognise("wandelaar") is None                            # no such activity in the vocabulary


def test_an_employer_after_bij_weighs_little_but_other_words_keep_their_weight():
    entries = [CompetenceEntry("veld", "Veldoperator", ("veldoperator", "controlerondes")),
               CompetenceEntry("orderpicking", "Orderpicking", ("orderpicken", "orderpicker"))]
    m = CompetenceMatcher(entries)
    for phrase in ("veldoperator bij basf", "orderpicker bij colruyt", "10 jaar orderpicker bij de firma van hool"):
        assert m.recognise(phrase) is not None, phrase
    # the same unknown words without "bij" still count: the phrase may be about something else
    assert m.suggest("veldoperator basf colruyt", 1)[0].score < m.suggest("veldoperator bij basf colruyt", 1)[0].score
    units, employer = m._phrase("orderpicker bij colruyt, daarna in genk")
    assert "colruyt" in employer and "genk" not in employer


def test_loanword_plurals_in_es_and_diminutives_meet_their_singular():
    entries = [CompetenceEntry("storingen", "Storingen opsporen", ("pannes opsporen", "machines herstellen")),
               CompetenceEntry("buizen", "Buizen plooien", ("buis plooien",))]
    m = CompetenceMatcher(entries)
    assert m.phrase_units("panne opsporen") == m.phrase_units("pannes opsporen")
    assert m.recognise("machine herstellen").competence_id == "storingen"
    assert m.recognise("buisjes plooien").competence_id == "buizen"


def test_two_swapped_letters_in_a_short_word_are_a_typing_error():
    entries = [CompetenceEntry("frans", "Frans", ("Frans", "Frans spreken")),
               CompetenceEntry("bas", "Basgitaar", ("bas",))]
    m = CompetenceMatcher(entries)
    got = m.recognise("spreekt goed frnas")
    assert got is not None and got.competence_id == "frans"
    assert m.norm.tokens("basf") == ("basf",)        # one letter more in a short word: another word


CERTIFIED = [
    CompetenceEntry("kraan", "Kraan bedienen", ("Kraan bedienen", "mobiele kraan", "kraanman")),
    CompetenceEntry("attest-kraan", "Attest kraanmachinist", ("Attest kraanmachinist", "attest mobiele kraan")),
    CompetenceEntry("airco", "Ventilatie en airco", ("Ventilatie en airco", "airco")),
    CompetenceEntry("attest-airco", "Attest F-gassen mobiele airco", ("Attest F-gassen mobiele airco",
                                                                      "airco attest auto")),
]


def test_every_word_for_a_certificate_names_the_attest():
    m = CompetenceMatcher(CERTIFIED)
    for phrase in ("brevet kraanman mobiele kraan", "certificaat mobiele kraan", "getuigschrift mobiele kraan",
                   "gecertificeerd voor mobiele kraan"):
        got = m.recognise(phrase)
        assert got is not None and got.competence_id == "attest-kraan", phrase
    # without a word for a certificate the skill stays the skill
    assert m.recognise("kraanman mobiele kraan").competence_id == "kraan"


def test_a_phrase_naming_a_certificate_prefers_a_competence_that_is_one():
    m = CompetenceMatcher(CERTIFIED)
    # "kraanman" makes the skill explain more of the phrase than the attest does, but the phrase
    # names a certificate: the attest comes first, though it scores less, and is no coin toss
    sugg = m.suggest("brevet kraanman mobiele kraan", 2)
    assert [s.competence_id for s in sugg] == ["attest-kraan", "kraan"]
    assert THRESHOLD <= sugg[0].score < sugg[1].score
    assert m.recognise("brevet kraanman mobiele kraan").competence_id == "attest-kraan"
    # both are named when the skill is clearly named too
    assert [s.competence_id for s in m.recognise_all("brevet kraanman mobiele kraan")] == ["attest-kraan", "kraan"]
    # an attest far weaker than the skill, below the threshold, is not preferred
    assert m.recognise("attest ventilatie en airco").competence_id == "airco"


def test_a_hobby_or_an_interest_is_not_a_competence():
    from core.competences import wish
    m = CompetenceMatcher(ENTRIES + [
        CompetenceEntry("inzicht", "Technisch inzicht", ("Technisch inzicht", "technische interesse")),
        CompetenceEntry("taart", "Patisserie", ("Patisserie", "taarten bakken")),
    ])
    assert m.recognise("taarten bakken").competence_id == "taart"
    for phrase in ("bakt graag taarten voor de familie", "taarten bakken als hobby", "interesse in heftruck rijden",
                   "in zijn vrije tijd taarten bakken", "Hobby's: taarten bakken"):
        assert m.recognise(phrase) is None, phrase
        assert m.recognise_all(phrase) == [], phrase
        assert wish(phrase) is not None, phrase
    # a competence whose own text holds the word is still recognised
    assert m.recognise("technische interesse").competence_id == "inzicht"
    assert wish("werkt graag in ploegen") is None
