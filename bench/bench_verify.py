"""Verifier timings: the sigmoid walkthrough warm, and the exact first stage against SymPy's.

    python bench/bench_verify.py [--runs N]

Prints medians over N runs after one warm-up. The walkthrough is rebuilt before every
run (outside the timing) so each verify call starts with fresh Step objects, as in the
pipeline; SymPy's own caches stay warm, as they do in a long-lived process.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def median_ms(fn, runs: int, setup=None) -> float:
    arg = setup() if setup else None
    fn(arg) if setup else fn()
    times = []
    for _ in range(runs):
        arg = setup() if setup else None
        start = time.perf_counter()
        fn(arg) if setup else fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main() -> None:
    import sympy

    from derive.engine.walkthrough import build
    from derive.model import Definition
    from derive.verify import check_equal, verify
    from derive.verify.rational import equal_as_rational_functions

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs

    x = sympy.Symbol("x", real=True)
    definition = Definition("sigma", r"\sigma", sympy.Function("sigma"), x, 1 / (1 + sympy.exp(-x)))
    whole = median_ms(verify, runs, setup=lambda: build(definition, name="sigmoid"))
    print(f"verify(sigmoid walkthrough), warm: median {whole:.2f} ms over {runs} runs")

    e = sympy.exp(-x)
    s = 1 / (1 + e)
    pairs = {
        "e^-x/(1+e^-x)^2 vs 1/(1+e^-x) - 1/(1+e^-x)^2": (e / (1 + e)**2, s - s**2),
        "1/(1+e^-x) - 1/(1+e^-x)^2 vs s(1-s)": (s - s**2, s * (1 - s)),
        "s(1-s) vs e^-x/(1+e^-x)^2": (s * (1 - s), e / (1 + e)**2),
    }
    print(f"\n{'pair':48} {'ours':>8} {'cancel':>8} {'together':>9} {'check_equal':>12}")
    for name, (left, right) in pairs.items():
        ours = median_ms(lambda a=left, b=right: equal_as_rational_functions(a, b), runs)
        cancel = median_ms(lambda a=left, b=right: sympy.cancel(a - b) == 0, runs)
        together = median_ms(lambda a=left, b=right: sympy.together(a - b) == 0, runs)
        full = median_ms(lambda a=left, b=right: check_equal(a, b), runs)
        print(f"{name:48} {ours:7.3f}ms {cancel:7.3f}ms {together:8.3f}ms {full:11.3f}ms"
              f"   (cancel/ours {cancel / ours:.1f}x)")

    hard = (s * (1 - s), 1 / (4 * sympy.cosh(x / 2)**2))
    print(f"\nsigma(1-sigma) vs 1/(4cosh^2(x/2)) (cancel after rewrite to exp): "
          f"{median_ms(lambda: check_equal(*hard), runs // 4 or 1):.2f} ms")
    wrong = (sympy.diff(sympy.tanh(x), x), -sympy.tanh(x)**2)
    print(f"tanh' vs -tanh^2 (counterexample): "
          f"{median_ms(lambda: check_equal(*wrong), runs // 4 or 1):.2f} ms")


if __name__ == "__main__":
    main()
