"""f and f' sampled for the picture (derive.render.figure draws it).

Parameters (alpha, beta, k, ...) take DEFAULT_PARAMETER in a plot, and the caption says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import sympy

from derive.render.figure import Curves, xs

DEFAULT_PARAMETER = 1.0


def _values(expr: sympy.Expr, x: sympy.Symbol, points):  # -> numpy array
    import numpy as np

    # lambdify prints our parsed tree (whitelisted functions, dummified names) to NumPy code;
    # no text the user typed is executed.
    # NumPy has no erf; lambdify would call math.erf, which refuses arrays.
    elementwise = {name: np.vectorize(getattr(math, name), otypes=[float])
                   for name in ("erf", "erfc", "gamma", "lgamma")}
    function = sympy.lambdify(x, expr, modules=[elementwise, "numpy"], dummify=True)
    with np.errstate(all="ignore"):
        ys = np.asarray(function(points), dtype=float) * np.ones_like(points)
    ys[~np.isfinite(ys)] = np.nan
    return ys


def sample(f: sympy.Expr, derivative: sympy.Expr, x: sympy.Symbol, *, label: str,
           derivative_label: str, params: Mapping[sympy.Symbol, float] | None = None) -> Curves:
    """f and f' on the figure's points, parameters set to their plot values."""
    values = {p: (params or {}).get(p, DEFAULT_PARAMETER) for p in f.free_symbols - {x}}
    points = xs()
    return Curves(_values(f.subs(values), x, points), _values(derivative.subs(values), x, points),
                  label, derivative_label)

