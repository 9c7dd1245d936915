"""Command line: reference data synced at start-up, import-bottlenecks (preview, --yes),
reference-status, reference-variant, reference-revert, and match over the effective data."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "bottlenecks"


def cli(*args, input=None):
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True,
                          input=input, timeout=300)


def _status(db) -> dict:
    r = cli("--db", db, "reference-status", "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_first_command_syncs_the_reference_data(tmp_path):
    db = str(tmp_path / "w.db")
    st = _status(db)
    assert st["embedded_version"] == st["files_version"]
    assert st["counts"] == {"competence": 321, "occupation": 82, "source_occupation": 24, "training": 108}
    assert st["local"] == [] and st["bottleneck_years"] == []


def test_import_bottlenecks_previews_then_applies_with_yes(tmp_path):
    db = str(tmp_path / "w.db")
    f = str(DATA / "knelpuntberoepen_2025.csv")
    r = cli("--db", db, "import-bottlenecks", f)
    assert r.returncode == 0, r.stderr
    assert "Lasser MIG/MAG" in r.stdout and "niet gekoppeld" in r.stdout and "Verpleegkundige" in r.stdout
    assert "Er werd niets gewijzigd" in r.stderr
    assert _status(db)["bottleneck_years"] == []
    r = cli("--db", db, "import-bottlenecks", f, "--year", "2026", "--yes", "--json")
    assert r.returncode == 0, r.stderr
    preview = json.loads(r.stdout)
    assert preview["year"] == 2026 and "toegepast" in r.stderr
    linked = {x["occupation_id"] for x in preview["rows"] if x["occupation_id"]}
    assert len(linked) == 11 and len(preview["not_listed"]) == 82 - 11
    assert _status(db)["bottleneck_years"] == [2026]
    # match uses the new flags: an occupation not on the list is no bottleneck any more
    r = cli("--db", db, "match", "--top", "82", "--json",
            input=json.dumps({"id": "a", "job_title": "bakker", "competences": ["brood bakken"]}) + "\n")
    assert r.returncode == 0, r.stderr
    occ = {o["id"]: o for o in json.loads(r.stdout)["occupations"]}
    assert occ["bakker"]["bottleneck"] is False and occ["bakker"]["reasons"] == []
    assert occ["metselaar"]["bottleneck"] is True and occ["metselaar"]["reasons"] == ["KWANT", "ARB"]


def test_bad_bottleneck_files_change_nothing(tmp_path):
    db = str(tmp_path / "w.db")
    for name in ("leeg.csv", "zonder_naamkolom.csv", "onleesbaar.csv", "werkblad.csv"):
        r = cli("--db", db, "import-bottlenecks", str(DATA / name), "--yes")
        assert r.returncode == 2, (name, r.stderr)
        assert r.stderr.startswith("werkbrug: fout:") and "Traceback" not in r.stderr
    assert _status(db)["bottleneck_years"] == []
    r = cli("--db", db, "import-bottlenecks", str(DATA / "knelpunten_kolommen.csv"), "--year", "1800")
    assert r.returncode == 2


def test_variant_is_used_by_match_and_revert_needs_a_local_edit(tmp_path):
    db = str(tmp_path / "w.db")
    profile = json.dumps({"id": "p", "job_title": "", "competences": ["hermle spindelwerk"]}) + "\n"
    before = json.loads(cli("--db", db, "match", "--top", "3", "--json", input=profile).stdout)
    assert not any("CNC-frezen" in o["matched"] for o in before["occupations"])
    r = cli("--db", db, "reference-variant", "cnc-frezen", "hermle spindelwerk")
    assert r.returncode == 0, r.stderr
    after = json.loads(cli("--db", db, "match", "--top", "3", "--json", input=profile).stdout)
    assert any("CNC-frezen" in o["matched"] for o in after["occupations"])
    r = cli("--db", db, "reference-variant", "lassen-tig", "MIG lassen")
    assert r.returncode == 2 and "hoort al bij" in r.stderr
    r = cli("--db", db, "reference-revert", "lasser-tig")
    assert r.returncode == 2 and "geen lokale aanpassing" in r.stderr
