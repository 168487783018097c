"""tanh and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits.

    f(x)  = tanh(x)
    f'(x) = 1 - f**2    (f is the value of f(x))
"""

import numpy as np


def tanh(x):
    """tanh(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    return np.tanh(x)


def tanh_and_derivative(x):
    """(tanh(x), tanh'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    t = tanh(x)
    # f' reuses the forward value t: nothing new is computed
    dt = 1 - t**2
    return t, dt


def tanh_derivative(x):
    """tanh'(x) for a float or an array."""
    return tanh_and_derivative(x)[1]
