"""import-workers without --with-warnings: rows that only have a warning are held back, and the command says
how many and how to take them along (a list without an INSZ column imported nothing, without a word why)."""
import json
from pathlib import Path

from cli.app import run


def _db(tmp_path, capsys):
    db = tmp_path / "w.db"
    assert run(["--db", str(db), "--yes", "demo", "--workers", "2", "--json"]) == 0
    return db, json.loads(capsys.readouterr().out.strip().splitlines()[-1])["dossier"]


def _list(path: Path) -> Path:
    path.write_text("Naam;Voornaam;Geboortedatum;Functie\n"
                    "Peeters;Jan;14/03/1968;Lasser\nMaes;An;09/05/1990;Magazijnier\n"
                    "Claes;Cas;01/02/1975;Operator\nDewit;Dirk;03/04/1980;Heftruckchauffeur\n", encoding="utf-8")
    return path


def test_rows_with_only_a_warning_are_named_with_the_option(tmp_path, capsys):
    db, dossier = _db(tmp_path, capsys)
    base = ["--db", str(db), "import-workers", str(_list(tmp_path / "lijst.csv")), "--dossier", str(dossier)]
    assert run(base + ["--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "0 geldig, 4 met waarschuwing, 0 met fout." in out
    assert "4 rijen met alleen een waarschuwing worden niet geïmporteerd; neem ze mee met --with-warnings" in out
    assert run(base + ["--yes"]) == 0
    out = capsys.readouterr().out
    assert "0 werknemers geïmporteerd." in out
    assert out.count("--with-warnings") == 2                  # in the preview and again after "0 geïmporteerd"
    assert run(base + ["--yes", "--with-warnings"]) == 0
    out = capsys.readouterr().out
    assert "4 werknemers geïmporteerd." in out and "--with-warnings" not in out


def test_one_held_back_row_is_singular(tmp_path, capsys):
    db, dossier = _db(tmp_path, capsys)
    src = tmp_path / "een.csv"
    src.write_text("Naam;Voornaam;Geboortedatum\nPeeters;Jan;14/03/1968\n", encoding="utf-8")
    assert run(["--db", str(db), "import-workers", str(src), "--dossier", str(dossier), "--dry-run"]) == 0
    assert "1 rij met alleen een waarschuwing wordt niet geïmporteerd" in capsys.readouterr().out
