"""A yearly bottleneck list (CSV) linked to the occupations of the reference data.

The VDAB publishes its list of *knelpuntberoepen* once a year. A counsellor saves it as CSV: one
occupation per line, with the reasons it is a bottleneck, written as codes ("KWANT, KWAL") or words
("kwantitatief / kwalitatief / arbeidsomstandigheden"), in one column or one column per reason
(marked with x, ja, 1...). Semicolon, comma or tab; UTF-8 or Windows-1252.

:func:`preview_bottleneck_file` reads the file and links every line to a catalogue occupation by
job-title similarity (``core.titles.TitleMatcher`` over the names and alternative labels), with a
confidence. Nothing is stored here: the preview is shown, the counsellor confirms or changes the
links, and ``db.reference_repo.ReferenceRepository.apply_bottleneck_list`` stores the result.
A file that cannot be used raises :class:`BottleneckFileError` with a Dutch message.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from core.errors import UserError
from core.fileio import os_reason
from core.i18n import tr
from core.importers.reader import detect_delimiter, detect_encoding, fold, read_csv_text
from core.reference import REASONS
from core.titles import LabelKind, OccupationRecord, TitleMatcher

__all__ = ["BottleneckFileError", "Candidate", "BottleneckRow", "BottleneckPreview", "parse_reasons",
           "read_bottleneck_file", "link_rows", "preview_bottleneck_file", "SURE", "POSSIBLE"]

_CTX = "bottleneck_import"
SURE = 0.85        # at or above: linked without doubt
POSSIBLE = 0.62    # at or above: linked, but the counsellor should look; below: not linked
MAX_BYTES = 5_000_000

NAME_HEADERS = ("beroep", "beroepen", "beroepsnaam", "naam beroep", "knelpuntberoep", "knelpuntberoepen",
                "knelpuntfunctie", "functie", "functienaam", "naam", "beroepstitel", "titel", "occupation",
                "metier", "beroep naam", "beroepsbenaming", "benaming")
REASON_HEADERS = ("reden", "redenen", "oorzaak", "oorzaken", "knelpuntreden", "knelpuntredenen", "type",
                  "soort", "motivering", "reden knelpunt", "redenen knelpunt", "type knelpunt", "kwant kwal")
YEAR_HEADERS = ("jaar", "year", "knelpuntjaar")
FILLER = {"tekort", "en", "of", "reden", "redenen", "knelpunt", "specifieke", "specifiek", "door", "omwille",
          "van", "de", "het", "te", "weinig", "kandidaten", "aan", "ongunstige", "slechte", "tekorten"}
TRUE_MARKS = {"x", "ja", "j", "1", "yes", "y", "true", "waar", "v"}


class BottleneckFileError(UserError):
    """The file cannot be used as a bottleneck list; nothing was changed (Dutch message)."""


def _reason_of(token: str) -> str | None:
    t = fold(token).replace(" ", "")
    if not t:
        return None
    if t.startswith("kwant") or t.startswith("quant") or t == "kt":
        return "KWANT"
    if t.startswith("kwal") or t.startswith("qual") or t == "kl":
        return "KWAL"
    if t.startswith("arb") or t.startswith("omstandig") or t.startswith("werkomstandig") or t in ("ao", "wo"):
        return "ARB"
    return None


def parse_reasons(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """("KWANT, KWAL" | "kwantitatief/kwalitatief/arbeidsomstandigheden" ...) -> (reasons in the
    order of REASONS, words that were not understood)."""
    found: set[str] = set()
    unknown: list[str] = []
    for part in re.split(r"[,;/+&|\n]+|\s+en\s+", text or ""):
        part = part.strip()
        if not part:
            continue
        r = _reason_of(part)
        if r:
            found.add(r)
            continue
        words = [w for w in re.split(r"[\s\-_.()]+", part) if w]
        hits = [_reason_of(w) for w in words]
        if any(hits):
            found.update(h for h in hits if h)
            unknown += [w for w, h in zip(words, hits) if not h and fold(w) not in FILLER]
        elif fold(part) not in FILLER:
            unknown.append(part)
    return tuple(r for r in REASONS if r in found), tuple(unknown)


@dataclass(frozen=True)
class Candidate:
    occupation_id: str
    name: str
    score: float          # 0..1
    label: str            # the name or alternative label that matched


@dataclass
class BottleneckRow:
    line: int
    name: str
    reasons_text: str
    reasons: tuple[str, ...]
    unknown_reasons: tuple[str, ...]
    candidates: tuple[Candidate, ...] = ()
    occupation_id: str | None = None
    confidence: float = 0.0
    overridden: bool = False

    @property
    def status(self) -> str:
        """"zeker", "onzeker", "gekozen" (by the counsellor) or "niet gekoppeld"."""
        if self.occupation_id is None:
            return "niet gekoppeld"
        if self.overridden:
            return "gekozen"
        return "zeker" if self.confidence >= SURE else "onzeker"


@dataclass
class BottleneckPreview:
    rows: list[BottleneckRow]
    catalogue: list[tuple[str, str]]          # (occupation id, name) of the reference data, in order
    year: int
    file_name: str = ""
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)

    def choose(self, index: int, occupation_id: str | None) -> None:
        """The counsellor's choice for row ``index`` (None: do not link this line)."""
        row = self.rows[index]
        if occupation_id is not None and occupation_id not in dict(self.catalogue):
            raise KeyError(occupation_id)
        auto = row.candidates[0].occupation_id if row.candidates and row.candidates[0].score >= POSSIBLE else None
        row.occupation_id = occupation_id
        row.overridden = occupation_id != auto
        hit = next((c for c in row.candidates if c.occupation_id == occupation_id), None)
        row.confidence = hit.score if hit else (1.0 if occupation_id else 0.0)

    def linked(self) -> list[BottleneckRow]:
        return [r for r in self.rows if r.occupation_id is not None]

    def unlinked(self) -> list[BottleneckRow]:
        return [r for r in self.rows if r.occupation_id is None]

    def uncertain(self) -> list[BottleneckRow]:
        return [r for r in self.rows if r.status == "onzeker"]

    def duplicates(self) -> dict[str, list[int]]:
        """Occupation id -> lines, for occupations more than one line links to (their reasons are joined)."""
        seen: dict[str, list[int]] = {}
        for r in self.linked():
            seen.setdefault(r.occupation_id, []).append(r.line)
        return {k: v for k, v in seen.items() if len(v) > 1}

    def selection(self) -> dict[str, tuple[tuple[str, ...], str]]:
        """What applying stores: occupation id -> (reasons, name(s) on the list)."""
        out: dict[str, tuple[set[str], list[str]]] = {}
        for r in self.linked():
            reasons, names = out.setdefault(r.occupation_id, (set(), []))
            reasons.update(r.reasons)
            names.append(r.name)
        return {k: (tuple(x for x in REASONS if x in v[0]), " | ".join(v[1])) for k, v in out.items()}

    def not_listed(self) -> list[tuple[str, str]]:
        """Catalogue occupations no line links to: they become 'no bottleneck' for the year."""
        chosen = {r.occupation_id for r in self.linked()}
        return [(i, n) for i, n in self.catalogue if i not in chosen]

    def name_of(self, occupation_id: str | None) -> str:
        return dict(self.catalogue).get(occupation_id, "") if occupation_id else ""

    def summary(self) -> str:
        return tr(_CTX, "{jaar}: {regels} regels, {gekoppeld} gekoppeld ({onzeker} onzeker), {niet} niet gekoppeld; "
                        "{rest} beroepen van de catalogus staan niet op de lijst en worden voor {jaar} geen "
                        "knelpuntberoep.").format(
            jaar=self.year, regels=len(self.rows), gekoppeld=len(self.linked()), onzeker=len(self.uncertain()),
            niet=len(self.unlinked()), rest=len(self.not_listed()))


# ---------------------------------------------------------------- reading

def _header_key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(str(text or ""))).split())


def _column(headers: list[str], names: Iterable[str]) -> int | None:
    keys = [_header_key(h) for h in headers]
    names = tuple(names)
    for i, k in enumerate(keys):
        if k in names:
            return i
    for i, k in enumerate(keys):          # "Naam van het beroep", "Redenen (KWANT/KWAL/ARB)"
        if k and any(k.startswith(n + " ") for n in names):
            return i
    return None


def _reason_columns(headers: list[str]) -> dict[str, int]:
    """One column per reason ("Kwantitatief" | "Kwalitatief" | "Arbeidsomstandigheden")."""
    out: dict[str, int] = {}
    for i, h in enumerate(headers):
        k = _header_key(h)
        r = _reason_of(k) if k and len(k.split()) <= 3 else None
        if r and r not in out:
            out[r] = i
    return out if len(out) >= 2 else {}


def read_bottleneck_file(path: str | Path) -> tuple[list[tuple[int, str, str, int | None]], dict]:
    """Lines of a bottleneck list: (line number, name, reasons text, year or None), and how it was
    read (encoding, delimiter). Raises BottleneckFileError when the file cannot be used."""
    p = Path(path)
    try:
        if p.is_dir():
            raise BottleneckFileError(tr(_CTX, "{bestand} is een map, geen CSV-bestand.").format(bestand=p.name))
        if p.stat().st_size > MAX_BYTES:
            raise BottleneckFileError(tr(_CTX, "{bestand} is te groot voor een knelpuntlijst.").format(bestand=p.name))
        raw = p.read_bytes()
    except FileNotFoundError:
        raise BottleneckFileError(tr(_CTX, "Het bestand {bestand} bestaat niet.").format(bestand=p)) from None
    except OSError as e:
        raise BottleneckFileError(tr(_CTX, "{bestand} kan niet gelezen worden: {fout}").format(
            bestand=p.name, fout=os_reason(e))) from None
    if not raw.strip():
        raise BottleneckFileError(tr(_CTX, "{bestand} is leeg. Er werd niets gewijzigd.").format(bestand=p.name))
    if raw[:2] in (b"PK", b"\xd0\xcf"):
        raise BottleneckFileError(tr(_CTX, "{bestand} is een Excel-bestand. Bewaar de knelpuntlijst in Excel als "
                                           "CSV (puntkomma's) en kies dat bestand.").format(bestand=p.name))
    encoding = detect_encoding(raw)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise BottleneckFileError(tr(_CTX, "{bestand} kan niet gelezen worden: de tekenset is onbekend (verwacht "
                                           "UTF-8 of Windows-1252). Er werd niets gewijzigd.").format(bestand=p.name)) from None
    if "\x00" in text:
        raise BottleneckFileError(tr(_CTX, "{bestand} is geen tekstbestand (CSV). Er werd niets gewijzigd.").format(
            bestand=p.name))
    delimiter = detect_delimiter(text)
    rows = read_csv_text(text, delimiter)
    numbered = [(n, [c.strip() for c in r]) for n, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise BottleneckFileError(tr(_CTX, "{bestand} is leeg. Er werd niets gewijzigd.").format(bestand=p.name))
    header_line, headers = numbered[0]
    name_col = _column(headers, NAME_HEADERS)
    if name_col is None:
        raise BottleneckFileError(tr(_CTX, "{bestand} heeft geen kolom met de naam van het beroep (verwacht een "
                                           "kolomkop zoals 'Beroep' of 'Knelpuntberoep' op de eerste regel). Er werd "
                                           "niets gewijzigd.").format(bestand=p.name))
    reason_col = _column(headers, REASON_HEADERS)
    per_reason = {} if reason_col is not None else _reason_columns(headers)
    year_col = _column(headers, YEAR_HEADERS)
    out = []
    for n, r in numbered[1:]:
        cell = lambda i: r[i] if i is not None and i < len(r) else ""   # noqa: E731
        name = cell(name_col)
        if not name:
            continue
        if per_reason:
            reasons_text = ", ".join(code for code, i in per_reason.items() if fold(cell(i)) in TRUE_MARKS)
        else:
            reasons_text = cell(reason_col)
        year = None
        y = cell(year_col)
        if re.fullmatch(r"(19|20)\d\d", y):
            year = int(y)
        out.append((n, name, reasons_text, year))
    if not out:
        raise BottleneckFileError(tr(_CTX, "{bestand} bevat geen beroepen onder de kolomkop. Er werd niets "
                                           "gewijzigd.").format(bestand=p.name))
    return out, {"encoding": encoding, "delimiter": delimiter, "header_line": header_line}


# ---------------------------------------------------------------- linking

def occupation_matcher(reference) -> TitleMatcher:
    """A title matcher over the catalogue occupations (key: occupation id)."""
    records = []
    for o in reference.occupations:
        labels = [(o.name_nl, LabelKind.PREFERRED)] + [(a, LabelKind.ALTERNATIVE) for a in o.alt_labels_nl]
        records.append(OccupationRecord(o.id, o.isco, tuple(labels)))
    return TitleMatcher(records)


def link_rows(lines: list[tuple[int, str, str, int | None]], reference, *, year: int,
              matcher: TitleMatcher | None = None) -> BottleneckPreview:
    matcher = matcher or occupation_matcher(reference)
    names = {o.id: o.name_nl for o in reference.occupations}
    rows = []
    for line, name, reasons_text, _y in lines:
        reasons, unknown = parse_reasons(reasons_text)
        cands = tuple(Candidate(m.uri, names.get(m.uri, m.uri), round(m.score / 100.0, 3), m.label)
                      for m in matcher.query(name, 5) if m.uri in names)
        best = cands[0] if cands and cands[0].score >= POSSIBLE else None
        rows.append(BottleneckRow(line, name, reasons_text, reasons, unknown, cands,
                                  best.occupation_id if best else None, best.score if best else 0.0))
    return BottleneckPreview(rows, [(o.id, o.name_nl) for o in reference.occupations], year)


def _year_of(path: Path, lines) -> tuple[int, str | None]:
    years = {y for *_x, y in lines if y}
    if len(years) == 1:
        return years.pop(), None
    m = re.search(r"(?<!\d)(20\d\d)(?!\d)", path.stem)
    if m:
        return int(m.group(1)), None
    return dt.date.today().year, tr(_CTX, "Geen jaar gevonden in het bestand of de bestandsnaam; {jaar} aangenomen.")


def preview_bottleneck_file(path: str | Path, reference, year: int | None = None) -> BottleneckPreview:
    """Read and link a bottleneck list; nothing is stored."""
    p = Path(path)
    lines, info = read_bottleneck_file(p)
    notes = []
    if year is None:
        year, note = _year_of(p, lines)
        if note:
            notes.append(note.format(jaar=year))
    preview = link_rows(lines, reference, year=year)
    preview.file_name, preview.encoding, preview.delimiter = p.name, info["encoding"], info["delimiter"]
    for r in preview.rows:
        if r.unknown_reasons:
            notes.append(tr(_CTX, "Regel {regel}: reden niet begrepen: {tekst}.").format(
                regel=r.line, tekst=", ".join(r.unknown_reasons)))
        elif not r.reasons:
            notes.append(tr(_CTX, "Regel {regel}: geen reden opgegeven.").format(regel=r.line))
    preview.notes = notes
    return preview
