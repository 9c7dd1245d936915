"""Self-test of an installed Werkbrug (``werkbrug --self-test`` or ``werkbrug self-test``).

It proves that this copy of the program works on this computer, without a display and without
touching the user's own database: a temporary folder holds everything it writes. Each check has a
Dutch name and prints one line, ``OK`` or ``FOUT``, with a short detail; the exit code is 0 only
when every check passed. A check fails by raising: a part of the program that is missing (not
written yet, or not bundled) is a failure with a clear message, never a pass.

core/ does not import Qt: the check of the Qt platform plugin is added by cli/cmd_selftest.py.
Modules of other layers are imported inside the checks, so that one broken part fails one check
and the other checks still run.
"""
from __future__ import annotations

import datetime as dt
import importlib
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from core.i18n import tr

_CTX = "zelftest"

REFERENCE_MODULE = "core.reference"
# Where the matching engine may live; the first module that exists is used.
MATCHING_MODULES = ("core.matching", "core.ranking", "core.match", "core.matcher")


class CheckFailed(Exception):
    """A check found a problem; the message (Dutch) is shown after FOUT."""


@dataclass
class SelfTestContext:
    """What the checks share: a temporary folder and results of earlier checks (e.g. the reference)."""
    workdir: Path
    state: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    name: str                                   # Dutch, shown to the user
    run: Callable[[SelfTestContext], str]       # returns a short detail; raises on failure


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    seconds: float

    def line(self) -> str:
        status = "OK  " if self.ok else "FOUT"
        return f"{status}  {self.name}: {self.detail}"


# -- the checks --------------------------------------------------------------------------------------

def _frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def check_version(ctx: SelfTestContext) -> str:
    from core.resources import resource_path
    from core.version import __version__
    if not __version__ or __version__ == "0.0.0":
        raise CheckFailed(tr(_CTX, "geen versienummer gevonden (pyproject.toml of resources/VERSION ontbreekt)"))
    if _frozen():
        stamp = resource_path("VERSION")
        if not stamp.exists():
            raise CheckFailed(tr(_CTX, "resources/VERSION ontbreekt in deze installatie"))
        stamped = stamp.read_text(encoding="utf-8").strip()
        if stamped != __version__:
            raise CheckFailed(tr(_CTX, "versie {versie} verschilt van resources/VERSION ({stempel})").format(
                versie=__version__, stempel=stamped))
        return tr(_CTX, "Werkbrug {versie} (geïnstalleerd programma)").format(versie=__version__)
    return tr(_CTX, "Werkbrug {versie} (bronmap)").format(versie=__version__)


# Files without which the program cannot do its work; everything else in resources/ is optional here.
REQUIRED_RESOURCES = ("fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf", "fonts/DejaVuSans-Oblique.ttf",
                      "fonts/DejaVuSans-BoldOblique.ttf")


def check_resources(ctx: SelfTestContext) -> str:
    from core.resources import resources_dir
    base = resources_dir()
    if not base.is_dir():
        raise CheckFailed(tr(_CTX, "de map met bronbestanden ontbreekt: {map}").format(map=base))
    missing = [name for name in REQUIRED_RESOURCES if not (base / name).is_file()]
    if missing:
        raise CheckFailed(tr(_CTX, "ontbrekende bestanden in {map}: {lijst}").format(map=base, lijst=", ".join(missing)))
    count = sum(1 for p in base.rglob("*") if p.is_file())
    return tr(_CTX, "{aantal} bestanden in {map}").format(aantal=count, map=base)


def check_database(ctx: SelfTestContext) -> str:
    """A new database in the temporary folder, through the one connection factory, with a round trip."""
    from db.connection import integrity_ok, open_database, schema_version
    from db.migrations import latest_version
    path = ctx.workdir / "zelftest.db"
    db = open_database(path)
    try:
        version = schema_version(db)
        if version != latest_version():
            raise CheckFailed(tr(_CTX, "schema {schema} in plaats van {verwacht}").format(
                schema=version, verwacht=latest_version()))
        if not integrity_ok(db):
            raise CheckFailed(tr(_CTX, "de integriteitscontrole van SQLite faalt"))
        _roundtrip(db)
    finally:
        db.conn.close()
    return tr(_CTX, "nieuwe database aangemaakt, schema {schema}, dossier bewaard en teruggelezen").format(
        schema=version)


def _roundtrip(db, company: str = "Zelftest NV") -> None:
    """Save a dossier through its repository and read it back."""
    from core.model import Dossier
    from db.dossiers import DossierRepository
    repo = DossierRepository(db)
    saved = repo.add(Dossier(company_name=company))
    if repo.get(saved.id).company_name != company:
        raise CheckFailed(tr(_CTX, "een bewaard dossier komt niet ongewijzigd terug"))


def _accepts_key(func) -> bool:
    import inspect
    try:
        return "key" in inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False


def check_encryption(ctx: SelfTestContext) -> str:
    """An encrypted database (SQLCipher) with a random key; Argon2id for password-derived keys."""
    import db.connection as connection
    if not hasattr(connection, "DatabaseKey") or not _accepts_key(connection.open_database):
        raise CheckFailed(tr(_CTX, "versleuteling ontbreekt nog in db.connection (geen DatabaseKey)"))
    key = connection.DatabaseKey(os.urandom(32))
    path = ctx.workdir / "zelftest-versleuteld.db"
    db = connection.open_database(path, key=key)
    try:
        _roundtrip(db, "Zelftest versleuteld NV")
    finally:
        db.conn.close()
    with open(path, "rb") as fh:
        if fh.read(16) == b"SQLite format 3\x00":
            raise CheckFailed(tr(_CTX, "het bestand is niet versleuteld"))
    db = connection.open_database(path, key=key)
    try:
        from db.dossiers import DossierRepository
        if [d.company_name for d in DossierRepository(db).list()] != ["Zelftest versleuteld NV"]:
            raise CheckFailed(tr(_CTX, "de versleutelde database geeft haar gegevens niet terug"))
    finally:
        db.conn.close()
    from argon2.low_level import Type, hash_secret_raw
    derived = hash_secret_raw(b"zelftest", b"werkbrug-zelftest", time_cost=1, memory_cost=1024, parallelism=1,
                              hash_len=32, type=Type.ID)
    if len(derived) != 32:
        raise CheckFailed(tr(_CTX, "Argon2id geeft geen sleutel van 32 bytes"))
    return tr(_CTX, "SQLCipher-database versleuteld geschreven en teruggelezen; Argon2id werkt")


def check_reference(ctx: SelfTestContext) -> str:
    try:
        reference = importlib.import_module(REFERENCE_MODULE)
    except ModuleNotFoundError as e:
        if e.name != REFERENCE_MODULE:
            raise
        raise CheckFailed(tr(_CTX, "module {module} ontbreekt: de referentiegegevens kunnen niet geladen "
                                   "worden").format(module=REFERENCE_MODULE)) from None
    load = getattr(reference, "load_reference", None)
    if load is None:
        raise CheckFailed(tr(_CTX, "{module} heeft geen load_reference()").format(module=REFERENCE_MODULE))
    ref = load()
    ctx.state["reference"] = ref
    counts = _describe_counts(ref)
    if counts is not None and not any(n for _, n in counts):
        raise CheckFailed(tr(_CTX, "de referentiegegevens zijn leeg"))
    shown = ", ".join(f"{n} {name}" for name, n in counts) if counts else type(ref).__name__
    return tr(_CTX, "geladen: {inhoud}").format(inhoud=shown)


def _describe_counts(obj) -> list[tuple[str, int]] | None:
    """Sizes of the collections an object holds (attributes that are lists, tuples or dicts)."""
    if isinstance(obj, (list, tuple, dict)):
        return [("items", len(obj))]
    fields = getattr(obj, "__dict__", None) or {}
    counts = [(name, len(value)) for name, value in fields.items()
              if not name.startswith("_") and isinstance(value, (list, tuple, dict, set, frozenset))]
    return counts or None


def _matching_module():
    for name in MATCHING_MODULES:
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
    raise CheckFailed(tr(_CTX, "de matchingmodule ontbreekt (gezocht: {namen})").format(
        namen=", ".join(MATCHING_MODULES)))


def sample_worker():
    """A fictitious worker with an industrial profile (welder, forklift), used by the match and the PDF."""
    from core.model import (Certificate, EducationGroup, Experience, LanguageSkill, Mobility, Worker,
                            WorkerCompetence)
    return Worker(surname="Zelftest", first_names="Zoë", birth_date=dt.date(1975, 3, 14), postcode="2500",
                  municipality="Lier", preferred_language="nl", dismissal_date=dt.date(2024, 6, 3),
                  highest_diploma="diploma TSO", education_group=EducationGroup.MIDDEN, vks_level=4, id=1,
                  previous_job_title="lasser",
                  experiences=[Experience("Zelftest NV", "Lasser-monteerder", start_date=dt.date(2001, 9, 1),
                                          end_date=dt.date(2024, 6, 3))],
                  competences=[WorkerCompetence("MIG/MAG lassen", level=4),
                               WorkerCompetence("technische tekeningen lezen", level=3),
                               WorkerCompetence("heftruck besturen", level=3)],
                  certificates=[Certificate("heftruck", "Heftruckattest", dt.date(2023, 2, 1), dt.date(2028, 2, 1))],
                  languages=[LanguageSkill("nl", "C2", "C2", "C1", "B2")],
                  mobility=Mobility(driving_licences=["B"], own_car=True, max_commute_minutes=45))


def check_matching(ctx: SelfTestContext) -> str:
    if "reference" not in ctx.state:
        raise CheckFailed(tr(_CTX, "geen referentiegegevens (zie de vorige controle)"))
    module = _matching_module()
    results = run_sample_match(module, ctx.state["reference"], sample_worker())
    if not results:
        raise CheckFailed(tr(_CTX, "geen enkel beroep gevonden voor het voorbeeldprofiel"))
    scores = [getattr(r, "score", None) for r in results]
    if any(not isinstance(x, (int, float)) or not 0.0 <= x <= 1.0 for x in scores):
        raise CheckFailed(tr(_CTX, "scores buiten 0..1"))
    if scores != sorted(scores, reverse=True):
        raise CheckFailed(tr(_CTX, "de beroepen staan niet van hoog naar laag gerangschikt"))
    if scores[0] <= 0.0:
        raise CheckFailed(tr(_CTX, "geen enkel beroep past bij een lasser met heftruckattest (alle scores 0)"))
    ctx.state["matches"] = results
    first = results[0]
    name = getattr(first, "name", None) or str(first)
    return tr(_CTX, "{aantal} beroepen gerangschikt, beste: {naam} ({score} %)").format(
        aantal=len(results), naam=name, score=round(scores[0] * 100))


def run_sample_match(module, reference, worker, top: int = 10) -> list:
    """Rank the occupations for one worker with the matching engine (``MatchingService.rank``)."""
    service_cls = getattr(module, "MatchingService", None)
    if service_cls is not None:
        return list(service_cls(reference).rank(worker, top))
    for name in ("match_worker", "rank_occupations", "rank"):
        func = getattr(module, name, None)
        if callable(func):
            return list(func(worker, reference))[:top]
    raise CheckFailed(tr(_CTX, "{module} heeft geen MatchingService").format(module=module.__name__))


def _sample_targets(ctx: SelfTestContext) -> list:
    """Plan targets: the best matches of the matching check when it passed, else a fixed one."""
    from core.model import PlanTarget
    targets = []
    for m in ctx.state.get("matches", [])[:2]:
        targets.append(PlanTarget(
            str(getattr(m, "occupation_id", "")), str(getattr(m, "name", "")), list(getattr(m, "reasons", []) or []),
            getattr(m, "score", None), [x.label for x in getattr(m, "matched", [])],
            [x.label for x in getattr(m, "missing_essential", [])],
            [x.label for x in getattr(m, "missing_optional", [])], str(getattr(m, "isco", ""))))
    return targets or [PlanTarget("zelftest", "Technicus industriële installaties", ["KWANT"], 0.7,
                                  ["MIG/MAG lassen"], ["PLC-programmatie"], [])]


def check_plan_pdf(ctx: SelfTestContext) -> str:
    from core.model import PlanAction, TrajectoryPlan
    from core.plan_pdf import PlanInput, write_plan
    worker = sample_worker()
    plan = TrajectoryPlan(worker_id=1, counsellor="Zelftest", targets=_sample_targets(ctx),
                          actions=[PlanAction("Opleiding PLC", "opleiding", "VDAB", dt.date(2025, 2, 3),
                                              dt.date(2025, 3, 28))],
                          agreements="Zoë solliciteert elke week voor twee vacatures.",
                          followups=[dt.date(2025, 2, 14)])
    target = ctx.workdir / "trajectplan-zelftest.pdf"
    pages = write_plan(PlanInput(plan=plan, worker=worker, stored=False), target)
    data = target.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise CheckFailed(tr(_CTX, "het geschreven bestand is geen volledige PDF"))
    if b"DejaVuSans" not in data:
        raise CheckFailed(tr(_CTX, "het lettertype DejaVu Sans zit niet in de PDF"))
    return tr(_CTX, "trajectplan geschreven: {paginas} pagina('s), {kb} kB").format(
        paginas=pages, kb=max(1, len(data) // 1024))


CHECKS: list[Check] = [
    Check(tr(_CTX, "Versie"), check_version),
    Check(tr(_CTX, "Bronbestanden"), check_resources),
    Check(tr(_CTX, "Database"), check_database),
    Check(tr(_CTX, "Versleuteling"), check_encryption),
    Check(tr(_CTX, "Referentiegegevens"), check_reference),
    Check(tr(_CTX, "Matching"), check_matching),
    Check(tr(_CTX, "Trajectplan-PDF"), check_plan_pdf),
]


# -- running -----------------------------------------------------------------------------------------

def run_checks(checks: Iterable[Check], out: Callable[[str], None] | None = None,
               workdir: Path | None = None) -> list[CheckResult]:
    """Run every check (a failing one does not stop the others) in a temporary folder."""
    results: list[CheckResult] = []
    tmp = Path(tempfile.mkdtemp(prefix="werkbrug-zelftest-")) if workdir is None else workdir
    ctx = SelfTestContext(workdir=tmp)
    try:
        for check in checks:
            start = time.perf_counter()
            try:
                detail = check.run(ctx)
                result = CheckResult(check.name, True, detail, time.perf_counter() - start)
            except CheckFailed as e:
                result = CheckResult(check.name, False, str(e), time.perf_counter() - start)
            except Exception as e:  # noqa: BLE001 - any error is a failed check, shown in one line
                message = str(e).splitlines()[0] if str(e) else ""
                result = CheckResult(check.name, False, f"{e.__class__.__name__}: {message}".rstrip(": "),
                                     time.perf_counter() - start)
            results.append(result)
            if out is not None:
                out(result.line())
    finally:
        if workdir is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return results


def summary(results: list[CheckResult]) -> str:
    failed = [r for r in results if not r.ok]
    if not failed:
        return tr(_CTX, "Zelftest geslaagd: {aantal} controles in orde.").format(aantal=len(results))
    return tr(_CTX, "Zelftest mislukt: {fout} van {aantal} controles faalden.").format(
        fout=len(failed), aantal=len(results))


def run_selftest(extra_checks: Iterable[Check] = (), out: Callable[[str], None] | None = None) -> int:
    """Run the standard checks plus ``extra_checks``; print one line each and a summary. Exit code 0 = all OK."""
    if out is None:
        out = _printer()
    results = run_checks([*CHECKS, *extra_checks], out)
    out(summary(results))
    return 0 if all(r.ok for r in results) else 1


def _printer() -> Callable[[str], None]:
    def out(line: str) -> None:
        if sys.stdout is not None:          # a windowed program on Windows may have no console
            print(line, flush=True)
    return out
