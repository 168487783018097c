"""swish and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = x/(1 + exp(-x))
    f'(x) = x*exp(-x)/(1 + exp(-x))**2 + 1/(1 + exp(-x))
"""

import numpy as np


def _sigmoid(u, e=None):
    """1/(1 + exp(-u)) from e = exp(-|u|), which never overflows: 1/(1 + e) for u >= 0,
    e/(1 + e) below. A caller computing sigmoid(u) and sigmoid(-u) passes one e to both."""
    e = np.exp(-np.abs(u)) if e is None else e
    return np.where(u >= 0, 1.0, e) / (1.0 + e)


def swish(x):
    """swish(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return x*_sigmoid(x)


def swish_and_derivative(x):
    """(swish(x), swish'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    # f' is computed from x: its form in f would lose accuracy or overflow
    # e = exp(-|x|), computed once and given to each sigmoid, softplus, sech of +-x
    # (s is computed as swish(x) computes it: the same value to the last bit)
    with np.errstate(over="ignore"):
        e = np.exp(-np.abs(x))
        s = x*_sigmoid(x, e)
        ds = x*_sigmoid(x, e)*_sigmoid(-x, e) + _sigmoid(x, e)
    return s, ds


def swish_derivative(x):
    """swish'(x) for a float or an array."""
    return swish_and_derivative(x)[1]
