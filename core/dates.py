"""Dates as Belgian counsellors and employers write them."""
from __future__ import annotations

import datetime as dt
import re

from core.i18n import tr

_EXCEL_EPOCH = dt.date(1899, 12, 30)
# a time after a date (a date-time cell written out as text) is left out; any other text after
# the date ("1/2/2026 of 3/2") makes the value unreadable, it is not cut off in silence
_TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"


def parse_date(value, *, field_label: str = "", spreadsheet: bool = False,
               today: dt.date | None = None) -> dt.date | None:
    """dd/mm/yyyy, d/m/yy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, ddmmyyyy; '' -> None.

    Two-digit years: 00..(this year + 1) mean 20xx, the rest 19xx.

    A number (int or float) is an Excel serial: only a spreadsheet cell gives one. Typed text of
    five digits ("10226", "31122") is refused: it is a date typed without its separators, not a
    day count since 1899. ``spreadsheet=True`` (the import of a file) reads such text as a serial
    too, since a column of dates can reach a CSV as numbers. Typed text may say "vandaag"
    (``today``, default the computer's date).
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(_bad(field_label, str(value)))
    text = str(value).strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]" + _TIME + ")?", text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?: +" + _TIME + ")?", text)
        if m:
            d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if len(m.group(3)) == 2:
                pivot = (dt.date.today().year + 1) % 100
                y += 2000 if y <= pivot else 1900
        elif re.fullmatch(r"\d{8}", text):
            d, mo, y = int(text[:2]), int(text[2:4]), int(text[4:])
        elif re.fullmatch(r"\d{5}(\.0+)?", text):
            if spreadsheet:
                return parse_date(float(text), field_label=field_label)
            raise ValueError(tr("validatie", "{veld}{waarde} is geen datum: typ de datum als dd/mm/jjjj (bv. 10/02/2026).").format(
                veld=f"{field_label}: " if field_label else "", waarde=text))
        elif not spreadsheet and text.lower() == "vandaag":
            return today or dt.date.today()
        else:
            raise ValueError(_bad(field_label, text))
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueError(tr("validatie", "{veld}{waarde} is geen bestaande datum.").format(
            veld=f"{field_label}: " if field_label else "", waarde=text)) from None


def _bad(field_label: str, text: str) -> str:
    return tr("validatie", "{veld}{waarde} is geen geldige datum (gebruik dd/mm/jjjj).").format(
        veld=f"{field_label}: " if field_label else "", waarde=text)


def format_date(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def local_time_text(stamp) -> str:
    """A stored UTC time stamp ("2026-11-28T04:32:59.123456Z") as local time, dd/mm/jjjj HH:MM.

    Stored values stay UTC; only what the counsellor reads is in the computer's own time zone
    (Europe/Brussels on a Belgian laptop, summer time included). A value without a zone is taken
    as UTC too; one that is not a time stamp is returned as it is; empty gives ''."""
    if not stamp:
        return ""
    text = str(stamp).strip()
    try:
        t = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return text
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.astimezone().strftime("%d/%m/%Y %H:%M")
