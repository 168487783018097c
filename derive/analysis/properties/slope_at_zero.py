"""f'(0), claimed only where the difference quotients from both sides agree with it: a kink
(relu at 0) is not a derivative, whatever value SymPy's Heaviside(0) takes. With parameters,
only where no value of them puts a kink, a jump or a pole at 0 (derive.verify.parameters)."""

from __future__ import annotations

import sympy

from derive.analysis.properties.claim import Claim, How, Property
from derive.analysis.properties.context import DIGITS, Context, is_number
from derive.analysis.properties.facts import SlopeAtZero, ValueAtZero
from derive.analysis.properties.registry import Facts, Finder, Found
from derive.model import Status, Verdict

_H = "1e-15"  # the step of the one-sided difference quotients


def find(ctx: Context, facts: Facts) -> Found:
    import mpmath

    from derive.verify.claims import prove_value_at
    from derive.verify.parameters import point_conditions

    found = Found()
    if facts.get(ValueAtZero) is None:
        return found
    # A slope for every value of the parameters, or none: |x − y| has f'(0) = −sign(y) only
    # where y ≠ 0, and the quotients below try two values of y, neither of them 0.
    if point_conditions(ctx.on_real(ctx.f), ctx.real_x, sympy.S.Zero, differentiable=True) or (
            point_conditions(ctx.on_real(ctx.d), ctx.real_x, sympy.S.Zero)):
        return found
    slope = ctx.d.subs(ctx.x, 0)
    if not is_number(slope):
        return found
    for setting in ctx.parameter_values():
        exact = ctx.value(slope, "0", setting)
        at0 = ctx.value(ctx.f, "0", setting)
        right = ctx.value(ctx.f, _H, setting)
        left = ctx.value(ctx.f, "-" + _H, setting)
        if None in (exact, at0, right, left):
            return found
        with mpmath.workdps(DIGITS):
            quotients = ((right - at0) / mpmath.mpf(_H), (at0 - left) / mpmath.mpf(_H))
        if any(abs(q - exact) > 1e-9 * max(1, abs(exact)) for q in quotients):
            return found
    proved = prove_value_at(ctx.on_real(ctx.d), ctx.real_x, sympy.S.Zero, ctx.domain,
                            seconds=ctx.seconds()) if ctx.smooth else None
    if proved is not None:
        verdict, how = proved[1], How("exact substitution, quotients agree")
    else:
        verdict = Verdict(Status.CHECKED, "")
        how = How("difference quotients", parts=(("h", sympy.Rational(_H)),
                                                 ("digits", sympy.Integer(DIGITS))))
    found.fact = SlopeAtZero(slope)
    found.properties.append(Property(
        "slope at 0", Claim(sympy.Subs(sympy.Derivative(sympy.Function(ctx.name)(ctx.x), ctx.x),
                                       ctx.x, 0), "=", slope), verdict, how))
    return found


FINDER = Finder("slope at 0", find, reads=(ValueAtZero,), gives=SlopeAtZero)
