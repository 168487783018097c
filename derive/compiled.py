"""Expressions compiled once for mpmath, for the many numeric samples the searches take.

`lambdify` writes and compiles Python source, which costs far more than evaluating the result;
the compiled function is kept per (expression, arguments), as Python keeps bytecode.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import sympy


@lru_cache(maxsize=512)
def mpmath_function(expr: sympy.Expr, arguments: tuple[sympy.Symbol, ...]) -> Callable | None:
    """expr as a function of the arguments on mpmath numbers; None if mpmath cannot take it
    (an unknown function, a pending derivative)."""
    try:
        return sympy.lambdify(list(arguments), expr, modules="mpmath")
    except Exception:  # lambdify raises anything on what it cannot print
        return None


def real_value(expr: sympy.Expr, arguments: tuple[sympy.Symbol, ...], values, *, digits: int,
               imaginary: str = "exact"):
    """expr at the values (decimal strings or mpmath numbers) as a finite real mpmath number,
    or None: not compiled, undefined, infinite, or not real. imaginary="exact" accepts only a
    zero imaginary part; "relative" also one below 10^(5 - digits) of the value, the rounding
    of a real result computed through complex intermediates ((-100.37)^(-100.37))."""
    import mpmath

    function = mpmath_function(expr, arguments)
    if function is None:
        return None
    with mpmath.workdps(digits):
        try:
            result = mpmath.mpmathify(function(*(mpmath.mpf(v) for v in values)))
        except (ArithmeticError, ValueError, TypeError):
            return None
        if isinstance(result, mpmath.mpc):
            tolerance = 0 if imaginary == "exact" else mpmath.mpf(10) ** (5 - digits) * abs(result)
            if abs(result.imag) > tolerance:
                return None
            result = result.real
        return result if mpmath.isfinite(result) else None
