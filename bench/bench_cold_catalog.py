"""Cold `derive NAME -f md -o -` for every catalog function, against `python -c "import sympy"`.

    python bench/bench_cold_catalog.py [--runs N] [--before DIR] [NAME ...]

Issue 11's target: each ratio ≤ 1.3. The commands take turns in one loop (sympy, then each
function), so that all see the same machine state; medians of N runs after one warm-up run
each. Bytecode is read as an installed derive reads it (PYTHONDONTWRITEBYTECODE removed).

--before DIR: a checkout of another derive (`git worktree add DIR main`, say) is timed in the
same loop, each function's run from DIR just before or after the one from here (the order
alternates), so that the two columns are side by side under the same load. Its runs start
in DIR, so that `python -m derive` finds DIR's derive ahead of this checkout's install.

--before-env NAME=VALUE sets a variable for DIR's runs only: with MPMATH_NOGMPY=1 they are
timed as an install without gmpy2 (the plot extra has it since 9c2e0f9), e.g. against
`git archive 2e78feb`, the tree before issue 11's cold-start work.

Beside the wall time, the CPU time of the whole process tree (supervisor, worker and its
children) is shown: a machine busy with other work inflates it much less than the wall
time. Exercises: bench/bench_cold_exercises.py.
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
sys.path.insert(0, str(ROOT))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(cmd: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process tree)."""
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, capture_output=True, cwd=cwd, env=env, timeout=600)
    return time.perf_counter() - start, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", type=Path, help="another derive checkout, timed beside")
    parser.add_argument("--before-env", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment variable for the --before runs only (repeatable): "
                             "MPMATH_NOGMPY=1 times them as an install without gmpy2")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    from derive.parse import catalog

    names = args.names or [entry.name for entry in catalog.entries()]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    trees = {"after": (env, ROOT)}
    if args.before is not None:
        before = dict(env, PYTHONPATH=os.pathsep.join(
            [str(args.before.resolve()), *filter(None, [env.get("PYTHONPATH")])]))
        before.update(item.split("=", 1) for item in args.before_env)
        trees = {"before": (before, args.before.resolve()), "after": (env, ROOT)}
    sympy_cmd = [sys.executable, "-c", "import sympy"]
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    import mpmath.libmp  # its backend decides the cost of the code's accuracy measurement

    print(f"load {os.getloadavg()[0]:.1f} at the start; {args.runs} runs; mpmath's "
          f"arithmetic: {mpmath.libmp.BACKEND} (gmpy: gmpy2 is installed)")
    for run in range(args.runs + 1):  # run 0: warm-up (bytecode, template cache)
        measured = [("import sympy", "", _time(sympy_cmd, env))]
        for name in names:
            cmd = [sys.executable, "-m", "derive", name, "-f", "md", "-o", "-"]
            order = list(trees) if run % 2 else list(trees)[::-1]
            measured += [(name, tree, _time(cmd, *trees[tree])) for tree in order]
        if run:
            for name, tree, figures in measured:
                times.setdefault((name, tree), []).append(figures)
    print(f"load {os.getloadavg()[0]:.1f} at the end")
    ref_wall = statistics.median(w for w, _ in times[("import sympy", "")])
    ref_cpu = statistics.median(c for _, c in times[("import sympy", "")])
    print(f"import sympy: median wall {ref_wall * 1e3:.0f} ms, CPU {ref_cpu * 1e3:.0f} ms")
    header = "".join(f" | {tree + ' wall':>12} {'ratio':>6} {'CPU':>7} {'ratio':>6}"
                     for tree in trees)
    print(f"{'function':<14}{header}")
    worst = 0.0
    for name in names:
        row = f"{name:<14}"
        for tree in trees:
            wall = statistics.median(w for w, _ in times[(name, tree)])
            cpu = statistics.median(c for _, c in times[(name, tree)])
            row += (f" | {wall * 1e3:9.0f} ms {wall / ref_wall:5.2f}x {cpu * 1e3:5.0f}ms "
                    f"{cpu / ref_cpu:5.2f}x")
            if tree == "after":
                worst = max(worst, wall / ref_wall)
        print(row + ("  over 1.3x" if row and wall / ref_wall > 1.3 else ""))
    print(f"worst wall ratio (after) {worst:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
