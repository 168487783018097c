"""gelu and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = x*(erf(sqrt(2)*x/2) + 1)/2
    f'(x) = sqrt(2)*x*exp(-x**2/2)/(2*sqrt(pi)) + erf(sqrt(2)*x/2)/2 + 1/2
"""

import math

import numpy as np


def _erfc(u):
    """The complementary error function, elementwise."""
    return np.vectorize(math.erfc, otypes=[float])(u)


def gelu(x):
    """gelu(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return x*_erfc(-x*np.sqrt(2)/2)/2


def gelu_and_derivative(x):
    """(gelu(x), gelu'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    g = gelu(x)
    # f' is not a function of f alone: it is computed from x
    with np.errstate(over="ignore"):
        dg = _erfc(-x*np.sqrt(2)/2)/2 + x*np.sqrt(2)*np.exp(-x**2/2)/(2*np.sqrt(np.pi))
    return g, dg


def gelu_derivative(x):
    """gelu'(x) for a float or an array."""
    return gelu_and_derivative(x)[1]
