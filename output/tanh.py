"""tanh and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = tanh(x)
    f'(x) = 1 - tanh(x)**2
"""

import numpy as np


def _sigmoid(u, e=None):
    """1/(1 + exp(-u)) from e = exp(-|u|), which never overflows: 1/(1 + e) for u >= 0,
    e/(1 + e) below. A caller computing sigmoid(u) and sigmoid(-u) passes one e to both."""
    e = np.exp(-np.abs(u)) if e is None else e
    return np.where(u >= 0, 1.0, e) / (1.0 + e)


def tanh(x):
    """tanh(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return np.tanh(x)


def tanh_and_derivative(x):
    """(tanh(x), tanh'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    t = tanh(x)
    # f' is computed from x: its form in f would lose accuracy or overflow
    # e = exp(-|u|), computed once and given to each sigmoid, softplus, sech of +-u
    with np.errstate(over="ignore"):
        e = np.exp(-np.abs(2*x))
        dt = 4*_sigmoid(-2*x, e)*_sigmoid(2*x, e)
    return t, dt


def tanh_derivative(x):
    """tanh'(x) for a float or an array."""
    return tanh_and_derivative(x)[1]
