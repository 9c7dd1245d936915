#!/usr/bin/env python3
"""Score competence recognition (core.competences) on phrases as counsellors type them.

Usage: python tools/eval_competences.py [PHRASES.tsv] [--show]

PHRASES.tsv (default tests/data/matching/competence_phrases.tsv) holds ``phrase<TAB>ids`` lines,
ids separated by ``|``, or ``-`` for a phrase that names no competence of the vocabulary. The
phrases are recognised over the embedded reference exactly as the application does
(MatchingService.recognise_all) and counted as:

- right: the first competence recognised is one of the expected ones;
- wrong: a competence is recognised, but not an expected one (a phrase forced onto a wrong
  competence: the worst outcome, the counsellor may not notice it);
- missed: nothing recognised ("niet herkend") although the phrase names a competence;
- false alarms: a phrase that names none is recognised as some competence.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT = ROOT / "tests" / "data" / "matching" / "competence_phrases.tsv"


@dataclass
class Outcome:
    phrase: str
    expected: tuple[str, ...]      # empty: names no competence
    found: tuple[str, ...]         # competence ids recognised, best first
    score: float


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def positives(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.expected]

    @property
    def negatives(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.expected]

    def right(self) -> list[Outcome]:
        return [o for o in self.positives if o.found and o.found[0] in o.expected]

    def wrong(self) -> list[Outcome]:
        return [o for o in self.positives if o.found and o.found[0] not in o.expected]

    def missed(self) -> list[Outcome]:
        return [o for o in self.positives if not o.found]

    def false_alarms(self) -> list[Outcome]:
        return [o for o in self.negatives if o.found]


def read_phrases(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        phrase, sep, ids = line.partition("\t")
        if not sep or not phrase.strip():
            raise ValueError(f"{path}:{n}: expected 'phrase<TAB>ids'")
        ids = ids.strip()
        out.append((phrase, () if ids == "-" else tuple(x.strip() for x in ids.split("|") if x.strip())))
    return out


def evaluate(service, phrases: list[tuple[str, tuple[str, ...]]]) -> Report:
    rep = Report()
    for phrase, expected in phrases:
        found = service.matcher.recognise_all(phrase)
        rep.outcomes.append(Outcome(phrase, expected, tuple(s.competence_id for s in found),
                                    found[0].score if found else 0.0))
    return rep


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("phrases", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--show", action="store_true", help="list every phrase that is not right")
    args = ap.parse_args(argv)
    from core.matching import MatchingService
    service = MatchingService.create()
    rep = evaluate(service, read_phrases(args.phrases))
    p, ng = len(rep.positives), len(rep.negatives)
    if args.show:
        for title, items in (("wrong", rep.wrong()), ("missed", rep.missed()),
                             ("false alarm", rep.false_alarms())):
            for o in items:
                print(f"{title}: {o.phrase!r} -> {list(o.found)} ({o.score:.2f}), expected {list(o.expected) or '-'}")
    print(f"competences: phrases={p} right={len(rep.right()) / max(1, p):.3f} "
          f"wrong={len(rep.wrong()) / max(1, p):.3f} missed={len(rep.missed()) / max(1, p):.3f} | "
          f"none-phrases={ng} false_alarms={len(rep.false_alarms()) / max(1, ng):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
