"""f'(0), claimed only where the difference quotients from both sides agree with it: a kink
(relu at 0) is not a derivative, whatever value SymPy's Heaviside(0) takes. With parameters,
only where no value of them puts a kink, a jump or a pole at 0 (derive.verify.parameters)."""

from __future__ import annotations

import sympy

from derive.analysis.properties.claim import Claim, How, Property
from derive.analysis.properties.context import DIGITS, NON_SMOOTH, Context, is_number
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
    if ctx.smooth:
        exact = prove_value_at(ctx.on_real(ctx.d), ctx.real_x, sympy.S.Zero, ctx.domain,
                               seconds=ctx.seconds())
        proved = None if exact is None else (exact[1], "exact substitution, quotients agree")
    else:
        proved = _from_piece(ctx, slope)
    if proved is not None:
        verdict, how = proved[0], How(proved[1])
    else:
        verdict = Verdict(Status.CHECKED, "")
        how = How("difference quotients", parts=(("h", sympy.Rational(_H)),
                                                 ("digits", sympy.Integer(DIGITS))))
    found.fact = SlopeAtZero(slope)
    found.properties.append(Property(
        "slope at 0", Claim(sympy.Subs(sympy.Derivative(sympy.Function(ctx.name)(ctx.x), ctx.x),
                                       ctx.x, 0), "=", slope), verdict, how))
    return found


# How f'(0) was proved where f has kinks (derive.words.properties says them in words).
_INSIDE = "the piece around 0, quotients agree"
_BESIDE = "the pieces beside 0, quotients agree"


def _from_piece(ctx: Context, slope: sympy.Expr) -> tuple[Verdict, str] | None:
    """f'(0) proved where f has kinks: from the kink-free pieces beside 0.

    Inside one piece e on an open interval around 0 (hard-sigmoid is x/6 + 1/2 on (-3, 3)),
    f'(0) = e'(0) once e' is continuous at 0. At a breakpoint (softsign's |x|), each one-sided
    derivative of f is its piece's derivative at 0 when both pieces extend continuously to 0
    with f's own value and with continuous derivatives: f'(0) exists exactly when the two agree.
    Either way e'(0) must be exactly the slope claimed."""
    from derive.verify.claims import prove_value_at

    if ctx.params:
        return None  # a parameter may move a breakpoint onto 0
    x, zero = ctx.real_x, sympy.S.Zero
    pieces = [(ctx.on_real(expr), interval) for expr, interval in ctx.pieces()]
    around = [e for e, i in pieces if (i.inf < 0) == sympy.true and (i.sup > 0) == sympy.true]
    beside = [e for e, i in pieces if i.sup == 0] + [e for e, i in pieces if i.inf == 0]
    if len(around) == 1:
        sides, values, method = around, [], _INSIDE
    elif not around and len(beside) == 2:
        at0 = prove_value_at(ctx.on_real(ctx.f), x, zero, ctx.domain, seconds=ctx.seconds())
        if at0 is None:
            return None
        sides, values, method = beside, [at0[0]], _BESIDE
    else:
        return None
    proved = None
    for e in sides:
        if e.has(*NON_SMOOTH):
            return None
        for expr, wanted in ((e, values[0] if values else None), (sympy.diff(e, x), slope)):
            if wanted is None:
                continue
            value = prove_value_at(expr, x, zero, ctx.domain, seconds=ctx.seconds())
            if value is None or sympy.simplify(value[0] - ctx.on_real(wanted)) != 0:
                return None
            proved = value
    return None if proved is None else (proved[1], method)


FINDER = Finder("slope at 0", find, reads=(ValueAtZero,), gives=SlopeAtZero)
