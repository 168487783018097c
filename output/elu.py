"""elu and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN but where named below, right limits; a value beyond the float range is inf or -inf.
f' is nan at x = 0, where the derivative does not exist.

    f(x)  = Piecewise((x, x > 0), (alpha*(exp(x) - 1), True))
    f'(x) = Piecewise((1, x > 0), (alpha*exp(x), x < 0))
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


def elu(x, alpha=1.0):
    """elu(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return _piecewise((x,), [
            (lambda x: x > 0, lambda x: x),
            (lambda x: True, lambda x: alpha*np.expm1(x)),
        ])


def elu_and_derivative(x, alpha=1.0):
    """(elu(x), elu'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    y = elu(x, alpha=alpha)
    # f' is computed from x: its form in f would lose accuracy or overflow
    with np.errstate(over="ignore"):
        dy = _piecewise((x,), [
            (lambda x: x > 0, lambda x: 1),
            (lambda x: x < 0, lambda x: alpha*np.exp(x)),
        ])
    return y, dy


def elu_derivative(x, alpha=1.0):
    """elu'(x) for a float or an array."""
    return elu_and_derivative(x, alpha=alpha)[1]
