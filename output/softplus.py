"""softplus and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = log(exp(x) + 1)
    f'(x) = exp(x)/(exp(x) + 1)
"""

import numpy as np


def _sigmoid(u):
    """1/(1 + exp(-u)) without overflow: -logaddexp(0, -u) is never positive."""
    return np.exp(-np.logaddexp(0.0, -u))


def softplus(x):
    """softplus(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return np.logaddexp(0.0, x)


def softplus_and_derivative(x):
    """(softplus(x), softplus'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    s = softplus(x)
    # f' is computed from x: its form in f would lose accuracy or overflow
    with np.errstate(over="ignore"):
        ds = _sigmoid(x)
    return s, ds


def softplus_derivative(x):
    """softplus'(x) for a float or an array."""
    return softplus_and_derivative(x)[1]
