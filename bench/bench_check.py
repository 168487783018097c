"""`derive check` timings: generated .derive files of 5 sigmoid-like steps each.

    python bench/bench_check.py [--files 1000] [--runs 5] [--keep DIR]

Prints, as medians over the runs, the whole process `python -m derive check -j N DIR` for
-j 1 and -j 2 side by side (runs interleaved, so both see the same machine), their ratio
and steps per second (the target: -j 2 faster than -j 1, at least 2000 steps/s with -j 2
on 1000 files, on a 2-core machine); then where the time goes inside one process: reading
a file, taking its derivative, verifying a step, pickling a result back from a worker.
Each file uses its own steepness k, so no two files hold the same step. The load averages
are printed before and after: on a busy machine every figure is slower.

`--reference DIR` (a checkout of an earlier derive, e.g. `git worktree add /tmp/old main~5`)
is measured in the same runs, interleaved, and its CPU times printed beside these.

The wall clock of a busy machine says little about -j: with Linux's autogroup scheduling
(/proc/sys/kernel/sched_autogroup_enabled) all processes of one session share one fair
share of the CPUs, so while other sessions keep the cores busy two workers get no more time
than one. The CPU time does not depend on the load that way; from it, and from the CPU of
a one-file run (start-up: Python, SymPy, derive), an idle machine's wall clock for -j N is
estimated as start-up + (CPU - start-up) / N. That is an estimate, printed as one.

`--instructions N` counts instead what no load changes: the instructions `derive check -j 1`
executes (valgrind's cachegrind, PYTHONHASHSEED=0), for one file and for N files, and
from them the instructions per file and of the start-up, for this tree and the reference.
Work done in the kernel (page faults, system calls) is not counted, and an instruction is
not a fixed time: it compares the work two trees do, where the clock of a busy machine
cannot.
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


def whole_process(folder: Path, jobs: int, root: Path = ROOT) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process and its workers, the summary line), with
    derive taken from `root`."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(root), *filter(None, [os.environ.get("PYTHONPATH")])])}
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


def instructions(folder: Path, root: Path) -> int | None:
    """The instructions `derive check -q -j 1 folder` executes in user space (derive from
    `root`), by cachegrind; None without valgrind."""
    import re
    import shutil

    if shutil.which("valgrind") is None:
        return None
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": os.pathsep.join(
        [str(root), *filter(None, [os.environ.get("PYTHONPATH")])])}
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no",
               "--cachegrind-out-file=/dev/null", sys.executable, "-m", "derive", "check",
               "-q", "-j", "1", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    return int(found.group(1).replace(",", "")) if found else None


def count_instructions(scratch: Path, count: int, roots: dict[str, Path]) -> None:
    few = scratch / "few"
    few.mkdir()
    generate(few, count)
    single = scratch / "one"
    per_file: dict[str, float] = {}
    for name, root in roots.items():
        instructions(single, root)  # compiles the bytecode a fresh checkout lacks; not counted
        one, many = instructions(single, root), instructions(few, root)
        if one is None or many is None:
            print("valgrind is not installed (or gave no count): no instruction counts")
            return
        per_file[name] = (many - one) / (count - 1)
        print(f"{name}: derive check -j 1, instructions (cachegrind): {one / 1e9:.3f} G for "
              f"one file (start-up), {many / 1e9:.3f} G for {count}; "
              f"{per_file[name] / 1e6:.2f} M per further file")
    if "reference" in per_file:
        print(f"instructions per file: reference / this tree "
              f"{per_file['reference'] / per_file['this tree']:.2f}x")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f}, {five:.1f}, {fifteen:.1f} (1, 5, 15 min)"


def autogroup() -> bool:
    try:
        return Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1"
    except OSError:
        return False


def _neutral(scratch: str) -> None:
    """Run everything from `scratch`: `python -m derive` puts its working directory first on
    sys.path, ahead of PYTHONPATH, so run from a checkout it would measure that checkout's
    derive under either name (and read its pyproject's [tool.derive])."""
    os.chdir(scratch)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--reference", type=Path,
                        help="an earlier checkout of derive, measured in the same runs")
    parser.add_argument("--instructions", type=int, metavar="N", default=0,
                        help="count instructions (valgrind) for 1 and N files instead of "
                             "timing (N >= 2; the first files still warm caches, so 50 or "
                             "more; a few minutes a tree under valgrind)")
    args = parser.parse_args()
    args.reference = args.reference and args.reference.resolve()
    args.keep = args.keep and args.keep.resolve()
    if args.instructions:
        if args.instructions < 2:
            parser.error("--instructions needs at least 2 files")
        with tempfile.TemporaryDirectory() as scratch:
            _neutral(scratch)
            (Path(scratch) / "one").mkdir()
            generate(Path(scratch) / "one", 1)
            count_instructions(Path(scratch), args.instructions, {
                "this tree": ROOT, **({"reference": args.reference} if args.reference else {})})
        return
    with tempfile.TemporaryDirectory() as scratch:
        _neutral(scratch)
        folder = args.keep or Path(scratch) / "files"
        folder.mkdir(parents=True, exist_ok=True)
        generate(folder, args.files)
        single = Path(scratch) / "one"  # beside the files, never among them
        single.mkdir()
        generate(single, 1)
        steps = args.files * STEPS
        print(f"load average before: {load()}; {os.cpu_count()} CPUs; autogroup scheduling "
              f"{'on' if autogroup() else 'off'}")
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            print("PYTHONDONTWRITEBYTECODE is set: a tree without __pycache__ compiles "
                  "derive's modules in every run, start-up included")
        roots = {"this tree": ROOT, **({"reference": args.reference} if args.reference else {})}
        times: dict[tuple[str, int], list[float]] = {}
        cpus: dict[tuple[str, int], list[float]] = {}
        startup: dict[str, list[float]] = {name: [] for name in roots}
        summaries = {}
        for _ in range(args.runs):
            for name, root in roots.items():
                startup[name].append(whole_process(single, 1, root)[1])
                for jobs in (2, 1):
                    seconds, cpu, summaries[name, jobs] = whole_process(folder, jobs, root)
                    times.setdefault((name, jobs), []).append(seconds)
                    cpus.setdefault((name, jobs), []).append(cpu)
        for name in roots:
            start = statistics.median(startup[name])
            print(f"{name}: start-up (one file, -j 1) CPU {start:.2f} s")
            wall = {jobs: statistics.median(times[name, jobs]) for jobs in (1, 2)}
            cpu = {jobs: statistics.median(cpus[name, jobs]) for jobs in (1, 2)}
            for jobs in (2, 1):
                idle = start + (cpu[jobs] - start) / jobs
                print(f"  derive check -j {jobs}, {args.files} files, {steps} steps, whole "
                      f"process: median {wall[jobs]:.2f} s over {args.runs} runs, "
                      f"{steps / wall[jobs]:.0f} steps/s; CPU {cpu[jobs]:.2f} s; idle-machine "
                      f"estimate {idle:.2f} s, {steps / idle:.0f} steps/s")
                print(f"    {summaries[name, jobs]}")
            print(f"  wall -j 1 / -j 2: {wall[1] / wall[2]:.2f}x; CPU -j 2 / CPU -j 1: "
                  f"{cpu[2] / cpu[1]:.2f}")
        if args.reference:
            for jobs in (1, 2):
                ratio = (statistics.median(cpus["reference", jobs])
                         / statistics.median(cpus["this tree", jobs]))
                print(f"CPU -j {jobs}: reference / this tree {ratio:.2f}x")
        where_the_time_goes(folder)
        print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
