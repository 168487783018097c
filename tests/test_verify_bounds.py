"""Signs by bounds (derive.verify.bounds): every bound encloses every value the expression
takes, and a sign is claimed only where the bound is strictly away from 0."""

from __future__ import annotations

import itertools

import mpmath
import pytest
import sympy

from derive.verify.bounds import bounds, sign_by_bounds

x = sympy.Symbol("x", real=True)
t = sympy.Symbol("t", positive=True)
z = sympy.Symbol("z")  # complex: sin z is not bounded

_PARTS = [sympy.sin(x), sympy.cos(3 * x), sympy.exp(-x**2), sympy.tanh(x), sympy.atan(x),
          x**2, sympy.Abs(x - 1), sympy.exp(x), sympy.sqrt(x**2 + 1), sympy.erf(x),
          sympy.cosh(x), 1 / (2 + sympy.sin(x)), sympy.log(3 + sympy.cos(x)),
          sympy.Max(sympy.sin(x), sympy.cos(x)), sympy.sinh(x) ** 2, -x**3]
# sums and products of two parts with small coefficients: 256 + 256 expressions
GENERATED = [a + sympy.Rational(k, 3) * b for k, (a, b) in
             enumerate(itertools.product(_PARTS, repeat=2))] + [
    a * b - sympy.Rational(k % 5, 2) for k, (a, b) in
    enumerate(itertools.product(_PARTS, repeat=2))]
POINTS = [mpmath.mpf(v) for v in ("-7.3", "-2.1", "-0.77", "-1e-3", "0", "0.31", "1.57",
                                  "2.9", "11.4", "-33.3")]


@pytest.mark.parametrize("expr", GENERATED, ids=[str(e)[:60] for e in GENERATED])
def test_every_value_lies_within_the_bound(expr):
    bound = bounds(expr)
    assert bound is not None
    f = sympy.lambdify(x, expr, "mpmath")
    with mpmath.workdps(30):
        for p in POINTS:
            value = f(p)
            if bound.low is not None:
                assert value >= mpmath.mpf(float(bound.low)) - mpmath.mpf(10) ** -12, (p, value)
            if bound.high is not None:
                assert value <= mpmath.mpf(float(bound.high)) + mpmath.mpf(10) ** -12, (p, value)


@pytest.mark.parametrize(("expr", "sign"), [
    (2 + sympy.sin(x), 1),
    (sympy.cos(x) ** 2 - 2, -1),
    (3 + sympy.sin(x) * sympy.cos(x) - sympy.exp(-x**2) / 2, 1),
    (x**2 + 1, 1),
    (sympy.pi - 4 + sympy.cos(x), None),  # reaches above 0 at x = 0
    (1 + sympy.sin(x), None),  # 0 at −π/2: not strictly positive
    (sympy.exp(x) + sympy.sin(x) + 1, None),  # positive, but the bound only says ≥ 0
    (x - x + 1, 1),
    (t + 1, 1),
    (2 + sympy.sin(z), None),  # z not known to be real
    (2 + sympy.sin(x) + sympy.Float("0.5"), None),  # a float never proves anything
    (sympy.log(x), None),  # log of what may be ≤ 0: no bound at all
])
def test_a_sign_only_where_the_bound_is_strict(expr, sign):
    assert sign_by_bounds(expr) == sign
