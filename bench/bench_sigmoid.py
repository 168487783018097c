"""Sigmoid walkthrough timings: warm in process, and cold as a whole process.

    python bench/bench_sigmoid.py [--runs N]

Warm: derive, verify every step, render md and tex, median of N runs after one warm-up
(targets ≤ 8 ms). Cold: `derive sigmoid -f md -o -` against `python -c "import sympy"`,
alternating the commands in the same loop so all see the same machine state (target ≤ 1.3×).
The default `derive` (md and tex with the plot, written to a folder) is timed beside them.

Cold runs read bytecode as an installed derive does (`pip install .` compiles it): the
commands run with PYTHONDONTWRITEBYTECODE removed from the environment, after one warm-up
run each, so derive's own modules are not compiled from source on every run. derive imports
SymPy with the garbage collector paused (derive.process.cold_start); the second reference,
`import sympy` with the collector paused too, shows what remains once that is set aside.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def warm(runs: int) -> float:
    from derive import pipeline
    from derive.render.view import build_view, json_document

    def once() -> None:
        target = pipeline.resolve("sigmoid")
        derivation = pipeline.derive(target)
        view = build_view(derivation)
        view["json"] = json_document(view)
        pipeline.render_formats(view, ("md", "tex"))

    once()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        once()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


SYMPY = "import sympy"
SYMPY_NO_GC = "import gc; gc.disable(); import sympy"


def cold(runs: int, commands: dict[str, list[str]]) -> dict[str, float]:
    """Median seconds of each whole process, keyed by name, the commands taking turns."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for warm_up in (True, *([False] * runs)):
        for name, cmd in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, env=env)
            if not warm_up:
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def import_commands() -> dict[str, list[str]]:
    return {SYMPY: [sys.executable, "-c", SYMPY], SYMPY_NO_GC: [sys.executable, "-c", SYMPY_NO_GC]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    median = warm(args.runs)
    print(f"warm sigmoid walkthrough (derive + verify + md + tex): median {median * 1e3:.2f} ms "
          f"over {args.runs} runs (target <= 8 ms)")
    runs = max(5, args.runs // 3)
    derive_cmd = [sys.executable, "-m", "derive", "sigmoid", "-f", "md", "-o", "-"]
    medians = cold(runs, {"derive": derive_cmd, **import_commands()})
    derive_s = medians["derive"]
    print(f"cold `derive sigmoid -f md -o -`: median {derive_s * 1e3:.0f} ms")
    for reference in (SYMPY, SYMPY_NO_GC):
        print(f"  against `python -c '{reference}'`: median {medians[reference] * 1e3:.0f} ms; "
              f"ratio {derive_s / medians[reference]:.2f}"
              + (" (target <= 1.30)" if reference == SYMPY else ""))
    # In a loop of its own: three busy processes for a second would slow the turn after them.
    out = tempfile.mkdtemp(prefix="bench-derive-")
    try:
        default = cold(runs, {"default": [sys.executable, "-m", "derive", "-o", out],
                              SYMPY: import_commands()[SYMPY]})
    finally:
        shutil.rmtree(out)
    print(f"cold `derive` (md + tex + the plot, into a folder): median "
          f"{default['default'] * 1e3:.0f} ms, {default['default'] / default[SYMPY]:.2f}x "
          "the import (printed, no target)")


if __name__ == "__main__":
    main()
