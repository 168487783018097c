"""Where f' = 0 (x e^{-x²}: ±1/√2): every solution in f's domain, by solveset's finite
set with each solution substituted back (derive.verify.claims.prove_solutions), and no
more sign changes of f' on a grid than solutions found. The complete list (possibly empty)
is a fact for the range (derive.analysis.properties.value_range)."""

from __future__ import annotations

from itertools import pairwise

import sympy

from derive.analysis.properties.claim import Claim, How, Property
from derive.analysis.properties.context import Context
from derive.analysis.properties.facts import CriticalPoints, Domain
from derive.analysis.properties.registry import Facts, Finder, Found

# The size budget: solveset is given an f' of at most this many operations (q5's 49 run it
# past the runaway clock; x e^{-x²}'s has 8, a cubic's 4).
SOLVE_OPS = 40


def find(ctx: Context, facts: Facts) -> Found:
    from derive.verify.claims import prove_solutions

    found = Found()
    domain = facts.get(Domain)
    if (domain is None or not ctx.smooth or ctx.params
            or sympy.count_ops(ctx.d) > SOLVE_OPS):
        return found
    d = ctx.on_real(ctx.d)
    if domain.continuous != ctx.domain and periodic(d, ctx.real_x):
        # f' periodic: its zeros are none or infinitely many, never the finite list this
        # finder states, and an empty list is read only where f is continuous everywhere
        # (the range). Not attempted: solveset over a domain of infinitely many gaps takes
        # seconds ((1 - cot x)/(1 + cot x): 5.8 s of CPU) to reach an image set.
        return found
    gaps = domain.continuous.has(sympy.ImageSet, sympy.ConditionSet)
    # Over a domain of infinitely many gaps (the poles of sec x), solveset intersects what it
    # finds with every image set: seconds for sec(x)/x, to reach the ConditionSet it found
    # over the variable's own domain in 30 ms. So solved there, and a finite answer is then
    # kept point by point where f is continuous (each point decided, or nothing is stated).
    proved = prove_solutions(d, ctx.real_x, ctx.domain if gaps else domain.continuous,
                             seconds=ctx.seconds())
    if proved is None:
        return found
    points, verdict = proved
    if gaps:
        inside = [domain.continuous.contains(p) for p in points]
        if any(i not in (sympy.true, sympy.false) for i in inside):
            return found
        points = tuple(p for p, i in zip(points, inside, strict=True) if i is sympy.true)
    if _sign_changes(ctx) > len(points):
        return found  # a guard: f' changes sign more often than solveset found zeros
    found.fact = CriticalPoints(points, domain.continuous)
    if not points:
        return found
    found.properties.append(Property(
        "critical points", Claim(sympy.Derivative(sympy.Function(ctx.name)(ctx.x), ctx.x),
                                 "zero at", sympy.FiniteSet(*points)),
        verdict, How("solveset", parts=(("points", sympy.Tuple(*points)),))))
    return found


_PERIODIC = (sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc)


def periodic(expr: sympy.Expr, x: sympy.Symbol) -> bool:
    """Whether expr is periodic in x because x occurs only in the arguments a·x + b of sin,
    cos, tan, cot, sec, csc (or inside functions of those), with rational ratios between the
    a's (a common period): a
    syntactic test, so it can miss a periodic expr but never call one periodic that is not."""
    slopes: list[sympy.Expr] = []

    def covered(node: sympy.Basic) -> bool:
        if not node.has(x):
            return True
        if isinstance(node, _PERIODIC):
            slope = node.args[0].diff(x)
            if not slope.has(x) and slope != 0:
                slopes.append(slope)
                return True
        # any function of periodic ones is periodic (tan(sec x)): x must not occur outside
        return node != x and all(covered(arg) for arg in node.args)

    if not expr.has(x) or not covered(expr):
        return False
    return all((s / slopes[0]).is_rational for s in slopes)


def _sign_changes(ctx: Context) -> int:
    values = [ctx.value(ctx.d, at, {}) for at in ctx.grid()]
    known = [v for v in values if v is not None and v != 0]
    return sum(1 for a, b in pairwise(known) if (a < 0) != (b < 0))


FINDER = Finder("critical points", find, reads=(Domain,), gives=CriticalPoints)
