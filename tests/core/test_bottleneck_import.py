"""Yearly bottleneck lists: reading (encodings, delimiters, reason formats), linking to the
catalogue with a confidence, the counsellor's choices, and files that are refused."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.bottleneck_import import (POSSIBLE, SURE, BottleneckFileError, link_rows, parse_reasons,
                                    preview_bottleneck_file, read_bottleneck_file)
from core.reference import default_reference

DATA = Path(__file__).resolve().parents[1] / "data" / "bottlenecks"


@pytest.fixture(scope="module")
def ref():
    return default_reference()


@pytest.mark.parametrize("text, reasons, unknown", [
    ("KWANT, KWAL", ("KWANT", "KWAL"), ()),
    ("KWAL;KWANT", ("KWANT", "KWAL"), ()),
    ("kwantitatief/kwalitatief/arbeidsomstandigheden", ("KWANT", "KWAL", "ARB"), ()),
    ("Kwantitatief tekort en specifieke arbeidsomstandigheden", ("KWANT", "ARB"), ()),
    ("kwalitatieve redenen", ("KWAL",), ()),
    ("ARB", ("ARB",), ()),
    ("", (), ()),
    ("KWANT, loon", ("KWANT",), ("loon",)),
])
def test_parse_reasons(text, reasons, unknown):
    assert parse_reasons(text) == (reasons, unknown)


def test_utf8_semicolon_list_links_and_leaves_unknown_jobs_unlinked(ref):
    p = preview_bottleneck_file(DATA / "knelpuntberoepen_2025.csv", ref)
    assert (p.year, p.encoding, p.delimiter) == (2025, "utf-8", ";")
    by_name = {r.name: r for r in p.rows}
    assert by_name["Lasser MIG/MAG"].occupation_id == "lasser-mig-mag"
    assert by_name["CNC-operator"].occupation_id == "cnc-insteller-bediener"
    assert by_name["Onderhoudstechnicus industriële installaties"].occupation_id == "technicus-industriele-installaties"
    assert by_name["Onderhoudstechnicus industriële installaties"].reasons == ("KWANT", "KWAL", "ARB")
    assert by_name["Vrachtwagenchauffeur"].status == "zeker" and by_name["Vrachtwagenchauffeur"].confidence >= 0.85
    assert {r.name for r in p.unlinked()} == {"Verpleegkundige", "Boekhouder"}
    assert all(r.status == "niet gekoppeld" for r in p.unlinked())
    sel = p.selection()
    assert sel["heftruckchauffeur"] == (("KWANT",), "Heftruckchauffeur")
    assert len(p.not_listed()) == len(ref.occupations) - len(sel)
    assert "2 niet gekoppeld" in p.summary()


def test_cp1252_comma_list_with_words_and_year_column(ref):
    p = preview_bottleneck_file(DATA / "knelpuntlijst_2024_cp1252.csv", ref)
    assert (p.year, p.encoding, p.delimiter) == (2024, "cp1252", ",")
    by_name = {r.name: r for r in p.rows}
    assert "Installateur fotovoltaïsche systemen" in by_name             # decoded, not mangled
    assert by_name["Installateur fotovoltaïsche systemen"].occupation_id == "installateur-pv-laadpalen"
    assert by_name["Lasser TIG (RVS/aluminium)"].reasons == ("KWANT", "KWAL")
    assert by_name["Kraanmachinist"].reasons == ("KWANT", "ARB")
    for r in p.rows:       # the status follows the confidence (the exact scores belong to the title matcher)
        expected = "zeker" if r.confidence >= SURE else "onzeker" if r.confidence >= POSSIBLE else "niet gekoppeld"
        assert r.status == expected and (r.occupation_id is None) == (expected == "niet gekoppeld")
    assert p.uncertain() == [r for r in p.rows if r.status == "onzeker"]


def test_confidence_thresholds_decide_the_status(ref):
    from core.titles import TitleMatch

    class FixedScores:
        scores = {"zeker": ("lasser-tig", 97.0), "twijfel": ("rigger-monteerder", 70.0),
                  "ver": ("metselaar", 40.0)}

        def query(self, text, top):
            oid, score = self.scores[text]
            return [TitleMatch(oid, text, "", score, "preferred")]

    lines = [(2, "zeker", "KWANT", None), (3, "twijfel", "ARB", None), (4, "ver", "KWAL", None)]
    p = link_rows(lines, ref, year=2025, matcher=FixedScores())
    assert [r.status for r in p.rows] == ["zeker", "onzeker", "niet gekoppeld"]
    assert [r.occupation_id for r in p.rows] == ["lasser-tig", "rigger-monteerder", None]
    assert p.rows[2].candidates[0].occupation_id == "metselaar"      # still offered in the combo
    assert p.uncertain() == [p.rows[1]] and p.unlinked() == [p.rows[2]]
    p.choose(2, "metselaar")
    assert p.rows[2].status == "gekozen" and p.rows[2].confidence == 0.4


def test_one_column_per_reason_and_year_override(ref):
    p = preview_bottleneck_file(DATA / "knelpunten_kolommen.csv", ref, year=2023)
    assert p.year == 2023 and not p.notes
    assert {r.name: r.reasons for r in p.rows} == {
        "Bakker": ("KWANT", "ARB"), "Dakdekker": ("KWANT", "ARB"),
        "PLC-programmeur": ("KWANT", "KWAL"), "Analist-programmeur": ("KWANT", "KWAL")}
    assert [r.occupation_id for r in p.rows] == ["bakker", "dakdekker", "plc-programmeur", "analist-ontwikkelaar"]


def test_without_year_the_current_year_is_assumed_with_a_note(ref):
    import datetime as dt
    p = preview_bottleneck_file(DATA / "knelpunten_kolommen.csv", ref)
    assert p.year == dt.date.today().year and "aangenomen" in p.notes[0]


def test_counsellor_choices_and_duplicates(ref):
    p = preview_bottleneck_file(DATA / "knelpuntberoepen_2025.csv", ref)
    i_nurse = next(i for i, r in enumerate(p.rows) if r.name == "Verpleegkundige")
    i_mig = next(i for i, r in enumerate(p.rows) if r.name == "Lasser MIG/MAG")
    p.choose(i_nurse, "lasser-mig-mag")          # silly, but the counsellor decides
    assert p.rows[i_nurse].status == "gekozen"
    assert p.duplicates() == {"lasser-mig-mag": [p.rows[i_mig].line, p.rows[i_nurse].line]}
    assert p.selection()["lasser-mig-mag"][0] == ("KWANT", "KWAL", "ARB")         # reasons joined
    p.choose(i_mig, None)
    assert p.rows[i_mig].status == "niet gekoppeld"
    p.choose(i_mig, "lasser-mig-mag")
    assert p.rows[i_mig].status == "zeker"
    with pytest.raises(KeyError):
        p.choose(0, "bestaat-niet")


@pytest.mark.parametrize("name, words", [
    ("leeg.csv", "leeg"),
    ("zonder_naamkolom.csv", "geen kolom met de naam"),
    ("onleesbaar.csv", "tekenset"),
    ("werkblad.csv", "Excel"),
    ("bestaat_niet.csv", "bestaat niet"),
])
def test_bad_files_give_a_dutch_message(name, words):
    with pytest.raises(BottleneckFileError) as e:
        read_bottleneck_file(DATA / name)
    assert words in str(e.value)


def test_header_only_and_utf16(tmp_path, ref):
    f = tmp_path / "alleen_kop.csv"
    f.write_text("Beroep;Redenen\n", encoding="utf-8")
    with pytest.raises(BottleneckFileError, match="geen beroepen"):
        read_bottleneck_file(f)
    g = tmp_path / "lijst_2022.csv"
    g.write_text("Beroep\tRedenen\nMetselaar\tKWANT\n", encoding="utf-16")
    p = preview_bottleneck_file(g, ref)
    assert p.year == 2022 and p.rows[0].occupation_id == "metselaar" and p.delimiter == "\t"
    assert "geen reden" not in " ".join(p.notes)
