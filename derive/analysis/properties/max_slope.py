"""Where f' is largest: f'' = 0 there, and f' is below it everywhere sampled and far out;
proved when (peak − f') ≥ 0 is (derive.verify.claims.prove_nonnegative)."""

from __future__ import annotations

import sympy

from derive.analysis.properties.claim import Claim, How, Property
from derive.analysis.properties.context import DIGITS, Context, is_number
from derive.analysis.properties.facts import MaxSlope
from derive.analysis.properties.numbers import identify
from derive.analysis.properties.registry import Facts, Finder, Found
from derive.model import Status, Verdict

# Substitution leaves a short value as it is (1/4, e^{-1}/√π + erf(1)/2 + 1/2): simplify
# (a sixth of a second on GELU's) only when there is something to tidy.
_TIDY_OPS = 12


def find(ctx: Context, facts: Facts) -> Found:
    import mpmath

    found = Found()
    if not ctx.smooth or ctx.params:
        return found
    setting: dict[sympy.Symbol, str] = {}
    grid = ctx.grid()
    values = [ctx.value(ctx.d, at, setting) for at in grid]
    if any(v is None for v in values):
        return found
    best = max(range(len(values)), key=lambda i: values[i])
    if best in (0, len(values) - 1):
        return found  # the largest value is at the edge: no maximum inside, or not attained
    far = [ctx.value(ctx.d, at, setting) for at in ("-1000.5", "-50.5", "50.5", "1000.5")
           if ctx.domain == sympy.S.Reals or not at.startswith("-")]
    if any(v is None or v >= values[best] for v in far):
        return found
    second = sympy.diff(ctx.d, ctx.x)
    with mpmath.workdps(DIGITS):
        try:
            where = mpmath.findroot(lambda t: ctx.value(second, mpmath.nstr(t, DIGITS), setting),
                                    mpmath.mpf(grid[best]))
        except (ValueError, ZeroDivisionError, TypeError):
            return found
        peak = ctx.value(ctx.d, mpmath.nstr(where, DIGITS), setting)
    if peak is None or peak < values[best]:
        return found
    exact = identify(where)
    if exact is not None:
        return _exact(ctx, second, exact, values, far)
    approximate = sympy.Float(mpmath.nstr(peak, 15), 15)
    found.fact = MaxSlope(approximate, Verdict(Status.CHECKED, ""))
    # The peak and where it is, to the digits they were found with (the words round them).
    found.properties.append(Property("max slope", Claim(
        sympy.Derivative(sympy.Function(ctx.name)(ctx.x), ctx.x), "max approx", approximate),
        Verdict(Status.CHECKED, ""), How(
            "f'' = 0 solved numerically",
            parts=(("peak", sympy.Float(peak, DIGITS)), ("at", sympy.Float(where, DIGITS)),
                   ("grid points", sympy.Integer(len(grid) - 1))))))
    return found


def _exact(ctx: Context, second: sympy.Expr, where: sympy.Expr, values: list,
           far: list) -> Found:
    from derive.verify.claims import prove_nonnegative

    found = Found()
    critical = ctx.check_equal(second.subs(ctx.x, where), sympy.S.Zero)
    if not critical.ok:
        return found
    raw = ctx.d.subs(ctx.x, where)
    peak = raw if sympy.count_ops(raw) <= _TIDY_OPS else (
        ctx.bounded(lambda: sympy.simplify(raw)) or raw)
    if not is_number(peak) or any(v > ctx.value(peak, "0", {}) for v in values + far):
        return found
    gap = ctx.on_real(peak - ctx.d)
    proof = prove_nonnegative(gap, seconds=ctx.seconds()) if ctx.small(gap) else None
    if proof is not None:
        # verify's sentence names the form that shows peak − f' ≥ 0: `how` holds that form.
        verdict = Verdict(Status.PROVED, proof.sentence)
        how = How("f'' = 0, and peak − f' ≥ 0", parts=(("form", proof.form),))
    else:
        verdict = Verdict(Status.CHECKED, "")
        how = How("f'' = 0, f' smaller on samples", tags=(("critical", critical.status.value),))
    found.fact = MaxSlope(peak, verdict)
    found.properties.append(Property(
        "max slope", Claim(sympy.Derivative(sympy.Function(ctx.name)(ctx.x), ctx.x), "max", peak,
                           sympy.FiniteSet(where)), verdict, how))
    return found


FINDER = Finder("max slope", find, gives=MaxSlope)
