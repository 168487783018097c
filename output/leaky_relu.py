"""leaky_relu and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = Max(x/100, x)
    f'(x) = Heaviside(-99*x/100)/100 + Heaviside(99*x/100)
"""

import numpy as np


def leaky_relu(x):
    """leaky_relu(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return np.maximum(x, x/100)


def leaky_relu_and_derivative(x):
    """(leaky_relu(x), leaky_relu'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    y = leaky_relu(x)
    # f' is not a function of f alone: it is computed from x
    with np.errstate(over="ignore"):
        dy = np.heaviside(-99*x/100, 0.0)/100 + np.heaviside(99*x/100, 0.0)
    return y, dy


def leaky_relu_derivative(x):
    """leaky_relu'(x) for a float or an array."""
    return leaky_relu_and_derivative(x)[1]
