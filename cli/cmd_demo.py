"""``demo --workers N``: a demo dossier with N synthetic workers (a beheerder, in a database without dossiers)."""
from __future__ import annotations

import json
import random

from core.i18n import tr


def register(sub) -> None:
    p = sub.add_parser("demo", help=tr("cli", "maak een demodossier met fictieve werknemers"))
    p.add_argument("--workers", type=int, default=120, metavar="N", help=tr("cli", "aantal werknemers (standaard 120)"))
    p.add_argument("--seed", type=int, default=2024, help=tr("cli", "startwaarde van het toeval (herhaalbaar)"))
    p.add_argument("--json", action="store_true", help=tr("cli", "resultaat als JSON"))
    p.set_defaults(func=run)


def create_demo(db, n: int, seed: int = 2024) -> tuple[int, int]:
    """Create the demo dossier with n workers and their contacts in one transaction."""
    from core.demo import demo_contacts, demo_dossier, demo_workers
    from db.dossiers import DossierRepository
    from db.workers import WorkerRepository
    from core.errors import UserError
    if not 0 <= n <= 200_000:
        raise UserError(tr("cli", "Het aantal werknemers moet tussen 0 en 200000 liggen."))
    dossiers, workers = DossierRepository(db), WorkerRepository(db)
    rng = random.Random(seed + 1)
    with db.atomic():
        d = dossiers.add(demo_dossier())
        people = demo_workers(n, d, seed)
        ids = workers.add_many(people, validate=False)
        for wid, w in zip(ids, people):
            for c in demo_contacts(w, rng):
                workers.add_contact(wid, c)
    return d.id, len(ids)


def check_demo_allowed(db, principal) -> None:
    """The rule of the window's demo button: only a beheerder (or the system, ``None``), and only while the
    database holds no dossier at all, so that demo workers never mix with a cell's real ones. Raises
    AccessDenied or UserError (Dutch) with nothing changed."""
    from core.errors import UserError
    from db.accounts import require
    from db.dossiers import DossierRepository
    require(principal, principal is None or principal.manages_accounts,
            tr("cli", "een demodossier aanmaken (dat doet een beheerder, in een database zonder dossiers)"))
    if DossierRepository(db, principal=None).list():
        raise UserError(tr("cli", "Deze database heeft al dossiers. Een demodossier komt alleen in een database zonder "
                                  "dossiers, zodat fictieve werknemers zich niet mengen met echte; gebruik een andere "
                                  "database (--db). Er werd niets gewijzigd."))


def run(args, ctx) -> int:
    check_demo_allowed(ctx.db, ctx.principal)
    dossier_id, n = create_demo(ctx.db, args.workers, args.seed)
    if args.json:
        print(json.dumps({"dossier": dossier_id, "workers": n}))
    else:
        print((tr("cli", "Demodossier {id} aangemaakt met 1 werknemer.") if n == 1 else
               tr("cli", "Demodossier {id} aangemaakt met {n} werknemers.")).format(id=dossier_id, n=n))
    return 0
