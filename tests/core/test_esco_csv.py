from pathlib import Path

import pytest

from core.esco_csv import (EscoFormatError, available_languages, load_esco, read_occupations,
                           read_relations, read_skills)

MINI = Path(__file__).resolve().parents[1] / "data" / "esco_mini"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def test_v12_occupations_with_bom_multiline_and_extra_column():
    occ = read_occupations(MINI / "occupations_nl.csv")
    by = {o.uri: o for o in occ}
    h = by["http://data.europa.eu/esco/occupation/t-heftruck"]
    assert h.preferred_label == "heftruckchauffeur"
    assert h.alt_labels == ("vorkheftruckbestuurder", "heftruckbestuurster", "chauffeur heftruck")
    assert h.hidden_labels == ("heftrucker",)
    assert h.isco == "8344" and h.code == "8344.1" and h.lang == "nl"
    assert "\n" in h.description  # multi-line description kept
    assert len(occ) == 7


def test_v11_columns_without_code():
    occ = read_occupations(MINI / "v11" / "occupations_nl.csv")
    assert [o.preferred_label for o in occ] == ["kapper", "bakker"]
    assert occ[0].alt_labels == ("kapster", "coiffeur") and occ[0].code == "" and occ[0].isco == "5141"


def test_languages_side_by_side_and_full_load():
    assert available_languages(MINI) == ["en", "nl"]
    nl = load_esco(MINI, "nl")
    en = load_esco(MINI, "en")
    assert len(nl.occupations) == 7 and len(en.occupations) == 2
    assert en.occupations[0].preferred_label == "forklift operator"
    assert len(nl.skills) == 2 and nl.skills[0].alt_labels == ("met een heftruck rijden", "vorkheftruck bedienen")
    assert nl.relations[0].relation_type == "essential"
    assert en.relations == nl.relations  # relation files are language independent
    assert nl.isco_groups[0].code == "8344"
    assert nl.skill_groups[0].code == "S8"
    assert [e.level for e in nl.hierarchy] == [0, 1]


def test_skills_and_relations_readers():
    sk = read_skills(MINI / "skills_nl.csv")
    assert sk[1].preferred_label == "lassen" and sk[1].reuse_level == "cross-sector"
    rel = read_relations(MINI / "occupationSkillRelations_nl.csv")
    assert {r.skill_uri for r in rel} == {"http://data.europa.eu/esco/skill/s-heftruck",
                                          "http://data.europa.eu/esco/skill/s-lassen"}


@pytest.mark.parametrize("name, needle", [
    ("unterminated.csv", "regel 2"),
    ("badquote.csv", "regel 2"),
    ("nopref.csv", "preferredLabel"),
    ("emptyuri.csv", "regel 2"),
])
def test_bad_files_raise_dutch_error_naming_file(name, needle):
    with pytest.raises(EscoFormatError) as exc:
        read_occupations(MINI / "bad" / name)
    msg = str(exc.value)
    assert name in msg and needle in msg


def test_missing_required_file(tmp_path):
    with pytest.raises(EscoFormatError, match="occupations_nl.csv"):
        load_esco(tmp_path, "nl")
    with pytest.raises(EscoFormatError, match="niet gevonden"):
        read_occupations(tmp_path / "occupations_nl.csv")
    (tmp_path / "occupations_nl.csv").write_text("", encoding="utf-8")
    with pytest.raises(EscoFormatError, match="leeg"):
        load_esco(tmp_path, "nl")


def test_invalid_utf8(tmp_path):
    p = tmp_path / "occupations_nl.csv"
    p.write_bytes("conceptUri,preferredLabel\nhttp://x/1,inspici\u00ebnt\n".encode("latin-1"))
    with pytest.raises(EscoFormatError, match="UTF-8"):
        read_occupations(p)


@pytest.mark.needs_shared
def test_shared_esco_folder_parses():
    folder = SHARED / "esco"
    if not (folder / "occupations_nl.csv").exists():
        pytest.skip("../shared/esco is not available")
    ds = load_esco(folder, "nl")
    assert len(ds.occupations) > 2500
    assert all(o.uri.startswith("http") and o.preferred_label for o in ds.occupations)
    assert sum(len(o.alt_labels) for o in ds.occupations) > 10000
    assert all(o.isco.isdigit() for o in ds.occupations)
    assert ds.isco_groups and ds.skill_groups and ds.hierarchy


@pytest.mark.parametrize("name", ["occupations_nl.csv", "skills_nl.csv"])
def test_a_folder_with_the_name_of_an_esco_file_is_reported_not_skipped(tmp_path, name):
    import shutil
    shutil.copy(MINI / "occupations_nl.csv", tmp_path / "occupations_nl.csv")
    if name == "occupations_nl.csv":
        (tmp_path / name).unlink()
    (tmp_path / name).mkdir()
    with pytest.raises(EscoFormatError, match="geen gewoon bestand"):
        load_esco(tmp_path, "nl")
