"""softsign and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = x/(Abs(x) + 1)
    f'(x) = -x*sign(x)/(Abs(x) + 1)**2 + 1/(Abs(x) + 1)
"""

import numpy as np


def _piecewise(args, pieces):
    """Evaluate each piece only where its condition first holds, so that a discarded
    branch (such as exp(x) for large x) is never computed."""
    args = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in args))
    out = np.full(args[0].shape, np.nan)
    left = np.ones(args[0].shape, dtype=bool)
    for condition, value in pieces:
        mask = left & np.asarray(condition(*args), dtype=bool)
        out[mask] = value(*(a[mask] for a in args))
        left &= ~mask
    return out[()]


def softsign(x):
    """softsign(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return x/(1 + np.abs(x))


def softsign_and_derivative(x):
    """(softsign(x), softsign'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    s = softsign(x)
    # f' is computed from x: its form in f would lose accuracy or overflow
    with np.errstate(over="ignore"):
        ds = _piecewise((x,), [
            (lambda x: x <= 0, lambda x: (x - 1)**(-2)),
            (lambda x: True, lambda x: (x + 1)**(-2)),
        ])
    return s, ds


def softsign_derivative(x):
    """softsign'(x) for a float or an array."""
    return softsign_and_derivative(x)[1]
