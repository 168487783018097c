"""Timings of the analyses beside f': f' in terms of f, and the properties of f.

    python bench/bench_analysis.py [--runs N]

For each catalog function: the first call in a process that has already imported
everything (what one `derive` command pays), then the median of N more calls (warm: SymPy's
caches filled). Targets: in terms of f, the whole catalog well under 1 s warm; properties,
the whole catalog at most about 1.5 s warm.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def catalog():
    """The catalog's functions exactly as derive builds them (SELU with its constants), and
    two cliffs of issue 11: the quotient tower q5 (q_k = (x+k)/(1+q_{k-1}), q0 = x, 1.0 s warm
    on every run before the search had a size budget) and sigma∘sigma∘sigma∘sigma∘sigma."""
    from derive import pipeline
    from derive.parse import catalog as named

    functions = {}
    for entry in named.entries():
        definition = pipeline.resolve(entry.name).definition
        functions[entry.name] = definition.body
    x = definition.variable
    import sympy

    tower = x
    for k in range(1, 6):
        tower = (x + k) / (1 + tower)
    functions["q5"] = tower
    nested = x
    for _ in range(5):
        nested = 1 / (1 + sympy.exp(-nested))
    functions["sigma^5"] = nested
    return x, functions


def measure(call, runs: int) -> tuple[float, float]:
    start = time.perf_counter()
    call()
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return first, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import sympy

    from derive.analysis.in_terms_of_f import express_in_terms_of_f
    from derive.analysis.properties import find_properties

    x, functions = catalog()
    # Load every module and SymPy's lazily built tables on a function not in the catalog.
    warmup = sympy.exp(-x**2)
    express_in_terms_of_f(warmup, x)
    find_properties(warmup, x, sympy.diff(warmup, x))

    totals = {"in terms of f": [0.0, 0.0], "properties": [0.0, 0.0]}
    print(f"{'function':<14} {'in terms of f: first':>21} {'warm':>8}   "
          f"{'properties: first':>18} {'warm':>8}   claims")
    for name, f in functions.items():
        derivative = sympy.diff(f, x)
        form_first, form_warm = measure(lambda f=f, d=derivative: express_in_terms_of_f(f, x, d),
                                        args.runs)
        prop_first, prop_warm = measure(lambda f=f, d=derivative: find_properties(f, x, d),
                                        args.runs)
        claims = len(find_properties(f, x, derivative))
        form = express_in_terms_of_f(f, x, derivative)
        shown = "—" if form is None else str(form.expr)
        for key, first, warm in (("in terms of f", form_first, form_warm),
                                 ("properties", prop_first, prop_warm)):
            totals[key][0] += first
            totals[key][1] += warm
        print(f"{name:<14} {form_first * 1e3:>18.1f} ms {form_warm * 1e3:>5.1f} ms   "
              f"{prop_first * 1e3:>15.1f} ms {prop_warm * 1e3:>5.1f} ms   {claims}  f' = {shown}")
    for key, (first, warm) in totals.items():
        target = "well under 1 s" if key == "in terms of f" else "<= about 1.5 s"
        print(f"catalog total, {key}: first calls {first:.2f} s; warm medians {warm:.2f} s "
              f"(target {target} warm) over {args.runs} runs")


if __name__ == "__main__":
    main()
