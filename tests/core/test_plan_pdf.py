"""The printed trajectory plan: contents, privacy, languages, page numbering, fonts and metadata."""
import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from core.cell_rules import CellRules
from core.demo import insz_for
from core.model import (Certificate, Contact, Dossier, EducationGroup, Experience, FunctionalLimitation, LanguageSkill,
                        Mobility, PlanAction, PlanTarget, TrajectoryPlan, Worker, WorkerCompetence)
from core.plan_pdf import PlanInput, plan_filename, plan_pdf_bytes, write_plans
from core.validation import format_insz, mask_insz

TODAY = dt.date(2025, 1, 10)
BIRTH = dt.date(1975, 3, 14)
INSZ = insz_for(BIRTH, 42)

NL_HEADINGS = ["Partijen", "Kader", "Persoonlijke en professionele balans", "Jobdoelwitten", "Acties", "Afspraken",
               "Opvolging", "Rechten en plichten", "Privacy", "Handtekeningen"]
FR_HEADINGS = ["Parties", "Cadre", "Bilan personnel et professionnel", "Professions cibles", "Actions", "Accords",
               "Suivi", "Droits et obligations", "Protection de la vie privée", "Signatures"]


def make_input(*, language="nl", actions=3, print_limitations=False, stored=True) -> PlanInput:
    dossier = Dossier(company_name="Carrosserie Ŝtål & Zonen NV", kbo_number="0403170701", id=17,
                      announcement_date=dt.date(2024, 4, 8), first_dismissal_date=dt.date(2024, 5, 18),
                      last_dismissal_date=dt.date(2024, 8, 6), outplacement_bureau="Outplacement Brécourt bv")
    worker = Worker(surname="Çelik-Lefèvre", first_names="Zoë", insz=INSZ, birth_date=BIRTH,
                    street="Kerkstraat 12", postcode="2500", municipality="Lier", phone="0470 12 34 56",
                    email="zoe@voorbeeld.be", preferred_language=language, dismissal_date=dt.date(2024, 6, 3),
                    seniority_start=dt.date(2001, 9, 1), highest_diploma="diploma TSO",
                    education_group=EducationGroup.MIDDEN, vks_level=4, counsellor="Gergő Szabó", id=101,
                    dossier_id=17,
                    experiences=[Experience("Carrosserie Ŝtål", "Lasser-monteerder", start_date=dt.date(2001, 9, 1),
                                            end_date=dt.date(2024, 6, 3))],
                    competences=[WorkerCompetence("MIG/MAG lassen", competence_id="c_mig", level=4),
                                 WorkerCompetence("plannen lezen", level=3)],
                    certificates=[Certificate("vca_basis", "B-VCA", dt.date(2012, 1, 5), dt.date(2022, 1, 5)),
                                  Certificate("heftruck", "Heftruckattest", dt.date(2023, 2, 1), dt.date(2028, 2, 1))],
                    languages=[LanguageSkill("nl", "C2", "C2", "C1", "B2"), LanguageSkill("fr", "B1", "A2", "B1", "A2")],
                    mobility=Mobility(driving_licences=["B"], own_car=True, max_commute_minutes=45),
                    limitations=[FunctionalLimitation("tillen", "maximaal 10 kg dragen", printable=True)])
    plan = TrajectoryPlan(
        worker_id=101, version=3, counsellor="Gergő Szabó", print_limitations=print_limitations,
        targets=[PlanTarget("occ_techniek", "Technicus industriële installaties", ["KWANT", "KWAL"], 0.72,
                            ["MIG/MAG lassen"], ["PLC-programmatie"], ["SCADA"]),
                 PlanTarget("occ_heftruck", "Heftruckchauffeur", ["ARB"], 0.5, [], ["heftruck besturen"], [])],
        actions=[PlanAction(f"Opleiding PLC module {i + 1}", "opleiding", "VDAB Competentiecentrum",
                            dt.date(2025, 2, 3), dt.date(2025, 3, 28), responsible="Zoë", competences=["PLC-programmatie"])
                 for i in range(actions)],
        agreements="Zoë solliciteert elke week voor twee vacatures & houdt een logboek bij <geen HTML>.",
        followups=[dt.date(2025, 2, 14), dt.date(2025, 3, 31)])
    contacts = [Contact(dt.date(2024, 6, 10), "intake", 2.0), Contact(dt.date(2024, 7, 1), "gesprek", 1.5)]
    return PlanInput(plan=plan, worker=worker, dossier=dossier, contacts=contacts, rules=CellRules(), stored=stored)


def render(data: PlanInput, **kw) -> tuple[PdfReader, list[str], bytes]:
    raw = plan_pdf_bytes(data, today=TODAY, **kw)
    reader = PdfReader(io.BytesIO(raw))
    return reader, [p.extract_text() for p in reader.pages], raw


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def nl_pdf():
    return render(make_input())


def test_every_section_heading_and_the_header(nl_pdf):
    _, pages, _ = nl_pdf
    text = squash("\n".join(pages))
    assert "Individueel trajectplan" in text
    assert "Tewerkstellingscel Carrosserie Ŝtål & Zonen NV" in text
    for n, heading in enumerate(NL_HEADINGS, 1):
        assert f"{n}. {heading}" in text, heading
    assert "Versie" in text and "10/01/2025" in text and "0403.170.701" in text


def test_insz_is_masked_and_never_printed_in_full(nl_pdf):
    _, pages, raw = nl_pdf
    text = "\n".join(pages)
    assert mask_insz(INSZ) in text
    assert INSZ not in text and format_insz(INSZ) not in text
    assert INSZ[:6] not in text.replace("/", "")    # not even the birth-date part


def test_page_numbers_and_confidential_on_every_page(nl_pdf):
    reader, pages, _ = nl_pdf
    n = len(reader.pages)
    assert n >= 2
    for i, page in enumerate(pages, 1):
        assert f"Pagina {i} van {n}" in page
        assert "VERTROUWELIJK" in page.upper()


def test_accented_names_extract_exactly(nl_pdf):
    _, pages, _ = nl_pdf
    text = "\n".join(pages)
    for name in ("Zoë Çelik-Lefèvre", "Gergő Szabó", "Outplacement Brécourt bv", "Ŝtål"):
        assert name in text, name


def test_contents_of_the_sections(nl_pdf):
    _, pages, _ = nl_pdf
    text = squash("\n".join(pages))
    assert "04/10/2024" in text or "minstens" in text
    assert "minstens 6 maanden" in text                   # 49 at the announcement: 6 months
    assert "minstens 60 uur; tot nu toe 3,5 uur gebruikt" in text
    assert "ja, gedurende 6 maanden" in text              # ISV with 22 years of seniority
    assert "VERVALLEN op 05/01/2022" in text              # expired B-VCA flagged
    assert "geldig tot 01/02/2028" in text
    assert "te weinig kandidaten" in text and "kwalitatief tekort" in text and "arbeidsomstandigheden" in text
    assert "72 %" in text and "PLC-programmatie" in text and "SCADA" in text
    assert "15/01/2025" not in text and "14/02/2025" in text
    assert "& houdt een logboek bij <geen HTML>" in text  # user text is escaped, not parsed as markup
    assert "Gelezen en goedgekeurd" in text and "Plaats" in text
    assert "Keizerslaan 11, 1000 Brussel" in text and "toestemming is daarvoor niet nodig" in text
    assert "minstens 30 uur" in text and "minstens 3 maanden" in text   # rights from the cell rules
    assert "{" not in text and "}" not in text                        # every placeholder filled in


def test_limitations_only_when_the_plan_says_so(nl_pdf):
    _, pages, _ = nl_pdf
    assert "maximaal 10 kg" not in "\n".join(pages)
    assert "Functionele beperkingen" not in "\n".join(pages)
    _, pages, _ = render(make_input(print_limitations=True))
    assert "maximaal 10 kg" in "\n".join(pages)


def test_limitations_not_marked_printable_stay_off_paper():
    data = make_input(print_limitations=True)
    data.worker.limitations[0].printable = False
    _, pages, _ = render(data)
    assert "maximaal 10 kg" not in "\n".join(pages)


def test_french_speaking_worker_gets_a_french_document():
    def lookup(kind, key, lang):
        assert lang == "fr"
        return {("occupation", "occ_techniek"): "Technicien d'installations industrielles",
                ("competence", "c_mig"): "souder MIG/MAG",
                ("competence", "PLC-programmatie"): "programmation d'automates"}.get((kind, key))
    reader, pages, _ = render(make_input(language="fr"), label_lookup=lookup)
    text = squash("\n".join(pages))
    assert "Plan de trajet individuel" in text and "Individueel trajectplan" not in text
    for n, heading in enumerate(FR_HEADINGS, 1):
        assert f"{n}. {heading}" in text, heading
    assert f"Page 1 de {len(reader.pages)}" in text and "CONFIDENTIEL" in text.upper()
    assert "Lu et approuvé" in text and "Cellule pour l'emploi" in text
    assert "Technicien d'installations industrielles" in text and "Heftruckchauffeur" in text  # falls back
    assert "souder MIG/MAG" in text and "programmation d'automates" in text
    assert "pénurie quantitative" in text and "EXPIRÉE le 05/01/2022" in text
    assert "NISS" in text and "Responsable du traitement : VDAB" in text
    assert reader.metadata.title.startswith("Plan de trajet individuel")
    assert reader.trailer["/Root"]["/Lang"] == "fr-BE"


def test_metadata_fonts_and_no_helvetica(nl_pdf):
    from core.version import __version__
    reader, _, raw = nl_pdf
    meta = reader.metadata
    assert meta.title.startswith("Individueel trajectplan") and "Zoë Çelik-Lefèvre" in meta.title
    assert meta.author == "Werkbrug"
    assert meta.subject == "Individueel trajectplan in de tewerkstellingscel"
    assert __version__ in meta.creator
    assert reader.trailer["/Root"]["/Lang"] == "nl-BE"
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("DejaVuSans" in f for f in fonts), fonts
    assert b"Helvetica" not in raw
    assert reader.pages[0].mediabox.width == pytest.approx(595.27, abs=0.5)   # A4


def test_forty_actions_break_across_pages_with_repeated_header():
    reader, pages, _ = render(make_input(actions=40))
    assert len(reader.pages) >= 4
    with_actions = [p for p in pages if "Opleiding PLC module" in p]
    assert len(with_actions) >= 2
    for page in with_actions:
        assert "Aanbieder" in page and "Door wie" in page and "Einde of" in page
    text = squash("\n".join(pages))
    assert all(f"Opleiding PLC module {i}" in text for i in (1, 20, 40))


def test_concept_from_worker_record_says_so():
    data = make_input(stored=False)
    data.plan.targets = []
    _, pages, _ = render(data)
    text = squash("\n".join(pages))
    assert "Er zijn nog geen jobdoelwitten vastgelegd." in text
    assert "Conceptplan opgemaakt uit de werknemersfiche" in text


def test_combined_pdf_restarts_numbering_per_plan(tmp_path):
    inputs = {1: make_input(), 2: make_input(language="fr"), 3: make_input(actions=0)}
    seen = []
    result = write_plans([1, 2, 3], inputs.__getitem__, single=tmp_path / "all.pdf", today=TODAY,
                         progress=lambda f, t: seen.append(f))
    assert not result.cancelled and len(result.written) == 3
    reader = PdfReader(tmp_path / "all.pdf")
    texts = [p.extract_text() for p in reader.pages]
    assert len(reader.pages) == result.pages
    assert sum("Pagina 1 van" in t for t in texts) == 2 and sum("Page 1 de" in t for t in texts) == 1
    assert len(reader.outline) == 3
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)


def test_folder_of_pdfs_and_cancel(tmp_path):
    inputs = {1: make_input(), 2: make_input()}
    inputs[2].worker.id = 102
    result = write_plans([1, 2], inputs.__getitem__, out_dir=tmp_path / "out", today=TODAY)
    assert [f.name for f in result.files] == [plan_filename(inputs[1]), plan_filename(inputs[2])]
    assert all(f.exists() and f.read_bytes().startswith(b"%PDF") for f in result.files)
    assert plan_filename(inputs[1]) == "trajectplan_Celik-Lefevre_Zoe_101_v3.pdf"
    calls = []
    result = write_plans([1, 2], inputs.__getitem__, single=tmp_path / "x.pdf", today=TODAY,
                         is_cancelled=lambda: calls.append(1) or len(calls) > 1)
    assert result.cancelled and not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.pdf.part").exists()


def test_reference_lookup_adapter_reads_french_names():
    import types
    from core.plan_text import reference_label_lookup
    ref = types.SimpleNamespace(
        occupations=[types.SimpleNamespace(id="o1", name_nl="Lasser", name_fr="Soudeur")],
        competences=[types.SimpleNamespace(id="c1", label_nl="MIG/MAG lassen", label_fr="souder MIG/MAG",
                                           variants=("MAG lassen",))])
    lookup = reference_label_lookup(ref)
    assert lookup("occupation", "o1", "fr") == "Soudeur"
    assert lookup("competence", "c1", "fr") == "souder MIG/MAG"
    assert lookup("competence", "mag  Lassen", "fr") == "souder MIG/MAG"      # by label or variant
    assert lookup("occupation", "zzz", "fr") is None and lookup("occupation", "o1", "nl") is None


def test_embedded_reference_data_gives_french_names_and_rules():
    pytest.importorskip("core.reference")
    from core.plan_text import reference_label_lookup, reference_rules
    from core.reference import default_reference
    ref = default_reference()
    lookup = reference_label_lookup(ref)
    occ = ref.occupations[0]
    assert lookup("occupation", occ.id, "fr") == occ.name_fr
    rules = reference_rules(ref)
    assert rules.age_threshold == ref.rules.age_threshold
