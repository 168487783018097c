"""How often derive check's feedback names the mistake that made a wrong derivative step.

Issue 12's feedback target, measured over every generated single-mistake step of
tests/diagnosis_corpus.py (the catalog and 100 textbook functions; a sign error, the chain
rule's inner derivative left out, the quotient rule's numerator reversed, the power rule
off by one, a product-rule term dropped, the derivative of the wrong function, at every node
where each applies). Prints, per class: the steps the check fails, how many get the right
diagnosis, and how many diagnoses name a class that does not reproduce the step (the target
is none); then the same for steps with two mistakes at once, and for every step written
as a .derive file and checked by derive check itself (parsing, runner, feedback).

    python bench/bench_diagnosis.py [--misses]
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from diagnosis_corpus import (
    CLASSES,
    cases,
    false_names,
    outcomes,
    through_check,
    two_mistakes,
)


def main(argv: list[str]) -> int:
    started = time.process_time()
    results = outcomes(cases())
    seconds = time.process_time() - started
    failed, right, false = Counter(), Counter(), Counter()
    for case, kinds in results:
        failed[case.kind] += 1
        right[case.kind] += case.kind in kinds
    wrong_names = false_names(results)
    for _, kind, _, _ in wrong_names:
        false[kind] += 1
    print(f"{len(cases())} generated steps, {len(results)} failed by the check "
          f"({seconds / max(1, len(results)) * 1000:.0f} ms CPU per check + diagnosis)")
    print(f"{'class':42} {'failed':>6} {'right':>6} {'share':>7} {'false':>5}")
    for kind in CLASSES:
        share = right[kind] / failed[kind] if failed[kind] else 0.0
        print(f"{kind:42} {failed[kind]:6} {right[kind]:6} {share:7.1%} {false[kind]:5}")
    total = sum(right.values()) / max(1, len(results))
    print(f"{'all':42} {len(results):6} {sum(right.values()):6} {total:7.1%} "
          f"{len(wrong_names):5}")
    double = outcomes(two_mistakes())
    print(f"two mistakes at once: {len(double)} steps, {len(false_names(double))} diagnoses "
          "naming a class that does not reproduce the step")
    written = through_check(cases())
    print(f"written as .derive files and checked by derive check: {len(written)} failed, "
          f"{sum(case.kind in kinds for case, kinds in written)} right diagnoses, "
          f"{len(false_names(written))} naming a class that does not reproduce the step")
    if "--misses" in argv:
        for case, kinds in results:
            if case.kind not in kinds:
                print(f"missed: {case.name}: {case.kind} at {case.node}; named {kinds}")
        for row in wrong_names:
            print("false:", *row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
