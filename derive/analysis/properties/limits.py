"""The limits of f at the ends of its domain (−∞ or 0⁺, and ∞).

A limit at ±∞ is a statement only about an f defined and continuous on a whole half-line
out to that end (derive.verify.claims.prove_continuous_beyond): x² eˣ tan x has poles all
the way to −∞, and Gruntz's "0" there is false; a limit at 0⁺ likewise needs f continuous
on some (0, ε) (f(1/t) on a half-line t > M). The value is proved where
derive.verify.claims.prove_limit has a method (the limit laws, a rational function's leading
terms, L'Hôpital's rule, or an indeterminate form rewritten: derive.verify.limit_forms);
otherwise it comes from Gruntz's algorithm or the limit laws at 0⁺ without continuity,
which prove nothing, and is only "checked". Either way it is confirmed numerically."""

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
    proved: list[bool] = []
    for end, direction, probes in ends:
        limit, how, piece, status, times, methods = _limit_at(ctx, end, direction)
        if limit in (sympy.oo, -sympy.oo):
            # Slow growth (log, asinh) needs a far probe to show; mpmath takes 10^1000.
            extreme = {sympy.oo: "1e1000", -sympy.oo: "-1e1000"}.get(end, "1e-1000")
            probes = (*probes, extreme)
        if limit is None or not _confirm_limit(ctx, limit, probes):
            continue
        limits[end] = limit
        proved.append(status is Status.PROVED)
        found.properties.append(Property(
            "limits", Claim(sympy.Limit(ctx.f, ctx.x, end, direction), "=", limit),
            Verdict(status, ""), How(
                how, tags=(("piece", piece), ("times", str(times)), *(
                    (("methods", " / ".join(methods)), ("at", str(end))) if methods else ())),
                parts=(("probes", sympy.Tuple(*(sympy.Rational(p) for p in probes))),))))
    low = limits.get(-sympy.oo, limits.get(sympy.S.Zero))
    found.fact = EndLimits(low, limits.get(sympy.oo), proved=len(proved) == 2 and all(proved))
    return found


def _limit_at(ctx: Context, end: sympy.Expr, direction: str
              ) -> tuple[sympy.Expr | None, str, str, Status, int, tuple[str, ...]]:
    """The limit, by the piece that reaches `end` when f is piecewise; with the method
    ("each part", "leading terms", "L'Hôpital": proved by derive.verify.claims.prove_limit;
    "Gruntz": checked), the piece ("outermost" or ""), the status and L'Hôpital's count."""
    from derive.verify.claims import composed_limit, prove_continuous_beyond, prove_limit

    expr, where = ctx.f, ""
    if not ctx.smooth:
        piece = _piece_reaching(ctx, end)
        if piece is None:
            return None, "", "", Status.CHECKED, 0, ()
        expr, where = piece, "outermost"
    if end in (sympy.oo, -sympy.oo):
        if prove_continuous_beyond(ctx.on_real(expr), ctx.real_x, end, ctx.domain,
                                   seconds=ctx.seconds()) is None:
            return None, "", "", Status.CHECKED, 0, ()  # not continuous out to the end: no limit
        proof = ctx.bounded(lambda: prove_limit(ctx.on_real(expr), ctx.real_x, end,
                                                seconds=ctx.seconds()))
        if proof is not None and (proof.value in (sympy.oo, -sympy.oo) or is_number(proof.value)):
            return proof.value, proof.rule, where, Status.PROVED, proof.times, proof.methods
    else:
        # at 0⁺: f(1/t) continuous on a half-line t > M, so f on some (0, ε), then its
        # limit at t → ∞ (derive.verify.claims.prove_limit substitutes x = 1/t)
        t = sympy.Symbol("t", positive=True)
        moved = ctx.on_real(expr).xreplace({ctx.real_x: 1 / t})
        if prove_continuous_beyond(moved, t, sympy.oo, sympy.Interval.open(0, sympy.oo),
                                   seconds=ctx.seconds()) is not None:
            proof = ctx.bounded(lambda: prove_limit(ctx.on_real(expr), ctx.real_x, end,
                                                    seconds=ctx.seconds()))
            if proof is not None and (proof.value in (sympy.oo, -sympy.oo)
                                      or is_number(proof.value)):
                return proof.value, proof.rule, where, Status.PROVED, proof.times, proof.methods
        if (limit := composed_limit(expr, ctx.x, end)) is not None and is_number(limit):
            # the limit laws, with f's continuity on some (0, ε) not shown: checked
            return limit, "each part", where, Status.CHECKED, 0, ()
    limit = _symbolic_limit(ctx, expr, end, direction)
    if limit is None or not (limit in (sympy.oo, -sympy.oo) or is_number(limit)):
        return None, "Gruntz", where, Status.CHECKED, 0, ()
    return limit, "Gruntz", where, Status.CHECKED, 0, ()


def _symbolic_limit(ctx: Context, expr: sympy.Expr, end: sympy.Expr,
                    direction: str) -> sympy.Basic | None:
    """Gruntz's algorithm directly (about twice as fast as `limit`, which tries series first);
    `limit` itself when Gruntz cannot take the expression."""
    from sympy.series.gruntz import gruntz

    from derive.timeout import attempt

    if not ctx.small(expr):
        return None
    side = "-" if end is sympy.oo else "+"
    outcome = attempt(lambda: gruntz(expr, ctx.x, end, side), ctx.seconds(), cpu=True)
    if outcome.error:
        outcome = attempt(lambda: sympy.limit(expr, ctx.x, end, direction), ctx.seconds(),
                          cpu=True)
    if outcome.timed_out:
        ctx.note_stopped()
    return None if outcome.timed_out or outcome.error else outcome.value


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
