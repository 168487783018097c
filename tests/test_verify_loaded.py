"""Verdicts do not depend on the clock: the soundness corpus, verified once on a quieter
machine and once while two other processes keep both cores busy, gets the same verdict,
method and counterexample for every case (issue 10.4).

Both runs are fresh processes (cold caches, every first call paid under the load of the
moment), bounded in time. A case whose check the runaway clock stopped would show as
"stopped at the time limit": that, too, counts as a difference here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_outputs_loaded import busy_cores  # noqa: F401  (the fixture)

TESTS = Path(__file__).resolve().parent
SECONDS = 900  # per run: the corpus takes about 10 s idle

_VERDICTS = """
import json, sys
sys.path.insert(0, sys.argv[1])
from soundness_corpus import corpus, wrong_families
from derive.verify import check_equal
right, wrong = corpus()
cases = [c for c in right + wrong] + [c for _, c in wrong_families()[::4]]
for case in cases:
    v = check_equal(case.left, case.right)
    example = v.counterexample
    print(json.dumps([case.name, v.status.value, v.method,
                      None if example is None else [example.point, example.left, example.right]]))
"""


def _verdicts() -> list[list]:
    done = subprocess.run([sys.executable, "-c", _VERDICTS, str(TESTS)], capture_output=True,
                          text=True, timeout=SECONDS, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_the_corpus_gets_the_same_verdicts_on_a_busy_machine(request):
    quiet = _verdicts()
    request.getfixturevalue("busy_cores")
    busy = _verdicts()
    assert len(quiet) == len(busy) >= 900
    different = [(a, b) for a, b in zip(quiet, busy, strict=True) if a != b]
    assert not different, f"{len(different)} cases changed under load, first: {different[:3]}"
    stopped = [a for a in quiet + busy if a[2].startswith("stopped at the time limit")]
    assert not stopped, f"the clock stopped checks: {stopped[:3]}"


def test_a_checked_sum_gets_its_verdict_however_long_the_wall_clock_stretches(monkeypatch):
    """`\\sum_{k=0}^{\\infty} 1/2^k = 3` came out undecided at load 20–31: evaluating the sum
    was bounded by wall time. Here the evaluation sleeps past the step's whole time limit (a
    machine busy enough to stretch it that far) and the verdict is still "failed": every
    clock on the check's path counts CPU time."""
    import time

    import sympy

    from derive.check.documents import parse_markdown
    from derive.check.runner import check_chain

    original = sympy.Sum.doit

    def slow(self, **hints):
        time.sleep(0.6)  # wall time, no CPU: what other processes on the cores cost a check
        return original(self, **hints)

    monkeypatch.setattr(sympy.Sum, "doit", slow)
    (chain,) = parse_markdown("$$ \\sum_{k=0}^{\\infty} \\frac{1}{2^k} = 3 $$\n", "notes.md")
    (step,) = check_chain(chain, timeout=0.5).steps
    assert step.status.value == "failed", step.verdict
