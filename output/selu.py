"""selu and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN but where named below, right limits; a value beyond the float range is inf or -inf.
f' is nan at x = 0, where the derivative does not exist.

    f(x)  = Piecewise((1.0507009873554805*x, x > 0), (1.7580993408473769*exp(x) - 1.7580993408473769, True))
    f'(x) = Piecewise((1.0507009873554805, x > 0), (1.7580993408473769*exp(x), x < 0))
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


def selu(x):
    """selu(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return _piecewise((x,), [
            (lambda x: x > 0, lambda x: 1.0507009873554805*x),
            (lambda x: True, lambda x: 1.7580993408473768*np.expm1(x)),
        ])


def selu_and_derivative(x):
    """(selu(x), selu'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    s = selu(x)
    # f' is computed from x: its form in f would lose accuracy or overflow
    with np.errstate(over="ignore"):
        ds = _piecewise((x,), [
            (lambda x: x > 0, lambda x: 1.0507009873554805),
            (lambda x: x < 0, lambda x: 1.7580993408473768*np.exp(x)),
        ])
    return s, ds


def selu_derivative(x):
    """selu'(x) for a float or an array."""
    return selu_and_derivative(x)[1]
