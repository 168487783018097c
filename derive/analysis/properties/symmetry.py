"""Odd, even, or f(−x) = c − f(x) (point symmetry about (0, c/2)), by derive.verify."""

from __future__ import annotations

import sympy

from derive.analysis.properties.claim import Claim, How, Property
from derive.analysis.properties.context import Context
from derive.analysis.properties.facts import ValueAtZero
from derive.analysis.properties.registry import Facts, Finder, Found


def find(ctx: Context, facts: Facts) -> Found:
    found = Found()
    if ctx.domain != sympy.S.Reals:
        return found
    mirrored = ctx.f.subs(ctx.x, -ctx.x)
    value = facts.get(ValueAtZero)
    c = 2 * value.value if value is not None else sympy.S.Zero
    # Even first: a constant is even, and "f(−x) = 2c − f(x)" would be a silly way to say it.
    candidates = [(ctx.f, "even"), (-ctx.f + c, "odd" if c == 0 else "point")]
    for other, kind in candidates:
        if not _agrees_at_samples(ctx, mirrored, other):
            continue
        verdict = ctx.check_equal(mirrored, other)
        if not verdict.ok:
            continue
        head = sympy.Function(ctx.name)
        found.properties.append(Property("symmetry", Claim(
            head(-ctx.x), "=", c - head(ctx.x) if kind != "even" else head(ctx.x)), verdict,
            How(kind, parts=(("c", c),))))
        return found
    return found


def _agrees_at_samples(ctx: Context, left: sympy.Expr, right: sympy.Expr) -> bool:
    """A cheap numeric screen before asking the verifier."""
    for setting in ctx.parameter_values():
        for at in ("0.7", "1.9", "-2.3"):
            a, b = ctx.value(left, at, setting), ctx.value(right, at, setting)
            if a is None or b is None or abs(a - b) > 1e-20 * max(1, abs(a)):
                return False
    return True


FINDER = Finder("symmetry", find, reads=(ValueAtZero,))
