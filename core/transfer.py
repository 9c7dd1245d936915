"""Transfer files (``.werkbrug``): a dossier, or some of its workers, moved to another computer.

The file is a zip with ``manifest.json`` (format name and version, created-at, source installation,
schema, SHA-256 of the content) and ``content.json`` (the records). Each record carries its ``uid``,
its ``modified`` stamp and ``seen``: per installation, the stamp the two last had in common.

Merging (``plan_merge``) never overwrites silently: new records are added, unchanged ones skipped,
records changed on this side only are kept. A record changed on both sides since the last common
stamp is merged field by field against the common base (``seen_fields``: per field a digest of the
value both sides last had, kept per partner in ``sync_state`` and sent along in the file): a field
changed on one side only is taken from that side, a field changed on both sides to different values
is a conflict, and the counsellor chooses "mine" or "theirs" for those fields only. Without a known
base (older files or sync states) every differing field of such a record is a conflict.
A printed or signed plan is never changed by a merge. A worker's own counsellor is a login of each computer
(``LOCAL_FIELDS``): never compared or taken over; a worker new from a file gets one where it is read in.
Records of workers anonymised on the receiving computer are left out before the merge
(``db.transfer_repo.withhold_erased``): an erased identity never comes back from a partner that still has it.
The other way round, a worker the file says is anonymised (its ``anonymised_at``, a column of the worker
record since schema 5; older files lack it and merge as before) while this computer still has the identity is
an erasure that travels (``MergePlan.erased_elsewhere``): its records never become a conflict (fields changed on
both sides take the file's value, a printed plan or a row deleted here stays as it is here) and
``db.transfer_repo.apply_merge`` then erases the worker here with ``db.gdpr.anonymise_workers`` in the same
transaction, so nothing of the identity kept here survives the merge.

``content.json`` may also hold a ``reference`` section: the sender's LOCAL reference layer (competence
variants, locally edited or own occupations; never the embedded data), versioned on its own
(``REFERENCE_VERSION``). A file without it imports as before; a section of a newer version than this
code knows refuses the whole file before anything is written. It is merged through the receiver's
``ReferenceRepository`` (``db.transfer_repo.merge_reference``): what the receiver lacks is added, a
receiver's own different edit of the same occupation is kept and reported (``ReferenceReport``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.errors import UserError
from core.i18n import counted, tr
from core.reference import Evidence, Occupation, OccupationCompetence

_CTX = "overdracht"
FORMAT_NAME = "werkbrug-overdracht"
FORMAT_VERSION = 1
SUFFIX = ".werkbrug"
REFERENCE_SECTION = "reference"
REFERENCE_VERSION = 1            # of the ``reference`` section; raise it when its shape changes
PLAN_FROZEN_COLUMNS = ("body", "agreements", "print_limitations", "counsellor", "version")
KIND_LABELS = {"dossiers": "dossier", "workers": "werknemer", "experiences": "werkervaring",
               "worker_competences": "competentie", "certificates": "attest", "worker_languages": "taal",
               "functional_limitations": "functionele beperking", "contacts": "contact", "plans": "trajectplan"}


class TransferFileError(UserError):
    """The file is damaged, foreign or too new; nothing was read into the database."""


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def write_transfer_file(path: Path | str, content: dict, *, source: str, schema: int) -> Path:
    path = Path(path)
    body = _canonical(content)
    manifest = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "schema": schema, "source": source,
                "created": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "sha256": hashlib.sha256(body).hexdigest(), "records": len(content.get("records", []))}
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        z.writestr("content.json", body)
    tmp.replace(path)
    return path


def read_transfer_file(path: Path | str, *, max_schema: int) -> tuple[dict, dict]:
    """(manifest, content) after checking format name, version, schema and checksum."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise TransferFileError(tr(_CTX, "Het bestand {pad} bestaat niet.").format(pad=path))
    foreign = tr(_CTX, "{bestand} is geen Werkbrug-overdrachtsbestand. Er werd niets ingelezen.").format(bestand=name)
    damaged = tr(_CTX, "{bestand} is beschadigd (de controlesom klopt niet). Vraag een nieuw bestand; er werd "
                       "niets ingelezen.").format(bestand=name)
    try:
        with zipfile.ZipFile(path) as z:
            manifest = json.loads(z.read("manifest.json").decode("utf-8"))
            body = z.read("content.json")
    except KeyError:
        raise TransferFileError(foreign) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise TransferFileError(damaged if path.read_bytes()[:2] == b"PK" else foreign) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise TransferFileError(foreign)
    if not isinstance(manifest.get("version"), int) or manifest["version"] > FORMAT_VERSION \
            or int(manifest.get("schema") or 0) > max_schema:
        raise TransferFileError(tr(_CTX, "{bestand} werd gemaakt met een nieuwere versie van Werkbrug. Installeer "
                                         "eerst die versie; er werd niets ingelezen.").format(bestand=name))
    if hashlib.sha256(body).hexdigest() != manifest.get("sha256"):
        raise TransferFileError(damaged)
    try:
        content = json.loads(body.decode("utf-8"))
    except ValueError:
        raise TransferFileError(damaged) from None
    if not isinstance(content, dict) or not isinstance(content.get("records"), list) or not content.get("dossier"):
        raise TransferFileError(damaged)
    _check_reference_section(content, name, damaged)
    return manifest, content


def _check_reference_section(content: dict, name: str, damaged: str) -> None:
    """The optional reference section: absent (older files) is fine; a newer version than this code
    knows, or a malformed section, refuses the whole file."""
    if REFERENCE_SECTION not in content:
        return
    section = content[REFERENCE_SECTION]
    if not isinstance(section, dict) or not isinstance(section.get("version"), int) \
            or isinstance(section.get("version"), bool) or section["version"] < 1:
        raise TransferFileError(damaged)
    if section["version"] > REFERENCE_VERSION:
        raise TransferFileError(tr(_CTX, "{bestand} bevat referentiegegevens (varianten en eigen beroepen) in een "
                                         "nieuwere vorm (versie {versie}) dan deze versie van Werkbrug kent. "
                                         "Installeer eerst de nieuwere versie; er werd niets ingelezen.").format(
            bestand=name, versie=section["version"]))
    variants, occupations = section.get("variants", []), section.get("occupations", [])
    if not isinstance(variants, list) or not isinstance(occupations, list):
        raise TransferFileError(damaged)
    for v in variants:
        if not isinstance(v, dict) or not all(isinstance(v.get(k), str) for k in ("competence_id", "text")):
            raise TransferFileError(damaged)
    for o in occupations:
        if not isinstance(o, dict) or not isinstance(o.get("document"), dict):
            raise TransferFileError(damaged)
        try:
            occupation_from_document(o["document"])
        except (KeyError, TypeError, ValueError):
            raise TransferFileError(damaged) from None


# -- reference layer --------------------------------------------------------------------------------

def occupation_document(o: Occupation) -> dict:
    """An occupation as plain JSON data (the same fields as in the reference files)."""
    return json.loads(json.dumps(asdict(o)))


def occupation_from_document(d: dict) -> Occupation:
    def t(v) -> tuple:
        if v is None:
            return ()
        if not isinstance(v, list):
            raise ValueError(v)
        return tuple(str(x) for x in v)

    ev = d.get("evidence") or {}
    return Occupation(
        id=str(d["id"]), name_nl=str(d["name_nl"]), name_fr=str(d.get("name_fr") or ""),
        alt_labels_nl=t(d.get("alt_labels_nl")), sector=str(d.get("sector") or ""),
        bottleneck=bool(d.get("bottleneck", False)), esco_uri=str(d.get("esco_uri") or ""),
        isco=str(d.get("isco") or ""), rome=str(d.get("rome") or ""), reasons=t(d.get("reasons")),
        vks=int(d.get("vks") or 0), conditions=t(d.get("conditions")),
        certificates_required=t(d.get("certificates_required")), certificates_useful=t(d.get("certificates_useful")),
        competences=tuple(OccupationCompetence(str(c["competence_id"]), bool(c["essential"]))
                          for c in d.get("competences") or ()),
        evidence=Evidence(str(ev.get("tag", "G")), str(ev.get("source", ""))), facts_ref=d.get("facts_ref"))


OCCUPATION_FIELD_LABELS = {
    "name_nl": "naam", "name_fr": "Franse naam", "alt_labels_nl": "synoniemen", "sector": "sector",
    "bottleneck": "knelpuntberoep", "esco_uri": "ESCO-URI", "isco": "ISCO-code", "rome": "ROME-code",
    "reasons": "knelpuntredenen", "vks": "VKS-niveau", "conditions": "arbeidsomstandigheden",
    "certificates_required": "verplichte attesten", "certificates_useful": "nuttige attesten",
    "competences": "competenties", "evidence": "bron", "facts_ref": "feitenfiche"}


def occupation_differences(mine: dict, theirs: dict) -> list[str]:
    """Dutch names of the fields in which two occupation documents differ."""
    keys = [k for k in OCCUPATION_FIELD_LABELS if mine.get(k) != theirs.get(k)]
    keys += sorted(k for k in set(mine) | set(theirs) if k not in OCCUPATION_FIELD_LABELS and k != "id"
                   and mine.get(k) != theirs.get(k))
    return [tr(_CTX, OCCUPATION_FIELD_LABELS[k]) if k in OCCUPATION_FIELD_LABELS else k for k in keys]


@dataclass
class ReferenceReport:
    """What the reference section of a transfer file did on this computer."""
    added_variants: list[tuple[str, str]] = field(default_factory=list)      # (competence label, text)
    added_occupations: list[str] = field(default_factory=list)               # names
    unchanged: int = 0
    kept_here: list[str] = field(default_factory=list)       # conflicts: this side's version kept (one line each)
    refused: list[str] = field(default_factory=list)         # not taken over, with the reason
    not_allowed: str = ""                                    # why occupations were not taken over at all

    @property
    def empty(self) -> bool:
        return not (self.added_variants or self.added_occupations or self.unchanged or self.kept_here
                    or self.refused or self.not_allowed)

    def lines(self) -> list[str]:
        """Dutch lines for the counsellor (empty when the file brought no reference edits)."""
        if self.empty:
            return []
        out = [tr(_CTX, "Referentiegegevens: {varianten} en {beroepen} overgenomen, {zelfde} al gelijk, {conflict} "
                        "(hier behouden).").format(
            varianten=_n(len(self.added_variants), "1 variant", "{n} varianten"),
            beroepen=_n(len(self.added_occupations), "1 beroep", "{n} beroepen"), zelfde=self.unchanged,
            conflict=_n(len(self.kept_here), "1 conflict", "{n} conflicten"))]
        for label, text in self.added_variants:
            out.append(tr(_CTX, "Variant '{tekst}' toegevoegd aan competentie '{competentie}'.").format(
                tekst=text, competentie=label))
        for name in self.added_occupations:
            out.append(tr(_CTX, "Beroep '{naam}' overgenomen.").format(naam=name))
        out += self.kept_here + self.refused
        if self.not_allowed:
            out.append(self.not_allowed)
        return out

    def as_dict(self) -> dict:
        return {"added_variants": [list(v) for v in self.added_variants], "added_occupations": self.added_occupations,
                "unchanged": self.unchanged, "kept_here": self.kept_here, "refused": self.refused,
                "not_allowed": self.not_allowed}


# -- merge ----------------------------------------------------------------------------------------

# Fields that belong to this computer: never compared with, taken from or shown as a conflict of a file.
# A worker's own counsellor is a login of THIS computer's accounts; a worker new from a file gets one
# here (``db.transfer_repo.apply_merge``), and what the sender's login was stays in the import's audit entry.
LOCAL_FIELDS = {"workers": frozenset({"counsellor"})}


def local_field(kind: str, column: str) -> bool:
    return column in LOCAL_FIELDS.get(kind, ())


# The fields of transfer records as the counsellor reads them (never the column names).
FIELD_LABELS = {
    # worker
    "surname": "Naam", "first_names": "Voornamen", "insz": "INSZ", "birth_date": "Geboortedatum", "sex": "Geslacht",
    "street": "Straat en nummer", "postcode": "Postcode", "municipality": "Gemeente", "phone": "Telefoon",
    "email": "E-mail", "preferred_language": "Taal", "statute": "Statuut", "seniority_start": "Anciënniteit vanaf",
    "dismissal_date": "Ontslagdatum", "shift_regime": "Ploegenregime", "highest_diploma": "Hoogste diploma",
    "education_group": "Scholingsgroep", "vks_level": "VKS-niveau", "status": "Status",
    "previous_job_title": "Vorige functie", "previous_job_esco_uri": "ESCO-beroep vorige functie",
    "counsellor": "Consulent", "mobility": "Mobiliteit",
    "preferences": "Voorkeuren", "anonymised_at": "Geanonimiseerd op",
    # dossier
    "company_name": "Bedrijfsnaam", "kbo_number": "KBO-nummer", "joint_committee": "Paritair comité",
    "site_address": "Adres vestiging", "announcement_date": "Aankondiging", "first_dismissal_date": "Eerste ontslag",
    "last_dismissal_date": "Laatste ontslag", "cell_start_date": "Start cel", "outplacement_bureau":
        "Outplacementbureau", "closed_at": "Afgesloten op",
    # rows of a worker
    "position": "Volgorde", "employer": "Werkgever", "job_title": "Functie", "esco_uri": "ESCO-beroep",
    "start_date": "Van", "end_date": "Tot", "tasks": "Taken", "text": "Omschrijving", "competence_id": "Competentie",
    "confidence": "Zekerheid herkenning", "source": "Bron", "level": "Niveau", "evidence": "Bewijs", "kind": "Soort",
    "label": "Omschrijving", "date_obtained": "Behaald op", "expiry_date": "Geldig tot", "language": "Taal",
    "listening": "Luisteren", "speaking": "Spreken", "reading": "Lezen", "writing": "Schrijven", "note": "Notitie",
    "printable": "Op het plan afdrukken", "date": "Datum", "hours": "Uren",
    # plan
    "version": "Versie", "body": "Inhoud", "agreements": "Afspraken", "print_limitations": "Beperkingen afdrukken",
    "printed_at": "Afgedrukt op", "signed_at": "Ondertekend op",
}


def field_label(column: str) -> str:
    """The Dutch name of a field of a transfer record (the column name only for a field this code
    does not know, e.g. one added by a newer version)."""
    return tr(_CTX, FIELD_LABELS[column]) if column in FIELD_LABELS else column


def field_digests(uid: str, data: dict) -> dict[str, str]:
    """Per field a short digest of its value, salted with the record's uid: the common base of a
    later merge is compared through these, never stored as values (see ``plan_merge``)."""
    return {k: hashlib.sha256(uid.encode() + b"\0" + k.encode() + b"\0" + _canonical(v)).hexdigest()[:16]
            for k, v in data.items()}


@dataclass
class Conflict:
    record: dict                                     # theirs
    kind: str
    label: str
    fields: list[tuple[str, Any, Any]]               # (column, mine, theirs): changed on BOTH sides, differently
    frozen: bool = False                             # a printed/signed plan: "theirs" is not possible
    deleted_here: bool = False
    take: dict[str, Any] = field(default_factory=dict)   # changed there only: taken over whatever is chosen
    kept: list[str] = field(default_factory=list)        # changed here only: kept whatever is chosen

    @property
    def uid(self) -> str:
        return self.record["uid"]

    def field_rows(self) -> list[tuple[str, str, Any, Any]]:
        """(column, Dutch label, mine, theirs) of the conflicting fields."""
        return [(k, field_label(k), m, t) for k, m, t in self.fields]


@dataclass
class CounsellorReport:
    """Who became the own counsellor of the workers a transfer added here (``db.transfer_repo.apply_merge``).
    The sender's ``counsellor`` is a login of the other computer: a consulent who reads a file in becomes the
    own counsellor of its new workers; anyone else keeps the sender's login only when it is an active account
    here, and otherwise leaves the worker without one."""
    importer: str = ""                                            # the importing consulent's login
    to_importer: int = 0
    kept: dict[str, int] = field(default_factory=dict)            # local login -> new workers that keep it
    unknown: dict[str, int] = field(default_factory=dict)         # sender login without an account here -> count
    sender: dict[str, int] = field(default_factory=dict)          # every sender login of a new worker -> count

    def note(self, sender: str, owner: str) -> None:
        if sender:
            self.sender[sender] = self.sender.get(sender, 0) + 1
        if owner and owner == self.importer:
            self.to_importer += 1
        elif owner:
            self.kept[owner] = self.kept.get(owner, 0) + 1
        elif sender:
            self.unknown[sender] = self.unknown.get(sender, 0) + 1

    @property
    def without(self) -> int:
        """New workers left without an own counsellor because the sender's login has no account here."""
        return sum(self.unknown.values())

    def lines(self) -> list[str]:
        """Dutch sentences for the import summary."""
        out = []
        if self.to_importer:
            out.append(_n(self.to_importer, "1 nieuwe werknemer heeft jou als eigen consulent.",
                          "{n} nieuwe werknemers hebben jou als eigen consulent."))
        if self.kept:
            n = sum(self.kept.values())
            out.append((tr(_CTX, "1 nieuwe werknemer behoudt de eigen consulent van de andere computer, die ook op "
                                 "deze computer een account heeft: {logins}.") if n == 1 else
                        tr(_CTX, "{n} nieuwe werknemers behouden hun eigen consulent van de andere computer, met een "
                                 "account op deze computer: {logins}.")).format(
                n=n, logins=", ".join(sorted(self.kept))))
        if self.unknown:
            n = self.without
            if n == 1:
                text = tr(_CTX, "1 nieuwe werknemer heeft hier geen eigen consulent: de consulent op de andere "
                                "computer ({logins}) heeft geen account op deze computer. Een consulent van het "
                                "dossier kan de werknemer zelf opvolgen, of de celcoördinator wijst iemand toe.")
            elif len(self.unknown) == 1:
                text = tr(_CTX, "{n} nieuwe werknemers hebben hier geen eigen consulent: hun consulent op de andere "
                                "computer ({logins}) heeft geen account op deze computer. Consulenten van het dossier "
                                "kunnen ze zelf opvolgen, of de celcoördinator wijst iemand toe.")
            else:
                text = tr(_CTX, "{n} nieuwe werknemers hebben hier geen eigen consulent: hun consulenten op de andere "
                                "computer ({logins}) hebben geen account op deze computer. Consulenten van het dossier "
                                "kunnen ze zelf opvolgen, of de celcoördinator wijst iemand toe.")
            out.append(text.format(n=n, logins=", ".join(sorted(self.unknown))))
        return out

    def as_dict(self) -> dict:
        return {"to_importer": self.to_importer, "importer": self.importer, "kept": dict(self.kept),
                "without_counsellor": self.without, "unknown_logins": sorted(self.unknown),
                "sender_counsellors": dict(self.sender)}


@dataclass
class MergePlan:
    partner: str
    add: list[dict] = field(default_factory=list)
    update: list[dict] = field(default_factory=list)                  # theirs as a whole (with their stamp)
    merged: list[tuple[dict, dict]] = field(default_factory=list)     # (theirs, fields to take): a mix of both
    unchanged: list[dict] = field(default_factory=list)
    kept_mine: list[dict] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reference: dict | None = None                    # the file's reference section (None: the file has none)
    reference_report: ReferenceReport | None = None  # set by db.transfer_repo.apply_merge
    dossier_name: str = ""
    erased_workers: int = 0                          # workers anonymised here: left out of the file's records
    erased_dossier: bool = False                     # the dossier is anonymised here: no worker is read in
    counsellors: CounsellorReport | None = None      # set by db.transfer_repo.apply_merge when workers were added
    # uids of workers anonymised on the other computer but not here: apply_merge erases them here too
    erased_elsewhere: list[str] = field(default_factory=list)
    # their ids here once apply_merge erased them (None: not applied yet)
    erased_elsewhere_ids: list[int] | None = None

    def counts(self) -> dict[str, dict[str, int]]:
        """What the merge does, in the counsellor's units: the dossier, its workers (a worker counts as
        updated when the worker or any of its rows is, as in conflict when any of them is) and plans."""
        status: dict[str, str] = {}
        recs: list[dict] = []
        for what, group in (("new", self.add), ("updated", self.update), ("updated", [r for r, _ in self.merged]),
                            ("kept", self.kept_mine), ("unchanged", self.unchanged),
                            ("conflict", [c.record for c in self.conflicts])):
            for r in group:
                status[r["uid"]] = what
                recs.append(r)
        rows: dict[str, set[str]] = {}
        for r in recs:
            if r["kind"] not in ("dossiers", "workers") and r.get("parent"):
                rows.setdefault(r["parent"], set()).add(status[r["uid"]])
        out = {k: {"new": 0, "updated": 0, "kept": 0, "unchanged": 0, "conflict": 0}
               for k in ("dossiers", "workers", "plans")}
        for r in recs:
            s = status[r["uid"]]
            if r["kind"] == "workers" and s != "new":
                seen = rows.get(r["uid"], set()) | {s}
                s = next(x for x in ("conflict", "updated", "new", "kept", "unchanged") if x in seen)
                s = "updated" if s == "new" else s
            if r["kind"] in out:
                out[r["kind"]][s] += 1
        return out

    def summary(self) -> str:
        """One short text for the counsellor: the dossier, workers and plans, and the conflicts."""
        c = self.counts()
        parts = []
        d = c["dossiers"]
        if d["new"]:
            parts.append(tr(_CTX, "Nieuw dossier: {naam}.").format(naam=self.dossier_name))
        elif d["updated"] or d["conflict"]:
            parts.append(tr(_CTX, "Dossier {naam} bijgewerkt.").format(naam=self.dossier_name))
        elif d["kept"] or d["unchanged"]:
            parts.append(tr(_CTX, "Dossier {naam} was hier al.").format(naam=self.dossier_name))
        w, p = c["workers"], c["plans"]
        bits = []
        if w["new"]:
            bits.append(_n(w["new"], "1 werknemer nieuw", "{n} werknemers nieuw"))
        if w["updated"]:
            bits.append(_n(w["updated"], "1 werknemer bijgewerkt", "{n} werknemers bijgewerkt"))
        if w["kept"]:
            bits.append(_n(w["kept"], "1 werknemer enkel hier gewijzigd (behouden)",
                           "{n} werknemers enkel hier gewijzigd (behouden)"))
        if w["unchanged"]:
            bits.append(_n(w["unchanged"], "1 werknemer ongewijzigd", "{n} werknemers ongewijzigd"))
        if p["new"]:
            bits.append(_n(p["new"], "1 trajectplan nieuw", "{n} trajectplannen nieuw"))
        if p["updated"]:
            bits.append(_n(p["updated"], "1 trajectplan bijgewerkt", "{n} trajectplannen bijgewerkt"))
        if bits:
            parts.append(", ".join(bits) + ".")
        if self.erased_workers and self.erased_dossier:
            parts.append(_n(self.erased_workers,
                            "Dit dossier werd op deze computer geanonimiseerd (AVG): de werknemer uit het bestand "
                            "wordt niet ingelezen.",
                            "Dit dossier werd op deze computer geanonimiseerd (AVG): de {n} werknemers uit het "
                            "bestand worden niet ingelezen."))
        elif self.erased_workers:
            parts.append(_n(self.erased_workers,
                            "1 werknemer werd op deze computer geanonimiseerd (AVG) en wordt niet opnieuw ingelezen.",
                            "{n} werknemers werden op deze computer geanonimiseerd (AVG) en worden niet opnieuw "
                            "ingelezen."))
        if self.erased_elsewhere_ids:
            parts.append(counted(len(self.erased_elsewhere_ids),
                                 tr(_CTX, "1 werknemer werd op de andere computer geanonimiseerd (AVG) en is hier "
                                          "ook geanonimiseerd."),
                                 tr(_CTX, "{n} werknemers werden op de andere computer geanonimiseerd (AVG) en zijn "
                                          "hier ook geanonimiseerd.")))
        elif self.erased_elsewhere and self.erased_elsewhere_ids is None:
            parts.append(counted(len(self.erased_elsewhere),
                                 tr(_CTX, "1 werknemer werd op de andere computer geanonimiseerd (AVG) en wordt bij "
                                          "het samenvoegen ook hier geanonimiseerd."),
                                 tr(_CTX, "{n} werknemers werden op de andere computer geanonimiseerd (AVG) en worden "
                                          "bij het samenvoegen ook hier geanonimiseerd.")))
        n = len(self.conflicts)
        parts.append(tr(_CTX, "Geen conflicten.") if n == 0 else _n(n, "1 conflict.", "{n} conflicten."))
        if self.counsellors is not None:
            parts += self.counsellors.lines()
        return " ".join(parts)

    def audit_details(self) -> dict:
        """What the import's audit entry adds to its count: workers left out because they were anonymised
        here, workers anonymised there and therefore here too (count and ids here), and the sender's counsellor
        logins of the new workers with who follows them here now."""
        d: dict = {}
        if self.erased_workers:
            d["erased_not_imported"] = self.erased_workers
        if self.erased_elsewhere_ids:
            # counts and this computer's worker ids only: nothing of the identity
            d["erased_elsewhere"] = len(self.erased_elsewhere_ids)
            d["erased_elsewhere_ids"] = list(self.erased_elsewhere_ids)[:1000]
        c = self.counsellors
        if c is not None and (c.sender or c.to_importer or c.kept):
            d["sender_counsellors"] = dict(c.sender)
            assigned = dict(c.kept)
            if c.to_importer:
                assigned[c.importer] = assigned.get(c.importer, 0) + c.to_importer
            if assigned:
                d["own_counsellors"] = assigned
            if c.without:
                d["without_counsellor"] = c.without
        return d


def _n(n: int, one: str, many: str) -> str:
    """``one`` for 1, else ``many`` with {n}: both forms go through translation."""
    return tr(_CTX, one) if n == 1 else tr(_CTX, many).format(n=n)


def record_label(rec: dict) -> str:
    d = rec.get("data", {})
    kind = tr(_CTX, KIND_LABELS.get(rec["kind"], rec["kind"]))
    if rec["kind"] == "workers":
        name = f"{d.get('first_names', '')} {d.get('surname', '')}".strip()
    elif rec["kind"] == "dossiers":
        name = d.get("company_name", "")
    elif rec["kind"] == "plans":
        name = tr(_CTX, "versie {v}").format(v=d.get("version"))
    else:
        name = str(d.get("text") or d.get("job_title") or d.get("label") or d.get("language") or d.get("date")
                   or d.get("kind") or "")
    return f"{kind} {name}".strip()


def _field_merge(rec: dict, mine: dict, diff: list[tuple[str, Any, Any]], bases: list[dict[str, str]]):
    """Three-way merge of one record changed on both sides. ``bases``: digests of the fields as both sides
    last had them in common (``field_digests``). Returns (take, kept, clash): fields changed there only,
    changed here only, changed on both sides (or whose base is unknown: then the counsellor decides)."""
    uid = rec["uid"]
    take: dict[str, Any] = {}
    kept: list[str] = []
    clash: list[tuple[str, Any, Any]] = []
    mine_d = field_digests(uid, {k: m for k, m, _ in diff})
    theirs_d = field_digests(uid, {k: t for k, _, t in diff})
    for k, m, t in diff:
        base = {b[k] for b in bases if k in b}
        theirs_same, mine_same = theirs_d[k] in base, mine_d[k] in base
        if base and theirs_same and not mine_same:
            kept.append(k)
        elif base and mine_same and not theirs_same:
            take[k] = t
        else:
            clash.append((k, m, t))
    return take, kept, clash


def plan_merge(partner: str, incoming: list[dict], local: dict[str, dict], shared: dict[str, set[str]],
               bases: dict[str, list[dict[str, str]]] | None = None) -> MergePlan:
    """Decide per incoming record. ``local``: uid -> this side's record (same shape); ``shared``: uid -> stamps
    both sides had in common (from this side's sync state and the sender's ``seen``); ``bases``: uid -> field
    digests both sides had in common (this side's ``seen_fields`` and the sender's).

    A record changed on one side only (by its stamps) is taken from that side. One changed on both sides is
    merged field by field against the common base: a field changed on one side only is taken from that
    side, a field changed on both sides to different values is a conflict. Without a known base (a file or
    a sync state from before schema 8) every differing field of such a record is a conflict.

    A worker the file says is anonymised while this side still has it (``erased_elsewhere``) is erased here by
    ``apply_merge``; its records are settled without asking, never left as a conflict: a field changed on both
    sides takes the file's value, a printed plan or a row deleted here stays as it is here."""
    plan = MergePlan(partner)
    bases = bases or {}
    plan.erased_elsewhere = erased_elsewhere(incoming, local)
    elsewhere = set(plan.erased_elsewhere)
    for rec in incoming:
        if rec["kind"] == "dossiers" and not plan.dossier_name:
            plan.dossier_name = str(rec.get("data", {}).get("company_name") or "")
        mine = local.get(rec["uid"])
        common = shared.get(rec["uid"], set())
        settle = rec["uid"] in elsewhere or (rec["kind"] not in ("dossiers", "workers")
                                             and rec.get("parent") in elsewhere)
        if mine is None:
            if common and settle:
                plan.kept_mine.append(rec)          # deleted here: stays deleted, the erasure needs nothing of it
            elif common:
                plan.conflicts.append(Conflict(rec, rec["kind"], record_label(rec),
                                               [(k, None, v) for k, v in rec["data"].items()], deleted_here=True))
            else:
                plan.add.append(rec)
            continue
        diff = [(k, mine["data"].get(k), v) for k, v in rec["data"].items()
                if mine["data"].get(k) != v and not local_field(rec["kind"], k)]
        if not diff:
            plan.unchanged.append(rec)
            continue
        frozen = rec["kind"] == "plans" and mine["data"].get("status", "concept") != "concept" \
            and any(k in PLAN_FROZEN_COLUMNS for k, _, _ in diff)
        theirs_changed = rec["modified"] not in common
        mine_changed = mine["modified"] not in common
        if frozen and theirs_changed and settle:
            plan.kept_mine.append(rec)              # printed or signed here: the erasure here blanks it
        elif frozen and theirs_changed:
            plan.conflicts.append(Conflict(rec, rec["kind"], record_label(rec), diff, frozen=True))
        elif theirs_changed and mine_changed:
            take, kept, clash = _field_merge(rec, mine, diff, bases.get(rec["uid"], []))
            if clash and settle:
                # no choice to make: the file's value (the identity fields are blank there, and the erasure
                # here clears what it clears whatever is taken); the statistics follow the erasing side
                _classify(plan, rec, take | {k: t for k, _, t in clash}, kept)
            elif clash:
                plan.conflicts.append(Conflict(rec, rec["kind"], record_label(rec), clash, take=take, kept=kept))
            else:
                _classify(plan, rec, take, kept)
        elif theirs_changed or (not mine_changed and rec["modified"] > mine["modified"]):
            plan.update.append(rec)
        else:
            plan.kept_mine.append(rec)
    return plan


def erased_elsewhere(incoming: list[dict], local: dict[str, dict]) -> list[str]:
    """The uids of the workers the file says are anonymised (``anonymised_at`` set on the other computer)
    while this side has them and has not anonymised them: the erasure travels (``apply_merge``). A file
    written before the column existed carries no ``anonymised_at``: nothing is found then."""
    out = []
    for rec in incoming:
        if rec.get("kind") != "workers" or not (rec.get("data") or {}).get("anonymised_at"):
            continue
        mine = local.get(rec["uid"])
        if mine is not None and not (mine.get("data") or {}).get("anonymised_at"):
            out.append(rec["uid"])
    return out


def _classify(plan: MergePlan, rec: dict, take: dict, kept: list[str]) -> None:
    """Where a record merged field by field goes: nothing taken (kept here), every differing field taken
    (theirs as a whole, with their stamp), or a mix of both sides (a new stamp: see ``apply_merge``)."""
    if not take:
        plan.kept_mine.append(rec)
    elif not kept:
        plan.update.append(rec)
    else:
        plan.merged.append((rec, take))


def resolve(plan: MergePlan, choices: dict[str, Any]) -> list[Conflict]:
    """Apply the counsellor's choices; returns the conflicts left open. A choice is, per conflict uid,
    "mine" | "theirs" for all its conflicting fields, or {column: "mine" | "theirs"} per field (a field
    without a choice leaves the conflict open). Only the conflicting fields follow the choice: fields
    changed on one side only are merged as without a conflict.

    "theirs" on a frozen plan is refused: this side's version stays, with a note.
    """
    still = []
    for c in plan.conflicts:
        choice = choices.get(c.uid)
        if isinstance(choice, dict):
            per = {k: choice.get(k) for k, _, _ in c.fields}
        else:
            per = {k: choice for k, _, _ in c.fields}
        if not per or any(v not in ("mine", "theirs") for v in per.values()):
            still.append(c)
            continue
        wants_theirs = any(v == "theirs" for v in per.values())
        if c.frozen and wants_theirs:
            plan.notes.append(tr(_CTX, "{wat} werd al afgedrukt of ondertekend en blijft ongewijzigd; maak een "
                                       "nieuwe versie.").format(wat=c.label))
            plan.kept_mine.append(c.record)
        elif c.deleted_here:
            (plan.add if wants_theirs else plan.kept_mine).append(c.record)
        else:
            take = dict(c.take) | {k: t for k, _, t in c.fields if per[k] == "theirs"}
            kept = c.kept + [k for k, _, _ in c.fields if per[k] == "mine"]
            _classify(plan, c.record, take, kept)
    plan.conflicts = still
    return still
