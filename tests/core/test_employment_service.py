"""A jobseeker stays registered with the public employment service of the region he lives in: the plan
names it from the worker's postcode (VDAB, Actiris, Le Forem, ADG) and says it neutrally when unknown."""
import dataclasses
import io
import re

import pytest
from pypdf import PdfReader

from core.plan_pdf import plan_pdf_bytes
from core.plan_text import employment_service, plan_texts, region_of_postcode


@pytest.mark.parametrize("postcode, region", [
    ("1000", "brussel"), ("1080", "brussel"), ("1200", "brussel"), ("1299", "brussel"),
    ("1300", "wallonie"), ("1348", "wallonie"), ("1499", "wallonie"), ("4000", "wallonie"), ("5000", "wallonie"),
    ("6000", "wallonie"), ("6700", "wallonie"), ("7000", "wallonie"), ("7999", "wallonie"),
    ("4800", "wallonie"), ("4960", "wallonie"),
    ("4700", "dg"), ("4720", "dg"), ("4780", "dg"), ("4790", "dg"),
    ("1500", "vlaanderen"), ("1800", "vlaanderen"), ("2000", "vlaanderen"), ("3000", "vlaanderen"),
    ("3500", "vlaanderen"), ("3999", "vlaanderen"), ("8000", "vlaanderen"), ("9000", "vlaanderen"),
    ("9999", "vlaanderen"),
    ("", None), ("0999", None), ("12345", None), ("L-1080", None), ("abcd", None),
])
def test_region_from_the_postcode(postcode, region):
    assert region_of_postcode(postcode) == region


def test_the_service_in_both_languages():
    assert employment_service("1080", "nl") == "bij Actiris"
    assert employment_service("1080", "fr") == "auprès d'Actiris"
    assert employment_service("2500", "nl") == "bij VDAB"
    assert employment_service("2500", "fr") == "auprès du VDAB"
    assert employment_service("6000", "fr") == "auprès du Forem"
    assert "ADG" in employment_service("4700", "nl")
    assert "openbare dienst voor arbeidsbemiddeling van uw gewest" in employment_service("", "nl")
    assert "service public de l'emploi de votre région" in employment_service("", "fr")


def _plan_text(postcode, language):
    from tests.core.test_plan_pdf import TODAY, make_input
    data = make_input(language=language)
    data = dataclasses.replace(data, worker=dataclasses.replace(data.worker, postcode=postcode))
    raw = plan_pdf_bytes(data, today=TODAY)
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(raw)).pages))


def test_a_brussels_resident_is_told_actiris():
    text = _plan_text("1080", "fr")
    assert "demandeur d'emploi auprès d'Actiris tant que" in text and "auprès du VDAB" not in text
    text = _plan_text("1080", "nl")
    assert "werkzoekende bij Actiris zolang" in text and "bij VDAB" not in text


def test_a_flemish_resident_keeps_vdab_and_an_unknown_one_reads_neutral():
    assert "werkzoekende bij VDAB zolang" in _plan_text("2500", "nl")
    text = _plan_text("", "nl")
    assert "werkzoekende bij de openbare dienst voor arbeidsbemiddeling van uw gewest" in text
    assert "{" not in text


def test_a_text_without_the_worker_still_fills_every_number():
    from core.cell_rules import CellRules
    _, items = plan_texts("nl").legal_items("duties", CellRules())
    assert all("{" not in item for item in items)
    assert any("openbare dienst voor arbeidsbemiddeling" in item for item in items)
