"""What every finder works from: f, f', the variable and its assumptions, numeric samples,
f's pieces, and the properties' own budget.

The budget is what keeps documents independent of the clock. What is attempted is decided
by sizes (an expression too large for a symbolic call is not given to it); the clock only
stops runaway work, at many times what any ordinary call needs, and when it does the
finder's name is recorded so that the document says so in words.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

import sympy

T = TypeVar("T")

# Classes whose presence makes f possibly non-differentiable somewhere: such an f is
# handled piece by piece, and its slope at 0 needs both one-sided quotients to agree.
NON_SMOOTH = (sympy.Piecewise, sympy.Max, sympy.Min, sympy.Abs, sympy.Heaviside, sympy.sign,
              sympy.floor, sympy.ceiling, sympy.frac, sympy.DiracDelta)
DIGITS = 30
# The properties' own budget, apart from --timeout (which bounds one check of a step).
# A runaway bound only: every catalog function needs under a tenth of it on an idle machine.
PROPERTIES_SECONDS = 20.0
# One symbolic call may take this long: over ten times what any catalog call needs on an
# idle machine (GELU's tanh form's limit at −∞, Gruntz's longest, about 0.4 s cold; 3 s
# with six processes to each core), so that a loaded machine writes the same documents.
SYMBOLIC_SECONDS = 6.0
# The size budget: a symbolic call (factor, solveset, simplify) is given only expressions of
# at most this many operations. The catalog's largest f' (GELU's tanh form) has 52.
MAX_SYMBOLIC_OPS = 120
# Verify gets this much per question: its stages take shares of it, so it is generous.
CHECK_SECONDS = 5.0


@dataclass
class Context:
    f: sympy.Expr
    x: sympy.Symbol
    d: sympy.Expr
    name: str
    deadline: float
    params: tuple[sympy.Symbol, ...]
    real_x: sympy.Symbol  # x with real (or positive) assumptions, for sign deductions
    domain: sympy.Set  # the variable's own domain: ℝ, or (0, ∞) for a positive x
    smooth: bool
    stopped: list[str] = field(default_factory=list)  # what the runaway clock stopped
    finder: str = ""  # the finder at work, for `stopped`
    _pieces: list[tuple[sympy.Expr, sympy.Interval]] | None = None

    @classmethod
    def of(cls, f: sympy.Expr, x: sympy.Symbol, derivative: sympy.Expr | None, name: str,
           seconds: float) -> Context:
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
        smooth = not f.has(*NON_SMOOTH)
        return cls(f, x, d, name, time.process_time() + seconds, params, real_x, domain, smooth)

    # --- the budget --------------------------------------------------------------------

    def seconds(self) -> float:
        """Time a single symbolic call may take: a runaway bound, never past the deadline."""
        return max(0.0, min(SYMBOLIC_SECONDS, self.deadline - time.process_time()))

    @property
    def out_of_time(self) -> bool:
        return time.process_time() > self.deadline

    def small(self, *exprs: sympy.Basic) -> bool:
        """Within the size budget for a symbolic call."""
        return all(sympy.count_ops(e) <= MAX_SYMBOLIC_OPS for e in exprs)

    def bounded(self, call: Callable[[], T]) -> T | None:
        """call() within the runaway bound; None if it failed or was stopped (recorded)."""
        from derive.timeout import attempt

        outcome = attempt(call, self.seconds(), cpu=True)
        if outcome.timed_out:
            self.note_stopped()
            return None
        return None if outcome.error else outcome.value

    def note_stopped(self) -> None:
        if self.finder and self.finder not in self.stopped:
            self.stopped.append(self.finder)

    def check_equal(self, left: sympy.Expr, right: sympy.Expr):
        """derive.verify's verdict on left == right, with the generous check budget."""
        from derive.verify import check_equal

        seconds = min(CHECK_SECONDS, max(0.0, self.deadline - time.process_time()))
        if seconds <= 0:
            self.note_stopped()
            return check_equal(left, right, timeout=0.05)
        return check_equal(left, right, timeout=seconds)

    # --- reading f ---------------------------------------------------------------------

    def on_real(self, expr: sympy.Expr) -> sympy.Expr:
        return expr if self.real_x == self.x else expr.xreplace({self.x: self.real_x})

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

    def value(self, expr: sympy.Expr, at: str, setting: dict[sympy.Symbol, str]) -> Any:
        """expr at x = at (a decimal string) as an mpmath number, or None where undefined."""
        return _sample(expr, (self.x, *self.params), (at, *(setting[p] for p in self.params)))

    def pieces(self) -> list[tuple[sympy.Expr, sympy.Interval]]:
        """f's pieces, left to right, each with the interval where it applies (kept: several
        finders need them, and rewriting Max/Min as a Piecewise is slow)."""
        if self._pieces is None:
            self._pieces = _split_pieces(self)
        return self._pieces

    def grid(self) -> list[str]:
        low = "0.05" if self.domain != sympy.S.Reals else "-12"
        start, stop = float(low), 12.0
        steps = 96
        return [f"{start + (stop - start) * i / steps:.6f}" for i in range(steps + 1)]


@lru_cache(maxsize=16384)
def _sample(expr: sympy.Expr, arguments: tuple[sympy.Symbol, ...], values: tuple[str, ...]) -> Any:
    """expr at the (decimal string) values, to DIGITS digits; None where it is undefined or
    not real. Kept: several finders sample f' on the same grid, as does a repeated run."""
    from derive.analysis.compiled import real_value

    return real_value(expr, arguments, values, digits=DIGITS, imaginary="relative")


def is_number(value: sympy.Basic) -> bool:
    """A finite real value, possibly in terms of the parameters."""
    if not isinstance(value, sympy.Expr) or value.has(
            sympy.nan, sympy.zoo, sympy.oo, -sympy.oo, sympy.AccumBounds, sympy.Limit,
            sympy.Derivative, sympy.Subs, sympy.Integral):  # unevaluated: says nothing
        return False
    return value.is_extended_real is not False and value.is_finite is not False


def _split_pieces(ctx: Context) -> list[tuple[sympy.Expr, sympy.Interval]]:
    from derive.engine.kinks import as_piecewise

    f = ctx.on_real(ctx.f)
    folded = None if isinstance(f, sympy.Piecewise) else as_piecewise(f, ctx.real_x)
    if folded is None:
        if _switches_periodically(f, ctx.real_x):
            return []
        # SymPy raises on a condition it cannot compare (zoo: fuzzing): no pieces
        folded = ctx.bounded(lambda: sympy.piecewise_fold(f.rewrite(sympy.Piecewise)))
        if folded is None:
            return []
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


_PERIODIC = (sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc)


def _switches_periodically(f: sympy.Expr, x: sympy.Symbol) -> bool:
    """The size budget for pieces: a kink's argument with a trigonometric function of x in
    it (hardsigmoid(csc(p(x)))) switches sides without end, more pieces than a list holds,
    and SymPy's rewrite simplifies its conditions by trigsimp for minutes before failing."""
    return any(any(node.has(x) for node in kink.atoms(*_PERIODIC))
               for kink in f.atoms(*NON_SMOOTH))


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
