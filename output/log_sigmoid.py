"""log_sigmoid and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = -log(1 + exp(-x))
    f'(x) = exp(-x)/(1 + exp(-x))
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


def log_sigmoid(x):
    """log_sigmoid(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return -_softplus(-x)


def log_sigmoid_and_derivative(x):
    """(log_sigmoid(x), log_sigmoid'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    # f' is computed from x: its form in f would lose accuracy or overflow
    # e = exp(-|x|), computed once and given to each sigmoid, softplus, sech of +-x
    # (y is computed as log_sigmoid(x) computes it: the same value to the last bit)
    with np.errstate(over="ignore"):
        e = np.exp(-np.abs(x))
        y = -_softplus(-x, e)
        dy = _sigmoid(-x, e)
    return y, dy


def log_sigmoid_derivative(x):
    """log_sigmoid'(x) for a float or an array."""
    return log_sigmoid_and_derivative(x)[1]
