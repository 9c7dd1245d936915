"""The readable right-of-access document (GDPR art. 15): a document for the worker, not a dump."""
import dataclasses
import datetime as dt
import json
import re

import pytest
from pypdf import PdfReader

from core.gdpr_pdf import write_access_pdf
from core.model import (Certificate, Contact, Experience, FunctionalLimitation, LanguageSkill, Mobility, PlanAction,
                        PlanStatus, PlanTarget, Sex, TrajectoryPlan, Worker, WorkerCompetence)
from core.plan_text import reference_label_lookup
from core.validation import format_insz, mask_insz
from db.gdpr import _json_default

INSZ = "68031512303"
TODAY = dt.date(2026, 11, 28)


def record(language="nl", sensitive=False) -> dict:
    """What db.gdpr.worker_record returns, as the JSON file holds it (dates as ISO texts)."""
    w = Worker("Vandenbroucke", "Jean-François", insz=INSZ, birth_date=dt.date(1968, 3, 15), sex=Sex.M,
               street="Kerkstraat 1", postcode="9000", municipality="Gent", preferred_language=language,
               dismissal_date=dt.date(2026, 10, 31), counsellor="An Peeters", id=31, dossier_id=1,
               modified="2026-11-28T09:15:00Z",
               experiences=[Experience("Carrosserie NV", "Lasser-monteerder", start_date=dt.date(1990, 2, 1))],
               competences=[WorkerCompetence("tig lassen rvs", competence_id="lassen-tig", confidence=0.8731, level=3,
                                             evidence="lasattest 2019"),
                            WorkerCompetence("bloemschikken", level=2)],
               certificates=[Certificate("vca-basis", "VCA basis", dt.date(2018, 3, 1), dt.date(2028, 3, 1))],
               languages=[LanguageSkill("nl", "C2", "C2", "C1", "B2")],
               mobility=Mobility(driving_licences=["B"], own_car=True, max_commute_minutes=45),
               limitations=[FunctionalLimitation("tillen", "maximaal 10 kg", printable=False)])
    plan = TrajectoryPlan(worker_id=31, version=2, status=PlanStatus.AFGEDRUKT, counsellor="An Peeters",
                          created="2026-11-20T10:00:00Z", printed_at="2026-11-21T10:00:00Z",
                          targets=[PlanTarget("lasser-monteerder", "Lasser-monteerder / constructiebankwerker",
                                              ["KWANT"], 0.5197960498570018, ["TIG-lassen"],
                                              ["Afschrijven en aftekenen"], [])],
                          actions=[PlanAction("Heftruckchauffeur", "attest halen", "VDAB competentiecentrum",
                                              duration="1 weken", training_id="oc-heftruckchauffeur")],
                          agreements="Solliciteert elke week.", followups=[dt.date(2026, 12, 15)])
    data = dataclasses.asdict(w)
    if not sensitive:
        data.pop("limitations")
    rec = {"format": "werkbrug-inzage", "version": 1, "created": "2026-11-28T09:20:00Z",
           "sensitive_included": sensitive, "worker": data,
           "contacts": [dataclasses.asdict(Contact(dt.date(2026, 11, 3), "intake", 1.5, "Eerste gesprek", "An"))],
           "plans": [dataclasses.asdict(plan)],
           "dossier": {"id": 1, "company_name": "Carrosserie NV", "kbo_number": "0403170701", "status": "actief"},
           "processing_log": [{"ts": "2026-11-28T09:15:00Z", "actor": "an", "action": "change"},
                              {"ts": "2026-11-28T09:20:00Z", "actor": "an", "action": "export"}]}
    return json.loads(json.dumps(rec, default=_json_default))


def text_of(rec, tmp_path, **kw) -> str:
    out = write_access_pdf(rec, tmp_path / "inzage.pdf", today=TODAY, **kw)
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(out).pages))


@pytest.fixture(scope="module")
def lookup():
    return reference_label_lookup()


def test_dutch_document_reads_as_a_letter_not_a_dump(tmp_path, lookup):
    rec = record()
    text = text_of(rec, tmp_path, label_lookup=lookup)
    assert "Inzage in uw gegevens" in text and "Recht op inzage (AVG, artikel 15)" in text
    assert "Opgemaakt op 28/11/2026" in text
    for label in ("Naam", "Voornamen", "Geboortedatum", "Ontslagdatum", "Consulent", "Competenties", "Attesten",
                  "Werkervaring", "Contacten met de tewerkstellingscel", "Trajectplannen"):
        assert label in text, label
    assert "15/03/1968" in text and "31/10/2026" in text and "01/02/1990" in text
    assert "Geslacht man" in text and "Voorkeurstaal Nederlands" in text and "lopend" in text and "0403.170.701" in text
    # no raw field names, codes, ISO dates, ids or long decimals
    for raw in ("surname", "first_names", "birth_date", "competence_id", "confidence", "preferred_language",
                "missing_essential", "uid", "dossier_id", "2026-11-28", "1968-03-15", "0.519", "0.8731",
                "True", "False", "None", rec["worker"]["uid"], rec["plans"][0]["uid"]):
        assert raw not in text, raw
    # the INSZ as on the plan: masked, never in full
    assert mask_insz(INSZ) in text and INSZ not in text and format_insz(INSZ) not in text


def test_competences_by_name_with_level_and_scores_as_percentages(tmp_path, lookup):
    text = text_of(record(), tmp_path, label_lookup=lookup)
    assert f"{lookup('competence', 'lassen-tig', 'nl')} 3/4 tig lassen rvs" in text
    assert "lasattest 2019" in text
    assert "niet herkend in de competentielijst 2/4 bloemschikken" in text
    assert "52 %" in text and "Afschrijven en aftekenen" in text
    assert "1 week" in text and "1 weken" not in text
    assert "afgedrukt, te ondertekenen" in text and "20/11/2026" in text and "21/11/2026" in text
    assert "03/11/2026 intake 1,5 Eerste gesprek" in text


def test_health_data_only_when_included(tmp_path, lookup):
    text = text_of(record(), tmp_path, label_lookup=lookup)
    assert "maximaal 10 kg" not in text and "staan niet in dit document" in text
    text = text_of(record(sensitive=True), tmp_path, label_lookup=lookup)
    assert "maximaal 10 kg" in text and "Functionele beperkingen (gezondheidsgegevens)" in text


def test_processing_log_and_privacy_notice(tmp_path):
    text = text_of(record(), tmp_path)
    assert "Wie uw gegevens inkeek of wijzigde" in text and "gewijzigd" in text
    assert "Verwerkingsverantwoordelijke: VDAB" in text and "Vlaamse Toezichtcommissie" in text
    assert re.search(r"28/11/2026 \d\d:\d\d an", text)


def test_french_speaking_worker_gets_a_french_document(tmp_path, lookup):
    text = text_of(record("fr"), tmp_path, label_lookup=lookup)
    assert "Accès à vos données" in text and "Droit d'accès (RGPD, article 15)" in text
    for label in ("Nom", "Prénoms", "Date de naissance", "Compétences", "Plans de trajet", "NISS"):
        assert label in text, label
    assert "Sexe homme" in text and "Langue de préférence français" in text
    assert lookup("competence", "lassen-tig", "fr") in text and "non reconnue" in text
    assert "1 semaine" in text and "Cariste" in text and "centre de compétence VDAB" in text
    assert "weken" not in text and "Geboortedatum" not in text and "niet herkend" not in text
    assert "Établi le 28/11/2026" in text and "Responsable du traitement" in text


def test_without_reference_data_the_typed_phrase_is_shown(tmp_path):
    text = text_of(record(), tmp_path, lookup_factory=lambda: None)
    assert "tig lassen rvs 3/4 tig lassen rvs" in text
