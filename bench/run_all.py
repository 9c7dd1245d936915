"""Run every benchmark script in bench/ (bench_*.py) and print their figures."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name}", flush=True)
        r = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        if r.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"\nbenchmarks over target or failed: {', '.join(failed)}")
        return 1
    print("\nall benchmarks within target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
