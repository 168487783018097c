"""log_sigmoid and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = -log(1 + exp(-x))
    f'(x) = exp(-x)/(1 + exp(-x))
"""

import numpy as np


def _sigmoid(u):
    """1/(1 + exp(-u)) without overflow: -logaddexp(0, -u) is never positive."""
    return np.exp(-np.logaddexp(0.0, -u))


def log_sigmoid(x):
    """log_sigmoid(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return -np.logaddexp(0.0, -x)


def log_sigmoid_and_derivative(x):
    """(log_sigmoid(x), log_sigmoid'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    y = log_sigmoid(x)
    # f' is computed from x: its form in f would lose accuracy or overflow
    with np.errstate(over="ignore"):
        dy = _sigmoid(-x)
    return y, dy


def log_sigmoid_derivative(x):
    """log_sigmoid'(x) for a float or an array."""
    return log_sigmoid_and_derivative(x)[1]
