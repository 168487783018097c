"""log_sigmoid and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits.

    f(x)  = -log(1 + exp(-x))
    f'(x) = 1 - exp(f)    (f is the value of f(x))
"""

import numpy as np


def log_sigmoid(x):
    """log_sigmoid(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    return -np.logaddexp(0.0, -x)


def log_sigmoid_and_derivative(x):
    """(log_sigmoid(x), log_sigmoid'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    y = log_sigmoid(x)
    # f' reuses the forward value y: nothing new is computed
    dy = -np.expm1(y)
    return y, dy


def log_sigmoid_derivative(x):
    """log_sigmoid'(x) for a float or an array."""
    return log_sigmoid_and_derivative(x)[1]
