"""swish and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = x/(1 + exp(-x))
    f'(x) = x*exp(-x)/(1 + exp(-x))**2 + 1/(1 + exp(-x))
"""

import numpy as np


def _sigmoid(u):
    """1/(1 + exp(-u)) without overflow: -logaddexp(0, -u) is never positive."""
    return np.exp(-np.logaddexp(0.0, -u))


def swish(x):
    """swish(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return x*_sigmoid(x)


def swish_and_derivative(x):
    """(swish(x), swish'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    s = swish(x)
    # f' is computed from x: its form in f would lose accuracy or overflow
    with np.errstate(over="ignore"):
        ds = x*_sigmoid(x)*_sigmoid(-x) + _sigmoid(x)
    return s, ds


def swish_derivative(x):
    """swish'(x) for a float or an array."""
    return swish_and_derivative(x)[1]
