"""Turn the cells of one row into a Worker, collecting errors and warnings in Dutch."""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from core.dates import parse_date
from core.i18n import tr
from core.importers.mapping import field_label
from core.model import Sex, Statute, Worker
from core.validation import compact_insz, parse_insz

_CTX = "import"

_STATUTE = {"arbeider": Statute.ARBEIDER, "arb": Statute.ARBEIDER, "a": Statute.ARBEIDER, "ouvrier": Statute.ARBEIDER,
            "ouvriere": Statute.ARBEIDER, "arbeidster": Statute.ARBEIDER, "worker": Statute.ARBEIDER,
            "bediende": Statute.BEDIENDE, "bed": Statute.BEDIENDE, "b": Statute.BEDIENDE, "e": Statute.BEDIENDE,
            "employe": Statute.BEDIENDE, "employee": Statute.BEDIENDE, "bediende kader": Statute.BEDIENDE,
            "kader": Statute.BEDIENDE, "cadre": Statute.BEDIENDE, "employée": Statute.BEDIENDE,
            # the list itself says it does not know: kept as unknown without a warning
            "onbekend": Statute.ONBEKEND, "ongekend": Statute.ONBEKEND, "niet gekend": Statute.ONBEKEND,
            "inconnu": Statute.ONBEKEND, "unknown": Statute.ONBEKEND}
_SEX = {"m": Sex.M, "man": Sex.M, "mannelijk": Sex.M, "h": Sex.M, "homme": Sex.M, "male": Sex.M,
        "v": Sex.V, "vrouw": Sex.V, "vrouwelijk": Sex.V, "f": Sex.V, "femme": Sex.V, "female": Sex.V, "x": Sex.X}
_LANG = {"nl": "nl", "nederlands": "nl", "ned": "nl", "n": "nl", "fr": "fr", "frans": "fr", "francais": "fr",
         "f": "fr", "de": "de", "duits": "de", "en": "en", "engels": "en"}


def text_of(value: Any) -> str:
    """A cell as the counsellor would read it (dates as dd/mm/yyyy, 12.0 as 12)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _fold(text: str) -> str:
    import unicodedata
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z ]+", "", t).strip()


class RowResult:
    """Errors block the row; warnings let it through when the caller accepts them."""
    __slots__ = ("errors", "warnings", "notes", "fields")

    def __init__(self):
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.notes: list[str] = []        # exact repairs: shown, but the row stays valid
        self.fields: set[str] = set()     # fields with a problem (for colouring cells)

    def error(self, field: str, msg: str) -> None:
        self.errors.append(msg)
        self.fields.add(field)

    def warn(self, field: str, msg: str) -> None:
        self.warnings.append(msg)
        self.fields.add(field)


def _insz(value: Any, res: RowResult) -> tuple[str, Any]:
    """(11 digits or '', InszInfo or None). Numbers that lost their leading zero are repaired."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "", None
    if isinstance(value, bool):
        res.error("insz", tr(_CTX, "INSZ is ongeldig: {waarde}.").format(waarde=value))
        return "", None
    if isinstance(value, float) and not value.is_integer():
        res.error("insz", tr(_CTX, "INSZ is ongeldig: {waarde} (een kommagetal).").format(waarde=value))
        return "", None
    digits = compact_insz(value)
    repaired = False
    if not isinstance(value, (int, float)) and digits.isdigit() and 9 <= len(digits) < 11:
        digits, repaired = digits.zfill(11), True   # a number column exported to CSV lost its zeros
    elif isinstance(value, (int, float)) and (not isinstance(value, float) or math.isfinite(value)) \
            and len(str(int(value))) < 11:
        repaired = True
    try:
        info = parse_insz(digits)
    except ValueError as e:
        res.error("insz", str(e))
        return "", None
    if repaired:
        res.notes.append(tr(_CTX, "INSZ had geen voorloopnul (als getal bewaard); hersteld tot {insz}.").format(
            insz=info.number))
    return info.number, info


def _date(field: str, value: Any, res: RowResult) -> dt.date | None:
    try:
        return parse_date(value, field_label=field_label(field), spreadsheet=True)
    except ValueError as e:
        res.error(field, str(e))
        return None


def _seniority(value: Any, res: RowResult, today: dt.date) -> dt.date | None:
    """A start date, or a number of years (then counted back from today, with a warning)."""
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{1,2})([.,]\d+)?\s*(jaar|jaren|j|ans?)?", value.strip().lower())
        if m:
            value = float(m.group(1) + (m.group(2) or "").replace(",", "."))
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 70:
        days = int(round(float(value) * 365.25))
        res.warn("seniority_start", tr(_CTX, "Anciënniteit {jaren} jaar omgerekend naar een startdatum.").format(
            jaren=text_of(value)))
        return today - dt.timedelta(days=days)
    return _date("seniority_start", value, res)


def _postcode(value: Any) -> str:
    t = text_of(value)
    m = re.fullmatch(r"(?:B[- ]?)?(\d{4})", t.upper())
    return m.group(1) if m else t


def _phone(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return text_of(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        t = str(int(value))
        return "0" + t if len(t) in (8, 9) else t        # leading zero lost in a number cell
    return text_of(value)


def build_worker(values: dict[str, Any], dossier_id: int | None, today: dt.date) -> tuple[Worker, RowResult, Any]:
    """Worker from mapped values (field -> cell). Returns (worker, problems so far, InszInfo or None)."""
    res = RowResult()
    t = {f: text_of(v) for f, v in values.items()}
    w = Worker(surname=t.get("surname", ""), first_names=t.get("first_names", ""), dossier_id=dossier_id)
    w.insz, info = _insz(values.get("insz"), res)
    if "birth_date" in values:
        w.birth_date = _date("birth_date", values["birth_date"], res)
    if w.birth_date is None and info is not None and info.birth_date and "birth_date" not in res.fields:
        w.birth_date = info.birth_date
    if values.get("sex") not in (None, ""):
        sex = _SEX.get(_fold(t["sex"]))
        if sex is None:
            res.warn("sex", tr(_CTX, "Geslacht {waarde} is onbekend; niet ingevuld.").format(waarde=t["sex"]))
        w.sex = sex
    elif info is not None:
        w.sex = info.sex
    # No statute column, an empty cell or a value that is not read as a statute: the statute stays
    # unknown (the Worker default), never arbeider by assumption.
    if t.get("statute"):
        st = _STATUTE.get(_fold(t["statute"]))
        if st is None:
            res.warn("statute", tr(_CTX, "Statuut {waarde} is niet herkend (arbeider of bediende verwacht); "
                                         "het statuut blijft onbekend.").format(waarde=t["statute"]))
        else:
            w.statute = st
    if values.get("seniority_start") not in (None, ""):
        w.seniority_start = _seniority(values["seniority_start"], res, today)
    if "dismissal_date" in values:
        w.dismissal_date = _date("dismissal_date", values["dismissal_date"], res)
    if values.get("preferred_language") not in (None, ""):
        lang = _LANG.get(_fold(t["preferred_language"]))
        if lang is None:
            res.warn("preferred_language", tr(_CTX, "Taal {waarde} is onbekend; Nederlands ingevuld.").format(
                waarde=t["preferred_language"]))
        w.preferred_language = lang or "nl"
    w.postcode = _postcode(values.get("postcode"))
    w.phone = _phone(values.get("phone"))
    w.street = t.get("street", "")
    w.municipality = t.get("municipality", "")
    w.email = t.get("email", "")
    w.previous_job_title = t.get("previous_job_title", "")
    w.highest_diploma = t.get("highest_diploma", "")
    return w, res, info
