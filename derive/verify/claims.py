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
  continuous (a substitution elsewhere, x^x at 0, "proves" what is not so) whatever the
  parameters' values (derive.verify.parameters);
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
    "LimitProof",
    "SignProof",
    "composed_limit",
    "continuous_domain",
    "prove_continuous_beyond",
    "prove_limit",
    "prove_no_solution",
    "prove_nonnegative",
    "prove_sign",
    "prove_solutions",
    "prove_value_at",
    "rational_limit",
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
    outcome = attempt(call, seconds, cpu=True)
    return None if outcome.timed_out or outcome.error else outcome.value


@lru_cache(maxsize=256)
def _factored(expr: sympy.Expr) -> sympy.Expr:
    """expr over one denominator, factored: kept per expression (factor is not in SymPy's
    cache, and a sign proof asks for the same form again)."""
    if not _polynomial_sized(expr):
        raise ValueError("beyond the size budget for factoring")
    return sympy.factor(sympy.together(expr))


# The size budget for factoring: SymPy's polynomials take exp(p/q·u) as exp(u/q) to the
# power p (likewise b^(p/q·u)), so a rational of many digits in an exponent is a polynomial
# of that degree: SELU's 31-digit constants inside an exponential (selu(selu(x/3)/x)) filled
# the memory before any clock could stop it.
EXPONENT_DIGITS = 6


def _polynomial_sized(expr: sympy.Expr) -> bool:
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.exp):
            exponent = node.args[0]
        elif node.is_Pow and not node.exp.is_Integer:
            exponent = node.exp
        else:
            continue
        if any(max(abs(r.p), r.q) >= 10**EXPONENT_DIGITS
               for r in exponent.atoms(sympy.Rational)):
            return False
    return True


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
        outcome = attempt(lambda: sympy.solveset(equation, x, domain), seconds, cpu=True)
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
        if not _exactly_zero(equation.xreplace({x: point}), seconds):
            return None
    return points, Verdict(Status.PROVED, "solveset lists every solution; each substituted "
                                          "back gives exactly 0")


def _exactly_zero(value: sympy.Expr, seconds: float) -> bool:
    """Whether a number is exactly 0: over one denominator and cancelled first (exact
    arithmetic, its radicals taken as unknowns: a 0 there is 0 whatever they are; 50 ms for
    a cubic's Cardano root put back into (8x³ + 2x - 2)/x³), simplify only where that
    leaves something (5 s of CPU on that root)."""
    if value.has(sympy.nan, sympy.zoo):
        return False
    if _bounded(lambda: sympy.cancel(sympy.together(value)), seconds) == 0:
        return True
    return _bounded(partial(sympy.simplify, value), seconds) == 0


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
    # Without a Piecewise, where expr is defined and where it is continuous are found alike:
    # one question, asked once (the domain finder asks both).
    key = (expr, x, domain, defined and expr.has(sympy.Piecewise))
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
    if condition.is_Relational and not isinstance(condition, sympy.Eq) and any(
            node.has(x) for node in condition.atoms(*_PERIODIC)):
        return _periodic_solved(condition, x, domain, seconds)
    outcome = attempt(lambda: sympy.solveset(condition, x, domain), seconds, cpu=True)
    if outcome.timed_out:
        raise _Stopped
    found = outcome.value
    if not isinstance(found, sympy.Set) or isinstance(found, sympy.ConditionSet):
        raise _Unknown
    return found


_PERIODIC = (sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc)


def _periodic_solved(condition: sympy.Basic, x: sympy.Symbol, domain: sympy.Set,
                     seconds: float) -> sympy.Set:
    """An inequality in periodic functions of x. SymPy's inequality solver answers within
    one period only (cos x > 0 gives [0, π/2) ∪ (3π/2, 2π), so log(cos x) would be
    "defined" there and nowhere else): the answer is used only for a condition periodic as a
    whole, solved on one period, and only when it holds on all of that period (then on the
    whole domain) or on none of it. A periodic set of intervals has no SymPy Set to say it."""
    gap = condition.lhs - condition.rhs
    period = _bounded(lambda: sympy.periodicity(gap, x), seconds)
    if period is None or not period.is_positive:
        raise _Unknown
    one = sympy.Interval.Ropen(0, period)
    outcome = attempt(lambda: sympy.solveset(condition, x, one), seconds, cpu=True)
    if outcome.timed_out:
        raise _Stopped
    if outcome.value == one:
        return domain
    if outcome.value is sympy.S.EmptySet:
        return sympy.S.EmptySet
    raise _Unknown


def _intersection(*sets: sympy.Set) -> sympy.Set:
    """sympy.Intersection, but where all are complements in one universe or that universe
    (the poles of tan x and of sec x, each taken out of ℝ), two complements at least: the
    universe without the union of what they leave out. The same set (SymPy's own rule ends
    there), without SymPy's first trying to intersect every pair of the image sets by
    diophantine equations: 1.4 s for tan x · sec x, against 0.2 s (performance only)."""
    complements = [s for s in sets if isinstance(s, sympy.Complement)]
    universes = {c.args[0] for c in complements}
    if len(complements) < 2 or len(universes) != 1 or any(
            s not in universes for s in sets if not isinstance(s, sympy.Complement)):
        return sympy.Intersection(*sets)  # (an interval among them: SymPy decides more)
    removed = list(dict.fromkeys(part for c in complements for part in (
        c.args[1].args if isinstance(c.args[1], sympy.Union) else (c.args[1],))))
    if not any(isinstance(part, _INFINITE_SETS) for part in removed):
        return sympy.Complement(universes.pop(), sympy.Union(*removed))
    # Image sets (the poles of tan x, the zeros of tan x + sin x) or a ConditionSet: SymPy
    # would intersect every pair of them by diophantine equations (seconds; 9 s of CPU for
    # tan(sec x)) to reach the same set, so the union and complement are left as written.
    return sympy.Complement(universes.pop(), sympy.Union(*removed, evaluate=False),
                            evaluate=False)


_INFINITE_SETS = (sympy.ImageSet, sympy.ConditionSet)


def _domain(expr: sympy.Expr, x: sympy.Symbol, domain: sympy.Set, seconds: float,
            defined: bool) -> sympy.Set:
    if not expr.has(x):
        if expr.is_finite is False or expr.is_extended_real is False:
            raise _Unknown
        return domain
    if expr == x:
        return domain
    if expr.is_Add or expr.is_Mul or isinstance(expr, (sympy.Max, sympy.Min)):
        return _intersection(*(_domain(a, x, domain, seconds, defined) for a in expr.args))
    if isinstance(expr, _CONTINUOUS):
        return _domain(expr.args[0], x, domain, seconds, defined)
    if isinstance(expr, sympy.log):
        inner = _domain(expr.args[0], x, domain, seconds, defined)
        return sympy.Intersection(inner, _solved(expr.args[0] > 0, x, domain, seconds))
    if expr.is_Pow:
        base, exponent = expr.base, expr.exp
        where = _intersection(_domain(base, x, domain, seconds, defined),
                              _domain(exponent, x, domain, seconds, defined))
        if not exponent.has(x) and exponent.free_symbols:
            return sympy.Intersection(where, _parameter_power(base, exponent, x, domain,
                                                              seconds))
        if exponent.has(x) or not exponent.is_rational:
            if not base.has(x):
                if base.is_positive:
                    return where
                raise _Unknown
            if not exponent.has(x) and exponent.is_positive:
                # a constant irrational c > 0: 0^c = 0, so x^π is defined at 0 too
                return sympy.Intersection(where, _solved(base >= 0, x, domain, seconds))
            return sympy.Intersection(where, _solved(base > 0, x, domain, seconds))
        if exponent.is_integer:
            if exponent.is_nonnegative:
                return where
            # Solved as base = 0, the points left out: an inequation goes through
            # solve_univariate_inequality, seconds on a nested denominator.
            return _intersection(where, domain - _solved(sympy.Eq(base, 0), x, domain,
                                                         seconds))
        condition = base > 0 if exponent.is_negative else base >= 0
        return sympy.Intersection(where, _solved(condition, x, domain, seconds))
    if isinstance(expr, sympy.Piecewise):
        return _piecewise_domain(expr, x, domain, seconds, defined)
    if isinstance(expr, (sympy.tan, sympy.cot, sympy.sec, sympy.csc, sympy.coth, sympy.csch,
                         sympy.asin, sympy.acos, sympy.atanh, sympy.acosh)):
        from sympy.calculus.util import continuous_domain as sympy_continuous_domain

        inner = _domain(expr.args[0], x, domain, seconds, defined)
        if isinstance(expr, _PERIODIC) and expr.args[0].diff(x).has(x):
            # The size budget: infinitely many poles, at the solutions of g(x) = c + kπ for
            # every integer k. For g not linear in x SymPy builds those as image sets of
            # image sets, or not at all (a ConditionSet), and intersects them pairwise by
            # diophantine equations: 9 s of CPU for tan(sec x), 17 s for sqrt(6 + sec(πx²)),
            # for a set no finder can state. Left unsolved instead, as the points where the
            # cosine (tan, sec) or sine (cot, csc) of g is 0: the same set, which still
            # answers whether one point is in it (f(0) for tan(sec x)).
            trig = sympy.cos if isinstance(expr, (sympy.tan, sympy.sec)) else sympy.sin
            poles = sympy.ConditionSet(x, sympy.Eq(trig(expr.args[0]), 0), domain)
            return _intersection(inner, sympy.Complement(domain, poles, evaluate=False))
        found = _bounded(lambda: sympy_continuous_domain(expr, x, domain), seconds)
        if not isinstance(found, sympy.Set):
            raise _Unknown
        return _intersection(inner, found)
    raise _Unknown


def _parameter_power(base: sympy.Expr, exponent: sympy.Expr, x: sympy.Symbol,
                     domain: sympy.Set, seconds: float) -> sympy.Set:
    """Where base^a is defined, for a parameter exponent a: one set for every value of a,
    or not known. (x − 1)^a is defined on [1, ∞) for a > 0 not an integer, on (1, ∞) for
    a < 0, on ℝ for a natural number: no one set holds for a of unknown kind."""
    if not base.has(x):
        if base.is_positive:
            return domain
        raise _Unknown
    if exponent.is_integer:
        if exponent.is_nonnegative:
            return domain
        if exponent.is_negative:
            return domain - _solved(sympy.Eq(base, 0), x, domain, seconds)
    elif exponent.is_integer is False:
        if exponent.is_positive:
            return _solved(base >= 0, x, domain, seconds)
        if exponent.is_negative:
            return _solved(base > 0, x, domain, seconds)
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
    (so the substituted value is the function's value, not SymPy's convention for 0^0), for
    every real value of the parameters (a·x²/(n² + x²) at 0 is 0 only where n ≠ 0: with any
    condition on them, nothing is proved)."""
    from derive.verify.parameters import point_conditions

    if point_conditions(expr, x, point):
        return None
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


# --- limits at ±∞ ------------------------------------------------------------------------
#
# Three named methods, each a proof for an f that is continuous on a half-line out to the
# end (`prove_continuous_beyond`, which the caller proves first; without it a limit at ±∞
# is no statement):
#
# * "the limit of each part, combined": the limit laws, bottom-up. Each operation is
#   applied to the limits of its arguments, and only where it is continuous there in the
#   extended reals (a + ∞ = ∞ for finite a, c·∞ = ±∞ for c ≠ 0 of known sign, e^{−∞} = 0,
#   tanh ∞ = 1, ...). Any indeterminate form (∞ − ∞, 0·∞, 1/0) or an infinity times a
#   parameter of unknown sign is refused;
# * "a rational function: the leading terms' quotient";
# * "L'Hôpital's rule": a product with factors tending to 0 and to ±∞ (x·σ(x) at −∞) is
#   written as a quotient N/D with D → ±∞ (or both → 0); when N and D are built from
#   functions analytic where they are defined (so differentiable on the half-line), D' has
#   a proved sign beyond some point, and lim N'/D' is proved (by these same methods, at
#   most LHOPITAL_DEPTH times), lim N/D is that limit. Hyperbolic functions are written
#   with exponentials first (1 + tanh u = 2e^{2u}/(e^{2u} + 1) shows its decay).
#
# SymPy's Gruntz algorithm is not among them: it decides limits of exp-log functions only
# given an oracle for zero equivalence, which SymPy approximates heuristically, and its
# result carries no certificate. Its answers stay "checked" in the documents.

LHOPITAL_DEPTH = 4
LHOPITAL_STEPS = 12  # quotients differentiated at most, over every branch tried
LIMIT_OPS = 80  # the size budget: an expression past it is not differentiated and cancelled
_INFINITE = (sympy.oo, -sympy.oo)
# Continuous where defined, with the limits SymPy gives at ±∞ (tanh(∞) = 1, e^{−∞} = 0);
# sin and cos at ±∞ give AccumBounds, which combined_limit refuses (no limit there).
_LIMIT_CONTINUOUS = (sympy.exp, sympy.log, sympy.tanh, sympy.erf, sympy.erfc, sympy.atan,
                     sympy.sinh, sympy.cosh, sympy.asinh, sympy.sin, sympy.cos)
# Analytic wherever they are defined: an expression of these is differentiable on any
# interval it is defined on (powers: with a constant exponent, or a positive base).
_ANALYTIC = (*_LIMIT_CONTINUOUS, sympy.sech, sympy.csch, sympy.coth, sympy.cot, sympy.tan,
             sympy.sin, sympy.cos)


@dataclass(frozen=True)
class LimitProof:
    value: sympy.Expr
    verdict: Verdict
    # "each part", "leading terms" or "L'Hôpital": the method, for the words layer;
    # "rewritten": derive.verify.limit_forms, whose methods (outermost first) are `methods`
    rule: str
    times: int = 0  # how often L'Hôpital's rule was used
    methods: tuple[str, ...] = ()
    substitution: str = ""  # "x = -t" (a limit at −∞), "x = 1/t" (at 0⁺), t → ∞; or ""


def prove_limit(expr: sympy.Expr, x: sympy.Symbol, end: sympy.Expr, *,
                seconds: float) -> LimitProof | None:
    """lim expr as x → end (±∞, or 0 from the right), by one of the named methods above or
    derive.verify.limit_forms' rewritings; None if none applies. The caller must have proved
    expr continuous on a half-line reaching `end` (at 0⁺: on some (0, ε)). Bounded by
    sizes (LIMIT_OPS, LHOPITAL_DEPTH, limit_forms.SEARCH_BUDGET); `seconds` bounds each
    sign proof, and a caller that wants a runaway bound on the whole wraps the call in one."""
    from derive.verify import limit_forms

    if end in _INFINITE:
        direct = direct_limit(expr, x, end, seconds=seconds)
        if direct is not None:
            return direct
    elif end != 0:
        return None
    # t → ∞ with t > 0: x = −t at −∞ (every power of t then positive), x = 1/t at 0⁺; at
    # +∞, x itself on the half-line x > 0.
    t = _T
    substitution, moved = {sympy.oo: ("", t), -sympy.oo: ("x = -t", -t)}.get(end, (
        "x = 1/t", 1 / t))
    # log(1/t) = −log t: SymPy expands a logarithm only of what it knows is positive
    g = sympy.expand_log(expr.xreplace({x: moved}))
    if sympy.count_ops(g) > LIMIT_OPS:
        return None
    found = limit_forms.limit_at_infinity(g, t, seconds)
    if found is None or not (found.value in _INFINITE or found.value.is_finite):
        return None
    names = ", then ".join(found.methods)
    where = f"with {substitution}, t → ∞: " if substitution else ""
    return LimitProof(found.value, Verdict(Status.PROVED, f"{where}{names}"), "rewritten",
                      found.times, found.methods, substitution)


# t in a limit moved to +∞: positive, and a name no parameter of f can have
_T = sympy.Symbol("t>0", positive=True)


def direct_limit(expr: sympy.Expr, x: sympy.Symbol, end: sympy.Expr, *,
                 seconds: float) -> LimitProof | None:
    """lim expr as x → end (±∞) by the three direct methods above; None if none applies."""
    if end not in _INFINITE:
        return None
    value = composed_limit(expr, x, end)
    if value is not None:
        return LimitProof(value, Verdict(
            Status.PROVED, "the limit of each part, combined (no indeterminate form)"), "each part")
    value = rational_limit(expr, x, end)
    if value is not None:
        return LimitProof(value, Verdict(Status.PROVED,
                                         "a rational function: the leading terms' quotient"),
                          "leading terms")
    if sympy.count_ops(expr) > LIMIT_OPS or not _analytic(expr, x):
        return None
    steps = [LHOPITAL_STEPS]
    found = _lhopital(_exponential_form(expr, x, end), x, end, LHOPITAL_DEPTH, steps, seconds)
    if found is None:
        return None
    value, times = found
    rule = "L'Hôpital's rule" + (f" ({times} times)" if times > 1 else "")
    return LimitProof(value, Verdict(Status.PROVED, f"{rule}, then the limit of each part, "
                                                    f"combined"), "L'Hôpital", times)


def composed_limit(expr: sympy.Expr, x: sympy.Symbol, end: sympy.Expr) -> sympy.Expr | None:
    """The limit by the limit laws, bottom-up (see above); None at any indeterminate form
    and for anything not known to be continuous."""
    if not expr.has(x):
        return _extended(expr)
    if expr == x:
        return end
    if not (expr.is_Add or expr.is_Mul or isinstance(expr, _LIMIT_CONTINUOUS)
            or (expr.is_Pow and not expr.exp.has(x))):
        return None
    args = []
    for arg in expr.args:
        limit = composed_limit(arg, x, end)
        if limit is None:
            return None
        args.append(limit)
    return combined_limit(expr.func, args)


def combined_limit(func: type, limits: list[sympy.Expr]) -> sympy.Expr | None:
    """An operation applied to its arguments' limits, where it is continuous there in the
    extended reals; None at an indeterminate form (∞ − ∞, 0·∞, 1/0)."""
    value = func(*limits)
    if value.has(sympy.nan, sympy.zoo, sympy.AccumBounds) or value.is_extended_real is not True:
        return None
    if value.has(sympy.oo, -sympy.oo) and value not in _INFINITE:
        return None  # ∞·a with a of unknown sign, a + ∞ with a not known finite: no value
    return value


def rational_limit(expr: sympy.Expr, x: sympy.Symbol, end: sympy.Expr) -> sympy.Expr | None:
    """A rational function's limit at ±∞, from its leading terms over one denominator."""
    if end not in _INFINITE or not expr.is_rational_function(x) or expr.free_symbols - {x}:
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


def _analytic(expr: sympy.Expr, x: sympy.Symbol) -> bool:
    for node in sympy.preorder_traversal(expr):
        if not node.has(x) or node.is_Symbol or node.is_Add or node.is_Mul:
            continue
        if node.is_Pow:
            # x^c with c not an integer is not differentiable where x = 0: a positive base
            if not node.exp.is_integer and not node.base.is_positive:
                return False
            continue
        if not isinstance(node, _ANALYTIC):
            return False
    return True


def _exponential_form(expr: sympy.Expr, x: sympy.Symbol, end: sympy.Expr) -> sympy.Expr:
    """tanh u and sech u written with the exponential that tends to 0 where u → ±∞ (exact
    identities: tanh u = (e^{2u} − 1)/(e^{2u} + 1) = (1 − e^{−2u})/(1 + e^{−2u})), over one
    denominator, so 1 + tanh u at u → −∞ reads 2e^{2u}/(e^{2u} + 1) and shows its decay."""
    def decaying(node: sympy.Basic) -> sympy.Basic:
        u = node.args[0]
        limit = composed_limit(u, x, end)
        if limit not in _INFINITE:
            return node
        t = sympy.exp(2 * u) if limit is -sympy.oo else sympy.exp(-2 * u)
        if isinstance(node, sympy.tanh):
            return (t - 1) / (t + 1) if limit is -sympy.oo else (1 - t) / (1 + t)
        return 2 * sympy.sqrt(t) / (1 + t)  # sech u, with √t = e^{±u}

    found = {node: decaying(node) for node in expr.atoms(sympy.tanh, sympy.sech)}
    if all(node == rewritten for node, rewritten in found.items()):
        return expr
    return sympy.powsimp(sympy.together(expr.xreplace(found)), combine="exp")


def _lhopital(expr: sympy.Expr, x: sympy.Symbol, end: sympy.Expr, depth: int,
              steps: list[int], seconds: float) -> tuple[sympy.Expr, int] | None:
    """(lim expr, how many times the rule was used), for a product whose factors tend to
    0, to ±∞ and to finite nonzero limits; None where the rule's conditions are not shown."""
    value = composed_limit(expr, x, end)
    if value is not None:
        return value, 0
    if depth == 0 or sympy.count_ops(expr) > LIMIT_OPS:
        return None
    if expr.is_Add:  # the sum of the terms' limits, where that is no ∞ − ∞
        proved = []
        for term in expr.args:
            found = _lhopital(term, x, end, depth, steps, seconds)
            if found is None:
                return None
            proved.append(found)
        total = _extended(sympy.Add(*(value for value, _ in proved)))
        return None if total is None else (total, max(times for _, times in proved))
    finite: list[sympy.Expr] = []
    zero: list[sympy.Expr] = []
    infinite: list[sympy.Expr] = []
    for factor in sympy.Mul.make_args(expr):
        limit = composed_limit(factor, x, end)
        if limit is None:
            return None
        (infinite if limit in _INFINITE else zero if limit == 0 else finite).append(factor)
    if not zero or not infinite:
        return None
    constant = composed_limit(sympy.Mul(*finite), x, end)
    big, small = sympy.Mul(*infinite), sympy.Mul(*zero)
    # ∞/∞ when 1/small tends to ±∞ by the limit laws, else 0/0 with 1/big → 0.
    for numerator, denominator in ((big, 1 / small), (small, 1 / big)):
        limit = composed_limit(denominator, x, end)
        if limit is None or (limit not in _INFINITE and limit != 0):
            continue
        if limit == 0 and composed_limit(numerator, x, end) != 0:
            continue
        if steps[0] <= 0:
            return None  # the work budget: the same claim always stops at the same point
        steps[0] -= 1
        slope = sympy.diff(denominator, x)
        if not _sign_beyond(slope, x, end, seconds):
            continue
        # N and D defined (so, analytic parts, differentiable) on a whole half-line
        if any(prove_continuous_beyond(side, x, end, sympy.S.Reals, seconds=seconds) is None
               for side in (numerator, denominator)):
            continue
        ratio = sympy.powsimp(sympy.diff(numerator, x) / slope, combine="exp")
        if composed_limit(ratio, x, end) is None and sympy.count_ops(ratio) <= LIMIT_OPS:
            ratio = sympy.powsimp(sympy.together(ratio), combine="exp")
        found = _lhopital(ratio, x, end, depth - 1, steps, seconds)
        if found is None:
            continue
        value = _extended(constant * found[0]) if constant is not None else None
        if value is not None:
            return value, found[1] + 1
    return None


def _extended(value: sympy.Expr) -> sympy.Expr | None:
    """A combination of limits (no x in it) as an extended real: a finite real, ±∞, or
    None for an indeterminate one (∞ − ∞, 0·∞) or ∞ times something of unknown sign."""
    if value.has(sympy.nan, sympy.zoo, sympy.AccumBounds):
        return None
    if value in _INFINITE:
        return value
    if value.has(sympy.oo, -sympy.oo):
        return None
    return value if value.is_finite and value.is_extended_real else None


def _sign_beyond(expr: sympy.Expr, x: sympy.Symbol, end: sympy.Expr, seconds: float) -> bool:
    """expr has one sign on a half-line reaching `end` (so it is never 0 there)."""
    return sign_of_beyond(expr, x, end, seconds) is not None


sign_beyond = _sign_beyond


def sign_of_beyond(expr: sympy.Expr, x: sympy.Symbol, end: sympy.Expr,
                   seconds: float) -> int | None:
    """1 or −1: the sign expr is proved to have on a half-line reaching `end`; else None."""
    for edge in (0, 1, 10):
        interval = (sympy.Interval.open(edge, sympy.oo) if end is sympy.oo
                    else sympy.Interval.open(-sympy.oo, -edge))
        proof = prove_sign(expr, x, interval, seconds=seconds)
        if proof is not None and proof.sign != "zero":
            return 1 if proof.sign == "positive" else -1
    return None
