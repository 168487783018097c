"""A derivative built from pieces, written as a teacher writes it: one set of cases.

The rules differentiate max, min, |u| and each case where it is written, so a function built
from pieces ends on sums and products of cases blocks: hardswish x·min(max(0, x + 3), 6)/6
on (x·(0 for x ≤ −3; 1 for −3 < x ≤ 3; 0 otherwise) + min(6, max(0, 3 + x)))/6. An answer
key writes one block over all the breakpoints, each piece simplified, and gives a breakpoint
to a piece only where the derivative exists there:

    f'(x) = 0 for x < −3,  x/3 + 1/2 for −3 < x < 3,  1 for x > 3.

`where_defined` finds that block. The line is split into smooth pieces (`kinks.smooth_pieces`,
at the breakpoints of the derivative and of f itself: f may jump where its derivative shows
nothing, as x for x > 0, x + 1 otherwise has f' = 1 on both sides). At a breakpoint k the
derivative exists exactly when f is continuous there (both one-sided limits of f equal f(k))
and the one-sided limits of f' are equal and finite: then, by the mean value theorem, both
one-sided derivatives are that limit. A breakpoint where this cannot be decided (a parameter
in the difference, a piece with no value at k) is not given a value. Sizes bound the work
(the split's budget); nothing here reads a clock.

The step that shows the block is verified like every other one (derive.verify proves it
interval by interval, the omitted breakpoints being where the new line has no value).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import sympy
from sympy.core.function import AppliedUndef

from derive.engine.kinks import (
    KINKED,
    Unsupported,
    between,
    ordered,
    sample,
    smooth_pieces,
    switch_symbols,
)
from derive.engine.simplest import answer
from derive.model import Fact, Step

Pieces = list[tuple[sympy.Expr, sympy.Expr, sympy.Expr]]


@dataclass(frozen=True)
class Defined:
    """The derivative as one set of cases with values only where it exists.

    `expr`: the Piecewise; `folded`: whether it joins several kinked nodes into one block
    (False: the line was one block already and only its breakpoints changed); `breakpoints`:
    every point between two rows; `slopes`: where the one-sided derivatives differ; `jumps`:
    where f itself is not continuous (so it has no derivative either)."""

    expr: sympy.Piecewise
    folded: bool
    breakpoints: tuple[sympy.Expr, ...]
    slopes: tuple[sympy.Expr, ...]
    jumps: tuple[sympy.Expr, ...]

    @property
    def undefined(self) -> tuple[sympy.Expr, ...]:
        return tuple(ordered({*self.slopes, *self.jumps}))


def where_defined(derivative: sympy.Expr, f: sympy.Expr, x: sympy.Symbol) -> Defined | None:
    """The derivative of f (`derivative`, an evaluated line of the walkthrough) as one set of
    cases, or None where it is not one (no breakpoints in x alone, a split beyond its budget,
    a side that cannot be decided) or already reads so."""
    if not _applicable(derivative, f, x):
        return None
    try:
        return _defined(derivative, f, x)
    except (TypeError, ValueError):
        # a value at a breakpoint given as a root SymPy cannot compare (max(u, 0) where u is
        # exactly 0 at a CRootOf): not decided here, as for a split beyond its budget
        return None


def _defined(derivative: sympy.Expr, f: sympy.Expr, x: sympy.Symbol) -> Defined | None:
    try:
        f_pieces = _cancelled(smooth_pieces(f, x), x)
        d_pieces = _cancelled(smooth_pieces(derivative, x), x)
    except Unsupported:
        return None
    points = ordered({p for pieces in (f_pieces, d_pieces) for lo, hi, _ in pieces
                      for p in (lo, hi) if p.is_finite})
    if not points:
        return None
    slopes, jumps = [], []
    for k in points:
        f_sides = _sides(f_pieces, x, k)
        d_sides = _sides(d_pieces, x, k, infinite=True)
        if f_sides is None or d_sides is None:
            return None  # a side with no value at k: not decided here
        value = f.subs(x, k)
        if not (_finite(value) and _same(f_sides[0], value) and _same(f_sides[1], value)):
            jumps.append(k)
        elif not all(_finite(side) for side in d_sides) or not _same(*d_sides):
            # (an infinite side: the difference quotients grow without bound, by the mean
            # value theorem, as for sqrt|x| at 0)
            slopes.append(k)
    exists = set(points) - set(slopes) - set(jumps)
    rows = _rows_as_written(derivative, x)
    # (a line with no kink of its own, f' = 1 where f jumps, is not folded: it is opened)
    folded = rows is None and derivative.has(*KINKED)
    if rows is None and not slopes and not jumps and not derivative.has(sympy.Piecewise) \
            and all(_finite(derivative.subs(x, k)) for k in exists):
        return None  # one formula right everywhere (softsign' = 1/(1 + |x|)²) stays one
    if rows is None:
        rows = _rows_left_to_right(d_pieces, points, exists)
        # each piece as an answer key prints it (x/3 + 1/2), compared above as values
        rows = [(answer(value, x, f), where) for value, where in rows]
    elif not slopes and not jumps:
        return None  # one block already, with a value wherever it has one: nothing to say
    expr = _opened(rows, points, exists, x)
    if expr is None:
        return None
    # the points between two rows (|x| > 1/2's kink of |x| at 0 is inside the middle row)
    between_rows = tuple(k for k in points if not any(
        condition.subs(x, k) is sympy.true and _inside(condition, x, k)
        for _, condition in expr.args))
    return Defined(expr, folded, between_rows, tuple(slopes), tuple(jumps))


def _cancelled(pieces: Pieces, x: sympy.Symbol) -> Pieces:
    """Each piece with its common factors cancelled, read with the sign x has on its interval:
    |x − 1|'s (x − 1)/(1 − x) is −1 and √|x|'s x/(2(−x)^{3/2}) is −1/(2√(−x)), which have a
    value at the breakpoint where the quotients as written have none."""
    out = []
    for lo, hi, e in pieces:
        # (where SymPy cannot cancel, the piece is kept and its sides read as written)
        with contextlib.suppress(sympy.PolynomialError, NotImplementedError, TypeError,
                                 ValueError):
            e = sympy.cancel(_signed(e, x, lo, hi))
        out.append((lo, hi, e))
    return out


def _signed(e: sympy.Expr, x: sympy.Symbol, lo: sympy.Expr, hi: sympy.Expr) -> sympy.Expr:
    """e with x written as ±t for a positive t where the interval lies on one side of 0, so
    that SymPy joins the powers of x (or of −x) it could not join for a real x."""
    t = sympy.Dummy("t", positive=True)
    if (lo >= 0) == sympy.true:
        return e.xreplace({x: t}).xreplace({t: x})
    if (hi <= 0) == sympy.true:
        return e.xreplace({x: -t}).xreplace({t: -x})
    return e


def _applicable(derivative: sympy.Expr, f: sympy.Expr, x: sympy.Symbol) -> bool:
    """Kinks in f or its derivative that switch on x alone, x an unrestricted real variable,
    and nothing without a value (a pending derivative, a function known only by name)."""
    if derivative.has(sympy.Derivative) or derivative.atoms(AppliedUndef) or f.atoms(AppliedUndef):
        return False
    kinks = [n for e in (derivative, f) for n in sympy.preorder_traversal(e)
             if isinstance(n, KINKED)]
    if not kinks or set().union(*(switch_symbols(n) for n in kinks)) != {x}:
        return False
    return bool(x.is_real) and x.is_positive is None and x.is_negative is None


def _sides(pieces: Pieces, x: sympy.Symbol, k: sympy.Expr, *, infinite: bool = False
           ) -> tuple[sympy.Expr, sympy.Expr] | None:
    """The one-sided limits at k of the expression the pieces make up; None where a piece has
    no finite value at k (a limit would be needed: not taken, so nothing is claimed).
    `infinite`: a side that is c/0 with c ≠ 0 (SymPy's zoo; the pieces are cancelled, so
    no common factor hides a finite limit) is kept, as an infinite limit; 0/0 (nan) is not."""
    left = next((e for lo, hi, e in pieces if hi == k), None)
    right = next((e for lo, hi, e in pieces if lo == k), None)
    if left is None or right is None:  # k inside one piece: the expression is smooth there
        left = right = next(e for lo, hi, e in pieces if between(lo, k, hi))
    values = (left.subs(x, k), right.subs(x, k))
    if all(_finite(v) or (infinite and v in (sympy.zoo, sympy.oo, -sympy.oo)) for v in values):
        return values
    return None


def _finite(value: sympy.Expr) -> bool:
    return not value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) and value.is_real is not False


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    """a = b for values at a point: exact, and False where undecided (α − 1 for ELU at 0)."""
    difference = a - b
    if difference == 0:
        return True
    if difference.is_number:
        return bool(sympy.simplify(difference) == 0)
    return bool(sympy.expand(difference) == 0)


def _rows_as_written(derivative: sympy.Expr, x: sympy.Symbol
                     ) -> list[tuple[sympy.Expr, sympy.Set]] | None:
    """A line that is one Piecewise whose rows are smooth and whose conditions are sets of x
    keeps its rows, in its order (ELU' = 1 for x > 0 first, as its definition is written),
    each on the interval where it applies (it holds and no earlier row does); None otherwise."""
    if not isinstance(derivative, sympy.Piecewise):
        return None
    covered: sympy.Set = sympy.S.EmptySet
    rows = []
    for value, condition in derivative.args:
        if value.has(*KINKED):
            return None
        try:
            where = (sympy.S.Reals if condition is sympy.true else condition.as_set()) - covered
        except (NotImplementedError, TypeError, AttributeError):
            return None
        covered = covered | where
        if isinstance(where, sympy.Union):
            return None  # 1 for x < -1/2 or x > 1/2: read left to right instead, a row each
        if where is not sympy.S.EmptySet:
            rows.append((value, where))
    return rows if len(rows) > 1 else None


def _rows_left_to_right(pieces: Pieces, points: Sequence[sympy.Expr], exists: set[sympy.Expr]
                        ) -> list[tuple[sympy.Expr, sympy.Set]]:
    """One row per interval between the breakpoints, from left to right, two neighbours with
    the same piece joined where the derivative exists at the point between them."""
    rows: list[tuple[sympy.Expr, sympy.Set]] = []
    for lo, hi in pairwise([-sympy.oo, *points, sympy.oo]):
        s = sample(lo, hi)
        value = next(e for a, b, e in pieces if between(a, s, b))
        interval = sympy.Interval.open(lo, hi)
        if rows and rows[-1][0] == value and lo in exists:
            rows[-1] = (value, sympy.Union(rows[-1][1], interval, sympy.FiniteSet(lo)))
        else:
            rows.append((value, interval))
    return rows


def _inside(condition: sympy.Basic, x: sympy.Symbol, k: sympy.Expr) -> bool:
    """Whether the row's condition holds on both sides of k (k is no end of its interval)."""
    where = condition.as_set()
    return k in where.interior


def _opened(rows: list[tuple[sympy.Expr, sympy.Set]], points: Sequence[sympy.Expr],
            exists: set[sympy.Expr], x: sympy.Symbol) -> sympy.Piecewise | None:
    """The rows on the interiors of their sets, each breakpoint where the derivative exists
    given back to the first row that reaches it (the left one, rows read left to right)."""
    opened: list[list] = []
    for value, where in rows:
        pieces = where.args if isinstance(where, sympy.Union) else (where,)
        if not all(isinstance(p, sympy.Interval | sympy.FiniteSet) for p in pieces):
            return None
        opened.append([value, where.interior])
    # A point with no derivative inside a row's interior (SymPy merges neighbouring rows with
    # one derivative: x**2 + 1 if x < 0 else x**2 has 2x on both sides of its jump at 0) is
    # taken out of the row, or the row would state f'(0) = 0 where f jumps.
    missing = [k for k in points if k not in exists]
    for row in opened:
        holes = [k for k in missing if row[1].contains(k) is sympy.true]
        if holes:
            row[1] = row[1] - sympy.FiniteSet(*holes)
    for k in points:
        if k not in exists:
            continue
        for row in opened:
            if k in row[1].closure:
                row[1] = row[1] | sympy.FiniteSet(k)
                break
    if len(opened) < 2:
        return None
    values = {sympy.expand(v) for v, _ in opened}
    if len(values) == 1:
        # one value on every interval (sign' = 0 beside its jump): one row, x ≠ each point
        # where there is no derivative, as an answer key writes it
        missing = [k for k in points if k not in exists]
        return sympy.Piecewise((opened[0][0], sympy.And(*(sympy.Ne(x, k) for k in missing))),
                               evaluate=False)
    return sympy.Piecewise(*((v, w.as_relational(x)) for v, w in opened), evaluate=False)


def defined_step(defined: Defined, x: sympy.Symbol) -> Step:
    """The walkthrough's step for `defined`: "where defined" when only the breakpoints of one
    block change (hard sigmoid), "one piecewise" when kinked nodes are joined into one block;
    either names the points where the derivative does not exist (the generated code reads
    them: derive.analysis.codegen.undefined_points)."""
    parts: list[tuple[str, sympy.Basic]] = [("variable", x),
                                            ("points", sympy.Tuple(*defined.undefined))]
    if defined.jumps:
        parts.append(("jumps", sympy.Tuple(*defined.jumps)))
    where = Fact("where defined", tuple(parts))
    if not defined.folded:
        return Step(rule="where defined", expr=defined.expr, facts=(where,))
    one = Fact("one piecewise", (("variable", x),
                                 ("breakpoints", sympy.Tuple(*defined.breakpoints))))
    # (where it does not exist first: a slide keeps the first sentences that fit)
    return Step(rule="one piecewise", expr=defined.expr,
                facts=(where, one) if defined.undefined else (one,))
