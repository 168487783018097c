"""Certified real values: a SymPy expression at an exact point, as an Arb ball.

Arb (python-flint's `arb`) carries a rigorous error bound with every number: the true value
lies inside the ball, whatever rounding happened on the way. Two disjoint balls therefore
*prove* that two values differ, and a wide ball only says "more precision is needed".

`real_value` follows SymPy's meaning of every node (principal branches, H(0) = ½, acot(x) =
atan(1/x), a negative base to a fractional power is not real), and answers one of:

* an `arb` ball holding the value, when the value is proved real and defined;
* `Undefined` — the point is a pole or outside every branch (log 0, 1/0, no Piecewise row);
* `NotReal` — a step of the evaluation is provably not real (log of a negative, √ of a
  negative): SymPy's value there is complex or undefined, never a real counterexample;
* `Imprecise` — a ball straddles a decision (is the argument of log positive? is the
  denominator zero?) at this precision: try again with more bits;
* `Unsupported` — a node this module has no certified evaluation for.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import methodcaller
from typing import Any

import sympy
from flint import arb, ctx, fmpq, fmpz

__all__ = ["Imprecise", "NotReal", "Undefined", "Unsupported", "real_value", "working_precision"]


class Unevaluable(Exception):
    """Base: no certified real value at this point and precision."""


class Undefined(Unevaluable):
    pass


class NotReal(Unevaluable):
    pass


class Imprecise(Unevaluable):
    pass


class Unsupported(Unevaluable):
    pass


class working_precision:  # lower case: a context manager, read like a statement
    """Arb's precision is process-global: set it for one evaluation, restore it after."""

    def __init__(self, bits: int) -> None:
        self.bits = bits

    def __enter__(self) -> None:
        self.saved = ctx.prec
        ctx.prec = self.bits

    def __exit__(self, *exc: object) -> None:
        ctx.prec = self.saved


def real_value(expr: sympy.Basic, point: dict[sympy.Symbol, sympy.Rational], bits: int) -> arb:
    """expr at point as a ball at `bits` of working precision; raises an Unevaluable."""
    with working_precision(bits):
        return _Evaluator(point).value(expr)


# -- the evaluator --------------------------------------------------------------------------


def _positive(u: arb) -> bool:
    """Proved > 0; raises Imprecise when the ball touches 0 and is not exactly 0."""
    if u > 0:
        return True
    if u < 0 or u.is_zero():
        return False
    raise Imprecise("sign undecided")


def _sign(u: arb) -> int:
    if u.is_zero():
        return 0
    if u > 0:
        return 1
    if u < 0:
        return -1
    raise Imprecise("sign undecided")


def _compare(u: arb, v: arb) -> int:
    return _sign(u - v)


def _integer(u: arb) -> int | None:
    """The integer u is exactly, if it is one."""
    if u.is_exact():
        value = u.unique_fmpz()
        if value is not None:
            return int(value)
    return None


def _finite(u: arb) -> arb:
    if not u.is_finite():
        raise Imprecise("the ball is not finite (near a pole, or too little precision)")
    return u


def _log(u: arb) -> arb:
    if u.is_zero():
        raise Undefined("log 0")
    if not _positive(u):
        raise NotReal("log of a negative number")
    return u.log()


def _root(u: arb, q: int) -> arb:
    """u^(1/q) as SymPy means it: real only for u >= 0."""
    if u.is_zero():
        return arb(0)
    if not _positive(u):
        raise NotReal("a fractional power of a negative number")
    return u.sqrt() if q == 2 else (u.log() / q).exp()


def _inside(u: arb, lo: int, hi: int, *, closed: bool) -> bool:
    """lo < u < hi (or <= when closed, with the ends exact), else NotReal/Imprecise."""
    a, b = _compare(u, arb(lo)), _compare(u, arb(hi))
    if a > 0 and b < 0:
        return True
    if (a == 0 or b == 0) and closed:
        return True
    if a == 0 or b == 0:
        raise Undefined("an endpoint of the domain")
    raise NotReal("outside the real domain")


def _asin(u: arb) -> arb:
    _inside(u, -1, 1, closed=True)
    return u.asin()


def _acos(u: arb) -> arb:
    _inside(u, -1, 1, closed=True)
    return u.acos()


def _atanh(u: arb) -> arb:
    _inside(u, -1, 1, closed=False)
    return u.atanh()


def _acosh(u: arb) -> arb:
    s = _compare(u, arb(1))
    if s < 0:
        raise NotReal("acosh below 1")
    return u.acosh()


def _reciprocal(u: arb) -> arb:
    if u.is_zero():
        raise Undefined("division by zero")
    if not (u > 0 or u < 0):
        raise Imprecise("a denominator that may be zero")
    return 1 / u


def _nonzero_argument(f: Callable[[arb], arb]) -> Callable[[arb], arb]:
    def g(u: arb) -> arb:
        if u.is_zero():
            raise Undefined("a pole at 0")
        return f(u)
    return g


# Functions arb computes by the method of the same name (u.exp() for exp), defined for every
# real argument, and those among them with a pole at 0.
_SAME_NAME = (sympy.exp, sympy.sin, sympy.cos, sympy.tan, sympy.sec, sympy.sinh, sympy.cosh,
              sympy.tanh, sympy.sech, sympy.atan, sympy.asinh, sympy.erf, sympy.erfc)
_POLE_AT_ZERO = (sympy.cot, sympy.csc, sympy.coth, sympy.csch)

_FUNCTIONS: dict[type, Callable[[arb], arb]] = {
    **{f: methodcaller(f.__name__) for f in _SAME_NAME},
    **{f: _nonzero_argument(methodcaller(f.__name__)) for f in _POLE_AT_ZERO},
    sympy.log: _log,
    sympy.asin: _asin,
    sympy.acos: _acos,
    sympy.acot: lambda u: arb.pi() / 2 if u.is_zero() else _reciprocal(u).atan(),
    sympy.asec: lambda u: _acos(_reciprocal(u)),
    sympy.acsc: lambda u: _asin(_reciprocal(u)),
    sympy.acosh: _acosh,
    sympy.atanh: _atanh,
    sympy.acoth: lambda u: _atanh(_reciprocal(u)),
    sympy.asech: lambda u: _acosh(_reciprocal(u)),
    sympy.acsch: lambda u: _reciprocal(u).asinh(),
    sympy.Abs: lambda u: abs(u),
    sympy.sign: lambda u: arb(_sign(u)),
    sympy.floor: lambda u: _unique_integer(u.floor()),
    sympy.ceiling: lambda u: _unique_integer(u.ceil()),
}


def _unique_integer(u: arb) -> arb:
    value = u.unique_fmpz()
    if value is None:
        raise Imprecise("floor or ceiling undecided")
    return arb(value)


class _Evaluator:
    def __init__(self, point: dict[sympy.Symbol, sympy.Rational]) -> None:
        self.point = {s: _rational(v) for s, v in point.items()}
        self.memo: dict[sympy.Basic, arb] = {}

    def value(self, expr: sympy.Basic) -> arb:
        cached = self.memo.get(expr)
        if cached is None:
            cached = _finite(self._value(expr))
            self.memo[expr] = cached
        return cached

    def _value(self, expr: Any) -> arb:
        if expr.is_Symbol:
            if expr not in self.point:
                raise Unsupported(f"no value for {expr}")
            return self.point[expr]
        if expr.is_Rational:
            return _rational(expr)
        if expr.is_Float:
            return _float(expr)
        if expr in _CONSTANTS:
            return _CONSTANTS[expr]()
        if expr is sympy.I or expr.is_Number:  # I, a complex number, ∞, nan, zoo
            if expr in (sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
                raise Undefined(str(expr))
            raise NotReal(str(expr))
        if expr.is_Add:
            total = arb(0)
            for arg in expr.args:
                total += self.value(arg)
            return total
        if expr.is_Mul:
            product = arb(1)
            for arg in expr.args:
                product *= self.value(arg)
            return product
        if expr.is_Pow:
            return self._power(expr.base, expr.exp)
        function = _FUNCTIONS.get(type(expr))
        if function is not None and len(expr.args) == 1:
            return function(self.value(expr.args[0]))
        if isinstance(expr, sympy.Heaviside):
            s = _sign(self.value(expr.args[0]))
            if s == 0:
                if len(expr.args) < 2:
                    raise Undefined("H(0) without a value")
                return self.value(expr.args[1])
            return arb(1 if s > 0 else 0)
        if isinstance(expr, sympy.DiracDelta):  # δ(u), δ'(u), …: 0 wherever u ≠ 0
            if _sign(self.value(expr.args[0])) == 0:
                raise Undefined("δ at 0")
            return arb(0)
        if isinstance(expr, (sympy.Max, sympy.Min)):
            values = [self.value(a) for a in expr.args]
            best = values[0]
            for v in values[1:]:
                best = best.max(v) if isinstance(expr, sympy.Max) else best.min(v)
            return best
        if isinstance(expr, sympy.Piecewise):
            for piece, condition in expr.args:
                if self.holds(condition):
                    return self.value(piece)
            raise Undefined("no piece applies")
        raise Unsupported(f"no certified evaluation for {type(expr).__name__}")

    def _power(self, base: sympy.Basic, exponent: sympy.Basic) -> arb:
        if exponent.is_Integer:
            b, k = self.value(base), int(exponent)
            if k < 0:
                b = _reciprocal(b)
                k = -k
            return b**k
        if exponent.is_Rational:
            b = self.value(base)
            p, q = int(exponent.p), int(exponent.q)
            if b.is_zero():
                if p < 0:
                    raise Undefined("0 to a negative power")
                return arb(0)
            root = _root(b, q)
            return _reciprocal(root)**-p if p < 0 else root**p
        b, e = self.value(base), self.value(exponent)
        whole = _integer(e)
        if whole is not None:
            return self._power(base, sympy.Integer(whole))
        if b.is_zero():
            if _positive(e):
                return arb(0)
            raise Undefined("0 to a power that is not positive")
        if base is sympy.E:
            return e.exp()
        return (e * _log(b)).exp()

    def holds(self, condition: sympy.Basic) -> bool:
        if condition is sympy.true:
            return True
        if condition is sympy.false:
            return False
        if isinstance(condition, sympy.And):
            return all(self.holds(c) for c in condition.args)
        if isinstance(condition, sympy.Or):
            return any(self.holds(c) for c in condition.args)
        if isinstance(condition, sympy.Not):
            return not self.holds(condition.args[0])
        if isinstance(condition, sympy.core.relational.Relational):
            s = _compare(self.value(condition.lhs), self.value(condition.rhs))
            return {sympy.StrictLessThan: s < 0, sympy.LessThan: s <= 0,
                    sympy.StrictGreaterThan: s > 0, sympy.GreaterThan: s >= 0,
                    sympy.Equality: s == 0, sympy.Unequality: s != 0}[type(condition)]
        raise Unsupported(f"condition {condition}")


def _rational(value: sympy.Rational) -> arb:
    return arb(fmpq(int(value.p), int(value.q)))


def _float(value: sympy.Float) -> arb:
    """A Float is a binary number: its exact value, not the decimal it was typed as."""
    sign, mantissa, exponent, _ = value._mpf_
    if not mantissa and exponent:  # mpmath's encoding of inf / nan
        raise Undefined("an infinite or undefined float")
    m = arb(fmpz(-mantissa if sign else mantissa))
    power: arb = arb(2)**abs(exponent)
    return m * power if exponent >= 0 else m / power


_CONSTANTS: dict[sympy.Basic, Callable[[], arb]] = {
    sympy.pi: arb.pi,
    sympy.E: arb.const_e,
    sympy.EulerGamma: arb.const_euler,
    sympy.Catalan: arb.const_catalan,
}
