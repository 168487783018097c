"""The set of f's values: a continuous monotonic f takes every value between its end
limits; a smooth f that turns, every value between its lowest and highest end limit or
value where f' = 0.

Proved for a turning f when every part is: f and f' continuous on the whole domain, the
complete list of zeros of f' (solveset, derive.analysis.properties.critical_points), so
f' ≠ 0 and f strictly monotonic between consecutive ones, and both end limits proved. Then
f maps each piece onto the open interval between its ends' values (or limits), and the range
is the union of those and the values at the critical points, exactly. Otherwise the turning
points are found numerically; one turning point of an f' that solveset cannot solve (swish,
GELU, mish) is proved by interval arithmetic where it can be (derive.verify.turns: f' of one
sign on each side of a bracket where f'' keeps its sign, so f's extreme is enclosed), and
the range is otherwise only "checked"."""

from __future__ import annotations

from functools import partial
from itertools import pairwise

import sympy

from derive.analysis.properties.claim import Claim, How, Property
from derive.analysis.properties.context import DIGITS, Context, is_number
from derive.analysis.properties.facts import CriticalPoints, Domain, EndLimits, Monotonicity
from derive.analysis.properties.numbers import as_float, identify
from derive.analysis.properties.registry import Facts, Finder, Found
from derive.model import Status, Verdict


def find(ctx: Context, facts: Facts) -> Found:
    found = Found()
    limits = facts.get(EndLimits)
    if limits is None or limits.low is None or limits.high is None:
        return found
    domain = facts.get(Domain)
    if domain is not None and domain.defined != ctx.domain:
        return found  # f(ℝ) would be no statement about an f with gaps in its domain
    direction = facts.get(Monotonicity)
    if direction is None:
        exact = _by_critical_points(ctx, limits, domain, facts.get(CriticalPoints))
        found.properties.extend([exact] if exact is not None else
                                _by_extrema(ctx, limits.low, limits.high, limits.proved))
        return found
    kind, verdict = direction.kind, direction.verdict
    low, high = ((limits.low, limits.high) if kind in ("increasing", "non-decreasing")
                 else (limits.high, limits.low))
    # A non-strict f reaches an end value when its outermost piece is that constant.
    closed_low = closed_high = False
    if kind.startswith("non-"):
        ends = [e for e, interval in ctx.pieces() if interval.measure is sympy.oo]
        constants = [e for e in ends if not e.has(ctx.x)]
        closed_low = any(sympy.expand(c - low) == 0 for c in constants)
        closed_high = any(sympy.expand(c - high) == 0 for c in constants)
    values = sympy.Interval(low, high, left_open=not closed_low, right_open=not closed_high)
    if not isinstance(values, sympy.Interval):
        return found  # the ends met: no interval of values to state
    # Proved when every part is: f continuous on its whole domain, monotonic (proved), and
    # both limits proved (derive.verify.claims.prove_limit); otherwise "checked".
    continuous = domain is not None and domain.continuous == ctx.domain
    proved = continuous and verdict.status is Status.PROVED and limits.proved
    found.properties.append(Property(
        "range", Claim(sympy.Function(ctx.name)(ctx.x), "in", values, ctx.domain),
        Verdict(Status.PROVED if proved else Status.CHECKED, ""), How(
            "monotonic, with its end limits", tags=(
                ("kind", kind), ("monotonic", verdict.status.value),
                ("limits", "proved" if limits.proved else "checked")))))
    return found


# Substitution leaves a short value as it is (171/28): simplify only a longer one.
_TIDY_OPS = 12


def _by_critical_points(ctx: Context, limits: EndLimits, domain: Domain | None,
                        critical: CriticalPoints | None) -> Property | None:
    """The range, proved: see the module's docstring. None where a part is not shown."""
    from derive.verify.claims import continuous_domain

    if (critical is None or domain is None or not limits.proved or not ctx.smooth
            or ctx.params or domain.continuous != ctx.domain or critical.on != ctx.domain):
        return None
    d = ctx.on_real(ctx.d)
    if continuous_domain(d, ctx.real_x, ctx.domain, seconds=ctx.seconds()) != ctx.domain:
        return None  # f' must be defined (f differentiable) on the whole domain
    values: list[sympy.Expr] = []
    for point in critical.points:
        raw: sympy.Expr = ctx.f.subs(ctx.x, point)
        value = raw if sympy.count_ops(raw) <= _TIDY_OPS else (
            ctx.bounded(partial(sympy.simplify, raw)) or raw)
        if not is_number(value):
            return None
        values.append(value)
    assert limits.low is not None and limits.high is not None
    ends = [limits.low, *values, limits.high]
    pieces: list[sympy.Set] = []
    for a, b in pairwise(ends):
        below = sympy.Lt(a, b)
        if below not in (sympy.true, sympy.false) or sympy.Eq(a, b) is sympy.true:
            return None  # not decided, or equal ends (impossible for a monotonic piece)
        low, high = (a, b) if below is sympy.true else (b, a)
        pieces.append(sympy.Interval.open(low, high))
    values_taken = sympy.Union(*pieces, sympy.FiniteSet(*values))
    if not isinstance(values_taken, sympy.Interval):
        return None  # SymPy could not join them (undecided order): no claim
    return Property(
        "range", Claim(sympy.Function(ctx.name)(ctx.x), "in", values_taken, ctx.domain),
        Verdict(Status.PROVED, ""), How(
            "critical points, with its end limits",
            parts=(("points", sympy.Tuple(*critical.points)),)))


def _by_extrema(ctx: Context, low_end: sympy.Expr, high_end: sympy.Expr,
                limits_proved: bool) -> list[Property]:
    """A smooth f that turns: its range runs from the lowest to the highest of its end
    limits and its values where f' = 0 (found numerically, named exactly if f' vanishes
    at a short closed form). Checked on a grid and far out, so only ever "checked"."""
    import mpmath

    if not ctx.smooth or ctx.params:
        return []
    grid = ctx.grid()
    slopes = [ctx.value(ctx.d, at, {}) for at in grid]
    if any(v is None for v in slopes):
        return []
    turns = [i for i in range(len(grid) - 1) if slopes[i] * slopes[i + 1] < 0]
    if not turns or len(turns) > 3:
        return []  # none: monotonic but unproved; many: too wiggly for a grid to be trusted
    extremes: list[tuple[sympy.Expr | None, bool]] = []  # (value, exact)
    for i in turns:
        with mpmath.workdps(DIGITS):
            try:
                where = mpmath.findroot(
                    lambda t: ctx.value(ctx.d, mpmath.nstr(t, DIGITS), {}),
                    (mpmath.mpf(grid[i]), mpmath.mpf(grid[i + 1])), solver="anderson")
            except (ValueError, ZeroDivisionError, TypeError):
                return []
        extremes.append(_extreme_value(ctx, where))
    if len(turns) == 1 and not extremes[0][1] and limits_proved:
        proved = _one_turn(ctx, where, low_end, high_end)
        if proved is not None:
            return [proved]
    if any(value is None for value, _ in extremes):
        return []
    values = [ctx.value(ctx.f, at, {}) for at in grid]
    far = [ctx.value(ctx.f, at, {}) for at in ("-1000.5", "-50.5", "50.5", "1000.5")
           if ctx.domain == sympy.S.Reals or not at.startswith("-")]
    ends = [low_end, high_end]
    candidates = [(e, False, True) for e in ends] + [(v, True, exact) for v, exact in extremes]
    (low, low_closed, low_exact), (high, high_closed, high_exact) = (
        pick(candidates, key=lambda c: as_float(c[0])) for pick in (min, max))
    lowest, highest = as_float(low), as_float(high)
    if any(v is None or not lowest - 1e-12 <= v <= highest + 1e-12 for v in values + far):
        return []
    claimed = sympy.Interval(low, high, left_open=not low_closed, right_open=not high_closed)
    if not isinstance(claimed, sympy.Interval):
        return []
    return [Property(
        "range", Claim(sympy.Function(ctx.name)(ctx.x),
                       "in" if low_exact and high_exact else "approx in", claimed, ctx.domain),
        Verdict(Status.CHECKED, ""), How(
            "end limits and where f' = 0",
            tags=(("low", "exact" if low_exact else "approximate"),
                  ("high", "exact" if high_exact else "approximate")),
            parts=(("grid points", sympy.Integer(len(values))),)))]


def _one_turn(ctx: Context, where, low_end: sympy.Expr, high_end: sympy.Expr) -> Property | None:
    """The range, proved, of an f whose f' has one zero that solveset cannot give: the zero
    isolated by interval arithmetic (derive.verify.turns), f's least (or greatest) value
    enclosed there, the far end an infinite limit (proved), so that f takes every value
    from its extreme on: f(ℝ) = [f(x*), ∞) for a minimum."""
    import mpmath

    from derive.verify.claims import continuous_domain
    from derive.verify.turns import prove_one_turn

    if ctx.domain != sympy.S.Reals or not ctx.small(ctx.d):
        return None
    f, d = ctx.on_real(ctx.f), ctx.on_real(ctx.d)
    for expr in (f, d):  # f and f' continuous on all of ℝ: what the proof builds on
        if continuous_domain(expr, ctx.real_x, ctx.domain, seconds=ctx.seconds()) != ctx.domain:
            return None
    turn = ctx.bounded(lambda: prove_one_turn(f, d, ctx.real_x, mpmath.nstr(where, DIGITS),
                                              seconds=ctx.seconds()))
    if turn is None:
        return None
    far = sympy.oo if turn.kind == "min" else -sympy.oo
    if far not in (low_end, high_end):
        return None  # a finite far end might be reached: not shown which
    low, high = turn.value.low, turn.value.high  # exact Arb numbers
    middle = (low + high) / 2
    if not high - low <= abs(middle) / 10**20:
        return None  # the enclosure is too wide for the digits a document shows
    extreme = sympy.Float(middle.str(15, radius=False), 15)
    values = (sympy.Interval(extreme, sympy.oo) if turn.kind == "min"
              else sympy.Interval(-sympy.oo, extreme))
    a, b = turn.bracket
    return Property(
        "range", Claim(sympy.Function(ctx.name)(ctx.x), "approx in", values, ctx.domain),
        Verdict(Status.PROVED, ""), How(
            "one zero of f' isolated by interval arithmetic",
            tags=(("low" if turn.kind == "min" else "high", "approximate"),
                  ("high" if turn.kind == "min" else "low", "exact"), ("kind", turn.kind)),
            parts=(("bracket", sympy.Tuple(a, b)),
                   ("pinned", sympy.Tuple(turn.low, turn.high)))))


def _extreme_value(ctx: Context, where) -> tuple[sympy.Expr | None, bool]:
    """f at a zero of f': exact when the zero has a short closed form f' vanishes at."""
    import mpmath


    exact = identify(where)
    if exact is not None and ctx.domain.contains(exact) is sympy.true:
        verdict = ctx.check_equal(ctx.d.subs(ctx.x, exact), sympy.S.Zero)
        value = ctx.f.subs(ctx.x, exact)
        if verdict.ok and is_number(value):
            return value, True
    value = ctx.value(ctx.f, mpmath.nstr(where, DIGITS), {})
    return (None if value is None else sympy.Float(mpmath.nstr(value, 15), 15)), False


FINDER = Finder("range", find, reads=(CriticalPoints, Domain, EndLimits, Monotonicity))
