"""Command line: import-workers, export-dossier, export-transfer / import-transfer, end to end."""
import json
import shutil
from pathlib import Path

import openpyxl

from cli.app import run

DATA = Path(__file__).resolve().parent / "data" / "import"


def _json(capsys):
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def _new_db(path, capsys):
    assert run(["--db", str(path), "--yes", "demo", "--workers", "3", "--json"]) == 0
    return _json(capsys)["dossier"]


def test_import_workers_dry_run_then_for_real(tmp_path, capsys):
    db = tmp_path / "w.db"
    dossier = _new_db(db, capsys)
    src = tmp_path / "lijst.csv"
    shutil.copy(DATA / "cp1252_puntkomma.csv", src)
    base = ["--db", str(db), "import-workers", str(src), "--dossier", str(dossier)]
    assert run(base + ["--dry-run", "--json"]) == 0
    res = _json(capsys)
    assert res == {"rows": 7, "chosen": 5, "rejected": 2, "imported": 0, "error_file": None, "dry_run": True}
    assert not (tmp_path / "lijst.fouten.csv").exists()
    assert run(base) == 2                                      # no terminal, no --yes: refused
    assert "--yes" in capsys.readouterr().err
    assert run(base + ["--yes", "--json", "--mapping", '{"E-mail": null}']) == 0
    res = _json(capsys)
    assert res["imported"] == 5 and Path(res["error_file"]).name == "lijst.fouten.csv"
    assert run(["--db", str(db), "workers", "--dossier", str(dossier), "--json"]) == 0
    assert len(_json(capsys)) == 8
    assert run(base + ["--mapping", "{kapot"]) == 2
    assert "JSON" in capsys.readouterr().err
    assert run(["--db", str(db), "import-workers", str(DATA / "leeg.csv"), "--dossier", str(dossier)]) == 2
    assert "leeg" in capsys.readouterr().err


def test_export_dossier(tmp_path, capsys):
    db = tmp_path / "e.db"
    dossier = _new_db(db, capsys)
    out = tmp_path / "overzicht.xlsx"
    assert run(["--db", str(db), "export-dossier", "--dossier", str(dossier), "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb["Werknemers"].max_row == 4
    assert run(["--db", str(db), "export-dossier", "--dossier", "999", "--out", str(out)]) == 2


def test_export_dossier_refuses_another_file_type(tmp_path, capsys):
    """Like ``plan --out x.txt``: a name with another file type is refused, never written as x.csv.xlsx; a
    name without one gets .xlsx."""
    db = tmp_path / "e.db"
    dossier = _new_db(db, capsys)
    for name in ("overzicht.csv", "overzicht.txt"):
        assert run(["--db", str(db), "export-dossier", "--dossier", str(dossier), "--out", str(tmp_path / name)]) == 2
        err = capsys.readouterr().err
        assert "moet op .xlsx eindigen" in err and "Er werd niets geschreven" in err
    assert not list(tmp_path.glob("overzicht*"))
    base = ["--db", str(db), "export-dossier", "--dossier", str(dossier), "--out"]
    assert run(base + [str(tmp_path / "overzicht")]) == 0
    assert (tmp_path / "overzicht.xlsx").is_file()


def _two_row_list(path):
    """A merged "Datum" over "geboorte" / "uit dienst" (the other names merged over both rows), one worker
    and a footer line."""
    import datetime as dt
    wb = openpyxl.Workbook()
    ws = wb.active
    for cell, text, merge in (("A1", "Naam", "A1:A2"), ("B1", "Voornaam", "B1:B2"), ("C1", "Datum", "C1:D1"),
                              ("E1", "INSZ", "E1:E2")):
        ws[cell] = text
        ws.merge_cells(merge)
    ws["C2"], ws["D2"] = "geboorte", "uit dienst"
    ws.append(["Goossens", "Bart", dt.datetime(1966, 3, 3), dt.datetime(2026, 12, 31), "66030300155"])
    ws.append(["Totaal: 1 werknemer"])
    wb.save(path)
    return path


def test_import_workers_two_row_header_footer_and_one_worker(tmp_path, capsys):
    db = tmp_path / "w.db"
    dossier = _new_db(db, capsys)
    src = _two_row_list(tmp_path / "merged2.xlsx")
    base = ["--db", str(db), "import-workers", str(src), "--dossier", str(dossier)]
    assert run(base + ["--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Datum geboorte" in out and "Datum uit dienst" in out and "niet importeren" not in out
    assert "FOUT" not in out and "1 geldig, 0 met waarschuwing, 0 met fout." in out
    assert "twee rijen (rij 1 en 2)" in out
    assert 'Rij 4 overgeslagen: een totaalregel ("Totaal: 1 werknemer"), geen werknemer.' in out
    assert run(base + ["--yes"]) == 0
    out = capsys.readouterr().out
    assert "1 werknemer geïmporteerd." in out and "werknemers" not in out
    assert not (tmp_path / "merged2.fouten.csv").exists()
    assert run(["--db", str(db), "workers", "--dossier", str(dossier), "--json"]) == 0
    bart = [w for w in _json(capsys) if w["surname"] == "Goossens"]
    assert len(bart) == 1


def test_transfer_between_two_databases(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("WERKBRUG_TRANSFER_PASSPHRASE", "Overdracht-Test-2026")
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    dossier = _new_db(a, capsys)
    _new_db(b, capsys)
    f = tmp_path / "overdracht.werkbrug"
    assert run(["--db", str(a), "export-transfer", "--dossier", str(dossier), "--out", str(f)]) == 0
    assert "niet meegenomen" in capsys.readouterr().out
    assert run(["--db", str(b), "import-transfer", str(f), "--json"]) == 0
    res = _json(capsys)
    assert res["added"] >= 4 and res["conflicts"] == []
    assert run(["--db", str(b), "import-transfer", str(f), "--json"]) == 0
    res = _json(capsys)
    assert res["added"] == 0 and res["updated"] == 0 and res["unchanged"] >= 4
    bad = tmp_path / "kapot.werkbrug"
    bad.write_bytes(f.read_bytes()[:200])
    assert run(["--db", str(b), "import-transfer", str(bad)]) == 2
    assert "beschadigd" in capsys.readouterr().err
    assert run(["--db", str(a), "export-transfer", "--dossier", str(dossier), "--out", str(f), "--workers", "x"]) == 2


def test_exports_and_imports_are_written_to_the_audit_trail(tmp_path, capsys, monkeypatch):
    from db.audit import AuditLog
    monkeypatch.setenv("WERKBRUG_TRANSFER_PASSPHRASE", "Overdracht-Test-2026")
    a = tmp_path / "a.db"
    dossier = _new_db(a, capsys)
    assert run(["--db", str(a), "export-dossier", "--dossier", str(dossier), "--out", str(tmp_path / "o.xlsx")]) == 0
    assert run(["--db", str(a), "export-transfer", "--dossier", str(dossier), "--out",
                str(tmp_path / "t.werkbrug")]) == 0
    capsys.readouterr()
    from cli.context import AppContext
    ctx = AppContext(db_path=a)
    try:
        actions = [(e.action, e.details.get("what")) for e in AuditLog(ctx.db).entries()]
    finally:
        ctx.close()
    assert ("export", "dossieroverzicht (xlsx)") in actions
    assert ("export", "overdrachtsbestand") in actions
