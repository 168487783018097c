"""Verifier timings: the sigmoid walkthrough warm, and the exact first stage against SymPy's.

    python bench/bench_verify.py [--runs N] [--against DIR]

Prints medians over N runs after one warm-up. With --against DIR (another checkout, say
the tree before a change: `git archive main | tar -x -C DIR`) the same measurements are
taken on both trees, one after the other in fresh processes, and printed side by side.
The walkthrough is rebuilt before every run (outside the timing) so each verify call
starts with fresh Step objects, as in the pipeline; SymPy's own caches stay warm, as
they do in a long-lived process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--against", type=Path, default=None,
                        help="another checkout: measure both, print side by side")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--rows", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.against is not None:
        side_by_side(args.against.resolve(), args.runs)
        return
    sys.path.insert(0, str(args.root))
    if args.rows:  # one JSON object per measurement, for side_by_side
        for name, ms, verdict in measurements(args.runs):
            print(json.dumps({"name": name, "ms": ms, "verdict": verdict}))
        return
    report(args.runs)


def side_by_side(other: Path, runs: int) -> None:
    def rows(root: Path) -> list[dict]:
        out = subprocess.run([sys.executable, __file__, "--root", str(root), "--rows",
                              "--runs", str(runs)], capture_output=True, text=True, check=True)
        return [json.loads(line) for line in out.stdout.splitlines()]

    before, after = rows(other), rows(ROOT)
    print(f"{'measurement':52} {'before':>10} {'after':>10}  verdict before -> after")
    for b, a in zip(before, after, strict=True):
        change = b["verdict"] if b["verdict"] == a["verdict"] else f"{b['verdict']} -> {a['verdict']}"
        print(f"{a['name']:52} {b['ms']:9.2f}ms {a['ms']:9.2f}ms  {change}")


def measurements(runs: int) -> list[tuple[str, float, str]]:
    """(what, median ms, verdict) for the sigmoid walkthrough and the classes below."""
    import sympy

    from derive.engine.walkthrough import build
    from derive.model import Definition
    from derive.verify import check_equal, verify

    x = sympy.Symbol("x", real=True)
    definition = Definition("sigma", r"\sigma", sympy.Function("sigma"), x, 1 / (1 + sympy.exp(-x)))
    rows = [("verify(sigmoid walkthrough), warm", median_ms(
        verify, runs, setup=lambda: build(definition, name="sigmoid")), "")]
    for name, (left, right) in _classes(x).items():
        verdict = check_equal(left, right)
        ms = median_ms(lambda a=left, b=right: check_equal(a, b), max(1, runs // 20))
        rows.append((name, ms, f"{verdict.status.value} ({verdict.method[:40]})"))
    return rows


def _classes(x):
    import sympy

    elu = sympy.Max(0, x) + sympy.Min(0, sympy.exp(x) - 1)
    huber = sympy.Min(sympy.Abs(x), 1)**2 / 2 + sympy.Max(sympy.Abs(x) - 1, 0)
    s = 1 / (1 + sympy.exp(-x))
    return {
        "sigma(1-sigma) vs 1/(4cosh^2(x/2))": (s * (1 - s), 1 / (4 * sympy.cosh(x / 2)**2)),
        "tanh' vs -tanh^2 (fails)": (sympy.diff(sympy.tanh(x), x), -sympy.tanh(x)**2),
        "x^2 + 1e-40 x^7 vs x^2 (fails)": (x**2 + sympy.Rational(1, 10**40) * x**7, x**2),
        "cos x + sin(20 pi x) vs cos x (fails)": (sympy.cos(x) + sympy.sin(20 * sympy.pi * x),
                                                  sympy.cos(x)),
        "x + H(x - 10^6) vs x (fails)": (x + sympy.Heaviside(x - 10**6), x),
        "x delta(x) + H(x) vs H(x) (checked)": (x * sympy.DiracDelta(x) + sympy.Heaviside(x),
                                                sympy.Heaviside(x)),
        "asinh(sinh x) vs x (proved)": (sympy.asinh(sympy.sinh(x)), x),
        "sin(x + 1) vs sin x cos 1 + cos x sin 1 (simplify)": (
            sympy.sin(x + 1), sympy.sin(x) * sympy.cos(1) + sympy.cos(x) * sympy.sin(1)),
        "ELU with max/min, f' vs pieces": (sympy.diff(elu, x), sympy.Piecewise(
            (sympy.exp(x), x < 0), (1, True))),
        "Huber with min/abs, f' vs pieces": (sympy.diff(huber, x), sympy.Piecewise(
            (-1, x < -1), (x, x < 1), (1, True))),
    }


def report(runs: int) -> None:
    import sympy

    from derive.engine.walkthrough import build
    from derive.model import Definition
    from derive.verify import check_equal, verify
    from derive.verify.rational import equal_as_rational_functions

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

    # Classes issue 10 names: a certified counterexample for disguised wrong steps, numeric
    # agreement for what no symbolic stage proves, and issue 11's kinked activations.
    few = max(1, runs // 20)
    print(f"\n{'check_equal on':52} {'median':>9}  verdict")
    for name, (left, right) in _classes(x).items():
        verdict = check_equal(left, right)
        ms = median_ms(lambda a=left, b=right: check_equal(a, b), few)
        print(f"{name:52} {ms:8.2f}ms  {verdict.status.value} ({verdict.method[:50]})")


if __name__ == "__main__":
    main()
