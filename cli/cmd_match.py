"""``match --top K --json``: worker profiles (JSON Lines on stdin) -> ranked bottleneck occupations;
``match-dossier --dossier ID``: rank every worker of a dossier and store the results."""
from __future__ import annotations

import json
import sys

from cli.argtypes import positive_int, record_id
from cli.stdin_text import stdin_lines
from core.errors import UserError
from core.i18n import tr


def register(sub) -> None:
    p = sub.add_parser("match", help=tr("cli", "rangschik knelpuntberoepen voor werknemersprofielen (JSON Lines op stdin)"))
    p.add_argument("--top", type=positive_int, default=10, metavar="K")
    p.add_argument("--json", action="store_true", help=tr("cli", "één JSON-object per profiel"))
    p.set_defaults(func=run_match)
    p = sub.add_parser("match-dossier", help=tr("cli", "rangschik alle werknemers van een dossier en bewaar het resultaat"))
    p.add_argument("--dossier", type=record_id, required=True, metavar="ID")
    p.add_argument("--top", type=positive_int, default=10, metavar="K")
    p.set_defaults(func=run_match_dossier)


def service(db):
    """The matcher over the effective reference data (embedded + local edits) and local synonyms."""
    from db.reference_store import matching_service_for
    return matching_service_for(db)


def run_match(args, ctx) -> int:
    from core.matching import PROFILE_FIELDS, ProfileError, WorkerProfile, unknown_profile_fields
    if args.top < 1:
        raise UserError(tr("cli", "--top moet minstens 1 zijn."))
    svc = service(ctx.db)
    out = sys.stdout
    for n, line in stdin_lines():
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError
        except (ValueError, RecursionError):          # RecursionError: absurdly deep nesting
            raise UserError(tr("cli", "Regel {n} is geen geldig JSON-profiel.").format(n=n)) from None
        unknown = unknown_profile_fields(data)
        if unknown:
            # not fatal (a caller may add its own fields), but never silent: a misspelt field
            # would otherwise rank an empty profile without a word
            sys.stderr.write(tr("cli", "Let op, regel {n}: onbekend veld {velden} genegeerd (bekende velden: "
                                       "{bekend}).").format(n=n, velden=", ".join(repr(k) for k in unknown),
                                                           bekend=", ".join(sorted(PROFILE_FIELDS))) + "\n")
        try:
            profile = WorkerProfile.from_dict(data)
        except ProfileError as e:
            raise UserError(tr("cli", "Regel {n}: {reden}.").format(n=n, reden=e)) from None
        matches = svc.rank_profile(profile, args.top)
        # the id is echoed as given (a number as its digits); ensure_ascii keeps any text (even a
        # lone surrogate) writable
        result = {"id": str(data.get("id", n)), "occupations": [m.as_dict() for m in matches]}
        out.write(json.dumps(result, ensure_ascii=not _writable(str(result["id"]))) + "\n")
    out.flush()
    return 0


def _writable(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def run_match_dossier(args, ctx) -> int:
    import time
    from db.dossiers import DossierRepository, NotFound
    from db.matches import MatchResultRepository
    from db.workers import WorkerRepository
    try:
        DossierRepository(ctx.db).get(args.dossier)
    except NotFound as e:
        raise UserError(str(e)) from None
    t0 = time.perf_counter()
    svc = service(ctx.db)
    repo = WorkerRepository(ctx.db)
    workers = repo.load_dossier(args.dossier)
    results = svc.rank_dossier(workers, progress=ctx.progress, top=args.top)
    MatchResultRepository(ctx.db).store_many(results)
    print((tr("cli", "1 werknemer gerangschikt in {s:.1f} s.") if len(results) == 1 else
           tr("cli", "{n} werknemers gerangschikt in {s:.1f} s.")).format(n=len(results), s=time.perf_counter() - t0),
          file=sys.stderr)
    return 0
