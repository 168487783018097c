"""With 0 < f' ≤ m < 1, a product of n slopes is at most mⁿ: gradients shrink."""

from __future__ import annotations

import sympy

from derive.analysis.properties.claim import Claim, How, Property
from derive.analysis.properties.context import Context
from derive.analysis.properties.facts import MaxSlope, Monotonicity
from derive.analysis.properties.monotonic import weakest
from derive.analysis.properties.registry import Facts, Finder, Found


def find(ctx: Context, facts: Facts) -> Found:
    found = Found()
    peak_fact, direction = facts.get(MaxSlope), facts.get(Monotonicity)
    if peak_fact is None or direction is None or direction.kind != "increasing":
        return found
    peak = peak_fact.peak
    if not (peak.is_positive and (peak < 1) is sympy.true):
        return found
    n = sympy.Symbol("n", positive=True, integer=True)
    found.properties.append(Property(
        "vanishing gradient", Claim(sympy.Symbol("product of n slopes"), "<=", peak**n),
        weakest(peak_fact.verdict, direction.verdict),
        How("bounded slopes", parts=(("peak", peak),))))
    return found


FINDER = Finder("vanishing gradient", find, reads=(MaxSlope, Monotonicity))
