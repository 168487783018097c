"""leaky_relu and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN but where named below, right limits; a value beyond the float range is inf or -inf.
f' is nan at x = 0, where the derivative does not exist.

    f(x)  = Max(x/100, x)
    f'(x) = Piecewise((1/100, x < 0), (1, x > 0))
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


def leaky_relu(x):
    """leaky_relu(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return np.maximum(x, x/100)


def leaky_relu_and_derivative(x):
    """(leaky_relu(x), leaky_relu'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    y = leaky_relu(x)
    # f' is not a function of f alone: it is computed from x
    with np.errstate(over="ignore"):
        dy = _piecewise((x,), [
            (lambda x: x < 0, lambda x: 1/100),
            (lambda x: x > 0, lambda x: 1),
        ])
    return y, dy


def leaky_relu_derivative(x):
    """leaky_relu'(x) for a float or an array."""
    return leaky_relu_and_derivative(x)[1]
