"""``export-dossier --dossier ID --out FILE.xlsx``: the dossier overview for the steering group, and
``export-cell-report --dossier ID --out FILE.pdf [--with-names]``: the printed cell report for it.

Both read the dossier the same way (``load_report_rows``) and take their figures from one computation
(core.cell_report)."""
from __future__ import annotations

import re
from pathlib import Path

from core.errors import UserError
from core.fileio import check_output_file, os_reason, refuse_folder
from cli.argtypes import record_id
from core.i18n import tr

_CTX = "cli"


def register(sub) -> None:
    p = sub.add_parser("export-dossier", help=tr(_CTX, "schrijf een dossieroverzicht naar Excel (xlsx)"))
    p.add_argument("--dossier", type=record_id, required=True, metavar="ID")
    p.add_argument("--out", required=True, metavar="BESTAND.xlsx",
                   help=tr(_CTX, "het Excel-bestand (.xlsx; zonder extensie wordt .xlsx toegevoegd)"))
    p.set_defaults(func=run)
    p = sub.add_parser("export-cell-report",
                       help=tr(_CTX, "schrijf het celrapport voor het begeleidingscomité als PDF (enkel totalen)"))
    p.add_argument("--dossier", type=record_id, required=True, metavar="ID")
    p.add_argument("--out", required=True, metavar="BESTAND.pdf",
                   help=tr(_CTX, "het PDF-bestand (.pdf; zonder extensie wordt .pdf toegevoegd)"))
    p.add_argument("--with-names", action="store_true",
                   help=tr(_CTX, "voeg een bijlage toe met de namen en de status van de werknemers (standaard: "
                                 "enkel totalen, geen namen)"))
    p.set_defaults(func=run_cell_report)


# What looks like a file type at the end of a name: ".csv", ".txt", ".xls", ".pdf"; not ". - overzicht" in
# "Bouw N.V. - overzicht", ".V" in "Bouw N.V" or ".11" in "overzicht 2026.11" (2+ letters, at most 5 signs)
_EXTENSION = re.compile(r"^\.(?=(?:[0-9]*[A-Za-z]){2})[A-Za-z0-9]{2,5}$")


def _target(out, suffix: str, wrong_type: str) -> Path:
    """The file to write: the name as given when it ends in ``suffix``, with ``suffix`` added when it has no
    file type; another file type is refused with ``wrong_type`` (a Dutch message with {soort}), and so is a
    folder."""
    out = refuse_folder(out)          # the name as given: a folder is refused, never written next to
    given = out.suffix
    if given.lower() == suffix:
        return out
    if _EXTENSION.match(given):
        raise UserError(wrong_type.format(soort=given))
    return out.with_name(out.name + suffix)


def xlsx_target(out) -> Path:
    """The file the overview is written to: the name as given when it ends in .xlsx, with .xlsx added when it
    has no file type. Another file type (overzicht.csv) is refused with a Dutch message, as ``plan`` refuses
    a name not ending in .pdf: the overview is always an Excel workbook, and writing overzicht.csv.xlsx
    would leave the counsellor looking for the file they named. A folder is refused as well."""
    return _target(out, ".xlsx", tr(_CTX, "Het dossieroverzicht is een Excel-bestand: het uitvoerbestand moet op "
                                          ".xlsx eindigen, niet op {soort}. Er werd niets geschreven."))


def pdf_target(out) -> Path:
    """The file the cell report is written to, by the same rule as ``xlsx_target``: .pdf added when the name
    has no file type, another file type (rapport.xlsx) refused, a folder refused."""
    return _target(out, ".pdf", tr(_CTX, "Het celrapport is een PDF-bestand: het uitvoerbestand moet op .pdf "
                                         "eindigen, niet op {soort}. Er werd niets geschreven."))


def report_rules(db):
    """The cell rules as this installation uses them (reference data with the counsellors' changes), as the
    window and the printed plan read them; the built-in defaults when the reference cannot be read."""
    from core.plan_text import reference_rules
    try:
        from db.reference_store import effective_reference
        reference = effective_reference(db)
    except Exception:  # noqa: BLE001 - a report must work even when the reference layer cannot be read
        reference = None
    return reference_rules(reference)


def load_report_rows(db, dossier_id: int):
    """The dossier and its workers as the overview and the cell report read them: every worker without
    health data (functional limitations), with the contacts and the latest plan, in name order.
    A dossier that does not exist is a ``UserError``."""
    from core.export_xlsx import WorkerExport, name_order
    from db.dossiers import DossierRepository, NotFound
    from db.plans import PlanRepository
    from db.workers import WorkerRepository
    try:
        dossier = DossierRepository(db).get(dossier_id)
    except NotFound as e:
        raise UserError(str(e)) from None
    workers, plans = WorkerRepository(db), PlanRepository(db)
    rows = [WorkerExport(workers.get(wid, with_limitations=False), workers.contacts(wid), plans.latest(wid))
            for wid in workers.ids_in_dossier(dossier_id)]
    rows.sort(key=name_order)
    return dossier, rows


def export_dossier(db, dossier_id: int, out) -> Path:
    from core.export_xlsx import write_dossier_xlsx
    out = xlsx_target(out)            # before anything is read: a wrong name is said at once
    dossier, rows = load_report_rows(db, dossier_id)
    try:
        return write_dossier_xlsx(out, dossier, rows, rules=report_rules(db))
    except OSError as e:
        raise UserError(tr(_CTX, "{pad} kan niet geschreven worden: {fout}").format(pad=out, fout=os_reason(e))) \
            from None


def export_cell_report(db, dossier_id: int, out, *, with_names: bool = False, today=None) -> Path:
    """Write the cell report of a dossier as a PDF (core.cell_report_pdf): totals only, with an appendix of
    names and status when ``with_names``. An open database, its key file or a folder is refused before
    anything is written, and the file appears whole or not at all."""
    from core.cell_report import compute_cell_report
    from core.cell_report_pdf import write_cell_report_pdf
    out = pdf_target(out)             # before anything is read: a wrong name is said at once
    check_output_file(out)            # with the database open: never over one of its files
    dossier, rows = load_report_rows(db, dossier_id)
    report = compute_cell_report(dossier, rows, rules=report_rules(db), today=today)
    try:
        return write_cell_report_pdf(report, out, with_names=with_names)
    except OSError as e:
        raise UserError(tr(_CTX, "{pad} kan niet geschreven worden: {fout}").format(pad=out, fout=os_reason(e))) \
            from None


def cell_report_audit_what(with_names: bool) -> str:
    """How an exported cell report is named in the audit trail."""
    return "celrapport (pdf, met namen)" if with_names else "celrapport (pdf)"


def run(args, ctx) -> int:
    path = export_dossier(ctx.db, args.dossier, args.out)
    audit = getattr(ctx, "audit", None)
    if audit is not None:
        audit.exported("dossieroverzicht (xlsx)", "dossier", args.dossier, destination=str(path))
    print(tr(_CTX, "Dossieroverzicht geschreven: {pad}").format(pad=path))
    return 0


def run_cell_report(args, ctx) -> int:
    path = export_cell_report(ctx.db, args.dossier, args.out, with_names=args.with_names)
    audit = getattr(ctx, "audit", None)
    if audit is not None:
        audit.exported(cell_report_audit_what(args.with_names), "dossier", args.dossier, destination=str(path))
    print(tr(_CTX, "Celrapport geschreven: {pad}").format(pad=path))
    return 0
