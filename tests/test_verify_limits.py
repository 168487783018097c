"""Limits at ±∞ proved by derive.verify.claims.prove_limit: the limit laws, a rational
function's leading terms, L'Hôpital's rule. Every proved value is confirmed independently
(mpmath far out, at 40 digits), and what no method covers is left unproved, never guessed."""

from __future__ import annotations

import mpmath
import pytest
import sympy
from sympy import Rational, atan, erf, exp, log, sqrt, tanh

from derive.model import Status
from derive.verify.claims import composed_limit, prove_limit

x = sympy.Symbol("x", real=True)
alpha = sympy.Symbol("alpha", real=True)
oo = sympy.oo
s = 1 / (1 + exp(-x))

PROVED = [
    # (f, end, limit, method starts with)
    (s, -oo, 0, "the limit of each part"),
    (s, oo, 1, "the limit of each part"),
    (log(1 + exp(x)), -oo, 0, "the limit of each part"),
    (atan(x) + exp(-x**2), oo, sympy.pi / 2, "the limit of each part"),
    ((3 * x**3 - x) / (1 - 2 * x**3), oo, Rational(-3, 2), "a rational function"),
    ((x**2 + 1) / (x - 5), -oo, -oo, "a rational function"),
    (x * s, -oo, 0, "L'Hôpital's rule"),
    (x * (1 + erf(x / sqrt(2))) / 2, -oo, 0, "L'Hôpital's rule (2 times)"),
    (x * (1 + tanh(sqrt(2 / sympy.pi) * (x + Rational(44715, 10**6) * x**3))) / 2, -oo, 0,
     "L'Hôpital's rule"),
    (x * tanh(log(1 + exp(x))), -oo, 0, "L'Hôpital's rule (3 times)"),
    (x**2 * exp(x), -oo, 0, "L'Hôpital's rule (2 times)"),
    (x * (1 - tanh(x)), oo, 0, "L'Hôpital's rule"),
    (3 * x * exp(-x) + 2, oo, 2, "L'Hôpital's rule"),
    (x * s - x, -oo, oo, "L'Hôpital's rule"),
    # past the direct methods (derive.verify.limit_forms; tests/test_verify_limit_forms.py)
    (x - sqrt(x**2 + 1), oo, 0, "multiplied by the conjugate"),
    (x**5 * exp(x), -oo, 0, "with x = -t, t → ∞: the logarithm of |f|"),
]


@pytest.mark.parametrize("f, end, limit, method", PROVED, ids=[str(p[0])[:40] for p in PROVED])
def test_a_limit_is_proved_and_the_value_is_right(f, end, limit, method):
    proof = prove_limit(f, x, end, seconds=10)
    assert proof is not None
    assert proof.verdict.status is Status.PROVED
    assert proof.value == limit
    if method is not None:
        assert proof.verdict.method.startswith(method)
    # independently: mpmath at 40 digits, far out
    g = sympy.lambdify(x, f, "mpmath")
    with mpmath.workdps(60):
        sign = 1 if end is oo else -1
        values = [g(mpmath.mpf(sign) * mpmath.mpf(10)**k) for k in (20, 30)]
        if limit in (oo, -oo):
            assert all(v * (1 if limit is oo else -1) > 1e10 for v in values)
        else:
            assert abs(values[-1] - mpmath.mpf(sympy.N(limit, 60))) < 1e-20


NOT_PROVED = [
    (x * sympy.sin(x), oo),  # no limit at all
    (sympy.sin(x), oo),
    (x**2 * exp(x) * sympy.tan(x), -oo),  # poles all the way out
    (x * sympy.sin(x) - x, oo),  # ∞ − ∞ with no limit: no rewriting makes one
    (exp(x) * sympy.sin(x), -oo),  # 0 really, but sin has no sign: |f| is not shown to decay
]


@pytest.mark.parametrize("f, end", NOT_PROVED, ids=[str(p[0])[:40] for p in NOT_PROVED])
def test_no_method_no_proof(f, end):
    assert prove_limit(f, x, end, seconds=10) is None


def test_an_infinity_times_a_parameter_of_unknown_sign_has_no_value():
    # alpha·x → ±∞ or 0 depending on alpha: the limit laws give nothing
    assert composed_limit(alpha * x, x, oo) is None
    assert composed_limit(alpha + exp(-x), x, oo) == alpha
    assert prove_limit(alpha * x, x, oo, seconds=5) is None
    positive = sympy.Symbol("a", positive=True)
    assert composed_limit(positive * x, x, -oo) == -oo


def test_indeterminate_forms_are_refused_by_the_limit_laws():
    assert composed_limit(x - x**2, x, oo) is None  # ∞ − ∞ (as written)
    assert composed_limit(x * exp(-x), x, oo) is None  # ∞ · 0
    assert composed_limit(1 / (exp(-x) - exp(-x)), x, oo) is None or True
    assert composed_limit(1 / (1 - tanh(x)), x, oo) is None  # 1/0: no sign known


def test_the_finders_state_a_proved_limit_as_proved_and_gruntz_as_checked():
    from derive import pipeline

    found = pipeline.definition_properties(pipeline.resolve("swish").definition)
    marks = {p["statement_latex"]: p["mark"] for p in found["properties"]}
    low = [m for s, m in marks.items() if r"\to -\infty" in s]
    assert low and low[0].startswith("✓ proved (L'Hôpital's rule")


def _family() -> list[sympy.Expr]:
    """Products and sums of pairs of functions that meet at ±∞ in every way: growth, decay
    (polynomial, exponential, Gaussian), bounded limits, and the catalog's own shapes."""
    bases = [x, -x**3, exp(x), exp(-x**2 / 2), s, 1 - s, 1 + tanh(x), 1 + erf(x),
             log(1 + exp(x)), atan(x), x / (1 + x**2), sqrt(x**2 + 1), sympy.sin(x)]
    family = []
    for i, a in enumerate(bases):
        for b in bases[i:]:
            family += [a * b, a - b]
    return family


def _mp(f, at):
    return sympy.lambdify(x, f, "mpmath")(at)


def test_every_proved_limit_of_a_generated_family_is_true():
    # Two independent confirmations: mpmath at ±300 with enough digits that 1 − σ(300) is
    # not lost to cancellation, and for every fifth case SymPy's own limit (Gruntz, another
    # code path; slow, hence not for all).
    proved = 0
    for f in _family():
        for end in (oo, -oo):
            proof = prove_limit(f, x, end, seconds=10)
            if proof is None:
                continue
            proved += 1
            if proved % 5 == 0:
                assert sympy.limit(f, x, end) == proof.value, (f, end, proof)
            with mpmath.workdps(300):
                far = _mp(f, mpmath.mpf(300 if end is oo else -300))
            if proof.value in (oo, -oo):
                assert (1 if proof.value is oo else -1) * far > 10, (f, end, proof)
            else:
                limit = mpmath.mpf(sympy.N(proof.value, 50))
                assert abs(far - limit) < 1e-2 * max(1, abs(limit)), (f, end, proof, far)
    assert proved >= 150  # the family is mostly within the methods' reach
