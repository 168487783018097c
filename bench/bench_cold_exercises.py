"""Cold `derive EXPR --var V -f md -o -` for every exercise in tests/data/exercises/, against
`python -c "import sympy"`.

    python bench/bench_cold_exercises.py [--every K] [--again N] [--source STEM ...]

Issue 11's target: every textbook exercise and activation function ≤ 2 s cold. One cold run
per exercise (all of them, or every K-th with --every), `import sympy` timed after every ten
so that the ratio sees the same machine state; then the N slowest are run three more times
each, taking turns with `import sympy`, and reported as medians. Two figures per command:
wall time, and CPU time (user + system of the whole process tree: the supervisor, the
worker and its children), which a busy machine inflates much less than the wall time. On an
idle machine a run's wall time is about its worker's CPU time (the children work on the
other core meanwhile). Bytecode is read as an installed derive reads it.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from exercises import Exercise, exercises  # noqa: E402

SYMPY = [sys.executable, "-c", "import sympy"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the process tree, exit code)."""
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, cwd=ROOT, env=env, timeout=900)
    return time.perf_counter() - start, _children_cpu() - cpu, done.returncode


def command(case: Exercise) -> list[str]:
    return [sys.executable, "-m", "derive", "--var", case.variable, "-f", "md", "-o", "-",
            "--", case.text]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--every", type=int, default=1, help="run every K-th exercise only")
    parser.add_argument("--again", type=int, default=12,
                        help="re-run the N slowest three times (medians)")
    parser.add_argument("--source", nargs="*", default=[],
                        help="file stems (pytorch_activations, losses, ...); default all")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    names = [f"{stem}.txt" for stem in args.source]
    cases = exercises(*names)[::args.every]
    print(f"{len(cases)} exercises, load {os.getloadavg()[0]:.1f} at the start")
    timed(SYMPY, env)
    timed(command(cases[0]), env)  # warm-up: bytecode, template cache
    reference: list[tuple[float, float]] = []
    first: dict[str, tuple[float, float, int]] = {}
    for k, case in enumerate(cases):
        if k % 10 == 0:
            reference.append(timed(SYMPY, env)[:2])
        first[case.id] = timed(command(case), env)
    ref_wall = statistics.median(w for w, _ in reference)
    ref_cpu = statistics.median(c for _, c in reference)
    print(f"import sympy: median wall {ref_wall * 1e3:.0f} ms, CPU {ref_cpu * 1e3:.0f} ms "
          f"({len(reference)} runs); load {os.getloadavg()[0]:.1f} at the end of the pass")
    by_id = {case.id: case for case in cases}
    ranked = sorted(first, key=lambda i: first[i][1], reverse=True)
    walls = sorted(w for w, _, _ in first.values())
    cpus = sorted(c for _, c, _ in first.values())
    print(f"one pass: wall median {statistics.median(walls):.2f} s, max {walls[-1]:.2f} s; "
          f"CPU median {statistics.median(cpus):.2f} s, max {cpus[-1]:.2f} s; "
          f"{sum(c > 2 for c in cpus)} over 2 s CPU, {sum(w > 2 for w in walls)} over 2 s wall; "
          f"exit codes {sorted({code for _, _, code in first.values()})}")
    slowest = ranked[:args.again]
    again: dict[str, list[tuple[float, float]]] = {i: [] for i in slowest}
    sympy_again: list[tuple[float, float]] = []
    for _ in range(3):
        sympy_again.append(timed(SYMPY, env)[:2])
        for i in slowest:
            again[i].append(timed(command(by_id[i]), env)[:2])
    ref_wall = statistics.median(w for w, _ in sympy_again)
    ref_cpu = statistics.median(c for _, c in sympy_again)
    print(f"\nthe {len(slowest)} slowest by CPU, medians of 3 (import sympy: wall "
          f"{ref_wall * 1e3:.0f} ms, CPU {ref_cpu * 1e3:.0f} ms); load {os.getloadavg()[0]:.1f}")
    print(f"{'exercise':<34} {'wall':>7} {'CPU':>7} {'CPU/sympy':>9}  expression")
    for i in slowest:
        wall = statistics.median(w for w, _ in again[i])
        cpu = statistics.median(c for _, c in again[i])
        flag = "  over 2 s CPU" if cpu > 2 else ""
        print(f"{i:<34} {wall:6.2f}s {cpu:6.2f}s {cpu / ref_cpu:8.2f}x  {by_id[i].text}{flag}")


if __name__ == "__main__":
    main()
