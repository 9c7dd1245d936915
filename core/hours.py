"""Hours of outplacement as counsellors type them, and as they read them back.

One parser for every place where hours are typed: "1,5", "1.5", "1u30", "1u", "1:30", "90 min",
"0,25". A decimal point is a decimal sign here, never a thousands separator: no contact lasts a
thousand hours.

Stored precision: hours are kept as typed, to the hundredth of an hour for a decimal number
(0,25 stays 0,25) and to the minute for hours and minutes (1u20 is 80 minutes). What cannot be
kept like that (a third decimal, seconds) is refused, never rounded in silence.
"""
from __future__ import annotations

import math
import re

from core.i18n import tr

_CTX = "uren"
MAX_HOURS_PER_CONTACT = 24

_SPACES = re.compile(r"\s+")
# 1,5 / 1.5 / 2 / ,5 / 2 u / 2 uur / 1,5h
_DECIMAL = re.compile(r"(\d*)(?:[.,](\d+))?\s*(?:u|uur|uren|h|hr|hrs|hour|hours|heure|heures)?")
# 1u30 / 1 u 30 / 1h30 / 1 uur 30 / 1u30m / 1u30 min
_HOURS_MINUTES = re.compile(r"(\d+)\s*(?:u|uur|h)\s*(\d{1,2})\s*(?:m|min|minuten|minuut)?")
# 1:30
_CLOCK = re.compile(r"(\d+):(\d{2})")
# 90 min / 90m / 45 minuten
_MINUTES = re.compile(r"(\d+)\s*(?:m|min|mins|minuten|minuut|minutes)")


def _label(field_label: str) -> str:
    return f"{field_label}: " if field_label else ""


def parse_hours(value, *, field_label: str = "") -> float:
    """The hours of one contact; '' or None -> 0.0. Raises ValueError with a Dutch message for
    text that is not a number of hours, for more than two decimals and for more than 24 hours."""
    if value is None:
        return 0.0
    if isinstance(value, bool):
        raise ValueError(_unreadable(field_label, str(value)))
    if isinstance(value, (int, float)):
        hours = float(value)
        if not math.isfinite(hours) or hours < 0:
            raise ValueError(_unreadable(field_label, str(value)))
        if abs(round(hours, 2) - hours) > 1e-9 and abs(round(hours * 60) - hours * 60) > 1e-6:
            raise ValueError(_too_precise(field_label, str(value)))
        return _checked(hours, field_label, str(value))
    text = str(value).strip()
    if not text:
        return 0.0
    shown = text
    text = _SPACES.sub(" ", text.lower())
    m = _HOURS_MINUTES.fullmatch(text) or _CLOCK.fullmatch(text)
    if m:
        hours, minutes = int(m.group(1)), int(m.group(2))
        if minutes >= 60:
            raise ValueError(tr(_CTX, "{veld}{waarde}: een uur heeft maar 60 minuten (bv. 1u30).").format(
                veld=_label(field_label), waarde=shown))
        return _checked(hours + minutes / 60, field_label, shown)
    m = _MINUTES.fullmatch(text)
    if m:
        return _checked(int(m.group(1)) / 60, field_label, shown)
    m = _DECIMAL.fullmatch(text)
    if m and (m.group(1) or m.group(2)):
        whole, fraction = m.group(1) or "0", m.group(2) or ""
        if len(fraction) > 2:
            raise ValueError(_too_precise(field_label, shown))
        hours = int(whole) + (int(fraction) / 10 ** len(fraction) if fraction else 0)
        return _checked(round(hours, 2), field_label, shown)
    raise ValueError(_unreadable(field_label, shown))


def _checked(hours: float, field_label: str, shown: str) -> float:
    if hours > MAX_HOURS_PER_CONTACT:
        raise ValueError(tr(_CTX, "{veld}{waarde} uur is te veel voor één contact (hoogstens {max} uur).").format(
            veld=_label(field_label), waarde=shown, max=MAX_HOURS_PER_CONTACT))
    return float(hours)


def _unreadable(field_label: str, shown: str) -> str:
    return tr(_CTX, "{veld}{waarde} is geen aantal uren (typ bv. 1,5 of 1u30 of 90 min).").format(
        veld=_label(field_label), waarde=shown)


def _too_precise(field_label: str, shown: str) -> str:
    return tr(_CTX, "{veld}{waarde}: typ uren met hoogstens twee cijfers na de komma (bv. 0,25) of in uren en minuten (bv. 1u20).").format(
        veld=_label(field_label), waarde=shown)


def format_hours(hours: float) -> str:
    """Hours as a Flemish reader writes them: 3,5 and 20 and 0,25 (no trailing zeros, at most two
    decimals; 80 minutes read 1,33)."""
    text = f"{round(float(hours) + 0.0, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace(".", ",")


def hours_text(hours: float) -> str:
    """What an hours field shows for a stored value: '' for none, else the value in a form that
    parse_hours reads back to the same value (1,5; 0,25; 1u20 for 80 minutes)."""
    if not hours:
        return ""
    text = format_hours(hours)
    if abs(parse_hours(text) - hours) < 1e-9:
        return text
    minutes = round(hours * 60)
    return f"{minutes // 60}u{minutes % 60:02d}"
