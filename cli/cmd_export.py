"""``export-dossier --dossier ID --out FILE.xlsx``: the dossier overview for the steering group."""
from __future__ import annotations

import re
from pathlib import Path

from core.errors import UserError
from core.fileio import os_reason, refuse_folder
from cli.argtypes import record_id
from core.i18n import tr

_CTX = "cli"


def register(sub) -> None:
    p = sub.add_parser("export-dossier", help=tr(_CTX, "schrijf een dossieroverzicht naar Excel (xlsx)"))
    p.add_argument("--dossier", type=record_id, required=True, metavar="ID")
    p.add_argument("--out", required=True, metavar="BESTAND.xlsx",
                   help=tr(_CTX, "het Excel-bestand (.xlsx; zonder extensie wordt .xlsx toegevoegd)"))
    p.set_defaults(func=run)


# What looks like a file type at the end of a name: ".csv", ".txt", ".xls", ".pdf"; not ". - overzicht" in
# "Bouw N.V. - overzicht", ".V" in "Bouw N.V" or ".11" in "overzicht 2026.11" (2+ letters, at most 5 signs)
_EXTENSION = re.compile(r"^\.(?=(?:[0-9]*[A-Za-z]){2})[A-Za-z0-9]{2,5}$")


def xlsx_target(out) -> Path:
    """The file the overview is written to: the name as given when it ends in .xlsx, with .xlsx added when it
    has no file type. Another file type (overzicht.csv) is refused with a Dutch message, as ``plan`` refuses
    a name not ending in .pdf: the overview is always an Excel workbook, and writing overzicht.csv.xlsx
    would leave the counsellor looking for the file they named. A folder is refused as well."""
    out = refuse_folder(out)          # the name as given: a folder is refused, never written next to
    suffix = out.suffix
    if suffix.lower() == ".xlsx":
        return out
    if _EXTENSION.match(suffix):
        raise UserError(tr(_CTX, "Het dossieroverzicht is een Excel-bestand: het uitvoerbestand moet op .xlsx "
                                 "eindigen, niet op {soort}. Er werd niets geschreven.").format(soort=suffix))
    return out.with_name(out.name + ".xlsx")


def export_dossier(db, dossier_id: int, out) -> Path:
    from core.export_xlsx import WorkerExport, write_dossier_xlsx
    from db.dossiers import DossierRepository, NotFound
    from db.plans import PlanRepository
    from db.workers import WorkerRepository
    out = xlsx_target(out)            # before anything is read: a wrong name is said at once
    try:
        dossier = DossierRepository(db).get(dossier_id)
    except NotFound as e:
        raise UserError(str(e)) from None
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
