"""Catalog timings (issue 3): the whole catalog regenerated, each walkthrough warm, and
σ∘σ∘…∘σ by depth.

    python bench/bench_catalog.py [--runs N]

Targets: whole catalog (md, tex, json, no plots) in one process ≤ 3 s; each walkthrough warm
≤ 50 ms (median); depth-8 composition ≤ 1 s, with polynomial growth in the depth.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def whole_catalog(out: Path) -> float:
    from derive import pipeline
    from derive.parse import catalog

    start = time.perf_counter()
    for entry in catalog.entries():
        request = pipeline.Request(target=pipeline.resolve(entry.name),
                                   formats=("md", "tex", "json"), out=out, plot=False)
        pipeline.produce(request)
    return time.perf_counter() - start


def warm_walkthrough(name: str, runs: int) -> float:
    from derive import pipeline

    def once() -> None:
        request = pipeline.Request(target=pipeline.resolve(name), formats=("md", "tex", "json"),
                                   out=None, plot=False)
        pipeline.produce(request)

    once()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        once()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def composition(depth: int) -> float:
    import sympy

    from derive import pipeline
    from derive.model import Definition

    x = sympy.Symbol("x", real=True)
    expr = x
    for _ in range(depth):
        expr = 1 / (1 + sympy.exp(-expr))
    target = pipeline.Target("composition", Definition("f", "f", sympy.Function("f"), x, expr))
    start = time.perf_counter()
    derivation = pipeline.derive(target)
    elapsed = time.perf_counter() - start
    assert derivation.verified, f"depth {depth} did not verify"
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from derive.parse import catalog

    with tempfile.TemporaryDirectory() as folder:
        first = whole_catalog(Path(folder))
        again = whole_catalog(Path(folder))
    print(f"whole catalog, md+tex+json, no plots, one process: {first:.2f} s first, "
          f"{again:.2f} s again (target <= 3 s)")
    medians = {e.name: warm_walkthrough(e.name, args.runs) for e in catalog.entries()}
    for name, median in medians.items():
        print(f"  {name:<14} warm median {median * 1e3:7.1f} ms (target <= 50 ms)")
    print(f"slowest warm walkthrough: {max(medians.values()) * 1e3:.1f} ms")
    previous = None
    print("sigma o ... o sigma, derive + verify (first run of each depth):")
    for depth in range(1, 9):
        elapsed = composition(depth)
        growth = f"  x{elapsed / previous:.2f} over depth {depth - 1}" if previous else ""
        print(f"  depth {depth}: {elapsed * 1e3:8.1f} ms{growth}")
        previous = elapsed
    print("(polynomial growth: the ratio between depths falls toward 1; exponential stays flat > 1)")


if __name__ == "__main__":
    main()
