"""Schema and content checks of the embedded reference data (resources/reference/*.toml)."""
from __future__ import annotations

import csv
import re
import shutil
import time
import unicodedata
from pathlib import Path

import pytest

from core.reference import ReferenceDataError, load_reference

SHARED = Path(__file__).parents[2].parent / "shared"
ESCO_OCCUPATIONS = SHARED / "esco" / "occupations_nl.csv"
ESCO_SKILL_GROUPS = SHARED / "esco" / "skillGroups_nl.csv"
needs_esco = pytest.mark.skipif(not ESCO_OCCUPATIONS.is_file(), reason=f"ESCO files not found under {SHARED}")

# Rows of the domain catalogue (FACTS 2.6) whose evidence is S, S? or M, and the occupation
# that carries each of them (rows 22 and 65 are source jobs, see source_occupations.toml).
FACTS_SHORTAGE_ROWS = {
    1: "lasser-mig-mag", 3: "lasser-pijplasser", 4: "lasser-monteerder", 5: "industrieel-plaatbewerker",
    6: "cnc-insteller-bediener", 9: "rigger-monteerder", 10: "kwaliteitscontroleur-metaal",
    13: "tekenaar-ontwerper-mechanica", 14: "werkvoorbereider-productie", 15: "ploegleider-productie",
    19: "carrosseriehersteller", 21: "technieker-werf-landbouw-hefmachines",
    23: "technicus-industriele-installaties", 24: "onderhoudsmecanicien-industrie", 25: "onderhoudselektricien",
    26: "elektromecanicien", 27: "technicus-industriele-automatisering", 29: "koeltechnicus", 30: "liftmonteur",
    31: "technicus-hvac", 32: "industrieel-reiniger", 33: "industrieel-elektrotechnisch-installateur",
    34: "residentieel-elektricien", 36: "monteur-elektrische-elektronische-producten",
    37: "technicus-elektronische-installaties", 38: "tekenaar-ontwerper-elektriciteit",
    40: "technicus-communicatienetwerken", 41: "procesoperator-chemie", 42: "operator-farma",
    47: "productieoperator-voeding", 48: "onderhoudstechnicus-voeding", 49: "uitsnijder-uitbener", 50: "bakker",
    53: "werfleider", 54: "calculator-bouw", 56: "bestuurder-grondverzetmachines", 60: "metselaar",
    61: "vloerder-tegelzetter", 62: "vrachtwagenchauffeur", 63: "heftruckchauffeur", 66: "verhuizer",
    67: "dispatcher", 68: "autobuschauffeur", 69: "analist-ontwikkelaar", 70: "supportmedewerker-ict",
    71: "plc-programmeur", 73: "technisch-commercieel-adviseur",
}
FACTS_SOURCE_ROWS = (22, 65)


def norm(text: str) -> str:
    """Simple surface normalisation: lower case, no accents or punctuation, single spaces."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


@pytest.fixture(scope="module")
def ref():
    return load_reference()


@pytest.fixture(scope="module")
def variant_index(ref):
    return {norm(label): c.id for c in ref.competences for label in c.labels}


# ---------------------------------------------------------------- sizes and versions

def test_sizes(ref):
    assert len(ref.occupations) >= 70
    assert len(ref.trainings) >= 60
    assert len(ref.source_occupations) >= 20
    assert 250 <= len(ref.competences) <= 400


def test_every_file_has_a_data_version(ref):
    assert set(ref.file_versions) == {"competences", "occupations", "source_occupations", "trainings",
                                      "rules", "labour_market", "education"}
    for name, version in ref.file_versions.items():
        assert re.fullmatch(r"\d{4}\.\d+", version), name
        assert f"{name}={version}" in ref.version


def test_loading_is_fast():
    best = min(_timed_load() for _ in range(3))
    assert best < 0.1, f"loading the reference data took {best * 1000:.0f} ms"


def _timed_load() -> float:
    start = time.perf_counter()
    load_reference()
    return time.perf_counter() - start


# ---------------------------------------------------------------- competences

def test_labels_and_variants_of_different_competences_do_not_collide(ref):
    owner: dict[str, str] = {}
    clashes = []
    for c in ref.competences:
        for label in c.labels:
            key = norm(label)
            assert key, f"{c.id}: label {label!r} is empty after normalisation"
            if owner.setdefault(key, c.id) != c.id:
                clashes.append((label, owner[key], c.id))
    assert not clashes


def test_attests_and_validity(ref):
    attests = {c.id for c in ref.competences if c.kind == "attest"}
    assert {"vca-basis", "vca-vol", "ba4", "ba5", "attest-heftruck", "code-95", "rijbewijs-c",
            "lasattest-iso-9606-1"} <= attests
    for c in ref.competences:
        if c.valid_years is not None:
            assert c.kind == "attest", c.id
            assert c.id in ref.rules.certificate_validity, f"{c.id} has valid_years but no rule"
    for cid, v in ref.rules.certificate_validity.items():
        assert ref.competence_by_id(cid).valid_years == v.years, cid
    years = {cid: v.years for cid, v in ref.rules.certificate_validity.items()}
    assert years["vca-basis"] == 10 and years["vca-vol"] == 10
    assert years["attest-heftruck"] == 5 and years["attest-besloten-ruimte"] == 3
    assert years["attest-rolbrug"] == 10 and years["lasattest-iso-9606-1"] == 3
    assert years["code-95"] == 5


def test_skill_groups_are_well_formed(ref):
    for c in ref.competences:
        if c.esco_skill_group is not None:
            assert re.fullmatch(r"[A-Z]\d+(\.\d+)*|[A-Z]|\d{2,4}", c.esco_skill_group), c.id


@pytest.mark.needs_shared
@needs_esco
def test_skill_groups_exist_in_esco(ref):
    with ESCO_SKILL_GROUPS.open(encoding="utf-8-sig", newline="") as fh:
        codes = {row["code"] for row in csv.DictReader(fh)}
    unknown = sorted({c.esco_skill_group for c in ref.competences if c.esco_skill_group} - codes)
    assert not unknown


def test_typical_counsellor_wording_is_covered(ref, variant_index):
    """Words as counsellors type them resolve to a competence of an occupation with the right ISCO code."""
    cases = [
        (["MAG lassen", "lasnaden controleren", "plannen lezen"], {"7212"}),
        (["CNC draaibank", "Siemens Sinumerik", "meetinstrumenten"], {"7223"}),
        (["huishoudelijke installaties", "AREI keuring voorbereiden", "BA4"], {"7411"}),
        (["storingsdiagnose", "mechanische herstellingen", "smeren en afstellen"], {"7233"}),
        (["controlekamer", "procesparameters bijsturen", "ploegendienst"], {"3133", "8131"}),
        (["heftruck", "scanner", "orders verzamelen"], {"8344", "4321", "9333"}),
        (["rijbewijs C", "vakbekwaamheid code 95", "laden en lossen"], {"8332"}),
        (["monteren volgens werkinstructies", "elektrisch gereedschap", "kwaliteitscontrole"], {"8211", "8219", "8212"}),
        (["verpakkingsmachine", "HACCP", "etiketten controleren"], {"8160"}),
        (["sanitaire leidingen", "afvoeren plaatsen", "lassen van PE-buizen"], {"7126"}),
        (["industrieel spuitwerk", "stralen"], {"7132"}),
        (["ploeg coachen", "productiedoelen opvolgen", "veiligheidsbriefings"], {"3122"}),
    ]
    for words, iscos in cases:
        ids = set()
        for w in words:
            assert norm(w) in variant_index, f"{w!r} is not a label or variant of any competence"
            ids.add(variant_index[norm(w)])
        fitting = [o.id for o in ref.occupations if o.isco in iscos and ids <= set(o.competence_ids)]
        assert fitting, f"no occupation with ISCO {sorted(iscos)} has all of {sorted(ids)}"


def test_brand_and_short_forms_are_known(variant_index):
    # "tig lassen rvs" is no variant: it names two competences (test_matching checks it gives both)
    for word in ["MIG/MAG", "TIG", "TIG lassen", "BA4", "BA5", "VCA", "VOL-VCA", "code 95", "CE",
                 "Siemens S7", "TIA Portal", "Sinumerik", "Fanuc", "Heidenhain", "Allen-Bradley",
                 "plannen lezen", "heftruckattest", "IS-001", "reachtruck", "HACCP", "GMP", "AREI"]:
        if word == "CE":
            word = "rijbewijs CE"
        assert norm(word) in variant_index, word


# ---------------------------------------------------------------- occupations

def test_occupation_competences(ref):
    for o in ref.occupations:
        ids = o.competence_ids
        assert 8 <= len(ids) <= 20, o.id
        assert len(set(ids)) == len(ids), o.id
        assert len(o.essential_ids) >= 3, o.id
        for cid in ids:
            assert ref.has_competence(cid), (o.id, cid)


def test_certificates_are_attests(ref):
    for o in ref.occupations:
        for cid in o.certificates_required + o.certificates_useful:
            assert ref.competence_by_id(cid).kind == "attest", (o.id, cid)


def test_occupation_fields(ref):
    vocab = ref.vocabulary
    for o in ref.occupations:
        assert o.sector in vocab["sectors"], o.id
        assert set(o.conditions) <= set(vocab["conditions"]), o.id
        assert o.reasons and set(o.reasons) <= {"KWANT", "KWAL", "ARB"}, o.id
        assert 1 <= o.vks <= 8, o.id
        assert re.fullmatch(r"\d{4}", o.isco), o.id
        assert re.fullmatch(r"[A-N]\d{4}", o.rome), o.id
        assert o.evidence.tag in vocab["evidence"] and o.evidence.source, o.id
        assert len(o.alt_labels_nl) >= 2, o.id


def test_every_shortage_occupation_of_the_catalogue_is_present(ref):
    for row, oid in FACTS_SHORTAGE_ROWS.items():
        o = ref.occupation_by_id(oid)
        assert o.facts_ref == row, oid
        assert o.bottleneck, oid
        assert o.evidence.tag in {"S", "S?", "M", "S+M"}, oid
    refs = {o.facts_ref for o in ref.occupations if o.facts_ref is not None}
    assert refs == set(range(1, 74)) - set(FACTS_SOURCE_ROWS)


def test_occupation_names_do_not_collide(ref):
    owner: dict[str, str] = {}
    for o in ref.occupations:
        for label in o.labels_nl:
            key = norm(label)
            assert owner.setdefault(key, o.id) == o.id, f"{label!r}: {owner[key]} and {o.id}"
    names_fr = [norm(o.name_fr) for o in ref.occupations]
    assert len(set(names_fr)) == len(names_fr)


def test_expected_isco_codes(ref):
    isco = {o.id: o.isco for o in ref.occupations}
    assert isco["lasser-mig-mag"] == "7212"
    assert isco["cnc-draaier"] == "7223" and isco["cnc-frezer"] == "7223"
    assert isco["residentieel-elektricien"] == "7411"
    assert isco["onderhoudselektricien"] == "7412"
    assert isco["onderhoudsmecanicien-industrie"] == "7233"
    assert isco["procesoperator-chemie"] in {"3133", "8131"}
    assert isco["heftruckchauffeur"] == "8344"
    assert isco["vrachtwagenchauffeur"] == "8332"
    assert isco["assemblagemedewerker-metaal"] in {"8211", "8212", "8219"}
    assert isco["verpakkingsoperator-voeding"] == "8160"
    assert isco["sanitair-installateur"] == "7126"
    assert isco["industrieel-schilder"] == "7132"
    assert isco["ploegleider-productie"] == "3122"


@pytest.mark.needs_shared
@needs_esco
def test_esco_uris_exist_with_their_isco_code(ref):
    with ESCO_OCCUPATIONS.open(encoding="utf-8-sig", newline="") as fh:
        isco_of = {row["conceptUri"]: row["iscoGroup"] for row in csv.DictReader(fh)}
    for o in ref.occupations:
        assert o.esco_uri in isco_of, f"{o.id}: {o.esco_uri} not in ESCO"
        assert isco_of[o.esco_uri] == o.isco, f"{o.id}: ESCO says {isco_of[o.esco_uri]}, data says {o.isco}"
    for s in ref.source_occupations:
        if s.esco_uri:
            assert isco_of.get(s.esco_uri) == s.isco, s.id


# ---------------------------------------------------------------- source occupations and trainings

def test_source_occupations(ref):
    ids = {s.id for s in ref.source_occupations}
    for needed in ["productieoperator", "bandwerker-automotive", "assemblagemedewerker", "lijnoperator",
                   "machineoperator", "magazijnier", "orderpicker-magazijn", "ploegleider", "administratief-bediende",
                   "kwaliteitscontroleur", "verpakkingsoperator", "lasser-productie", "onderhoudsmedewerker"]:
        assert needed in ids
    for s in ref.source_occupations:
        assert s.competences and s.transitions, s.id
        for cid in s.competences:
            assert ref.has_competence(cid), (s.id, cid)
        for oid in s.transitions:
            ref.occupation_by_id(oid)


def test_trainings(ref):
    for t in ref.trainings:
        assert t.teaches, t.id
        for cid in t.teaches + t.prerequisites:
            assert ref.has_competence(cid), (t.id, cid)
        assert t.indicative is True
        assert t.duration_weeks_indicative > 0
        assert t.route in ref.vocabulary["routes"]
    assert {t.route for t in ref.trainings} == {"OC", "IBO", "OKOT", "DL", "EVC", "SEC"}


def test_every_trainable_essential_competence_has_a_training(ref):
    missing = sorted({cid for o in ref.occupations for cid in o.essential_ids
                      if ref.competence_by_id(cid).kind != "soft_skill" and not ref.trainings_teaching(cid)})
    assert not missing


def test_lookups(ref):
    assert ref.competence_by_id("lassen-mig-mag").label_nl.startswith("MIG/MAG")
    assert ref.occupation_by_id("lasser-mig-mag").isco == "7212"
    assert any(t.id == "oc-lasser-mig-mag" for t in ref.trainings_teaching("lassen-mig-mag"))
    assert ref.trainings_teaching("bestaat-niet") == ()
    with pytest.raises(KeyError):
        ref.occupation_by_id("bestaat-niet")


def test_french_names_present(ref):
    for items, attr in [(ref.competences, "label_fr"), (ref.occupations, "name_fr"),
                        (ref.source_occupations, "name_fr"), (ref.trainings, "name_fr"), (ref.diplomas, "label_fr")]:
        for item in items:
            assert getattr(item, attr).strip(), item.id


# ---------------------------------------------------------------- rules, labour market, education

def test_rules_hold_the_legal_numbers(ref):
    v = ref.rules.values()
    assert v["age_threshold"] == 45
    assert (v["registration_months_under"], v["registration_months_over"]) == (3, 6)
    assert (v["outplacement_hours_under"], v["outplacement_hours_over"]) == (30, 60)
    assert (v["frontload_hours"], v["frontload_months"]) == (20, 2)
    assert v["isv_min_seniority_years"] == 1
    assert (v["isv_months_under"], v["isv_months_over"]) == (3, 6)
    assert (v["cell_open_months_under"], v["cell_open_months_over"]) == (3, 6)
    assert (v["renault_cooling_off_days"], v["renault_extension_max_days"]) == (30, 30)
    assert v["idle_contact_days"] == 30
    for rule in ref.rules.items.values():
        assert rule.tag in {"S", "S?", "G"} and rule.source, rule.id


def test_rules_feed_the_cell_rules():
    cell_rules = pytest.importorskip("core.cell_rules")
    from dataclasses import fields
    values = load_reference().rules.values()
    names = [f.name for f in fields(cell_rules.CellRules) if f.name != "version"]
    assert set(names) <= set(values)
    cell_rules.CellRules(**{n: values[n] for n in names})


def test_labour_market_seed(ref):
    lm = ref.labour_market
    assert lm.source == "Steunpunt Werk op basis van VDAB-gegevens"
    assert [p.year for p in lm.points] == list(range(2014, 2023))
    assert [p.bottleneck_pct for p in lm.points] == [27.2, 28.4, 30.0, 34.2, 38.6, 38.9, 38.4, 43.1, 46.2]
    assert [p.critical_bottleneck_pct for p in lm.points] == [13.0, 12.0, 14.7, 16.3, 22.1, 21.8, 22.0, 24.8, 28.2]


def test_education(ref):
    assert [lvl.level for lvl in ref.education_levels] == list(range(1, 9))
    by_id = {d.id: d for d in ref.diplomas}
    assert by_id["bso-6de-jaar"].group == "midden" and by_id["bso-6de-jaar"].vks == 3
    assert by_id["bso-7de-jaar"].vks == 4 and by_id["tso"].vks == 4
    assert by_id["graduaat"].group == "hoog" and by_id["graduaat"].vks == 5
    for legacy in ("a1", "a2", "a3"):
        assert by_id[legacy].tag == "G"
    assert {d.group for d in ref.diplomas} == {"laag", "midden", "hoog", "andere"}
    owner: dict[str, str] = {}
    for d in ref.diplomas:
        for label in (d.label_nl, *d.variants):
            assert owner.setdefault(norm(label), d.id) == d.id, label


# ---------------------------------------------------------------- malformed data

@pytest.fixture
def data_copy(tmp_path):
    src = Path(__file__).parents[2] / "resources" / "reference"
    dst = tmp_path / "reference"
    shutil.copytree(src, dst)
    return dst


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unknown_competence_is_reported_with_file_and_entry(data_copy):
    _replace(data_copy / "occupations.toml", '{ id = "lassen-mig-mag", essential = true }',
             '{ id = "lassen-onbekend", essential = true }')
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(data_copy)
    msg = str(exc.value)
    assert "occupations.toml" in msg and "lasser-mig-mag" in msg and "lassen-onbekend" in msg


def test_bad_field_type_is_reported(data_copy):
    _replace(data_copy / "trainings.toml", "duration_weeks_indicative = 20", 'duration_weeks_indicative = "twintig"')
    with pytest.raises(ReferenceDataError, match="trainings.toml.*duration_weeks_indicative"):
        load_reference(data_copy)


def test_missing_file_and_bad_toml_are_reported(data_copy):
    (data_copy / "rules.toml").write_text("version = \n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="rules.toml"):
        load_reference(data_copy)
    (data_copy / "rules.toml").unlink()
    with pytest.raises(ReferenceDataError, match="rules.toml.*ontbreekt"):
        load_reference(data_copy)


def test_bad_version_and_duplicate_ids_are_reported(data_copy):
    _replace(data_copy / "labour_market.toml", 'version = "2026.1"', 'version = "nieuw"')
    with pytest.raises(ReferenceDataError, match="labour_market.toml.*JJJJ.N"):
        load_reference(data_copy)
    _replace(data_copy / "labour_market.toml", 'version = "nieuw"', 'version = "2026.1"')
    _replace(data_copy / "competences.toml", 'id = "lassen-tig"', 'id = "lassen-mig-mag"')
    with pytest.raises(ReferenceDataError, match="competences.toml.*lassen-mig-mag.*meer dan eens"):
        load_reference(data_copy)


def test_what_an_attest_proves_is_checked(ref, data_copy):
    assert ref.competence_by_id("attest-heftruck").implies == ("heftruck-rijden",)
    for c in ref.competences:
        if c.implies:
            assert c.kind == "attest" and all(ref.competence_by_id(x) for x in c.implies), c.id
    _replace(data_copy / "competences.toml", 'implies = ["heftruck-rijden"]', 'implies = ["heftruck-vliegen"]')
    with pytest.raises(ReferenceDataError, match="competences.toml.*heftruck-vliegen"):
        load_reference(data_copy)


def test_only_an_attest_proves_competences(data_copy):
    _replace(data_copy / "competences.toml", 'kind = "attest"\nesco_skill_group = "S8.1.1"',
             'kind = "vaardigheid"\nesco_skill_group = "S8.1.1"')
    with pytest.raises(ReferenceDataError, match="enkel een attest"):
        load_reference(data_copy)


def test_changed_reference_data_has_a_new_version():
    """A database takes the embedded reference data again only when its version changes
    (db.reference_store.sync_embedded): a file changed under the same version would never reach
    the databases already in use. tests/data/reference_versions.json records the content of each
    version; after a change, raise the file's version and record it."""
    import hashlib
    import json
    import tomllib
    folder = Path(__file__).parents[2] / "resources" / "reference"
    recorded = json.loads((Path(__file__).parents[1] / "data" / "reference_versions.json").read_text("utf-8"))
    assert set(recorded) == {f.name for f in folder.glob("*.toml")}
    for f in sorted(folder.glob("*.toml")):
        data = f.read_bytes()
        version = tomllib.loads(data.decode("utf-8"))["version"]
        if version == recorded[f.name]["version"]:
            assert hashlib.sha256(data).hexdigest() == recorded[f.name]["sha256"], \
                f"{f.name} changed but its version is still {version}"


def test_an_occupation_that_asks_physical_strength_is_heavy_work(ref):
    """Asking "Fysiek belastbaar" (orderpicking, lifting) means heavy work: a lifting limitation conflicts."""
    for o in ref.occupations:
        if "fysiek-belastbaar" in o.competence_ids:
            assert "zwaar_werk" in o.conditions, o.id
