"""``audit verify``, ``audit list`` and ``audit export``: the audit trail on the command line.

Listing and exporting are for the beheerder (and the celcoördinator, who supervises the cell);
``verify`` exits 0 when the chain is intact and 1, naming the first broken entry, when not. ``list``
shows the time in the computer's local time (dd/mm/jjjj HH:MM); ``--json`` and the export keep the stored UTC.
"""
from __future__ import annotations

import datetime as dt
import json

from core.errors import UserError
from cli.argtypes import positive_int
from core.i18n import tr

_CTX = "cli"


def register(sub) -> None:
    p = sub.add_parser("audit", help=tr(_CTX, "controleer of toon het auditlog"))
    s = p.add_subparsers(dest="audit_cmd", metavar="ACTIE", required=True)
    q = s.add_parser("verify", help=tr(_CTX, "controleer de keten van het auditlog (0 = in orde, 1 = geschonden)"))
    q.set_defaults(func=run_verify)
    for name, helptext in (("list", tr(_CTX, "toon regels van het auditlog")),
                           ("export", tr(_CTX, "schrijf het auditlog naar een CSV-bestand"))):
        q = s.add_parser(name, help=helptext)
        q.add_argument("--since", metavar="DATUM", help=tr(_CTX, "vanaf deze datum (JJJJ-MM-DD)"))
        q.add_argument("--user", metavar="LOGIN", help=tr(_CTX, "alleen deze gebruiker"))
        q.add_argument("--action", metavar="ACTIE", help=tr(_CTX, "alleen deze actie (view, change, export, ...)"))
        if name == "list":
            q.add_argument("--json", action="store_true", help=tr(_CTX, "als JSON"))
            q.add_argument("--limit", type=positive_int, metavar="N")
            q.set_defaults(func=run_list)
        else:
            q.add_argument("--out", required=True, metavar="BESTAND")     # as typed: "map/" means a folder
            q.set_defaults(func=run_export)


def _since(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(tr(_CTX, "Ongeldige datum {d}: gebruik JJJJ-MM-DD.").format(d=value)) from None


def _log(ctx):
    from db.accounts import require
    from db.audit import AuditLog
    p = ctx.principal
    require(p, p is None or p.manages_accounts or p.sees_all_limitations, tr(_CTX, "het auditlog inzien"))
    return ctx.audit or AuditLog(ctx.db)


def run_verify(args, ctx) -> int:
    from db.audit import AuditLog
    ctx.db
    check = AuditLog(ctx.db, key=None).verify()
    print(check.message())
    return 0 if check.ok else 1


def run_list(args, ctx) -> int:
    from core.dates import local_time_text
    from db.audit import action_label, details_text, entity_text
    log = _log(ctx)
    rows = log.entries(since=_since(args.since), user=args.user, action=args.action, limit=args.limit)
    if args.json:                                   # the stored entries as they are (codes, English keys)
        print(json.dumps([e.as_dict() for e in rows], ensure_ascii=False))
    else:
        for e in rows:
            print(f"{e.id:>7}  {local_time_text(e.ts):<16}  {e.actor:<16} {action_label(e.action):<20} "
                  f"{entity_text(e):<16} {details_text(e.details)}".rstrip())
    return 0


def run_export(args, ctx) -> int:
    log = _log(ctx)
    from db.accounts import require
    require(ctx.principal, ctx.principal is None or ctx.principal.manages_accounts,
            tr(_CTX, "het auditlog exporteren"))
    n = log.export_csv(args.out, log.entries(since=_since(args.since), user=args.user, action=args.action))
    print((tr(_CTX, "1 regel geschreven naar {pad}.") if n == 1 else tr(_CTX, "{n} regels geschreven naar {pad}."))
          .format(n=n, pad=args.out))
    return 0
