"""Sigmoid walkthrough timings: warm in process, and cold as a whole process.

    python bench/bench_sigmoid.py [--runs N]

Warm: derive, verify every step, render md and tex, median of N runs after one warm-up
(targets ≤ 8 ms). Cold: `derive sigmoid -f md -o -` against `python -c "import sympy"`,
alternating the two in the same loop so both see the same machine state (target ≤ 1.3×).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def warm(runs: int) -> float:
    from derive import pipeline

    def once() -> None:
        target = pipeline.resolve("sigmoid")
        derivation = pipeline.derive(target)
        view = pipeline.document_view(derivation)
        pipeline.render_formats(view, ("md", "tex"))

    once()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        once()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold(runs: int) -> tuple[float, float]:
    derive_cmd = [sys.executable, "-m", "derive", "sigmoid", "-f", "md", "-o", "-"]
    sympy_cmd = [sys.executable, "-c", "import sympy"]
    derive_times, sympy_times = [], []
    for _ in range(runs):
        for cmd, times in ((sympy_cmd, sympy_times), (derive_cmd, derive_times)):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
            times.append(time.perf_counter() - start)
    return statistics.median(derive_times), statistics.median(sympy_times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    median = warm(args.runs)
    print(f"warm sigmoid walkthrough (derive + verify + md + tex): median {median * 1e3:.2f} ms "
          f"over {args.runs} runs (target <= 8 ms)")
    derive_s, sympy_s = cold(max(5, args.runs // 3))
    print(f"cold `derive sigmoid -f md -o -`: median {derive_s * 1e3:.0f} ms; "
          f"`python -c 'import sympy'`: median {sympy_s * 1e3:.0f} ms; "
          f"ratio {derive_s / sympy_s:.2f} (target <= 1.30)")


if __name__ == "__main__":
    main()
