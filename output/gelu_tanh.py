"""gelu_tanh and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = x*(tanh(sqrt(2)*(8943*x**3/200000 + x)/sqrt(pi)) + 1)/2
    f'(x) = sqrt(2)*x*(1 - tanh(sqrt(2)*(8943*x**3/200000 + x)/sqrt(pi))**2)*(26829*x**2/200000 + 1)/(2*sqrt(pi)) + tanh(sqrt(2)*(8943*x**3/200000 + x)/sqrt(pi))/2 + 1/2
"""

import numpy as np


def _sech(u):
    """1/cosh(u) as 2 e^{-|u|}/(1 + e^{-2|u|}): cosh itself overflows for |u| > 710."""
    a = np.exp(-np.abs(u))
    return 2 * a / (1 + a * a)


def _sigmoid(u):
    """1/(1 + exp(-u)) without overflow: -logaddexp(0, -u) is never positive."""
    return np.exp(-np.logaddexp(0.0, -u))


def gelu_tanh(x):
    """gelu_tanh(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return x*_sigmoid(2*np.sqrt(2)*(x + 8943*x**3/200000)/np.sqrt(np.pi))


def gelu_tanh_and_derivative(x):
    """(gelu_tanh(x), gelu_tanh'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    g = gelu_tanh(x)
    # f' is not a function of f alone: it is computed from x
    with np.errstate(over="ignore"):
        dg = x*np.sqrt(2)*_sech(np.sqrt(2)*(x + 8943*x**3/200000)/np.sqrt(np.pi))**2*(1 + 26829*x**2/200000)/(2*np.sqrt(np.pi)) + _sigmoid(2*np.sqrt(2)*(x + 8943*x**3/200000)/np.sqrt(np.pi))
    return g, dg


def gelu_tanh_derivative(x):
    """gelu_tanh'(x) for a float or an array."""
    return gelu_tanh_and_derivative(x)[1]
