"""Matching benchmarks: one worker, a dossier of 3,000 workers end to end, memory.

Targets: one worker under 30 ms; a dossier of 3,000 workers at most 10 s end to end, start-up
included; at most 300 MB resident. Baseline in the same run: a naive matcher that scores every
worker phrase against every vocabulary label with rapidfuzz WRatio (extractOne-style loop).
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def naive_dossier_seconds(workers, reference) -> float:
    from rapidfuzz import fuzz, process
    from rapidfuzz.utils import default_process
    labels, ids = [], []
    for c in reference.competences:
        for t in [c.label_nl, *c.variants]:
            labels.append(t)
            ids.append(c.id)
    t0 = time.perf_counter()
    for w in workers:
        held = set()
        for c in w.competences:
            best = process.extractOne(c.text, labels, scorer=fuzz.WRatio, processor=default_process)
            if best and best[1] >= 80:
                held.add(ids[best[2]])
        scores = []
        for o in reference.occupations:
            comp = {x.competence_id for x in o.competences}
            scores.append((len(held & comp) / len(comp), o.id))
        scores.sort(reverse=True)
    return time.perf_counter() - t0


os.environ.setdefault("WERKBRUG_USER", "bench")
os.environ.setdefault("WERKBRUG_PASSWORD", "Bench-Wachtwoord-2026!")


def main() -> int:
    from cli.cmd_demo import create_demo
    from cli.context import AppContext
    from core.matching import MatchingService
    from core.reference import load_reference
    from db.workers import WorkerRepository
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        ctx = AppContext(db_path=path)          # signed in: an encrypted database, as in use
        db = ctx.db
        dossier_id, _ = create_demo(db, 3000)
        reference = load_reference()
        svc = MatchingService.create(reference)
        workers = WorkerRepository(db).load_dossier(dossier_id)
        times = []
        for w in workers[:200]:
            svc.matcher._cache.clear()
            t = time.perf_counter()
            svc.rank(w, 10)
            times.append((time.perf_counter() - t) * 1000)
        naive = naive_dossier_seconds(workers[:300], reference) * 10
        ctx.close()
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-c",
                            "import resource, sys, main; rc = main.main(sys.argv[1:]); "
                            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(rc)",
                            "--db", str(path), "match-dossier", "--dossier", str(dossier_id)],
                           cwd=ROOT, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t
        if r.returncode != 0:
            print(r.stderr[-2000:])
            return 1
        rss_mb = int(r.stderr.strip().splitlines()[-1]) / 1024
    p50, p95 = statistics.median(times), sorted(times)[int(len(times) * 0.95)]
    print(f"one worker: median {p50:.1f} ms, p95 {p95:.1f} ms (target < 30 ms)")
    print(f"dossier of 3,000 workers end to end (process start, load, rank, store): {wall:.1f} s (target <= 10 s); "
          f"peak RSS {rss_mb:.0f} MB (target <= 300 MB)")
    print(f"naive WRatio baseline, extrapolated to 3,000 workers (matching only): {naive:.1f} s "
          f"(ratio ours/naive {wall / naive:.2f})")
    return 0 if p95 < 30 and wall <= 10 and rss_mb <= 300 else 1


if __name__ == "__main__":
    sys.exit(main())
