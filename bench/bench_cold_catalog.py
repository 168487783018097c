"""Cold `derive NAME -f md -o -` for every catalog function, against `python -c "import sympy"`.

    python bench/bench_cold_catalog.py [--runs N] [NAME ...]

Issue 11's target: each ratio ≤ 1.3. The commands take turns in one loop (sympy, then each
function), so that all see the same machine state; medians of N runs after one warm-up run
each. Bytecode is read as an installed derive reads it (PYTHONDONTWRITEBYTECODE removed).
Exercises: `--exercises` adds every line of tests/data/exercises/*.txt (target ≤ 2 s cold).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, cwd=ROOT, env=env, timeout=600)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--exercises", action="store_true")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    from derive.parse import catalog

    names = args.names or [entry.name for entry in catalog.entries()]
    commands = {"import sympy": [sys.executable, "-c", "import sympy"]}
    for name in names:
        commands[name] = [sys.executable, "-m", "derive", name, "-f", "md", "-o", "-"]
    if args.exercises:
        for path in sorted((ROOT / "tests" / "data" / "exercises").glob("*.txt")):
            for line in path.read_text().splitlines():
                text = line.split("#")[0].strip()
                if text:
                    commands[f"{path.stem}: {text}"] = [sys.executable, "-m", "derive", "--",
                                                        text, "-f", "md", "-o", "-"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for warm_up in (True, *([False] * args.runs)):
        for name, cmd in commands.items():
            elapsed = _time(cmd, env)
            if not warm_up:
                times[name].append(elapsed)
    reference = statistics.median(times["import sympy"])
    print(f"import sympy: median {reference * 1e3:.0f} ms over {args.runs} runs")
    worst = 0.0
    for name in commands:
        if name == "import sympy":
            continue
        median = statistics.median(times[name])
        ratio = median / reference
        worst = max(worst, ratio)
        print(f"{name:<40} {median * 1e3:7.0f} ms  {ratio:5.2f}x"
              f"{'  over 1.3x' if ratio > 1.3 else ''}{'  over 2 s' if median > 2 else ''}")
    print(f"worst ratio {worst:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
