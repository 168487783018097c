"""softplus and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = log(exp(x) + 1)
    f'(x) = exp(x)/(exp(x) + 1)
"""

import numpy as np


def _sigmoid(u, e=None):
    """1/(1 + exp(-u)) from e = exp(-|u|), which never overflows: 1/(1 + e) for u >= 0,
    e/(1 + e) below. A caller computing sigmoid(u) and sigmoid(-u) passes one e to both."""
    e = np.exp(-np.abs(u)) if e is None else e
    return np.where(u >= 0, 1.0, e) / (1.0 + e)


def _softplus(u, e=None):
    """log(1 + exp(u)) from e = exp(-|u|), without overflow: max(u, 0) + log1p(e)."""
    e = np.exp(-np.abs(u)) if e is None else e
    return np.maximum(u, 0.0) + np.log1p(e)


def softplus(x):
    """softplus(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return _softplus(x)


def softplus_and_derivative(x):
    """(softplus(x), softplus'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    # f' is computed from x: its form in f would lose accuracy or overflow
    # e = exp(-|x|), computed once and given to each sigmoid, softplus, sech of +-x
    # (s is computed as softplus(x) computes it: the same value to the last bit)
    with np.errstate(over="ignore"):
        e = np.exp(-np.abs(x))
        s = _softplus(x, e)
        ds = _sigmoid(x, e)
    return s, ds


def softplus_derivative(x):
    """softplus'(x) for a float or an array."""
    return softplus_and_derivative(x)[1]
