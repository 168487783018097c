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
