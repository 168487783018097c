"""Where f is defined: stated when it is less than the variable's whole domain (x ≠ 0,
x > 0), from each operation's own domain (derive.verify.claims.continuous_domain)."""

from __future__ import annotations

import sympy

from derive.analysis.properties.claim import Claim, How, Property
from derive.analysis.properties.context import Context
from derive.analysis.properties.facts import Domain
from derive.analysis.properties.registry import Facts, Finder, Found
from derive.model import Status, Verdict


def find(ctx: Context, facts: Facts) -> Found:
    from derive.verify.claims import continuous_domain

    found = Found()
    if not ctx.small(ctx.f):
        return found
    f = ctx.on_real(ctx.f)
    defined = continuous_domain(f, ctx.real_x, ctx.domain, seconds=ctx.seconds(), defined=True)
    continuous = continuous_domain(f, ctx.real_x, ctx.domain, seconds=ctx.seconds())
    if defined is None or continuous is None:
        return found
    found.fact = Domain(defined, continuous)
    if defined == ctx.domain or not _readable(defined):
        return found
    found.properties.append(Property(
        "domain", Claim(sympy.Function(ctx.name)(ctx.x), "defined on", defined),
        Verdict(Status.PROVED, ""), How("the domain of each operation")))
    return found


def _readable(where: sympy.Set) -> bool:
    """Intervals and unions of them: what a reader can take in at a glance."""
    if isinstance(where, sympy.Interval):
        return True
    return isinstance(where, sympy.Union) and all(
        isinstance(part, sympy.Interval) for part in where.args)


FINDER = Finder("domain", find, gives=Domain)
