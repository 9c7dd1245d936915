#!/usr/bin/env python3
"""Benchmark the printed trajectory plan (core.plan_pdf).

Figures: the first plan of a process (font loading included), one plan warm (median of 25), 1,000
plans of a demo dossier as a folder of PDFs and as one combined PDF. Targets: one plan <= 150 ms,
1,000 plans <= 60 s. Baseline measured in the same run: a minimal reportlab document of one
paragraph (median of 25); the ratio says how many such documents one plan costs.
Usage: bench/bench_plan.py [N]   (N plans for the batch figures, default 1000)
"""
from __future__ import annotations

import datetime as dt
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.demo import demo_contacts, demo_dossier, demo_workers  # noqa: E402
from core.model import PlanAction, PlanTarget, TrajectoryPlan  # noqa: E402

TARGET_ONE_MS = 150.0
TARGET_BATCH_S = 60.0
TODAY = dt.date(2025, 1, 10)


def make_inputs(n: int):
    from core.plan_pdf import PlanInput
    rng = random.Random(7)
    dossier = demo_dossier()
    dossier.id = 1
    workers = demo_workers(n, dossier, seed=11)
    inputs = []
    for i, w in enumerate(workers, 1):
        w.id = i
        plan = TrajectoryPlan(
            worker_id=i, version=1, counsellor="Ann Peeters",
            targets=[PlanTarget(f"o{k}", name, reasons, rng.uniform(0.4, 0.9), ["kwaliteitscontrole", "heftruck"],
                                ["PLC-programmatie", "pneumatica"], ["SCADA"])
                     for k, (name, reasons) in enumerate([("Technicus industriële installaties", ["KWANT", "KWAL"]),
                                                          ("Heftruckchauffeur", ["ARB"])])],
            actions=[PlanAction(f"Opleiding module {k + 1}", "opleiding", "VDAB Competentiecentrum",
                                dt.date(2025, 2, 3), dt.date(2025, 3, 28), responsible="werknemer",
                                competences=["PLC-programmatie"]) for k in range(rng.randint(2, 8))],
            agreements="Solliciteert elke week voor minstens twee vacatures en houdt een logboek bij.",
            followups=[dt.date(2025, 2, 14), dt.date(2025, 3, 31)])
        inputs.append(PlanInput(plan, w, dossier, demo_contacts(w, rng)))
    return inputs


def baseline_ms(repeat: int = 25) -> float:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    style = getSampleStyleSheet()["Normal"]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        SimpleDocTemplate(io.BytesIO(), pagesize=A4).build([Paragraph("Eén alinea tekst.", style)])
        times.append(1000 * (time.perf_counter() - t))
    return statistics.median(times)


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    inputs = make_inputs(max(n, 25))
    t = time.perf_counter()
    from core.plan_pdf import plan_pdf_bytes, write_plan, write_plans
    plan_pdf_bytes(inputs[0], today=TODAY)
    cold = 1000 * (time.perf_counter() - t)
    warm, pages = [], []
    for data in inputs[:25]:
        buf = io.BytesIO()
        t = time.perf_counter()
        pages.append(write_plan(data, buf, today=TODAY))
        warm.append(1000 * (time.perf_counter() - t))
    one = statistics.median(warm)
    base = baseline_ms()
    batch = inputs[:n]
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        folder = write_plans(list(range(n)), batch.__getitem__, out_dir=Path(tmp) / "plans", today=TODAY)
        t_folder = time.perf_counter() - t
        t = time.perf_counter()
        single = write_plans(list(range(n)), batch.__getitem__, single=Path(tmp) / "all.pdf", today=TODAY)
        t_single = time.perf_counter() - t
        size_mb = (Path(tmp) / "all.pdf").stat().st_size / 1e6
    print(f"one plan, first in process (fonts loaded): {cold:7.1f} ms")
    print(f"one plan, warm (median of 25, {statistics.median(pages):.0f} pages): {one:7.1f} ms   "
          f"(target <= {TARGET_ONE_MS:.0f} ms)")
    print(f"baseline, minimal reportlab document of one paragraph: {base:6.2f} ms   ratio plan/baseline: "
          f"{one / base:5.1f}x")
    print(f"{n} plans, folder of PDFs: {t_folder:6.1f} s ({folder.pages} pages, {1000 * t_folder / n:.1f} ms/plan)   "
          f"(target <= {TARGET_BATCH_S:.0f} s)")
    print(f"{n} plans, one combined PDF: {t_single:6.1f} s ({single.pages} pages, {size_mb:.1f} MB)")
    ok = one <= TARGET_ONE_MS and max(t_folder, t_single) <= TARGET_BATCH_S * n / 1000
    print("within target" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
