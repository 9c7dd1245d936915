"""Writes the sample employer lists in this folder (run once; the files are committed).

They look like what employers send: Excel with real date cells and INSZ stored as a number,
CSV from a Belgian Excel (semicolons, Windows-1252), UTF-8 with BOM, comma-separated, French.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from core.demo import insz_for  # noqa: E402

D = dt.date
PEOPLE = [  # surname, first names, birth date, counter, job, statute, street, postcode, municipality, phone, email
    ("Peeters", "Jan", D(1968, 3, 14), 33, "Lasser", "arbeider", "Kerkstraat 12", "2500", "Lier", "0471 23 45 67", "jan.peeters@example.be"),
    ("Lefèvre", "Anaïs", D(1979, 11, 2), 124, "Administratief bediende", "bediende", "Stationsstraat 5 bus 2", "2800", "Mechelen", "015 21 43 65", "anais.lefevre@example.be"),
    ("Çelik", "Mehmet", D(2005, 1, 23), 17, "Productieoperator", "arbeider", "Molenstraat 1", "3600", "Genk", "0489 11 22 33", ""),
    ("Van den Broeck", "Zoë", D(1961, 7, 30), 82, "Magazijnier", "arbeider", "Lindelei 40", "2220", "Heist-op-den-Berg", "", "zoe.vdb@example.be"),
    ("D'Hondt", "Pieter-Jan", D(1990, 5, 9), 45, "Onderhoudstechnicus", "arbeider", "Veldstraat 7", "9000", "Gent", "0470 00 11 22", ""),
]


def rows():
    for s, f, b, c, job, st, street, pc, city, phone, mail in PEOPLE:
        yield s, f, insz_for(b, c), b, job, st, street, pc, city, phone, mail


HEAD_NL = ["Naam", "Voornaam", "Rijksregisternummer", "Geboortedatum", "Functie", "Statuut", "Adres", "Postcode",
           "Gemeente", "Telefoon", "E-mail"]


def csv_line(values, sep=";"):
    out = []
    for v in values:
        v = str(v)
        out.append(f'"{v}"' if sep in v or '"' in v else v)
    return sep.join(out)


def main() -> None:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Personeel"
    ws.append(["Personeelslijst Demo Carrosseriebouw NV - collectief ontslag"])
    ws.append([])
    ws.append(["Naam", "Voornaam", "Rijksregister nr", "Geboorte datum", "Functie", "Statuut", "Anciënniteit",
               "Postcode", "Gemeente", "GSM"])
    for s, f, insz, b, job, st, street, pc, city, phone, mail in rows():
        ws.append([s, f, int(insz), b, job, st, D(b.year + 20, 9, 1), int(pc), city,
                   int(phone.replace(" ", "")) if phone else None])
        ws.cell(ws.max_row, 4).number_format = "DD/MM/YYYY"
        ws.cell(ws.max_row, 7).number_format = "DD/MM/YYYY"
    ws.append(["Janssens", "", "12345678901", "31/02/1970", "Lasser", "arbeider", None, 2500, "Lier", None])
    wb.save(HERE / "werkgever.xlsx")

    lines = [";".join(HEAD_NL)]
    for s, f, insz, b, job, st, street, pc, city, phone, mail in rows():
        lines.append(csv_line([s, f, insz, b.strftime("%d/%m/%Y"), job, st, street, pc, city, phone, mail]))
    lines.append(csv_line(["", "Kurt", "", "15/06/1975", "Lasser", "arbeider", "", "2500", "Lier", "", ""]))
    lines.append(csv_line(["Maes", "Els", "85.07.30-033.29", "30/07/1985", "Spuiter", "arbeider", "", "25OO", "Lier", "", ""]))
    (HERE / "cp1252_puntkomma.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))

    lines = [";".join(HEAD_NL)]
    for s, f, insz, b, job, st, street, pc, city, phone, mail in rows():
        lines.append(csv_line([s, f, f"{insz[:2]}.{insz[2:4]}.{insz[4:6]}-{insz[6:9]}.{insz[9:]}", b.strftime("%-d/%-m/%y"),
                               job, st, street, pc, city, phone, mail]))
    (HERE / "utf8_bom.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))

    lines = [",".join(["naam", "voornaam", "insz", "geboortedatum", "functie", "statuut", "adres", "postcode",
                       "gemeente", "telefoon", "email"])]
    for s, f, insz, b, job, st, street, pc, city, phone, mail in rows():
        lines.append(csv_line([s, f, str(int(insz)), b.isoformat(), job, st, street + ", " + pc, pc, city, phone,
                               mail], ","))
    (HERE / "komma.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    head_fr = ["Nom", "Prénom", "NISS", "Date de naissance", "Fonction", "Statut", "Ancienneté", "Adresse",
               "Code postal", "Commune", "Téléphone", "Courriel"]
    lines = [";".join(head_fr)]
    for s, f, insz, b, job, st, street, pc, city, phone, mail in rows():
        statut = {"arbeider": "ouvrier", "bediende": "employé"}[st]
        lines.append(csv_line([s, f, insz, b.strftime("%d.%m.%Y"), job, statut, "12", street, pc, city, phone, mail]))
    (HERE / "frans.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))

    (HERE / "alleen_kolommen.csv").write_bytes((";".join(HEAD_NL) + "\r\n").encode("cp1252"))
    (HERE / "leeg.csv").write_bytes(b"")
    (HERE / "kapot.csv").write_bytes(b"Naam;Voornaam\x00\x00\x00\xff\xfe\x00PK\x03\x04garbage\x00\x01\x02")
    (HERE / "kapot.xlsx").write_bytes((HERE / "werkgever.xlsx").read_bytes()[:700])


if __name__ == "__main__":
    main()
