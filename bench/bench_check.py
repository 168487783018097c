"""`derive check` timings: 200 generated .derive files of 5 sigmoid-like steps each.

    python bench/bench_check.py [--files 200] [--runs 5] [--keep DIR]

Prints, as medians over the runs: the whole process `python -m derive check -j 2 DIR`
(the target is at most 5 s on a 2-core machine), the same with -j 1 for the ratio, and
the time per step measured inside one process (parsing excluded, verdict cache off so
every step is really checked). Each file uses its own steepness k, so no two files
hold the same step.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STEPS = 5
TEMPLATE = """\
# Derivative of a sigmoid of steepness {k}
let s(x) = 1/(1 + exp(-{k}*x))
d/dx s(x)
  = {k}*exp(-{k}*x)/(1 + exp(-{k}*x))**2                  # chain rule
  = {k}*((1 + exp(-{k}*x)) - 1)/(1 + exp(-{k}*x))**2      # add and subtract one
  = {k}*(1/(1 + exp(-{k}*x)) - 1/(1 + exp(-{k}*x))**2)    # split the fraction
  = {k}*s(x)*(1 - s(x))                                   # swap s back in
  = {k}*s(x) - {k}*s(x)**2                                # expand
"""


def generate(folder: Path, count: int) -> None:
    for i in range(count):
        (folder / f"sigmoid_{i:03d}.derive").write_text(TEMPLATE.format(k=i + 1))


def whole_process(folder: Path, jobs: int, runs: int) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    command = [sys.executable, "-m", "derive", "check", "-j", str(jobs), str(folder)]
    times = []
    summary = ""
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        times.append(time.perf_counter() - start)
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    return statistics.median(times), summary


def per_step(folder: Path) -> list[float]:
    from derive.check import runner

    files = sorted(str(p) for p in folder.glob("*.derive"))
    runner._VERDICTS_MAX = 0  # every step checked, none answered from the cache
    seconds = []
    for path in files:
        for chain in runner.parse_file(path):
            runner._VERDICTS.clear()
            seconds += [step.seconds for step in runner.check_chain(chain).steps]
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        generate(folder, args.files)
        steps = args.files * STEPS
        for jobs in (2, 1):
            median, summary = whole_process(folder, jobs, args.runs)
            print(f"derive check -j {jobs}, {args.files} files, {steps} steps, whole process: "
                  f"median {median:.2f} s over {args.runs} runs "
                  f"({median / steps * 1e3:.2f} ms per step)")
            print(f"  {summary}")
        seconds = per_step(folder)
        print(f"time per step, in one process: median {statistics.median(seconds) * 1e3:.2f} ms, "
              f"max {max(seconds) * 1e3:.1f} ms over {len(seconds)} steps")


if __name__ == "__main__":
    main()
