"""Reader for the ESCO CSV export (v1.1 and v1.2 column sets).

Columns are looked up by header name (case, spaces and underscores ignored), so extra or
reordered columns are fine and optional columns may be missing. Multi-valued fields such as
altLabels hold one value per line inside one quoted field. Files may start with a BOM.

Only ``occupations_<lang>.csv`` is required; the other files are read when present.
Problems are reported as :class:`EscoFormatError` with a Dutch message that names the file
and, where possible, the line.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from core.fileio import os_reason

__all__ = [
    "EscoFormatError",
    "EscoOccupation",
    "EscoSkill",
    "EscoRelation",
    "EscoIscoGroup",
    "EscoSkillGroup",
    "EscoHierarchyEntry",
    "EscoDataset",
    "available_languages",
    "find_file",
    "read_occupations",
    "read_skills",
    "read_relations",
    "read_isco_groups",
    "read_skill_groups",
    "read_skills_hierarchy",
    "load_esco",
]

csv.field_size_limit(16 * 1024 * 1024)


class EscoFormatError(ValueError):
    """An ESCO file is missing or cannot be read. ``path`` and ``line`` locate the problem."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        self.path = Path(path) if path is not None else None
        self.line = line
        where = ""
        if self.path is not None:
            where = self.path.name
            if line is not None:
                where += f", regel {line}"
            where += ": "
        super().__init__(where + message)
        self.message = message


@dataclass(frozen=True, slots=True)
class EscoOccupation:
    uri: str
    isco: str
    preferred_label: str
    alt_labels: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    description: str = ""
    code: str = ""
    lang: str = ""


@dataclass(frozen=True, slots=True)
class EscoSkill:
    uri: str
    preferred_label: str
    alt_labels: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    description: str = ""
    skill_type: str = ""
    reuse_level: str = ""
    lang: str = ""


@dataclass(frozen=True, slots=True)
class EscoRelation:
    occupation_uri: str
    skill_uri: str
    relation_type: str = ""   # "essential" / "optional"
    skill_type: str = ""      # "skill/competence" / "knowledge"


@dataclass(frozen=True, slots=True)
class EscoIscoGroup:
    uri: str
    code: str
    preferred_label: str
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    lang: str = ""


@dataclass(frozen=True, slots=True)
class EscoSkillGroup:
    uri: str
    preferred_label: str
    code: str = ""
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    lang: str = ""


@dataclass(frozen=True, slots=True)
class EscoHierarchyEntry:
    """One row of skillsHierarchy: the path from level 0 down to the deepest filled level."""
    uris: tuple[str, ...]
    labels: tuple[str, ...]
    codes: tuple[str, ...]
    description: str = ""
    lang: str = ""

    @property
    def uri(self) -> str:
        return self.uris[-1] if self.uris else ""

    @property
    def level(self) -> int:
        return len(self.uris) - 1


@dataclass(slots=True)
class EscoDataset:
    lang: str
    folder: Path
    occupations: list[EscoOccupation]
    isco_groups: list[EscoIscoGroup] = field(default_factory=list)
    skills: list[EscoSkill] = field(default_factory=list)
    relations: list[EscoRelation] = field(default_factory=list)
    skill_groups: list[EscoSkillGroup] = field(default_factory=list)
    hierarchy: list[EscoHierarchyEntry] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)


# --------------------------------------------------------------------------- low level

def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _split_multi(value: str) -> tuple[str, ...]:
    """Split a multi-valued field (one value per line); strip, drop empties and duplicates."""
    if not value:
        return ()
    out: list[str] = []
    seen: set[str] = set()
    for part in value.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        part = part.strip()
        if part and part not in seen:
            seen.add(part)
            out.append(part)
    return tuple(out)


class _Rows:
    """Iterate a CSV file as (line_number, getter) pairs with header-name lookup."""

    def __init__(self, path: Path, required: dict[str, tuple[str, ...]],
                 optional: dict[str, tuple[str, ...]]):
        self.path = path
        self.required = required
        self.optional = optional

    def __iter__(self) -> Iterator[tuple[int, Callable[[str], str]]]:
        path = self.path
        if not path.is_file():
            raise EscoFormatError("bestand niet gevonden", path)
        try:
            fh = open(path, encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise EscoFormatError(f"bestand kan niet geopend worden ({os_reason(exc)})", path) from exc
        with fh:
            reader = csv.reader(fh, strict=True)
            try:
                header = next(reader, None)
            except UnicodeDecodeError as exc:
                raise EscoFormatError("het bestand is geen geldige UTF-8-tekst", path, 1) from exc
            except csv.Error as exc:
                raise EscoFormatError(f"kopregel onleesbaar ({exc})", path, 1) from exc
            if not header or not any(h.strip() for h in header):
                raise EscoFormatError("het bestand is leeg of heeft geen kopregel", path, 1)
            index = {}
            for i, h in enumerate(header):
                index.setdefault(_key(h), i)
            cols: dict[str, int] = {}
            for name, aliases in self.required.items():
                pos = next((index[_key(a)] for a in aliases if _key(a) in index), None)
                if pos is None:
                    raise EscoFormatError(
                        f"verplichte kolom '{aliases[0]}' ontbreekt in de kopregel "
                        f"(gevonden: {', '.join(h for h in header if h) or 'niets'})", path, 1)
                cols[name] = pos
            for name, aliases in self.optional.items():
                pos = next((index[_key(a)] for a in aliases if _key(a) in index), None)
                if pos is not None:
                    cols[name] = pos
            need = max((cols[n] for n in self.required), default=0)
            line = 1
            while True:
                start = reader.line_num + 1
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except UnicodeDecodeError as exc:
                    raise EscoFormatError("het bestand is geen geldige UTF-8-tekst", path,
                                          reader.line_num + 1) from exc
                except csv.Error as exc:
                    raise EscoFormatError(f"ongeldige CSV-opmaak ({exc}); staat er een aanhalingsteken "
                                          f"te veel of te weinig?", path, start) from exc
                line = start
                if not row or not any(c.strip() for c in row):
                    continue
                if len(row) <= need:
                    raise EscoFormatError(
                        f"te weinig velden ({len(row)} in plaats van {len(header)})", path, line)

                def get(name: str, _row=row) -> str:
                    pos = cols.get(name)
                    if pos is None or pos >= len(_row):
                        return ""
                    # control characters (a NUL of a damaged file) are no part of any label
                    return _CONTROL.sub("", _row[pos]).strip()

                yield line, get


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _lang_of(path: Path) -> str:
    m = re.search(r"_([A-Za-z]{2,3}(?:-[A-Za-z]+)?)\.csv$", path.name)
    return m.group(1).lower() if m else ""


def _require(value: str, what: str, path: Path, line: int) -> str:
    if not value:
        raise EscoFormatError(f"lege waarde in verplichte kolom '{what}'", path, line)
    return value


# --------------------------------------------------------------------------- readers

_URI = ("conceptUri", "uri", "concept uri")


def read_occupations(path: Path | str, lang: str | None = None) -> list[EscoOccupation]:
    """Read an occupations_<lang>.csv file. At least one occupation is required."""
    path = Path(path)
    lang = lang if lang is not None else _lang_of(path)
    rows = _Rows(path, {"uri": _URI, "pref": ("preferredLabel", "preferred label")},
                 {"isco": ("iscoGroup", "isco group", "iscoCode"), "alt": ("altLabels", "alternative labels"),
                  "hidden": ("hiddenLabels",), "desc": ("description",), "code": ("code",),
                  "type": ("conceptType",)})
    out: list[EscoOccupation] = []
    seen: set[str] = set()
    for line, get in rows:
        ctype = get("type")
        if ctype and ctype.lower() not in ("occupation", "esco occupation"):
            continue
        uri = _require(get("uri"), "conceptUri", path, line)
        pref = _require(get("pref"), "preferredLabel", path, line)
        if uri in seen:
            continue
        seen.add(uri)
        code = get("code")
        isco = get("isco")
        if not isco and code:
            isco = code.split(".", 1)[0]
        if isco.startswith("http"):  # some exports hold the ISCO group URI
            isco = re.sub(r"^.*?C?(\d+)$", r"\1", isco)
        out.append(EscoOccupation(uri=uri, isco=isco, preferred_label=pref,
                                  alt_labels=_split_multi(get("alt")),
                                  hidden_labels=_split_multi(get("hidden")),
                                  description=get("desc"), code=code, lang=lang))
    if not out:
        raise EscoFormatError("het bestand bevat geen beroepen", path)
    return out


def read_skills(path: Path | str, lang: str | None = None) -> list[EscoSkill]:
    path = Path(path)
    lang = lang if lang is not None else _lang_of(path)
    rows = _Rows(path, {"uri": _URI, "pref": ("preferredLabel",)},
                 {"alt": ("altLabels",), "hidden": ("hiddenLabels",), "desc": ("description",),
                  "stype": ("skillType",), "reuse": ("reuseLevel",)})
    out: list[EscoSkill] = []
    for line, get in rows:
        out.append(EscoSkill(uri=_require(get("uri"), "conceptUri", path, line),
                             preferred_label=_require(get("pref"), "preferredLabel", path, line),
                             alt_labels=_split_multi(get("alt")), hidden_labels=_split_multi(get("hidden")),
                             description=get("desc"), skill_type=get("stype"), reuse_level=get("reuse"),
                             lang=lang))
    return out


def read_relations(path: Path | str) -> list[EscoRelation]:
    path = Path(path)
    rows = _Rows(path, {"occ": ("occupationUri",), "skill": ("skillUri",)},
                 {"rel": ("relationType",), "stype": ("skillType",)})
    return [EscoRelation(occupation_uri=_require(get("occ"), "occupationUri", path, line),
                         skill_uri=_require(get("skill"), "skillUri", path, line),
                         relation_type=get("rel"), skill_type=get("stype"))
            for line, get in rows]


def read_isco_groups(path: Path | str, lang: str | None = None) -> list[EscoIscoGroup]:
    path = Path(path)
    lang = lang if lang is not None else _lang_of(path)
    rows = _Rows(path, {"uri": _URI, "code": ("code",), "pref": ("preferredLabel",)},
                 {"alt": ("altLabels",), "desc": ("description",)})
    return [EscoIscoGroup(uri=_require(get("uri"), "conceptUri", path, line),
                          code=_require(get("code"), "code", path, line),
                          preferred_label=get("pref"), alt_labels=_split_multi(get("alt")),
                          description=get("desc"), lang=lang)
            for line, get in rows]


def read_skill_groups(path: Path | str, lang: str | None = None) -> list[EscoSkillGroup]:
    path = Path(path)
    lang = lang if lang is not None else _lang_of(path)
    rows = _Rows(path, {"uri": _URI, "pref": ("preferredLabel",)},
                 {"code": ("code",), "alt": ("altLabels",), "desc": ("description",)})
    return [EscoSkillGroup(uri=_require(get("uri"), "conceptUri", path, line),
                           preferred_label=get("pref"), code=get("code"),
                           alt_labels=_split_multi(get("alt")), description=get("desc"), lang=lang)
            for line, get in rows]


def read_skills_hierarchy(path: Path | str, lang: str | None = None) -> list[EscoHierarchyEntry]:
    path = Path(path)
    lang = lang if lang is not None else _lang_of(path)
    optional: dict[str, tuple[str, ...]] = {"desc": ("Description",)}
    for lvl in range(4):
        optional[f"u{lvl}"] = (f"Level {lvl} URI",)
        optional[f"l{lvl}"] = (f"Level {lvl} preferred term",)
        optional[f"c{lvl}"] = (f"Level {lvl} code",)
    rows = _Rows(path, {"u0": ("Level 0 URI",)}, optional)
    out: list[EscoHierarchyEntry] = []
    for line, get in rows:
        uris, labels, codes = [], [], []
        for lvl in range(4):
            u = get(f"u{lvl}")
            if not u:
                break
            uris.append(u)
            labels.append(get(f"l{lvl}"))
            codes.append(get(f"c{lvl}"))
        _require(uris[0] if uris else "", "Level 0 URI", path, line)
        out.append(EscoHierarchyEntry(tuple(uris), tuple(labels), tuple(codes), get("desc"), lang))
    return out


# --------------------------------------------------------------------------- folder level

_FILE_STEMS = {
    "occupations": "occupations",
    "isco_groups": "ISCOGroups",
    "skills": "skills",
    "relations": "occupationSkillRelations",
    "skill_groups": "skillGroups",
    "hierarchy": "skillsHierarchy",
}


def find_file(folder: Path | str, stem: str, lang: str) -> Path | None:
    """The file ``<stem>_<lang>.csv`` in folder, matched case-insensitively."""
    folder = Path(folder)
    want = f"{stem}_{lang}.csv".lower()
    if not folder.is_dir():
        return None
    for p in sorted(folder.iterdir()):
        if p.name.lower() == want:
            if not p.is_file():
                # a folder (or device) with the file's name is not silently skipped
                raise EscoFormatError("dit is geen gewoon bestand (een map?)", p)
            return p
    return None


def available_languages(folder: Path | str) -> list[str]:
    """Languages for which the folder holds an occupations_<lang>.csv file."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    langs = set()
    for p in folder.iterdir():
        m = re.fullmatch(r"occupations_([A-Za-z]{2,3}(?:-[A-Za-z]+)?)\.csv", p.name, flags=re.I)
        if m:               # a folder with such a name is reported by find_file, not passed over
            langs.add(m.group(1).lower())
    return sorted(langs)


def load_esco(folder: Path | str, lang: str = "nl") -> EscoDataset:
    """Read all ESCO files of one language found in folder (occupations required)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise EscoFormatError(f"map '{folder}' bestaat niet")
    files = {k: find_file(folder, stem, lang) for k, stem in _FILE_STEMS.items()}
    if files["relations"] is None:
        # relations hold URIs only, so any language's copy will do
        others = sorted(p for p in folder.glob("*.csv") if p.name.lower().startswith("occupationskillrelations"))
        files["relations"] = others[0] if others else None
    occ = files["occupations"]
    if occ is None:
        found = ", ".join(available_languages(folder)) or "geen"
        raise EscoFormatError(f"verplicht bestand ontbreekt in '{folder}' (beschikbare talen: {found})",
                              f"occupations_{lang}.csv")
    ds = EscoDataset(lang=lang, folder=folder, occupations=read_occupations(occ, lang))
    if files["isco_groups"]:
        ds.isco_groups = read_isco_groups(files["isco_groups"], lang)
    if files["skills"]:
        ds.skills = read_skills(files["skills"], lang)
    if files["relations"]:
        ds.relations = read_relations(files["relations"])
    if files["skill_groups"]:
        ds.skill_groups = read_skill_groups(files["skill_groups"], lang)
    if files["hierarchy"]:
        ds.hierarchy = read_skills_hierarchy(files["hierarchy"], lang)
    ds.files = {k: v for k, v in files.items() if v is not None}
    return ds
