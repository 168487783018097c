"""Equality of expressions with kinks, interval by interval.

|u|, sign(u), H(u), max, min and Piecewise are smooth between the points where their
arguments change sign. `simplify` rarely sees through them and is slow trying; splitting the
real line at those points is exact and fast:

1. take an innermost kinked node (its arguments have no kinks of their own);
2. find where it can switch: the real roots of u (or of a − b for max/min, or of each
   relation of a Piecewise condition), which must be polynomials with rational
   coefficients so the roots are exact;
3. on each open interval between consecutive roots the node is one smooth expression,
   picked at a rational point inside; substitute it and go on until no kink is left;
4. on each interval the two sides must then be equal as rational functions (`cancel`).

Equality on every open interval leaves the breakpoints themselves: there both sides are
evaluated exactly. Where both are defined and differ (H(0) = 1/2 against a piece that says 0,
at a kink where f' does not exist), the result says so and is not a proof.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from itertools import pairwise

import sympy

from derive.verify.rational import equal_as_rational_functions

KINKED = (sympy.Abs, sympy.sign, sympy.Heaviside, sympy.Max, sympy.Min, sympy.Piecewise)
MAX_BREAKPOINTS = 24  # beyond this the split is not worth it: leave it to later stages


class Unsupported(Exception):
    """The expression is outside what the split handles (non-polynomial switch points, ...)."""


@dataclass
class CaseOutcome:
    """Both sides are equal on every interval; `differences` lists breakpoints where both
    sides are defined and differ (point, left, right). `breakpoints` are all the points."""

    breakpoints: tuple[sympy.Expr, ...]
    differences: list[tuple[sympy.Expr, sympy.Expr, sympy.Expr]] = field(default_factory=list)


def applicable(left: sympy.Expr, right: sympy.Expr) -> sympy.Symbol | None:
    """The variable, when every kink in either side switches on one real variable alone.

    Other symbols are parameters: they may appear anywhere but in a switch (the α of
    ELU's α(eˣ − 1) branch), since the cancel on each interval holds for every value of them.
    """
    kinks = [node for side in (left, right) for node in sympy.preorder_traversal(side)
             if isinstance(node, KINKED)]
    switching = set().union(*(_switch_symbols(node) for node in kinks)) if kinks else set()
    if len(switching) != 1:
        return None
    (x,) = switching
    if not x.is_real or x.is_positive is not None or x.is_negative is not None:
        return None  # a restricted domain: the intervals would reach outside it
    return x


def _switch_symbols(node: sympy.Expr) -> set[sympy.Symbol]:
    """The symbols that decide which branch of the kinked node applies."""
    if isinstance(node, sympy.Piecewise):
        return set().union(*(condition.free_symbols for _, condition in node.args))
    return node.free_symbols  # |u|, sign, H: u; max, min: every argument


def equal_by_cases(left: sympy.Expr, right: sympy.Expr, x: sympy.Symbol,
                   deadline: float) -> CaseOutcome | None:
    """CaseOutcome if the sides are equal on every interval; None if not shown."""
    splitter = _Splitter(x, deadline)
    try:
        if not splitter.prove(left, right, -sympy.oo, sympy.oo):
            return None
    except Unsupported:
        return None
    points = tuple(sorted(splitter.breakpoints, key=lambda p: sympy.N(p, 30)))
    outcome = CaseOutcome(points)
    for point in points:
        a, b = left.subs(x, point), right.subs(x, point)
        if _undefined(a) or _undefined(b):
            continue  # a side is undefined there: nothing is claimed at that point
        # simplify to 0 is an identity in the parameters; anything else is a difference,
        # including a gap that cannot be decided (stated, never proved).
        if sympy.simplify(a - b) != 0:
            outcome.differences.append((point, a, b))
    return outcome


class _Splitter:
    def __init__(self, x: sympy.Symbol, deadline: float) -> None:
        self.x = x
        self.deadline = deadline
        self.breakpoints: set[sympy.Expr] = set()

    def prove(self, left: sympy.Expr, right: sympy.Expr, lo: sympy.Expr, hi: sympy.Expr) -> bool:
        if time.perf_counter() > self.deadline:
            raise Unsupported("out of time")
        node = _innermost_kink(left)
        if node is None:
            node = _innermost_kink(right)
        if node is None:
            return bool(equal_as_rational_functions(left, right, deadline=self.deadline))
        inside = sorted({p for p in self.switch_points(node) if _between(lo, p, hi)},
                        key=lambda p: sympy.N(p, 30))
        if inside:
            self.breakpoints.update(inside)
            if len(self.breakpoints) > MAX_BREAKPOINTS:
                raise Unsupported("too many breakpoints")
            edges = [lo, *inside, hi]
            return all(self.prove(left, right, a, b) for a, b in pairwise(edges))
        smooth = _resolve(node, self.x, _sample(lo, hi))
        return self.prove(left.xreplace({node: smooth}), right.xreplace({node: smooth}), lo, hi)

    def switch_points(self, node: sympy.Expr) -> set[sympy.Expr]:
        if isinstance(node, sympy.Max | sympy.Min):
            args = node.args
            polys = [a - b for i, a in enumerate(args) for b in args[i + 1:]]
        elif isinstance(node, sympy.Piecewise):
            polys = [rel.lhs - rel.rhs for _, cond in node.args
                     for rel in _relations(cond)]
        else:
            polys = [node.args[0]]
        points: set[sympy.Expr] = set()
        for expr in polys:
            points.update(_real_roots(expr, self.x))
        return points


def _innermost_kink(expr: sympy.Expr) -> sympy.Expr | None:
    for node in sympy.postorder_traversal(expr):
        if isinstance(node, KINKED):
            return node
    return None


def _relations(condition: sympy.Basic) -> list[sympy.Basic]:
    if condition in (sympy.true, sympy.false):
        return []
    if isinstance(condition, sympy.core.relational.Relational):
        return [condition]
    if isinstance(condition, sympy.And | sympy.Or | sympy.Not):
        return [r for arg in condition.args for r in _relations(arg)]
    raise Unsupported(f"condition {condition}")


def _real_roots(expr: sympy.Expr, x: sympy.Symbol) -> list[sympy.Expr]:
    expr = sympy.together(expr)
    numerator, denominator = sympy.fraction(expr)
    if denominator.has(x):
        raise Unsupported("a switch point of a rational function")
    if not numerator.has(x):
        return []
    try:
        poly = sympy.Poly(numerator, x)
    except sympy.PolynomialError:
        raise Unsupported("a switch point that is not a polynomial root") from None
    if not poly.domain.is_QQ and not poly.domain.is_ZZ:
        raise Unsupported("a polynomial with non-rational coefficients")
    if poly.degree() > 4:
        raise Unsupported("a polynomial of high degree")
    return list(dict.fromkeys(sympy.real_roots(poly)))


def _between(lo: sympy.Expr, point: sympy.Expr, hi: sympy.Expr) -> bool:
    return bool((lo < point) == sympy.true and (point < hi) == sympy.true)


def _sample(lo: sympy.Expr, hi: sympy.Expr) -> sympy.Rational:
    """A rational point strictly inside (lo, hi)."""
    if lo is -sympy.oo and hi is sympy.oo:
        return sympy.Rational(1, 3)
    if lo is -sympy.oo:
        return sympy.floor(hi) - 1
    if hi is sympy.oo:
        return sympy.ceiling(lo) + 1
    middle = sympy.Rational(str(sympy.N((lo + hi) / 2, 40)))
    if not _between(lo, middle, hi):
        raise Unsupported("breakpoints too close to separate")
    return middle


def _resolve(node: sympy.Expr, x: sympy.Symbol, s: sympy.Rational) -> sympy.Expr:
    """The smooth expression `node` equals on the interval around s (no switch inside)."""
    def at(expr: sympy.Expr) -> sympy.Expr:
        value = expr.xreplace({x: s})
        if not value.is_comparable:
            raise Unsupported(f"cannot decide the sign of {expr}")
        return value

    if isinstance(node, sympy.Abs):
        u = node.args[0]
        return u if at(u) > 0 else -u
    if isinstance(node, sympy.sign):
        return sympy.S.One if at(node.args[0]) > 0 else sympy.S.NegativeOne
    if isinstance(node, sympy.Heaviside):
        return sympy.S.One if at(node.args[0]) > 0 else sympy.S.Zero
    if isinstance(node, sympy.Max):
        return max(node.args, key=lambda a: at(a))
    if isinstance(node, sympy.Min):
        return min(node.args, key=lambda a: at(a))
    for value, condition in node.args:  # Piecewise: the first piece whose condition holds
        holds = condition.xreplace({x: s})
        if holds is sympy.true:
            return value
        if holds is not sympy.false:
            raise Unsupported(f"cannot decide {condition} at {s}")
    return sympy.nan  # no piece applies: undefined there


def _undefined(value: sympy.Expr) -> bool:
    return bool(value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo)) or value.is_real is False
