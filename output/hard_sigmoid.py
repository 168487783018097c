"""hard_sigmoid and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = Max(0, Min(1, x/6 + 1/2))
    f'(x) = Heaviside(1/2 - x/6)*Heaviside(Min(1, x/6 + 1/2))/6
"""

import numpy as np


def hard_sigmoid(x):
    """hard_sigmoid(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return np.maximum(0, np.minimum(1, 1/2 + x/6))


def hard_sigmoid_and_derivative(x):
    """(hard_sigmoid(x), hard_sigmoid'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    h = hard_sigmoid(x)
    # f' is not a function of f alone: it is computed from x
    with np.errstate(over="ignore"):
        dh = np.heaviside(1/2 - x/6, 0.0)*np.heaviside(np.minimum(1, 1/2 + x/6), 0.0)/6
    return h, dh


def hard_sigmoid_derivative(x):
    """hard_sigmoid'(x) for a float or an array."""
    return hard_sigmoid_and_derivative(x)[1]
