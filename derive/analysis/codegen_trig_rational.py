"""Rational functions of sin u and cos u, brought over one denominator and factored.

sin x + tan x at x = 1e30, where cos x is near -1: the two terms nearly cancel, and
sin x (1 + cos x)/cos x computed with 1 + cos x = 2 cos^2(x/2) does not cancel at all (x/2
is exact). The derivative of (1 - cot x)/(1 + cot x), written as SymPy gives it, is the
difference of two terms of size 1/x**2 near 0; over one denominator, with sin^2 + cos^2 = 1,
it is 2/(sin x + cos x)**2. So a part of f' whose x enters only through the six trig
functions of one argument u is written in s = sin u, c = cos u, brought over one denominator
and factored, each factor also tried with s**2 = 1 - c**2; factors c + 1 and c - 1 become
half-angle squares. The rewrite is kept only where it removes a sum or brings in a half angle.
"""

from __future__ import annotations

from types import UnionType

import sympy

_TRIG = (sympy.sin, sympy.cos, sympy.tan, sympy.sec, sympy.csc, sympy.cot)
_S, _C = sympy.symbols("_s _c")
_MAX_OPS = 80  # larger parts are not tried (factor grows fast)


def _argument(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr | None:
    """The one argument u of every trig function in expr, when x enters only through them."""
    nodes = expr.atoms(*_TRIG)
    arguments = {node.args[0] for node in nodes}
    if len(arguments) != 1:
        return None
    (u,) = arguments
    if not u.has(x):
        return None
    hidden = expr.xreplace({node: sympy.Dummy() for node in nodes})
    return None if hidden.has(x) else u


def _in_s_c(expr: sympy.Expr, u: sympy.Expr) -> sympy.Expr:
    s, c = _S, _C
    return expr.xreplace({sympy.sin(u): s, sympy.cos(u): c, sympy.tan(u): s / c,
                          sympy.cot(u): c / s, sympy.sec(u): 1 / c, sympy.csc(u): 1 / s})


def _reduced(factor: sympy.Expr) -> sympy.Expr:
    """The factor with s**2 = 1 - c**2, factored again, when that is no larger."""
    try:
        poly = sympy.Poly(factor, _S)
    except sympy.PolynomialError:
        return factor
    rewritten = sympy.Add(*(coefficient * (1 - _C ** 2) ** (k // 2) * _S ** (k % 2)
                            for (k,), coefficient in poly.terms()))
    again = sympy.factor(sympy.expand(rewritten))
    return again if sympy.count_ops(again) <= sympy.count_ops(factor) else factor


def _factored(polynomial: sympy.Expr) -> sympy.Expr:
    coefficient, factors = sympy.factor_list(polynomial)
    parts = [coefficient]
    for factor, power in factors:
        parts.append(sympy.factor(_reduced(factor)) ** power)
    return sympy.Mul(*parts)


def _half_angles(expr: sympy.Expr, u: sympy.Expr) -> sympy.Expr:
    """c + 1 as 2 cos^2(u/2), c - 1 as -2 sin^2(u/2), then s, c back as sin u, cos u."""
    half = {_C + 1: 2 * sympy.cos(u / 2) ** 2, _C - 1: -2 * sympy.sin(u / 2) ** 2,
            1 - _C: 2 * sympy.sin(u / 2) ** 2, -_C - 1: -2 * sympy.cos(u / 2) ** 2}
    factors = []
    for factor in sympy.Mul.make_args(expr):
        base, power = factor.as_base_exp()
        factors.append(half[base] ** power if base in half else factor)
    return sympy.Mul(*factors).xreplace({_S: sympy.sin(u), _C: sympy.cos(u)})


def _sums(expr: sympy.Expr, x: sympy.Symbol) -> int:
    return sum(1 for node in sympy.preorder_traversal(expr)
               if isinstance(node, sympy.Add) and node.has(x))


def over_one_denominator(expr: sympy.Expr, x: sympy.Symbol,
                         held: tuple[type | UnionType, ...] = ()) -> sympy.Expr:
    """Every maximal part rational in the trig functions of one argument, rewritten as
    above where that removes a sum or brings in a half angle."""
    if not expr.args or not expr.has(x) or isinstance(expr, held):
        return expr
    if isinstance(expr, sympy.Piecewise):
        return sympy.Piecewise(*[(over_one_denominator(e, x, held), c) for e, c in expr.args])
    if isinstance(expr, sympy.Add | sympy.Mul | sympy.Pow) and sympy.count_ops(expr) <= _MAX_OPS:
        u = _argument(expr, x)
        if u is not None:
            rewritten = _rewritten(expr, u, x)
            if rewritten is not None:
                return rewritten
    args = [over_one_denominator(a, x, held) for a in expr.args]
    return expr.func(*args) if args != list(expr.args) else expr


def _rewritten(expr: sympy.Expr, u: sympy.Expr, x: sympy.Symbol) -> sympy.Expr | None:
    in_s_c = _in_s_c(expr, u)
    if in_s_c.has(x) or not in_s_c.is_rational_function(_S, _C):
        return None
    numerator, denominator = sympy.fraction(sympy.cancel(sympy.together(in_s_c)))
    try:
        factored = _factored(numerator) / _factored(denominator)
    except sympy.PolynomialError:
        return None
    result = _half_angles(factored, u)
    if _sums(result, x) < _sums(expr, x) or (
            result.has(u / 2) and not expr.has(u / 2)):
        return result
    return None
