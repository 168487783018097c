"""hard_sigmoid and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN but where named below, right limits; a value beyond the float range is inf or -inf.
f' is nan at x = -3, x = 3, where the derivative does not exist.

    f(x)  = Max(0, Min(1, x/6 + 1/2))
    f'(x) = Piecewise((0, x < -3), (1/6, (x > -3) & (x < 3)), (0, x > 3))
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


def hard_sigmoid(x):
    """hard_sigmoid(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return np.maximum(0, np.minimum(1, (x + 3)/6))


def hard_sigmoid_and_derivative(x):
    """(hard_sigmoid(x), hard_sigmoid'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    h = hard_sigmoid(x)
    # f' is not a function of f alone: it is computed from x
    with np.errstate(over="ignore"):
        dh = _piecewise((x,), [
            (lambda x: x < -3, lambda x: 0),
            (lambda x: (x > -3) & (x < 3), lambda x: 1/6),
            (lambda x: x > 3, lambda x: 0),
        ])
    return h, dh


def hard_sigmoid_derivative(x):
    """hard_sigmoid'(x) for a float or an array."""
    return hard_sigmoid_and_derivative(x)[1]
