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
    proved = prove_solutions(d, ctx.real_x, domain.continuous, seconds=ctx.seconds())
    if proved is None:
        return found
    points, verdict = proved
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


def _sign_changes(ctx: Context) -> int:
    values = [ctx.value(ctx.d, at, {}) for at in ctx.grid()]
    known = [v for v in values if v is not None and v != 0]
    return sum(1 for a, b in pairwise(known) if (a < 0) != (b < 0))


FINDER = Finder("critical points", find, reads=(Domain,), gives=CriticalPoints)
