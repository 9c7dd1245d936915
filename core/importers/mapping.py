"""Which column of the employer's list is which worker field: guessed from the header names.

Headers are folded (lower case, no accents, no punctuation) and compared with Dutch, French and
English names of each field, first exactly and then with rapidfuzz (typos such as "Geboorte datum",
"Rijksregister nr", "Voornam"). Each field is given to at most one column; the caller can correct
the result, and the corrected mapping is remembered per employer.
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from core.i18n import tr
from core.importers.reader import fold

_CTX = "import"

# field -> (Dutch label, names seen in employers' lists)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "surname": ("Naam", ("naam", "achternaam", "familienaam", "nom", "nom de famille", "last name", "surname",
                         "name", "naam werknemer")),
    "first_names": ("Voornaam", ("voornaam", "voornamen", "prenom", "prenoms", "first name", "firstname",
                                 "given name")),
    "insz": ("INSZ", ("insz", "rijksregisternummer", "rijksregister", "rijksregister nr", "rrn", "rr nr",
                      "insz nummer", "niss", "numero de registre national", "registre national", "no national",
                      "numero niss", "national number", "ssin", "bisnummer")),
    "birth_date": ("Geboortedatum", ("geboortedatum", "geboren", "geboren op", "date de naissance", "naissance",
                                     "date of birth", "birth date", "dob", "datum geboorte",
                                     "datum van geboorte", "geboorte")),
    "sex": ("Geslacht", ("geslacht", "sexe", "gender", "sex", "m v")),
    "previous_job_title": ("Functie", ("functie", "beroep", "job", "functieomschrijving", "fonction", "function",
                                       "job title", "metier", "laatste functie")),
    "statute": ("Statuut", ("statuut", "statuut arbeider bediende", "arbeider bediende", "statut", "categorie",
                            "status arbeider bediende")),
    "seniority_start": ("Anciënniteit", ("anciënniteit", "ancienniteit", "datum in dienst", "in dienst sinds",
                                         "anciennete", "date d entree", "entree en service", "seniority",
                                         "start date", "in dienst", "indiensttreding", "datum indiensttreding")),
    "dismissal_date": ("Ontslagdatum", ("ontslagdatum", "datum ontslag", "uit dienst", "datum uit dienst",
                                        "date de licenciement", "date de sortie", "dismissal date", "ontslag",
                                        "datum van ontslag", "uitdiensttreding", "datum uitdiensttreding")),
    "street": ("Adres", ("adres", "straat", "straat en nummer", "adresse", "rue", "address", "street")),
    "postcode": ("Postcode", ("postcode", "postnummer", "code postal", "cp", "zip", "post code")),
    "municipality": ("Gemeente", ("gemeente", "woonplaats", "plaats", "stad", "commune", "localite", "ville",
                                  "city", "municipality")),
    "phone": ("Telefoon", ("telefoon", "telefoonnummer", "gsm", "tel", "telephone", "portable", "phone",
                           "mobile", "gsm nummer")),
    "email": ("E-mail", ("e mail", "email", "mail", "e mailadres", "emailadres", "courriel", "adresse e mail",
                         "adresse mail")),
    "highest_diploma": ("Diploma", ("diploma", "hoogste diploma", "opleiding", "studieniveau", "diplome",
                                    "niveau d etudes", "education")),
    "preferred_language": ("Taal", ("taal", "voorkeurtaal", "voorkeurstaal", "langue", "language")),
}

FIELD_ORDER = tuple(FIELDS)
REQUIRED = ("surname", "first_names")
_FUZZY_MIN = 82


def field_label(name: str) -> str:
    return tr(_CTX, FIELDS[name][0]) if name in FIELDS else name


_SYNONYMS = {f: tuple(fold(s) for s in names) for f, (_, names) in FIELDS.items()}


def score_header(header: str) -> list[tuple[int, str]]:
    """(score 0..100, field) for one header, best first."""
    h = fold(header)
    if not h:
        return []
    out = []
    for f, names in _SYNONYMS.items():
        if h in names or h.replace(" ", "") in (n.replace(" ", "") for n in names):
            out.append((100, f))
            continue
        best = 0.0
        for n in names:
            s = fuzz.ratio(h, n)
            if len(n) >= 4 and len(h) >= 4:
                s = max(s, fuzz.ratio(h.replace(" ", ""), n.replace(" ", "")))
                if h.startswith(n + " ") or h.endswith(" " + n):   # "Naam werknemer", "Datum geboortedatum"
                    s = max(s, 88)
            best = max(best, s)
        if best >= _FUZZY_MIN:
            out.append((int(best), f))
    out.sort(reverse=True)
    return out


def is_known_header(text: str) -> bool:
    s = score_header(text)
    return bool(s) and s[0][0] >= 90


@dataclass
class ColumnMapping:
    """Column index -> field name (or None: the column is not imported)."""
    columns: list[str | None]
    scores: list[int]

    def column_of(self, field: str) -> int | None:
        try:
            return self.columns.index(field)
        except ValueError:
            return None

    def set(self, column: int, field: str | None) -> None:
        """Give ``field`` to ``column``; a field belongs to one column only."""
        if field is not None and field not in FIELDS:
            raise ValueError(tr(_CTX, "Onbekend veld: {veld}").format(veld=field))
        if field is not None:
            self.columns = [None if c == field else c for c in self.columns]
        self.columns[column] = field
        self.scores[column] = 100

    def missing_required(self) -> list[str]:
        return [f for f in REQUIRED if f not in self.columns]

    def as_header_dict(self, headers: list[str]) -> dict[str, str]:
        """What is remembered for the employer: folded header text -> field."""
        return {fold(h): f for h, f in zip(headers, self.columns) if f}


def guess_mapping(headers: list[str], remembered: dict[str, str] | None = None) -> ColumnMapping:
    """Best assignment of fields to columns; a remembered mapping of this employer wins."""
    columns: list[str | None] = [None] * len(headers)
    scores = [0] * len(headers)
    taken: set[str] = set()
    if remembered:
        for i, h in enumerate(headers):
            f = remembered.get(fold(h))
            if isinstance(f, str) and f in FIELDS and f not in taken:
                columns[i], scores[i] = f, 100
                taken.add(f)
    candidates = []
    for i, h in enumerate(headers):
        if columns[i] is None:
            candidates.extend((s, -i, i, f) for s, f in score_header(h))
    for s, _, i, f in sorted(candidates, reverse=True):
        if columns[i] is None and f not in taken:
            columns[i], scores[i] = f, s
            taken.add(f)
    return ColumnMapping(columns, scores)


def mapping_from_user(headers: list[str], spec: dict[str, str | None], base: ColumnMapping | None = None
                      ) -> ColumnMapping:
    """Apply a correction ``{header or column number (1-based) or field: field or header or null}``.

    Both directions are accepted: ``{"Naam werknemer": "surname"}`` and ``{"surname": "Naam werknemer"}``.
    """
    m = base or ColumnMapping([None] * len(headers), [0] * len(headers))
    folded = [fold(h) for h in headers]

    def col(key: str) -> int | None:
        k = str(key).strip()
        if k.isdigit() and 1 <= int(k) <= len(headers):
            return int(k) - 1
        fk = fold(k)
        return folded.index(fk) if fk in folded else None

    for key, value in spec.items():
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)                  # {"surname": 3}: a column number
        if value is not None and not isinstance(value, str):
            raise ValueError(tr(_CTX, "Kolomkoppeling {sleutel} → {waarde} begrijp ik niet: de waarde moet één "
                                      "kolomnaam, kolomnummer of veld zijn (tekst), of null om de kolom niet te "
                                      "importeren.").format(sleutel=key, waarde=_shown(value)))
        c = col(key)
        if c is not None and (value is None or value in FIELDS or value == ""):
            m.set(c, value or None)
            continue
        c2 = col(value) if isinstance(value, str) else None
        if key in FIELDS and c2 is not None:
            m.set(c2, key)
            continue
        raise ValueError(tr(_CTX, "Kolomkoppeling {sleutel} → {waarde} begrijp ik niet: gebruik een kolomnaam en "
                                  "een veld ({velden}).").format(sleutel=key, waarde=value,
                                                                  velden=", ".join(FIELD_ORDER)))
    return m


def _shown(value) -> str:
    """A value of the user's JSON as they wrote it (shortened)."""
    import json
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."
