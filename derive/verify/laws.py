"""Identities that hold under assumptions SymPy can prove, applied before an exact stage.

`cancel` treats asinh(sinh x), erfc x or max(x, y) as opaque generators, so it cannot see
asinh(sinh x) = x or erfc x = 1 − erf x. Each law below is a true identity for every value
its condition admits, and a law is used only where SymPy's assumptions *prove* that
condition (x real, u > 0, …). Rewriting both sides by true identities and then cancelling
is a proof; a law that does not apply leaves the node as it was.

* inverse functions: asinh(sinh u) = u and atanh(tanh u) = u for real u, acosh(cosh u) = |u|
  for real u, log(exp u) = u for real u (SymPy does the others, sinh(asinh u) = u, itself);
  any other asinh u = log(u + √(u² + 1)), true everywhere;
* log(u^k) = k·log|u| for real u ≠ 0 and even k, k·log u for u > 0 and real k;
* atan(1/u) = sign(u)·π/2 − atan(u) for real u, and acot u = atan(1/u) for real u ≠ 0
  (SymPy's acot is that, with acot 0 = π/2);
* acos u = π/2 − asin u, asec u = acos(1/u), acsc u = asin(1/u), everywhere (SymPy's
  principal branches are defined so, real or not);
* erfc u = 1 − erf u, everywhere;
* max(a, b) = (a + b + |a − b|)/2 and min(a, b) = (a + b − |a − b|)/2 for real a, b;
* square roots denested where SymPy's `sqrtdenest` can (√(3 + 2√2) = 1 + √2);
* sign u = ±1, |u| = ±u and H(u) = 1 or 0 where u's sign is proved by bounds
  (derive.verify.bounds: sin, cos ∈ [−1, 1], exp ≥ 0, squares ≥ 0 carried up the
  expression), for every real value of the variables: sign(2 + sin x) = 1, which SymPy's
  assumptions cannot show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy

__all__ = ["apply_laws", "square_law_applies"]


Rewritten = tuple[str, sympy.Expr] | None  # (the law's name, the node rewritten)
Law = Callable[[sympy.Expr], Rewritten]


def _inverse(name: str, inner: Any, result: Callable[[sympy.Expr], sympy.Expr]) -> Law:
    def law(node: sympy.Expr) -> Rewritten:
        u: sympy.Expr = node.args[0]
        if isinstance(u, inner) and u.args[0].is_extended_real:
            return name, result(u.args[0])
        return None
    return law


def _atan(node: sympy.Expr) -> Rewritten:
    """atan(1/u) = sign(u)·π/2 − atan u for real u (at u = 0 the left side is undefined).
    A reciprocal in disguise (atan(e^{−x}) and atan(e^x), atan(t/(t + 1))) is written by
    the same law towards whichever of w and 1/w sorts first, so that both sides of a claim
    meet; only for a w proved nonzero, where both sides of the law are defined."""
    argument = node.args[0]
    if argument.is_Pow and argument.exp == -1 and argument.base.is_extended_real:
        u = argument.base
        return "atan(1/u) = sign(u)·π/2 − atan u", sympy.sign(u) * sympy.pi / 2 - sympy.atan(u)
    if argument.is_extended_real and argument.is_zero is False and argument.has(sympy.Symbol):
        u = 1 / argument
        reciprocal = u.is_Pow and u.exp == -1  # the first branch would turn it back
        if not reciprocal and sympy.default_sort_key(u) < sympy.default_sort_key(argument):
            return ("atan(1/u) = sign(u)·π/2 − atan u",
                    sympy.sign(u) * sympy.pi / 2 - sympy.atan(u))
    return None


def _asinh(node: sympy.Expr) -> Rewritten:
    u = node.args[0]
    if isinstance(u, sympy.sinh) and u.args[0].is_extended_real:
        return "asinh(sinh u) = u", u.args[0]
    return "asinh u = log(u + √(u² + 1))", sympy.log(u + sympy.sqrt(u**2 + 1))


def _log(node: sympy.Expr) -> Rewritten:
    u = node.args[0]
    if isinstance(u, sympy.exp) and u.args[0].is_extended_real:
        return "log(exp u) = u", u.args[0]
    if u.is_Pow:
        base, k = u.base, u.exp
        if base.is_positive and k.is_extended_real:
            return "log(u^k) = k log u", k * sympy.log(base)
        if k.is_even and base.is_extended_real:  # at u = 0 neither side is defined
            return "log(u^k) = k log|u|", k * sympy.log(sympy.Abs(base))
    return None


def _acot(node: sympy.Expr) -> Rewritten:
    u = node.args[0]
    if u.is_extended_real and u.is_nonzero:
        return "acot u = atan(1/u)", sympy.atan(1 / u)
    return None


def _max_min(node: sympy.Expr) -> Rewritten:
    args = node.args
    if not all(a.is_extended_real and a.is_finite for a in args):
        return None
    big = isinstance(node, sympy.Max)
    sign = 1 if big else -1
    value = args[0]
    for b in args[1:]:
        value = (value + b + sign * sympy.Abs(value - b)) / 2
    return ("max(a, b) = (a + b + |a − b|)/2" if big else "min(a, b) = (a + b − |a − b|)/2",
            value)


BY_BOUNDS = "by bounds (sin, cos ∈ [−1, 1], exp ≥ 0, squares ≥ 0)"


def _signed(node: sympy.Expr) -> Rewritten:
    """sign u, |u|, H(u) for a u whose sign SymPy's assumptions leave open and bounds show."""
    from derive.verify.bounds import sign_by_bounds

    u = node.args[0]
    if not u.free_symbols or u.is_positive or u.is_negative:
        return None  # SymPy evaluates these itself
    sign = sign_by_bounds(u)
    if sign is None:
        return None
    why = f"u {'>' if sign > 0 else '<'} 0 {BY_BOUNDS}"
    if isinstance(node, sympy.sign):
        return f"sign u = {sign}: {why}", sympy.Integer(sign)
    if isinstance(node, sympy.Abs):
        return f"|u| = {'u' if sign > 0 else '−u'}: {why}", sign * u
    return f"H(u) = {1 if sign > 0 else 0}: {why}", sympy.Integer(1 if sign > 0 else 0)


LAWS: dict[type, Law] = {
    sympy.sign: _signed,
    sympy.Abs: _signed,
    sympy.Heaviside: _signed,
    sympy.asinh: _asinh,
    sympy.atanh: _inverse("atanh(tanh u) = u", sympy.tanh, lambda u: u),
    sympy.acosh: _inverse("acosh(cosh u) = |u|", sympy.cosh, sympy.Abs),
    sympy.log: _log,
    sympy.atan: _atan,
    sympy.acot: _acot,
    sympy.erfc: lambda node: ("erfc u = 1 − erf u", 1 - sympy.erf(node.args[0])),
    sympy.acos: lambda node: ("acos u = π/2 − asin u", sympy.pi / 2 - sympy.asin(node.args[0])),
    sympy.asec: lambda node: ("asec u = acos(1/u)", sympy.acos(1 / node.args[0])),
    sympy.acsc: lambda node: ("acsc u = asin(1/u)", sympy.asin(1 / node.args[0])),
    sympy.Max: _max_min,
    sympy.Min: _max_min,
}


def apply_laws(expr: sympy.Expr, used: list[str]) -> sympy.Expr:
    """expr with every applicable law used, innermost first, square roots denested; the
    name of each law applied is added to `used`."""
    def visit(node: sympy.Basic) -> sympy.Basic:
        if not node.args or node.is_Atom or isinstance(node, sympy.Piecewise):
            return node
        rebuilt = node.func(*[visit(a) for a in node.args])
        law = LAWS.get(type(rebuilt))
        rewritten = law(rebuilt) if law is not None else None
        if rewritten is not None:
            name, replaced = rewritten
            if name not in used:
                used.append(name)
            return visit(replaced)
        return rebuilt

    result = visit(expr)
    if any(p.exp == sympy.S.Half and p.base.is_Add and p.base.has(sympy.Pow)
           for p in result.atoms(sympy.Pow)):
        denested = sympy.sqrtdenest(result)
        if denested != result:
            used.append("square roots denested")
            result = denested
    return result


def square_law_applies(left: sympy.Expr, right: sympy.Expr) -> bool:
    """Both sides provably nonnegative (so equal squares mean equal sides)."""
    return bool(left.is_nonnegative and right.is_nonnegative)
