"""Trigonometric functions of an argument that floating point would round.

cos(3x) at x = 1e30: 3*x is off by up to 7e13 (half an ulp of 3e30), so np.cos(3*x) is
noise, although x itself is exact and np.cos(x) would be right (glibc reduces any float
argument exactly). The mechanisms, chosen by the argument's own form:

- u = pi*(a*x + b) with a, b rational (sin(pi x), cos(pi/12 (x - 2))): sin(pi v) is computed
  from v reduced modulo 2 exactly (`_sinpi`, `_cospi`; fmod is exact), after x itself is
  reduced modulo the period 2/a where that is a float, so the zeros at integer and half v
  are exact zeros and no size of x loses anything. A further constant c (csc(pi x + 1)) is
  added by sin(A + c) = sin A cos c + cos A sin c.
- any other polynomial argument of degree <= 2 with number coefficients (3x, 5x - 1,
  t**2 + 3t + 1): u is computed as floats whose exact sum it is (exact products by
  splitting, `_expansion`), then sin of the sum by sin(a + b) = sin a cos b + cos a sin b
  from the largest part down (np.sin reduces each float exactly). With rational
  coefficients, from |u| = 2**53 on (two parts beyond pi each: their sin and cos combine to
  1e-16 absolute, not relative to a value near 0; and t**2 overflows beyond 1e154) u is
  instead reduced modulo 2 pi exactly, Payne-Hanek style: u(x) as a fraction of integers
  from x's exact ratio, 2 pi to as many bits as the largest u a float gives and 250 more,
  from Machin's formula in integers (`_mod_2pi`, `_polynomial_parts`).
- c/x (cos(1/t)): c/x and its rounding error (`_reciprocal`), and beyond |c/x| = 2**40,
  where twice float precision is not enough, c/x reduced modulo 2 pi exactly as above
  (`_reciprocal_parts`).

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
    """sin(u) for a polynomial u in x, u computed exactly as a sum of floats. Args: u, x and
    optionally what x is computed as (x reduced modulo a period)."""


class _CosDD(sympy.Function):
    """cos(u) for a polynomial u in x, u computed exactly as a sum of floats (as _SinDD)."""


class _SinPiPoly(sympy.Function):
    """sin(pi v) for a polynomial v in x with rational coefficients, v reduced modulo 2
    exactly. Args: v, x."""


class _CosPiPoly(sympy.Function):
    """cos(pi v), as _SinPiPoly."""


class _SinRec(sympy.Function):
    """sin(c/x) with c/x computed as a float and the rest of its exact value. Args: c, x."""


class _CosRec(sympy.Function):
    """cos(c/x), as _SinRec."""


# other rewriting passes leave their arguments
HELD = _SinPi | _CosPi | _SinDD | _CosDD | _SinRec | _CosRec | _SinPiPoly | _CosPiPoly

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
    "_expansion": '''def _expansion(x, coefficients):
    """A polynomial in x with (hi, lo) coefficients, highest first, as floats whose exact sum
    it is (Horner's scheme with exact products, from 26-bit halves that cannot overflow
    before the product does), renormalised so that each part lies below the last bit of the
    next (Shewchuk's grow-expansion), smallest first: 5x - 1 at x = 1e300 is parts of 5e300,
    about 1e284 and -1, which no double-double holds (`_renormal`)."""
    def split(a):
        m, e = np.frexp(a)
        high = np.ldexp(np.round(m * 67108864.0) / 67108864.0, e)
        return high, a - high

    def two_product(a, b):
        p = a * b
        ah, al = split(a)
        bh, bl = split(b)
        return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl

    hi, lo = coefficients[0]
    terms = [hi + 0 * x] + ([lo + 0 * x] if lo else [])
    for c_hi, c_lo in coefficients[1:]:
        terms = [part for t in terms for part in two_product(t, x)]
        terms += [c_hi + 0 * x] + ([c_lo + 0 * x] if c_lo else [])
    return _renormal(terms)''',
    "_pi_expansion": '''def _pi_expansion(x, numerators, d, pi_over_d):
    """pi N(x)/d for a polynomial N with integer coefficients (highest first) as floats whose
    sum it is, N(x) reduced modulo 2d first: a float from 2**53 on is an integer, where
    N(x) = N(fmod(x, 2d)) modulo 2d; below, each exact part of N(x) is reduced by fmod,
    which is exact. Then each part times pi/d (hi, lo), exactly, and renormalised."""
    r = np.where(np.abs(x) >= 2.0 ** 53, np.fmod(x, 2.0 * d), x)
    reduced = [np.fmod(p, 2.0 * d) for p in _expansion(r, [(float(n), 0.0) for n in numerators])]
    parts = [q for p in reduced for q in _expansion(p, [pi_over_d, (0.0, 0.0)])]
    return _renormal(parts)''',
    "_renormal": '''def _renormal(terms):
    """The terms as parts of the same exact sum, each below the last bit of the next."""
    def two_sum(a, b):
        s = a + b
        bb = s - a
        return s, (a - (s - bb)) + (b - bb)

    parts = []
    for q in terms:
        for i, h in enumerate(parts):
            q, parts[i] = two_sum(q, h)
        parts.append(q)
    return parts''',
    "_reciprocal": '''def _reciprocal(x, c):
    """c/x as [rest, q]: q = c/x rounded and the rest (c - q x)/x, the product q x split
    exactly, so that q + rest is c/x to twice float precision."""
    def split(a):
        m, e = np.frexp(a)
        high = np.ldexp(np.round(m * 67108864.0) / 67108864.0, e)
        return high, a - high

    with np.errstate(all="ignore"):
        q = c / x
        p = q * x
        qh, ql = split(q)
        xh, xl = split(x)
        e = ((qh * xh - p) + qh * xl + ql * xh) + ql * xl
        rest = np.where(np.isfinite(q) & (q != 0), ((c - p) - e) / x, 0.0)
    return [rest, q]''',
    "_two_pi": '''@functools.lru_cache(maxsize=None)
def _two_pi(bits):
    """2 pi times 2**bits, rounded to an integer, from Machin's formula in integers (pi/4 =
    4 atan(1/5) - atan(1/239), each term truncated: 67 guard bits cover the truncations)."""
    one = 1 << (bits + 67)

    def atan_inverse(n):
        total, term, k, sign = 0, one // n, 1, 1
        while term:
            total += sign * (term // k)
            term //= n * n
            k, sign = k + 2, -sign
        return total

    return (8 * (4 * atan_inverse(5) - atan_inverse(239)) + (1 << 66)) >> 67''',
    "_mod_2pi": '''def _mod_2pi(x, lanes, exact, bits):
    """u(x) reduced modulo 2 pi exactly, as three floats whose sum it is to 2**-150 relative
    (smallest first), in the lanes named, from u's exact value as a fraction U/D of integers
    (exact(p, q) for x = p/q): t**2 at t = 3e300 is 1e601, beyond the floats, and cos(1/t) at
    t = 1e-30 needs 1/t to 100 digits. u - 2 pi k for k the nearest integer to u/(2 pi),
    with 2 pi to `bits` bits, enough for every u a float x gives (and 150 more)."""
    x = np.asarray(x, dtype=float)
    parts = np.zeros((3,) + x.shape)
    flat = parts.reshape(3, -1)
    for i in np.flatnonzero(lanes):
        p, q = float(x.flat[i]).as_integer_ratio()
        numerator, denominator = exact(p, q)
        if denominator < 0:
            numerator, denominator = -numerator, -denominator
        two_pi, scale = _two_pi(bits), denominator << bits
        k = (2 * (numerator << bits) + denominator * two_pi) // (2 * denominator * two_pi)
        rest = (numerator << bits) - k * two_pi * denominator  # (u - 2 pi k) * scale
        for j in (2, 1, 0):
            value = rest / scale if rest else 0.0
            flat[j, i] = value
            a, b = value.as_integer_ratio()
            rest, scale = rest * b - a * scale, scale * b
    return list(parts)''',
    "_polynomial_parts": '''def _polynomial_parts(x, coefficients, numerators, d, bits):
    """u(x) = N(x)/d (N's integer coefficients highest first, the float coefficients of u
    beside) as `_expansion`'s exact parts where u is below 2**53, and reduced modulo 2 pi
    exactly (`_mod_2pi`) from there on: two parts beyond pi each (t**2 at 1e100 is 1e200 and
    about 1e184) give sin and cos of their sum to an absolute 1e-16, not relative to a
    value near 0, and beyond 1e154 the parts overflow."""
    with np.errstate(all="ignore"):
        parts = _expansion(x, coefficients)
        finite = np.logical_and.reduce([np.isfinite(p) for p in parts]) & (
            np.abs(parts[-1]) < 2.0 ** 53)
    if np.all(finite):
        return parts
    n = len(numerators) - 1

    def exact(p, q):
        return sum(c * p ** (n - i) * q ** i for i, c in enumerate(numerators)), d * q ** n

    lanes = ~finite & np.isfinite(x)
    reduced = _mod_2pi(x, lanes, exact, bits)
    return ([np.where(lanes, 0.0, p) for p in parts]
            + [np.where(lanes, r, 0.0) for r in reduced])''',
    "_reciprocal_parts": '''def _reciprocal_parts(x, c_numerator, c_denominator, bits):
    """c/x (c = c_numerator/c_denominator) as `_reciprocal`'s two floats where |c/x| is below
    2**40, and reduced modulo 2 pi exactly (`_mod_2pi`) beyond, where twice float precision
    leaves an error of |c/x| 2**-106 (0.004 at x = 1e-30)."""
    parts = _reciprocal(x, c_numerator / c_denominator)
    lanes = (np.abs(parts[-1]) >= 2.0 ** 40) & np.isfinite(parts[-1])
    if not np.any(lanes):
        return parts

    def exact(p, q):
        return c_numerator * q, c_denominator * p

    reduced = _mod_2pi(x, lanes, exact, bits)
    return ([np.where(lanes, 0.0, p) for p in parts]
            + [np.where(lanes, r, 0.0) for r in reduced])''',
    "_sin_sum": '''def _sin_sum(parts):
    """sin of the exact sum of the parts (smallest first), by sin(a + b) = sin a cos b +
    cos a sin b from the largest down: np.sin reduces any float exactly, and each further
    part is below the last bit of the sum so far, so nothing cancels."""
    return _sin_cos_sum(parts)[0]''',
    "_cos_sum": '''def _cos_sum(parts):
    """cos of the exact sum of the parts, as for _sin_sum."""
    return _sin_cos_sum(parts)[1]''',
    "_sin_cos_sum": '''def _sin_cos_sum(parts):
    s, c = np.sin(parts[-1]), np.cos(parts[-1])
    for h in reversed(parts[:-1]):
        sh, ch = np.sin(h), np.cos(h)
        s, c = s * ch + c * sh, c * ch - s * sh
    return s, c''',
}
NEEDS = {"_cospi": ("_sinpi",), "_sin_sum": ("_expansion", "_renormal", "_sin_cos_sum"),
         "_cos_sum": ("_expansion", "_renormal", "_sin_cos_sum")}
RECIPROCAL_NEEDS = ("_reciprocal", "_sin_cos_sum")
EXACT_RECIPROCAL_NEEDS = ("_reciprocal_parts", "_mod_2pi", "_two_pi", *RECIPROCAL_NEEDS)
EXACT_POLYNOMIAL_NEEDS = ("_polynomial_parts", "_mod_2pi", "_two_pi", "_expansion",
                          "_renormal", "_sin_cos_sum")
PI_POLY_NEEDS = ("_pi_expansion", "_expansion", "_renormal", "_sin_cos_sum")

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
    c = sympy.cancel(u * x)
    if not c.has(x) and c.is_number and c.is_real and c != 0:
        return _SinRec(c, x), _CosRec(c, x)  # c/x: 1/t rounded beside t = 0 moves cos(1/t)
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
        if b == 0 and a.is_Rational and (abs(a.p) == 1 or abs(a.q) == 1) and (
                abs(a.p) * abs(a.q)) & (abs(a.p) * abs(a.q) - 1) == 0:
            return None  # x/2, 4x: exact in floating point (but below 1e-307 or over 1e308)
        q = sympy.nsimplify(a / sympy.pi) if a.has(sympy.pi) else None
        if q is not None and q.is_Rational:
            return _pi_form(q, b, x)
    v = sympy.expand(u / sympy.pi)
    if poly.degree() > 1 and all(c.is_Rational for c in sympy.Poly(v, x).all_coeffs()):
        return _SinPiPoly(v, x), _CosPiPoly(v, x)  # pi*x**2: reduced modulo 2 exactly
    return _SinDD(u, x), _CosDD(u, x)


def _pi_form(q: sympy.Rational, b: sympy.Expr, x: sympy.Symbol
             ) -> tuple[sympy.Expr, sympy.Expr]:
    """sin and cos of pi*q*x + b."""
    period = 2 / q
    reduced: sympy.Expr = x
    if sympy.Rational(float(period)) == period and abs(period) < 2 ** 53:  # fmod is exact
        reduced = _Fmod(x, abs(period))
    d = sympy.nsimplify(b / sympy.pi) if b.has(sympy.pi) else (sympy.S.Zero if b == 0 else None)
    if d is not None and d.is_Rational:
        # one argument q*x + d: (p*x + d*q_den) / q_den keeps the zeros exact
        v = sympy.Mul(q.p * reduced + d * q.q, sympy.Rational(1, q.q), evaluate=False)
        return _SinPi(v), _CosPi(v)
    # a constant b that is no rational multiple of pi: pi*q*r + b for r = x reduced, summed
    # exactly (sin(pi r) cos b + cos(pi r) sin b would cancel beside each zero)
    u = sympy.pi * q * x + b
    return _SinDD(u, x, reduced), _CosDD(u, x, reduced)


def pi_poly_arguments(v: sympy.Expr, x: sympy.Symbol) -> tuple[list[int], int, tuple[float, float]]:
    """v = N(x)/d: N's integer coefficients (highest first), d, and pi/d as (hi, lo)."""
    coefficients = sympy.Poly(v, x).all_coeffs()
    d = int(sympy.ilcm(*(sympy.Rational(c).q for c in coefficients)))
    value = sympy.N(sympy.pi / d, 40)
    hi = float(value)
    return [int(c * d) for c in coefficients], d, (hi, float(value - sympy.Float(hi, 40)))


def dd_coefficients(u: sympy.Expr, x: sympy.Symbol) -> list[tuple[float, float]]:
    """u's coefficients, highest first, each as a float and the float of what it leaves."""
    found = []
    for c in sympy.Poly(u, x).all_coeffs():
        value = sympy.N(c, 40)
        hi = float(value)
        found.append((hi, float(value - sympy.Float(hi, 40))))
    return found


# 2 pi to the bits that reduce every value a float x gives: k = u/(2 pi) has as many bits as
# u, and the remainder keeps 250 more (2**-150 relative, for remainders down to 2**-100)
_GUARD_BITS = 250


def exact_polynomial(u: sympy.Expr, x: sympy.Symbol) -> tuple[list[int], int, int] | None:
    """u = N(x)/d with N's integer coefficients (highest first), d, and the bits of 2 pi
    that reduce u(x) for every float x; None unless u's coefficients are rational."""
    coefficients = sympy.Poly(u, x).all_coeffs()
    if not all(c.is_Rational for c in coefficients):
        return None
    d = int(sympy.ilcm(*(sympy.Rational(c).q for c in coefficients)))
    numerators = [int(c * d) for c in coefficients]
    degree = len(numerators) - 1
    bits = 1024 * degree + sum(abs(n) for n in numerators).bit_length() + _GUARD_BITS
    return numerators, d, bits


def exact_reciprocal(c: sympy.Expr) -> tuple[int, int, int] | None:
    """c as numerator and denominator, and the bits of 2 pi that reduce c/x for every float
    x (down to 2**-1074); None unless c is rational."""
    if not c.is_Rational:
        return None
    c = sympy.Rational(c)
    return int(c.p), int(c.q), 1074 + int(c.p).bit_length() + _GUARD_BITS
