"""``export-dossier --dossier ID --out FILE.xlsx``: the dossier overview for the steering group."""
from __future__ import annotations

from pathlib import Path

from core.errors import UserError
from core.fileio import os_reason, refuse_folder
from cli.argtypes import record_id
from core.i18n import tr

_CTX = "cli"


def register(sub) -> None:
    p = sub.add_parser("export-dossier", help=tr(_CTX, "schrijf een dossieroverzicht naar Excel (xlsx)"))
    p.add_argument("--dossier", type=record_id, required=True, metavar="ID")
    p.add_argument("--out", required=True, metavar="BESTAND.xlsx")
    p.set_defaults(func=run)


def export_dossier(db, dossier_id: int, out) -> Path:
    from core.export_xlsx import WorkerExport, write_dossier_xlsx
    from db.dossiers import DossierRepository, NotFound
    from db.plans import PlanRepository
    from db.workers import WorkerRepository
    try:
        dossier = DossierRepository(db).get(dossier_id)
    except NotFound as e:
        raise UserError(str(e)) from None
    out = refuse_folder(out)          # the name as given: a folder is refused, never written next to
    if out.suffix.lower() != ".xlsx":
        out = out.with_name(out.name + ".xlsx")
    workers, plans = WorkerRepository(db), PlanRepository(db)
    rows = [WorkerExport(workers.get(wid, with_limitations=False), workers.contacts(wid), plans.latest(wid))
            for wid in workers.ids_in_dossier(dossier_id)]
    rows.sort(key=lambda we: (we.worker.surname.lower(), we.worker.first_names.lower()))
    try:
        return write_dossier_xlsx(out, dossier, rows)
    except OSError as e:
        raise UserError(tr(_CTX, "{pad} kan niet geschreven worden: {fout}").format(pad=out, fout=os_reason(e))) \
            from None


def run(args, ctx) -> int:
    path = export_dossier(ctx.db, args.dossier, args.out)
    audit = getattr(ctx, "audit", None)
    if audit is not None:
        audit.exported("dossieroverzicht (xlsx)", "dossier", args.dossier, destination=str(path))
    print(tr(_CTX, "Dossieroverzicht geschreven: {pad}").format(pad=path))
    return 0
