"""Where |f| grows without bound at a point its domain leaves out ((x²+1)/(x−1)³ at 1):
over one denominator, the denominator is 0 there and the numerator, continuous there, is
not (derive.verify.claims)."""

from __future__ import annotations

from functools import partial

import sympy

from derive.analysis.properties.claim import Claim, How, Property
from derive.analysis.properties.context import Context
from derive.analysis.properties.facts import Domain
from derive.analysis.properties.registry import Facts, Finder, Found
from derive.model import Status, Verdict


def find(ctx: Context, facts: Facts) -> Found:
    from derive.verify.claims import prove_value_at

    found = Found()
    domain = facts.get(Domain)
    if domain is None or not ctx.smooth or not ctx.small(ctx.f):
        return found
    if domain.defined.has(sympy.ImageSet, sympy.ConditionSet):
        return found  # infinitely many gaps (tan x): no finite list of poles to state
    gaps = sympy.Complement(ctx.domain, domain.defined)
    if not isinstance(gaps, sympy.FiniteSet) or not gaps.args:
        return found
    f = ctx.on_real(ctx.f)
    together = ctx.bounded(lambda: sympy.together(f))
    if together is None:
        return found
    numerator, denominator = sympy.fraction(together)
    poles = []
    for point in sorted(gaps.args, key=float):
        below = ctx.bounded(partial(sympy.simplify, denominator.subs(ctx.real_x, point)))
        top = prove_value_at(numerator, ctx.real_x, point, ctx.domain, seconds=ctx.seconds())
        bottom = prove_value_at(denominator, ctx.real_x, point, ctx.domain,
                                seconds=ctx.seconds())
        if below != 0 or top is None or bottom is None or top[0].is_zero is not False:
            continue
        poles.append(point)
    for point in poles:
        found.properties.append(Property(
            "poles", Claim(sympy.Function(ctx.name)(ctx.x), "pole at", point),
            Verdict(Status.PROVED, ""), How("one denominator")))
    return found


FINDER = Finder("poles", find, reads=(Domain,))
