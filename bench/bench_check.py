"""`derive check` timings: generated .derive files of 5 sigmoid-like steps each.

    python bench/bench_check.py [--files 1000] [--runs 5] [--keep DIR]

Prints, as medians over the runs, the whole process `python -m derive check -j N DIR` for
-j 1 and -j 2 side by side (runs interleaved, so both see the same machine), their ratio
and steps per second (the target: -j 2 faster than -j 1, at least 2000 steps/s with -j 2
on 1000 files, on a 2-core machine); then where the time goes inside one process: reading
a file, taking its derivative, verifying a step, pickling a result back from a worker.
Each file uses its own steepness k, so no two files hold the same step. The load average
is printed before and after: on a busy machine every figure is slower.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def whole_process(folder: Path, jobs: int) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process and its workers, the summary line)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    command = [sys.executable, "-m", "derive", "check", "-j", str(jobs), str(folder)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    return seconds, cpu, summary


def where_the_time_goes(folder: Path) -> None:
    import pickle

    from derive.check import runner
    from derive.check.runner import _check_for_report

    files = sorted(str(p) for p in folder.glob("*.derive"))
    runner._warm_up()
    runner._VERDICTS_MAX = 0  # every step checked, none answered from the cache
    reading, values, verifying, pickling = [], [], [], []
    for path in files[:200]:
        start = time.perf_counter()
        chains = runner.parse_file(path)
        reading.append(time.perf_counter() - start)
        for chain in chains:
            start = time.perf_counter()
            runner._value(chain.lines[0], runner.DEFAULT_TIMEOUT)
            values.append(time.perf_counter() - start)
            runner._VERDICTS.clear()
            verifying += [step.seconds for step in runner.check_chain(chain).steps]
        result = _check_for_report(path, runner.DEFAULT_TIMEOUT)
        start = time.perf_counter()
        pickle.loads(pickle.dumps(result))
        pickling.append(time.perf_counter() - start)
    ms = 1e3
    print(f"inside one process, medians over {len(reading)} files: reading a file "
          f"{statistics.median(reading) * ms:.2f} ms, d/dx of its first line "
          f"{statistics.median(values) * ms:.2f} ms, a step (value and verdict) "
          f"{statistics.median(verifying) * ms:.2f} ms (max {max(verifying) * ms:.1f}), "
          f"a result through pickle {statistics.median(pickling) * ms:.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        generate(folder, args.files)
        steps = args.files * STEPS
        print(f"load average before: {os.getloadavg()[0]:.1f}")
        times: dict[int, list[float]] = {1: [], 2: []}
        cpus: dict[int, list[float]] = {1: [], 2: []}
        summaries = {}
        for _ in range(args.runs):
            for jobs in (2, 1):
                seconds, cpu, summaries[jobs] = whole_process(folder, jobs)
                times[jobs].append(seconds)
                cpus[jobs].append(cpu)
        medians = {jobs: statistics.median(values) for jobs, values in times.items()}
        for jobs in (2, 1):
            cpu = statistics.median(cpus[jobs])
            print(f"derive check -j {jobs}, {args.files} files, {steps} steps, whole process: "
                  f"median {medians[jobs]:.2f} s over {args.runs} runs, "
                  f"{steps / medians[jobs]:.0f} steps/s; CPU {cpu:.2f} s")
            print(f"  {summaries[jobs]}")
        print(f"-j 1 / -j 2: {medians[1] / medians[2]:.2f}x")
        # On a busy machine the wall clock says little; the CPU time does not depend on the
        # load, and the work of -j 2 is spread over two workers.
        print(f"CPU -j 2 / CPU -j 1: "
              f"{statistics.median(cpus[2]) / statistics.median(cpus[1]):.2f}")
        where_the_time_goes(folder)
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
