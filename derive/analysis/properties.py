"""Facts about f to show beside f': limits, range, f(0), f'(0), steepest slope, symmetry,
monotonicity — each computed by SymPy and then verified another way before it is claimed.

A finder that cannot verify its fact (or runs out of time, or meets something SymPy cannot
do) claims nothing: the result is a subset, never a guess. Each claim carries the verdict
and a method a reader can follow ("f'(x) > 0: every factor is positive").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

import sympy

from derive.model import Status, Verdict

ORDER = ("limits", "range", "value at 0", "slope at 0", "max slope", "symmetry", "monotonic",
         "vanishing gradient")

# Classes whose presence makes f possibly non-differentiable somewhere: such an f is
# handled piece by piece, and its slope at 0 needs both one-sided quotients to agree.
_NON_SMOOTH = (sympy.Piecewise, sympy.Max, sympy.Min, sympy.Abs, sympy.Heaviside, sympy.sign,
               sympy.floor, sympy.ceiling, sympy.frac, sympy.DiracDelta)
_DIGITS = 30
_FAR = ("100.37", "10000.37", "100000000.37")  # |x| where a limit is confirmed
_NEAR_ZERO = ("0.01", "0.0001", "0.00000001")  # x where a limit at 0⁺ is confirmed
# One SymPy call may take this long. It is three times and more what any catalog call needs,
# so a loaded machine writes the same documents: output is deterministic only if no limit binds.
_SYMBOLIC_SECONDS = 1.0
# A limit may take longer: SymPy caches Gruntz's results, so it is paid once per process.
_LIMIT_SECONDS = 1.5


@dataclass(frozen=True)
class Property:
    name: str  # one of ORDER
    statement_latex: str  # e.g. r"\lim_{x\to\infty} f(x) = 1"
    verdict: Verdict  # how it was verified; its method (plain text) is shown to users
    # The method as a document shows it, its formulas typeset between $…$; None: the plain one.
    method_latex: str | None = None

    @property
    def mark(self) -> str:
        """The verdict mark for a document: "✓ proved (… $\frac{1}{4}$ …)"."""
        if self.method_latex is None:
            return self.verdict.mark
        return replace(self.verdict, method=self.method_latex).mark


class _Said(NamedTuple):
    """One explanation twice: plain text (JSON, terminals) and with typeset math (documents)."""

    plain: str
    latex: str


def find_properties(f: sympy.Expr, x: sympy.Symbol, derivative: sympy.Expr | None = None, *,
                    name_latex: str = "f", timeout: float = 2.0) -> tuple[Property, ...]:
    """The verified properties of f, in the order of ORDER."""
    ctx = _Context.of(sympy.sympify(f), x, derivative, name_latex, timeout)
    for finder in _FINDERS:
        if time.monotonic() > ctx.deadline:
            break
        try:
            ctx.found.extend(finder(ctx))
        except Exception:  # SymPy raises anything; a failed finder claims nothing
            continue
    return tuple(sorted(ctx.found, key=lambda p: ORDER.index(p.name)))


# --- the shared context --------------------------------------------------------------------

@dataclass
class _Context:
    f: sympy.Expr
    x: sympy.Symbol
    d: sympy.Expr
    name: str
    timeout: float
    deadline: float
    params: tuple[sympy.Symbol, ...]
    real_x: sympy.Symbol  # x with real (or positive) assumptions, for sign deductions
    domain: sympy.Set
    smooth: bool
    found: list[Property] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)  # what later finders build on
    pieces: list[tuple[sympy.Expr, sympy.Interval]] | None = None  # see _pieces

    @classmethod
    def of(cls, f: sympy.Expr, x: sympy.Symbol, derivative: sympy.Expr | None, name: str,
           timeout: float) -> _Context:
        d = sympy.diff(f, x) if derivative is None else sympy.sympify(derivative)
        if x.is_positive:
            domain: sympy.Set = sympy.Interval.open(0, sympy.oo)
            real_x = x
        elif x.is_nonnegative:
            domain, real_x = sympy.Interval(0, sympy.oo), x
        else:
            domain = sympy.S.Reals
            # A Symbol, not a Dummy: equal across runs, so SymPy's cache serves a repeated
            # walkthrough. It cannot meet a parameter: that would need a second name x.
            real_x = x if x.is_extended_real else sympy.Symbol(x.name, real=True)
        params = tuple(sorted((f.free_symbols | d.free_symbols) - {x}, key=str))
        smooth = not f.has(*_NON_SMOOTH)
        return cls(f, x, d, name, timeout, time.monotonic() + timeout, params, real_x, domain,
                   smooth)

    def on_real(self, expr: sympy.Expr) -> sympy.Expr:
        return expr if self.real_x == self.x else expr.xreplace({self.x: self.real_x})

    def tex(self, expr: sympy.Expr) -> str:
        from derive.words.printer import to_latex

        return to_latex(expr)

    @property
    def domain_tex(self) -> str:
        if self.domain == sympy.S.Reals:
            return r"\mathbb{R}"
        return r"(0, \infty)" if self.domain.left_open else r"[0, \infty)"

    @property
    def fx(self) -> str:
        return f"{self.name}({self.tex(self.x)})"

    def seconds(self, share: float = 0.0) -> float:
        """Time a single symbolic call may take: its share, and never past the deadline."""
        share = share or _SYMBOLIC_SECONDS
        return max(0.0, min(share, self.timeout, self.deadline - time.monotonic()))

    def parameter_values(self) -> list[dict[sympy.Symbol, str]]:
        """Two settings of the parameters that respect their assumptions (one of each sign
        where a parameter's sign is not known), so a numeric check covers more than one case."""
        settings = []
        for first, second in (("0.7", "1.3"), ("1.3", "-0.6")):
            setting = {}
            for p in self.params:
                value = second if p is self.params[0] else first
                if p.is_nonnegative or p.is_positive:
                    value = value.lstrip("-")
                elif p.is_nonpositive or p.is_negative:
                    value = value if value.startswith("-") else "-" + value
                setting[p] = value
            settings.append(setting)
        return settings if self.params else [{}]

    def value(self, expr: sympy.Expr, at: str, setting: dict[sympy.Symbol, str]):
        """expr at x = at (a decimal string) as an mpmath number, or None where undefined."""
        return _sample(expr, (self.x, *self.params), (at, *(setting[p] for p in self.params)))


@lru_cache(maxsize=16384)
def _sample(expr: sympy.Expr, arguments: tuple[sympy.Symbol, ...], values: tuple[str, ...]):
    """expr at the (decimal string) values, to _DIGITS digits; None where it is undefined or
    not real. Kept: several finders sample f' on the same grid, as does a repeated run."""
    from derive.analysis.compiled import real_value

    return real_value(expr, arguments, values, digits=_DIGITS, imaginary="relative")


@lru_cache(maxsize=256)
def _factored(expr: sympy.Expr) -> sympy.Expr:
    """expr over one denominator, factored: kept per expression (factor is not in SymPy's
    cache, and a sign proof asks for the same form again)."""
    return sympy.factor(sympy.together(expr))


def _bounded(ctx: _Context, call: Callable[[], sympy.Basic]) -> sympy.Basic | None:
    """call() within the context's time for one symbolic call; None if out of time or failed."""
    from derive.timeout import attempt

    outcome = attempt(call, ctx.seconds())
    return None if outcome.timed_out or outcome.error else outcome.value


def _number(value: sympy.Basic) -> bool:
    """A finite real value, possibly in terms of the parameters."""
    if not isinstance(value, sympy.Expr) or value.has(
            sympy.nan, sympy.zoo, sympy.oo, -sympy.oo, sympy.AccumBounds, sympy.Limit,
            sympy.Derivative, sympy.Subs, sympy.Integral):  # unevaluated: says nothing
        return False
    return value.is_extended_real is not False and value.is_finite is not False


def _weakest(*verdicts: Verdict, method: str) -> Verdict:
    status = (Status.CHECKED if any(v.status is Status.CHECKED for v in verdicts)
              else Status.PROVED)
    return Verdict(status, method)


# --- limits and range ------------------------------------------------------------------------

def _limits(ctx: _Context) -> Iterator[Property]:
    ends = [(sympy.oo, "+", _FAR)]
    if ctx.domain == sympy.S.Reals:
        ends.insert(0, (-sympy.oo, "-", tuple("-" + p for p in _FAR)))
    elif ctx.domain.left == 0 and ctx.domain.left_open:
        ends.insert(0, (sympy.S.Zero, "+", _NEAR_ZERO))
    for end, direction, probes in ends:
        limit, how = _limit_at(ctx, end, direction)
        if limit in (sympy.oo, -sympy.oo):
            # Slow growth (log, asinh) needs a far probe to show; mpmath takes 10^1000.
            extreme = {sympy.oo: "1e1000", -sympy.oo: "-1e1000"}.get(end, "1e-1000")
            probes = (*probes, extreme)
        if limit is None or not _confirm_limit(ctx, limit, probes):
            continue
        ctx.facts[f"limit {end}"] = limit
        where = {sympy.oo: r"\infty", -sympy.oo: r"-\infty"}.get(end, "0^{+}")
        shown = ", ".join(_power_of_ten(p) for p in probes)
        yield Property("limits", rf"\lim_{{{ctx.tex(ctx.x)}\to {where}}} {ctx.fx} = "
                       f"{ctx.tex(limit)}",
                       Verdict(Status.CHECKED,
                               f"{how}; confirmed numerically at {ctx.x} = {shown}"))


def _power_of_ten(probe: str) -> str:
    """"-100000000.37" -> "-10^8": the order of magnitude a reader needs."""
    from decimal import Decimal

    value = Decimal(probe)
    sign = "-" if value < 0 else ""
    return f"{sign}10^{abs(value).adjusted()}"


def _limit_at(ctx: _Context, end: sympy.Expr, direction: str) -> tuple[sympy.Expr | None, str]:
    """The limit, by the piece that reaches `end` when f is piecewise, else by SymPy."""
    expr, where = ctx.f, ""
    if not ctx.smooth:
        piece = _piece_reaching(ctx, end)
        if piece is None:
            return None, ""
        expr, where = piece, "the outermost piece: "
    limit = _composed_limit(expr, ctx.x, end)
    if limit is not None:
        how = where + "the limit of each part, combined (no indeterminate form)"
    else:
        limit = _symbolic_limit(ctx, expr, end, direction)
        how = where + "SymPy's limit (Gruntz)"
    if limit is None or not (limit in (sympy.oo, -sympy.oo) or _number(limit)):
        return None, how
    return limit, how


def _symbolic_limit(ctx: _Context, expr: sympy.Expr, end: sympy.Expr,
                    direction: str) -> sympy.Basic | None:
    """Gruntz's algorithm directly (about twice as fast as `limit`, which tries series first);
    `limit` itself when Gruntz cannot take the expression."""
    from sympy.series.gruntz import gruntz

    from derive.timeout import attempt

    side = "-" if end is sympy.oo else "+"
    outcome = attempt(lambda: gruntz(expr, ctx.x, end, side), ctx.seconds(_LIMIT_SECONDS))
    if outcome.error:
        outcome = attempt(lambda: sympy.limit(expr, ctx.x, end, direction),
                          ctx.seconds(_LIMIT_SECONDS))
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


def _piece_reaching(ctx: _Context, end: sympy.Expr) -> sympy.Expr | None:
    for expr, interval in _pieces(ctx):
        if end in (interval.sup, interval.inf) and interval.measure is sympy.oo:
            return expr
    return None


def _confirm_limit(ctx: _Context, limit: sympy.Expr, probes: tuple[str, ...]) -> bool:
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


def _range(ctx: _Context) -> Iterator[Property]:
    """A continuous monotonic f on an interval takes every value between its end limits."""
    direction = ctx.facts.get("monotonic")
    low_end = ctx.facts.get("limit -oo", ctx.facts.get("limit 0"))
    high_end = ctx.facts.get("limit oo")
    if low_end is None or high_end is None:
        return
    if direction is None:
        yield from _range_by_extrema(ctx, low_end, high_end)
        return
    kind, verdict = direction
    low, high = (low_end, high_end) if kind in ("increasing", "non-decreasing") else (
        high_end, low_end)
    # A non-strict f reaches an end value when its outermost piece is that constant.
    closed_low = closed_high = False
    if kind.startswith("non-"):
        pieces = _pieces(ctx)
        ends = [e for e, interval in pieces if interval.measure is sympy.oo]
        constants = [e for e in ends if not e.has(ctx.x)]
        closed_low = any(sympy.expand(c - low) == 0 for c in constants)
        closed_high = any(sympy.expand(c - high) == 0 for c in constants)
    left = "[" if closed_low else "("
    right = "]" if closed_high else ")"
    domain = ctx.domain_tex
    statement = (rf"{ctx.name}({domain}) = \left{left}{ctx.tex(low)}, "
                 rf"{ctx.tex(high)}\right{right}")
    # The limits are checked numerically, so the range is "checked" however the monotonic
    # part was decided.
    yield Property("range", statement, Verdict(
        Status.CHECKED, f"f is continuous and {kind} ({verdict.status.value}), with the "
        "limits at both ends"))


def _range_by_extrema(ctx: _Context, low_end: sympy.Expr,
                      high_end: sympy.Expr) -> Iterator[Property]:
    """A smooth f that turns: its range runs from the lowest to the highest of its end
    limits and its values where f' = 0 (found numerically, named exactly if f' vanishes
    at a short closed form). Checked on a grid and far out, so only ever "checked"."""
    import mpmath

    if not ctx.smooth or ctx.params:
        return
    grid = _grid(ctx)
    slopes = [ctx.value(ctx.d, at, {}) for at in grid]
    if any(v is None for v in slopes):
        return
    turns = [i for i in range(len(grid) - 1) if slopes[i] * slopes[i + 1] < 0]
    if not turns or len(turns) > 3:
        return  # none: monotonic but unproved; many: too wiggly for a grid to be trusted
    extremes: list[tuple[sympy.Expr, bool]] = []  # (value, exact)
    for i in turns:
        with mpmath.workdps(_DIGITS):
            try:
                where = mpmath.findroot(
                    lambda t: ctx.value(ctx.d, mpmath.nstr(t, _DIGITS), {}),
                    (mpmath.mpf(grid[i]), mpmath.mpf(grid[i + 1])), solver="anderson")
            except (ValueError, ZeroDivisionError, TypeError):
                return
        extremes.append(_extreme_value(ctx, where))
    if any(value is None for value, _ in extremes):
        return
    values = [ctx.value(ctx.f, at, {}) for at in grid]
    far = [ctx.value(ctx.f, at, {}) for at in ("-1000.5", "-50.5", "50.5", "1000.5")
           if ctx.domain == sympy.S.Reals or not at.startswith("-")]
    ends = [low_end, high_end]
    bounds = []
    candidates = [(e, False, True) for e in ends] + [(v, True, exact) for v, exact in extremes]
    for pick in (min, max):
        bounds.append(pick(candidates, key=lambda c: _as_float(c[0])))
    (low, low_closed, low_exact), (high, high_closed, high_exact) = bounds
    lowest, highest = _as_float(low), _as_float(high)
    if any(v is None or not lowest - 1e-12 <= v <= highest + 1e-12 for v in values + far):
        return
    domain = ctx.domain_tex
    relation = "=" if low_exact and high_exact else r"\approx"
    left, right = ("[" if low_closed else "("), ("]" if high_closed else ")")
    statement = (rf"{ctx.name}({domain}) {relation} \left{left}"
                 rf"{_shown(ctx, low, low_exact)}, {_shown(ctx, high, high_exact)}"
                 rf"\right{right}")
    yield Property("range", statement, Verdict(
        Status.CHECKED, f"limits at both ends and the value where f' = 0 (found numerically); "
        f"f stays within at {len(values)} grid points and far out"))


def _as_float(value: sympy.Expr) -> float:
    return float("inf") if value is sympy.oo else float("-inf") if value is -sympy.oo else (
        float(value))


def _extreme_value(ctx: _Context, where) -> tuple[sympy.Expr | None, bool]:
    """f at a zero of f': exact when the zero has a short closed form f' vanishes at."""
    import mpmath

    from derive.verify import check_equal

    exact = _identify(where)
    if exact is not None and ctx.domain.contains(exact) is sympy.true:
        verdict = check_equal(ctx.d.subs(ctx.x, exact), sympy.S.Zero,
                              timeout=ctx.seconds() or 0.05)
        value = ctx.f.subs(ctx.x, exact)
        if verdict.ok and _number(value):
            return value, True
    value = ctx.value(ctx.f, mpmath.nstr(where, _DIGITS), {})
    return (None if value is None else sympy.Float(mpmath.nstr(value, 15), 15)), False


def _shown(ctx: _Context, value: sympy.Expr, exact: bool) -> str:
    if exact or not value.is_finite:
        return ctx.tex(value)
    return ctx.tex(sympy.Float(value, 5))


# --- values at 0 -----------------------------------------------------------------------------

def _value_at_zero(ctx: _Context) -> Iterator[Property]:
    if ctx.domain.contains(0) is not sympy.true:
        return
    value = ctx.f.subs(ctx.x, 0)
    if not _number(value):
        return
    for setting in ctx.parameter_values():
        direct, exact = ctx.value(ctx.f, "0", setting), ctx.value(value, "0", setting)
        if direct is None or exact is None or abs(direct - exact) > 1e-25 * max(1, abs(exact)):
            return
    ctx.facts["f(0)"] = value
    yield Property("value at 0", f"{ctx.name}(0) = {ctx.tex(value)}",
                   Verdict(Status.PROVED, "exact substitution x = 0; agrees numerically"))


def _slope_at_zero(ctx: _Context) -> Iterator[Property]:
    """f'(0), claimed only where the difference quotients from both sides agree with it:
    a kink (relu at 0) is not a derivative, whatever value SymPy's Heaviside(0) takes."""
    import mpmath

    if "f(0)" not in ctx.facts:
        return
    slope = ctx.d.subs(ctx.x, 0)
    if not _number(slope):
        return
    for setting in ctx.parameter_values():
        exact = ctx.value(slope, "0", setting)
        at0 = ctx.value(ctx.f, "0", setting)
        right = ctx.value(ctx.f, "1e-15", setting)
        left = ctx.value(ctx.f, "-1e-15", setting)
        if None in (exact, at0, right, left):
            return
        with mpmath.workdps(_DIGITS):
            quotients = ((right - at0) / mpmath.mpf("1e-15"), (at0 - left) / mpmath.mpf("1e-15"))
        if any(abs(q - exact) > 1e-9 * max(1, abs(exact)) for q in quotients):
            return
    if ctx.smooth:
        verdict = Verdict(Status.PROVED,
                          "f' at x = 0 by exact substitution; difference quotients agree")
    else:
        verdict = Verdict(Status.CHECKED, "both one-sided difference quotients at 0 agree "
                          "(h = 10^-15, 30 digits)")
    ctx.facts["f'(0)"] = slope
    yield Property("slope at 0", f"{ctx.name}'(0) = {ctx.tex(slope)}", verdict)


# --- monotonicity ------------------------------------------------------------------------------

def _monotonic(ctx: _Context) -> Iterator[Property]:
    found = _smooth_sign(ctx) if ctx.smooth else _piecewise_sign(ctx)
    if found is None:
        return
    kind, verdict = found
    if not _sampled_sign_agrees(ctx, kind):
        return
    ctx.facts["monotonic"] = (kind, verdict)
    domain = ctx.domain_tex
    relation = {"increasing": "> 0", "decreasing": "< 0", "non-decreasing": r"\ge 0",
                "non-increasing": r"\le 0"}[kind]
    # At a kink (relu at 0) f' does not exist; the statement says so rather than hide it.
    where = "" if ctx.smooth else r" \text{ wherever it exists}"
    yield Property("monotonic",
                   rf"{ctx.name} \text{{ is {kind} on }} {domain}: \ {ctx.name}'"
                   rf"({ctx.tex(ctx.x)}) {relation}{where}", verdict)


_SIGNS = (("is_positive", "increasing", "> 0"), ("is_negative", "decreasing", "< 0"))


def _smooth_sign(ctx: _Context) -> tuple[str, Verdict] | None:
    """The sign of f' everywhere, so f is monotonic: only where f and f' are continuous on
    the whole domain, since a sign read off a factored f' says nothing across a pole that
    factoring cancelled (tan x, atan(1/(x − c)), 1/(x − c) all have f' of one sign)."""
    from sympy.calculus.util import continuous_domain

    # A few samples of f' first: where it changes sign, no deduction is worth its time.
    coarse = [ctx.value(ctx.d, at, setting) for setting in ctx.parameter_values()
              for at in _grid(ctx)[::8]]
    if any(v is None for v in coarse) or (min(coarse) < 0 < max(coarse)):
        return None
    d, real_x, domain = ctx.on_real(ctx.d), ctx.real_x, ctx.domain
    for expr in (ctx.on_real(ctx.f), d):
        continuous = _bounded(ctx, lambda e=expr: continuous_domain(e, real_x, domain))
        if continuous != domain:
            return None
    for form, how in _sign_forms(ctx, d):
        for attribute, kind, relation in _SIGNS:
            if getattr(form, attribute):
                return kind, Verdict(Status.PROVED, f"f and f' are continuous, and f'(x) "
                                     f"{relation} for every x: {how}")
    if not _sampled_sign_agrees(ctx, "increasing"):
        return None
    empty = _bounded(ctx, lambda: sympy.solveset(d <= 0, real_x, domain))
    if empty is sympy.S.EmptySet:
        return "increasing", Verdict(Status.PROVED, "f and f' are continuous, and solveset: "
                                     "f'(x) ≤ 0 has no solution")
    return None


_HYPERBOLIC = (sympy.tanh, sympy.sinh, sympy.cosh, sympy.sech, sympy.csch, sympy.coth)


def _sign_forms(ctx: _Context, d: sympy.Expr) -> Iterator[tuple[sympy.Expr, str]]:
    """f' as written, factored, and in exponentials: one of them may show its sign."""
    yield d, "each factor of f' has a known sign"
    factored = _bounded(ctx, lambda: _factored(d))
    if factored is not None:
        yield factored, "each factor of f', factored, has a known sign"
    if d.has(*_HYPERBOLIC):
        rewritten = _bounded(ctx, lambda: _factored(d.rewrite(sympy.exp)))
        if rewritten is not None:
            yield rewritten, "written in exponentials, each factor of f' has a known sign"


def _piecewise_sign(ctx: _Context) -> tuple[str, Verdict] | None:
    """Monotonic on each piece, and continuous where the pieces meet."""
    from derive.verify import check_equal

    pieces = _pieces(ctx)
    if not pieces:
        return None
    signs = set()
    for expr, interval in pieces:
        sign = _sign_on(ctx, sympy.diff(expr, ctx.x), interval)
        if sign is None:
            return None
        signs.add(sign)
    verdicts = []
    for a, b in pairwise(pieces):
        point = a[1].sup
        if point != b[1].inf:
            return None
        verdict = check_equal(a[0].subs(ctx.x, point), b[0].subs(ctx.x, point),
                              timeout=ctx.seconds() or 0.05)
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
    return kind, _weakest(*verdicts, method="the sign of f' on each piece, and the pieces meet "
                          "where they join")


# x = a ± u with u > 0. Its name is no identifier, so no parameter of f can be called that;
# a Symbol rather than a Dummy so that SymPy's cache recognises a repeated question.
_SHIFT = sympy.Symbol("u>0", positive=True)


def _sign_on(ctx: _Context, d: sympy.Expr, interval: sympy.Interval) -> str | None:
    """The sign of d on the open interval, by SymPy's assumptions about a shifted variable."""
    u = _SHIFT
    if interval.inf.is_finite and interval.sup is sympy.oo:
        d = d.xreplace({ctx.x: interval.inf + u})
    elif interval.sup.is_finite and interval.inf is -sympy.oo:
        d = d.xreplace({ctx.x: interval.sup - u})
    else:
        d = ctx.on_real(d)
    if d.is_zero:
        return "zero"
    for form, _ in _sign_forms(ctx, d):
        if form.is_positive:
            return "positive"
        if form.is_negative:
            return "negative"
    return None


def _pieces(ctx: _Context) -> list[tuple[sympy.Expr, sympy.Interval]]:
    """f's pieces, left to right, each with the interval where it applies (cached: several
    finders need them, and rewriting Max/Min as a Piecewise is slow)."""
    if ctx.pieces is None:
        ctx.pieces = _split_pieces(ctx)
    return ctx.pieces


def _split_pieces(ctx: _Context) -> list[tuple[sympy.Expr, sympy.Interval]]:
    from derive.engine.kinks import as_piecewise

    f = ctx.on_real(ctx.f)
    folded = None if isinstance(f, sympy.Piecewise) else as_piecewise(f, ctx.real_x)
    if folded is None:
        folded = sympy.piecewise_fold(f.rewrite(sympy.Piecewise))
    if not isinstance(folded, sympy.Piecewise):
        return []
    covered: sympy.Set = sympy.S.EmptySet
    pieces = []
    for expr, condition in folded.args:
        where = sympy.Intersection(_condition_set(condition, ctx.real_x), ctx.domain) - covered
        covered = covered | where
        for interval in (where.args if isinstance(where, sympy.Union) else (where,)):
            if isinstance(interval, sympy.Interval) and interval.measure != 0:
                pieces.append((expr.xreplace({ctx.real_x: ctx.x}), interval))
            elif interval is not sympy.S.EmptySet and not isinstance(interval, sympy.FiniteSet):
                return []
    return sorted(pieces, key=lambda p: p[1].inf)


def _condition_set(condition: sympy.Basic, x: sympy.Symbol) -> sympy.Set:
    """The real x where a piece's condition holds; x > a by hand, since as_set is slow."""
    if condition is sympy.true:
        return sympy.S.Reals
    if isinstance(condition, sympy.And):
        return sympy.Intersection(*(_condition_set(c, x) for c in condition.args))
    if isinstance(condition, sympy.Or):
        return sympy.Union(*(_condition_set(c, x) for c in condition.args))
    if isinstance(condition, (sympy.StrictGreaterThan, sympy.GreaterThan, sympy.StrictLessThan,
                              sympy.LessThan)):
        difference = condition.lhs - condition.rhs
        slope = difference.diff(x)
        offset = sympy.expand(difference - slope * x)
        if slope.is_Number and slope != 0 and not offset.has(x):
            point = -offset / slope
            above = isinstance(condition, (sympy.StrictGreaterThan, sympy.GreaterThan))
            strict = isinstance(condition, (sympy.StrictGreaterThan, sympy.StrictLessThan))
            if slope < 0:
                above = not above
            if above:
                return sympy.Interval(point, sympy.oo, left_open=strict)
            return sympy.Interval(-sympy.oo, point, right_open=strict)
    return condition.as_set()


def _grid(ctx: _Context) -> list[str]:
    low = "0.05" if ctx.domain != sympy.S.Reals else "-12"
    start, stop = float(low), 12.0
    steps = 96
    return [f"{start + (stop - start) * i / steps:.6f}" for i in range(steps + 1)]


def _sampled_sign_agrees(ctx: _Context, kind: str) -> bool:
    """A guard against a wrong deduction: f' sampled on a grid has the claimed sign."""
    strict = not kind.startswith("non-")
    sign = 1 if kind in ("increasing", "non-decreasing") else -1
    if not ctx.smooth:
        return all(_pieces_sample(ctx, sign, strict, setting)
                   for setting in ctx.parameter_values())
    for setting in ctx.parameter_values():
        for at in _grid(ctx):
            value = ctx.value(ctx.d, at, setting)
            if value is None:
                return False
            if sign * value < 0 or (strict and value == 0):
                return False
    return True


def _pieces_sample(ctx: _Context, sign: int, strict: bool, setting) -> bool:
    for expr, interval in _pieces(ctx):
        d = sympy.diff(expr, ctx.x)
        low, high = float(interval.inf), float(interval.sup)
        for at in _grid(ctx):
            if not low < float(at) < high:
                continue
            value = ctx.value(d, at, setting)
            if value is None or sign * value < 0 or (strict and value == 0):
                return False
    return True


# --- the steepest slope ---------------------------------------------------------------------

def _max_slope(ctx: _Context) -> Iterator[Property]:
    """Where f' is largest: f'' = 0 there, f' is below it everywhere sampled and far out."""
    import mpmath

    if not ctx.smooth or ctx.params:
        return
    setting: dict[sympy.Symbol, str] = {}
    grid = _grid(ctx)
    values = [ctx.value(ctx.d, at, setting) for at in grid]
    if any(v is None for v in values):
        return
    best = max(range(len(values)), key=lambda i: values[i])
    if best in (0, len(values) - 1):
        return  # the largest value is at the edge: no maximum inside, or not attained
    far = [ctx.value(ctx.d, at, setting) for at in ("-1000.5", "-50.5", "50.5", "1000.5")
           if ctx.domain == sympy.S.Reals or not at.startswith("-")]
    if any(v is None or v >= values[best] for v in far):
        return
    second = sympy.diff(ctx.d, ctx.x)
    with mpmath.workdps(_DIGITS):
        try:
            where = mpmath.findroot(lambda t: ctx.value(second, mpmath.nstr(t, _DIGITS), setting),
                                    mpmath.mpf(grid[best]))
        except (ValueError, ZeroDivisionError, TypeError):
            return
        peak = ctx.value(ctx.d, mpmath.nstr(where, _DIGITS), setting)
    if peak is None or peak < values[best]:
        return
    exact = _identify(where)
    if exact is not None:
        yield from _exact_max_slope(ctx, second, exact, values, far)
        return
    ctx.facts["max slope"] = (sympy.Float(mpmath.nstr(peak, 15), 15),
                              Verdict(Status.CHECKED, ""))
    statement = (rf"\max_{{{ctx.tex(ctx.x)}}} {ctx.name}'({ctx.tex(ctx.x)}) \approx "
                 rf"{mpmath.nstr(peak, 5)} \text{{ at }} {ctx.tex(ctx.x)} \approx "
                 rf"{mpmath.nstr(where, 5)}")
    yield Property("max slope", statement, Verdict(
        Status.CHECKED, f"f'' = 0 solved numerically; f' is smaller at {len(grid) - 1} points "
        "on the grid and far out"))


def _identify(number) -> sympy.Expr | None:
    """A short closed form of the number — q, ±√q or e^q for a small rational q (1/3, √2,
    −√6/2, 1/e) — or None. Only a guess: the caller checks it exactly."""
    import mpmath

    with mpmath.workdps(_DIGITS):
        number = mpmath.mpf(number)
        guesses = [(number, lambda q: q)]
        if number != 0:
            sign = 1 if number > 0 else -1
            guesses.append((number**2, lambda q: sign * sympy.sqrt(q)))
        if number > 0:
            guesses.append((mpmath.log(number), sympy.exp))
        for value, build in guesses:
            fraction = Fraction(mpmath.nstr(value, _DIGITS - 5)).limit_denominator(100)
            if abs(value - mpmath.mpf(fraction.numerator) / fraction.denominator) < 1e-20:
                return build(sympy.Rational(fraction.numerator, fraction.denominator))
    return None


_TIDY_OPS = 12


def _exact_max_slope(ctx: _Context, second: sympy.Expr, where: sympy.Expr,
                     values: list, far: list) -> Iterator[Property]:
    from derive.verify import check_equal

    critical = check_equal(second.subs(ctx.x, where), sympy.S.Zero, timeout=ctx.seconds() or 0.05)
    if not critical.ok:
        return
    raw = ctx.d.subs(ctx.x, where)
    # Substitution leaves a short value as it is (1/4, e^{-1}/√π + erf(1)/2 + 1/2): simplify
    # (a sixth of a second on GELU's) only when there is something to tidy.
    peak = raw if sympy.count_ops(raw) <= _TIDY_OPS else (
        _bounded(ctx, lambda: sympy.simplify(raw)) or raw)
    if not _number(peak) or any(v > ctx.value(peak, "0", {}) for v in values + far):
        return
    gap = ctx.on_real(peak - ctx.d)
    proof = next((how for form, how in _nonnegative_forms(ctx, gap) if form.is_nonnegative),
                 None)
    x = ctx.tex(ctx.x)
    critical_point = _Said(f"f''({_plain(where)}) = 0", f"$f''({ctx.tex(where)}) = 0$")
    if proof is not None:
        status = Status.PROVED
        method = _Said(
            f"{critical_point.plain}, and {_plain(peak)} − f'(x) ≥ 0: {proof.plain}",
            rf"{critical_point.latex}, and ${ctx.tex(peak)} - f'({x}) \geq 0$: {proof.latex}")
    else:
        status = Status.CHECKED
        rest = (f" ({critical.status.value}); f' is smaller on a grid of samples and far out")
        method = _Said(critical_point.plain + rest, critical_point.latex + rest)
    verdict = Verdict(status, method.plain)
    ctx.facts["max slope"] = (peak, verdict)
    yield Property("max slope", rf"\max_{{{x}}} {ctx.name}'({x}) = {ctx.name}'({ctx.tex(where)})"
                   f" = {ctx.tex(peak)}", verdict, method.latex)


def _nonnegative_forms(ctx: _Context, gap: sympy.Expr) -> Iterator[tuple[sympy.Expr, _Said]]:
    # Factored first: a product of squares and positive factors is the quick case for
    # SymPy's sign deduction, while a sum it cannot sign costs it tens of milliseconds.
    factored = _bounded(ctx, lambda: _factored(gap))
    if factored is not None and factored != gap:
        yield factored, _formula(ctx, "it factors as {}, each factor of known sign", factored)
    yield gap, _formula(ctx, "it is {}, each term of known sign", gap)
    if gap.has(*_HYPERBOLIC):
        rewritten = _bounded(ctx, lambda: _factored(gap.rewrite(sympy.exp)))
        if rewritten is not None:
            yield rewritten, _formula(ctx, "in exponentials it is {}, each factor of known sign",
                                      rewritten)


def _formula(ctx: _Context, sentence: str, expr: sympy.Expr) -> _Said:
    """The sentence with expr in its {}: as plain text, and typeset."""
    return _Said(sentence.format(_plain(expr)), sentence.format(f"${ctx.tex(expr)}$"))


def _plain(expr: sympy.Expr) -> str:
    """Short plain text for a method line: x^2 rather than x**2."""
    from derive.words.printer import to_text

    return to_text(expr).replace("**", "^")


def _vanishing_gradient(ctx: _Context) -> Iterator[Property]:
    """With 0 < f' ≤ m < 1, a product of n slopes is at most mⁿ: gradients shrink."""
    peak_fact = ctx.facts.get("max slope")
    direction = ctx.facts.get("monotonic")
    if peak_fact is None or direction is None or direction[0] != "increasing":
        return
    peak, verdict = peak_fact
    if not (peak.is_positive and (peak < 1) is sympy.true):
        return
    inverse = 1 / peak
    bound = (rf"{ctx.tex(inverse)}^{{-n}}" if inverse.is_Integer
             else rf"\left({ctx.tex(peak)}\right)^{{n}}")
    statement = (rf"0 < \prod_{{i=1}}^{{n}} {ctx.name}'(z_i) \le {bound}"
                 r" \text{ through } n \text{ layers}")
    method = _Said(f"each layer's factor is f' > 0, at most its maximum {peak}",
                   f"each layer's factor is $f' > 0$, at most its maximum ${ctx.tex(peak)}$")
    yield Property("vanishing gradient", statement,
                   _weakest(verdict, direction[1], method=method.plain), method.latex)


# --- symmetry --------------------------------------------------------------------------------

def _symmetry(ctx: _Context) -> Iterator[Property]:
    """Odd, even, or f(−x) = c − f(x) (point symmetry about (0, c/2)), by the verifier."""
    from derive.verify import check_equal

    if ctx.domain != sympy.S.Reals:
        return
    mirrored = ctx.f.subs(ctx.x, -ctx.x)
    candidates = []
    value = ctx.facts.get("f(0)")
    c = 2 * value if value is not None else sympy.S.Zero
    # Even first: a constant is even, and "f(−x) = 2c − f(x)" would be a silly way to say it.
    candidates.append((ctx.f, "even"))
    candidates.append((-ctx.f + c, "odd" if c == 0 else "point"))
    x = ctx.tex(ctx.x)
    for other, kind in candidates:
        if not _agrees_at_samples(ctx, mirrored, other):
            continue
        verdict = check_equal(mirrored, other, timeout=ctx.seconds() or 0.05)
        if not verdict.ok:
            continue
        if kind == "odd":
            statement = rf"{ctx.name}(-{x}) = -{ctx.name}({x}) \quad \text{{(odd)}}"
        elif kind == "even":
            statement = rf"{ctx.name}(-{x}) = {ctx.name}({x}) \quad \text{{(even)}}"
        else:
            statement = rf"{ctx.name}(-{x}) = {ctx.tex(c)} - {ctx.name}({x})"
        yield Property("symmetry", statement, verdict)
        return


def _agrees_at_samples(ctx: _Context, left: sympy.Expr, right: sympy.Expr) -> bool:
    """A cheap numeric screen before asking the verifier."""
    for setting in ctx.parameter_values():
        for at in ("0.7", "1.9", "-2.3"):
            a, b = ctx.value(left, at, setting), ctx.value(right, at, setting)
            if a is None or b is None or abs(a - b) > 1e-20 * max(1, abs(a)):
                return False
    return True


# Dependency order: later finders use the facts of earlier ones.
_FINDERS = (_limits, _value_at_zero, _slope_at_zero, _monotonic, _range, _max_slope,
            _vanishing_gradient, _symmetry)
