"""``gdpr export``, ``gdpr anonymise`` and ``gdpr retention``: the duties of the GDPR (AVG)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from core.errors import UserError
from cli.argtypes import record_id
from core.i18n import tr

_CTX = "cli"


def register(sub) -> None:
    p = sub.add_parser("gdpr", help=tr(_CTX, "inzage, anonimiseren en bewaartermijn (AVG)"))
    s = p.add_subparsers(dest="gdpr_cmd", metavar="ACTIE", required=True)
    q = s.add_parser("export", help=tr(_CTX, "alle gegevens van een werknemer als JSON en PDF (recht op inzage)"))
    q.add_argument("--worker", type=record_id, required=True, metavar="ID")
    q.add_argument("--out", type=Path, required=True, metavar="MAP")
    q.add_argument("--include-sensitive", action="store_true",
                   help=tr(_CTX, "neem ook de functionele beperkingen (gezondheidsgegevens) op; wordt gelogd"))
    q.add_argument("--no-pdf", action="store_true", help=tr(_CTX, "alleen het JSON-bestand, geen PDF"))
    q.add_argument("--json", action="store_true", help=tr(_CTX, "resultaat als JSON"))
    q.set_defaults(func=run_export)
    q = s.add_parser("anonymise", help=tr(_CTX, "anonimiseer een werknemer of een heel dossier (recht op vergetelheid)"))
    g = q.add_mutually_exclusive_group(required=True)
    g.add_argument("--worker", type=record_id, metavar="ID")
    g.add_argument("--dossier", type=record_id, metavar="ID")
    q.set_defaults(func=run_anonymise)
    q = s.add_parser("retention", help=tr(_CTX, "toon (of pas toe) de bewaartermijn van afgesloten dossiers"))
    q.add_argument("--apply", action="store_true", help=tr(_CTX, "anonimiseer de dossiers die over tijd zijn"))
    q.add_argument("--years", type=int, metavar="N", help=tr(_CTX, "stel de bewaartermijn in (jaren)"))
    q.add_argument("--json", action="store_true", help=tr(_CTX, "als JSON"))
    q.set_defaults(func=run_retention)


def _confirm(ctx, question: str) -> bool:
    if ctx.assume_yes:
        return True
    if not sys.stdin.isatty():
        raise UserError(tr(_CTX, "Bevestiging nodig: herhaal het commando met --yes."))
    sys.stderr.write(question + " [j/N] ")
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("j", "ja", "y", "yes")


def run_export(args, ctx) -> int:
    from db.dossiers import NotFound
    from db.gdpr import export_worker
    try:
        res = export_worker(ctx.db, args.worker, args.out, include_sensitive=args.include_sensitive,
                            pdf=not args.no_pdf)
    except NotFound as e:
        raise UserError(str(e)) from None
    if args.json:
        print(json.dumps({"json": str(res.json_path), "pdf": str(res.pdf_path) if res.pdf_path else None,
                          "sensitive_included": res.sensitive_included}, ensure_ascii=False))
        return 0
    print(tr(_CTX, "Inzage voor werknemer {id} geschreven.").format(id=args.worker))
    if res.pdf_path:
        print(tr(_CTX, "  Leesbaar document voor de werknemer: {pad}").format(pad=res.pdf_path))
    print(tr(_CTX, "  Alle gegevens in een computerleesbaar bestand (overdraagbaar): {pad}").format(pad=res.json_path))
    print(tr(_CTX, "Functionele beperkingen (gezondheidsgegevens) zijn opgenomen.") if res.sensitive_included
          else tr(_CTX, "Functionele beperkingen (gezondheidsgegevens) zijn niet opgenomen."))
    return 0


def run_anonymise(args, ctx) -> int:
    from db.dossiers import NotFound
    from db.gdpr import anonymise_dossier, anonymise_worker
    what = (tr(_CTX, "werknemer {id}") if args.worker else tr(_CTX, "alle werknemers van dossier {id}")).format(
        id=args.worker or args.dossier)
    if not _confirm(ctx, tr(_CTX, "De identiteit van {wat} wordt definitief gewist. Doorgaan?").format(wat=what)):
        print(tr(_CTX, "Niets gewijzigd."))
        return 1
    try:
        n = anonymise_worker(ctx.db, args.worker) if args.worker else anonymise_dossier(ctx.db, args.dossier)
    except NotFound as e:
        raise UserError(str(e)) from None
    print((tr(_CTX, "1 werknemer geanonimiseerd.") if n == 1 else
           tr(_CTX, "{n} werknemers geanonimiseerd.")).format(n=n))
    return 0


def run_retention(args, ctx) -> int:
    from db.gdpr import apply_retention, pending_retention, retention_years, set_retention_years
    if args.years is not None:
        try:
            set_retention_years(ctx.db, args.years)
        except ValueError:
            raise UserError(tr(_CTX, "De bewaartermijn ligt tussen 1 en 100 jaar.")) from None
    pending = pending_retention(ctx.db)
    if args.apply and pending:
        question = (tr(_CTX, "1 afgesloten dossier wordt geanonimiseerd. Doorgaan?") if len(pending) == 1 else
                    tr(_CTX, "{n} afgesloten dossiers worden geanonimiseerd. Doorgaan?")).format(n=len(pending))
        if not _confirm(ctx, question):
            print(tr(_CTX, "Niets gewijzigd."))
            return 1
        pending = apply_retention(ctx.db)
    rows = [{"dossier": c.dossier_id, "company": c.company_name, "closed": c.closed_at[:10], "workers": c.workers}
            for c in pending]
    if args.json:
        print(json.dumps({"years": retention_years(ctx.db), "applied": bool(args.apply), "dossiers": rows},
                         ensure_ascii=False))
    else:
        print(tr(_CTX, "Bewaartermijn: {n} jaar na het afsluiten van een dossier.").format(n=retention_years(ctx.db)))
        verb = tr(_CTX, "geanonimiseerd") if args.apply else tr(_CTX, "over tijd")
        for r in rows:
            print(f"{r['dossier']:>5}  {r['company']:<40} {r['closed']}  {r['workers']:>5}  {verb}")
        if not rows:
            print(tr(_CTX, "Geen dossiers over tijd."))
    return 0
