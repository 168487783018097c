"""The limits of f at the ends of its domain (−∞ or 0⁺, and ∞).

A limit at ±∞ is a statement only about an f defined and continuous on a whole half-line
out to that end (derive.verify.claims.prove_continuous_beyond): x² eˣ tan x has poles all
the way to −∞, and Gruntz's "0" there is false. The value comes from continuity (the limit
of each part, combined) or from Gruntz's algorithm, and is confirmed numerically far out.
"""

from __future__ import annotations

from itertools import pairwise

import sympy

from derive.analysis.properties.claim import Claim, How, Property
from derive.analysis.properties.context import Context, is_number
from derive.analysis.properties.facts import EndLimits
from derive.analysis.properties.registry import Facts, Finder, Found
from derive.model import Status, Verdict

_FAR = ("100.37", "10000.37", "100000000.37")  # |x| where a limit is confirmed
_NEAR_ZERO = ("0.01", "0.0001", "0.00000001")  # x where a limit at 0⁺ is confirmed


def find(ctx: Context, facts: Facts) -> Found:
    found = Found()
    ends: list[tuple[sympy.Expr, str, tuple[str, ...]]] = [(sympy.oo, "+", _FAR)]
    if ctx.domain == sympy.S.Reals:
        ends.insert(0, (-sympy.oo, "-", tuple("-" + p for p in _FAR)))
    elif ctx.domain.left == 0 and ctx.domain.left_open:
        ends.insert(0, (sympy.S.Zero, "+", _NEAR_ZERO))
    limits: dict[sympy.Expr, sympy.Expr] = {}
    for end, direction, probes in ends:
        limit, how, piece = _limit_at(ctx, end, direction)
        if limit in (sympy.oo, -sympy.oo):
            # Slow growth (log, asinh) needs a far probe to show; mpmath takes 10^1000.
            extreme = {sympy.oo: "1e1000", -sympy.oo: "-1e1000"}.get(end, "1e-1000")
            probes = (*probes, extreme)
        if limit is None or not _confirm_limit(ctx, limit, probes):
            continue
        limits[end] = limit
        found.properties.append(Property(
            "limits", Claim(sympy.Limit(ctx.f, ctx.x, end, direction), "=", limit),
            Verdict(Status.CHECKED, ""), How(
                how, tags=(("piece", piece),),
                parts=(("probes", sympy.Tuple(*(sympy.Rational(p) for p in probes))),))))
    low = limits.get(-sympy.oo, limits.get(sympy.S.Zero))
    found.fact = EndLimits(low, limits.get(sympy.oo))
    return found


def _limit_at(ctx: Context, end: sympy.Expr,
              direction: str) -> tuple[sympy.Expr | None, str, str]:
    """The limit, by the piece that reaches `end` when f is piecewise, else by SymPy; with
    the method ("each part", "leading terms", "Gruntz") and the piece ("outermost" or "")."""
    from derive.verify.claims import prove_continuous_beyond

    expr, where = ctx.f, ""
    if not ctx.smooth:
        piece = _piece_reaching(ctx, end)
        if piece is None:
            return None, "", ""
        expr, where = piece, "outermost"
    if end in (sympy.oo, -sympy.oo) and prove_continuous_beyond(
            ctx.on_real(expr), ctx.real_x, end, ctx.domain, seconds=ctx.seconds()) is None:
        return None, "", ""  # not continuous out to the end: no limit to state
    limit = _composed_limit(expr, ctx.x, end)
    rational = _rational_limit(expr, ctx.x, end) if limit is None else None
    if limit is not None:
        how = "each part"
    elif rational is not None:
        limit, how = rational, "leading terms"
    else:
        limit = _symbolic_limit(ctx, expr, end, direction)
        how = "Gruntz"
    if limit is None or not (limit in (sympy.oo, -sympy.oo) or is_number(limit)):
        return None, how, where
    return limit, how, where


def _symbolic_limit(ctx: Context, expr: sympy.Expr, end: sympy.Expr,
                    direction: str) -> sympy.Basic | None:
    """Gruntz's algorithm directly (about twice as fast as `limit`, which tries series first);
    `limit` itself when Gruntz cannot take the expression."""
    from sympy.series.gruntz import gruntz

    from derive.timeout import attempt

    if not ctx.small(expr):
        return None
    side = "-" if end is sympy.oo else "+"
    outcome = attempt(lambda: gruntz(expr, ctx.x, end, side), ctx.seconds())
    if outcome.error:
        outcome = attempt(lambda: sympy.limit(expr, ctx.x, end, direction), ctx.seconds())
    if outcome.timed_out:
        ctx.note_stopped()
    return None if outcome.timed_out or outcome.error else outcome.value


# Continuous where defined, with the limits SymPy gives at ±∞ (tanh(∞) = 1, e^{-∞} = 0).
_CONTINUOUS = (sympy.exp, sympy.log, sympy.tanh, sympy.erf, sympy.erfc, sympy.atan, sympy.sinh,
               sympy.cosh, sympy.asinh)


def _composed_limit(expr: sympy.Expr, x: sympy.Symbol, end: sympy.Expr) -> sympy.Expr | None:
    """The limit by continuity, bottom-up: each operation applied to the limits of its
    arguments. Any indeterminate form (∞ − ∞, 0·∞, 1/0, e^{x}'s ∞^0 ...) gives None, and
    SymPy's own `limit` takes over; so does anything not known to be continuous."""
    if not expr.has(x):
        return expr
    if expr == x:
        return end
    if not (expr.is_Add or expr.is_Mul or isinstance(expr, _CONTINUOUS)
            or (expr.is_Pow and not expr.exp.has(x))):
        return None
    args = []
    for arg in expr.args:
        limit = _composed_limit(arg, x, end)
        if limit is None:
            return None
        args.append(limit)
    value = expr.func(*args)
    if value.has(sympy.nan, sympy.zoo, sympy.AccumBounds) or value.is_extended_real is not True:
        return None
    return value


def _rational_limit(expr: sympy.Expr, x: sympy.Symbol, end: sympy.Expr) -> sympy.Expr | None:
    """A rational function's limit at ±∞, from its leading terms over one denominator."""
    if end not in (sympy.oo, -sympy.oo) or not expr.is_rational_function(x) or expr.free_symbols - {x}:
        return None
    numerator, denominator = sympy.fraction(sympy.cancel(sympy.together(expr)))
    try:
        top, bottom = sympy.Poly(numerator, x), sympy.Poly(denominator, x)
    except sympy.PolynomialError:
        return None
    ratio = top.LC() / bottom.LC()
    gap = top.degree() - bottom.degree()
    if gap < 0:
        return sympy.S.Zero
    if gap == 0:
        return ratio
    sign = ratio * (1 if end is sympy.oo or gap % 2 == 0 else -1)
    return sympy.oo if sign > 0 else -sympy.oo


def _piece_reaching(ctx: Context, end: sympy.Expr) -> sympy.Expr | None:
    for expr, interval in ctx.pieces():
        if end in (interval.sup, interval.inf) and interval.measure is sympy.oo:
            return expr
    return None


def _confirm_limit(ctx: Context, limit: sympy.Expr, probes: tuple[str, ...]) -> bool:
    """The values at the probes close in on a finite limit, or grow without bound."""
    for setting in ctx.parameter_values():
        values = [ctx.value(ctx.f, p, setting) for p in probes]
        if any(v is None for v in values):
            return False
        if limit in (sympy.oo, -sympy.oo):
            sign = 1 if limit is sympy.oo else -1
            signed = [sign * v for v in values]
            if not (all(a < b for a, b in pairwise(signed))
                    and signed[-1] > 100 * max(1, abs(signed[0]))):
                return False
            continue
        target = ctx.value(limit, "0", setting)
        if target is None:
            return False
        errors = [abs(v - target) for v in values]
        if not (errors[2] < 1e-6 and errors[2] <= errors[0]):
            return False
    return True


FINDER = Finder("limits", find, gives=EndLimits)
