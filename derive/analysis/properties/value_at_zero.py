"""f(0), by exact substitution where f is continuous at 0 (derive.verify.claims): x^x is
not defined for real x near 0, whatever SymPy's 0^0 = 1 says."""

from __future__ import annotations

import sympy

from derive.analysis.properties.claim import Claim, How, Property
from derive.analysis.properties.context import Context, is_number
from derive.analysis.properties.facts import ValueAtZero
from derive.analysis.properties.registry import Facts, Finder, Found


def find(ctx: Context, facts: Facts) -> Found:
    from derive.verify.claims import prove_value_at

    found = Found()
    if ctx.domain.contains(0) is not sympy.true:
        return found
    proved = prove_value_at(ctx.on_real(ctx.f), ctx.real_x, sympy.S.Zero, ctx.domain,
                            seconds=ctx.seconds())
    if proved is None:
        return found
    value, verdict = proved
    value = value.xreplace({ctx.real_x: ctx.x})
    if not is_number(value):
        return found
    for setting in ctx.parameter_values():
        direct, exact = ctx.value(ctx.f, "0", setting), ctx.value(value, "0", setting)
        if direct is None or exact is None or abs(direct - exact) > 1e-25 * max(1, abs(exact)):
            return found
    found.fact = ValueAtZero(value)
    found.properties.append(Property(
        "value at 0", Claim(sympy.Function(ctx.name)(0), "=", value), verdict,
        How("exact substitution, agrees numerically")))
    return found


FINDER = Finder("value at 0", find, gives=ValueAtZero)
