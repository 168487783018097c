"""gelu_tanh and its derivative in NumPy, written by derive from the verified
walkthrough. Numerically stable: no overflow warnings, no NaN, right limits; a value beyond the float range is inf or -inf.

    f(x)  = x*(tanh(sqrt(2)*(8943*x**3/200000 + x)/sqrt(pi)) + 1)/2
    f'(x) = sqrt(2)*x*(1 - tanh(sqrt(2)*(8943*x**3/200000 + x)/sqrt(pi))**2)*(26829*x**2/200000 + 1)/(2*sqrt(pi)) + tanh(sqrt(2)*(8943*x**3/200000 + x)/sqrt(pi))/2 + 1/2
"""

import numpy as np


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


def _log_abs_sum(*terms):
    """(log|S|, sign(S)) for S the sum of s*exp(L) over the terms (L, s), with the largest L
    taken out first: log(e^{2x} + 2x) at x = 700 is 1400, where e^{2x} itself is inf."""
    with np.errstate(all="ignore"):
        sizes = np.broadcast_arrays(*(np.asarray(size, dtype=float) for size, _ in terms))
        top = np.max(sizes, axis=0)
        top = np.where(np.isfinite(top), top, 0.0)
        total = sum(sign * np.exp(size - top) for size, (_, sign) in zip(sizes, terms))
        return top + np.log(np.abs(total)), np.sign(total)


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
        dg = np.sqrt(2)*_exp_product(lambda: x*_sech(x*np.sqrt(2)*(1 + 8943*x**2/200000)/np.sqrt(np.pi))**2*(1 + 26829*x**2/200000), lambda: 0, lambda: -2*np.log(1 + np.exp(-2*np.sqrt(2)*(1 + 8943*x**2/200000)*np.abs(x)/np.sqrt(np.pi))) + 2*np.log(2) - 2*np.sqrt(2)*(1 + 8943*x**2/200000)*np.abs(x)/np.sqrt(np.pi) + _log_abs_sum((0, 1), (2*np.log(np.abs(x)) + np.log(26829/200000), 1))[0] + np.log(np.abs(x)), lambda: np.sign(x)*_log_abs_sum((0, 1), (2*np.log(np.abs(x)) + np.log(26829/200000), 1))[1])/(2*np.sqrt(np.pi)) + _sigmoid(2*x*np.sqrt(2)*(1 + 8943*x**2/200000)/np.sqrt(np.pi), e)
    return g, dg


def gelu_tanh_derivative(x):
    """gelu_tanh'(x) for a float or an array."""
    return gelu_tanh_and_derivative(x)[1]
