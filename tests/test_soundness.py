"""Soundness of `derive check`: no wrong step passes, no right step fails, nothing wrong is proved.

The corpus (tests/soundness_corpus.py) holds right steps and wrong ones made by mutating
them. Each test records the verdict as a property; the figures appear at the end of the
run through `soundness_corpus.terminal_summary` (wired in conftest.py), and with -s.
"""

from __future__ import annotations

import mpmath
import pytest
import sympy
from soundness_corpus import Case, corpus, value_at

from derive.model import Status
from derive.verify import check_equal

RIGHT, WRONG = corpus()


def _ids(cases: tuple[Case, ...]) -> list[str]:
    return [f"{i:03d} {case.name}"[:90] for i, case in enumerate(cases)]


def test_the_corpus_is_big_enough():
    print(f"\nsoundness corpus: {len(RIGHT)} right steps, {len(WRONG)} wrong steps")
    assert len(RIGHT) >= 150
    assert len(WRONG) >= 300


@pytest.mark.parametrize("case", WRONG, ids=_ids(WRONG))
def test_a_wrong_step_fails_with_a_real_counterexample(case: Case, record_property):
    verdict = check_equal(case.left, case.right)
    record_property("soundness", "wrong")
    record_property("verdict", verdict.status.value)
    assert verdict.status is not Status.PROVED, f"wrong step proved by {verdict.method}"
    assert verdict.status is Status.FAILED, (verdict.method, verdict.detail)
    example = verdict.counterexample
    assert example is not None
    # The counterexample is genuine: at that point, evaluated here independently, both
    # sides are real and show the values reported.
    symbols = {str(s): s for s in case.left.free_symbols | case.right.free_symbols}
    point = {symbols[name]: sympy.Rational(value) for name, value in example.point}
    for side, shown in ((case.left, example.left), (case.right, example.right)):
        value = value_at(side, point)
        assert abs(mpmath.im(value)) < 1e-20
        assert abs(mpmath.re(value) - mpmath.mpf(shown)) <= 1e-9 * max(1, abs(value))
    assert example.left != example.right


@pytest.mark.parametrize("case", RIGHT, ids=_ids(RIGHT))
def test_a_right_step_is_proved_or_checked(case: Case, record_property):
    verdict = check_equal(case.left, case.right)
    record_property("soundness", "right")
    record_property("verdict", verdict.status.value)
    assert verdict.status is not Status.FAILED, verdict.counterexample
    assert verdict.ok, (verdict.status, verdict.method, verdict.detail)
