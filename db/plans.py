"""Trajectory plan repository: versions, and the rule that printed plans never change."""
from __future__ import annotations

import copy
import datetime as dt
import json
import sqlite3
from dataclasses import asdict

import sqlite_utils

from core.followup import PlanMoments
from core.i18n import tr
from core.model import PlanAction, PlanStatus, PlanTarget, TrajectoryPlan, new_uid
from db.convert import date_in, date_out, utc_now
from db.accounts import BOUND, dossier_scope, resolve
from db.dossiers import NotFound
from db.errors import ChangedElsewhere

_CTX = "database"


class PlanFrozen(Exception):
    """The plan was printed or signed; make a new version instead."""


def _body(p: TrajectoryPlan) -> str:
    return json.dumps({
        "targets": [asdict(t) for t in p.targets],
        "actions": [asdict(a) | {"start_date": date_out(a.start_date), "end_date": date_out(a.end_date)}
                    for a in p.actions],
        "followups": [date_out(d) for d in p.followups],
    }, ensure_ascii=False, sort_keys=True)


def _from_row(r: dict) -> TrajectoryPlan:
    body = json.loads(r["body"] or "{}")
    actions = []
    for a in body.get("actions", []):
        a = dict(a)
        a["start_date"], a["end_date"] = date_in(a.get("start_date")), date_in(a.get("end_date"))
        actions.append(PlanAction(**a))
    return TrajectoryPlan(
        id=r["id"], uid=r["uid"], worker_id=r["worker_id"], version=r["version"], status=PlanStatus(r["status"]),
        counsellor=r["counsellor"], targets=[PlanTarget(**t) for t in body.get("targets", [])], actions=actions,
        agreements=r["agreements"], followups=[date_in(d) for d in body.get("followups", []) if d],
        print_limitations=bool(r["print_limitations"]), created=r["created"], printed_at=r["printed_at"],
        signed_at=r["signed_at"], modified=r["modified"])


class PlanRepository:
    def __init__(self, db: sqlite_utils.Database, principal=BOUND, audit=BOUND):
        """``principal`` (default: the signed-in account; None = the system) limits plans to the workers
        of the dossiers it may see; ``audit`` receives changes and prints."""
        self.db = db
        self.principal, self.audit = resolve(db, principal, audit)

    def _require_worker(self, worker_id: int) -> None:
        cond, params = dossier_scope(self.principal, "dossier_id")
        if cond and self.db.conn.execute(f"SELECT 1 FROM workers WHERE id = ? AND {cond}",
                                         [worker_id, *params]).fetchone() is None:
            raise NotFound(tr(_CTX, "Werknemer {id} bestaat niet.").format(id=worker_id))

    def _rows(self, sql: str, params) -> list[dict]:
        cur = self.db.conn.execute(sql, list(params))
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def get(self, plan_id: int) -> TrajectoryPlan:
        rows = self._rows("SELECT * FROM plans WHERE id = ?", [plan_id])
        if not rows:
            raise NotFound(tr(_CTX, "Trajectplan {id} bestaat niet.").format(id=plan_id))
        try:
            self._require_worker(rows[0]["worker_id"])
        except NotFound:
            raise NotFound(tr(_CTX, "Trajectplan {id} bestaat niet.").format(id=plan_id)) from None
        return _from_row(rows[0])

    def versions(self, worker_id: int) -> list[TrajectoryPlan]:
        self._require_worker(worker_id)
        return [_from_row(r) for r in self._rows("SELECT * FROM plans WHERE worker_id = ? ORDER BY version", [worker_id])]

    def latest(self, worker_id: int) -> TrajectoryPlan | None:
        self._require_worker(worker_id)
        rows = self._rows("SELECT * FROM plans WHERE worker_id = ? ORDER BY version DESC LIMIT 1", [worker_id])
        return _from_row(rows[0]) if rows else None

    def save(self, plan: TrajectoryPlan) -> TrajectoryPlan:
        """Insert a new plan or update a concept; a printed or signed plan raises PlanFrozen."""
        now = utc_now()
        self._require_worker(plan.worker_id)
        with self.db.atomic():
            if plan.id is None:
                if plan.version < 1 or self._rows("SELECT 1 FROM plans WHERE worker_id = ? AND version = ?",
                                                  [plan.worker_id, plan.version]):
                    plan.version = self._next_version(plan.worker_id)
                try:
                    cur = self.db.conn.execute(
                        "INSERT INTO plans (worker_id, version, status, counsellor, body, agreements, print_limitations,"
                        " printed_at, signed_at, uid, modified) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        [plan.worker_id, plan.version, PlanStatus(plan.status).value, plan.counsellor, _body(plan),
                         plan.agreements, int(plan.print_limitations), plan.printed_at, plan.signed_at, plan.uid, now])
                except sqlite3.IntegrityError:
                    raise NotFound(tr(_CTX, "Werknemer {id} bestaat niet.").format(id=plan.worker_id)) from None
                if self.audit is not None:
                    self.audit.created("plan", cur.lastrowid, {"worker_id": plan.worker_id, "version": plan.version})
                return self.get(cur.lastrowid)
            current = self.get(plan.id)
            if current.frozen:
                raise PlanFrozen(tr(_CTX, "Dit trajectplan (versie {v}) werd al afgedrukt of ondertekend en kan niet "
                                          "meer gewijzigd worden. Maak een nieuwe versie.").format(v=current.version))
            if plan.modified and current.modified != plan.modified:
                raise ChangedElsewhere(tr(_CTX, "Dit trajectplan (versie {v}) werd intussen elders gewijzigd (in een "
                                                "ander venster, met een overdrachtsbestand of een opdracht). Je "
                                                "wijzigingen zijn niet bewaard, zodat die andere wijziging niet "
                                                "verloren gaat. Herlaad het plan en voer je wijzigingen daarna "
                                                "opnieuw in.").format(v=current.version))
            self.db.conn.execute(
                "UPDATE plans SET counsellor = ?, body = ?, agreements = ?, print_limitations = ?, modified = ? "
                "WHERE id = ?", [plan.counsellor, _body(plan), plan.agreements, int(plan.print_limitations), now,
                                 plan.id])
            if self.audit is not None:
                new = {"counsellor": plan.counsellor, "body": _body(plan), "agreements": plan.agreements,
                       "print_limitations": bool(plan.print_limitations)}
                old = {"counsellor": current.counsellor, "body": _body(current), "agreements": current.agreements,
                       "print_limitations": bool(current.print_limitations)}
                changed = {k: (old[k], v) for k, v in new.items() if old[k] != v}
                if "body" in changed:
                    changed["body"] = ("…", "…")     # structured text: the field name tells enough
                self.audit.changed("plan", plan.id, changed, worker_id=plan.worker_id)
        return self.get(plan.id)

    def _next_version(self, worker_id: int) -> int:
        row = self.db.conn.execute("SELECT coalesce(max(version), 0) FROM plans WHERE worker_id = ?",
                                   [worker_id]).fetchone()
        return row[0] + 1

    def new_version(self, plan_id: int) -> TrajectoryPlan:
        """A concept copy of a plan with the next version number."""
        old = self.get(plan_id)
        new = copy.deepcopy(old)
        new.id, new.uid, new.status = None, new_uid(), PlanStatus.CONCEPT
        new.printed_at = new.signed_at = ""
        new.version = self._next_version(old.worker_id)
        return self.save(new)

    def mark_printed(self, plan_id: int) -> TrajectoryPlan:
        plan = self.get(plan_id)
        with self.db.atomic():
            if self.audit is not None:
                self.audit.printed("trajectplan", "plan", plan_id, sensitive_fields=["limitations"]
                                   if plan.print_limitations else ())
            self.db.conn.execute("UPDATE plans SET status = CASE status WHEN 'concept' THEN 'afgedrukt' ELSE status END,"
                                 " printed_at = CASE printed_at WHEN '' THEN ? ELSE printed_at END, modified = ? "
                                 "WHERE id = ?", [utc_now(), utc_now(), plan_id])
        return self.get(plan_id)

    def mark_signed(self, plan_id: int, when: dt.date | None = None) -> TrajectoryPlan:
        plan = self.get(plan_id)
        if plan.status is PlanStatus.CONCEPT:
            raise PlanFrozen(tr(_CTX, "Druk het trajectplan eerst af; pas daarna kan het ondertekend worden."))
        with self.db.atomic():
            self.db.conn.execute("UPDATE plans SET status = 'ondertekend', signed_at = ?, modified = ? WHERE id = ?",
                                 [(when or dt.date.today()).isoformat(), utc_now(), plan_id])
            if self.audit is not None:
                self.audit.changed("plan", plan_id, {"status": (plan.status.value, "ondertekend")},
                                   worker_id=plan.worker_id)
        return self.get(plan_id)

    def awaiting_signature(self, dossier_id: int) -> list[tuple[int, int]]:
        """(worker id, plan id) of printed plans not yet signed, latest version per worker."""
        sql = ("SELECT p.worker_id, p.id FROM plans p JOIN workers w ON w.id = p.worker_id WHERE w.dossier_id = ? "
               "AND p.status = 'afgedrukt' AND p.version = (SELECT max(version) FROM plans q WHERE q.worker_id = p.worker_id)")
        cond, params = dossier_scope(self.principal, "w.dossier_id")
        if cond:
            sql += f" AND {cond}"
        return [(r[0], r[1]) for r in self.db.conn.execute(sql, [dossier_id, *params]).fetchall()]

    def followups(self, dossier_id: int) -> dict[int, PlanMoments]:
        """worker id -> (plan id, follow-up moments, concept or not) of the latest plan version of each worker
        of a dossier that has follow-up moments; earlier versions, replaced by it, give none."""
        sql = ("SELECT p.worker_id, p.id, p.body, p.status FROM plans p JOIN workers w ON w.id = p.worker_id "
               "WHERE w.dossier_id = ? AND p.version = (SELECT max(version) FROM plans q WHERE q.worker_id = p.worker_id)")
        cond, params = dossier_scope(self.principal, "w.dossier_id")
        if cond:
            sql += f" AND {cond}"
        out = {}
        for worker_id, plan_id, body, status in self.db.conn.execute(sql, [dossier_id, *params]).fetchall():
            moments = [date_in(d) for d in json.loads(body or "{}").get("followups", []) if d]
            if moments:
                out[worker_id] = PlanMoments(plan_id, moments, status == PlanStatus.CONCEPT.value)
        return out
