"""The sign of an expression for every real value of its variables, by bounds: sin and cos
lie in [−1, 1], exp is ≥ 0, a square is ≥ 0, tanh and erf lie in [−1, 1], atan in
[−π/2, π/2], |u| ≥ 0; sums, products, powers and the monotone functions carry these bounds
up the expression (interval arithmetic). 2 + sin x ≥ 1 > 0 is a proof that 2 + sin x is
positive, which SymPy's assumptions cannot give (they do not know that sin x ≥ −1).

Every bound is an enclosure: each value the expression takes lies in it, whatever the
variables are (or, for variables given an interval in `box`, whatever they are in it:
derive.verify.turns encloses f' on stretches of the line that way). The endpoints are
Arb balls' outer ends (python-flint), so rounding never narrows a bound. The bounds are
closed, so a strict sign needs a bound strictly away from 0 (e^x + sin x + 1 ≥ 0 is all
this shows, and it proves nothing). An expression with a node
this module does not know, or a variable not known to be real, has no bound here: None,
never a guess. Repeated variables are taken independently (x − x is bounded by (−∞, ∞)):
the bounds are wider than the truth, never narrower.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import sympy
from flint import arb, ctx

from derive.verify.ball import Unevaluable, real_value

BITS = 64
_MAX_NODES = 200  # the size budget: a larger expression is not bounded here


@dataclass(frozen=True)
class Bound:
    """Every value lies in [low, high]; None is −∞ (low) or +∞ (high). Endpoints are exact
    Arb numbers (a ball's outer end)."""

    low: Any
    high: Any


class _NoBound(Exception):
    pass


Box = dict[sympy.Symbol, tuple[sympy.Rational | None, sympy.Rational | None]]


def sign_by_bounds(expr: sympy.Expr) -> int | None:
    """1 if expr > 0, −1 if expr < 0, for every real value of its variables, shown by
    bounds; None when the bounds do not show a strict sign."""
    bound = bounds(expr)
    if bound is None:
        return None
    if bound.low is not None and bound.low > 0:
        return 1
    if bound.high is not None and bound.high < 0:
        return -1
    return None


def bounds(expr: sympy.Expr, box: Box | None = None, bits: int = BITS) -> Bound | None:
    """An enclosure of every value of expr over all real values of its variables, or, for
    the variables in `box`, over their values in [low, high] (None: unbounded)."""
    walk = _prepared(expr)
    if walk is None:
        return None
    saved = ctx.prec
    ctx.prec = bits
    try:
        return walk(box or {})
    except (_NoBound, ValueError, ZeroDivisionError, TypeError):
        return None
    finally:
        ctx.prec = saved


# An expression's walk, made once: derive.verify.turns encloses the same few forms of f' and
# f'' on hundreds of boxes (gelu_tanh: 658 enclosures), and asking SymPy again on each one
# for the size, the symbols of every node and the value of every constant was most of the
# cost (0.9 s of CPU in gelu_tanh's properties). A walk does the same arithmetic in the same
# order as a walk of the expression would, so every enclosure is the same, bit for bit.
_WALKS: dict[sympy.Expr, Callable[[Box], Bound] | None] = {}
_MAX_WALKS = 2000  # forgotten all at once beyond this (a long session: tests, a notebook)
# A constant's ball, by the constant and the precision (a constant ball is the same every time)
_CONSTANTS: dict[tuple[sympy.Expr, int], tuple[Any, Any] | None] = {}


def _prepared(expr: sympy.Expr) -> Callable[[Box], Bound] | None:
    """The walk that bounds expr on a box, or None when expr is not bounded here at all."""
    if expr in _WALKS:
        return _WALKS[expr]
    if len(_WALKS) > _MAX_WALKS:
        _WALKS.clear()
        _CONSTANTS.clear()
    walk: Callable[[Box], Bound] | None = None
    if sympy.count_ops(expr) <= _MAX_NODES and \
            all(s.is_extended_real for s in expr.free_symbols) and not expr.has(sympy.Float):
        # (a float never proves anything: the exact stages refuse them too)
        walk = _walk(expr)
    _WALKS[expr] = walk
    return walk


# --- arithmetic on endpoints (None: an infinity) ---------------------------------------------


def _lo(ball: Any) -> Any:
    return ball.lower()


def _hi(ball: Any) -> Any:
    return ball.upper()


def _add(a: Bound, b: Bound) -> Bound:
    low = None if a.low is None or b.low is None else _lo(a.low + b.low)
    high = None if a.high is None or b.high is None else _hi(a.high + b.high)
    return Bound(low, high)


_INF = float("inf")
# Made once (a float converts to an Arb number exactly, at any precision): _mul meets them
# on every corner of every enclosure.
_ARB_INF, _ARB_MINUS_INF, _ARB_ZERO = arb(_INF), arb(-_INF), arb(0)


def _ends(b: Bound) -> tuple[Any, Any]:
    return (_ARB_MINUS_INF if b.low is None else b.low, _ARB_INF if b.high is None else b.high)


def _mul(a: Bound, b: Bound) -> Bound:
    """The four corner products, with 0·∞ = 0 (the closed hull of the products). The
    corners are taken in order, the first smallest (largest) kept; a zero or infinite corner
    is one of the constants above, and an infinite end of the hull is None."""
    low: Any = None
    high: Any = None
    ends_b = _ends(b)
    for p in _ends(a):
        p_zero, p_finite = p.is_zero(), p.is_finite()
        for q in ends_b:
            if p_zero or q.is_zero():
                lo = hi = _ARB_ZERO
            elif not (p_finite and q.is_finite()):
                lo = hi = _ARB_INF if (p > 0) == (q > 0) else _ARB_MINUS_INF
            else:
                r = p * q
                lo, hi = r.lower(), r.upper()
            if low is None or lo < low:
                low = lo
            if high is None or hi > high:
                high = hi
    return Bound(None if low is _ARB_INF or low is _ARB_MINUS_INF else low,
                 None if high is _ARB_INF or high is _ARB_MINUS_INF else high)


def _monotone(a: Bound, f: Callable[[Any], Any], at_low: Any, at_high: Any) -> Bound:
    """f increasing: [f(low), f(high)], with f's limits at ±∞ given (None: unbounded)."""
    low = at_low if a.low is None else _lo(f(a.low))
    high = at_high if a.high is None else _hi(f(a.high))
    return Bound(low, high)


def _magnitude(a: Bound) -> tuple[Any, Any]:
    """Bounds of |u|: (smallest, largest), the largest None when unbounded."""
    if a.low is not None and a.low >= 0:
        return a.low, a.high
    if a.high is not None and a.high <= 0:
        return -a.high, None if a.low is None else -a.low
    largest = None if a.low is None or a.high is None else max(-a.low, a.high)
    return arb(0), largest


# --- the walk ---------------------------------------------------------------------------------


def _exact(value: sympy.Rational) -> Any:
    return arb(int(value.p)) / int(value.q)


def _walk(expr: sympy.Expr) -> Callable[[Box], Bound]:
    """The bound of expr on a box, as a function of the box: the structure of expr is read
    here, once; the function does only the interval arithmetic (what it cannot bound raises
    _NoBound when it is reached, as a walk of the expression would)."""
    if not expr.free_symbols:
        return partial(_constant, expr)
    if expr.is_Symbol:
        return partial(_symbol, expr, _sign_bound(expr))
    if expr.is_Add or expr.is_Mul:
        parts = [_walk(a) for a in expr.args]
        combine = _add if expr.is_Add else _mul

        def fold(box: Box) -> Bound:
            total = parts[0](box)
            for part in parts[1:]:
                total = combine(total, part(box))
            return total
        return fold
    if expr.is_Pow:
        return _power(expr.base, expr.exp)
    if len(expr.args) == 1:
        inner = _walk(expr.args[0])
        law = _UNARY.get(type(expr))
        if law is None:
            return partial(_unknown, inner, type(expr).__name__)
        return lambda box: law(inner(box))
    if isinstance(expr, (sympy.Max, sympy.Min)):
        parts = [_walk(a) for a in expr.args]
        biggest = isinstance(expr, sympy.Max)

        def extreme(box: Box) -> Bound:
            found = [part(box) for part in parts]
            if biggest:
                low = max((p.low for p in found if p.low is not None), default=None)
                high = None if any(p.high is None for p in found) \
                    else max(p.high for p in found)
            else:
                low = None if any(p.low is None for p in found) else min(p.low for p in found)
                high = min((p.high for p in found if p.high is not None), default=None)
            return Bound(low, high)
        return extreme
    return partial(_unknown, None, type(expr).__name__)


def _unknown(inner: Callable[[Box], Bound] | None, name: str, box: Box) -> Bound:
    if inner is not None:
        inner(box)  # what a walk of the expression meets first
    raise _NoBound(name)


def _sign_bound(symbol: sympy.Symbol) -> Bound:
    """A variable's bound from its assumptions alone (outside the box)."""
    if symbol.is_nonnegative:
        return Bound(arb(0), None)
    if symbol.is_nonpositive:
        return Bound(None, arb(0))
    return Bound(None, None)


def _symbol(symbol: sympy.Symbol, assumed: Bound, box: Box) -> Bound:
    if symbol in box:
        low, high = box[symbol]
        return Bound(None if low is None else _lo(_exact(low)),
                     None if high is None else _hi(_exact(high)))
    return assumed


def _constant(expr: sympy.Expr, box: Box) -> Bound:
    key = (expr, ctx.prec)
    if key not in _CONSTANTS:
        try:
            ball = real_value(expr, {}, ctx.prec)
            _CONSTANTS[key] = (_lo(ball), _hi(ball))
        except Unevaluable:
            _CONSTANTS[key] = None
    ends = _CONSTANTS[key]
    if ends is None:
        raise _NoBound("a constant without a certified real value")
    return Bound(*ends)


def _power(base: sympy.Expr, exponent: sympy.Expr) -> Callable[[Box], Bound]:
    if exponent.free_symbols:
        if isinstance(base, sympy.Expr) and base == sympy.E:
            power = _walk(exponent)
            return lambda box: _exp(power(box))
        return partial(_unknown, None, "a variable exponent")
    inner = _walk(base)
    if exponent.is_Integer:
        n = int(exponent)
        if n == 0:
            return lambda box: (inner(box), Bound(arb(1), arb(1)))[1]
        if n < 0:
            return lambda box: _reciprocal(_integer_power(inner(box), -n))
        return lambda box: _integer_power(inner(box), n)
    if not exponent.is_Rational or exponent <= 0:
        return partial(_unknown, inner, "an exponent that is not a positive rational")
    p, q = int(exponent.p), int(exponent.q)

    def root(box: Box) -> Bound:
        b = inner(box)
        if b.low is None or b.low < 0:
            raise _NoBound("a root of what may be negative")
        e = arb(p) / q
        return _monotone(b, lambda v: v**e if not v.is_zero() else arb(0), None, None)
    return root


def _integer_power(b: Bound, n: int) -> Bound:
    """b**n for an integer n > 0."""
    if n % 2 == 0:
        small, large = _magnitude(b)
        return Bound(_lo(small**n), None if large is None else _hi(large**n))
    return _monotone(b, lambda v: v**n, None, None)


def _reciprocal(b: Bound) -> Bound:
    if b.low is not None and b.low > 0:
        return Bound(arb(0) if b.high is None else _lo(1 / b.high), _hi(1 / b.low))
    if b.high is not None and b.high < 0:
        return Bound(_lo(1 / b.high), arb(0) if b.low is None else _hi(1 / b.low))
    raise _NoBound("a reciprocal of what may be 0")


def _unit(_: Bound) -> Bound:
    return Bound(arb(-1), arb(1))


def _exp(b: Bound) -> Bound:
    return _monotone(b, lambda v: v.exp(), arb(0), None)


def _log(b: Bound) -> Bound:
    if b.low is None or b.low <= 0:
        raise _NoBound("a logarithm of what may be ≤ 0")
    return _monotone(b, lambda v: v.log(), None, None)


def _abs(b: Bound) -> Bound:
    small, large = _magnitude(b)
    return Bound(small, large)


def _tanh(b: Bound) -> Bound:
    return _monotone(b, lambda v: v.tanh(), arb(-1), arb(1))


def _erf(b: Bound) -> Bound:
    return _monotone(b, lambda v: v.erf(), arb(-1), arb(1))


def _atan(b: Bound) -> Bound:
    half_pi = arb.pi() / 2
    return _monotone(b, lambda v: v.atan(), _lo(-half_pi), _hi(half_pi))


def _sinh(b: Bound) -> Bound:
    return _monotone(b, lambda v: v.sinh(), None, None)


def _cosh(b: Bound) -> Bound:
    small, large = _magnitude(b)
    return Bound(_lo(small.cosh()), None if large is None else _hi(large.cosh()))


_UNARY: dict[type, Callable[[Bound], Bound]] = {
    sympy.sin: _unit,
    sympy.cos: _unit,
    sympy.exp: _exp,
    sympy.log: _log,
    sympy.Abs: _abs,
    sympy.tanh: _tanh,
    sympy.erf: _erf,
    sympy.atan: _atan,
    sympy.sinh: _sinh,
    sympy.cosh: _cosh,
}
