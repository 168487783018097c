"""Generated families of wrong steps that a sampling check passes as right (tests/soundness_corpus.py:
tiny terms, decimal stand-ins, grid-vanishing oscillations, far or narrow bumps, shifted kinks,
near-cancellation), over many base identities. Each must fail with a certified counterexample,
never be checked or proved; the counterexample is confirmed independently with SymPy's own
adaptive-precision evalf."""

from __future__ import annotations

import pytest
import sympy
from soundness_corpus import Case, family_bases, wrong_families
from sympy.core.evalf import PrecisionExhausted

from derive.model import Status
from derive.timeout import attempt
from derive.verify import check_equal

FAMILIES = wrong_families()


def test_every_family_is_generated_over_many_bases():
    names = {family for family, _ in FAMILIES}
    assert names == {"tiny term", "decimal stand-in", "grid-vanishing oscillation",
                     "far or narrow bump", "shifted kink", "near-cancellation"}
    assert len(family_bases()) >= 25
    assert len(FAMILIES) >= 500


@pytest.mark.parametrize(("family", "case"), FAMILIES,
                         ids=[f"{i:04d} {case.name}"[:90] for i, (_, case) in enumerate(FAMILIES)])
def test_a_wrong_step_in_disguise_fails_with_a_certified_counterexample(family: str, case: Case,
                                                                       record_property):
    verdict = check_equal(case.left, case.right)
    record_property("soundness", f"family: {family}")
    record_property("verdict", verdict.status.value)
    assert verdict.status is Status.FAILED, (verdict.status, verdict.method, verdict.detail)
    assert verdict.method == "ball arithmetic (certified)"
    example = verdict.counterexample
    assert example is not None
    symbols = {str(s): s for s in case.left.free_symbols | case.right.free_symbols}
    point = {symbols[name]: sympy.Rational(value) for name, value in example.point}
    left, right = case.left.xreplace(point), case.right.xreplace(point)

    def confirm() -> bool | None:
        try:
            for side in (left, right):
                value = side.evalf(30, strict=True, maxn=4000)
                assert value.is_real and value.is_finite, (side, value)
            return bool((left - right).evalf(10, strict=True, maxn=8000) != 0)
        except PrecisionExhausted:
            return None  # a value or difference below 8000 bits: evalf cannot tell, Arb did

    # SymPy's evalf can grind for minutes on a few of these points (a bump of height
    # e^(-10^23) next to cos x): bounded, and where it decides it must agree.
    outcome = attempt(confirm, 5.0)
    assert not outcome.error, outcome.error
    assert outcome.timed_out or outcome.value is not False
