"""Sums that cancel near 0: their Taylor polynomial there, derived by SymPy.

x - tanh(x) at x = 1e-3 is 3.3e-10, the difference of two numbers near 1e-3: it keeps 6
of 16 digits; e^t - sin t - cos t, log(cos x) (cos x rounds towards 1) and
(1 - sin x)**2 - (x + cos x)*cos x lose the same way. Such a part is found by its own form:
a sum whose Taylor series at 0 starts at a higher order than its terms' do, or a log of
something equal to 1 at 0. For |x| < RADIUS it is computed from its Taylor polynomial (TERMS
terms beyond the first, so the remainder is below 1e-16 relative there); from RADIUS on the
direct form, which then loses at most about 3 eps / RADIUS**2 = 4e-13 relative.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy

RADIUS = 0.03
TERMS = 12  # 0.03**11 < 1e-16: enough beyond the leading term for double precision
_MAX_NODES = 60  # series of larger parts are not tried (SymPy's series grows fast)


class _NearZero(sympy.Function):
    """A part that cancels near 0. Args: its Taylor polynomial, the part itself, x."""

    def _eval_is_extended_real(self) -> bool:
        return True  # a real part of f (Abs and sign of it stay as they are, no conjugate)


def near_zero(expr: sympy.Expr, x: sympy.Symbol,
              handled: Callable[[sympy.Expr], bool] = lambda e: False) -> sympy.Expr:
    """Each part of expr that cancels near 0, wrapped as `_NearZero` (outermost first),
    but those `handled` says a stable block already covers (exp(x) - 1 is expm1(x))."""
    if not expr.args or not expr.has(x) or isinstance(
            expr, _NearZero | sympy.core.relational.Relational):
        return expr
    if isinstance(expr, sympy.Piecewise):
        return sympy.Piecewise(*[(near_zero(e, x, handled), c) for e, c in expr.args])
    if _cancels_at_zero(expr, x) and not handled(expr):
        polynomial = _taylor(expr, x)
        if polynomial is not None:
            return _NearZero(polynomial, expr, x)
    args = [near_zero(a, x, handled) for a in expr.args]
    return expr.func(*args) if args != list(expr.args) else expr


def _order(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr | None:
    """The order of expr's leading term at 0 (None when it is not a power of x)."""
    try:
        lead = sympy.S(expr).as_leading_term(x)
    except (NotImplementedError, ValueError, TypeError, ZeroDivisionError):
        return None
    _, power = lead.as_coeff_exponent(x)
    if lead.has(sympy.log) or not power.is_Rational:
        return None
    return power


_ANALYTIC = (sympy.exp, sympy.log, sympy.sin, sympy.cos, sympy.tan, sympy.sec, sympy.csc,
             sympy.cot, sympy.sinh, sympy.cosh, sympy.tanh, sympy.atan, sympy.asin,
             sympy.asinh, sympy.atanh, sympy.erf)
_PROBE = sympy.Rational(1, 1000)


def _cancels_at_zero(expr: sympy.Expr, x: sympy.Symbol) -> bool:
    """A sum of functions analytic at 0 (no kinks, no fractional powers), finite there,
    whose value at x = 1e-3 is below 1% of its largest term's, and whose series starts at a
    higher order than its terms'; or a log of something equal to 1 at 0."""
    if not isinstance(expr, sympy.Add | sympy.log) or expr.free_symbols != {x} \
            or sympy.count_ops(expr) > _MAX_NODES:
        return False
    if any(not isinstance(f, _ANALYTIC) for f in expr.atoms(sympy.Function)) or any(
            not p.exp.is_Integer for p in expr.atoms(sympy.Pow)):
        return False
    if isinstance(expr, sympy.log):
        inner = expr.args[0]
        return bool(inner.subs(x, 0) == 1) and inner.has(x)
    values = []
    for term in (expr, *expr.args):
        at_zero = term.subs(x, 0)
        if not (at_zero.is_number and at_zero.is_finite):
            return False
        value = term.evalf(30, subs={x: _PROBE})
        if not value.is_number or not value.is_real:
            return False
        values.append(abs(value))
    if not values[0] < sympy.Rational(1, 100) * max(values[1:]):
        return False
    orders = [_order(term, x) for term in expr.args]
    if any(o is None for o in orders):
        return False
    whole = _order(expr, x)
    return whole is not None and whole > min(orders)  # type: ignore[type-var]


def _taylor(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr | None:
    """Its Taylor polynomial at 0 with TERMS terms beyond the leading one, in Horner form;
    None where the series is not a plain power series."""
    start = _order(expr, x)
    if start is None or not start.is_Integer or start < 1:
        return None
    try:
        series = sympy.series(expr, x, 0, int(start) + TERMS + 1).removeO()
    except (NotImplementedError, ValueError, TypeError, ZeroDivisionError):
        return None
    try:
        poly = sympy.Poly(series, x)
    except sympy.PolynomialError:
        return None
    if not all(c.is_number for c in poly.all_coeffs()):
        return None
    return sympy.horner(poly.as_expr(), x)


HELPER = '''def _near_zero(x, radius, series, direct):
    """series(x) (a Taylor polynomial) for |x| < radius, where the direct form cancels;
    direct(x) elsewhere. Each is evaluated only where it is used."""
    small = np.abs(x) < radius
    out = np.where(small, series(np.where(small, x, 0.0)), 0.0)
    if not np.all(small):
        out = np.where(small, out, direct(np.where(small, radius, x)))
    return out[()]'''
