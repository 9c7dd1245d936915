"""Conversions between core values and SQLite columns."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, fields
from typing import Any


def date_out(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def date_in(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def json_out(obj: Any) -> str:
    return json.dumps(asdict(obj), ensure_ascii=False, sort_keys=True)


def json_in(cls, text: str | None):
    data = json.loads(text or "{}")
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in known})
