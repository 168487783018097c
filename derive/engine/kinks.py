"""Where |u|, sign, H, max, min and Piecewise switch branch, and which branch holds.

Shared by the verifier's interval-by-interval proof (`derive.verify.cases`) and by the walkthrough,
which shows max(0, min(1, x/6 + 1/2)) as its pieces from left to right. Everything is exact:
a switch point is a real root of a polynomial with rational coefficients (anything else
raises `Unsupported`), and the branch on an interval is read off at a rational point inside.
SymPy's own rewrite to Piecewise gets there through `as_set` and `simplify_logic`, which
costs a hundred milliseconds for hard-sigmoid and orders the pieces as it likes.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

import sympy

KINKED = (sympy.Abs, sympy.sign, sympy.Heaviside, sympy.Max, sympy.Min, sympy.Piecewise)
MAX_BREAKPOINTS = 24  # beyond this a split is not worth it
# Splits smooth_pieces makes at most: every interval (at most MAX_BREAKPOINTS + 1) resolves
# each kinked node once, so 400 covers 16 kinked nodes on every interval of the largest split.
MAX_SPLITS = 400


class Unsupported(Exception):
    """The expression is outside what the split handles (non-polynomial switch points, ...)."""


def innermost_kink(expr: sympy.Expr) -> sympy.Expr | None:
    """A kinked node none of whose arguments has a kink of its own."""
    for node in sympy.postorder_traversal(expr):
        if isinstance(node, KINKED):
            return node
    return None


def switch_symbols(node: sympy.Expr) -> set[sympy.Symbol]:
    """The symbols that decide which branch of the kinked node applies."""
    if isinstance(node, sympy.Piecewise):
        return set().union(*(condition.free_symbols for _, condition in node.args))
    return node.free_symbols  # |u|, sign, H: u; max, min: every argument


@lru_cache(maxsize=512)
def switch_points(node: sympy.Expr, x: sympy.Symbol) -> frozenset[sympy.Expr]:
    """Every real x where the node can change branch. Kept per node: a proof by cases asks
    again on every interval, and root isolation is the costly part."""
    if isinstance(node, sympy.Max | sympy.Min):
        args = node.args
        polys = [a - b for i, a in enumerate(args) for b in args[i + 1:]]
    elif isinstance(node, sympy.Piecewise):
        polys = [rel.lhs - rel.rhs for _, cond in node.args for rel in _relations(cond)]
    else:
        polys = [node.args[0]]
    points: set[sympy.Expr] = set()
    for expr in polys:
        points.update(_real_roots(expr, x))
    return frozenset(points)


def branch_at(node: sympy.Expr, x: sympy.Symbol, s: sympy.Rational) -> sympy.Expr:
    """The smooth expression `node` equals on an interval around s with no switch inside."""
    def at(expr: sympy.Expr) -> sympy.Expr:
        value = expr.xreplace({x: s})
        if not value.is_comparable:
            raise Unsupported(f"cannot decide the sign of {expr}")
        return value

    if isinstance(node, sympy.Abs):
        u = node.args[0]
        return u if at(u) > 0 else -u
    if isinstance(node, sympy.sign):
        return sympy.S.One if at(node.args[0]) > 0 else sympy.S.NegativeOne
    if isinstance(node, sympy.Heaviside):
        return sympy.S.One if at(node.args[0]) > 0 else sympy.S.Zero
    if isinstance(node, sympy.Max):
        return max(node.args, key=at)
    if isinstance(node, sympy.Min):
        return min(node.args, key=at)
    for value, condition in node.args:  # Piecewise: the first piece whose condition holds
        holds = condition.xreplace({x: s})
        if holds is sympy.true:
            return value
        if holds is not sympy.false:
            raise Unsupported(f"cannot decide {condition} at {s}")
    return sympy.nan  # no piece applies: undefined there


def ordered(points) -> list[sympy.Expr]:
    return sorted(points, key=lambda p: sympy.N(p, 30))


def between(lo: sympy.Expr, point: sympy.Expr, hi: sympy.Expr) -> bool:
    return bool((lo < point) == sympy.true and (point < hi) == sympy.true)


def sample(lo: sympy.Expr, hi: sympy.Expr) -> sympy.Rational:
    """A rational point strictly inside (lo, hi)."""
    if lo is -sympy.oo and hi is sympy.oo:
        return sympy.Rational(1, 3)
    if lo is -sympy.oo:
        return sympy.floor(hi) - 1
    if hi is sympy.oo:
        return sympy.ceiling(lo) + 1
    middle = sympy.Rational(str(sympy.N((lo + hi) / 2, 40)))
    if not between(lo, middle, hi):
        raise Unsupported("breakpoints too close to separate")
    return middle


def smooth_pieces(expr: sympy.Expr, x: sympy.Symbol, *, budget: int = MAX_SPLITS
                  ) -> list[tuple[sympy.Expr, sympy.Expr, sympy.Expr]]:
    """[(lo, hi, e)]: expr equals the kink-free e on the open interval (lo, hi); the intervals
    cover the line but for the breakpoints between them.

    Bounded by sizes fixed before the work, never by a clock (what a document shows must not
    depend on how busy the machine is): at most `budget` splits (one kinked node resolved on
    one interval, or one interval cut at its switch points) and MAX_BREAKPOINTS intervals;
    beyond either, Unsupported. Each split is itself bounded (root isolation of a polynomial
    of degree at most 4, a sign at a rational point), so the whole is."""
    found: list[tuple[sympy.Expr, sympy.Expr, sympy.Expr]] = []
    splits = 0

    def split(e: sympy.Expr, lo: sympy.Expr, hi: sympy.Expr) -> None:
        nonlocal splits
        splits += 1
        if splits > budget:
            raise Unsupported(f"more than {budget} splits")
        node = innermost_kink(e)
        if node is None:
            found.append((lo, hi, e))
            if len(found) > MAX_BREAKPOINTS:
                raise Unsupported("too many breakpoints")
            return
        inside = ordered(p for p in switch_points(node, x) if between(lo, p, hi))
        if inside:
            if len(found) + len(inside) + 1 > MAX_BREAKPOINTS:  # at least that many more
                raise Unsupported("too many breakpoints")
            for a, b in pairwise([lo, *inside, hi]):
                split(e, a, b)
            return
        split(e.xreplace({node: branch_at(node, x, sample(lo, hi))}), lo, hi)

    try:
        split(expr, -sympy.oo, sympy.oo)
    except (TypeError, ValueError) as error:
        # SymPy cannot order a breakpoint given as a root (CRootOf) against a bound, or
        # build max/min of values it cannot compare: outside what the split handles.
        raise Unsupported(f"a breakpoint that cannot be compared ({error})") from None
    return found


def value_at(expr: sympy.Expr, x: sympy.Symbol, point: sympy.Expr) -> sympy.Expr:
    """expr at x = point, or Unsupported when SymPy cannot build it: max(u, 0) at a CRootOf
    where u is exactly 0 but SymPy cannot tell, raises ValueError ("not comparable")."""
    try:
        return expr.subs(x, point)
    except (TypeError, ValueError) as error:
        raise Unsupported(f"a value at a breakpoint that cannot be compared ({error})") from None


@lru_cache(maxsize=256)
def as_piecewise(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Piecewise | None:
    """expr as its pieces from left to right, (e₁, x ≤ p₁), (e₂, p₁ < x ≤ p₂), …, (eₙ, True),
    each breakpoint given to a neighbour whose value there is expr's own; None when expr has
    no kink in x alone, or a breakpoint value belongs to neither neighbour (H(0) = 1/2)."""
    kinks = [n for n in sympy.preorder_traversal(expr) if isinstance(n, KINKED)]
    if not kinks or set().union(*(switch_symbols(n) for n in kinks)) != {x}:
        return None
    if not x.is_real or x.is_positive is not None or x.is_negative is not None:
        return None  # a restricted domain: the pieces would reach outside it
    try:
        return _folded(expr, x, smooth_pieces(expr, x))
    except Unsupported:
        return None


def _folded(expr: sympy.Expr, x: sympy.Symbol,
            intervals: list[tuple[sympy.Expr, sympy.Expr, sympy.Expr]]) -> sympy.Piecewise | None:
    merged: list[list] = []  # [lo, hi, e], neighbours with the same expression joined
    for lo, hi, e in intervals:
        if merged and merged[-1][2] == e:
            if not _same(value_at(e, x, lo), value_at(expr, x, lo)):
                return None  # a joined breakpoint where expr has a value of its own
            merged[-1][1] = hi
        else:
            merged.append([lo, hi, e])
    if len(merged) < 2:
        return None
    # Each breakpoint goes to the left piece (x <= p) or the right one (p < x), whichever
    # has expr's value there; the conditions are disjoint, so each row reads on its own.
    to_left = []
    for (_, point, left), (_, _, right) in pairwise(merged):
        value = value_at(expr, x, point)
        if _same(value_at(left, x, point), value):
            to_left.append(True)
        elif _same(value_at(right, x, point), value):
            to_left.append(False)
        else:
            return None
    pieces = []
    for i, (lo, hi, e) in enumerate(merged):
        bounds = []
        if i > 0:
            bounds.append(sympy.Lt(lo, x) if to_left[i - 1] else sympy.Le(lo, x))
        if i < len(merged) - 1:
            bounds.append(sympy.Le(x, hi) if to_left[i] else sympy.Lt(x, hi))
        condition = sympy.true if i == len(merged) - 1 else sympy.And(*bounds)
        pieces.append((e, condition))
    return sympy.Piecewise(*pieces, evaluate=False)


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    if a.has(sympy.nan, sympy.zoo) or b.has(sympy.nan, sympy.zoo):
        return False
    return sympy.simplify(a - b) == 0


def _relations(condition: sympy.Basic) -> list[sympy.Basic]:
    if condition in (sympy.true, sympy.false):
        return []
    if isinstance(condition, sympy.core.relational.Relational):
        return [condition]
    if isinstance(condition, sympy.And | sympy.Or | sympy.Not):
        return [r for arg in condition.args for r in _relations(arg)]
    raise Unsupported(f"condition {condition}")


# Strictly increasing on the whole real line (or their real domain), with the open range
# they take there: c·f(v) + d = 0 exactly where v = f⁻¹(−d/c), when −d/c is in the range.
_MONOTONE = {
    sympy.exp: (sympy.log, sympy.S.Zero, sympy.oo),
    sympy.sinh: (sympy.asinh, -sympy.oo, sympy.oo),
    sympy.asinh: (sympy.sinh, -sympy.oo, sympy.oo),
    sympy.atan: (sympy.tan, -sympy.pi / 2, sympy.pi / 2),
    sympy.tanh: (sympy.atanh, -sympy.S.One, sympy.S.One),
}


def _real_roots(expr: sympy.Expr, x: sympy.Symbol, depth: int = 0) -> list[sympy.Expr]:
    """Exact real roots of a polynomial, or of c·f(v) + d for an increasing f and a v with
    exact roots (exp(x) − 1 switches at x = 0: ELU and CELU written with max and min)."""
    constant, rest = expr.as_independent(x, as_Add=True)
    coefficient, core = rest.as_independent(x, as_Add=False)
    if type(core) in _MONOTONE and depth < 3 and coefficient.is_nonzero:
        inverse, low, high = _MONOTONE[type(core)]
        target = -constant / coefficient
        inside = target.is_real and (low < target) == sympy.true and (target < high) == sympy.true
        return _real_roots(core.args[0] - inverse(target), x, depth + 1) if inside else []
    if constant == 0 and core.is_Add and coefficient.is_nonzero and depth < 3:
        return _real_roots(core, x, depth + 1)  # c·(e^x − 1): where e^x − 1 is 0
    expr = sympy.together(expr)
    numerator, denominator = sympy.fraction(expr)
    if denominator.has(x):
        raise Unsupported("a switch point of a rational function")
    if not numerator.has(x):
        return []
    try:
        poly = sympy.Poly(numerator, x)
    except sympy.PolynomialError:
        raise Unsupported("a switch point that is not a polynomial root") from None
    if poly.degree() == 1 and all(c.is_number and c.is_real for c in poly.all_coeffs()):
        low, high = poly.all_coeffs()[::-1]
        return [-low / high]  # x − log 2: an exact root whatever the constants
    if not poly.domain.is_QQ and not poly.domain.is_ZZ:
        raise Unsupported("a polynomial with non-rational coefficients")
    if poly.degree() > 4:
        raise Unsupported("a polynomial of high degree")
    return _as_radicals(poly, list(dict.fromkeys(sympy.real_roots(poly))))


MAX_RADICAL_OPS = 12  # a short radical reads (and simplifies) better than CRootOf; Cardano's does not


def _as_radicals(poly: sympy.Poly, found: list[sympy.Expr]) -> list[sympy.Expr]:
    """The real roots as radicals where each is short and all of them are found so: CRootOf
    is exact too, but a value at it (max(0, u) where u is 0) is one SymPy cannot compare, and
    1 − ∛3 reads better than CRootOf(x³ − 3x² + 3x + 2, 0)."""
    if not any(r.has(sympy.CRootOf) for r in found):
        return found
    try:
        radicals = [r for r in sympy.roots(poly) if r.is_real and not r.has(sympy.I)]
    except (NotImplementedError, ValueError, TypeError):
        return found
    if len(radicals) != len(found) or any(sympy.count_ops(r) > MAX_RADICAL_OPS for r in radicals):
        return found
    return ordered(radicals)
