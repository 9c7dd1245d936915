"""The printed plan: what goes under "Competenties", the footer with long names, the actions table,
page breaks, and durations and fixed texts in the plan's language."""
import io
import re

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from core.model import PlanAction, PlanTarget, WorkerCompetence
from core.plan_pdf import FONT, FONT_BOLD, MARGIN_X, PAGE_W, plan_pdf_bytes
from core.plan_text import duration_text, localise_duration, plan_texts, reference_label_lookup
from tests.core.test_plan_pdf import TODAY, make_input, squash

LONG_SURNAME = "Vandenbroucke-Van de Velde-Ceulemans-Verschueren"
LONG_FIRST = "Jean-François Marie-Thérèse Ğülşen Ørjan"
PHRASES = [("tig lassen rvs", "lassen-tig"), ("mig mag lassen", "lassen-mig-mag"), ("heftruckattest", "attest-heftruck"),
           ("PLC Siemens", "plc-programmeren"), ("plannen lezen", "technische-tekening-lezen"), ("slijpen", "slijpen-afwerken"),
           ("reachtruck", "reachtruck-rijden"), ("pneumatica", "pneumatiek"), ("hydraulica", "hydrauliek"),
           ("autogeen snijden", "brandsnijden-plasma"), ("plasmasnijden", "brandsnijden-plasma"),
           ("meten met schuifmaat", "meetinstrumenten"), ("kwaliteitscontrole", "kwaliteitscontrole"),
           ("BA4", "ba4"), ("VCA", "vca-basis"), ("rijbewijs CE", "rijbewijs-ce"), ("teamleider", "team-aansturen"),
           ("pijpfitten", "pijpleidingen-monteren"), ("stapelaar", "pallettruck"), ("brugkraan bedienen", "rolbrug-bedienen"),
           # not recognised: two skills outside the list, a negation, health complaints and a limit
           ("bloemschikken", ""), ("lastechnieken elektrode", ""), ("geen nachtwerk", ""), ("hoogtevrees", ""),
           ("rugklachten", ""), ("niet tillen boven 10 kg", "")]
PRIVATE = ("geen nachtwerk", "hoogtevrees", "rugklachten", "niet tillen")


def render(data, **kw):
    raw = plan_pdf_bytes(data, today=TODAY, **kw)
    reader = PdfReader(io.BytesIO(raw))
    return reader, [p.extract_text() for p in reader.pages]


def busy_input(language="nl"):
    data = make_input(language=language, actions=0)
    w = data.worker
    w.surname, w.first_names = LONG_SURNAME, LONG_FIRST
    w.competences = [WorkerCompetence(text, competence_id=cid, level=3) for text, cid in PHRASES]
    data.plan.actions = [
        PlanAction("Constructiebankwerker / lasser-monteerder", "opleiding", "VDAB competentiecentrum",
                   duration="24 weken", training_id="oc-lasser-monteerder", competences=["Afschrijven en aftekenen"]),
        PlanAction("Heftruckchauffeur", "attest halen", "VDAB competentiecentrum", duration="1 weken",
                   training_id="oc-heftruckchauffeur"),
        PlanAction("Sollicitatietraining bij de eigen werkgever", "sollicitatietraining", "Eigen firma bvba",
                   duration="3 maanden")]
    return data


@pytest.fixture(scope="module")
def lookup():
    return reference_label_lookup()


# -- (3) competences ------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["nl", "fr"])
def test_negations_and_limits_are_never_printed_as_competences(language, lookup):
    data = busy_input(language)
    data.plan.print_limitations = False
    _, pages = render(data, label_lookup=lookup)
    text = squash("\n".join(pages))
    for phrase in PRIVATE:
        assert phrase not in text, phrase
    # the same with the limitations printed: the typed phrases still are no competences
    data.plan.print_limitations = True
    _, pages = render(data, label_lookup=lookup)
    text = squash("\n".join(pages))
    for phrase in ("geen nachtwerk", "hoogtevrees", "rugklachten", "niet tillen boven"):
        assert phrase not in text, phrase
    assert "maximaal 10 kg dragen" in text            # the limitation itself, as the plan allows


def test_recognised_competences_with_level_and_other_skills_apart():
    _, pages = render(busy_input())
    text = squash("\n".join(pages))
    assert "Competentie Niveau Competentie Niveau" in text
    assert re.search(r"tig lassen rvs 3/4", text)
    heading = "Andere vaardigheden, zoals genoteerd (niet in de competentielijst, zonder niveau)"
    assert heading in text
    other = text.split(heading, 1)[1][:120]
    assert "bloemschikken" in other and "lastechnieken elektrode" in other
    assert "bloemschikken 3/4" not in text and "bloemschikken (niveau" not in text
    assert "niveau 2/4" not in text and "(niveau" not in text


def test_french_plan_prints_competences_by_their_french_name_once(lookup):
    _, pages = render(busy_input("fr"), label_lookup=lookup)
    text = squash("\n".join(pages))
    assert "Soudage TIG" in text and "Compétence Niveau" in text
    assert text.count("Découpage thermique (oxycoupage, plasma)") == 1     # two phrases, one competence
    assert "Autres aptitudes, telles que notées" in text and "bloemschikken" in text


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_a_recognised_competence_prints_under_its_label_in_both_languages(language, lookup):
    """The Dutch plan prints what the French one prints: the recognised competence's label (as in the targets
    and actions), each competence of a phrase that names two; unrecognised words stay the worker's own."""
    data = make_input(language=language, actions=0)
    data.worker.competences = [WorkerCompetence("rolbrug", "rolbrug-bedienen", level=3),
                               WorkerCompetence("tig lassen rvs", "lassen-tig", level=4),
                               WorkerCompetence("tig lassen rvs", "rvs-verwerken", level=4),
                               WorkerCompetence("bloemschikken", "", level=2)]
    _, pages = render(data, label_lookup=lookup)
    text = squash("\n".join(pages))
    table = text.split(plan_texts(language)("competences"), 1)[1]
    for cid, level in (("rolbrug-bedienen", 3), ("lassen-tig", 4), ("rvs-verwerken", 4)):
        label = lookup("competence", cid, language)
        assert label and f"{label} {level}/4" in table, (label, table[:300])
    assert "rolbrug 3/4" not in table and "tig lassen rvs" not in table
    assert "bloemschikken" in table.split(plan_texts(language)("other_skills"), 1)[1][:60]


def test_recognised_phrase_that_reads_like_a_limit_prints_as_the_competence(lookup):
    data = make_input()
    data.worker.competences = [WorkerCompetence("geen hoogtevrees", competence_id="werken-op-hoogte", level=3)]
    _, pages = render(data, label_lookup=lookup)
    text = squash("\n".join(pages))
    assert "hoogtevrees" not in text
    assert lookup("competence", "werken-op-hoogte", "nl") in text
    _, pages = render(data)                          # without reference data: left out rather than printed
    assert "hoogtevrees" not in "\n".join(pages)


# -- (7) layout -----------------------------------------------------------------------------------
def footer_pieces(page) -> list[tuple[str, float, float]]:
    """(text, left x, right x) of every text drawn at the footer line (12 mm from the bottom)."""
    out = []

    def visit(text, cm, tm, font_dict, font_size):
        y = tm[5] * cm[3] + cm[5] if cm else tm[5]
        x = tm[4] * cm[0] + cm[4] if cm else tm[4]
        text = text.strip()
        if text and abs(y - 12 * 72 / 25.4) < 2:
            bold = "Bold" in str((font_dict or {}).get("/BaseFont", ""))
            w = stringWidth(text, FONT_BOLD if bold else FONT, 7.5)
            out.append((text, x, x + w))

    page.extract_text(visitor_text=visit)
    return out


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_footer_texts_never_overlap_with_a_long_name(language, lookup):
    reader, _ = render(busy_input(language), label_lookup=lookup)
    for page in reader.pages:
        pieces = sorted(footer_pieces(page), key=lambda p: p[1])
        assert len(pieces) == 3, pieces
        (left, l0, l1), (mid, m0, m1), (right, r0, r1) = pieces
        assert left in ("VERTROUWELIJK", "CONFIDENTIEL")
        assert right.startswith(("Pagina", "Page"))
        assert l1 + 8 < m0 and m1 + 8 < r0, pieces
        assert l0 >= MARGIN_X - 1 and r1 <= PAGE_W - MARGIN_X + 1
        assert mid.startswith("Jean-François") and mid.endswith(("Versie 3", "Version 3")) and "…" in mid


def test_short_name_footer_stays_centred():
    reader, _ = render(make_input())
    (_, _, _), (mid, m0, m1), (_, _, _) = sorted(footer_pieces(reader.pages[0]), key=lambda p: p[1])
    assert mid == "Zoë Çelik-Lefèvre · Versie 3"
    assert abs((m0 + m1) / 2 - PAGE_W / 2) < 1


def test_training_names_are_not_cut_in_the_middle_of_a_word(lookup):
    _, pages = render(busy_input(), label_lookup=lookup)
    lines = [line.strip() for page in pages for line in page.splitlines()]
    assert any("Constructiebankwerker" in line for line in lines)
    assert not any(line.endswith("Constructiebankwerke") for line in lines)
    assert "competentiecentrum" in " ".join(lines)                  # the provider is not cut either
    _, pages = render(busy_input("fr"), label_lookup=lookup)
    text = squash("\n".join(pages))
    assert "Serrurier-constructeur / soudeur-monteur" in text


def test_long_competence_table_starts_on_the_first_pages_and_repeats_its_header():
    data = busy_input()
    data.worker.competences = [WorkerCompetence(f"vaardigheid nummer {i}", competence_id=f"c{i}", level=1 + i % 4)
                               for i in range(90)]
    _, pages = render(data)
    first = [i for i, p in enumerate(pages) if "vaardigheid nummer" in p]
    assert first[0] == 0                                            # not pushed to page 2 as one block
    assert len(first) >= 2
    for i in first:
        assert "Competentie" in pages[i] and "Niveau" in pages[i]   # the header row on every page of it
    text = squash("\n".join(pages))
    assert all(f"vaardigheid nummer {i} " in text for i in (0, 45, 89))


def test_section_headings_stay_with_their_content():
    """A heading is never left alone at the foot of a page: over a range of competence counts the
    page breaks fall everywhere in the plan (before, with 49 to 52 competences, "4. Jobdoelwitten"
    stood alone at the foot of page 2)."""
    for n in range(30, 62, 2):
        data = make_input(actions=12)
        data.worker.competences = [WorkerCompetence(f"vaardigheid {i}", competence_id=f"c{i}") for i in range(n)]
        data.plan.targets = [PlanTarget(f"o{i}", f"Doelberoep {i}", ["KWANT"], 0.5, ["a"], ["b"], ["c"])
                             for i in range(4)]
        _, pages = render(data)
        pages = [squash(p) for p in pages]
        for heading, first in (("4. Jobdoelwitten", "Doelberoep 0"), ("5. Acties", "Opleiding PLC module 1 ")):
            page = next(i for i, p in enumerate(pages) if heading in p)
            assert first in pages[page], (n, heading)


# -- (8, 13) durations and fixed texts in the plan's language -----------------------------------
def test_duration_texts():
    assert duration_text(1, "weeks") == "1 week" and duration_text(24, "weeks") == "24 weken"
    assert duration_text(1, "weeks", "fr") == "1 semaine" and duration_text(2, "weeks", "fr") == "2 semaines"
    assert duration_text(1.5, "weeks", "fr") == "1,5 semaine" and duration_text(1.5, "weeks") == "1,5 weken"
    assert duration_text(1, "months", "fr") == "1 mois" and duration_text(3, "months") == "3 maanden"
    assert localise_duration("1 weken", "nl") == "1 week"
    assert localise_duration("24 weken", "fr") == "24 semaines"
    assert localise_duration("3 maanden", "fr") == "3 mois"
    assert localise_duration("tot eind maart", "fr") == "tot eind maart"     # the counsellor's own words stay
    assert localise_duration("", "fr") == ""


def test_dutch_plan_says_one_week():
    _, pages = render(busy_input())
    text = squash("\n".join(pages))
    assert "1 week" in text and "1 weken" not in text and "24 weken" in text


def test_french_plan_has_no_dutch_program_text(lookup):
    _, pages = render(busy_input("fr"), label_lookup=lookup)
    text = squash("\n".join(pages))
    assert "24 semaines" in text and "1 semaine" in text and "3 mois" in text
    assert "weken" not in text and "maanden" not in text
    assert "centre de compétence VDAB" in text and "competentiecentrum" not in text
    assert "Eigen firma bvba" in text                             # a provider typed by the counsellor stays
    assert "BCE 0403.170.701" in text and "KBO" not in text
    assert "Cariste" in text                                      # the catalogue training under its French name
    assert "Heftruckchauffeur" not in text.split("5. Actions", 1)[1].split("6. Accords", 1)[0]


def test_a_rewritten_training_description_prints_as_written(lookup):
    data = busy_input("fr")
    data.plan.actions[0].description = "Constructiebankwerker bij Bekaert (IBO)"
    _, pages = render(data, label_lookup=lookup)
    assert "Constructiebankwerker bij Bekaert (IBO)" in squash("\n".join(pages))


def test_every_provider_kind_of_the_reference_has_a_french_label():
    from core.reference import default_reference
    fr = plan_texts("fr")
    kinds = {t.provider_kind for t in default_reference().trainings}
    assert kinds and all(f"provider.{k}" in fr.labels for k in kinds), kinds - {
        k.split(".", 1)[1] for k in fr.labels if k.startswith("provider.")}


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_certificates_print_in_the_plan_language_with_the_name_on_file(language, lookup):
    """A French-speaking worker reads a known certificate under its French name, followed by the name on his
    file; the Dutch plan prints the name as written; a certificate outside the reference prints as written."""
    import datetime as dt
    from core.model import Certificate
    data = make_input(language=language, actions=0)
    data.worker.certificates = [Certificate("attest-heftruck", "Heftruckattest", dt.date(2023, 2, 1)),
                                Certificate("", "Brevet duiker klasse 2", dt.date(2020, 5, 1))]
    _, pages = render(data, label_lookup=lookup)
    section = squash("\n".join(pages)).split(plan_texts(language)("certificates"), 1)[1][:400]
    french = lookup("competence", "attest-heftruck", "fr")
    assert french and french != "Heftruckattest"
    if language == "fr":
        assert f"{french} (Heftruckattest)" in section
    else:
        assert "Heftruckattest" in section and french not in section
    assert "Brevet duiker klasse 2" in section
