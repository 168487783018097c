"""NumPy code for f and f', written from the verified derivation.

The derivative reuses the forward value where the walkthrough found f' in terms of f
(``s = _sigmoid(x); ds = s * (1 - s)``): that is the seeds' point about backpropagation.

Naive transcriptions overflow: ``1/(1 + np.exp(-x))`` warns at x = -1000 and
``np.where(x > 0, x, np.exp(x) - 1)`` evaluates the discarded branch everywhere. So before
printing, the expression is rewritten into numerically stable building blocks:

- ``(1 + exp(v))**-n``        -> ``_sigmoid(-v)**n``        (never overflows)
- ``exp(w) * _sigmoid(-w)``   -> ``_sigmoid(w)``            (e^w/(1+e^w))
- ``log(1 + exp(u))``         -> ``np.logaddexp(0, u)``
- ``exp(u) - 1``, ``1 - exp(u)`` -> ``np.expm1(u)``, ``-np.expm1(u)`` (no cancellation)
- ``sech``, ``csch``          -> forms in ``exp(-|u|)``
- ``Piecewise``               -> each piece evaluated only where it applies.

The generated file is our own output, never user text; tests execute it against mpmath.
"""

from __future__ import annotations

import keyword
import math
import re
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

import sympy
from sympy.printing.str import StrPrinter

from derive.analysis import codegen_accuracy as accuracy
from derive.analysis import codegen_exp as exponentials
from derive.analysis import codegen_roots as roots
from derive.analysis import codegen_series as series
from derive.analysis import codegen_trig as trig
from derive.analysis import codegen_trig_rational as trig_rational
from derive.errors import CodegenError

if TYPE_CHECKING:
    from derive.model import Derivation

DEFAULT_PARAMETER = 1.0  # the value the plots use, so code and picture agree
_BIG_RATIONAL = 10**6  # rationals with larger parts print as floats (SELU's constants)


# --- stable building blocks, as SymPy functions so rewriting can match on them ------------

class _Sigmoid(sympy.Function):
    """1/(1 + exp(-u))."""


class _Softplus(sympy.Function):
    """log(1 + exp(u))."""


class _Expm1(sympy.Function):
    """exp(u) - 1."""


class _Erfc(sympy.Function):
    """erfc(u), held: SymPy would rewrite erfc(-u) as 2 - erfc(u), the cancellation itself."""


class _LogCosh(sympy.Function):
    """log(cosh(u))."""


HELPERS = {
    "_sigmoid": '''def _sigmoid(u, e=None):
    """1/(1 + exp(-u)) from e = exp(-|u|), which never overflows: 1/(1 + e) for u >= 0,
    e/(1 + e) below. A caller computing sigmoid(u) and sigmoid(-u) passes one e to both."""
    e = np.exp(-np.abs(u)) if e is None else e
    return np.where(u >= 0, 1.0, e) / (1.0 + e)''',
    "_softplus": '''def _softplus(u, e=None):
    """log(1 + exp(u)) from e = exp(-|u|), without overflow: max(u, 0) + log1p(e)."""
    e = np.exp(-np.abs(u)) if e is None else e
    return np.maximum(u, 0.0) + np.log1p(e)''',
    "_piecewise": '''def _piecewise(args, pieces):
    """Evaluate each piece only where its condition first holds, so that a discarded
    branch (such as exp(x) for large x) is never computed."""
    args = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in args))
    out = np.full(args[0].shape, np.nan)
    left = np.ones(args[0].shape, dtype=bool)
    for condition, value in pieces:
        mask = left & np.asarray(condition(*args), dtype=bool)
        out[mask] = value(*(a[mask] for a in args))
        left &= ~mask
    return out[()]''',
    "_erf": '''def _erf(u):
    """The error function, elementwise (NumPy has none; math.erf is exact to 1 ulp)."""
    return np.vectorize(math.erf, otypes=[float])(u)''',
    "_erfc": '''def _erfc(u):
    """The complementary error function, elementwise."""
    return np.vectorize(math.erfc, otypes=[float])(u)''',
    "_log_cosh": '''def _log_cosh(u):
    """log(cosh(u)) without overflow or cancellation: log1p(2 sinh^2(u/2)) near 0 (where
    cosh(u) - 1 is tiny), |u| - log 2 + log1p(e^{-2|u|}) beyond (where cosh overflows)."""
    a = np.abs(u)
    near = np.minimum(a, 1.0)
    return np.where(a < 1.0, np.log1p(2 * np.sinh(near / 2) ** 2),
                    a - np.log(2.0) + np.log1p(np.exp(-2 * a)))''',
    "_log_over": '''def _log_over(u, hi, lo):
    """log(u/r) for r = hi + lo (r to twice float precision): log1p((u - r)/r) beside u = r,
    where log(u) - log(r) would cancel; log(u) - log(r) elsewhere."""
    d = (u - hi) - lo
    near = np.abs(d) < 0.5 * hi
    return np.where(near, np.log1p(np.where(near, d, 0.0) / hi), np.log(u) - np.log(hi))''',
    "_log_shifted": '''def _log_shifted(u, d, hi):
    """log(u/r) from u and d = u - r computed apart, exactly (r = hi to float precision):
    log1p(d/r) beside u = r, log(u) - log(r) elsewhere."""
    near = np.abs(d) < 0.5 * hi
    return np.where(near, np.log1p(np.where(near, d, 0.0) / hi), np.log(u) - np.log(hi))''',
    "_where_subnormal": '''def _where_subnormal(value, reused, x, logs):
    """f' from the forward value (reused), but from logs where that value is subnormal or 0
    and x is not: f' = f g with g unbounded is a normal float there, and f has few digits
    left (x**pi*pi**x at x = 1e-100 is 2e-314, with 9; pi f/x is 2e-214). logs(x) gives
    log|f| + log|g| from x (pi log|x| + x log(pi) + ...) and the sign of f g."""
    small = (np.abs(value) < 2.2250738585072014e-308) & np.isfinite(x)
    if not np.any(small):
        return reused
    x, reused, small = np.broadcast_arrays(x, reused, small)
    out = np.array(reused, dtype=float)
    with np.errstate(all="ignore"):  # x = 0 itself, say: the reused value stands there
        size, sign = logs(x[small])
        from_logs = sign * np.exp(size)
    out[small] = np.where(np.isfinite(from_logs), from_logs, reused[small])
    return out[()]''',
    "_by_size": '''def _by_size(x, bound, n, near, far):
    """A rational function of degree n at infinity: near(x) for |x| <= bound, and beyond
    x**n * far(1/x), whose numerator and denominator are polynomials in 1/x: multiplied out
    at |x| = 1e200 they would overflow to inf/inf although the value is finite."""
    big = np.abs(x) > bound
    out = np.where(big, 0.0, near(np.where(big, bound, x)))
    if np.any(big):
        u = np.where(big, x, 2 * bound)
        out = np.where(big, u ** n * far(1 / u), out)
    return out[()]''',
    "_sech": '''def _sech(u, e=None):
    """1/cosh(u) as 2e/(1 + e^2) from e = exp(-|u|): cosh itself overflows for |u| > 710."""
    e = np.exp(-np.abs(u)) if e is None else e
    return 2 * e / (1 + e * e)''',
    "_csch": '''def _csch(u):
    """1/sinh(u) as 2 sign(u) e^{-|u|}/(1 - e^{-2|u|}), which never overflows."""
    a = np.exp(-np.abs(u))
    return 2 * np.sign(u) * a / -np.expm1(-2 * np.abs(u))''',
}
HELPERS.update(trig.HELPERS)
HELPERS["_near_zero"] = series.HELPER
HELPERS["_near_roots"] = roots.HELPER
HELPERS["_exp_product"] = exponentials.HELPER
HELPERS["_log_abs_sum"] = exponentials.SUM_HELPER
HELPERS["_finite_or"] = exponentials.FINITE_HELPER
_HELPER_IMPORTS = {"_erf": "math", "_erfc": "math", "_two_pi": "functools"}


def _stable(expr: sympy.Expr) -> sympy.Expr:
    """Rewrite bottom-up into the stable building blocks named in the module docstring."""
    if not expr.args or isinstance(expr, sympy.Piecewise | sympy.core.relational.Relational
                                   | _BySize | trig.HELD | series._NearZero):
        if isinstance(expr, sympy.Piecewise):
            return sympy.Piecewise(*[(_stable(e), _stable_condition(c)) for e, c in expr.args])
        return expr
    args = [_stable(a) for a in expr.args]
    if args != list(expr.args):  # rebuilding re-evaluates (Max and Min slowly): only on change
        expr = expr.func(*args)
    if isinstance(expr, sympy.log) and len(expr.args) == 1:
        u = _one_plus_exp(expr.args[0])
        if u is not None:
            return _Softplus(u)
        if isinstance(expr.args[0], sympy.cosh):
            return _LogCosh(expr.args[0].args[0])
        split = _split_log(expr.args[0])
        if split is not None:
            return split
    if isinstance(expr, sympy.Pow):
        base, power = expr.args
        u = _one_plus_exp(base)
        if u is not None and power.is_Integer and power < 0:
            return _Sigmoid(-u) ** (-power)
    if isinstance(expr, sympy.Mul):
        return _merge_sigmoids(expr)
    if isinstance(expr, sympy.acos | sympy.asin):
        return _by_atan2(expr)
    if isinstance(expr, sympy.Add):
        complement = _sigmoid_complement(expr)
        if complement is not None:
            return _stable(complement)
        shifted_atan = _shifted_atan(expr)
        if shifted_atan is not None:
            return shifted_atan
        shifted = _shifted_log(expr)
        return shifted if shifted is not None else _use_expm1(expr)
    return expr


class _Atan2(sympy.Function):
    """atan2(a, b): the angle of (b, a), in (-pi, pi]."""


def _by_atan2(expr: sympy.Expr) -> sympy.Expr:
    """acos v as atan2(sqrt(1 - v^2), v), asin v as atan2(v, sqrt(1 - v^2)), for v = sqrt(w)
    (1 - v^2 = 1 - w without v's rounding): arccos of sqrt(x) rounded beside 1 keeps only
    that rounding."""
    (v,) = expr.args
    if not (isinstance(v, sympy.Pow) and v.exp == sympy.S.Half):
        return expr  # np.arccos of an exact argument is already right
    root = sympy.sqrt(1 - v.base)
    return _Atan2(root, v) if isinstance(expr, sympy.acos) else _Atan2(v, root)


def _shifted_atan(expr: sympy.Add) -> sympy.Expr | None:
    """c + k*atan(u) (numbers c, k; a zero at u0 = tan(-c/k)) as k*atan2(u - u0, 1 + u*u0),
    the difference atan(u) - atan(u0) without cancelling beside u0 (in (-pi, pi), so atan2
    gives it exactly)."""
    constant, rest = expr.as_independent(*expr.free_symbols, as_Add=True) \
        if expr.free_symbols else (expr, sympy.S.Zero)
    if constant == 0 or not constant.is_number or isinstance(rest, sympy.Add):
        return None
    k, core = rest.as_independent(*rest.free_symbols, as_Add=False)
    if not isinstance(core, sympy.atan) or not (k.is_number and k.is_nonzero and k.is_real):
        return None
    shift = -constant / k
    if not abs(float(shift)) < math.pi / 2:
        return None  # never 0
    (u,) = core.args
    u0 = sympy.tan(shift)
    return k * _Atan2(_Minus(u, u0), 1 + u * sympy.Float(sympy.N(u0, 40), 40))


def _sigmoid_complement(expr: sympy.Add) -> sympy.Expr | None:
    """c - c*sigma(u) as c*sigma(-u): 1 - sigma(40) by subtraction is 0 (sigma(40) rounds to
    1), sigma(-40) is 4.2e-18; log(1 - sigma(x)) is then -softplus(x), not log(0)."""
    constant, rest = expr.as_independent(*expr.free_symbols, as_Add=True) \
        if expr.free_symbols else (expr, sympy.S.Zero)
    if constant == 0:
        return None
    for term in sympy.Add.make_args(rest):
        coefficient, factor = term.as_independent(*term.free_symbols, as_Add=False)
        if isinstance(factor, _Sigmoid) and coefficient == -constant:
            return rest - term + constant * _Sigmoid(-factor.args[0])
    return None


def _split_log(u: sympy.Expr) -> sympy.Expr | None:
    """log of a product or power as the sum of its factors' logs, when every factor but at
    most one is positive by its form (e^v, a constant c > 0, an even power, 1 + e^v, a
    sigmoid): log(t e^t) = log t + t does not overflow at t = 1000, log(x**2) = 2 log|x| not
    at 1e300, log(1/(1 + e^-x)) = -softplus(-x) not at -1e300. The one factor of unknown
    sign is positive wherever the log is real, so its log is the log of its base."""
    factors = sympy.Mul.make_args(u)
    if len(factors) == 1 and not isinstance(u, sympy.Pow | _Sigmoid):
        return None
    terms: list[sympy.Expr] = []
    unknown: list[sympy.Expr] = []
    for factor in factors:
        if factor.is_number:
            if not factor.is_positive:
                return None
            terms.append(sympy.log(factor))
            continue
        if isinstance(factor, sympy.exp):
            terms.append(factor.args[0])
            continue
        base, n = factor.as_base_exp()
        if not n.is_number:
            return None
        if isinstance(base, _Sigmoid):
            terms.append(-n * _Softplus(-base.args[0]))
        elif (v := _one_plus_exp(base)) is not None:
            terms.append(n * _Softplus(v))
        elif n.is_Integer and n % 2 == 0:
            terms.append(n * sympy.log(sympy.Abs(base)))
        elif base.is_positive:
            terms.append(n * sympy.log(base))
        else:
            unknown.append(n * sympy.log(base))
    if len(unknown) > 1 or not terms:
        return None
    return sympy.Add(*terms, *unknown)


def _stable_condition(condition: sympy.Basic) -> sympy.Basic:
    """A piece's condition with its sides rewritten too: alpha*(exp(x) - 1) < 0 is False at
    x = -1e-30 in floating point (exp(x) rounds to 1), alpha*expm1(x) < 0 is True."""
    if isinstance(condition, sympy.core.relational.Relational):
        sides = [_stable(side) for side in condition.args]
        if sides != list(condition.args):
            return condition.func(*sides, evaluate=False)
        return condition
    if isinstance(condition, sympy.And | sympy.Or | sympy.Not):
        parts = [_stable_condition(c) for c in condition.args]
        return condition.func(*parts) if parts != list(condition.args) else condition
    return condition


class _Minus(sympy.Function):
    """x - r for a real number r, computed as (x - hi) - lo with hi + lo = r to twice float
    precision: exact beside r, where x - float(r) would keep only the rounding of r."""


exponentials.LINEAR.append(_Minus)


class _LogOver(sympy.Function):
    """log(u/r) for a number r > 0: c + k*log(u) is k*log(u/e^{-c/k}), and beside u = r
    (x**x's 1 + log(x) at 1/e) log(u) - log(r) cancels where log1p((u - r)/r) does not."""


def _shifted_log(expr: sympy.Expr) -> sympy.Expr | None:
    """c + k*log(u) (numbers c != 0, k) as k*_LogOver(u, e^{-c/k})."""
    if not isinstance(expr, sympy.Add):
        return None
    constant, rest = expr.as_independent(*expr.free_symbols, as_Add=True)
    if constant == 0 or not constant.is_number or isinstance(rest, sympy.Add):
        return None
    k, core = rest.as_independent(*rest.free_symbols, as_Add=False)
    if not isinstance(core, sympy.log | _LogOver) or not (
            k.is_number and k.is_nonzero and k.is_real):
        return None
    # c + k log(u/r) (log(9x) = log(x/(1/9)) already) is k log(u/(r e^{-c/k}))
    r = core.args[1] if isinstance(core, _LogOver) else sympy.S.One
    return k * _LogOver(core.args[0], r * sympy.exp(-constant / k))


class _BySize(sympy.Function):
    """A rational function R(x) of degree n at infinity (n = deg N - deg D), evaluated as
    `near` for |x| <= bound and as x**n * far(1/x) beyond, where far(t) = t**n R(1/t) is a
    ratio of polynomials in t with their leading coefficients at t = 0. Args: near, far (in
    `_FAR`), n, bound, x. Multiplying out overflows long before the value does: x/(1 + x**2)
    is inf/inf at 1e200, x**-1 * 1/(1 + t**2) is 1e-200."""


_FAR = sympy.Symbol("_t")  # 1/x in the far form (a Python name no argument can take)
_SIZE_EXPONENT = 250  # far from x**d overflowing: the near form's bound is 10**(250/d)


def _by_size(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """Every maximal rational function of x of degree >= 2 (numerator or denominator) as a
    `_BySize`, its near form written by its roots; the rest by `_by_roots`."""
    if not expr.args or not isinstance(expr, sympy.Expr) or isinstance(
            expr, trig.HELD | series._NearZero) or not expr.has(x):
        return expr
    if isinstance(expr, sympy.Piecewise):
        return sympy.Piecewise(*[(_by_size(e, x), c) for e, c in expr.args])
    sized = _sized(expr, x)
    if sized is not None:
        return sized
    if isinstance(expr, sympy.Add | sympy.Mul) and all(
            a.is_rational_function(x) for a in expr.args if a.has(x)):
        return _by_roots(expr, x)  # a sum whose rational parts were each too small to size
    if isinstance(expr, sympy.Add):
        rooted = _add_by_roots(expr, x)
        if rooted is not None:
            return rooted
    args = [_by_size(a, x) for a in expr.args]
    return expr.func(*args) if args != list(expr.args) else expr


def _sized(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr | None:
    if not expr.is_rational_function(x) or (expr.is_polynomial(x) and sympy.degree(expr, x) < 2):
        return None
    numerator, denominator = sympy.fraction(sympy.together(expr))
    try:
        top, bottom = sympy.Poly(numerator, x), sympy.Poly(denominator, x)
    except sympy.PolynomialError:
        return None
    size = max(top.degree(), bottom.degree())
    if size < 2 or min(top.degree(), bottom.degree()) < 1 or (
            top.is_monomial and bottom.is_monomial):
        # a polynomial (Horner or by roots), c/q(x), c*x**k: each overflows only where its
        # value does; only a quotient of two growing parts meets inf/inf
        return None
    if not all(c.is_number or not c.has(x) for c in top.all_coeffs() + bottom.all_coeffs()):
        return None
    bound = sympy.Float(10.0 ** (_SIZE_EXPONENT // size))
    for p in (top, bottom):  # every root lies within Cauchy's bound 1 + max |a_i / a_n|
        coefficients = p.all_coeffs()
        if p.degree() > 0 and all(c.is_number for c in coefficients):
            reach = 1 + max(abs(float(c / coefficients[0])) for c in coefficients[1:])
            if reach * 100 > bound:
                return None  # a root out where the far form would be inaccurate beside it
    n = top.degree() - bottom.degree()
    t = _FAR
    far_top = sympy.horner(sympy.expand(top.as_expr().subs(x, 1 / t) * t ** top.degree()), t)
    far_bottom = sympy.horner(
        sympy.expand(bottom.as_expr().subs(x, 1 / t) * t ** bottom.degree()), t)
    # x**(deg N) / x**(deg D) = x**n: far(t) = far_top(t)/far_bottom(t)
    # near: over one denominator with common factors cancelled ((x**3 - 2x**2)/(2x**2) is
    # (x - 2)/2; -2t**3/(2 + t**2)**2 + 2t/(2 + t**2) cancels at t = 1e30, 4t/(2 + t**2)**2
    # does not), each polynomial by its roots
    common = top.gcd(bottom)
    near_top, near_bottom = (_polynomial_by_roots(p.as_expr(), x) or p.as_expr()
                             for p in (top.quo(common), bottom.quo(common)))
    return _BySize(near_top / near_bottom, far_top / far_bottom, sympy.Integer(n), bound, x)


class _Thunk(sympy.Function):
    """An argument printed as `lambda: arg`: the helper computes it under its own errstate."""


class _PositiveQuadratic(sympy.Function):
    """x**2 + b*x + c with no real root (b, c floats): far from zero on the whole line."""


_MAX_ROOT_DEGREE = 12  # polynomials whose factors have at most this degree: by their roots


def _by_roots(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """Every polynomial in x with number coefficients, written as lc·∏(x − r) over its real
    roots (times quadratics with none): 14*x - 5 cancels beside x = 5/14 and 7*x**2 - 5*x
    overflows to inf - inf at 1e300, lc·(x − r₁)(x − r₂) does neither. Bottom-up."""
    if not expr.args or isinstance(expr, sympy.core.relational.Relational | _BySize
                                   | trig.HELD | series._NearZero) or not expr.has(x):
        return expr
    if isinstance(expr, sympy.Piecewise):
        return sympy.Piecewise(*[(_by_roots(e, x), c) for e, c in expr.args])
    if isinstance(expr, sympy.Add):
        rooted = _add_by_roots(expr, x)
        if rooted is not None:
            return rooted
    args = [_by_roots(a, x) for a in expr.args]
    return expr.func(*args) if args != list(expr.args) else expr


def _add_by_roots(expr: sympy.Add, x: sympy.Symbol) -> sympy.Expr | None:
    """A sum written by the roots of its polynomial parts, or None where none applies."""
    rooted = _polynomial_by_roots(expr, x)
    if rooted is not None:
        return rooted
    if expr.is_polynomial(x) and sympy.degree(expr, x) >= 2 and not all(
            c.is_number for c in sympy.Poly(expr, x).all_coeffs()) and all(
            sympy.Poly(term, x).is_monomial for term in expr.args):
        # written out, with parameters: nested, a*x**3 + b*x**2 is never inf - inf (a
        # power of a sum such as (x - y)**2 stays as it is: expanded it would cancel)
        return sympy.horner(expr, x)
    # e^x sin x + e^x cos x is inf - inf where e^x overflows, e^x (sin x + cos x) is not
    common = sympy.factor_terms(expr)
    if isinstance(common, sympy.Mul) and any(isinstance(a, sympy.Add) for a in common.args) \
            and any(exponentials.exponent_of(a, x) is not None for a in common.args):
        # (3**w log 3 - 3**w log 2)/2**w too: 3**w/2**w (log 3 - log 2)
        return sympy.Mul(*(_by_roots(a, x) for a in common.args))
    # -1 + 2/x cancels beside 2, (2 - x)/x does not; nor does 1/√x − (x + 7)/(2x^{3/2})
    # beside 7 as (x − 7)/(2x^{3/2}): over one denominator, the numerator by its roots
    numerator, denominator = sympy.fraction(sympy.together(expr))
    top = _polynomial_by_roots(sympy.expand(numerator), x)
    if top is None and denominator.has(x):
        top = _linear_by_root(sympy.expand(numerator), x)
    if top is None and numerator.is_polynomial(x) and denominator.is_polynomial(x) and \
            sympy.Poly(numerator, x).is_monomial:
        # -(x - 2)/x + 3(x - 4/3)/(2x) is x/(2x) = 1/2: nothing is left to cancel
        return sympy.cancel(numerator / denominator)
    if top is not None:
        bottom = _polynomial_by_roots(sympy.expand(denominator), x)
        # sqrt(1 - x**2) below: its own sum by its roots, as everywhere else
        return top / (bottom if bottom is not None else _by_roots(denominator, x))
    # (1 - 2x²)·e^{-x²} written out as a sum: its polynomial factor, then the roots
    common = sympy.factor_terms(expr)
    if isinstance(common, sympy.Mul) and any(
            isinstance(a, sympy.Add) and (_polynomial_by_roots(a, x) is not None
                                          or _shifted_log(a) is not None)
            for a in common.args):
        return sympy.Mul(*(_by_roots(a, x) for a in common.args))
    return None


def _linear_by_root(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr | None:
    """a*x + b with parameters in a, b as a*(x + b/a): 1 - y/x is (x - y)/x, exact beside
    x = y (at y = 1, x - 1 is exact near 1; 1 - 1/x keeps only the rounding of 1/x)."""
    try:
        poly = sympy.Poly(expr, x)
    except sympy.PolynomialError:
        return None
    if poly.degree() != 1:
        return None
    a, b = poly.all_coeffs()
    if a.has(x) or b.has(x) or b == 0 or (a.is_number and b.is_number):
        return None
    return a * sympy.Add(x, sympy.cancel(b / a))


def _polynomial_by_roots(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr | None:
    try:
        poly = sympy.Poly(expr, x)
    except sympy.PolynomialError:
        return None
    if not 1 <= poly.degree() <= 4 * _MAX_ROOT_DEGREE or not all(
            c.is_number and c.is_real for c in poly.all_coeffs()):
        return None
    if poly.degree() == 1 and not all(c.is_Rational or c.has(sympy.Float)
                                      for c in poly.all_coeffs()):
        # 1 + x*log(5) (x*5**x's f'): its root -1/log(5) to twice float precision
        a, b = poly.all_coeffs()
        return a * _minus(x, -b / a) if b != 0 else None
    floats = any(c.has(sympy.Float) for c in poly.all_coeffs())
    if floats:  # the floats the code will hold, exactly
        poly = sympy.Poly([sympy.Rational(float(c)) for c in poly.all_coeffs()], x)
    if not (poly.domain.is_ZZ or poly.domain.is_QQ) or poly.is_monomial:
        return None
    lc, factors = sympy.factor_list(poly.as_expr(), x)
    if any(sympy.degree(factor, x) > _MAX_ROOT_DEGREE for factor, _ in factors):
        return None  # each irreducible factor's roots, up to this degree
    parts: list[sympy.Expr] = [sympy.Float(float(lc)) if floats else lc]
    rooted = False
    for factor, multiplicity in factors:
        fpoly = sympy.Poly(factor, x)
        if fpoly.degree() == 1:
            a, b = fpoly.all_coeffs()
            parts.append(a * _minus(x, -b / a) ** multiplicity if a != 1 else
                         _minus(x, -b) ** multiplicity)
            rooted = rooted or b != 0  # x itself is exact: x + c*x**3 stays as it is
            continue
        roots = sympy.Poly(factor, x).nroots(n=40)
        real = [r for r in roots if r.is_real]
        if not real:
            parts.append(factor ** multiplicity)
            continue
        rooted = True
        pieces = [_minus(x, r) for r in real]
        complex_roots = [r for r in roots if not r.is_real and sympy.im(r) > 0]
        for z in complex_roots:
            pieces.append(_PositiveQuadratic(x, sympy.Float(float(-2 * sympy.re(z))),
                                             sympy.Float(float(abs(z) ** 2))))
        parts.append(fpoly.LC() * sympy.Mul(*pieces) ** multiplicity)
    if not rooted:
        # no root beside which it cancels; nested (Horner) it never meets inf - inf: at
        # -1e300, s**4/4 + s**3/3 is inf - inf, ((s/4 + 1/3)*s)*s*s is inf
        return sympy.horner(expr) if poly.degree() >= 3 and not floats else None
    return sympy.Mul(*parts)


def _minus(x: sympy.Symbol, r: sympy.Expr) -> sympy.Expr:
    """x - r, held as a function: SymPy would distribute 6*(x + 3) back into 6*x + 18."""
    return x if r == 0 else _Minus(x, r)


def _one_plus_exp(expr: sympy.Expr) -> sympy.Expr | None:
    """u when expr is 1 + exp(u)."""
    if isinstance(expr, sympy.Add) and len(expr.args) == 2 and sympy.S.One in expr.args:
        other = expr.args[0] if expr.args[1] == 1 else expr.args[1]
        if isinstance(other, sympy.exp):
            return other.args[0]
    return None


def _merge_sigmoids(expr: sympy.Mul) -> sympy.Expr:
    """exp(w) * _sigmoid(-w)**n -> _sigmoid(w) * _sigmoid(-w)**(n-1); sinh(u)/cosh(u) ->
    tanh(u) (both overflow beyond |u| = 710, their quotient does not)."""
    factors = list(expr.args)
    for i, factor in enumerate(factors):
        if isinstance(factor, sympy.sinh) and sympy.cosh(factor.args[0]) ** -1 in factors:
            j = factors.index(sympy.cosh(factor.args[0]) ** -1)
            factors[i], factors[j] = sympy.tanh(factor.args[0]), sympy.S.One
            return sympy.Mul(*factors)
    for i, factor in enumerate(factors):
        if not isinstance(factor, sympy.exp):
            continue
        w = factor.args[0]
        for j, other in enumerate(factors):
            base, n = other.as_base_exp()
            if isinstance(base, _Sigmoid) and base.args[0] == -w and n.is_Integer and n > 0:
                factors[i] = _Sigmoid(w)
                factors[j] = base ** (n - 1)
                return sympy.Mul(*factors)
    return expr


def _use_expm1(expr: sympy.Add) -> sympy.Expr:
    """c*exp(u) - c -> c*expm1(u): no cancellation near u = 0; c ± c*tanh(u) -> 2c*σ(±2u)
    and c - c*tanh(u)^2 -> c*sech(u)^2: no cancellation where tanh(u) is near ∓1."""
    constant, rest = expr.as_independent(*expr.free_symbols, as_Add=True) if expr.free_symbols \
        else (expr, sympy.S.Zero)
    if constant == 0:
        return _use_expm1_with_parameters(expr)
    for term in sympy.Add.make_args(rest):
        coefficient, factor = term.as_independent(*term.free_symbols, as_Add=False)
        base, power = factor.as_base_exp()
        if isinstance(base, sympy.erf) and power == 1 and abs(coefficient) == abs(constant):
            u = base.args[0]  # 1 + erf(u) = erfc(-u): no cancellation where erf(u) is near -1
            return rest - term + constant * _Erfc(-u if coefficient == constant else u)
        if isinstance(base, sympy.tanh) and abs(coefficient) == abs(constant):
            u = base.args[0]
            if power == 1:
                sign = 1 if coefficient == constant else -1
                return rest - term + 2 * constant * _Sigmoid(2 * sign * u)
            if power == 2 and coefficient == -constant:
                return rest - term + constant * sympy.sech(u) ** 2
    for term in sympy.Add.make_args(rest):
        coefficient, factor = term.as_independent(*term.free_symbols, as_Add=False)
        if isinstance(factor, sympy.exp) and coefficient == -constant:
            return rest - term + coefficient * _Expm1(factor.args[0])
    return _use_expm1_with_parameters(expr)


def _use_expm1_with_parameters(expr: sympy.Add) -> sympy.Expr:
    """k*e^u + c with c a parameter's expression (no symbol of u) as k*expm1(u) + (k + c):
    e^x - y at y = 1 is exact beside x = 0 so, and no worse for any other y."""
    for term in expr.args:
        coefficient, factor = term.as_coeff_Mul()
        if not isinstance(factor, sympy.exp):
            continue
        u = factor.args[0]
        c = sympy.Add(*(t for t in expr.args if t is not term
                        and not t.free_symbols & u.free_symbols))
        if c.free_symbols and not c.has(sympy.exp):
            rest = expr - term - c
            return rest + coefficient * _Expm1(u) + (coefficient + c)
    return expr


_HELD = (trig.HELD, series._NearZero)  # parts built already, left as they are


def _for_computing(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """expr rewritten for floating point: parts that cancel near 0 by their Taylor
    polynomial there, trig arguments exact, rational functions by size, polynomials by their
    roots, the stable blocks."""
    def passes(e: sympy.Expr) -> sympy.Expr:
        stable = _stable(_by_size(trig.exact_arguments(
            trig_rational.over_one_denominator(e, x, _HELD), x), x))
        return _floats_for_big_rationals(exponentials.exp_products(
            stable, x, skip=(_BySize, trig.HELD, series._NearZero),
            polish=lambda e: _by_roots(e, x)))

    marked = series.near_zero(expr, x, handled=lambda e: _stable(e) != e)
    near = {n: series._NearZero(n.args[0], passes(n.args[1]), x)
            for n in marked.atoms(series._NearZero)}
    return passes(marked.xreplace(near) if near else marked)


def _outgrowing_logs(backward: sympy.Expr, value: sympy.Symbol, f: sympy.Expr,
                     x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr] | None:
    """For backward = value*g with a polynomial factor of x in g's numerator or denominator
    (g unbounded: where the forward value is subnormal, its digits gone, f' may be a normal
    float, as pi*f/x for x**pi*pi**x at 1e-100) and f a product of powers: log|f g| and the
    sign of f g, from x (pi log|x| + x log(pi) + log|g|). None otherwise (a sigmoid's
    s*sigma(-x) cannot outgrow s)."""
    if isinstance(backward, sympy.Piecewise) or backward.has(sympy.Piecewise):
        return None
    g = sympy.cancel(backward / value)
    if g.has(value) or not any(
            base.has(x) and base.is_polynomial(x) and sympy.degree(base, x) >= 1
            for part in sympy.together(g).as_numer_denom()
            for base in (factor.as_base_exp()[0]
                         for factor in sympy.Mul.make_args(sympy.factor_terms(part)))):
        return None
    size, sign = sympy.log(sympy.Abs(g)), sympy.sign(g)
    for factor in sympy.Mul.make_args(f):
        base, exponent = factor.as_base_exp()
        if base == sympy.E:
            size += exponent
        elif exponent.is_Integer:
            size += exponent * sympy.log(sympy.Abs(base))
            sign *= sympy.sign(base) ** exponent
        elif base.is_positive or (base == x and exponent.is_number):
            # a number's power, or x**c for c not an integer: real only for x > 0
            size += exponent * sympy.log(sympy.Abs(base))
        else:
            return None
    return size, sign


def _complements(backward: sympy.Expr, value: sympy.Symbol, f: sympy.Expr,
                 x: sympy.Symbol) -> sympy.Expr | None:
    """f' in terms of the forward value with every c + k·value (c ≠ 0) taken from x instead:
    1 - s by subtraction is 0 where s rounds to 1 (σ at x = 40), so it is computed as what
    it equals, σ(-x), which has no cancellation. None when a part cannot be rewritten so
    (the caller then computes f' from x)."""
    if isinstance(backward, sympy.Piecewise):
        # each piece on its own interval, where f's kinks have one branch: softsign's f + 1
        # for x <= 0 is x/(1 - x) + 1 = 1/(1 - x) there (1 + x + |x| would cancel)
        regions = _regions(backward, x)
        pieces = []
        for (piece, condition), region in zip(backward.args, regions, strict=True):
            on_region = _on_region(f, x, region) if region is not None else f
            done = _complements(piece, value, on_region, x)
            if done is None:
                return None
            pieces.append((done, condition))
        return sympy.Piecewise(*pieces)
    replacements: dict[sympy.Expr, sympy.Expr] = {}
    for node in sympy.preorder_traversal(backward):
        if not isinstance(node, sympy.Add) or not node.has(value):
            continue
        try:
            poly = sympy.Poly(node, value)
        except sympy.PolynomialError:
            return None
        if poly.coeff_monomial(1) == 0 or poly.degree() < 1:
            continue
        factored = sympy.factor(node, value) if poly.degree() > 1 else node
        parts = []
        for factor in sympy.Mul.make_args(factored):
            base, power = factor.as_base_exp()
            if not base.has(value):
                parts.append(factor)
                continue
            if sympy.Poly(base, value).degree() != 1:
                return None
            from_x = _stable(_combined(base.xreplace({value: f})))
            if from_x.has(sympy.Piecewise, sympy.exp) or (
                    isinstance(from_x, sympy.Add) and from_x.as_independent(x)[0] != 0):
                # still a constant plus something, or a bare exponential that overflows
                return None
            parts.append(from_x ** power)
        replacements[node] = sympy.Mul(*parts)
    return backward.xreplace(replacements) if replacements else backward


def _combined(expr: sympy.Expr) -> sympy.Expr:
    """c + k·f(x) as one term, by exact rewriting: 1 - 1/(1 + e^{-x}) = e^{-x}/(1 + e^{-x}),
    α + α(e^x - 1) = α e^x. (sympy.simplify did this at the cost of importing
    sympy.physics.units on first use, a third of a cold run.)"""
    return sympy.together(sympy.expand(expr))


def _regions(pieces: sympy.Piecewise, x: sympy.Symbol
             ) -> list[tuple[sympy.Expr, sympy.Expr] | None]:
    """The open interval (lo, hi) where each piece applies (its condition, and no earlier
    one's), or None where it is not one interval."""
    found: list[tuple[sympy.Expr, sympy.Expr] | None] = []
    covered: sympy.Set = sympy.S.EmptySet
    for _, condition in pieces.args:
        try:
            where = (sympy.S.Reals if condition is sympy.true else condition.as_set())
        except (NotImplementedError, TypeError, AttributeError):
            return [None] * len(pieces.args)
        own = where - covered
        covered = covered | where
        interval = own.closure if own is not sympy.S.EmptySet else None
        found.append((interval.start, interval.end) if isinstance(interval, sympy.Interval)
                     else None)
    return found


def _on_region(f: sympy.Expr, x: sympy.Symbol, region: tuple[sympy.Expr, sympy.Expr]
               ) -> sympy.Expr:
    """f on the interval, with each kink (|x|, max, ...) that does not switch inside it
    replaced by its branch there; f itself where that cannot be decided."""
    from derive.engine import kinks

    lo, hi = region
    if not f.has(*kinks.KINKED):
        return f
    try:
        pieces = kinks.smooth_pieces(f, x)
    except kinks.Unsupported:
        return f
    for start, end, piece in pieces:
        if (start == lo or (start < lo) == sympy.true) and (end == hi or (hi < end) == sympy.true):
            return piece
    return f


# --- where the document says f' does not exist -------------------------------------------

# The notes and facts that name points where a piece of f has a kink or a jump.
_NAMED_POINTS = ("kink", "jump", "not differentiable")


def undefined_points(derivation: Derivation) -> list[sympy.Expr]:
    """The real points the document names as kinks or jumps (its notes, and the Result's
    "where defined" line) at which f' indeed does not exist: the one-sided derivatives of f
    differ there, or f itself jumps. A named point where f is smooth after all (|x|**3 at 0:
    the note is about |x|) is left out; there the code gives the derivative's value."""
    x = derivation.variable
    named: list[sympy.Expr] = []
    for note in derivation.notes:
        if note.kind == "kink":
            named += list(note.part("points").args)  # type: ignore[union-attr]
        elif note.kind in _NAMED_POINTS:
            named += _roots(note.part("where"), x)
    for step in derivation.steps:
        for fact in step.facts:
            if fact.rule == "where defined":
                named += list(fact.part("points").args)  # type: ignore[union-attr]
    # points may hold parameters (the hinge max(0, 1 - y*x) has its kink at x = 1/y)
    named = [p for p in dict.fromkeys(named)
             if p.is_real is not False and p.is_infinite is not True and not p.has(x)]
    if not named:
        return []
    f = derivation.function.body
    fprime = derivation.value_of(derivation.result)
    return sorted((p for p in named if not _smooth_at(f, fprime, x, p)),
                  key=lambda p: (not p.is_number, float(p) if p.is_number else 0.0,
                                 sympy.default_sort_key(p)))


def _roots(u: sympy.Expr, x: sympy.Symbol) -> list[sympy.Expr]:
    from derive.engine import kinks

    try:
        return list(kinks._real_roots(u, x))
    except kinks.Unsupported:
        pass
    try:
        found = sympy.solveset(u, x, sympy.S.Reals)
    except (NotImplementedError, ValueError, TypeError):
        return []
    return list(found) if isinstance(found, sympy.FiniteSet) else []


def _sides(expr: sympy.Expr, x: sympy.Symbol, p: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """expr's limits at p from the left and from the right, through its smooth pieces
    (nan when the pieces cannot be found)."""
    from derive.engine import kinks

    try:
        pieces = kinks.smooth_pieces(expr, x)
    except kinks.Unsupported:
        return sympy.nan, sympy.nan
    left = next((e for lo, hi, e in pieces if hi == p), None)
    right = next((e for lo, hi, e in pieces if lo == p), None)
    if left is None or right is None:  # p inside one piece: expr is smooth there
        piece = next((e for lo, hi, e in pieces if kinks.between(lo, p, hi) or lo == hi), None)
        if piece is None:  # p a root SymPy cannot place among the breakpoints: not found
            return sympy.nan, sympy.nan
        left = right = piece
    return tuple(sympy.limit(e, x, p, d) if e.subs(x, p).has(sympy.nan, sympy.zoo)
                 else e.subs(x, p) for e, d in ((left, "-"), (right, "+")))


def _smooth_at(f: sympy.Expr, fprime: sympy.Expr, x: sympy.Symbol, p: sympy.Expr) -> bool:
    """f continuous at p and its derivative's one-sided limits equal and finite there."""
    try:
        f_left, f_right = _sides(f, x, p)
        d_left, d_right = _sides(fprime, x, p)
        values = (f_left, f_right, f.subs(x, p), d_left, d_right)
    # a piece's condition compared with nan (selu(selu(x/3)/x) at 0), a max of values SymPy
    # cannot compare (ValueError, at a CRootOf): smoothness not shown
    except (TypeError, ValueError):
        return False
    if any(v.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) for v in values):
        return False
    # values at a point: expanding decides them (alpha - 1 for ELU stays undecided: not smooth)
    return all(sympy.expand(a - b) == 0
               for a, b in ((f_left, f_right), (f_left, values[2]), (d_left, d_right)))


def _domain(f: sympy.Expr, x: sympy.Symbol) -> str:
    """Where f is real, as the conditions its parts impose (log u: u > 0, u^v with v
    depending on x: u > 0, a root: u ≥ 0, ...), those SymPy's assumptions do not already
    decide; "" when f is real for every real x as far as these parts go."""
    conditions: list[sympy.Basic] = []

    def need(condition: sympy.Basic) -> None:
        if condition is not sympy.true and condition not in conditions:
            conditions.append(condition)

    for node in sympy.preorder_traversal(f):
        if isinstance(node, sympy.log):
            need(sympy.Gt(node.args[0], 0))
        elif isinstance(node, sympy.Pow):
            base, exponent = node.args
            if exponent.has(x) and base.has(x):
                need(sympy.Gt(base, 0))
            elif exponent.is_Rational and not exponent.is_Integer and exponent.q % 2 == 0:
                need(sympy.Gt(base, 0) if exponent < 0 else sympy.Ge(base, 0))
        elif isinstance(node, sympy.asin | sympy.acos):
            need(sympy.Le(sympy.Abs(node.args[0]), 1))
        elif isinstance(node, sympy.acosh):
            need(sympy.Ge(node.args[0], 1))
        elif isinstance(node, sympy.atanh):
            need(sympy.Lt(sympy.Abs(node.args[0]), 1))
    if not conditions:
        return ""
    return f"{x} with " + " and ".join(sympy.sstr(c) for c in conditions)


def _nan_at(expr: sympy.Expr, x: sympy.Symbol, points: tuple[sympy.Expr, ...]) -> sympy.Expr:
    """expr, but nan at each point (a Piecewise whose conditions leave a point out already
    gives nan there)."""
    if isinstance(expr, sympy.Piecewise):
        points = tuple(p for p in points
                       if any(c.xreplace({x: p}) is not sympy.false for _, c in expr.args))
    if not points:
        return expr
    at = sympy.Or(*(sympy.Eq(x, p) for p in points))
    return sympy.Piecewise((sympy.nan, at), (expr, True), evaluate=False)


def _polynomial_in(expr: sympy.Expr, value: sympy.Symbol) -> bool:
    """A polynomial in the forward value (with coefficients in x): the forms that stay finite
    wherever the value is; e^{-f}, 1/f and the like can meet 0·inf or 0/0."""
    if isinstance(expr, sympy.Piecewise):
        return all(_polynomial_in(e, value) for e, _ in expr.args)
    try:
        poly = sympy.Poly(expr, value)
    except sympy.PolynomialError:
        return False
    return not any(c.has(value) for c in poly.coeffs())


def _floats_for_big_rationals(expr: sympy.Expr) -> sympy.Expr:
    """SELU's constants are exact 31-digit rationals; code wants a 17-digit float."""
    big = {r: sympy.Float(r, 17) for r in expr.atoms(sympy.Rational)
           if not r.is_Integer and max(abs(r.p), r.q) > _BIG_RATIONAL}
    return expr.xreplace(big) if big else expr


def _computed_from(expr: sympy.Expr) -> set[sympy.Symbol]:
    """The symbols a value is computed from; a piece's condition only selects."""
    if isinstance(expr, sympy.Piecewise):
        return set().union(*(_computed_from(e) for e, _ in expr.args))
    return set(expr.free_symbols)


# --- one exponential for every block of u and -u ----------------------------------------

_BLOCKS = (_Sigmoid, _Softplus, sympy.sech)  # functions of u and exp(-|u|)


def _magnitude(u: sympy.Expr) -> sympy.Expr:
    """u or -u, whichever is canonical: σ(u) and σ(-u) both come from exp(-|u|)."""
    return -u if u.could_extract_minus_sign() else u


def _blocks(expr: sympy.Expr) -> list[sympy.Expr]:
    """|u| of every block outside a Piecewise (whose pieces see only their masked x)."""
    found: list[sympy.Expr] = []
    if isinstance(expr, sympy.Piecewise):
        return found
    if isinstance(expr, _BLOCKS):
        found.append(_magnitude(expr.args[0]))
    for arg in expr.args:
        found += _blocks(arg)
    return found


def _shared_exponentials(forward: sympy.Expr, backward: sympy.Expr) -> list[sympy.Expr]:
    """The |u| whose exp(-|u|) the backward pass would otherwise compute more than once (its
    own blocks, or the forward value's as well), in order of first use."""
    ahead, behind = _blocks(forward), _blocks(backward)
    return [u for u in dict.fromkeys(behind)
            if behind.count(u) > 1 or u in ahead]


# --- printing --------------------------------------------------------------------------

_NUMPY_NAMES = {
    "exp": "np.exp", "log": "np.log", "sin": "np.sin", "cos": "np.cos", "tan": "np.tan",
    "asin": "np.arcsin", "acos": "np.arccos", "atan": "np.arctan",
    "sinh": "np.sinh", "cosh": "np.cosh", "tanh": "np.tanh",
    "asinh": "np.arcsinh", "acosh": "np.arccosh", "atanh": "np.arctanh",
    "Abs": "np.abs", "sign": "np.sign", "_Expm1": "np.expm1",
    "erf": "_erf", "erfc": "_erfc", "csch": "_csch", "_LogCosh": "_log_cosh",
    "_Erfc": "_erfc",
}
_RECIPROCALS = {"sec": "np.cos", "csc": "np.sin", "cot": "np.tan", "coth": "np.tanh"}
# arcsec u = arccos(1/u), and so on: NumPy has the inverse of each reciprocal's partner.
_OF_RECIPROCAL = {"asec": "np.arccos", "acsc": "np.arcsin", "acot": "np.arctan",
                  "asech": "np.arccosh", "acsch": "np.arcsinh", "acoth": "np.arctanh"}


class NumPyCodePrinter(StrPrinter):
    """SymPy's str printer (valid Python, right precedence) with NumPy names.

    `helpers` collects the module-level helper functions the printed code calls.
    """

    def __init__(self, arguments: tuple[str, ...],
                 shared: dict[sympy.Expr, str] | None = None) -> None:
        super().__init__({"order": "none"})
        self.arguments = arguments  # the names a _piecewise lambda takes
        self.helpers: set[str] = set()
        # |u| -> the variable holding exp(-|u|), computed once for every block of u and -u
        self.shared = shared or {}

    def _block(self, name: str, expr: sympy.Expr) -> str:
        """A helper of u and exp(-|u|), given the shared exponential where there is one."""
        (u,) = expr.args
        self.helpers.add(name)
        shared = self.shared.get(_magnitude(u))
        return f"{name}({self._print(u)}" + (f", {shared})" if shared else ")")

    def _print__Sigmoid(self, expr: sympy.Expr) -> str:
        return self._block("_sigmoid", expr)

    def _print_sech(self, expr: sympy.Expr) -> str:
        return self._block("_sech", expr)

    def _call(self, name: str, *args: sympy.Basic) -> str:
        if name.startswith("_"):
            self.helpers.add(name)
        return f"{name}({', '.join(self._print(a) for a in args)})"

    def _print_Function(self, expr: sympy.Function) -> str:
        name = type(expr).__name__
        if name in _NUMPY_NAMES:
            return self._call(_NUMPY_NAMES[name], *expr.args)
        if name in _RECIPROCALS:
            return f"(1 / {self._call(_RECIPROCALS[name], *expr.args)})"
        if name in _OF_RECIPROCAL:
            (arg,) = expr.args
            text = self._print(arg)
            return f"{_OF_RECIPROCAL[name]}(1 / {text if arg.is_Atom else f'({text})'})"
        raise CodegenError(f"no NumPy translation for {name}")

    def _print_log(self, expr: sympy.log) -> str:
        return self._call("np.log", expr.args[0])

    def _print__Softplus(self, expr: sympy.Expr) -> str:
        return self._block("_softplus", expr)

    def _print_Heaviside(self, expr: sympy.Expr) -> str:
        # H(0) = 1/2, as SymPy and so the document define it (f' at a jump is nan anyway)
        return f"np.heaviside({self._print(expr.args[0])}, 0.5)"

    def _print_MinMaxBase(self, expr: sympy.Expr, name: str) -> str:
        *rest, last = expr.args
        text = self._print(last)
        for arg in reversed(rest):
            text = f"{name}({self._print(arg)}, {text})"
        return text

    def _print_Max(self, expr: sympy.Max) -> str:
        return self._print_MinMaxBase(expr, "np.maximum")

    def _print_Min(self, expr: sympy.Min) -> str:
        return self._print_MinMaxBase(expr, "np.minimum")

    def _print_Pow(self, expr: sympy.Pow, rational: bool = False) -> str:
        base, power = expr.args
        if power == sympy.S.Half:
            return self._call("np.sqrt", base)
        if power == -sympy.S.Half:
            return f"(1 / {self._call('np.sqrt', base)})"
        if power == sympy.Rational(1, 3):
            return self._call("np.cbrt", base)
        return super()._print_Pow(expr, rational)

    def _print__Minus(self, expr: sympy.Expr) -> str:
        x, r = expr.args
        value = sympy.N(r, 40)
        hi = float(value)
        lo = float(value - sympy.Float(hi, 40))
        text = self._print(x)
        for part in (hi, lo):  # (x - hi) - lo, left to right; lo is 0 where r is a float
            if part:
                size = abs(part)
                shown = repr(int(size)) if size.is_integer() and size < 2**53 else repr(size)
                text += f" - {shown}" if part > 0 else f" + {shown}"
        return f"({text})"

    def _print__LogOver(self, expr: sympy.Expr) -> str:
        u, r = expr.args
        value = sympy.N(r, 40)
        hi = float(value)
        lo = float(value - sympy.Float(hi, 40))
        if isinstance(u, sympy.log) and 0 < float(sympy.N(sympy.exp(r), 20)) < math.inf:
            # u = log(w) beside r: u - r = log(w/e^r) from w itself (log(log(x)) + 1 beside
            # x = e^(1/e): log(x) rounded is 3e-17 off, 3e-12 of log(x) - 1/e at 1e-5 from it)
            self.helpers.add("_log_shifted")
            inner = self._print(_LogOver(u.args[0], sympy.exp(r)))
            return f"_log_shifted({self._print(u)}, {inner}, {hi!r})"
        self.helpers.add("_log_over")
        return f"_log_over({self._print(u)}, {hi!r}, {lo!r})"

    def _print__NearZero(self, expr: sympy.Expr) -> str:
        polynomial, direct, x = expr.args
        self.helpers.add("_near_zero")
        name = self._print(x)
        return (f"_near_zero({name}, {series.RADIUS!r}, lambda {name}: "
                f"{self._print(polynomial)}, lambda {name}: {self._print(direct)})")

    def _print__SinPi(self, expr: sympy.Expr) -> str:
        return self._call("_sinpi", *expr.args)

    def _print__CosPi(self, expr: sympy.Expr) -> str:
        self.helpers.add("_sinpi")
        return self._call("_cospi", *expr.args)

    def _print__Fmod(self, expr: sympy.Expr) -> str:
        x, period = expr.args
        return f"np.fmod({self._print(x)}, {float(period)!r})"

    def _print__SinDD(self, expr: sympy.Expr) -> str:
        return self._exact_sum("_sin_sum", expr)

    def _print__CosDD(self, expr: sympy.Expr) -> str:
        return self._exact_sum("_cos_sum", expr)

    def _print__SinPiPoly(self, expr: sympy.Expr) -> str:
        return self._pi_poly("_sin_sum", expr)

    def _print__CosPiPoly(self, expr: sympy.Expr) -> str:
        return self._pi_poly("_cos_sum", expr)

    def _pi_poly(self, name: str, expr: sympy.Expr) -> str:
        v, x = expr.args
        numerators, d, pi_over_d = trig.pi_poly_arguments(v, x)
        self.helpers.update((name, *trig.PI_POLY_NEEDS))
        return f"{name}(_pi_expansion({self._print(x)}, {numerators}, {d}, {pi_over_d!r}))"

    def _print__SinRec(self, expr: sympy.Expr) -> str:
        return self._reciprocal("_sin_sum", expr)

    def _print__CosRec(self, expr: sympy.Expr) -> str:
        return self._reciprocal("_cos_sum", expr)

    def _reciprocal(self, name: str, expr: sympy.Expr) -> str:
        c, x = expr.args
        exact = trig.exact_reciprocal(c)
        if exact is None:
            self.helpers.update((name, *trig.RECIPROCAL_NEEDS))
            return f"{name}(_reciprocal({self._print(x)}, {float(c)!r}))"
        # c/x beyond 2**40 reduced modulo 2 pi exactly (cos(1/t) at t = 1e-30)
        self.helpers.update((name, *trig.EXACT_RECIPROCAL_NEEDS))
        numerator, denominator, bits = exact
        return f"{name}(_reciprocal_parts({self._print(x)}, {numerator}, {denominator}, {bits}))"

    def _exact_sum(self, name: str, expr: sympy.Expr) -> str:
        u, x, *reduced = expr.args
        coefficients = ", ".join(f"({hi!r}, {lo!r})" for hi, lo in trig.dd_coefficients(u, x))
        variable = self._print(reduced[0] if reduced else x)
        exact = None if reduced else trig.exact_polynomial(u, x)
        if exact is None:
            self.helpers.update((name, *trig.NEEDS[name]))
            return f"{name}(_expansion({variable}, [{coefficients}]))"
        # where the float parts overflow (t**2 beyond 1e154), u reduced modulo 2 pi exactly
        self.helpers.update((name, *trig.EXACT_POLYNOMIAL_NEEDS))
        numerators, d, bits = exact
        return f"{name}(_polynomial_parts({variable}, [{coefficients}], {numerators}, {d}, {bits}))"

    def _print__BySize(self, expr: sympy.Expr) -> str:
        near, far, n, bound, x = expr.args
        self.helpers.add("_by_size")
        return (f"_by_size({self._print(x)}, {float(bound)!r}, {int(n)}, lambda {x}: "
                f"{self._print(near)}, lambda {_FAR}: {self._print(far)})")

    def _print__ExpProduct(self, expr: sympy.Expr) -> str:
        return self._call("_exp_product", *(_Thunk(a) for a in expr.args))

    def _print__Atan2(self, expr: sympy.Expr) -> str:
        return self._call("np.arctan2", *expr.args)

    def _print__FiniteOr(self, expr: sympy.Expr) -> str:
        return self._call("_finite_or", *(_Thunk(a) for a in expr.args))

    def _print__LogAbsSum(self, expr: sympy.Expr) -> str:
        return self._call("_log_abs_sum", *expr.args) + "[0]"

    def _print__SignOfSum(self, expr: sympy.Expr) -> str:
        return self._call("_log_abs_sum", *expr.args) + "[1]"

    def _print__Thunk(self, expr: sympy.Expr) -> str:
        return f"lambda: {self._print(expr.args[0])}"

    def _print__PositiveQuadratic(self, expr: sympy.Expr) -> str:
        x, b, c = expr.args
        text = self._print(x)
        return f"({text}*({text} + {float(b)!r}) + {float(c)!r})"

    def _print_NaN(self, expr: sympy.Basic) -> str:
        return "np.nan"

    def _print_Exp1(self, expr: sympy.Basic) -> str:
        return "np.e"

    def _print_Pi(self, expr: sympy.Basic) -> str:
        return "np.pi"

    def _print_Rational(self, expr: sympy.Rational) -> str:
        return f"{expr.p}/{expr.q}"

    def _print_Float(self, expr: sympy.Float) -> str:
        return repr(float(expr))

    def _print_BooleanTrue(self, expr: sympy.Basic) -> str:
        return "True"

    def _print_Relational(self, expr: sympy.Basic) -> str:
        return f"{self._print(expr.lhs)} {expr.rel_op} {self._print(expr.rhs)}"

    def _print_And(self, expr: sympy.Basic) -> str:
        return " & ".join(f"({self._print(a)})" for a in expr.args)

    def _print_Or(self, expr: sympy.Basic) -> str:
        return " | ".join(f"({self._print(a)})" for a in expr.args)

    def _print_Piecewise(self, expr: sympy.Piecewise) -> str:
        self.helpers.add("_piecewise")
        head = f"lambda {', '.join(self.arguments)}: "
        # the code sits in a `with np.errstate(...)` block: 8 spaces in
        pieces = "".join(f"\n            ({head}{self._print(c)}, {head}{self._print(e)}),"
                         for e, c in expr.args)
        names = ", ".join(self.arguments) + ("," if len(self.arguments) == 1 else "")
        return f"_piecewise(({names}), [{pieces}\n        ])"

    def emptyPrinter(self, expr: object) -> str:
        raise CodegenError(f"no NumPy translation for {type(expr).__name__}")


# --- the module -------------------------------------------------------------------------

def identifier(name: str) -> str:
    """A Python name for the function: catalog names already are; an expression gets `f`."""
    if name.isidentifier() and not keyword.iskeyword(name):
        return name
    return "f"


def _value_name(function: str, taken: set[str]) -> str:
    """The forward value's variable: the function's initial (s for sigmoid), else y."""
    initial = function[0].lower()
    if initial in set("abcdfghjkmnpqrstuvwz") and initial not in taken:
        return initial
    return "y" if "y" not in taken else "value"


def code_for(derivation: Derivation, params: tuple[sympy.Symbol, ...], *,
             measure: Measure | None = None) -> str:
    """The module for a walkthrough (`measure`: see python_code). A piecewise f' is computed
    as the document's Result gives it (its pieces, nan where the document says f' does not
    exist); any other f' from SymPy's verified derivative, whose form is made for computing
    rather than for reading (the swish's Result (x + e^x + 1)/(4 cosh^2(x/2)) is inf/inf
    beyond x = 710)."""
    undefined = tuple(undefined_points(derivation))
    tries: list[tuple[sympy.Expr, tuple[sympy.Expr, ...]]] = []
    if not derivation.incomplete:
        result = derivation.value_of(derivation.result)
        if result.has(sympy.Piecewise):
            tries.append((result, undefined))
    # a piece or a kink NumPy cannot write (a switch point at a LambertW root): SymPy's f',
    # then without the nan points (the docstring then names none)
    tries += [(derivation.reference, undefined), (derivation.reference, ())]
    for i, (derivative, points) in enumerate(tries):
        try:
            return python_code(derivation.name, derivation.function.body, derivative,
                               derivation.variable, derivation.in_terms_of_f, params,
                               undefined=points, measure=measure)
        except CodegenError:
            if i == len(tries) - 1:
                raise
    raise AssertionError("unreachable")


def python_code(name: str, f: sympy.Expr, derivative: sympy.Expr, x: sympy.Symbol,
                in_terms_of_f: sympy.Expr | None, params: tuple[sympy.Symbol, ...] | None = None,
                *, undefined: tuple[sympy.Expr, ...] = (),
                measure: Measure | None = None) -> str:
    """A NumPy module defining NAME(x), NAME_derivative(x) and NAME_and_derivative(x).

    `derivative` is the verified f'; `in_terms_of_f` (with the symbol f for f's value), when
    given, is what the derivative function actually computes. At each point of `undefined`
    f' does not exist, and the code gives nan. `measure`: what measures the module's accuracy
    for its docstring, given _measured's arguments and returning what _measured returns
    (derive.process.accuracy_child runs it in a child that began before the code was written);
    None: _measured, here.
    """
    function = identifier(name)
    var = str(x)
    if params is None:
        params = tuple(sorted((s for s in f.free_symbols if s != x), key=lambda s: s.name))
    param_names = [str(p) for p in params]
    for label in (str(x), *param_names):
        if not label.isidentifier() or keyword.iskeyword(label):
            raise CodegenError(f"'{label}' cannot be a Python argument name")
        # An argument called np would hide NumPy inside the functions (np.exp on a float),
        # one called like the function would hide the function, _names are the helpers'.
        if label in ("np", "math", function) or label.startswith("_"):
            raise CodegenError(f"an argument named '{label}' would hide a name the generated "
                               "code needs")
    taken = {str(x), *param_names, "np", "math", function}
    value = _value_name(function, taken)
    dvalue = "d" + value if "d" + value not in taken else "derivative"
    value_symbol = sympy.Symbol(value, real=True)

    forward = _for_computing(f, x)
    f_symbol = next((s for s in in_terms_of_f.free_symbols if s.name == "f"), None) \
        if in_terms_of_f is not None else None
    backward: sympy.Expr | None = None
    if in_terms_of_f is not None and f_symbol is not None:
        backward = _complements(in_terms_of_f.xreplace({f_symbol: value_symbol}),
                                value_symbol, f, x)
        if backward is not None and not _polynomial_in(backward, value_symbol):
            backward = None  # e^{-f} sinh(x) for log(cosh(x)): inf·0 where cosh overflows
    reuse = backward is not None and backward.has(value_symbol)
    outgrow = _outgrowing_logs(backward, value_symbol, f, x) if reuse and backward is not None \
        else None
    if backward is None:
        # no form in f, one that does not use f at all (min(t**x - x*a, 2)), or one whose
        # c + f parts cancel and have no stable form of their own: from x
        backward = derivative
    backward = _for_computing(_nan_at(backward, x, undefined), x)

    arguments_f = (str(x),)
    arguments_df = (str(x), value) if reuse else (str(x),)
    forward_printer = NumPyCodePrinter(arguments_f)
    forward_text = forward_printer.doprint(forward)
    # exp(-|u|) once for sigma(u), sigma(-u), softplus(u), sech(u) in the backward pass: the
    # sigmoid's 1 - s is sigma(-x) from the very exponential that gave s
    taken_now = {*taken, value, dvalue}
    shared: dict[sympy.Expr, str] = {}
    for u in _shared_exponentials(forward, backward):
        name = next(n for n in ("e", *(f"e{i}" for i in range(1, 100))) if n not in taken_now)
        taken_now.add(name)
        shared[u] = name
    backward_printer = NumPyCodePrinter(arguments_df, shared)
    backward_text = backward_printer.doprint(backward)
    # the forward value from the shared exponentials too, when it uses them: the same
    # operations as NAME(x), so the same value to the last bit
    inline_forward = NumPyCodePrinter(arguments_f, shared).doprint(forward) \
        if any(u in shared for u in _blocks(forward)) else None
    helpers_used = forward_printer.helpers | backward_printer.helpers
    near = None if reuse or undefined else roots.near_roots(derivative, x)
    if near is not None:  # beside a zero of f' = N/D, N from its Taylor polynomial there
        denominator, zeros = near
        denominator_printer = NumPyCodePrinter(arguments_f)
        denominator_text = denominator_printer.doprint(_for_computing(denominator, x))
        backward_text = (f"_near_roots({var}, {zeros!r}, lambda {var}: {denominator_text}, "
                         f"lambda {var}: {backward_text})")
        helpers_used |= denominator_printer.helpers | {"_near_roots"}
    if outgrow is not None:
        logs_printer = NumPyCodePrinter(arguments_f)
        size, sign = (logs_printer.doprint(e) for e in outgrow)
        backward_text = (f"_where_subnormal({value}, {backward_text}, {var}, "
                         f"lambda {var}: ({size}, {sign}))")
        helpers_used |= logs_printer.helpers | {"_where_subnormal"}
    helpers = sorted(helpers_used)

    signature = ", ".join([str(x), *(f"{p}={DEFAULT_PARAMETER!r}" for p in param_names)])
    call = ", ".join([str(x), *(f"{p}={p}" for p in param_names)])
    standard = sorted({_HELPER_IMPORTS[h] for h in helpers if h in _HELPER_IMPORTS})
    # The docstrings call the function f, as the walkthrough does, unless f is a parameter.
    letter = "f" if "f" not in param_names and var != "f" else function
    domain = _domain(f, x)
    lines = [
        f'"""{function} and its derivative in NumPy, written by derive from the verified',
        _STABLE_LINE + "walkthrough. Numerically stable: no overflow warnings, "
        + ("no NaN but where named below" if undefined else "no NaN") + ", right limits"
        + (f" for {domain}" if domain else "") + "; a value beyond the float range is inf or -inf.",
        *([f"{letter}' is nan at " + ", ".join(f"{var} = {sympy.sstr(p)}" for p in undefined)
           + ", where the derivative does not exist."] if undefined else []),
        "",
        f"    {letter}({var})  = {sympy.sstr(_floats_for_big_rationals(f))}",
        f"    {letter}'({var}) = "
        f"{sympy.sstr(_floats_for_big_rationals(in_terms_of_f if reuse else derivative))}"
        + (f"    (f is the value of f({var}))" if reuse else ""),
        '"""',
        "",
        *(f"import {module}" for module in standard),
        *([""] if standard else []),
        "import numpy as np",
    ]
    for helper in helpers:
        lines += ["", "", HELPERS[helper]]
    if shared:
        lines_shared = "\n".join(
            f"    # {name} = exp(-|{sympy.sstr(u) if u.is_Atom else 'u'}|), computed once and given "
            f"to each sigmoid, softplus, sech of +-{sympy.sstr(u) if u.is_Atom else 'u'}"
            for u, name in shared.items())
        if inline_forward is not None:
            lines_shared += (f"\n    # ({value} is computed as {function}({var}) computes it: "
                             "the same value to the last bit)")
    if not reuse and in_terms_of_f is not None and f_symbol is not None:
        reuse_note = (f"    # {letter}' is computed from {var}: its form in {letter} would "
                      "lose accuracy or overflow")
    elif not reuse:
        reuse_note = (f"    # {letter}' is not a function of {letter} alone: it is computed "
                      f"from {var}")
    elif _computed_from(backward) <= {value_symbol, *params}:
        reuse_note = f"    # {letter}' reuses the forward value {value}: nothing new is computed"
    else:
        reuse_note = f"    # {letter}' reuses the forward value {value}"
    if shared:
        reuse_note += "\n" + lines_shared
    lines += [
        "", "",
        f"def {function}({signature}):",
        f'    """{function}({var}) for a float or an array."""',
        f"    {var} = np.asarray({var}, dtype=float)",
        "    with np.errstate(over=\"ignore\"):  # beyond the float range: inf or -inf, silently",
        f"        return {forward_text}",
        "", "",
        f"def {function}_and_derivative({signature}):",
        f'    """({function}({var}), {function}\'({var})), the derivative reusing the forward '
        'value."""',
        f"    {var} = np.asarray({var}, dtype=float)",
        *([f"    {value} = {function}({call})"] if inline_forward is None else []),
        reuse_note,
        "    with np.errstate(over=\"ignore\"):",
        *[f"        {name} = np.exp(-np.abs({NumPyCodePrinter(arguments_f).doprint(u)}))"
          for u, name in shared.items()],
        *([f"        {value} = {inline_forward}"] if inline_forward is not None else []),
        f"        {dvalue} = {backward_text}" if reuse or x in backward.free_symbols else
        f"        {dvalue} = np.full_like({var}, {backward_text})",
        f"    return {value}, {dvalue}",
        "", "",
        f"def {function}_derivative({signature}):",
        f'    """{function}\'({var}) for a float or an array."""',
        f"    return {function}_and_derivative({call})[1]",
        "",
    ]
    text = re.sub(r"\n{4,}", "\n\n\n", "\n".join(lines))
    # the docstring promises only what the code was measured to keep (against mpmath)
    stable, _, rest = text.partition(_STABLE_LINE)
    if not accuracy.measurable():
        said = accuracy.UNMEASURED + " N" + rest[len("walkthrough. N"):]
    else:
        promise = (measure or _measured)(text, function, f, derivative, x, params, undefined)
        if promise is None:  # a bounded run stopped the measurement
            said = accuracy.UNFINISHED + " N" + rest[len("walkthrough. N"):]
        elif promise.everywhere:
            return stable + rest
        else:
            said = accuracy.sentence(promise, var) + " Within it, n" \
                + rest[len("walkthrough. N"):]
    lines = textwrap.wrap("walkthrough. " + said.split("\n", 1)[0], 95)
    return stable + "\n".join(lines) + "\n" + said.split("\n", 1)[1]


# _measured's signature: (module text, function name, f, f', x, parameters, undefined points);
# a `measure` hook may also answer None: the measurement was stopped (accuracy.UNFINISHED)
Measure = Callable[[str, str, sympy.Expr, sympy.Expr, sympy.Symbol, tuple[sympy.Symbol, ...],
                    tuple[sympy.Expr, ...]], "accuracy.Promise | None"]
_STABLE_LINE = "<<accuracy>>"  # marks the docstring's accuracy sentence until it is measured


def _measured(text: str, function: str, f: sympy.Expr, derivative: sympy.Expr,
              x: sympy.Symbol, params: tuple[sympy.Symbol, ...],
              undefined: tuple[sympy.Expr, ...]) -> accuracy.Promise:
    """Where the module just written meets 1e-12 against mpmath (the parameters at the
    code's defaults, as the plots have them)."""
    namespace: dict[str, object] = {}
    exec(compile(text, f"<derive {function}>", "exec"), namespace)  # our own output
    both = namespace[f"{function}_and_derivative"]
    at_default = {p: sympy.Float(DEFAULT_PARAMETER) for p in params}
    points = tuple(float(p.xreplace(at_default)) for p in undefined)
    try:
        checked = accuracy.Checked(both, accuracy.Exact(f, x, params),  # type: ignore[arg-type]
                                   accuracy.Exact(derivative, x, params), points)
        special = accuracy.special_points(f, derivative, x, params, points)
        return accuracy.measure(checked, special)
    except Exception:  # mpmath cannot evaluate f: the docstring promises nothing measured
        return accuracy.Promise(math.inf, 0.0)
