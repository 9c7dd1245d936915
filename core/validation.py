"""Validation of identity numbers, addresses and dates; messages in Dutch, naming the field."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stdnum import exceptions as stdnum_exc
from stdnum.be import bis, nn, ssn, vat

from core.cell_rules import CellRules, add_months
from core.i18n import tr
from core.model import Dossier, Sex, Statute, Worker

_CTX = "validatie"


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


class ValidationError(ValueError):
    """One or more fields are invalid; nothing may be saved."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        super().__init__("; ".join(e.message for e in self.errors))

    def for_field(self, name: str) -> list[FieldError]:
        return [e for e in self.errors if e.field == name]


@dataclass(frozen=True)
class InszInfo:
    number: str              # 11 digits
    kind: str                # "NN" (national register) or "BIS"
    birth_date: dt.date | None
    sex: Sex | None


def compact_insz(value: str | int | float) -> str:
    """Digits of an INSZ as typed or read from a spreadsheet (leading zeros restored)."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or value != int(value):
            return str(value)
        value = int(value)
    if isinstance(value, int):
        return f"{value:011d}"
    return re.sub(r"[\s.\-/]", "", str(value).strip())


def format_insz(number: str) -> str:
    d = compact_insz(number)
    if len(d) != 11 or not d.isdigit():
        return str(number)
    return f"{d[0:2]}.{d[2:4]}.{d[4:6]}-{d[6:9]}.{d[9:11]}"


def mask_insz(number: str, visible: int = 4) -> str:
    """INSZ for print-outs: only the last digits visible (e.g. ``**.**.**-*12.34``)."""
    d = compact_insz(number)
    if len(d) != 11 or not d.isdigit():
        return "*" * len(d)
    masked = "*" * (11 - visible) + d[-visible:]
    return f"{masked[0:2]}.{masked[2:4]}.{masked[4:6]}-{masked[6:9]}.{masked[9:11]}"


def parse_insz(value: str | int | float) -> InszInfo:
    """Validate an INSZ (national register or BIS number) with python-stdnum.

    Raises ValueError with a Dutch message when it is invalid.
    """
    d = compact_insz(value)
    if not d:
        raise ValueError(tr(_CTX, "INSZ is leeg."))
    if not d.isdigit() or len(d) != 11:
        raise ValueError(tr(_CTX, "INSZ moet 11 cijfers hebben (bv. 85.07.30-033.28)."))
    try:
        ssn.validate(d)
    except stdnum_exc.InvalidChecksum:
        raise ValueError(tr(_CTX, "INSZ is ongeldig: het controlegetal klopt niet.")) from None
    except stdnum_exc.ValidationError:
        raise ValueError(tr(_CTX, "INSZ is ongeldig: geen bestaande datum of volgnummer.")) from None
    kind = "BIS" if ssn.guess_type(d) == "bis" else "NN"
    module = bis if kind == "BIS" else nn
    try:
        birth = module.get_birth_date(d)
    except stdnum_exc.ValidationError:
        birth = None
    try:
        gender = module.get_gender(d)
    except stdnum_exc.ValidationError:
        gender = None
    sex = {"M": Sex.M, "F": Sex.V}.get(gender or "")
    return InszInfo(d, kind, birth, sex)


def validate_kbo(value: str) -> str:
    """Validate a KBO/BCE enterprise number; returns its 10 digits."""
    digits = re.sub(r"[\s.\-]", "", value or "").upper().removeprefix("BE")
    if len(digits) == 9:
        digits = "0" + digits
    if not digits.isdigit() or len(digits) != 10:
        raise ValueError(tr(_CTX, "KBO-nummer moet 10 cijfers hebben (bv. 0403.170.701)."))
    if not vat.is_valid(digits):
        raise ValueError(tr(_CTX, "KBO-nummer is ongeldig: het controlegetal klopt niet."))
    return digits


def format_kbo(digits: str) -> str:
    d = re.sub(r"\D", "", digits or "")
    return f"{d[0:4]}.{d[4:7]}.{d[7:10]}" if len(d) == 10 else digits


def validate_postcode(value: str) -> str:
    v = (value or "").strip()
    if not re.fullmatch(r"[0-9]{4}", v) or not 1000 <= int(v) <= 9999:     # ASCII digits only
        raise ValueError(tr(_CTX, "Postcode moet uit 4 cijfers bestaan (1000-9999)."))
    return v


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s/.\-()]{8,20}$")


def validate_dossier(d: Dossier) -> list[FieldError]:
    errors: list[FieldError] = []
    if not d.company_name.strip():
        errors.append(FieldError("company_name", tr(_CTX, "Bedrijfsnaam is verplicht.")))
    if d.kbo_number:
        try:
            validate_kbo(d.kbo_number)
        except ValueError as e:
            errors.append(FieldError("kbo_number", str(e)))
    if d.joint_committee and not re.fullmatch(r"\d{3}(\.\d{1,2})*", d.joint_committee.strip()):
        errors.append(FieldError("joint_committee",
                                 tr(_CTX, "Paritair comité moet een nummer zijn zoals 111 of 140.03.")))
    a, f, last = d.announcement_date, d.first_dismissal_date, d.last_dismissal_date
    if a and f and f < a:
        errors.append(FieldError("first_dismissal_date",
                                 tr(_CTX, "Eerste ontslagdatum ligt vóór de aankondigingsdatum.")))
    if f and last and last < f:
        errors.append(FieldError("last_dismissal_date",
                                 tr(_CTX, "Laatste ontslagdatum ligt vóór de eerste ontslagdatum.")))
    return errors


def validate_worker(w: Worker, dossier: Dossier | None = None, today: dt.date | None = None,
                    rules: CellRules | None = None) -> list[FieldError]:
    """All problems of a worker record; an empty list means it may be saved."""
    today = today or dt.date.today()
    rules = rules or CellRules()
    errors: list[FieldError] = []
    if not w.surname.strip():
        errors.append(FieldError("surname", tr(_CTX, "Naam is verplicht.")))
    if not w.first_names.strip():
        errors.append(FieldError("first_names", tr(_CTX, "Voornaam is verplicht.")))
    if w.birth_date and w.birth_date > today:
        errors.append(FieldError("birth_date", tr(_CTX, "Geboortedatum ligt in de toekomst.")))
    if w.birth_date and w.birth_date < dt.date(today.year - 100, 1, 1):
        errors.append(FieldError("birth_date", tr(_CTX, "Geboortedatum is onwaarschijnlijk (meer dan 100 jaar geleden).")))
    if w.insz:
        try:
            info = parse_insz(w.insz)
        except ValueError as e:
            errors.append(FieldError("insz", str(e)))
        else:
            if w.birth_date and info.birth_date and info.birth_date != w.birth_date:
                errors.append(FieldError("birth_date", tr(
                    _CTX, "Geboortedatum komt niet overeen met het INSZ ({datum}).").format(
                        datum=info.birth_date.strftime("%d/%m/%Y"))))
            if w.sex in (Sex.M, Sex.V) and info.sex and info.sex != w.sex:
                errors.append(FieldError("sex", tr(_CTX, "Geslacht komt niet overeen met het INSZ.")))
    if w.postcode:
        try:
            validate_postcode(w.postcode)
        except ValueError as e:
            errors.append(FieldError("postcode", str(e)))
    if w.email and not _EMAIL.match(w.email.strip()):
        errors.append(FieldError("email", tr(_CTX, "E-mailadres is ongeldig.")))
    if w.phone and not _PHONE.match(w.phone.strip()):
        errors.append(FieldError("phone", tr(_CTX, "Telefoonnummer is ongeldig.")))
    if w.preferred_language not in ("nl", "fr", "de", "en"):
        errors.append(FieldError("preferred_language", tr(_CTX, "Voorkeurstaal moet nl, fr, de of en zijn.")))
    if w.statute not in {s.value for s in Statute}:
        errors.append(FieldError("statute", tr(_CTX, "Statuut moet arbeider, bediende of onbekend zijn.")))
    if w.vks_level is not None and not 1 <= w.vks_level <= 8:
        errors.append(FieldError("vks_level", tr(_CTX, "VKS-niveau ligt tussen 1 en 8.")))
    if w.birth_date and w.seniority_start and w.seniority_start < w.birth_date:
        errors.append(FieldError("seniority_start", tr(_CTX, "Anciënniteit begint vóór de geboortedatum.")))
    elif w.birth_date and w.seniority_start and w.seniority_start < add_months(w.birth_date, 12 * rules.min_working_age):
        errors.append(FieldError("seniority_start", tr(
            _CTX, "Anciënniteit begint vóór de werknemer {leeftijd} jaar werd ({datum}), de minimumleeftijd om te werken.").format(
                leeftijd=rules.min_working_age,
                datum=add_months(w.birth_date, 12 * rules.min_working_age).strftime("%d/%m/%Y"))))
    if w.seniority_start and w.dismissal_date and w.dismissal_date < w.seniority_start:
        errors.append(FieldError("dismissal_date", tr(_CTX, "Ontslagdatum ligt vóór de start van de anciënniteit.")))
    if dossier and dossier.announcement_date and w.dismissal_date and w.dismissal_date < dossier.announcement_date:
        errors.append(FieldError("dismissal_date", tr(_CTX, "Ontslagdatum ligt vóór de aankondiging van het collectief ontslag.")))
    if w.mobility.max_commute_minutes is not None and not 0 <= w.mobility.max_commute_minutes <= 300:
        errors.append(FieldError("max_commute_minutes", tr(_CTX, "Maximale pendeltijd ligt tussen 0 en 300 minuten.")))
    for c in w.competences:
        if not 1 <= c.level <= 4:
            errors.append(FieldError("competences", tr(_CTX, "Niveau van een competentie ligt tussen 1 en 4.")))
            break
    for cert in w.certificates:
        if cert.date_obtained and cert.expiry_date and cert.expiry_date < cert.date_obtained:
            errors.append(FieldError("certificates", tr(_CTX, "Vervaldatum van een attest ligt vóór de behaaldatum.")))
            break
    return errors
