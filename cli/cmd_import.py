"""``import-workers FILE --dossier ID``: the employer's list into a dossier, after a preview."""
from __future__ import annotations

import json
import sys

from core.errors import UserError
from cli.argtypes import input_file, record_id
from core.i18n import counted, tr

_CTX = "cli"


def register(sub) -> None:
    p = sub.add_parser("import-workers", help=tr(_CTX, "importeer de personeelslijst van de werkgever (xlsx, xls, csv)"))
    p.add_argument("file", metavar="BESTAND")
    p.add_argument("--dossier", type=record_id, required=True, metavar="ID")
    p.add_argument("--mapping", metavar="JSON",
                   help=tr(_CTX, 'kolomkoppeling verbeteren, bv. {"Naam werknemer": "surname"} (null = niet importeren)'))
    p.add_argument("--sheet", metavar="NAAM",
                   help=tr(_CTX, "lees alleen dit blad van het Excel-bestand (standaard: elk blad met de kolommen "
                                 "van een personeelslijst)"))
    p.add_argument("--yes", action="store_true", help=tr(_CTX, "importeer zonder te vragen"))
    p.add_argument("--dry-run", action="store_true", help=tr(_CTX, "toon alleen het voorbeeld, schrijf niets"))
    p.add_argument("--with-warnings", action="store_true",
                   help=tr(_CTX, "importeer ook rijen met waarschuwingen (standaard alleen geldige rijen)"))
    p.add_argument("--json", action="store_true", help=tr(_CTX, "resultaat als JSON"))
    p.set_defaults(func=run)


def prepare(db, path, dossier_id: int, mapping_spec: str | None = None, table=None):
    """Read (unless ``table`` was read already), map and validate; returns (preview, employer key).
    Writes nothing."""
    from core.importers import ImportPreview, employer_key, guess_mapping, load_table, mapping_from_user
    from core.importers.mapping import field_label
    from db.dossiers import DossierRepository, NotFound
    from db.import_mappings import ImportMappingRepository, existing_workers
    try:
        dossier = DossierRepository(db).get(dossier_id)
    except NotFound as e:
        raise UserError(str(e)) from None
    if table is None:
        table = load_table(path)
    key = employer_key(dossier.kbo_number, dossier.company_name)
    mapping = guess_mapping(table.headers, ImportMappingRepository(db).get(key))
    if mapping_spec:
        try:
            spec = json.loads(mapping_spec)
            if not isinstance(spec, dict):
                raise ValueError
        except ValueError:
            raise UserError(tr(_CTX, "--mapping moet een JSON-object zijn, bv. {\"Naam\": \"surname\"}.")) from None
        try:
            mapping = mapping_from_user(table.headers, spec, mapping)
        except ValueError as e:
            raise UserError(str(e)) from None
    missing = mapping.missing_required()
    if missing and len(table.workbook_sheets) > 1 and table.sheets:
        raise UserError(tr(_CTX, "Geen kolom gevonden voor {velden} op blad {blad}. Geef ze aan met --mapping, of "
                                 "kies een ander blad met --sheet (de bladen zijn: {bladen}).").format(
            velden=", ".join(field_label(f) for f in missing), blad=f'"{table.sheets[0]}"',
            bladen=", ".join(f'"{n}"' for n in table.workbook_sheets)))
    if missing:
        raise UserError(tr(_CTX, "Geen kolom gevonden voor {velden}. Geef ze aan met --mapping.").format(
            velden=", ".join(field_label(f) for f in missing)))
    return ImportPreview(table, mapping, dossier, existing_workers(db, dossier_id)), key


def _print_preview(preview, out) -> None:
    from core.importers import RowStatus
    from core.importers.mapping import field_label
    t = preview.table
    info = [tr(_CTX, "Bestand: {naam}").format(naam=t.source.name if t.source else "")]
    if len(t.sheets) > 1 or len(t.workbook_sheets) > 1:
        info.append(tr(_CTX, "bladen gelezen: {bladen}").format(bladen=", ".join(f'"{n}"' for n in t.sheets)))
    if t.encoding:
        info.append(tr(_CTX, "tekenset {enc}, scheidingsteken {sep}").format(
            enc=t.encoding, sep={"\t": "tab"}.get(t.delimiter, t.delimiter)))
    print(", ".join(info), file=out)
    print(tr(_CTX, "Kolommen:"), file=out)
    for h, f in zip(t.headers, preview.mapping.columns):
        print(f"  {h:<30} -> {field_label(f) if f else tr(_CTX, '(niet importeren)')}", file=out)
    for note in t.notes:                 # a two-row header, skipped empty, total and repeated header rows
        print(f"  {note}", file=out)
    for r in preview.rows:
        if r.status is not RowStatus.VALID:
            label = tr(_CTX, "FOUT") if r.status is RowStatus.ERROR else tr(_CTX, "LET OP")
            where = r.place if r.sheet else f"{tr(_CTX, 'rij')} {r.line:>5}"
            print(f"  {where} {label:<6} {r.reason}", file=out)
    c = preview.counts()
    print(tr(_CTX, "{geldig} geldig, {waarschuwing} met waarschuwing, {fout} met fout.").format(
        geldig=c[RowStatus.VALID], waarschuwing=c[RowStatus.WARNING], fout=c[RowStatus.ERROR]), file=out)


def _warnings_hint(preview, with_warnings: bool) -> str:
    """Without --with-warnings, rows that only have a warning are not imported: say how many and how to take
    them along ("" when there are none, or they are taken along)."""
    from core.importers import RowStatus
    n = preview.counts()[RowStatus.WARNING]
    if with_warnings or not n:
        return ""
    return counted(n, tr(_CTX, "1 rij met alleen een waarschuwing wordt niet geïmporteerd; neem ze mee met "
                                "--with-warnings (of verbeter de lijst)."),
                    tr(_CTX, "{n} rijen met alleen een waarschuwing worden niet geïmporteerd; neem ze mee met "
                             "--with-warnings (of verbeter de lijst)."))


def run(args, ctx) -> int:
    from db.import_mappings import commit_import
    from core.importers import NoWorkerSheet, load_table
    try:                                        # a wrong path or an unreadable list is said before signing in
        table = load_table(input_file(args.file), sheet=getattr(args, "sheet", None))
    except NoWorkerSheet as e:
        raise UserError(tr(_CTX, "{fout} Kies het blad met de werknemers met --sheet NAAM en geef de kolommen aan "
                                 "met --mapping.").format(fout=e)) from None
    preview, key = prepare(ctx.db, args.file, args.dossier, args.mapping, table=table)
    out = sys.stderr if args.json else sys.stdout
    _print_preview(preview, out)
    chosen = preview.chosen(args.with_warnings)
    rejected = preview.rejected(args.with_warnings)
    hint = _warnings_hint(preview, args.with_warnings)
    if hint:
        print(hint, file=out)
    result = {"rows": len(preview.rows), "chosen": len(chosen), "rejected": len(rejected), "imported": 0,
              "error_file": None, "dry_run": bool(args.dry_run)}
    if args.dry_run or not preview.rows:
        if not preview.rows:
            print(tr(_CTX, "Het bestand bevat geen rijen met werknemers."), file=out)
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(tr(_CTX, "Bevestig met --yes (of bekijk eerst met --dry-run)."))
        answer = input(counted(len(chosen), tr(_CTX, "1 werknemer importeren? [j/N] "),
                                tr(_CTX, "{n} werknemers importeren? [j/N] ")))
        if answer.strip().lower() not in ("j", "ja", "y", "yes"):
            print(tr(_CTX, "Geannuleerd; er werd niets gewijzigd."), file=out)
            return 1
    # The error list is written (under a temporary name) before the commit: after the commit nothing may
    # fail any more, so a folder that cannot be written to is reported next to the success, not instead.
    # The audit entry goes in the import's own transaction for the same reason.
    audit = getattr(ctx, "audit", None)

    def record(ids: list[int]) -> None:
        if audit is not None:
            audit.imported("personeelslijst", "dossier", args.dossier, source=str(args.file), count=len(ids))

    staged = preview.stage_error_file(rejected)
    try:
        ids = commit_import(ctx.db, [r.worker for r in chosen], key,
                            preview.mapping.as_header_dict(preview.table.headers), in_transaction=record)
    except BaseException:
        staged.discard()
        raise
    err = staged.publish()
    result["imported"] = len(ids)
    result["error_file"] = str(err) if err else None
    print(counted(len(ids), tr(_CTX, "1 werknemer geïmporteerd."), tr(_CTX, "{n} werknemers geïmporteerd.")),
          file=out)
    if err:
        print(counted(len(rejected), tr(_CTX, "1 rij niet geïmporteerd; zie {pad}"),
                       tr(_CTX, "{n} rijen niet geïmporteerd; zie {pad}"), pad=err), file=out)
    elif staged.problem:
        result["error_file_problem"] = staged.problem
        print(counted(len(rejected),
                       tr(_CTX, "1 rij niet geïmporteerd (zie hierboven); de lijst ervan kon niet bewaard worden als "
                                "{pad}: {reden}."),
                       tr(_CTX, "{n} rijen niet geïmporteerd (zie hierboven); de lijst ervan kon niet bewaard worden "
                                "als {pad}: {reden}."), pad=staged.path, reden=staged.problem), file=out)
    if hint and not ids:
        print(hint, file=out)            # nothing imported at all: say again how the held-back rows come in
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    return 0
