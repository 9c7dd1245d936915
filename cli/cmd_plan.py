"""``plan --worker ID --out FILE.pdf`` and ``plans --dossier ID --out DIR``: print trajectory plans as PDF.

Printing from the command line does not freeze a plan: only ``--mark-printed`` marks the printed
versions as printed (after which they can no longer change); the output says which of the two happened.
A PDF written with ``--mark-printed`` reads "afgedrukt, te ondertekenen", one without reads "concept". A worker without a plan gets a
concept plan built from the worker record (no target occupations yet); this is said on stderr.
"""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from core.errors import UserError
from core.fileio import check_output_file, os_error_path, os_reason, refuse_folder
from cli.argtypes import record_id, positive_int
from core.i18n import tr
from core.model import PlanStatus

_CTX = "cli"


def register(sub) -> None:
    p = sub.add_parser("plan", help=tr(_CTX, "druk het individueel trajectplan van een werknemer af als PDF"))
    p.add_argument("--worker", type=record_id, required=True, metavar="ID", help=tr(_CTX, "id van de werknemer"))
    p.add_argument("--out", required=True, metavar="BESTAND.pdf", help=tr(_CTX, "PDF-bestand om te maken"))
    p.add_argument("--version", type=positive_int, metavar="N", dest="plan_version",
                   help=tr(_CTX, "versie van het plan (standaard de laatste)"))
    p.add_argument("--mark-printed", action="store_true",
                   help=tr(_CTX, "dit is de versie die ondertekend wordt: markeer het plan als afgedrukt, zodat het "
                                 "bevroren is en niet meer gewijzigd kan worden (zonder deze optie blijft een "
                                 "conceptplan een concept dat nog kan wijzigen)"))
    p.add_argument("--json", action="store_true", help=tr(_CTX, "resultaat als JSON"))
    p.set_defaults(func=run_plan)

    p = sub.add_parser("plans", help=tr(_CTX, "druk de trajectplannen van een heel dossier af als PDF"))
    p.add_argument("--dossier", type=record_id, required=True, metavar="ID", help=tr(_CTX, "id van het dossier"))
    p.add_argument("--out", type=Path, metavar="MAP", help=tr(_CTX, "map voor één PDF per werknemer"))
    p.add_argument("--single", metavar="BESTAND.pdf",
                   help=tr(_CTX, "alle plannen samen in één PDF-bestand"))
    p.add_argument("--mark-printed", action="store_true",
                   help=tr(_CTX, "dit zijn de versies die ondertekend worden: markeer de plannen als afgedrukt, "
                                 "zodat ze bevroren zijn en niet meer gewijzigd kunnen worden (zonder deze optie "
                                 "blijven conceptplannen concepten die nog kunnen wijzigen)"))
    p.add_argument("--json", action="store_true", help=tr(_CTX, "resultaat als JSON"))
    p.set_defaults(func=run_plans)


class PlanLoader:
    """Reads what a printed plan needs from the repositories (one worker at a time)."""

    def __init__(self, db, label_lookup=None):
        from db.dossiers import DossierRepository
        from db.plans import PlanRepository
        from db.workers import WorkerRepository
        self.workers, self.plans, self.dossiers = WorkerRepository(db), PlanRepository(db), DossierRepository(db)
        self._dossier_cache: dict = {}
        self.concepts: list[int] = []
        self.label_lookup = label_lookup
        self.rules = _rules(db)

    def load(self, worker_id: int, version: int | None = None):
        from core.model import TrajectoryPlan
        from core.plan_pdf import PlanInput
        from db.dossiers import NotFound
        try:
            header = self.workers.get(worker_id, with_limitations=False)
        except NotFound as e:
            raise UserError(str(e)) from None
        if version is not None:
            found = [p for p in self.plans.versions(worker_id) if p.version == version]
            if not found:
                raise UserError(tr(_CTX, "Werknemer {id} heeft geen trajectplan met versie {v}.").format(
                    id=worker_id, v=version))
            plan, stored = found[0], True
        else:
            plan = self.plans.latest(worker_id)
            stored = plan is not None
            if plan is None:
                plan = TrajectoryPlan(worker_id=worker_id, version=1, counsellor=header.counsellor)
                self.concepts.append(worker_id)
        # functional limitations (GDPR art. 9) are only read when this plan prints them
        worker = self.workers.get(worker_id) if plan.print_limitations else header
        dossier = None
        if worker.dossier_id is not None:
            if worker.dossier_id not in self._dossier_cache:
                self._dossier_cache[worker.dossier_id] = self.dossiers.get(worker.dossier_id)
            dossier = self._dossier_cache[worker.dossier_id]
        return PlanInput(plan=plan, worker=worker, dossier=dossier, contacts=self.workers.contacts(worker_id),
                         rules=self.rules, stored=stored,
                         counsellor_name=self.workers.counsellor_name(plan.counsellor or worker.counsellor))

    def mark_printed(self, data) -> None:
        """Store a concept built from the worker record first, then mark the plan printed."""
        plan = data.plan
        if not data.stored:
            plan = self.plans.save(plan)
            data.stored = True
        data.plan = self.plans.mark_printed(plan.id)


def _reference(db):
    """The reference data as this installation uses it (embedded plus the counsellors' own changes)."""
    try:
        from db.reference_store import effective_reference
        return effective_reference(db)
    except Exception:  # noqa: BLE001 - printing must work even when the reference layer cannot be read
        return None


def _rules(db=None):
    from core.plan_text import reference_rules
    return reference_rules(_reference(db) if db is not None else None)


def label_lookup(db=None):
    """French occupation and competence names from the reference data."""
    from core.plan_text import reference_label_lookup
    return reference_label_lookup(_reference(db) if db is not None else None)


def _audit(ctx, what: str, entity: str, entity_id: int, destination, written) -> None:
    """Record in the audit trail that plans left the application as PDF (limitations named when printed)."""
    audit = getattr(ctx, "audit", None)
    if audit is None or not written:
        return
    sensitive = ["limitations"] if any(d.plan.print_limitations for d in written) else []
    audit.exported(what, entity, entity_id, destination=str(destination), sensitive_fields=sensitive,
                   count=len(written))


def _concept_note(worker_id: int) -> str:
    return tr(_CTX, "Werknemer {id} heeft nog geen trajectplan: er wordt een conceptplan afgedrukt op basis van "
                    "de werknemersfiche, nog zonder jobdoelwitten.").format(id=worker_id)


def run_plan(args, ctx) -> int:
    from core.plan_pdf import write_plan
    out = refuse_folder(args.out)            # the name as typed: "map/" is a folder
    if out.suffix.lower() != ".pdf":
        raise UserError(tr(_CTX, "Het uitvoerbestand moet op .pdf eindigen."))
    lookup = label_lookup(ctx.db)
    check_output_file(out)                   # with the database open: never over one of its files
    loader = PlanLoader(ctx.db, lookup)
    data = loader.load(args.worker, args.plan_version)
    printed = data
    if args.mark_printed and data.plan.status is PlanStatus.CONCEPT:
        # the paper reads as the version it becomes: printed, to be signed (marked once the file is written)
        printed = dataclasses.replace(data, plan=dataclasses.replace(data.plan, status=PlanStatus.AFGEDRUKT),
                                      stored=True)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        pages = write_plan(printed, out, label_lookup=lookup)
    except OSError as e:
        raise UserError(tr(_CTX, "Kan {pad} niet schrijven: {fout}").format(pad=out, fout=os_reason(e))) from None
    if loader.concepts:
        print(_concept_note(args.worker), file=sys.stderr)
    _audit(ctx, "trajectplan", "worker", args.worker, out, [data])
    if args.mark_printed:
        loader.mark_printed(data)
    frozen = data.stored and data.plan.frozen
    if args.json:
        print(json.dumps({"file": str(out), "pages": pages, "worker": args.worker, "version": data.plan.version,
                          "concept": not data.stored, "marked_printed": bool(args.mark_printed),
                          "frozen": frozen}))
    else:
        print((tr(_CTX, "Trajectplan (versie {v}, 1 pagina) geschreven naar {pad}.") if pages == 1 else
               tr(_CTX, "Trajectplan (versie {v}, {n} pagina's) geschreven naar {pad}.")).format(
            v=data.plan.version, n=pages, pad=out))
        print(_frozen_note(data, args.mark_printed))
    return 0


def _frozen_note(data, marked: bool) -> str:
    """Whether the plan is frozen now, in one sentence for the counsellor."""
    if data.stored and data.plan.frozen:
        if marked:
            return tr(_CTX, "Het plan is gemarkeerd als afgedrukt en bevroren: het kan niet meer wijzigen; "
                            "maak een nieuwe versie voor wijzigingen.")
        return tr(_CTX, "Deze versie was al afgedrukt of ondertekend en is bevroren.")
    return tr(_CTX, "Het plan is NIET bevroren: het blijft een concept dat nog kan wijzigen en de PDF vermeldt "
                    "„concept”. Gebruik --mark-printed voor de versie die ondertekend wordt.")


def run_plans(args, ctx) -> int:
    from core.plan_pdf import write_plans
    from db.dossiers import NotFound
    if (args.out is None) == (args.single is None):
        raise UserError(tr(_CTX, "Geef --out MAP (één PDF per werknemer) of --single BESTAND.pdf (alles samen)."))
    single = refuse_folder(args.single) if args.single is not None else None
    if single is not None and single.suffix.lower() != ".pdf":
        raise UserError(tr(_CTX, "Het uitvoerbestand moet op .pdf eindigen."))
    lookup = label_lookup(ctx.db)
    loader = PlanLoader(ctx.db, lookup)
    try:
        dossier = loader.dossiers.get(args.dossier)
    except NotFound as e:
        raise UserError(str(e)) from None
    ids = [s.id for s in loader.workers.summaries(args.dossier)]
    if not ids:
        raise UserError(tr(_CTX, "Dossier {id} heeft geen werknemers.").format(id=args.dossier))
    title = tr(_CTX, "Individuele trajectplannen – {bedrijf}").format(bedrijf=dossier.company_name)
    try:
        result = write_plans(ids, loader.load, out_dir=args.out, single=single, label_lookup=lookup,
                             progress=ctx.progress, title=title)
    except OSError as e:                     # name the file (or folder) it is about
        raise UserError(tr(_CTX, "Kan {pad} niet schrijven: {fout}").format(
            pad=os_error_path(e, single or args.out), fout=os_reason(e))) from None
    if loader.concepts:
        print((tr(_CTX, "1 werknemer heeft nog geen trajectplan: voor hem of haar werd een conceptplan afgedrukt "
                        "(zonder jobdoelwitten).") if len(loader.concepts) == 1 else
               tr(_CTX, "{n} werknemers hebben nog geen trajectplan: voor hen werd een conceptplan afgedrukt "
                        "(zonder jobdoelwitten).")).format(n=len(loader.concepts)), file=sys.stderr)
    _audit(ctx, "trajectplannen", "dossier", args.dossier, single or args.out, result.written)
    if args.mark_printed:
        with ctx.db.atomic():
            for data in result.written:
                loader.mark_printed(data)
    if args.json:
        print(json.dumps({"files": [str(f) for f in result.files], "plans": len(result.written),
                          "pages": result.pages, "concepts": len(loader.concepts),
                          "marked_printed": bool(args.mark_printed)}))
    else:
        where = single if single is not None else args.out
        plans = (tr(_CTX, "1 trajectplan") if len(result.written) == 1 else
                 tr(_CTX, "{n} trajectplannen").format(n=len(result.written)))
        sheets = tr(_CTX, "1 pagina") if result.pages == 1 else tr(_CTX, "{p} pagina's").format(p=result.pages)
        print(tr(_CTX, "{plannen} ({paginas}) geschreven naar {pad}.").format(plannen=plans, paginas=sheets,
                                                                             pad=where))
        if args.mark_printed:
            print(tr(_CTX, "De plannen zijn gemarkeerd als afgedrukt en bevroren: ze kunnen niet meer wijzigen."))
        else:
            concepts = sum(1 for d in result.written if not (d.stored and d.plan.frozen))
            if concepts:
                print((tr(_CTX, "1 plan is NIET bevroren: het blijft een concept. Gebruik --mark-printed voor de "
                                "versies die ondertekend worden.") if concepts == 1 else
                       tr(_CTX, "{n} plannen zijn NIET bevroren: ze blijven concepten. Gebruik --mark-printed voor "
                                "de versies die ondertekend worden.")).format(n=concepts))
    return 0
