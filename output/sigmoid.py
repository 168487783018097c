"""sigmoid and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = 1/(1 + exp(-x))
    f'(x) = f*(1 - f)    (f is the value of f(x))
"""

import numpy as np


def _sigmoid(u, e=None):
    """1/(1 + exp(-u)) from e = exp(-|u|), which never overflows: 1/(1 + e) for u >= 0,
    e/(1 + e) below. A caller computing sigmoid(u) and sigmoid(-u) passes one e to both."""
    e = np.exp(-np.abs(u)) if e is None else e
    return np.where(u >= 0, 1.0, e) / (1.0 + e)


def sigmoid(x):
    """sigmoid(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return _sigmoid(x)


def sigmoid_and_derivative(x):
    """(sigmoid(x), sigmoid'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    # f' reuses the forward value s
    # e = exp(-|x|), computed once and given to each sigmoid, softplus, sech of +-x
    # (s is computed as sigmoid(x) computes it: the same value to the last bit)
    with np.errstate(over="ignore"):
        e = np.exp(-np.abs(x))
        s = _sigmoid(x, e)
        ds = s*_sigmoid(-x, e)
    return s, ds


def sigmoid_derivative(x):
    """sigmoid'(x) for a float or an array."""
    return sigmoid_and_derivative(x)[1]
