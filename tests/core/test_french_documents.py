"""A French-speaking worker's plan and access document contain no Dutch: the fixed vocabularies (limitation
kinds, shift regimes, bottleneck reasons) come from the label files, a known certificate prints under its
French name with the name on file after it, and the French reads right ("inconnue", "0 heure", " :")."""
import dataclasses
import datetime as dt
import io
import json
import re

import pytest
from pypdf import PdfReader

from core.cell_rules import CellRules
from core.gdpr_pdf import write_access_pdf
from core.model import (Certificate, Dossier, Experience, FunctionalLimitation, PlanTarget, TrajectoryPlan, Worker)
from core.plan_pdf import PlanInput, plan_pdf_bytes
from core.plan_text import plan_texts, reference_label_lookup
from db.gdpr import _json_default

TODAY = dt.date(2026, 11, 28)


def elodie(language="fr") -> Worker:
    return Worker("Lefèvre", "Élodie Françoise", birth_date=dt.date(1985, 7, 30), street="Chaussée de Gand 123",
                  postcode="1080", municipality="Molenbeek-Saint-Jean", preferred_language=language,
                  dismissal_date=dt.date(2026, 10, 31), counsellor="beheer", id=13, dossier_id=2,
                  shift_regime="2-ploegen",
                  experiences=[Experience("Delhaize Zellik", "Cariste", start_date=dt.date(2010, 3, 1),
                                          end_date=dt.date(2026, 10, 31), shift_regime="2-ploegen")],
                  certificates=[Certificate("attest-heftruck", "Attest heftruck", dt.date(2019, 5, 12)),
                                Certificate("vca-basis", "VCA basis", dt.date(2018, 5, 1), dt.date(2028, 5, 1))],
                  limitations=[FunctionalLimitation("lang staan", "pas plus de 4 heures debout d'affilée",
                                                    printable=True)])


def plan(worker_id=13) -> TrajectoryPlan:
    return TrajectoryPlan(worker_id=worker_id, version=1, counsellor="", print_limitations=True,
                          targets=[PlanTarget("heftruckchauffeur", "Heftruckchauffeur", ["KWANT", "ARB"], 0.8)])


DOSSIER = Dossier("Testcel Rapport NV", announcement_date=dt.date(2026, 9, 1), cell_start_date=dt.date(2026, 9, 15),
                  id=2)


@pytest.fixture(scope="module")
def lookup():
    return reference_label_lookup()


def plan_text(lookup, language="fr") -> str:
    data = PlanInput(plan=plan(), worker=elodie(language), dossier=DOSSIER, rules=CellRules(),
                     counsellor_name="Bea Heerder")
    raw = plan_pdf_bytes(data, today=TODAY, label_lookup=lookup)
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(raw)).pages))


def access_text(tmp_path, lookup, language="fr", counsellor_name=None) -> str:
    w = elodie(language)
    rec = {"format": "werkbrug-inzage", "version": 1, "created": "2026-11-28T09:20:00Z", "sensitive_included": True,
           "worker": dataclasses.asdict(w), "contacts": [], "plans": [dataclasses.asdict(plan())],
           "dossier": {"id": 2, "company_name": "Testcel Rapport NV", "kbo_number": "", "status": "actief"},
           "processing_log": []}
    rec = json.loads(json.dumps(rec, default=_json_default))
    kw = {"counsellor_name": counsellor_name} if counsellor_name else {}
    out = write_access_pdf(rec, tmp_path / "inzage.pdf", today=TODAY, label_lookup=lookup, **kw)
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(out).pages))


def test_french_plan_has_no_dutch_vocabulary(lookup):
    text = plan_text(lookup)
    assert "station debout prolongée (pas plus de 4 heures debout d'affilée)" in text
    assert "lang staan" not in text and "KWANT" not in text and "ARB" not in text
    assert "trop peu de candidats sur le marché du travail" in text
    assert "Mobilité inconnue" in text and "Mobilité inconnu " not in text
    assert "0 heure utilisée" in text and not re.search(r"\b0 heures", text)
    assert "0 heure prévue ou suivie" in text
    assert "Attestation chariot élévateur (IS-001) (Attest heftruck)" in text


def test_dutch_plan_keeps_its_words(lookup):
    text = plan_text(lookup, "nl")
    assert "lang staan (pas plus de 4 heures debout d'affilée)" in text
    assert "te weinig kandidaten op de arbeidsmarkt" in text and "KWANT" not in text
    assert "Mobiliteit niet gekend" in text and "0 uur gebruikt" in text
    assert "Attest heftruck" in text


def test_french_access_document_has_no_dutch_vocabulary(tmp_path, lookup):
    text = access_text(tmp_path, lookup)
    assert "station debout prolongée" in text and "lang staan" not in text
    assert "Régime de travail : 2 équipes" in text and "ploegen" not in text and "travail:" not in text
    assert "Attestation chariot élévateur (IS-001) (Attest heftruck)" in text
    assert "VCA de base (B-VCA) (VCA basis)" in text
    # the plan names the counsellor of the worker when it has none of its own, as the printed plan does
    assert "Conseiller non renseigné" not in text and "Conseiller beheer" in text


def test_access_document_names_the_counsellor_as_the_plan_does(tmp_path, lookup):
    text = access_text(tmp_path, lookup, counsellor_name=lambda v: {"beheer": "Bea Heerder"}.get(v, v))
    assert "Conseiller Bea Heerder" in text and "beheer" not in text


def test_dutch_access_document_keeps_the_typed_certificate(tmp_path, lookup):
    text = access_text(tmp_path, lookup, "nl")
    assert "Attest heftruck" in text and "Attestation" not in text
    assert "Werkregime: 2-ploegen" in text and "lang staan" in text


def test_every_limitation_kind_and_shift_regime_has_a_french_label():
    from core.model import LIMITATION_KINDS, SHIFT_REGIMES
    t = plan_texts("fr")
    for group, values in (("limitation_kind", LIMITATION_KINDS), ("shift_regime_value", SHIFT_REGIMES)):
        for v in values:
            assert f"{group}.{v}" in t.labels, (group, v)
            assert t.labels[f"{group}.{v}"]["nl"] == v
            assert t.value(group, v) != v, (group, v)
