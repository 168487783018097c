"""gelu_tanh and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits.

    f(x)  = x*(tanh(sqrt(2)*(8943*x**3/200000 + x)/sqrt(pi)) + 1)/2
    f'(x) = sqrt(2)*x*(1 - tanh(sqrt(2)*(8943*x**3/200000 + x)/sqrt(pi))**2)*(26829*x**2/200000 + 1)/(2*sqrt(pi)) + tanh(sqrt(2)*(8943*x**3/200000 + x)/sqrt(pi))/2 + 1/2
"""

import numpy as np


def gelu_tanh(x):
    """gelu_tanh(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    return x*(1 + np.tanh(np.sqrt(2)*(x + 8943*x**3/200000)/np.sqrt(np.pi)))/2


def gelu_tanh_and_derivative(x):
    """(gelu_tanh(x), gelu_tanh'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    g = gelu_tanh(x)
    # f' is not a function of f alone: it is computed from x
    dg = 1/2 + np.tanh(np.sqrt(2)*(x + 8943*x**3/200000)/np.sqrt(np.pi))/2 + x*np.sqrt(2)*(1 - np.tanh(np.sqrt(2)*(x + 8943*x**3/200000)/np.sqrt(np.pi))**2)*(1 + 26829*x**2/200000)/(2*np.sqrt(np.pi))
    return g, dg


def gelu_tanh_derivative(x):
    """gelu_tanh'(x) for a float or an array."""
    return gelu_tanh_and_derivative(x)[1]
