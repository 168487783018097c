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


def _exp_product(direct, exponent, log_size, sign):
    """g*exp(U) (each argument a function of nothing, so it is computed here): as written
    where no factor can over- or underflow, sign(g)*exp(U + log|g|) elsewhere, where written
    out it would be inf*0 or lose digits to a subnormal factor."""
    with np.errstate(all="ignore"):  # what is computed and not used may warn
        u = exponent()
        # an infinite exponent (x**2 beyond 1e154) outgrows log|g|, however large g is
        total = np.where(np.isinf(u), u, u + log_size())
        value = direct()
        # a size that is nan (0**0 at x = 1 for (x**2 - 1)**log(x)) leaves the value as written
        safe = (np.abs(u) < 700) & ~(np.abs(total) >= 600) & np.isfinite(value) & (value != 0)
        return np.where(safe, value, sign() * np.exp(total))[()]


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
        dg = _erfc(-x*np.sqrt(2)/2)/2 + np.sqrt(2)*_exp_product(lambda: x*np.exp(-x**2/2), lambda: -x**2/2, lambda: np.log(np.abs(x)), lambda: np.sign(x))/(2*np.sqrt(np.pi))
    return g, dg


def gelu_derivative(x):
    """gelu'(x) for a float or an array."""
    return gelu_and_derivative(x)[1]
