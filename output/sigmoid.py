"""sigmoid and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = 1/(1 + exp(-x))
    f'(x) = f*(1 - f)    (f is the value of f(x))
"""

import numpy as np


def _sigmoid(u):
    """1/(1 + exp(-u)) without overflow: -logaddexp(0, -u) is never positive."""
    return np.exp(-np.logaddexp(0.0, -u))


def sigmoid(x):
    """sigmoid(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return _sigmoid(x)


def sigmoid_and_derivative(x):
    """(sigmoid(x), sigmoid'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    s = sigmoid(x)
    # f' reuses the forward value s
    with np.errstate(over="ignore"):
        ds = s*_sigmoid(-x)
    return s, ds


def sigmoid_derivative(x):
    """sigmoid'(x) for a float or an array."""
    return sigmoid_and_derivative(x)[1]
