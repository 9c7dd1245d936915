"""``dossiers --json`` and ``workers --dossier ID --json``: what the database holds, for scripts."""
from __future__ import annotations

import json

from core.errors import UserError
from cli.argtypes import record_id
from core.i18n import tr
from core.validation import format_insz


def register(sub) -> None:
    p = sub.add_parser("dossiers", help=tr("cli", "toon de dossiers"))
    p.add_argument("--json", action="store_true", help=tr("cli", "als JSON"))
    p.set_defaults(func=run_dossiers)
    p = sub.add_parser("workers", help=tr("cli", "toon de werknemers van een dossier"))
    p.add_argument("--dossier", type=record_id, required=True, metavar="ID")
    p.add_argument("--json", action="store_true", help=tr("cli", "als JSON"))
    p.set_defaults(func=run_workers)


def run_dossiers(args, ctx) -> int:
    from db.dossiers import DossierRepository
    rows = DossierRepository(ctx.db).summaries()
    if args.json:
        print(json.dumps([{"id": d.id, "company": d.company_name, "kbo": d.kbo_number, "status": d.status,
                           "workers": d.worker_count} for d in rows], ensure_ascii=False))
    else:
        for d in rows:
            print(f"{d.id:>5}  {d.company_name:<40} {d.worker_count:>6} {tr('cli', 'werknemers')}  {d.status}")
    return 0


def run_workers(args, ctx) -> int:
    from db.dossiers import DossierRepository, NotFound
    from db.workers import WorkerRepository
    try:
        DossierRepository(ctx.db).get(args.dossier)
    except NotFound as e:
        raise UserError(str(e)) from None
    rows = WorkerRepository(ctx.db).summaries(args.dossier)
    if args.json:
        print(json.dumps([{"id": w.id, "surname": w.surname, "first_names": w.first_names, "insz": w.insz,
                           "status": w.status} for w in rows], ensure_ascii=False))
    else:
        for w in rows:
            print(f"{w.id:>6}  {w.surname:<25} {w.first_names:<20} {format_insz(w.insz)}  {w.status}")
    return 0
