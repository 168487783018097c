"""Numbers found numerically, and the short closed forms they may have."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy

from derive.analysis.properties.context import DIGITS


def identify(number: Any) -> sympy.Expr | None:
    """A short closed form of the number — q, ±√q or e^q for a small rational q (1/3, √2,
    −√6/2, 1/e) — or None. Only a guess: the caller checks it exactly."""
    import mpmath

    with mpmath.workdps(DIGITS):
        number = mpmath.mpf(number)
        guesses = [(number, lambda q: q)]
        if number != 0:
            sign = 1 if number > 0 else -1
            guesses.append((number**2, lambda q: sign * sympy.sqrt(q)))
        if number > 0:
            guesses.append((mpmath.log(number), sympy.exp))
        for value, build in guesses:
            fraction = Fraction(mpmath.nstr(value, DIGITS - 5)).limit_denominator(100)
            if abs(value - mpmath.mpf(fraction.numerator) / fraction.denominator) < 1e-20:
                return build(sympy.Rational(fraction.numerator, fraction.denominator))
    return None


def as_float(value: sympy.Expr) -> float:
    return float("inf") if value is sympy.oo else float("-inf") if value is -sympy.oo else (
        float(value))
