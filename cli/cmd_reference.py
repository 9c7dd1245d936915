"""Reference data in the database: ``reference-status``, ``reference-variant``, ``reference-revert``
and ``import-bottlenecks FILE [--year YYYY] [--yes]`` (a yearly bottleneck list: preview, then apply)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from core.errors import UserError
from core.i18n import counted, tr

_CTX = "cli"


def register(sub) -> None:
    p = sub.add_parser("import-bottlenecks", help=tr(_CTX, "lees een jaarlijkse knelpuntlijst (CSV), toon de koppeling "
                                                          "met de beroepen en pas ze toe met --yes"))
    p.add_argument("file", type=Path, metavar="BESTAND")
    p.add_argument("--year", type=int, metavar="JJJJ", help=tr(_CTX, "het jaar van de lijst (standaard: uit het "
                                                                      "bestand of de bestandsnaam)"))
    p.add_argument("--yes", dest="apply", action="store_true",
                   help=tr(_CTX, "pas de lijst toe (zonder --yes wordt enkel getoond wat er zou gebeuren)"))
    p.add_argument("--json", action="store_true", help=tr(_CTX, "toon de koppeling als JSON"))
    p.set_defaults(func=run_import_bottlenecks)
    p = sub.add_parser("reference-status", help=tr(_CTX, "versie van de referentiegegevens en lokale aanpassingen"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_status)
    p = sub.add_parser("reference-variant", help=tr(_CTX, "voeg een schrijfwijze (synoniem) toe aan een competentie"))
    p.add_argument("competence", metavar="COMPETENTIE-ID")
    p.add_argument("text", metavar="TEKST")
    p.set_defaults(func=run_variant)
    p = sub.add_parser("reference-revert", help=tr(_CTX, "zet een lokaal aangepast beroep terug naar de versie van "
                                                        "Werkbrug"))
    p.add_argument("occupation", metavar="BEROEP-ID")
    p.set_defaults(func=run_revert)


def _preview_lines(preview) -> list[str]:
    out = [tr(_CTX, "Knelpuntlijst {bestand} ({tekenset}, scheidingsteken '{sep}'), jaar {jaar}").format(
        bestand=preview.file_name, tekenset=preview.encoding, sep=preview.delimiter, jaar=preview.year), ""]
    head = tr(_CTX, "regel | naam op de lijst | redenen | gekoppeld beroep | zekerheid")
    out += [head, "-" * len(head)]
    for r in preview.rows:
        target = preview.name_of(r.occupation_id) if r.occupation_id else tr(_CTX, "— niet gekoppeld —")
        conf = f"{r.confidence * 100:.0f}% ({r.status})" if r.occupation_id else ""
        out.append(f"{r.line} | {r.name} | {', '.join(r.reasons) or '-'} | {target} | {conf}")
    out.append("")
    for oid, lines in preview.duplicates().items():
        out.append(tr(_CTX, "Let op: de regels {regels} verwijzen naar hetzelfde beroep ({beroep}); hun redenen worden "
                            "samengevoegd.").format(regels=", ".join(map(str, lines)), beroep=preview.name_of(oid)))
    out += preview.notes
    missing = preview.not_listed()
    if missing:
        out.append(tr(_CTX, "Niet op de lijst (worden voor {jaar} geen knelpuntberoep): {namen}").format(
            jaar=preview.year, namen="; ".join(n for _i, n in missing)))
    out.append(preview.summary())
    return out


def run_import_bottlenecks(args, ctx) -> int:
    from core.bottleneck_import import preview_bottleneck_file
    from db.reference_repo import ReferenceRepository
    if args.year is not None and not 1990 <= args.year <= 2100:
        raise UserError(tr(_CTX, "--year moet een jaar tussen 1990 en 2100 zijn."))
    repo = ReferenceRepository(ctx.db)
    preview = preview_bottleneck_file(args.file, repo.reference(), args.year)   # reads and checks, stores nothing
    if args.json:
        print(json.dumps({"year": preview.year, "file": preview.file_name,
                          "rows": [{"line": r.line, "name": r.name, "reasons": list(r.reasons),
                                    "occupation_id": r.occupation_id, "confidence": r.confidence, "status": r.status}
                                   for r in preview.rows],
                          "not_listed": [i for i, _n in preview.not_listed()]}, ensure_ascii=False))
    else:
        print("\n".join(_preview_lines(preview)))
    if not (args.apply or ctx.assume_yes):
        print(tr(_CTX, "Er werd niets gewijzigd. Herhaal het commando met --yes om de lijst toe te passen."),
              file=sys.stderr)
        return 0
    if not preview.linked():
        raise UserError(tr(_CTX, "Geen enkele regel kon aan een beroep gekoppeld worden; er werd niets gewijzigd."))
    counts = repo.apply_bottleneck_list(preview.year, preview.selection(), file_name=preview.file_name,
                                        unlinked=[r.name for r in preview.unlinked()])
    listed, not_listed = counts["listed"], counts["not_listed"]
    print(tr(_CTX, "Knelpuntlijst {jaar} toegepast: {ja}, {nee}.").format(
        jaar=preview.year,
        ja=tr(_CTX, "1 knelpuntberoep") if listed == 1 else tr(_CTX, "{n} knelpuntberoepen").format(n=listed),
        nee=(tr(_CTX, "1 beroep geen knelpunt") if not_listed == 1 else
             tr(_CTX, "{n} beroepen geen knelpunt").format(n=not_listed))), file=sys.stderr)
    return 0


def run_status(args, ctx) -> int:
    from db.reference_repo import ReferenceRepository
    status = ReferenceRepository(ctx.db).status()
    if args.json:
        print(json.dumps(status, ensure_ascii=False))
        return 0
    print(tr(_CTX, "Referentiegegevens in de database: {versie}").format(versie=status["embedded_version"] or "-"))
    print(tr(_CTX, "Ingebouwde bestanden: {versie}").format(versie=status["files_version"]))
    c = status["counts"]
    print(tr(_CTX, "{beroepen}, {comp}, {bron}, {opl}").format(
        beroepen=counted(c["occupation"], tr(_CTX, "1 beroep"), tr(_CTX, "{n} beroepen")),
        comp=counted(c["competence"], tr(_CTX, "1 competentie"), tr(_CTX, "{n} competenties")),
        bron=counted(c["source_occupation"], tr(_CTX, "1 bronberoep"), tr(_CTX, "{n} bronberoepen")),
        opl=counted(c["training"], tr(_CTX, "1 opleiding"), tr(_CTX, "{n} opleidingen"))))
    for item in status["local"]:
        flag = tr(_CTX, " (basis gewijzigd: nakijken)") if item["base_changed"] else ""
        kind = tr(_CTX, "aangepast") if item["override"] else tr(_CTX, "eigen")
        print(f"  {kind}: {item['item_id']} — {item['name']}{flag}")
    print(tr(_CTX, "Eigen varianten: {n}; knelpuntlijsten: {jaren}").format(
        n=status["variants"], jaren=", ".join(map(str, status["bottleneck_years"])) or "-"))
    return 0


def run_variant(args, ctx) -> int:
    from db.reference_repo import ReferenceRepository
    added = ReferenceRepository(ctx.db).add_variant(args.competence, args.text)
    print(tr(_CTX, "Variant toegevoegd.") if added else tr(_CTX, "Deze variant bestond al."), file=sys.stderr)
    return 0


def run_revert(args, ctx) -> int:
    from db.reference_repo import ReferenceRepository
    if not ReferenceRepository(ctx.db).revert_occupation(args.occupation):
        raise UserError(tr(_CTX, "Het beroep {id} heeft geen lokale aanpassing.").format(id=args.occupation))
    print(tr(_CTX, "Beroep {id} teruggezet.").format(id=args.occupation), file=sys.stderr)
    return 0
