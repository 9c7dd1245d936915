"""``import-esco DIR`` and ``titles --top K --json`` (job-title normalisation)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from cli.argtypes import positive_int
from cli.stdin_text import stdin_lines
from core.errors import UserError
from core.i18n import counted, tr


def register(sub) -> None:
    p = sub.add_parser("import-esco", help=tr("cli", "importeer de ESCO-bestanden (CSV) uit een map"))
    p.add_argument("folder", type=Path, metavar="MAP")
    p.add_argument("--lang", action="append", metavar="TAAL",
                   help=tr("cli", "alleen deze taal (herhaalbaar); standaard alle talen in de map"))
    p.set_defaults(func=run_import)
    p = sub.add_parser("titles", help=tr("cli", "zoek ESCO-beroepen bij functietitels (één per regel op stdin)"))
    p.add_argument("--top", type=positive_int, default=10, metavar="K")
    p.add_argument("--json", action="store_true", help=tr("cli", "één JSON-object per regel"))
    p.set_defaults(func=run_titles)


def _reference(db):
    """Embedded occupations (with the counsellors' own changes) that enrich the ESCO labels."""
    from db.reference_store import effective_reference
    return effective_reference(db)


class EscoImportCancelled(Exception):
    """The import was stopped before it was committed: nothing was changed."""


def import_esco_folder(db, folder: Path, langs: list[str] | None = None, progress=None, is_cancelled=None
                       ) -> list[tuple[str, dict[str, int]]]:
    """Import the ESCO CSV files of ``folder`` (every language found, or ``langs``) in one transaction
    and prepare the job-title index: (language, counts) per language. Everything is read and checked
    before anything is written; a failure or a stop (``is_cancelled``) leaves the database as it was
    (:class:`EscoImportCancelled` for a stop). Used by the command line and by the window."""
    from core.esco_csv import EscoFormatError, available_languages, load_esco
    from core.title_service import load_title_matcher
    from db.esco import EscoRepository
    folder = Path(folder)
    report = progress or (lambda _f, _t="": None)
    stopped = is_cancelled or (lambda: False)
    if not folder.is_dir():
        raise UserError(tr("cli", "De map {map} bestaat niet.").format(map=folder))
    langs = langs or available_languages(folder)
    if not langs:
        raise UserError(tr("cli", "Geen occupations_<taal>.csv gevonden in {map}; dat bestand is verplicht.")
                        .format(map=folder))
    datasets = []
    for k, lang in enumerate(langs):
        report(0.4 * k / len(langs), tr("cli", "ESCO-bestanden lezen ({taal})").format(taal=lang))
        try:
            datasets.append(load_esco(folder, lang))     # read and check everything before writing
        except EscoFormatError as e:
            raise UserError(tr("cli", "ESCO-import geweigerd, er werd niets gewijzigd: {fout}").format(fout=e)) from None
        except OSError as e:
            raise UserError(tr("cli", "ESCO-bestand kan niet gelezen worden: {fout}").format(fout=e)) from None
        if stopped():
            raise EscoImportCancelled()
    repo = EscoRepository(db)
    out = []

    def step(base: float, span: float):
        def inner(fraction: float, text: str = "") -> None:
            if stopped():
                raise EscoImportCancelled()    # inside the transaction: rolled back
            report(base + span * fraction, text)
        return inner

    with db.atomic():
        for k, ds in enumerate(datasets):
            out.append((ds.lang, repo.import_dataset(ds, progress=step(0.4 + 0.3 * k / len(datasets),
                                                                        0.3 / len(datasets)))))
        if stopped():
            raise EscoImportCancelled()
    report(0.75, tr("cli", "index van de functietitels opbouwen"))
    load_title_matcher(repo, _reference(db))      # prepare the index now, so the first query is fast
    report(1.0, "")
    return out


def import_summary(lang: str, counts: dict[str, int]) -> str:
    return tr("cli", "ESCO {taal}: {beroepen}, {isco}, {skills}, {rel}, {groepen}.").format(
        taal=lang,
        beroepen=counted(counts["occupations"], tr("cli", "1 beroep"), tr("cli", "{n} beroepen")),
        isco=counted(counts["isco_groups"], tr("cli", "1 ISCO-groep"), tr("cli", "{n} ISCO-groepen")),
        skills=counted(counts["skills"], tr("cli", "1 vaardigheid"), tr("cli", "{n} vaardigheden")),
        rel=counted(counts["relations"], tr("cli", "1 relatie"), tr("cli", "{n} relaties")),
        groepen=counted(counts["skill_groups"], tr("cli", "1 vaardigheidsgroep"),
                        tr("cli", "{n} vaardigheidsgroepen")))


def run_import(args, ctx) -> int:
    for lang, counts in import_esco_folder(ctx.db, args.folder, args.lang, progress=ctx.progress):
        print(import_summary(lang, counts), file=sys.stderr)
    return 0


def run_titles(args, ctx) -> int:
    from core.title_service import load_title_matcher
    from db.esco import EscoRepository
    if args.top < 1:
        raise UserError(tr("cli", "--top moet minstens 1 zijn."))
    matcher = load_title_matcher(EscoRepository(ctx.db), _reference(ctx.db))
    out = sys.stdout
    for _n, query in stdin_lines():
        matches = matcher.query(query, args.top) if query.strip() else []
        if args.json:
            out.write(json.dumps({"query": query, "matches": [m.as_dict() for m in matches]}, ensure_ascii=False))
            out.write("\n")
        else:
            best = matches[0] if matches else None
            out.write(f"{query}\t{best.label if best else '-'}\t{best.isco if best else ''}\n")
    out.flush()
    return 0
