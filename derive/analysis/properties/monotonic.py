"""Whether f is increasing or decreasing on its whole domain: the sign of f' proved by
derive.verify.claims (every factor of a form of f' of known sign, or solveset: f' ≤ 0 has
no solution), for an f and f' continuous on the domain, and never contradicted by samples."""

from __future__ import annotations

from itertools import pairwise

import sympy

from derive.analysis.properties.claim import Claim, How, Property
from derive.analysis.properties.context import Context
from derive.analysis.properties.facts import Monotonicity
from derive.analysis.properties.registry import Facts, Finder, Found
from derive.model import Status, Verdict

_SIGNS = {"positive": "increasing", "negative": "decreasing"}


def find(ctx: Context, facts: Facts) -> Found:
    found = Found()
    result = _smooth_sign(ctx) if ctx.smooth else _piecewise_sign(ctx)
    if result is None:
        return found
    kind, verdict, how = result
    if not sampled_sign_agrees(ctx, kind):
        return found
    found.fact = Monotonicity(kind, verdict)
    found.properties.append(Property(
        "monotonic", Claim(sympy.Function(ctx.name)(ctx.x), kind, sympy.S.Zero, ctx.domain),
        verdict, how))
    return found


def _smooth_sign(ctx: Context) -> tuple[str, Verdict, How] | None:
    """The sign of f' everywhere, so f is monotonic: only where f and f' are continuous on
    the whole domain, since a sign read off a factored f' says nothing across a pole that
    factoring cancelled (tan x, atan(1/(x − c)), 1/(x − c) all have f' of one sign)."""
    from derive.verify.claims import continuous_domain, prove_no_solution, prove_sign

    # A few samples of f' first: where it changes sign, no deduction is worth its time.
    coarse = [ctx.value(ctx.d, at, setting) for setting in ctx.parameter_values()
              for at in ctx.grid()[::8]]
    if any(v is None for v in coarse) or (min(coarse) < 0 < max(coarse)):
        return None
    d, real_x, domain = ctx.on_real(ctx.d), ctx.real_x, ctx.domain
    if not ctx.small(d):
        return None
    for expr in (ctx.on_real(ctx.f), d):
        if continuous_domain(expr, real_x, domain, seconds=ctx.seconds()) != domain:
            return None
    proof = prove_sign(d, real_x, seconds=ctx.seconds())
    if proof is not None and proof.sign in _SIGNS:
        return _SIGNS[proof.sign], Verdict(Status.PROVED, ""), How(
            "sign of each factor", tags=(("form", proof.how), ("smooth", "yes")),
            parts=(("form", proof.form),))
    if not sampled_sign_agrees(ctx, "increasing"):
        return None
    if prove_no_solution(d <= 0, real_x, domain, seconds=ctx.seconds()) is not None:
        return "increasing", Verdict(Status.PROVED, "solveset: no solution"), How(
            "solveset: no solution", tags=(("smooth", "yes"),))
    return None


def _piecewise_sign(ctx: Context) -> tuple[str, Verdict, How] | None:
    """Monotonic on each piece, and continuous where the pieces meet."""
    from derive.verify.claims import prove_sign

    pieces = ctx.pieces()
    if not pieces:
        return None
    signs = set()
    for expr, interval in pieces:
        d = sympy.diff(expr, ctx.x)
        proof = prove_sign(ctx.on_real(d), ctx.real_x, interval, seconds=ctx.seconds())
        if proof is None:
            return None
        signs.add(proof.sign)
    verdicts = []
    for a, b in pairwise(pieces):
        point = a[1].sup
        if point != b[1].inf:
            return None
        verdict = ctx.check_equal(a[0].subs(ctx.x, point), b[0].subs(ctx.x, point))
        if not verdict.ok:
            return None
        verdicts.append(verdict)
    if signs <= {"positive"}:
        kind = "increasing"
    elif signs <= {"positive", "zero"} and "positive" in signs:
        kind = "non-decreasing"
    elif signs <= {"negative"}:
        kind = "decreasing"
    elif signs <= {"negative", "zero"} and "negative" in signs:
        kind = "non-increasing"
    else:
        return None
    return kind, weakest(*verdicts), How("sign on each piece", tags=(("smooth", "no"),))


def weakest(*verdicts: Verdict) -> Verdict:
    """Proved only if every verdict a claim rests on is (the method: the claim's `how`)."""
    status = (Status.CHECKED if any(v.status is Status.CHECKED for v in verdicts)
              else Status.PROVED)
    return Verdict(status, "")


def sampled_sign_agrees(ctx: Context, kind: str) -> bool:
    """A guard against a wrong deduction: f' sampled on a grid has the claimed sign."""
    strict = not kind.startswith("non-")
    sign = 1 if kind in ("increasing", "non-decreasing") else -1
    if not ctx.smooth:
        return all(_pieces_sample(ctx, sign, strict, setting)
                   for setting in ctx.parameter_values())
    for setting in ctx.parameter_values():
        for at in ctx.grid():
            value = ctx.value(ctx.d, at, setting)
            if value is None:
                return False
            if sign * value < 0 or (strict and value == 0):
                return False
    return True


def _pieces_sample(ctx: Context, sign: int, strict: bool, setting: dict) -> bool:
    for expr, interval in ctx.pieces():
        d = sympy.diff(expr, ctx.x)
        low, high = float(interval.inf), float(interval.sup)
        for at in ctx.grid():
            if not low < float(at) < high:
                continue
            value = ctx.value(d, at, setting)
            if value is None or sign * value < 0 or (strict and value == 0):
                return False
    return True


FINDER = Finder("monotonic", find, gives=Monotonicity)
