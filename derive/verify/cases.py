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

from derive.engine.kinks import (
    KINKED,
    MAX_BREAKPOINTS,
    Unsupported,
    between,
    branch_at,
    innermost_kink,
    ordered,
    sample,
    switch_points,
    switch_symbols,
)
from derive.verify.budget import SIMPLIFY_OPS
from derive.verify.rational import Unsupported as RationalUnsupported
from derive.verify.rational import difference_numerator, equal_as_rational_functions

__all__ = ["KINKED", "CaseOutcome", "applicable", "equal_by_cases"]


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
    switching = set().union(*(switch_symbols(node) for node in kinks)) if kinks else set()
    if len(switching) != 1:
        return None
    (x,) = switching
    if not x.is_real or x.is_positive is not None or x.is_negative is not None:
        return None  # a restricted domain: the intervals would reach outside it
    return x


def equal_by_cases(left: sympy.Expr, right: sympy.Expr, x: sympy.Symbol,
                   deadline: float) -> CaseOutcome | None:
    """CaseOutcome if the sides are equal on every interval; None if not shown (decided by
    sizes: MAX_BREAKPOINTS, the exact stage's work budget). TimeoutError once `deadline`,
    the runaway bound, has passed."""
    splitter = _Splitter(x, deadline)
    try:
        if not splitter.prove(left, right, -sympy.oo, sympy.oo):
            return None
    except Unsupported:
        return None
    points = tuple(ordered(splitter.breakpoints))
    outcome = CaseOutcome(points)
    for point in points:
        a, b = left.subs(x, point), right.subs(x, point)
        if _undefined(a) or _undefined(b):
            continue  # a side is undefined there: nothing is claimed at that point
        # 0 is an identity in the parameters; anything else is a difference, including a
        # gap that cannot be decided (stated, never proved). A nonzero rational function of
        # the parameters needs no simplify (which costs half a second cold).
        if not _same_value(a, b):
            outcome.differences.append((point, a, b))
    return outcome


class _Splitter:
    def __init__(self, x: sympy.Symbol, deadline: float) -> None:
        self.x = x
        self.deadline = deadline
        self.breakpoints: set[sympy.Expr] = set()

    def prove(self, left: sympy.Expr, right: sympy.Expr, lo: sympy.Expr, hi: sympy.Expr) -> bool:
        if time.process_time() > self.deadline:
            # the runaway bound: reported as the clock's, never as "not shown"
            raise TimeoutError("the cases stage ran out of time")
        node = innermost_kink(left)
        if node is None:
            node = innermost_kink(right)
        if node is None:
            return bool(equal_as_rational_functions(left, right, deadline=self.deadline))
        inside = ordered({p for p in switch_points(node, self.x) if between(lo, p, hi)})
        if inside:
            self.breakpoints.update(inside)
            if len(self.breakpoints) > MAX_BREAKPOINTS:
                raise Unsupported("too many breakpoints")
            edges = [lo, *inside, hi]
            return all(self.prove(left, right, a, b) for a, b in pairwise(edges))
        smooth = branch_at(node, self.x, sample(lo, hi))
        return self.prove(left.xreplace({node: smooth}), right.xreplace({node: smooth}), lo, hi)


def _same_value(a: sympy.Expr, b: sympy.Expr) -> bool:
    try:
        difference = difference_numerator(a, b)
    except (RationalUnsupported, TimeoutError):
        difference = None
    if difference == 0:
        return True
    if difference is not None and all(g.is_Symbol for g in difference.free_symbols) and (
            not difference.atoms(sympy.Function, sympy.NumberSymbol) and not difference.has(sympy.Pow)):
        return False  # a nonzero polynomial in the parameters (or a nonzero number)
    if sympy.count_ops(a - b) > SIMPLIFY_OPS:
        return False  # beyond simplify's size budget: a gap not shown to close (stated)
    return bool(sympy.simplify(a - b) == 0)


def _undefined(value: sympy.Expr) -> bool:
    return bool(value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo)) or value.is_real is False
