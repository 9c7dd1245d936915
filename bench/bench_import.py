"""Import speed: 10,000 employer rows (CSV, cp1252, semicolons) read, validated and written.

Prints the time of each step and the ratio against csv.reader over the same file in the same run.
Target: the whole import (read + preview + write) in at most 10 s.
"""
from __future__ import annotations

import csv
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.demo import insz_for  # noqa: E402
from core.importers import ImportPreview, guess_mapping, load_table  # noqa: E402
from core.model import Dossier  # noqa: E402
from db.connection import open_database  # noqa: E402
from db.dossiers import DossierRepository  # noqa: E402
from db.import_mappings import commit_import, existing_workers  # noqa: E402

N = 10_000


def make_file(path: Path) -> None:
    lines = ["Naam;Voornaam;Rijksregisternummer;Geboortedatum;Functie;Statuut;Adres;Postcode;Gemeente;Telefoon;E-mail"]
    for i in range(N):
        b = dt.date(1960 + i % 44, 1 + i % 12, 1 + i % 28)
        lines.append(f"Lefèvre{i};Anaïs{i};{insz_for(b, i % 997 + 1)};{b:%d/%m/%Y};Lasser;arbeider;"
                     f"Kerkstraat {i % 200};2500;Lier;0471 23 45 67;p{i}@example.be")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "lijst.csv"
        make_file(src)
        t0 = time.perf_counter()
        with open(src, encoding="cp1252", newline="") as fh:
            baseline_rows = sum(1 for _ in csv.reader(fh, delimiter=";"))
        baseline = time.perf_counter() - t0
        db = open_database(Path(tmp) / "bench.db")
        d = DossierRepository(db).add(Dossier("Bench NV", announcement_date=dt.date(2024, 4, 8)))
        t1 = time.perf_counter()
        table = load_table(src)
        t2 = time.perf_counter()
        preview = ImportPreview(table, guess_mapping(table.headers), d, existing_workers(db, d.id))
        t3 = time.perf_counter()
        ids = commit_import(db, preview.chosen_workers(True))
        t4 = time.perf_counter()
        db.conn.close()
    total = t4 - t1
    print(f"rows: {N} (csv.reader saw {baseline_rows - 1}), imported: {len(ids)}")
    print(f"baseline csv.reader: {baseline:.3f} s")
    print(f"read {t2 - t1:.3f} s, preview {t3 - t2:.3f} s, write {t4 - t3:.3f} s, total {total:.3f} s")
    print(f"ratio total/baseline: {total / baseline:.0f}x; target total <= 10 s: {'OK' if total <= 10 else 'TOO SLOW'}")
    return 0 if total <= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
