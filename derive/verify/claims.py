"""Claims about one function, proved by argument rather than by comparing two expressions.

`check_equal` decides whether two expressions are equal. The properties of a function need
other arguments, and each lives here, named for what it proves:

- `prove_sign`: the sign of an expression on an interval, by SymPy's assumptions about a
  variable shifted to the interval (x = a + u, u > 0), read off the expression as written,
  factored, or written in exponentials;
- `prove_nonnegative`: an expression ≥ 0 everywhere, the same way;
- `prove_no_solution`: an inequality with no solution on a set (solveset's empty set);
- `prove_solutions`: the complete solution set of an equation on a set (solveset's finite
  set, each solution substituted back exactly);
- `prove_value_at`: a value by exact substitution, at a point where the expression is
  continuous (a substitution elsewhere, x^x at 0, "proves" what is not so);
- `prove_continuous_beyond`: an expression continuous on a whole half-line (M, ∞) or
  (−∞, M), without which a limit at ±∞ is no statement (x² eˣ tan x has poles out to −∞).

Each returns a proof that says what it proved, or None: None means "not proved", never
"false". Verify imports nothing of the later stages: a proof hands back the form it read
(say, the factored expression) and the words layer of the caller typesets it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial

import sympy

from derive.model import Status, Verdict
from derive.timeout import attempt

__all__ = [
    "FormProof",
    "SignProof",
    "continuous_domain",
    "prove_continuous_beyond",
    "prove_no_solution",
    "prove_nonnegative",
    "prove_sign",
    "prove_solutions",
    "prove_value_at",
]

# x = a ± u with u > 0. Its name is no identifier, so no parameter of f can be called that;
# a Symbol rather than a Dummy so that SymPy's cache recognises a repeated question.
_SHIFT = sympy.Symbol("u>0", positive=True)
_HYPERBOLIC = (sympy.tanh, sympy.sinh, sympy.cosh, sympy.sech, sympy.csch, sympy.coth)


@dataclass(frozen=True)
class SignProof:
    """expr has this sign on the interval; `how` says which form showed it."""

    sign: str  # "positive", "negative" or "zero"
    how: str  # "as written", "factored", "in exponentials"
    form: sympy.Expr  # the form whose every factor has a known sign


@dataclass(frozen=True)
class FormProof:
    """A claim shown by one form of the expression: `sentence` has a {} for that form."""

    form: sympy.Expr
    sentence: str


def _bounded(call: Callable[[], sympy.Basic], seconds: float) -> sympy.Basic | None:
    outcome = attempt(call, seconds)
    return None if outcome.timed_out or outcome.error else outcome.value


@lru_cache(maxsize=256)
def _factored(expr: sympy.Expr) -> sympy.Expr:
    """expr over one denominator, factored: kept per expression (factor is not in SymPy's
    cache, and a sign proof asks for the same form again)."""
    return sympy.factor(sympy.together(expr))


def _sign_forms(expr: sympy.Expr, seconds: float) -> Iterator[tuple[sympy.Expr, str]]:
    """expr as written, factored, and in exponentials: one of them may show its sign."""
    yield expr, "as written"
    factored = _bounded(lambda: _factored(expr), seconds)
    if factored is not None:
        yield factored, "factored"
    if expr.has(*_HYPERBOLIC):
        rewritten = _bounded(lambda: _factored(expr.rewrite(sympy.exp)), seconds)
        if rewritten is not None:
            yield rewritten, "in exponentials"


def prove_sign(expr: sympy.Expr, x: sympy.Symbol, interval: sympy.Interval | None = None, *,
               seconds: float) -> SignProof | None:
    """The sign of expr for every x in the open interval (x real, or as assumed, when None):
    proved when SymPy's assumptions give every factor of one form a known sign."""
    u = _SHIFT
    if interval is not None and interval.inf.is_finite and interval.sup is sympy.oo:
        expr = expr.xreplace({x: interval.inf + u})
    elif interval is not None and interval.sup.is_finite and interval.inf is -sympy.oo:
        expr = expr.xreplace({x: interval.sup - u})
    # Otherwise (ℝ, or a bounded interval) the sign is read for every x the variable's own
    # assumptions allow: a stronger claim, so it holds on the interval too.
    if expr.is_zero:
        return SignProof("zero", "as written", expr)
    for form, how in _sign_forms(expr, seconds):
        if form.is_positive:
            return SignProof("positive", how, form)
        if form.is_negative:
            return SignProof("negative", how, form)
    return None


def prove_nonnegative(expr: sympy.Expr, *, seconds: float) -> FormProof | None:
    """expr ≥ 0 for every real value of its (real) variables, by the sign of a form's terms."""
    # Factored first: a product of squares and positive factors is the quick case for
    # SymPy's sign deduction, while a sum it cannot sign costs it tens of milliseconds.
    factored = _bounded(lambda: _factored(expr), seconds)
    forms: list[tuple[sympy.Expr, str]] = []
    if factored is not None and factored != expr:
        forms.append((factored, "it factors as {}, each factor of known sign"))
    forms.append((expr, "it is {}, each term of known sign"))
    for form, sentence in forms:
        if form.is_nonnegative:
            return FormProof(form, sentence)
    if expr.has(*_HYPERBOLIC):
        rewritten = _bounded(lambda: _factored(expr.rewrite(sympy.exp)), seconds)
        if rewritten is not None and rewritten.is_nonnegative:
            return FormProof(rewritten, "in exponentials it is {}, each factor of known sign")
    return None


def prove_no_solution(relation: sympy.Basic, x: sympy.Symbol, domain: sympy.Set, *,
                      seconds: float) -> Verdict | None:
    """The relation (f'(x) ≤ 0, say) holds for no x of the domain: solveset's empty set."""
    found = _bounded(lambda: sympy.solveset(relation, x, domain), seconds)
    if found is sympy.S.EmptySet:
        return Verdict(Status.PROVED, "solveset: no solution")
    return None


def prove_solutions(equation: sympy.Expr, x: sympy.Symbol, domain: sympy.Set, *,
                    seconds: float, most: int = 8) -> tuple[tuple[sympy.Expr, ...], Verdict] | None:
    """Every x of the domain with equation = 0, as a finite set (at most `most`), when
    solveset returns one; each solution is substituted back and must give exactly 0.
    solveset answers with a ConditionSet or an image set where it cannot list them all."""
    key = (equation, x, domain)
    if key not in _SOLVED:
        outcome = attempt(lambda: sympy.solveset(equation, x, domain), seconds)
        if outcome.timed_out:
            return None  # not remembered: the clock, not the equation, decided
        if len(_SOLVED) > 1024:
            _SOLVED.clear()
        _SOLVED[key] = outcome.value  # None when solveset failed
    found = _SOLVED[key]
    if not isinstance(found, sympy.FiniteSet) and found is not sympy.S.EmptySet:
        return None
    points = tuple(sorted(found.args, key=lambda p: float(p))) if found.args else ()
    if len(points) > most or any(not p.is_real for p in points):
        return None
    for point in points:
        value = _bounded(partial(sympy.simplify, equation.xreplace({x: point})), seconds)
        if value != 0:
            return None
    return points, Verdict(Status.PROVED, "solveset lists every solution; each substituted "
                                          "back gives exactly 0")


# Continuous wherever their argument is (one argument, real in, real out).
_CONTINUOUS = (sympy.exp, sympy.sin, sympy.cos, sympy.atan, sympy.tanh, sympy.sinh, sympy.cosh,
               sympy.asinh, sympy.erf, sympy.erfc, sympy.Abs, sympy.sech, sympy.acot)


# Solution sets found, per question (a repeated walkthrough asks again; solveset is not in
# SymPy's cache and takes a tenth of a second on a transcendental f').
_SOLVED: dict[tuple[sympy.Basic, sympy.Symbol, sympy.Set], object] = {}


def continuous_domain(expr: sympy.Expr, x: sympy.Symbol, domain: sympy.Set, *,
                      seconds: float, defined: bool = False) -> sympy.Set | None:
    """Where expr is real and continuous within domain (defined=True: where it is real and
    defined, so a Piecewise keeps its kinks and jumps); None where that is not known.

    Built node by node: a log needs a positive argument, a power with a variable or
    non-integer exponent a positive base (SymPy's own continuous_domain takes 0^0 = 1, so
    x^x would be "continuous" at 0, where x^x is not defined for real x near it)."""
    key = (expr, x, domain, defined)
    if key in _DOMAINS:
        return _DOMAINS[key]
    if expr.is_rational_function(x) and domain == sympy.S.Reals:
        found: sympy.Set | None = _rational_domain(expr, x)
    elif _conditions(expr, x) > CONDITIONS:
        return None  # beyond the size budget: not known, and nothing claimed from it
    try:
        found = found if expr.is_rational_function(x) and domain == sympy.S.Reals else (
            _domain(expr, x, domain, seconds, defined))
    except _Unknown:
        found = None
    except _Stopped:
        return None  # not remembered: the clock, not the expression, decided
    if len(_DOMAINS) > 1024:
        _DOMAINS.clear()
    _DOMAINS[key] = found
    return found


# Domains found, per question: the limits, f(0) and f'(0) ask for the same ones.
_DOMAINS: dict[tuple[sympy.Basic, sympy.Symbol, sympy.Set, bool], sympy.Set | None] = {}
# The size budget: a condition (a denominator ≠ 0, a base > 0) of more operations than this
# is not solved, and the domain is not known (solveset on q5's nested denominators: seconds).
CONDITION_OPS = 40
# ... and at most this many conditions are solved for one domain (q5's five nested
# denominators, each solved and intersected: tens of seconds).
CONDITIONS = 3


_CONDITIONED = (sympy.log, sympy.tan, sympy.cot, sympy.sec, sympy.csc, sympy.coth, sympy.csch,
                sympy.asin, sympy.acos, sympy.atanh, sympy.acosh)


def _rational_domain(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Set | None:
    """ℝ without the real roots of every denominator in expr, inner ones included (x/(1 + 1/x)
    is undefined at 0, though it reads x²/(x + 1) over one denominator)."""
    roots: set[sympy.Expr] = set()
    for node in sympy.preorder_traversal(expr):
        if node.is_Pow and node.exp.is_negative and node.base.has(x):
            numerator = sympy.numer(sympy.together(node.base))
            try:
                roots.update(sympy.Poly(numerator, x).real_roots())
            except (sympy.PolynomialError, NotImplementedError):
                return None
    return sympy.S.Reals - sympy.FiniteSet(*roots) if roots else sympy.S.Reals


def _conditions(expr: sympy.Expr, x: sympy.Symbol) -> int:
    """How many conditions _domain would solve: a denominator, a root, a variable power's
    base, a logarithm's argument, a function with poles."""
    count = 0
    for node in sympy.preorder_traversal(expr):
        powered = node.is_Pow and node.base.has(x) and (
            node.exp.has(x) or not (node.exp.is_integer and node.exp.is_nonnegative))
        if powered or (isinstance(node, _CONDITIONED) and node.has(x)):
            count += 1
    return count


class _Stopped(Exception):
    """The runaway clock stopped a solveset."""


class _Unknown(Exception):
    """A node whose domain this module does not know."""


def _solved(condition: sympy.Basic, x: sympy.Symbol, domain: sympy.Set,
            seconds: float) -> sympy.Set:
    if sympy.count_ops(condition) > CONDITION_OPS:
        raise _Unknown
    outcome = attempt(lambda: sympy.solveset(condition, x, domain), seconds)
    if outcome.timed_out:
        raise _Stopped
    found = outcome.value
    if not isinstance(found, sympy.Set) or isinstance(found, sympy.ConditionSet):
        raise _Unknown
    return found


def _domain(expr: sympy.Expr, x: sympy.Symbol, domain: sympy.Set, seconds: float,
            defined: bool) -> sympy.Set:
    if not expr.has(x):
        if expr.is_finite is False or expr.is_extended_real is False:
            raise _Unknown
        return domain
    if expr == x:
        return domain
    if expr.is_Add or expr.is_Mul or isinstance(expr, (sympy.Max, sympy.Min)):
        return sympy.Intersection(*(_domain(a, x, domain, seconds, defined) for a in expr.args))
    if isinstance(expr, _CONTINUOUS):
        return _domain(expr.args[0], x, domain, seconds, defined)
    if isinstance(expr, sympy.log):
        inner = _domain(expr.args[0], x, domain, seconds, defined)
        return sympy.Intersection(inner, _solved(expr.args[0] > 0, x, domain, seconds))
    if expr.is_Pow:
        base, exponent = expr.base, expr.exp
        where = sympy.Intersection(_domain(base, x, domain, seconds, defined),
                                   _domain(exponent, x, domain, seconds, defined))
        if exponent.has(x) or not exponent.is_rational:
            if not base.has(x):
                if base.is_positive:
                    return where
                raise _Unknown
            return sympy.Intersection(where, _solved(base > 0, x, domain, seconds))
        if exponent.is_integer:
            if exponent.is_nonnegative:
                return where
            # Solved as base = 0, the points left out: an inequation goes through
            # solve_univariate_inequality, seconds on a nested denominator.
            return sympy.Intersection(where, domain - _solved(sympy.Eq(base, 0), x, domain,
                                                             seconds))
        condition = base > 0 if exponent.is_negative else base >= 0
        return sympy.Intersection(where, _solved(condition, x, domain, seconds))
    if isinstance(expr, sympy.Piecewise):
        return _piecewise_domain(expr, x, domain, seconds, defined)
    if isinstance(expr, (sympy.tan, sympy.cot, sympy.sec, sympy.csc, sympy.coth, sympy.csch,
                         sympy.asin, sympy.acos, sympy.atanh, sympy.acosh)):
        from sympy.calculus.util import continuous_domain as sympy_continuous_domain

        inner = _domain(expr.args[0], x, domain, seconds, defined)
        found = _bounded(lambda: sympy_continuous_domain(expr, x, domain), seconds)
        if not isinstance(found, sympy.Set):
            raise _Unknown
        return sympy.Intersection(inner, found)
    raise _Unknown


def _piecewise_domain(expr: sympy.Piecewise, x: sympy.Symbol, domain: sympy.Set,
                      seconds: float, defined: bool) -> sympy.Set:
    """Each piece where it applies; for continuity, a point where pieces meet only when the
    pieces that meet there are continuous at it and give the same exact value."""
    covered: sympy.Set = sympy.S.EmptySet
    parts: list[tuple[sympy.Expr, sympy.Set, sympy.Set]] = []  # (piece, where it applies, its domain)
    for piece, condition in expr.args:
        try:
            applies = sympy.Intersection(condition.as_set(), domain) - covered
        except (NotImplementedError, TypeError, ValueError):
            raise _Unknown from None
        covered = covered | applies
        parts.append((piece, applies, _domain(piece, x, domain, seconds, defined)))
    if defined:
        return sympy.Union(*(sympy.Intersection(a, d) for _, a, d in parts))
    inside = sympy.Union(*(sympy.Intersection(a.interior, d) for _, a, d in parts))
    joins: list[sympy.Expr] = []
    for _, applies, _ in parts:
        boundary = applies.boundary
        if not isinstance(boundary, sympy.FiniteSet):
            raise _Unknown
        joins.extend(p for p in boundary.args if p.is_finite)
    for point in dict.fromkeys(joins):
        meeting = [(piece, d) for piece, applies, d in parts
                   if applies.closure.contains(point) is sympy.true]
        if not meeting or any(d.contains(point) is not sympy.true for _, d in meeting):
            continue
        values = [piece.subs(x, point) for piece, _ in meeting]
        if all(sympy.simplify(v - values[0]) == 0 for v in values[1:]):
            inside = inside | sympy.FiniteSet(point)
    return inside


def prove_continuous_beyond(expr: sympy.Expr, x: sympy.Symbol, end: sympy.Expr,
                            domain: sympy.Set, *, seconds: float) -> Verdict | None:
    """expr is continuous on a whole half-line reaching `end` (±∞): (M, ∞) or (−∞, M).
    A set with infinitely many gaps (tan x's poles) reaches no end."""
    side = "(M, ∞)" if end is sympy.oo else "(−∞, M)"
    if expr.is_rational_function(x):
        # Finitely many poles: continuous beyond the outermost.
        return Verdict(Status.PROVED, f"a rational function, continuous on some {side}")
    found = continuous_domain(expr, x, domain, seconds=seconds)
    if found is None or not _reaches(found, end):
        return None
    return Verdict(Status.PROVED, f"continuous on some {side}")


def _reaches(where: sympy.Set, end: sympy.Expr) -> bool:
    if where == sympy.S.Reals:
        return True
    if isinstance(where, sympy.Interval):
        return bool(where.sup is sympy.oo if end is sympy.oo else where.inf is -sympy.oo)
    if isinstance(where, sympy.Union):
        return any(_reaches(part, end) for part in where.args)
    return False  # a complement of infinitely many points, a condition set: not shown


def prove_value_at(expr: sympy.Expr, x: sympy.Symbol, point: sympy.Expr, domain: sympy.Set, *,
                   seconds: float) -> tuple[sympy.Expr, Verdict] | None:
    """expr at x = point by exact substitution, only where expr is continuous at the point
    (so the substituted value is the function's value, not SymPy's convention for 0^0)."""
    where = continuous_domain(expr, x, domain, seconds=seconds)
    if where is None or where.contains(point) is not sympy.true:
        return None
    value = expr.subs(x, point)
    if not isinstance(value, sympy.Expr) or value.has(
            sympy.nan, sympy.zoo, sympy.oo, -sympy.oo, sympy.AccumBounds, sympy.Limit,
            sympy.Derivative, sympy.Subs, sympy.Integral):
        return None
    if value.is_extended_real is False or value.is_finite is False:
        return None
    return value, Verdict(Status.PROVED, f"exact substitution {x} = {point}")
