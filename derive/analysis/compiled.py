"""Expressions compiled once for mpmath, for the many numeric samples the searches take.

An expression of the elementary functions becomes a tree of Python closures over mpmath
(`_closure`): building one costs microseconds. Anything else goes through `lambdify`, which
writes and compiles Python source, costing a millisecond or more a call and 12 ms for its
first (in a cold process that is a sixth of the properties' time). Either way the compiled
function is kept per (expression, arguments), as Python keeps bytecode.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import sympy

Compiled = Callable[..., Any]  # values -> an mpmath number


@lru_cache(maxsize=512)
def mpmath_function(expr: sympy.Expr, arguments: tuple[sympy.Symbol, ...]) -> Callable | None:
    """expr as a function of the arguments on mpmath numbers; None if mpmath cannot take it
    (an unknown function, a pending derivative)."""
    built = _closure(expr, {a: i for i, a in enumerate(arguments)})
    if built is not None:
        return lambda *values: built(values)
    try:
        return sympy.lambdify(list(arguments), expr, modules="mpmath")
    except Exception:  # lambdify raises anything on what it cannot print
        return None


# SymPy's functions that are mpmath's function of the same name and meaning, one argument.
_FUNCTIONS = {getattr(sympy, name): name for name in (
    "exp", "log", "sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos", "atan", "sinh",
    "cosh", "tanh", "coth", "sech", "csch", "asinh", "acosh", "atanh", "erf", "erfc")}


# Arguments beyond these magnitudes (in bits: |a| < 2^limit) are refused with OverflowError,
# the sample then being "not evaluable". exp(a) needs an exponent of about a bits, so
# exp(exp(10^1000)) would build an integer of 10^1000 bits and never finish (sinh∘sinh∘sinh∘
# sinh at 10^1000); sin(a) needs π to as many digits as a has. exp(10^1000) itself is fine.
_GROWTH_MAGNITUDE = 16384
_PERIODIC_MAGNITUDE = 4096
# An exponent beyond 2^this (about 1e308) is raised through exp and log (see _pow).
_HUGE_EXPONENT = 1024
_MAGNITUDES = {"exp": _GROWTH_MAGNITUDE, "sinh": _GROWTH_MAGNITUDE, "cosh": _GROWTH_MAGNITUDE,
               "tanh": _GROWTH_MAGNITUDE, "sech": _GROWTH_MAGNITUDE, "csch": _GROWTH_MAGNITUDE,
               "coth": _GROWTH_MAGNITUDE, "erf": _GROWTH_MAGNITUDE, "erfc": _GROWTH_MAGNITUDE,
               "sin": _PERIODIC_MAGNITUDE, "cos": _PERIODIC_MAGNITUDE,
               "tan": _PERIODIC_MAGNITUDE, "cot": _PERIODIC_MAGNITUDE,
               "sec": _PERIODIC_MAGNITUDE, "csc": _PERIODIC_MAGNITUDE}


def _magnitude(value) -> int:
    """log2 |value|, roughly (mpmath.mag); very negative for 0."""
    import mpmath

    return int(mpmath.mag(value))


def _closure(node: sympy.Basic, index: dict[sympy.Symbol, int]) -> Compiled | None:
    """node as values -> mpmath number, or None where a node is not one _BUILDERS know.
    Numbers are made at call time, so they take the precision of the caller's workdps."""
    for cls in type(node).__mro__:
        builder = _BUILDERS.get(cls)
        if builder is not None:
            return builder(node, index)
    return None


def _children(node: sympy.Basic, index: dict[sympy.Symbol, int]) -> list[Compiled] | None:
    built = [_closure(arg, index) for arg in node.args]
    return [b for b in built if b is not None] if all(b is not None for b in built) else None


def _symbol(node: sympy.Symbol, index: dict[sympy.Symbol, int]) -> Compiled | None:
    if node not in index:
        return None  # a free symbol that is not an argument: lambdify reports it
    i = index[node]
    return lambda values: values[i]


def _integer(node: sympy.Integer, index: dict) -> Compiled:
    value = int(node)
    return lambda values: value


def _rational(node: sympy.Rational, index: dict) -> Compiled:
    import mpmath

    p, q = int(node.p), int(node.q)
    return lambda values: mpmath.mpf(p) / q


def _float(node: sympy.Float, index: dict) -> Compiled:
    import mpmath

    exact = node._mpf_  # the Float's own binary value, as lambdify writes it
    return lambda values: mpmath.mpf(exact)


def _constant(name: str) -> Callable[[sympy.Basic, dict], Compiled]:
    def build(node: sympy.Basic, index: dict) -> Compiled:
        import mpmath

        return lambda values: +getattr(mpmath, name)  # + evaluates at the current precision

    return build


def _fold(combine: Callable[[object, object], object]) -> Callable[[sympy.Basic, dict], Compiled | None]:
    """A sum or product: its arguments combined left to right."""

    def build(node: sympy.Basic, index: dict) -> Compiled | None:
        parts = _children(node, index)
        if parts is None:
            return None
        first, rest = parts[0], parts[1:]

        def fold(values):
            result = first(values)
            for part in rest:
                result = combine(result, part(values))
            return result

        return fold

    return build


def _pow(node: sympy.Pow, index: dict) -> Compiled | None:
    import mpmath

    base = _closure(node.base, index)
    if base is None:
        return None
    exponent = node.exp
    if exponent == sympy.S.Half:
        return lambda values: mpmath.sqrt(base(values))
    if exponent == -sympy.S.Half:
        return lambda values: 1 / mpmath.sqrt(base(values))
    power = _closure(exponent, index)
    if power is None:
        return None

    def pow_(values):
        b, p = base(values), power(values)
        # b^p has an exponent of about p·log2|b| bits: refused where that is no number.
        if b != 0 and p != 0 and (
                _magnitude(p) + abs(_magnitude(b)).bit_length() > _GROWTH_MAGNITUDE):
            raise OverflowError("power too large to evaluate")
        real = isinstance(b, (int, mpmath.mpf)) and isinstance(p, (int, mpmath.mpf))
        if real and b > 0 and p != 0 and _magnitude(p) > _HUGE_EXPONENT:
            # mpmath raises b to an integer-valued p (1e2000 rounded) by exact squaring:
            # 1.3 s for 3^(x²) at x = 1e1000, 7 s at 1e2000. exp(p log b) with p log b to
            # mag(p) more bits is the same value to the working precision, in a millisecond.
            with mpmath.workprec(mpmath.mp.prec + _magnitude(p) + 16):
                power_ = mpmath.exp(p * mpmath.log(b))
            return +power_
        return b ** p

    return pow_


def _function(node: sympy.Function, index: dict) -> Compiled | None:
    import mpmath

    name = _FUNCTIONS.get(type(node))
    if name is None or len(node.args) != 1:
        return None
    (argument,) = _children(node, index) or (None,)
    if argument is None:
        return None
    function = getattr(mpmath, name)
    limit = _MAGNITUDES.get(name)
    if limit is None:
        return lambda values: function(argument(values))

    def guarded(values):
        value = argument(values)
        if value != 0 and _magnitude(value) > limit:
            raise OverflowError(f"{name} of a number too large to evaluate")
        return function(value)

    return guarded


_BUILDERS: dict[type, Callable[[sympy.Basic, dict], Compiled | None]] = {
    sympy.Symbol: _symbol,
    sympy.Integer: _integer,
    sympy.Rational: _rational,
    sympy.Float: _float,
    type(sympy.pi): _constant("pi"),
    type(sympy.E): _constant("e"),
    sympy.Add: _fold(operator.add),
    sympy.Mul: _fold(operator.mul),
    sympy.Pow: _pow,
    sympy.Function: _function,
}


def real_value(expr: sympy.Expr, arguments: tuple[sympy.Symbol, ...], values, *, digits: int,
               imaginary: str = "exact"):
    """expr at the values (decimal strings or mpmath numbers) as a finite real mpmath number,
    or None: not compiled, undefined, infinite, or not real. imaginary="exact" accepts only a
    zero imaginary part; "relative" also one below 10^(5 - digits) of the value, the rounding
    of a real result computed through complex intermediates ((-100.37)^(-100.37))."""
    import mpmath

    function = mpmath_function(expr, arguments)
    if function is None:
        return None
    with mpmath.workdps(digits):
        try:
            result = mpmath.mpmathify(function(*(mpmath.mpf(v) for v in values)))
        except (ArithmeticError, ValueError, TypeError):
            return None
        if isinstance(result, mpmath.mpc):
            tolerance = 0 if imaginary == "exact" else mpmath.mpf(10) ** (5 - digits) * abs(result)
            if abs(result.imag) > tolerance:
                return None
            result = result.real
        return result if mpmath.isfinite(result) else None
