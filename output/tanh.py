"""tanh and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = tanh(x)
    f'(x) = 1 - tanh(x)**2
"""

import numpy as np


def _sigmoid(u):
    """1/(1 + exp(-u)) without overflow: -logaddexp(0, -u) is never positive."""
    return np.exp(-np.logaddexp(0.0, -u))


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
    with np.errstate(over="ignore"):
        dt = 4*_sigmoid(-2*x)*_sigmoid(2*x)
    return t, dt


def tanh_derivative(x):
    """tanh'(x) for a float or an array."""
    return tanh_and_derivative(x)[1]
