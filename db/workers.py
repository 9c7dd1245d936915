"""Worker repository: a worker with all the records of the intake, saved in one transaction."""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import sqlite_utils

from core.errors import UserError
from core.i18n import tr
from core.model import (Certificate, CompetenceSource, Contact, EducationGroup, Experience, FunctionalLimitation,
                        LanguageSkill, Mobility, Preferences, Sex, Statute, Worker, WorkerCompetence, WorkerStatus,
                        WorkerSummary)
from core.security import AccessDenied, Role
from core.validation import FieldError, ValidationError, compact_insz, validate_worker
from db.convert import date_in, date_out, json_in, json_out, utc_now
from db.accounts import BOUND, dossier_scope, may_see_limitations, resolve
from db.dossiers import DossierRepository, NotFound
from db.errors import ChangedElsewhere

_CTX = "database"

_WORKER_COLS = ("dossier_id", "surname", "first_names", "insz", "birth_date", "sex", "street", "postcode",
                "municipality", "phone", "email", "preferred_language", "statute", "seniority_start",
                "dismissal_date", "shift_regime", "highest_diploma", "education_group", "vks_level", "status",
                "previous_job_title", "previous_job_esco_uri", "counsellor", "mobility", "preferences")


def _fold(text: str | None) -> str:
    """Lower case without accents, for sorting names."""
    return "".join(c for c in unicodedata.normalize("NFKD", (text or "").casefold()) if not unicodedata.combining(c))


@dataclass(frozen=True)
class _Child:
    table: str
    attr: str
    to_row: Callable[[Any], dict]
    from_row: Callable[[sqlite3.Row], Any]


def _exp_row(e: Experience) -> dict:
    return {"employer": e.employer.strip(), "job_title": e.job_title.strip(), "esco_uri": e.esco_uri,
            "start_date": date_out(e.start_date), "end_date": date_out(e.end_date),
            "shift_regime": e.shift_regime, "tasks": e.tasks}


def _exp(r) -> Experience:
    return Experience(employer=r["employer"], job_title=r["job_title"], esco_uri=r["esco_uri"],
                      start_date=date_in(r["start_date"]), end_date=date_in(r["end_date"]),
                      shift_regime=r["shift_regime"], tasks=r["tasks"], id=r["id"], uid=r["uid"])


def _comp_row(c: WorkerCompetence) -> dict:
    return {"text": c.text.strip(), "competence_id": c.competence_id, "confidence": float(c.confidence),
            "source": CompetenceSource(c.source).value, "level": int(c.level), "evidence": c.evidence}


def _comp(r) -> WorkerCompetence:
    return WorkerCompetence(text=r["text"], competence_id=r["competence_id"], confidence=r["confidence"],
                            source=CompetenceSource(r["source"]), level=r["level"], evidence=r["evidence"],
                            id=r["id"], uid=r["uid"])


def _cert_row(c: Certificate) -> dict:
    return {"kind": c.kind, "label": c.label, "date_obtained": date_out(c.date_obtained),
            "expiry_date": date_out(c.expiry_date)}


def _cert(r) -> Certificate:
    return Certificate(kind=r["kind"], label=r["label"], date_obtained=date_in(r["date_obtained"]),
                       expiry_date=date_in(r["expiry_date"]), id=r["id"], uid=r["uid"])


def _lang_row(s: LanguageSkill) -> dict:
    return {"language": s.language, "listening": s.listening, "speaking": s.speaking, "reading": s.reading,
            "writing": s.writing}


def _lang(r) -> LanguageSkill:
    return LanguageSkill(language=r["language"], listening=r["listening"], speaking=r["speaking"],
                         reading=r["reading"], writing=r["writing"], id=r["id"], uid=r["uid"])


def _lim_row(f: FunctionalLimitation) -> dict:
    return {"kind": f.kind, "note": f.note, "printable": int(bool(f.printable))}


def _lim(r) -> FunctionalLimitation:
    return FunctionalLimitation(kind=r["kind"], note=r["note"], printable=bool(r["printable"]), id=r["id"], uid=r["uid"])


def _contact_row(c: Contact) -> dict:
    return {"date": date_out(c.date), "kind": c.kind, "hours": float(c.hours), "note": c.note,
            "counsellor": c.counsellor}


def _contact(r) -> Contact:
    return Contact(date=date_in(r["date"]), kind=r["kind"], hours=r["hours"], note=r["note"],
                   counsellor=r["counsellor"], id=r["id"], uid=r["uid"])


CHILDREN = (
    _Child("experiences", "experiences", _exp_row, _exp),
    _Child("worker_competences", "competences", _comp_row, _comp),
    _Child("certificates", "certificates", _cert_row, _cert),
    _Child("worker_languages", "languages", _lang_row, _lang),
    _Child("functional_limitations", "limitations", _lim_row, _lim),
)


def _worker_row(w: Worker) -> dict:
    return {
        "dossier_id": w.dossier_id, "surname": w.surname.strip(), "first_names": w.first_names.strip(),
        "insz": compact_insz(w.insz) if w.insz else "", "birth_date": date_out(w.birth_date),
        "sex": Sex(w.sex).value if w.sex else None, "street": w.street.strip(), "postcode": w.postcode.strip(),
        "municipality": w.municipality.strip(), "phone": w.phone.strip(), "email": w.email.strip(),
        "preferred_language": w.preferred_language, "statute": Statute(w.statute).value,
        "seniority_start": date_out(w.seniority_start), "dismissal_date": date_out(w.dismissal_date),
        "shift_regime": w.shift_regime, "highest_diploma": w.highest_diploma,
        "education_group": EducationGroup(w.education_group).value if w.education_group else None,
        "vks_level": w.vks_level, "status": WorkerStatus(w.status).value,
        "previous_job_title": w.previous_job_title.strip(), "previous_job_esco_uri": w.previous_job_esco_uri,
        "counsellor": w.counsellor,
        "mobility": json_out(w.mobility), "preferences": json_out(w.preferences),
    }


def _worker_from_row(r) -> Worker:
    return Worker(
        id=r["id"], uid=r["uid"], modified=r["modified"], dossier_id=r["dossier_id"], surname=r["surname"],
        first_names=r["first_names"], insz=r["insz"], birth_date=date_in(r["birth_date"]),
        sex=Sex(r["sex"]) if r["sex"] else None, street=r["street"], postcode=r["postcode"],
        municipality=r["municipality"], phone=r["phone"], email=r["email"],
        preferred_language=r["preferred_language"], statute=Statute(r["statute"]),
        seniority_start=date_in(r["seniority_start"]), dismissal_date=date_in(r["dismissal_date"]),
        shift_regime=r["shift_regime"], highest_diploma=r["highest_diploma"],
        education_group=EducationGroup(r["education_group"]) if r["education_group"] else None,
        vks_level=r["vks_level"], status=WorkerStatus(r["status"]), previous_job_title=r["previous_job_title"],
        previous_job_esco_uri=r["previous_job_esco_uri"], counsellor=r["counsellor"],
        mobility=json_in(Mobility, r["mobility"]),
        preferences=json_in(Preferences, r["preferences"]))


def _changes(old: dict, new: dict) -> dict[str, tuple]:
    return {k: (old.get(k), v) for k, v in new.items() if old.get(k) != v}


def _same_counsellor(a: str, b: str) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


_VERSION_SQL = " UNION ALL ".join(
    ["SELECT 0, 'worker', modified FROM workers WHERE id = :id"]
    + [f"SELECT {n}, uid, modified FROM {c.table} WHERE worker_id = :id" for n, c in enumerate(CHILDREN, start=1)]
) + " ORDER BY 1, 2"


def _local_time(stamp: str) -> str:
    try:
        return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone().strftime("%d/%m/%Y %H:%M")
    except (AttributeError, ValueError):
        return ""


class WorkerRepository:
    """``principal``: who is asking (default: the one signed in on ``db``; None = the system).
    A consulent sees the workers of the dossiers assigned to them; functional limitations only of
    the workers they are the own counsellor of (coordinators: all). ``audit``: sink for changes."""

    def __init__(self, db: sqlite_utils.Database, principal=BOUND, audit=BOUND):
        self.db = db
        self.principal, self.audit = resolve(db, principal, audit)
        self._dossiers = DossierRepository(db, principal=self.principal, audit=None)

    # -- access (db/accounts.py holds the rules) --------------------------------------------------
    def _scope(self, column: str = "dossier_id") -> tuple[str, list]:
        return dossier_scope(self.principal, column)

    def _require_visible(self, worker_id: int) -> None:
        cond, params = self._scope()
        if cond and self.db.conn.execute(f"SELECT 1 FROM workers WHERE id = ? AND {cond}",
                                         [worker_id, *params]).fetchone() is None:
            raise NotFound(tr(_CTX, "Werknemer {id} bestaat niet.").format(id=worker_id))

    def _require_dossier(self, dossier_id: int | None) -> bool:
        cond, params = self._scope("id")
        return not cond or self.db.conn.execute(f"SELECT 1 FROM dossiers WHERE id = ? AND {cond}",
                                                [dossier_id, *params]).fetchone() is not None

    def _hide_limitations(self, workers: Iterable[Worker]) -> None:
        if self.principal is not None and not self.principal.sees_all_limitations:
            for w in workers:
                if not may_see_limitations(self.principal, w.counsellor):
                    w.limitations = []

    def may_see_limitations(self, worker: Worker) -> bool:
        return may_see_limitations(self.principal, worker.counsellor)

    # -- the worker's own counsellor: who sees and records the functional limitations ---------------
    def default_counsellor(self, *, bulk: bool = False) -> str:
        """The own counsellor a new worker gets when none is given. A worker registered by hand gets
        the consulent or beheerder who registers it (the intake is their conversation); a list import
        or the demo only a consulent's own login: a beheerder's import leaves the workers for the
        dossier's consulenten to take on. The coordinator assigns explicitly (``set_counsellor``)."""
        p = self.principal
        if p is None or p.assigns_counsellors or (bulk and p.role is not Role.CONSULENT):
            return ""
        return p.login

    def _assigned_to(self, dossier_id: int | None) -> bool:
        p = self.principal
        return p is not None and dossier_id is not None and self.db.conn.execute(
            "SELECT 1 FROM dossier_counsellors WHERE dossier_id = ? AND account_id = ?",
            [dossier_id, p.account_id]).fetchone() is not None

    def _active_login(self, value: str) -> str | None:
        row = self.db.conn.execute("SELECT login FROM accounts WHERE login = ? COLLATE NOCASE AND active = 1",
                                   [value.strip()]).fetchone()
        return row[0] if row else None

    def _checked_counsellor(self, old: str, new: str, dossier_id: int | None, *, new_worker: bool = False) -> str:
        """The counsellor value to store when the principal changes ``old`` into ``new``.

        The system (``None``) writes what it is given. The coordinator gives any active account, or
        no one. Anyone else may only take on a worker who has no own counsellor yet (a new worker, or
        one in a dossier they are assigned to), and never changes someone else's: AccessDenied."""
        new = (new or "").strip()
        p = self.principal
        if p is None:
            return new
        if _same_counsellor(old, new):
            return old
        if p.assigns_counsellors:
            if not new:
                return ""
            login = self._active_login(new)
            if login is None:
                raise UserError(tr(_CTX, "Er is geen actief account met gebruikersnaam {login}.").format(login=new))
            return login
        if not (old or "").strip():
            if p.is_counsellor_of(new) and (new_worker or self._assigned_to(dossier_id)):
                return p.login
            raise AccessDenied(tr(_CTX, "Je account ({rol}) kan een werknemer alleen zelf opvolgen in een dossier "
                                        "waaraan je bent toegewezen; een andere consulent toewijzen doet de "
                                        "celcoördinator. Er is niets bewaard.").format(rol=p.role.label))
        raise AccessDenied(tr(_CTX, "De eigen consulent van deze werknemer is {naam}; alleen de celcoördinator kan "
                                    "dat wijzigen. Er is niets bewaard.").format(naam=self.counsellor_name(old)))

    def may_take_on(self, worker: Worker) -> bool:
        """Whether the signed-in account may become the own counsellor of this stored worker now."""
        p = self.principal
        return (p is not None and worker.id is not None and not self._stored_counsellor(worker.id).strip()
                and (p.assigns_counsellors or self._assigned_to(worker.dossier_id)))

    def may_assign_counsellor(self) -> bool:
        """Whether the signed-in account may give any worker an own counsellor (the coordinator)."""
        return self.principal is not None and self.principal.assigns_counsellors

    def set_counsellor(self, worker_id: int, counsellor: str) -> str:
        """Give a stored worker an own counsellor (a login; '' for none), at once and audited; returns
        the stored value. Refused with AccessDenied as in ``_checked_counsellor``."""
        self._require_visible(worker_id)
        row = self.db.conn.execute("SELECT counsellor, dossier_id FROM workers WHERE id = ?", [worker_id]).fetchone()
        if row is None:
            raise NotFound(tr(_CTX, "Werknemer {id} bestaat niet.").format(id=worker_id))
        old, dossier_id = row
        new = self._checked_counsellor(old, counsellor, dossier_id)
        if new == old:
            return old
        with self.db.atomic():
            self.db.conn.execute("UPDATE workers SET counsellor = ?, modified = ? WHERE id = ?",
                                 [new, utc_now(), worker_id])
            if self.audit is not None:
                self.audit.changed("worker", worker_id, {"counsellor": (old, new)}, worker_id=worker_id)
        return new

    def take_on(self, worker_id: int) -> str:
        """The signed-in account becomes the own counsellor of a worker who has none."""
        if self.principal is None:
            raise ValueError("taking on a worker needs a signed-in account")
        return self.set_counsellor(worker_id, self.principal.login)

    def counsellor_choices(self, dossier_id: int | None) -> list[tuple[str, str]]:
        """(login, name) of the accounts the coordinator can make a worker's own counsellor: the active
        accounts assigned to the dossier, and the coordinator. Empty for anyone else."""
        if not self.may_assign_counsellor():
            return []
        rows = self.db.conn.execute(
            "SELECT a.login, a.name FROM accounts a JOIN dossier_counsellors dc ON dc.account_id = a.id "
            "WHERE dc.dossier_id = ? AND a.active = 1 ORDER BY a.name COLLATE NOCASE, a.login", [dossier_id]).fetchall()
        out = [(r[0], r[1] or r[0]) for r in rows]
        p = self.principal
        if all(login.casefold() != p.login.casefold() for login, _ in out):
            out.append((p.login, p.name or p.login))
        return out

    def counsellor_name(self, value: str) -> str:
        """How to show a workers.counsellor value: the account's name for a login; the value itself
        otherwise (older data may hold a name)."""
        value = (value or "").strip()
        if not value:
            return ""
        row = self.db.conn.execute("SELECT name FROM accounts WHERE login = ? COLLATE NOCASE", [value]).fetchone()
        return (row[0] or value) if row else value

    def _refuse_hidden_limitations(self, w: Worker) -> None:
        """Saving limitations the account may not see would drop them: refuse instead (an empty list is
        how a worker loaded without them comes back, and leaves the stored ones alone)."""
        if not w.limitations:
            return
        stored = [(r["uid"], r["kind"], r["note"], bool(r["printable"])) for r in self._rows(
            "SELECT uid, kind, note, printable FROM functional_limitations WHERE worker_id = ? ORDER BY position, id",
            [w.id])]
        if [(f.uid, f.kind, f.note, bool(f.printable)) for f in w.limitations] != stored:
            raise AccessDenied(tr(_CTX, "Alleen de eigen consulent van de werknemer en de celcoördinator zien en "
                                        "noteren functionele beperkingen; je account ({rol}) niet. Er is niets "
                                        "bewaard.").format(rol=self.principal.role.label))

    def _with_counsellor(self, w: Worker, *, bulk: bool) -> Worker:
        """``w`` with the own counsellor it is stored with (see ``default_counsellor``)."""
        counsellor = self._checked_counsellor("", (w.counsellor or "").strip() or self.default_counsellor(bulk=bulk),
                                              w.dossier_id, new_worker=True)
        if counsellor == w.counsellor:
            return w
        w = copy.copy(w)
        w.counsellor = counsellor
        return w

    def view(self, worker_id: int) -> Worker:
        """``get`` for showing a worker on screen: the read is written to the audit trail."""
        w = self.get(worker_id)
        if self.audit is not None:
            self.audit.worker_viewed(worker_id, limitations_shown=self.may_see_limitations(w))
        return w

    # -- what a form read, and whether it is still what is stored --------------------------------------
    def version(self, worker_id: int) -> str:
        """A token of the stored worker and all its records (their ``modified`` stamps, also of records a
        transfer import changed without touching the worker row); '' when the worker does not exist."""
        rows = self.db.conn.execute(_VERSION_SQL, {"id": worker_id}).fetchall()
        if not rows or rows[0][0] != 0:
            return ""
        digest = hashlib.sha256("\n".join(f"{n}|{u}|{m}" for n, u, m in rows[1:]).encode("utf-8")).hexdigest()
        return f"{rows[0][2]}#{digest[:20]}"

    def _refuse_changed(self, w: Worker) -> None:
        """ChangedElsewhere when the worker was saved elsewhere after ``w`` was read (nothing is written)."""
        if not w.read_version:
            return                      # not read through this repository (a script, an import): no check
        now = self.version(w.id)
        if now == w.read_version or not now:
            return
        row = self.db.conn.execute("SELECT first_names, surname, modified FROM workers WHERE id = ?",
                                   [w.id]).fetchone()
        name = f"{row[0]} {row[1]}".strip() or tr(_CTX, "werknemer {id}").format(id=w.id)
        stamp = row[2] if row[2] != w.read_version.split("#", 1)[0] else ""
        when = _local_time(stamp) if stamp else ""
        raise ChangedElsewhere((tr(_CTX, "Deze werknemer ({naam}) werd intussen elders gewijzigd (bewaard op {tijd}, "
                                         "in een ander venster, met een overdrachtsbestand of een opdracht).")
                                if when else
                                tr(_CTX, "Deze werknemer ({naam}) werd intussen elders gewijzigd (in een ander "
                                         "venster, met een overdrachtsbestand of een opdracht).")).format(
            naam=name, tijd=when) + " " + tr(
            _CTX, "Je wijzigingen zijn niet bewaard, zodat die andere wijziging niet verloren gaat. Herlaad de "
                  "werknemer om te zien wat nu bewaard is en voer je wijzigingen daarna opnieuw in."))

    # -- queries ---------------------------------------------------------------------------------
    def _rows(self, sql: str, params: Iterable = ()) -> list[sqlite3.Row]:
        cur = self.db.conn.execute(sql, list(params))
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def get(self, worker_id: int, *, with_limitations: bool = True) -> Worker:
        version = self.version(worker_id)   # before reading: a save in between makes it look older, never newer
        cond, params = self._scope()
        rows = self._rows("SELECT * FROM workers WHERE id = ?" + (f" AND {cond}" if cond else ""), [worker_id, *params])
        if not rows:
            raise NotFound(tr(_CTX, "Werknemer {id} bestaat niet.").format(id=worker_id))
        w = _worker_from_row(rows[0])
        with_limitations = with_limitations and may_see_limitations(self.principal, w.counsellor)
        for child in CHILDREN:
            if child.table == "functional_limitations" and not with_limitations:
                continue
            kids = self._rows(f"SELECT * FROM {child.table} WHERE worker_id = ? ORDER BY position, id", [worker_id])
            setattr(w, child.attr, [child.from_row(k) for k in kids])
        w.read_version = version
        return w

    def get_many(self, ids: list[int], *, with_limitations: bool = True) -> list[Worker]:
        """Many workers with their records in a few queries (batch work on whole dossiers)."""
        out: dict[int, Worker] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            cond, params = self._scope()
            for r in self._rows(f"SELECT * FROM workers WHERE id IN ({marks})" + (f" AND {cond}" if cond else ""),
                                [*chunk, *params]):
                out[r["id"]] = _worker_from_row(r)
            for child in CHILDREN:
                if child.table == "functional_limitations" and not with_limitations:
                    continue
                for r in self._rows(f"SELECT * FROM {child.table} WHERE worker_id IN ({marks}) ORDER BY position, id",
                                    chunk):
                    if r["worker_id"] in out:
                        getattr(out[r["worker_id"]], child.attr).append(child.from_row(r))
        self._hide_limitations(out.values())
        return [out[i] for i in ids if i in out]

    def find_by_uid(self, uid: str) -> Worker | None:
        rows = self._rows("SELECT id FROM workers WHERE uid = ?", [uid])
        return self.get(rows[0]["id"]) if rows else None

    def summaries(self, dossier_id: int | None = None) -> list[WorkerSummary]:
        sql = ("SELECT id, dossier_id, surname, first_names, insz, status, previous_job_title, municipality "
               "FROM workers")
        params: list = []
        where, params = ([], []) if dossier_id is None else (["dossier_id = ?"], [dossier_id])
        cond, scope_params = self._scope()
        if cond:
            where.append(cond)
            params += scope_params
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = [WorkerSummary(*row) for row in self.db.conn.execute(sql, params).fetchall()]
        # accents ignored, as on screen and in the Excel overview: Çelik with the C, not after Yilmaz
        return sorted(rows, key=lambda r: (_fold(r.surname), _fold(r.first_names), r.id))

    def ids_in_dossier(self, dossier_id: int) -> list[int]:
        if not self._require_dossier(dossier_id):
            return []
        return [r[0] for r in self.db.conn.execute("SELECT id FROM workers WHERE dossier_id = ? ORDER BY id",
                                                    [dossier_id]).fetchall()]

    def count(self, dossier_id: int | None = None) -> int:
        if dossier_id is not None and not self._require_dossier(dossier_id):
            return 0
        if dossier_id is None:
            cond, params = self._scope()
            return self.db.conn.execute("SELECT count(*) FROM workers" + (f" WHERE {cond}" if cond else ""),
                                        params).fetchone()[0]
        return self.db.conn.execute("SELECT count(*) FROM workers WHERE dossier_id = ?", [dossier_id]).fetchone()[0]

    def insz_taken(self, dossier_id: int, insz: str, exclude_id: int | None = None) -> bool:
        row = self.db.conn.execute("SELECT id FROM workers WHERE dossier_id = ? AND insz = ? AND id IS NOT ?",
                                   [dossier_id, compact_insz(insz), exclude_id]).fetchone()
        return row is not None

    # -- writes ----------------------------------------------------------------------------------
    def _check(self, w: Worker, today: dt.date | None = None) -> None:
        if w.dossier_id is None:
            raise ValidationError([FieldError("dossier_id", tr(_CTX, "Kies eerst een dossier."))])
        dossier = self._dossiers.get(w.dossier_id)
        errors = validate_worker(w, dossier, today)
        if w.insz and not any(e.field == "insz" for e in errors) and self.insz_taken(w.dossier_id, w.insz, w.id):
            errors.append(FieldError("insz", tr(_CTX, "Dit INSZ bestaat al in dit dossier.")))
        if errors:
            raise ValidationError(errors)

    def add(self, w: Worker, *, validate: bool = True) -> Worker:
        """Insert a worker and its records in one transaction; returns the stored worker."""
        if validate:
            self._check(w)
        elif not self._require_dossier(w.dossier_id):
            raise NotFound(tr("database", "Dossier {id} bestaat niet.").format(id=w.dossier_id))
        w = self._with_counsellor(w, bulk=False)
        with self.db.atomic():
            wid = self._insert(w)
            if self.audit is not None:
                self.audit.created("worker", wid, {"dossier_id": w.dossier_id})
        return self.get(wid)

    def add_many(self, workers: list[Worker], *, validate: bool = True) -> list[int]:
        """Insert many workers in one transaction: all are stored, or none."""
        if validate:
            for w in workers:
                self._check(w)
        else:
            for d in {w.dossier_id for w in workers}:
                if not self._require_dossier(d):
                    raise NotFound(tr("database", "Dossier {id} bestaat niet.").format(id=d))
        workers = [self._with_counsellor(w, bulk=True) for w in workers]
        with self.db.atomic():
            ids = [self._insert(w) for w in workers]
            if self.audit is not None and ids:
                self.audit.created("worker", "", {"count": len(ids), "first_id": ids[0], "last_id": ids[-1]})
            return ids

    def _insert(self, w: Worker) -> int:
        row = _worker_row(w) | {"uid": w.uid, "modified": utc_now()}
        try:
            cur = self.db.conn.execute(f"INSERT INTO workers ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                                       list(row.values()))
        except sqlite3.IntegrityError as e:
            raise self._integrity(e) from None
        wid = cur.lastrowid
        self._write_children(wid, w)
        return wid

    def update(self, w: Worker, *, validate: bool = True) -> Worker:
        if w.id is None:
            raise ValueError("worker has no id")
        self._require_visible(w.id)
        if validate:
            self._check(w)
        stored = self.db.conn.execute("SELECT counsellor, dossier_id FROM workers WHERE id = ?", [w.id]).fetchone()
        if stored is None:
            raise NotFound(tr(_CTX, "Werknemer {id} bestaat niet.").format(id=w.id))
        stored_counsellor, stored_dossier = stored
        hide = not may_see_limitations(self.principal, stored_counsellor)
        if hide:
            self._refuse_hidden_limitations(w)
        counsellor = self._checked_counsellor(stored_counsellor, w.counsellor, stored_dossier)
        row = _worker_row(w) | {"counsellor": counsellor, "modified": utc_now()}
        with self.db.atomic():
            self._refuse_changed(w)
            before = self._snapshot(w.id) if self.audit is not None else None
            try:
                cur = self.db.conn.execute(f"UPDATE workers SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
                                           [*row.values(), w.id])
            except sqlite3.IntegrityError as e:
                raise self._integrity(e) from None
            if cur.rowcount != 1:
                raise NotFound(tr(_CTX, "Werknemer {id} bestaat niet.").format(id=w.id))
            self._write_children(w.id, w, keep_hidden=hide)
            if before is not None:
                self.audit.changed("worker", w.id, _changes(before, self._snapshot(w.id)), worker_id=w.id)
        return self.get(w.id)

    def _stored_counsellor(self, wid: int) -> str:
        row = self.db.conn.execute("SELECT counsellor FROM workers WHERE id = ?", [wid]).fetchone()
        return row[0] if row else ""

    def _snapshot(self, wid: int) -> dict:
        """Field values for the audit trail; child records count as one field each."""
        old = WorkerRepository(self.db, principal=None, audit=None).get(wid)
        snap = {k: v for k, v in _worker_row(old).items()}
        for child in CHILDREN:
            snap[child.attr] = [child.to_row(it) for it in getattr(old, child.attr)]
        return snap

    def _write_children(self, wid: int, w: Worker, keep_hidden: bool = False) -> None:
        now = utc_now()
        hidden = keep_hidden
        for child in CHILDREN:
            if hidden and child.table == "functional_limitations":
                continue      # limitations this account cannot see are left as they are
            items = getattr(w, child.attr)
            keep = [it.uid for it in items]
            self.db.conn.execute(
                f"DELETE FROM {child.table} WHERE worker_id = ? AND uid NOT IN ({', '.join('?' * len(keep))})",
                [wid, *keep])
            for pos, item in enumerate(items):
                data = child.to_row(item) | {"position": pos}
                existing = self.db.conn.execute(f"SELECT * FROM {child.table} WHERE uid = ?", [item.uid]).fetchone()
                if existing is None:
                    data |= {"worker_id": wid, "uid": item.uid, "modified": now}
                    self.db.conn.execute(f"INSERT INTO {child.table} ({', '.join(data)}) VALUES "
                                         f"({', '.join('?' * len(data))})", list(data.values()))
                else:
                    sets = ", ".join(f"{k} = ?" for k in data)
                    changed = f"modified = CASE WHEN {' OR '.join(f'{k} IS NOT ?' for k in data)} THEN ? ELSE modified END"
                    self.db.conn.execute(f"UPDATE {child.table} SET {changed}, {sets} WHERE uid = ? AND worker_id = ?",
                                         [*data.values(), now, *data.values(), item.uid, wid])

    def _integrity(self, e: sqlite3.IntegrityError) -> Exception:
        msg = str(e)
        if "workers.dossier_id, workers.insz" in msg or "idx_workers_insz" in msg:
            return ValidationError([FieldError("insz", tr(_CTX, "Dit INSZ bestaat al in dit dossier."))])
        if "FOREIGN KEY" in msg:
            return ValidationError([FieldError("dossier_id", tr(_CTX, "Het dossier bestaat niet (meer)."))])
        return ValidationError([FieldError("", tr(_CTX, "De gegevens konden niet bewaard worden: {fout}").format(fout=msg))])

    def delete(self, worker_id: int) -> None:
        self._require_visible(worker_id)
        with self.db.atomic():
            self.db.conn.execute("DELETE FROM workers WHERE id = ?", [worker_id])
            if self.audit is not None:
                self.audit.deleted("worker", worker_id)

    # -- follow-up contacts -----------------------------------------------------------------------
    def add_contact(self, worker_id: int, c: Contact) -> Contact:
        if c.hours < 0 or c.hours > 24:
            raise ValidationError([FieldError("hours", tr(_CTX, "Uren per contact liggen tussen 0 en 24."))])
        self._require_visible(worker_id)
        data = _contact_row(c) | {"worker_id": worker_id, "uid": c.uid, "modified": utc_now()}
        with self.db.atomic():
            try:
                cur = self.db.conn.execute(f"INSERT INTO contacts ({', '.join(data)}) VALUES "
                                           f"({', '.join('?' * len(data))})", list(data.values()))
            except sqlite3.IntegrityError as e:
                raise self._integrity(e) from None
        c.id = cur.lastrowid
        return c

    def contacts(self, worker_id: int) -> list[Contact]:
        self._require_visible(worker_id)
        return [_contact(r) for r in self._rows("SELECT * FROM contacts WHERE worker_id = ? ORDER BY date, id",
                                                [worker_id])]

    def delete_contact(self, contact_id: int) -> None:
        row = self.db.conn.execute("SELECT worker_id FROM contacts WHERE id = ?", [contact_id]).fetchone()
        if row is not None:
            self._require_visible(row[0])
        with self.db.atomic():
            self.db.conn.execute("DELETE FROM contacts WHERE id = ?", [contact_id])

    # -- bulk reads for dossier-wide views (a few queries, never one per worker) -------------------
    def load_dossier(self, dossier_id: int, *, with_limitations: bool = True) -> list[Worker]:
        """All workers of a dossier with their records: one query per table."""
        return self._load_many(dossier_id, [c for c in CHILDREN
                                            if with_limitations or c.table != "functional_limitations"])

    def load_for_followup(self, dossier_id: int) -> tuple[list[Worker], dict[int, list[Contact]]]:
        """Workers with their certificates, and every contact per worker id, for the to-do list."""
        if not self._require_dossier(dossier_id):
            return [], {}
        workers = self._load_many(dossier_id, [c for c in CHILDREN if c.table == "certificates"])
        contacts: dict[int, list[Contact]] = {}
        for r in self._rows("SELECT c.* FROM contacts c JOIN workers w ON w.id = c.worker_id "
                            "WHERE w.dossier_id = ? ORDER BY c.date, c.id", [dossier_id]):
            contacts.setdefault(r["worker_id"], []).append(_contact(r))
        return workers, contacts

    def _load_many(self, dossier_id: int, children) -> list[Worker]:
        if not self._require_dossier(dossier_id):
            return []
        workers = [_worker_from_row(r) for r in self._rows(
            "SELECT * FROM workers WHERE dossier_id = ? ORDER BY id", [dossier_id])]
        by_id = {w.id: w for w in workers}
        for child in children:
            for r in self._rows(f"SELECT t.* FROM {child.table} t JOIN workers w ON w.id = t.worker_id "
                                f"WHERE w.dossier_id = ? ORDER BY t.worker_id, t.position, t.id", [dossier_id]):
                getattr(by_id[r["worker_id"]], child.attr).append(child.from_row(r))
        self._hide_limitations(workers)
        return workers
