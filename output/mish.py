"""mish and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = x*tanh(log(exp(x) + 1))
    f'(x) = x*(1 - tanh(log(exp(x) + 1))**2)*exp(x)/(exp(x) + 1) + tanh(log(exp(x) + 1))
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


def _softplus(u, e=None):
    """log(1 + exp(u)) from e = exp(-|u|), without overflow: max(u, 0) + log1p(e)."""
    e = np.exp(-np.abs(u)) if e is None else e
    return np.maximum(u, 0.0) + np.log1p(e)


def mish(x):
    """mish(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return x*np.tanh(_softplus(x))


def mish_and_derivative(x):
    """(mish(x), mish'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    # f' is not a function of f alone: it is computed from x
    # e = exp(-|x|), computed once and given to each sigmoid, softplus, sech of +-x
    # (m is computed as mish(x) computes it: the same value to the last bit)
    with np.errstate(over="ignore"):
        e = np.exp(-np.abs(x))
        m = x*np.tanh(_softplus(x, e))
        dm = x*_sech(_softplus(x, e))**2*_sigmoid(x, e) + np.tanh(_softplus(x, e))
    return m, dm


def mish_derivative(x):
    """mish'(x) for a float or an array."""
    return mish_and_derivative(x)[1]
