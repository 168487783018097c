"""gelu_tanh and its derivative in NumPy, written by derive from the verified
walkthrough. Measured against mpmath, accurate to 1e-12 relative for |x| <= 1e+150; elsewhere
it may lose accuracy, overflow or give nan. Within it, numerically stable: no overflow
warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = x*(tanh(sqrt(2)*(8943*x**3/200000 + x)/sqrt(pi)) + 1)/2
    f'(x) = sqrt(2)*x*(1 - tanh(sqrt(2)*(8943*x**3/200000 + x)/sqrt(pi))**2)*(26829*x**2/200000 + 1)/(2*sqrt(pi)) + tanh(sqrt(2)*(8943*x**3/200000 + x)/sqrt(pi))/2 + 1/2
"""

import numpy as np


def _sech(u, e=None):
    """1/cosh(u) as 2e/(1 + e^2) from e = exp(-|u|): cosh itself overflows for |u| > 710."""
    e = np.exp(-np.abs(u)) if e is None else e
    return 2 * e / (1 + e * e)


def _sigmoid(u, e=None):
    """1/(1 + exp(-u)) from e = exp(-|u|), which never overflows: 1/(1 + e) for u >= 0,
    e/(1 + e) below. A caller computing sigmoid(u) and sigmoid(-u) passes one e to both."""
    e = np.exp(-np.abs(u)) if e is None else e
    return np.where(u >= 0, 1.0, e) / (1.0 + e)


def gelu_tanh(x):
    """gelu_tanh(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return x*_sigmoid(2*x*np.sqrt(2)*(1 + 8943*x**2/200000)/np.sqrt(np.pi))


def gelu_tanh_and_derivative(x):
    """(gelu_tanh(x), gelu_tanh'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    # f' is not a function of f alone: it is computed from x
    # e = exp(-|u|), computed once and given to each sigmoid, softplus, sech of +-u
    # (g is computed as gelu_tanh(x) computes it: the same value to the last bit)
    with np.errstate(over="ignore"):
        e = np.exp(-np.abs(2*x*np.sqrt(2)*(1 + 8943*x**2/200000)/np.sqrt(np.pi)))
        g = x*_sigmoid(2*x*np.sqrt(2)*(1 + 8943*x**2/200000)/np.sqrt(np.pi), e)
        dg = x*np.sqrt(2)*_sech(x*np.sqrt(2)*(1 + 8943*x**2/200000)/np.sqrt(np.pi))**2*(1 + 26829*x**2/200000)/(2*np.sqrt(np.pi)) + _sigmoid(2*x*np.sqrt(2)*(1 + 8943*x**2/200000)/np.sqrt(np.pi), e)
    return g, dg


def gelu_tanh_derivative(x):
    """gelu_tanh'(x) for a float or an array."""
    return gelu_tanh_and_derivative(x)[1]
