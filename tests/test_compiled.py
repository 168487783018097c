"""Compiled mpmath functions: the closures give lambdify's values, and what they do not
know goes to lambdify."""

from __future__ import annotations

import mpmath
import pytest
import sympy

from derive.analysis.compiled import _closure, mpmath_function, real_value
from derive.parse import catalog

x = sympy.Symbol("x", real=True)
POINTS = ("-7.3", "-1.1", "-0.2", "0.3", "1.7", "4.9", "40.5")


def _cases():
    for entry in catalog.entries():
        f, variable, params = entry.build()
        d = sympy.diff(f, variable)
        for expr in (f, d, sympy.diff(d, variable)):
            yield pytest.param(expr, (variable, *params.values()), id=f"{entry.name}:{expr}"[:60])
    for expr in (sympy.sqrt(x), 1 / sympy.sqrt(1 + x**2), x ** sympy.Rational(1, 3),
                 sympy.coth(x), sympy.sech(x) ** 2, sympy.log(x), x**x, sympy.pi * sympy.E**x,
                 sympy.Float("0.044715") * x**3, sympy.acosh(x), sympy.atanh(x / 3),
                 sympy.cot(x) + sympy.sec(x) + sympy.csc(x), 1 / x):
        yield pytest.param(expr, (x,), id=str(expr))


def _value(function, values):
    try:
        return mpmath.mpmathify(function(*values))
    except Exception as error:  # both raise alike (lambdify's DiracDelta: NameError)
        return type(error).__name__


@pytest.mark.parametrize(("expr", "arguments"), list(_cases()))
def test_a_closure_gives_lambdifys_values(expr, arguments):
    reference = sympy.lambdify(list(arguments), expr, modules="mpmath")
    compiled = mpmath_function(expr, arguments)
    for point in POINTS:
        values = [mpmath.mpf(point)] + [mpmath.mpf("1.3")] * (len(arguments) - 1)
        with mpmath.workdps(30):
            want, got = _value(reference, values), _value(compiled, values)
            if isinstance(want, str) or isinstance(got, str):
                assert want == got, (point, want, got)
            elif not (mpmath.isnan(want) and mpmath.isnan(got)):
                assert abs(want - got) <= mpmath.mpf(10) ** -25 * max(1, abs(want)), point


def test_elementary_expressions_are_closures_and_the_rest_goes_to_lambdify():
    index = {x: 0}
    assert _closure(sympy.exp(-x) / (1 + sympy.exp(-x)) ** 2, index) is not None
    for other in (sympy.Abs(x), sympy.Max(x, 0), sympy.Heaviside(x), sympy.gamma(x),
                  sympy.Function("g")(x), sympy.Symbol("a") * x):
        assert _closure(other, index) is None
    assert real_value(sympy.Abs(x) + sympy.Max(0, x), (x,), ["-2"], digits=30) == 2


def test_numbers_take_the_callers_precision():
    third = mpmath_function(sympy.Rational(1, 3) * x, (x,))
    with mpmath.workdps(50):
        assert abs(third(mpmath.mpf(1)) - mpmath.mpf(1) / 3) < mpmath.mpf(10) ** -49
