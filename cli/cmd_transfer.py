"""``export-transfer`` and ``import-transfer``: move a dossier (or some workers) to another computer."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.errors import UserError
from cli.argtypes import input_file, record_id
from core.i18n import tr

_CTX = "cli"


def register(sub) -> None:
    p = sub.add_parser("export-transfer", help=tr(_CTX, "schrijf een dossier naar een overdrachtsbestand (.werkbrug)"))
    p.add_argument("--dossier", type=record_id, required=True, metavar="ID")
    p.add_argument("--out", required=True, metavar="BESTAND")
    p.add_argument("--workers", metavar="ID,ID", help=tr(_CTX, "alleen deze werknemers"))
    p.add_argument("--with-limitations", action="store_true",
                   help=tr(_CTX, "neem ook functionele beperkingen (gezondheidsgegevens) mee"))
    p.add_argument("--passphrase-env", default=PASSPHRASE_ENV, metavar="VAR",
                   help=tr(_CTX, "omgevingsvariabele met de wachtwoordzin (anders wordt ze gevraagd)"))
    p.set_defaults(func=run_export)
    p = sub.add_parser("import-transfer", help=tr(_CTX, "lees een overdrachtsbestand in (samenvoegen)"))
    p.add_argument("file", metavar="BESTAND")
    p.add_argument("--resolve", choices=("mine", "theirs"),
                   help=tr(_CTX, "velden die op beide computers gewijzigd werden: mine = hier behouden, theirs = "
                                "van het bestand nemen (velden die maar aan één kant wijzigden, worden altijd "
                                "samengevoegd)"))
    p.add_argument("--json", action="store_true", help=tr(_CTX, "resultaat als JSON"))
    p.add_argument("--passphrase-env", default=PASSPHRASE_ENV, metavar="VAR",
                   help=tr(_CTX, "omgevingsvariabele met de wachtwoordzin (anders wordt ze gevraagd)"))
    p.set_defaults(func=run_import)


PASSPHRASE_ENV = "WERKBRUG_TRANSFER_PASSPHRASE"


def ask_passphrase(env_name: str, *, confirm: bool) -> str:
    """The transfer passphrase from the environment, or typed on the terminal (twice when exporting)."""
    import getpass
    import os
    value = os.environ.get(env_name)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UserError(tr(_CTX, "Een overdrachtsbestand is versleuteld met een wachtwoordzin: zet {var} of start "
                                 "het commando in een terminal.").format(var=env_name))
    first = getpass.getpass(tr(_CTX, "Wachtwoordzin voor het overdrachtsbestand: "))
    if confirm and getpass.getpass(tr(_CTX, "Herhaal de wachtwoordzin: ")) != first:
        raise UserError(tr(_CTX, "De twee wachtwoordzinnen verschillen."))
    return first


def export_transfer(db, dossier_id: int, out, worker_ids=None, with_limitations: bool = False, *,
                    passphrase: str, kdf=None, report: dict | None = None) -> Path:
    """The dossier (or some workers) sealed under ``passphrase`` in one transfer file. ``report``, when
    given, receives ``workers`` (how many were written) and ``limitations_withheld`` (workers whose
    limitations were left out because the signed-in account may not see them)."""
    from core.transfer import SUFFIX
    from db.connection import schema_version
    from db.transfer_file import check_passphrase, write_sealed
    from db.transfer_repo import collect, installation_id
    from core.fileio import check_output_file, refuse_folder
    check_passphrase(passphrase)
    out = refuse_folder(out)          # the name as given: a folder is refused, never written next to
    if out.suffix != SUFFIX:
        out = out.with_name(out.name + SUFFIX)
    check_output_file(out)
    try:
        content = collect(db, dossier_id, worker_ids, with_limitations=with_limitations)
    except LookupError as e:
        raise UserError(str(e)) from None
    written = write_sealed(out, content, source=installation_id(db), schema=schema_version(db),
                           passphrase=passphrase, kdf=kdf)
    if report is not None:
        report.update(workers=content["workers"], limitations_withheld=content["limitations_withheld"])
    return written


def prepare_import(db, path, *, passphrase: str, kdf=None):
    """Read and check the file, decide per record; writes nothing. Returns (plan, dossier uid, manifest);
    the file's reference section rides along in ``plan.reference`` and is merged by ``apply_merge``.
    A consulent's file whose dossier exists here but is not theirs is refused here, before any of it is
    compared or shown."""
    from core.transfer import REFERENCE_SECTION, plan_merge
    from db.migrations import latest_version
    from db.transfer_file import read_sealed
    from db.transfer_repo import (check_dossier_access, installation_id, local_records, shared_bases,
                                  shared_stamps, withhold_erased)
    manifest, content = read_sealed(path, passphrase=passphrase, max_schema=latest_version(), kdf=kdf)
    me = installation_id(db)
    if manifest.get("source") == me:
        raise UserError(tr(_CTX, "Dit bestand werd op deze computer gemaakt; er is niets in te lezen."))
    check_dossier_access(db, content["dossier"])
    # a worker anonymised here (or every worker of a dossier anonymised here) is never read in again
    records, erased, dossier_erased = withhold_erased(db, content["dossier"], content["records"])
    plan = plan_merge(manifest["source"], records, local_records(db, records),
                      shared_stamps(db, manifest["source"], me, records),
                      shared_bases(db, manifest["source"], me, records))
    plan.erased_workers, plan.erased_dossier = erased, dossier_erased
    plan.reference = content.get(REFERENCE_SECTION)      # None for files made before it existed
    return plan, content["dossier"], manifest


def run_export(args, ctx) -> int:
    ids = None
    if args.workers is not None:     # given but empty or garbage must never mean "the whole dossier"
        try:
            ids = [record_id(x.strip()) for x in args.workers.split(",") if x.strip()]
        except argparse.ArgumentTypeError:
            ids = []
        if not ids:
            raise UserError(tr(_CTX, "--workers verwacht nummers gescheiden door komma's, bv. 12,15."))
    from core.fileio import refuse_folder
    refuse_folder(args.out)                  # said before the passphrase is asked
    passphrase = ask_passphrase(args.passphrase_env, confirm=True)
    report: dict = {}
    path = export_transfer(ctx.db, args.dossier, args.out, ids, args.with_limitations, passphrase=passphrase,
                           report=report)
    audit = getattr(ctx, "audit", None)
    if audit is not None:
        audit.exported("overdrachtsbestand", "dossier", args.dossier, destination=str(path),
                       sensitive_fields=["limitations"] if args.with_limitations else [],
                       count=len(ids) if ids else None)
    n = report.get("workers", 0)
    print((tr(_CTX, "Overdrachtsbestand geschreven met 1 werknemer: {pad}") if n == 1 else
           tr(_CTX, "Overdrachtsbestand geschreven met {n} werknemers: {pad}")).format(n=n, pad=path))
    if not args.with_limitations:
        print(tr(_CTX, "Functionele beperkingen (gezondheidsgegevens) werden niet meegenomen."))
    elif report.get("limitations_withheld"):
        withheld = report["limitations_withheld"]
        print((tr(_CTX, "Functionele beperkingen meegenomen, behalve die van 1 werknemer van wie je ze niet mag "
                        "zien.") if withheld == 1 else
               tr(_CTX, "Functionele beperkingen meegenomen, behalve die van {n} werknemers van wie je ze niet mag "
                        "zien.")).format(n=withheld))
    return 0


def run_import(args, ctx) -> int:
    from core.transfer import resolve
    from db.transfer_repo import apply_merge
    path = input_file(args.file)              # a wrong path is said before anything is asked or opened
    db = ctx.db
    passphrase = ask_passphrase(args.passphrase_env, confirm=False)
    plan, dossier_uid, manifest = prepare_import(db, path, passphrase=passphrase)
    if args.resolve:
        resolve(plan, {c.uid: args.resolve for c in plan.conflicts})
    open_conflicts = list(plan.conflicts)
    audit = getattr(ctx, "audit", None)
    # an erasure made on the other computer is completed here in the merge, written to this audit trail
    notes = apply_merge(ctx.db, plan, dossier_uid, **({"audit": audit} if audit is not None else {})) + plan.notes
    if audit is not None:
        audit.imported("overdrachtsbestand", "dossier", dossier_uid, source=str(args.file),
                       count=len(plan.add) + len(plan.update) + len(plan.merged), details=plan.audit_details())
    out = sys.stderr if args.json else sys.stdout
    print(plan.summary(), file=out)
    for n in notes:
        print(f"  {n}", file=out)
    for c in open_conflicts:
        head = tr(_CTX, "CONFLICT {wat}").format(wat=c.label)
        if c.deleted_here:
            head += " " + tr(_CTX, "(hier verwijderd, daar gewijzigd)")
        if c.frozen:
            head += " " + tr(_CTX, "(afgedrukt of ondertekend: wordt niet gewijzigd)")
        print(head, file=out)
        if not c.deleted_here:
            for _, name, mine, theirs in c.field_rows():
                print(f"    {name}: {tr(_CTX, 'hier')} = {_shown(mine)} | {tr(_CTX, 'bestand')} = {_shown(theirs)}",
                      file=out)
    if open_conflicts:
        print((tr(_CTX, "1 conflict werd niet toegepast; kies met --resolve mine of --resolve theirs.")
               if len(open_conflicts) == 1 else
               tr(_CTX, "{n} conflicten werden niet toegepast; kies met --resolve mine of --resolve theirs.")).format(
            n=len(open_conflicts)), file=out)
    report = plan.reference_report
    for line in (report.lines() if report is not None else []):
        print(line, file=out)
    if args.json:
        print(json.dumps({"added": len(plan.add), "updated": len(plan.update), "merged": len(plan.merged),
                          "unchanged": len(plan.unchanged), "kept_mine": len(plan.kept_mine),
                          "counts": plan.counts(), "conflicts": [
                              {"uid": c.uid, "kind": c.kind, "label": c.label, "frozen": c.frozen,
                               "fields": [[n, m, t, label] for n, label, m, t in c.field_rows()]} for c in open_conflicts],
                          "notes": notes,
                          "erased_not_imported": plan.erased_workers,
                          "erased_elsewhere": len(plan.erased_elsewhere_ids or ()),
                          "counsellors": plan.counsellors.as_dict() if plan.counsellors is not None else None,
                          "reference": report.as_dict() if report is not None else None},
                         ensure_ascii=False, default=str))
    return 0


def _shown(value) -> str:
    """A field value as the counsellor reads it in a conflict line."""
    return "—" if value is None or value == "" else f"'{value}'"
