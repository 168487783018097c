"""Trigonometric functions of an argument that floating point would round.

cos(3x) at x = 1e30: 3*x is off by up to 7e13 (half an ulp of 3e30), so np.cos(3*x) is
noise, although x itself is exact and np.cos(x) would be right (glibc reduces any float
argument exactly). Two mechanisms, chosen by the argument's own form:

- u = pi*(a*x + b) with a, b rational (sin(pi x), cos(pi/12 (x - 2))): sin(pi v) is computed
  from v reduced modulo 2 exactly (`_sinpi`, `_cospi`; fmod is exact), after x itself is
  reduced modulo the period 2/a where that is a float, so the zeros at integer and half v
  are exact zeros and no size of x loses anything. A further constant c (csc(pi x + 1)) is
  added by sin(A + c) = sin A cos c + cos A sin c.
- any other polynomial argument of degree <= 2 with number coefficients (3x, 5x - 1,
  t**2 + 3t + 1): u is computed as a double-double hi + lo (exact products by splitting,
  `_dd_poly`), then sin(hi + lo) = sin(hi) cos(lo) + cos(hi) sin(lo).

tan, sec, csc and cot are written through sin and cos of the same argument.
"""

from __future__ import annotations

import sympy

_MAX_DEGREE = 2


class _SinPi(sympy.Function):
    """sin(pi*v), exact at integer v."""


class _CosPi(sympy.Function):
    """cos(pi*v), exact at half-integer v."""


class _Fmod(sympy.Function):
    """fmod(x, p): x reduced modulo the period p, exactly."""


class _SinDD(sympy.Function):
    """sin(u) for a polynomial u in x, u computed in double-double. Args: u, x."""


class _CosDD(sympy.Function):
    """cos(u) for a polynomial u in x, u computed in double-double. Args: u, x."""


HELD = _SinPi | _CosPi | _SinDD | _CosDD  # other rewriting passes leave their arguments

HELPERS = {
    "_sinpi": '''def _sinpi(v):
    """sin(pi v) with v reduced exactly (fmod, then v -> 1 - v) into [-1/2, 1/2]: exact
    zeros at the integers, and no loss for large v."""
    r = np.fmod(v, 2.0)
    r = np.where(r > 1, r - 2, np.where(r < -1, r + 2, r))
    r = np.where(r > 0.5, 1 - r, np.where(r < -0.5, -1 - r, r))
    return np.sin(np.pi * r)''',
    "_cospi": '''def _cospi(v):
    """cos(pi v) = sin(pi (1/2 - r)) for r = |v| reduced exactly into [0, 1]: exact zeros
    at the half-integers."""
    r = np.abs(np.fmod(v, 2.0))
    r = np.where(r > 1, 2 - r, r)
    return _sinpi(0.5 - r)''',
    "_dd_poly": '''def _dd_poly(x, coefficients):
    """A polynomial in x with (hi, lo) coefficients, highest first, in double-double: its
    value as hi + lo, nearly exact (products are split into 26-bit halves, which cannot
    overflow before the product does)."""
    def split(a):
        m, e = np.frexp(a)
        high = np.ldexp(np.round(m * 67108864.0) / 67108864.0, e)
        return high, a - high

    def two_product(a, b):
        p = a * b
        ah, al = split(a)
        bh, bl = split(b)
        return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl

    def two_sum(a, b):
        s = a + b
        bb = s - a
        return s, (a - (s - bb)) + (b - bb)

    hi, lo = coefficients[0]
    hi, lo = hi + 0 * x, lo + 0 * x
    for c_hi, c_lo in coefficients[1:]:
        p, e = two_product(hi, x)
        e = e + lo * x
        hi, e2 = two_sum(p, c_hi)
        hi, lo = two_sum(hi, e + e2 + c_lo)
    return hi, lo''',
    "_sin_dd": '''def _sin_dd(hi, lo):
    """sin(hi + lo) = sin(hi) cos(lo) + cos(hi) sin(lo): np.sin reduces any float exactly."""
    return np.sin(hi) * np.cos(lo) + np.cos(hi) * np.sin(lo)''',
    "_cos_dd": '''def _cos_dd(hi, lo):
    """cos(hi + lo) = cos(hi) cos(lo) - sin(hi) sin(lo)."""
    return np.cos(hi) * np.cos(lo) - np.sin(hi) * np.sin(lo)''',
}
NEEDS = {"_cospi": ("_sinpi",), "_sin_dd": ("_dd_poly",), "_cos_dd": ("_dd_poly",)}

_TRIG = (sympy.sin, sympy.cos, sympy.tan, sympy.sec, sympy.csc, sympy.cot)


def exact_arguments(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """Every sin, cos, tan, sec, csc, cot of a polynomial argument rewritten as above."""
    if not expr.args or not expr.has(x) or isinstance(expr, HELD):
        return expr
    if isinstance(expr, sympy.Piecewise):
        return sympy.Piecewise(*[(exact_arguments(e, x), c) for e, c in expr.args])
    args = [exact_arguments(a, x) for a in expr.args]
    if args != list(expr.args):
        expr = expr.func(*args)
    if isinstance(expr, _TRIG):
        pair = _sin_cos(expr.args[0], x)
        if pair is not None:
            sin, cos = pair
            kind = type(expr)
            return {sympy.sin: sin, sympy.cos: cos, sympy.tan: sin / cos,
                    sympy.sec: 1 / cos, sympy.csc: 1 / sin, sympy.cot: cos / sin}[kind]
    return expr


def _sin_cos(u: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr] | None:
    """(sin u, cos u) in exact-argument form, or None where u needs none (u = x) or is not
    a polynomial of degree <= 2 with number coefficients."""
    try:
        poly = sympy.Poly(u, x)
    except sympy.PolynomialError:
        return None
    coefficients = poly.all_coeffs()
    if not 1 <= poly.degree() <= _MAX_DEGREE or not all(
            c.is_number and c.is_real for c in coefficients):
        return None
    if u == x:
        return None  # np.sin(x) is already right for every float x
    if poly.degree() == 1:
        a, b = coefficients
        q = sympy.nsimplify(a / sympy.pi) if a.has(sympy.pi) else None
        if q is not None and q.is_Rational:
            return _pi_form(q, b, x)
    return _SinDD(u, x), _CosDD(u, x)


def _pi_form(q: sympy.Rational, b: sympy.Expr, x: sympy.Symbol
             ) -> tuple[sympy.Expr, sympy.Expr]:
    """sin and cos of pi*q*x + b."""
    period = 2 / q
    reduced: sympy.Expr = x
    if float(period) == period and abs(period) < 2 ** 53:  # fmod by it is exact
        reduced = _Fmod(x, abs(period))
    d = sympy.nsimplify(b / sympy.pi) if b.has(sympy.pi) else (sympy.S.Zero if b == 0 else None)
    if d is not None and d.is_Rational:
        # one argument q*x + d: (p*x + d*q_den) / q_den keeps the zeros exact
        v = sympy.Mul(q.p * reduced + d * q.q, sympy.Rational(1, q.q), evaluate=False)
        return _SinPi(v), _CosPi(v)
    v = q * reduced
    return (_SinPi(v) * sympy.cos(b) + _CosPi(v) * sympy.sin(b),
            _CosPi(v) * sympy.cos(b) - _SinPi(v) * sympy.sin(b))


def dd_coefficients(u: sympy.Expr, x: sympy.Symbol) -> list[tuple[float, float]]:
    """u's coefficients, highest first, each as a float and the float of what it leaves."""
    found = []
    for c in sympy.Poly(u, x).all_coeffs():
        value = sympy.N(c, 40)
        hi = float(value)
        found.append((hi, float(value - sympy.Float(hi, 40))))
    return found
