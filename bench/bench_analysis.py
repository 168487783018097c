"""Timings of the analyses beside f': f' in terms of f, and the properties of f.

    python bench/bench_analysis.py [--runs N]
    python bench/bench_analysis.py --against DIR [--rounds K] [--runs N]

For each catalog function: the first call in a process that has already imported
everything (what one `derive` command pays), then the median of N more calls (warm: SymPy's
caches filled); "as shown" is the properties as the documents get them (finders, their
words and the view: pipeline.definition_properties), warm. Targets: in terms of f, the whole
catalog well under 1 s warm; properties, the whole catalog at most about 1.5 s warm.

--against DIR: the same measurements of another checkout of derive (the reference, say
`git worktree add /tmp/ref main~3`), each tree in its own process, alternating K rounds so
that both see the same machine; per function the median over the rounds, side by side, and
the catalog totals' ratios (this tree ÷ the reference).
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
if "--tree" in sys.argv:  # a reference tree's derive is measured by this same script
    ROOT = Path(sys.argv[sys.argv.index("--tree") + 1]).resolve()
sys.path.insert(0, str(ROOT))
KEYS = ("in terms of f: first", "in terms of f: warm", "properties: first", "properties: warm",
        "as shown: warm")


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


def timings(runs: int) -> dict[str, dict[str, float]]:
    """{function: {KEYS[i]: seconds}} for the derive on sys.path; prints nothing."""
    import sympy

    from derive import pipeline
    from derive.analysis.in_terms_of_f import express_in_terms_of_f
    from derive.analysis.properties import find_properties

    x, functions = catalog()
    # Load every module and SymPy's lazily built tables on a function not in the catalog.
    warmup = sympy.exp(-x**2)
    express_in_terms_of_f(warmup, x)
    find_properties(warmup, x, sympy.diff(warmup, x))
    pipeline.definition_properties(pipeline.resolve(str(warmup)).definition)

    found: dict[str, dict[str, float]] = {}
    for name, f in functions.items():
        derivative = sympy.diff(f, x)
        form_first, form_warm = measure(lambda f=f, d=derivative: express_in_terms_of_f(f, x, d),
                                        runs)
        prop_first, prop_warm = measure(lambda f=f, d=derivative: find_properties(f, x, d),
                                        runs)
        definition = pipeline.resolve(name if name in _named() else str(f)).definition
        _, shown_warm = measure(lambda d=definition: pipeline.definition_properties(d), runs)
        found[name] = dict(zip(KEYS, (form_first, form_warm, prop_first, prop_warm, shown_warm),
                               strict=True))
    return found


def _named() -> set[str]:
    from derive.parse import catalog as named

    return {entry.name for entry in named.entries()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another checkout: measured side by side")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(timings(args.runs)))
        return
    if args.against is not None:
        side_by_side(args.against.resolve(), args.rounds, args.runs)
        return
    report(timings(args.runs), args.runs)


def report(found: dict[str, dict[str, float]], runs: int) -> None:
    import sympy

    from derive.analysis.in_terms_of_f import express_in_terms_of_f
    from derive.analysis.properties import find_properties

    x, functions = catalog()
    print(f"{'function':<14} {'in terms of f: first':>21} {'warm':>8}   "
          f"{'properties: first':>18} {'warm':>8} {'as shown':>9}   claims")
    for name, f in functions.items():
        t = found[name]
        derivative = sympy.diff(f, x)
        claims = len(find_properties(f, x, derivative))
        form = express_in_terms_of_f(f, x, derivative)
        shown = "—" if form is None else str(form.expr)
        print(f"{name:<14} {t[KEYS[0]] * 1e3:>18.1f} ms {t[KEYS[1]] * 1e3:>5.1f} ms   "
              f"{t[KEYS[2]] * 1e3:>15.1f} ms {t[KEYS[3]] * 1e3:>5.1f} ms "
              f"{t[KEYS[4]] * 1e3:>6.1f} ms   {claims}  f' = {shown}")
    for key in KEYS:
        total = sum(t[key] for t in found.values())
        print(f"catalog total, {key}: {total:.2f} s (medians over {runs} runs where warm)")
    print("targets: in terms of f well under 1 s warm; properties <= about 1.5 s warm")


def side_by_side(reference: Path, rounds: int, runs: int) -> None:
    """This tree against the reference, alternating processes, medians over the rounds."""
    here: list[dict[str, dict[str, float]]] = []
    there: list[dict[str, dict[str, float]]] = []
    for _ in range(rounds):
        for tree, into in ((ROOT, here), (reference, there)):
            command = [sys.executable, str(Path(__file__).resolve()), "--json", "--runs",
                       str(runs), "--tree", str(tree)]
            into.append(json.loads(subprocess.run(command, check=True, capture_output=True,
                                                  text=True).stdout))
    names = list(here[0])

    def median(results: list[dict[str, dict[str, float]]], name: str, key: str) -> float:
        return statistics.median(r[name][key] for r in results)

    print(f"this tree ({ROOT}) against the reference ({reference}): ms, medians over {rounds} "
          f"alternating rounds of {runs} warm runs")
    print(f"{'function':<14}" + "".join(f" {key:>26}" for key in KEYS))
    for name in names:
        cells = "".join(f" {median(there, name, k) * 1e3:>11.1f} → {median(here, name, k) * 1e3:>11.1f}"
                        for k in KEYS)
        print(f"{name:<14}{cells}")
    for key in KEYS:
        before = sum(median(there, n, key) for n in names)
        after = sum(median(here, n, key) for n in names)
        print(f"catalog total, {key}: reference {before:.3f} s, this tree {after:.3f} s, "
              f"ratio {after / before:.2f}")


if __name__ == "__main__":
    main()
