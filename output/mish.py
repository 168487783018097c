"""mish and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = x*tanh(log(exp(x) + 1))
    f'(x) = x*(1 - tanh(log(exp(x) + 1))**2)*exp(x)/(exp(x) + 1) + tanh(log(exp(x) + 1))
"""

import numpy as np


def _sech(u):
    """1/cosh(u) as 2 e^{-|u|}/(1 + e^{-2|u|}): cosh itself overflows for |u| > 710."""
    a = np.exp(-np.abs(u))
    return 2 * a / (1 + a * a)


def _sigmoid(u):
    """1/(1 + exp(-u)) without overflow: -logaddexp(0, -u) is never positive."""
    return np.exp(-np.logaddexp(0.0, -u))


def mish(x):
    """mish(x) for a float or an array."""
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore"):  # beyond the float range: inf or -inf, silently
        return x*np.tanh(np.logaddexp(0.0, x))


def mish_and_derivative(x):
    """(mish(x), mish'(x)), the derivative reusing the forward value."""
    x = np.asarray(x, dtype=float)
    m = mish(x)
    # f' is not a function of f alone: it is computed from x
    with np.errstate(over="ignore"):
        dm = x*_sech(np.logaddexp(0.0, x))**2*_sigmoid(x) + np.tanh(np.logaddexp(0.0, x))
    return m, dm


def mish_derivative(x):
    """mish'(x) for a float or an array."""
    return mish_and_derivative(x)[1]
