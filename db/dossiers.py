"""Dossier repository."""
from __future__ import annotations

import sqlite3

import sqlite_utils

from core.i18n import tr
from core.model import Dossier, DossierStatus, DossierSummary
from core.validation import ValidationError, validate_dossier, validate_kbo
from db.accounts import BOUND, dossier_scope, resolve
from db.convert import date_in, date_out, utc_now
from db.errors import ChangedElsewhere

_COLS = ("company_name", "kbo_number", "joint_committee", "site_address", "announcement_date",
         "first_dismissal_date", "last_dismissal_date", "cell_start_date", "outplacement_bureau", "status")


class NotFound(LookupError):
    pass


def _row(d: Dossier) -> dict:
    return {
        "company_name": d.company_name.strip(),
        "kbo_number": validate_kbo(d.kbo_number) if d.kbo_number else "",
        "joint_committee": d.joint_committee.strip(),
        "site_address": d.site_address.strip(),
        "announcement_date": date_out(d.announcement_date),
        "first_dismissal_date": date_out(d.first_dismissal_date),
        "last_dismissal_date": date_out(d.last_dismissal_date),
        "cell_start_date": date_out(d.cell_start_date),
        "outplacement_bureau": d.outplacement_bureau.strip(),
        "status": DossierStatus(d.status).value,
    }


def _from_row(r: sqlite3.Row | dict) -> Dossier:
    return Dossier(
        id=r["id"], uid=r["uid"], modified=r["modified"],
        company_name=r["company_name"], kbo_number=r["kbo_number"], joint_committee=r["joint_committee"],
        site_address=r["site_address"], announcement_date=date_in(r["announcement_date"]),
        first_dismissal_date=date_in(r["first_dismissal_date"]), last_dismissal_date=date_in(r["last_dismissal_date"]),
        cell_start_date=date_in(r["cell_start_date"]), outplacement_bureau=r["outplacement_bureau"],
        status=DossierStatus(r["status"]))


class DossierRepository:
    """``principal``: default the account signed in on ``db`` (None = the system): a consulent sees
    only the dossiers assigned to them. ``audit``: sink for changes (default: the session's)."""

    def __init__(self, db: sqlite_utils.Database, principal=BOUND, audit=BOUND):
        self.db = db
        self.principal, self.audit = resolve(db, principal, audit)

    def _where(self, column: str = "id") -> tuple[str, list]:
        return dossier_scope(self.principal, column)

    def _require_visible(self, dossier_id: int) -> None:
        cond, params = self._where()
        if cond and self.db.execute(f"SELECT 1 FROM dossiers WHERE id = ? AND {cond}",
                                    [dossier_id, *params]).fetchone() is None:
            raise NotFound(tr("database", "Dossier {id} bestaat niet.").format(id=dossier_id))

    def add(self, d: Dossier) -> Dossier:
        errors = validate_dossier(d)
        if errors:
            raise ValidationError(errors)
        row = _row(d) | {"uid": d.uid, "modified": utc_now()}
        with self.db.atomic():
            cur = self.db.execute(
                f"INSERT INTO dossiers ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
            if self.principal is not None and not self.principal.sees_all_dossiers:
                self.db.execute("INSERT INTO dossier_counsellors (dossier_id, account_id) VALUES (?, ?)",
                                [cur.lastrowid, self.principal.account_id])   # a consulent's own new dossier
            if self.audit is not None:
                self.audit.created("dossier", cur.lastrowid)
        return self.get(cur.lastrowid)

    def update(self, d: Dossier) -> Dossier:
        if d.id is None:
            raise ValueError("dossier has no id")
        errors = validate_dossier(d)
        if errors:
            raise ValidationError(errors)
        self._require_visible(d.id)
        row = _row(d) | {"modified": utc_now()}
        with self.db.atomic():
            before = list(self.db.query("SELECT * FROM dossiers WHERE id = ?", [d.id]))
            if d.modified and before and before[0]["modified"] != d.modified:
                raise ChangedElsewhere(tr("database", "Dit dossier ({naam}) werd intussen elders gewijzigd (in een "
                                                      "ander venster, met een overdrachtsbestand of een opdracht). "
                                                      "Je wijzigingen zijn niet bewaard, zodat die andere wijziging "
                                                      "niet verloren gaat. Herlaad het dossier en voer je wijzigingen "
                                                      "daarna opnieuw in.").format(naam=before[0]["company_name"]))
            if self.audit is None:
                before = []
            cur = self.db.execute(f"UPDATE dossiers SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
                                  [*row.values(), d.id])
            if cur.rowcount != 1:
                raise NotFound(tr("database", "Dossier {id} bestaat niet.").format(id=d.id))
            if before:
                self.audit.changed("dossier", d.id, {k: (before[0][k], v) for k, v in row.items()
                                                     if k != "modified" and before[0][k] != v})
        return self.get(d.id)

    def get(self, dossier_id: int) -> Dossier:
        cond, params = self._where()
        rows = list(self.db.query("SELECT * FROM dossiers WHERE id = ?" + (f" AND {cond}" if cond else ""),
                                  [dossier_id, *params]))
        if not rows:
            raise NotFound(tr("database", "Dossier {id} bestaat niet.").format(id=dossier_id))
        return _from_row(rows[0])

    def find_by_uid(self, uid: str) -> Dossier | None:
        cond, params = self._where()
        rows = list(self.db.query("SELECT * FROM dossiers WHERE uid = ?" + (f" AND {cond}" if cond else ""),
                                  [uid, *params]))
        return _from_row(rows[0]) if rows else None

    def list(self) -> list[Dossier]:
        cond, params = self._where()
        return [_from_row(r) for r in self.db.query("SELECT * FROM dossiers" + (f" WHERE {cond}" if cond else "")
                                                    + " ORDER BY company_name, id", params)]

    def summaries(self) -> list[DossierSummary]:
        sql = """SELECT d.id, d.company_name, d.kbo_number, d.status,
                        (SELECT count(*) FROM workers w WHERE w.dossier_id = d.id) AS n
                 FROM dossiers d {where} ORDER BY d.company_name, d.id"""
        cond, params = self._where("d.id")
        sql = sql.format(where=f"WHERE {cond}" if cond else "")
        return [DossierSummary(r[0], r[1], r[2], r[3], r[4]) for r in self.db.execute(sql, params).fetchall()]

    def delete(self, dossier_id: int) -> None:
        self._require_visible(dossier_id)
        with self.db.atomic():
            self.db.execute("DELETE FROM dossiers WHERE id = ?", [dossier_id])
            if self.audit is not None:
                self.audit.deleted("dossier", dossier_id)
