"""The identity classes a sampling check used to leave "checked" (issue 10): inverse
functions under the assumptions that make them true, atan(v) + atan(1/v) = π/2 for v > 0,
acos/asin, erf/erfc, denesting √(a + 2√b), max and min written with |u|, signs shown by
bounds (|2 + sin x| = 2 + sin x: sin x ≥ −1, which SymPy's assumptions do not know). Generated over
many bases (tests/soundness_corpus.py: identity_families): every right identity is proved,
every wrong variant fails with a certified counterexample (never proved, never checked)."""

from __future__ import annotations

import pytest
from soundness_corpus import Case, identity_families

from derive.model import Status
from derive.verify import check_equal

FAMILIES = identity_families()


def test_every_class_is_generated_over_many_bases():
    counts: dict[str, list[int]] = {}
    for family, _, right in FAMILIES:
        counts.setdefault(family, [0, 0])[0 if right else 1] += 1
    assert set(counts) == {"inverse", "atan reciprocal", "acos/asin", "erf/erfc", "denesting",
                           "max/min", "bounds"}
    assert all(right >= 10 and wrong >= 10 for right, wrong in counts.values()), counts


# Right identities not yet proved, each with its cause (strict: a fix turns them red).
KNOWN_MISSES: set[str] = set()


def _params():
    for i, (family, case, right) in enumerate(FAMILIES):
        marks = [pytest.mark.xfail(strict=True, reason="see KNOWN_MISSES")] if (
            right and case.name in KNOWN_MISSES) else []
        yield pytest.param(family, case, right, marks=marks, id=f"{i:03d} {case.name}"[:90])


def test_the_known_misses_are_in_the_families():
    assert {case.name for _, case, _ in FAMILIES} >= KNOWN_MISSES


@pytest.mark.parametrize(("family", "case", "right"), list(_params()))
def test_right_identities_are_proved_and_wrong_variants_fail(family: str, case: Case,
                                                             right: bool):
    verdict = check_equal(case.left, case.right)
    if right:
        assert verdict.status is Status.PROVED, (verdict.status, verdict.method, verdict.detail)
    else:
        assert verdict.status is Status.FAILED, (verdict.status, verdict.method, verdict.detail)
        assert verdict.counterexample is not None
