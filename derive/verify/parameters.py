"""The values of the parameters (the symbols other than x) for which a claim at a point may
fail: f(0) = 0 for a·x²/(n² + x²) is false at n = 0 (0/0), f'(0) = −sign(y) for |x − y| is
false at y = 0 (the kink is at 0, there is no derivative).

A claim found by substituting a point is a claim for every value of the parameters, since
a document states it without a condition. It holds for all of them when no value can put
the point on a denominator's zero, a logarithm's or a fractional power's edge, a jump
(Heaviside, sign, a Piecewise condition's boundary), a pole, or, for a derivative, a kink
(|u|, max, min at u = 0; √u at u = 0). `point_conditions` lists, node by node, each such
condition the parameters must meet at the point and SymPy's assumptions cannot show for
every real value they may take; an empty list is the proof that none can fail. (A point
that is a join or a kink for every value, ELU's 0, is left to the callers' own checks,
which do not depend on the parameters' values.) The reading
is syntactic, so it may list a condition that holds all the same (its caller then says
nothing, which is never false) but it misses none: every node whose meaning changes at
some argument value is looked at.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy

# Defined and continuous everywhere on ℝ: nothing to meet at any argument.
_EVERYWHERE = (sympy.exp, sympy.sin, sympy.cos, sympy.atan, sympy.tanh, sympy.sinh, sympy.cosh,
               sympy.asinh, sympy.erf, sympy.erfc, sympy.sech, sympy.acot)
# Continuous everywhere, but not differentiable where their argument is 0.
_KINKED = (sympy.Abs,)
# Jumps where their argument is 0 (floor and the like: at every integer).
_JUMPS = (sympy.Heaviside, sympy.sign)
_STEPS = (sympy.floor, sympy.ceiling, sympy.frac)
# Poles or domain edges at some argument values.
_POLES = (sympy.tan, sympy.cot, sympy.sec, sympy.csc, sympy.coth, sympy.csch, sympy.asin,
          sympy.acos, sympy.atanh, sympy.acosh, sympy.acsc, sympy.asec, sympy.acoth,
          sympy.asech, sympy.acsch, sympy.gamma, sympy.loggamma, sympy.LambertW)


def point_conditions(expr: sympy.Expr, x: sympy.Symbol, point: sympy.Expr, *,
                     differentiable: bool = False) -> list[sympy.Basic]:
    """The conditions on the parameters under which expr is defined and continuous at
    x = point (differentiable=True: also differentiable there), each one that is not shown
    to hold for every real value of the parameters. [] when expr has no parameters."""
    params = expr.free_symbols - {x}
    if not params:
        return []
    # Parameters are real numbers (a document's a, b, y): SymPy's plain symbols are complex.
    real = {p: sympy.Symbol(p.name, real=True) for p in params if p.is_extended_real is None}
    back = {v: k for k, v in real.items()}
    found: list[sympy.Basic] = []
    symbols = set(params) | set(real.values())
    for condition in _conditions(expr.xreplace(real), x, point, symbols, differentiable):
        # A condition free of the parameters (ELU's join at 0, whatever α is) is the same for
        # every value: the callers' own checks (continuity, one-sided quotients) decide it.
        fixed = condition is not sympy.false and not (condition.free_symbols & symbols)
        if condition is not sympy.true and not fixed and condition not in found:
            found.append(condition)
    return [c.xreplace(back) for c in found]


def _conditions(expr: sympy.Expr, x: sympy.Symbol, point: sympy.Expr,
                params: set[sympy.Symbol], differentiable: bool) -> list[sympy.Basic]:
    out: list[sympy.Basic] = []
    for node in sympy.preorder_traversal(expr):
        if not isinstance(node, sympy.Basic) or not (node.free_symbols & params):
            continue

        def at(e: sympy.Expr) -> sympy.Expr:
            return e.subs(x, point)

        if node.is_Pow:
            base, exponent = node.base, node.exp
            b = at(base)
            if exponent.is_integer:
                if exponent.is_negative or exponent.is_nonnegative is not True:
                    out.append(_nonzero(b))
            elif exponent.is_positive and not exponent.has(x) and not differentiable:
                out.append(_nonnegative(b))  # √u, u^π: defined and continuous at u = 0
            elif exponent.free_symbols & params and not b.is_positive:
                out.append(sympy.false)  # 0^a, (−1)^a: what they are depends on a
            else:
                out.append(_positive(b))
        elif isinstance(node, sympy.log):
            out.append(_positive(at(node.args[0])))
        elif isinstance(node, _JUMPS):
            out.append(_nonzero(at(node.args[0])))
        elif isinstance(node, _KINKED):
            if differentiable:
                out.append(_nonzero(at(node.args[0])))
        elif isinstance(node, (sympy.Max, sympy.Min)):
            if differentiable:
                values = [at(a) for a in node.args]
                out.extend(_nonzero(a - b) for i, a in enumerate(values) for b in values[i + 1:])
        elif isinstance(node, sympy.Piecewise):
            for _, condition in node.args:
                out.extend(_off_boundary(condition, at))
        elif isinstance(node, (*_STEPS, *_POLES)):
            if at(node.args[0]).free_symbols & params:
                out.append(sympy.false)  # a condition this reading does not state
        elif node.is_Atom or node.is_Add or node.is_Mul or isinstance(node, _EVERYWHERE):
            continue
        elif isinstance(node, sympy.Expr) and node.is_Function:
            out.append(sympy.false)  # a function this module does not know
    return out


def _off_boundary(condition: sympy.Basic,
                  at: Callable[[sympy.Expr], sympy.Expr]) -> list[sympy.Basic]:
    """A Piecewise condition's every comparison away from equality at the point (where it
    is neither side's interior, the pieces may disagree)."""
    if condition in (sympy.true, sympy.false):
        return []
    if isinstance(condition, (sympy.And, sympy.Or, sympy.Not)):
        return [c for part in condition.args for c in _off_boundary(part, at)]
    if isinstance(condition, sympy.core.relational.Relational):
        return [_nonzero(at(condition.lhs - condition.rhs))]
    return [sympy.false]


def _nonzero(value: sympy.Expr) -> sympy.Basic:
    return sympy.true if value.is_zero is False else sympy.Ne(value, 0, evaluate=False)


def _positive(value: sympy.Expr) -> sympy.Basic:
    return sympy.true if value.is_positive else sympy.Gt(value, 0, evaluate=False)


def _nonnegative(value: sympy.Expr) -> sympy.Basic:
    return sympy.true if value.is_nonnegative else sympy.Ge(value, 0, evaluate=False)
