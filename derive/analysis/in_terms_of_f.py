"""Write f' in terms of f's own value, so a backward pass can reuse the forward one.

A general search, not a table of answers. For each transcendental piece `a` of f (e^{-x},
tanh x, ...) it (1) solves y = f(x) for `a` by peeling f's outer layers and substitutes
the solution into f'; (2) fits f' = a(x) + b(x)·f + c(x)·f² by linear algebra on the
coefficients of `a`; (3) fits f' as a polynomial in f and one forward intermediate h of f
(swish: σ(x)) with constant coefficients. Every candidate must be defined wherever f' is
(f + f(1 − f)/x is not, at 0) and is then checked against the true f' by the verifier; the
simplest verified one wins. A Piecewise f is handled piece by piece.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TypeVar

import sympy
from sympy.core.function import AppliedUndef

from derive.model import Status, Verdict

F = sympy.Symbol("f")  # f's value, as it appears in every result

# Stand-ins for a piece of f (t), an intermediate (h) and unknown coefficients (c0, c1, …).
# Symbols, not Dummies, so a repeated search meets SymPy's cache; the trailing "·" makes
# each name one no parsed expression can contain.
_T, _H = sympy.Symbol("t·"), sympy.Symbol("h·")


def _unknowns(n: int) -> tuple[sympy.Symbol, ...]:
    return tuple(sympy.Symbol(f"c{i}·") for i in range(n))


_UNEVALUATED = (sympy.Derivative, sympy.Subs, sympy.Integral, sympy.Limit)

# Forward values a backward pass may keep, by the name a reader knows them under.
_INTERMEDIATE_NAMES = {"sigmoid": "sigma(x)"}


@dataclass(frozen=True)
class InTermsOfF:
    expr: sympy.Expr  # uses F for f's value, and x; str() reads back with SymPy
    # As a reader is shown it: expr with a reused intermediate by its name (σ(x) for the
    # sigmoid); derive.words.properties.in_terms_of_f_latex writes it.
    shown: sympy.Expr
    verdict: Verdict
    reuses: tuple[str, ...]  # forward values the backward pass reuses: ("f",), ("f", "sigma(x)")


@dataclass(frozen=True)
class _Candidate:
    expr: sympy.Expr  # in F (and x, and maybe an intermediate written out)
    reuses: tuple[str, ...]
    shown: sympy.Expr  # as expr, with a named intermediate shown by its name


# The search's size budget: no expansion (expand, factor, cancel, together) is asked for
# whose result could exceed this many terms (an upper bound computed from the tree, so the
# same f is cut at the same place on every machine). The quotient tower q5 has candidates
# that expand to hundreds of thousands of terms; every form the catalog has needs far fewer.
EXPAND_BUDGET = 400
# Nor is a candidate of more than this many operations tidied (rewritten with f's sign
# known, expanded, factored): SymPy's constructors query assumptions over the whole tree as
# they build it, at a cost no term count shows (q5's 298-operation candidate, σ∘σ∘σ∘σ∘σ's
# 95: seconds each). The catalog's largest candidate has 26, tanh written with eˣ 74.
TIDY_BUDGET = 80
# A runaway bound only: the budget above decides what is tried; every catalog search
# needs under a twentieth of this on an idle machine.
SEARCH_SECONDS = 10.0
# Verify's time per candidate: its stages take shares of it, so it is generous.
CHECK_SECONDS = 5.0


@dataclass(frozen=True)
class SearchOutcome:
    """What the search found, and whether it ran to its end.

    complete=False: the search was cut off (stopped = "size": an expansion beyond
    EXPAND_BUDGET terms was not attempted; "clock": the runaway bound), so "no form found"
    would not be a result.
    """

    found: InTermsOfF | None
    complete: bool
    stopped: str = ""  # "", "size" or "clock"
    budget: int = TIDY_BUDGET  # operations of an expression it rewrites (for "size")
    seconds: float = SEARCH_SECONDS  # (for "clock")


class _Cut:
    """Where this search met its budget: set by the stages that declined or were stopped."""

    def __init__(self) -> None:
        self.size = False
        self.clock = False


_CUT = _Cut()  # the search in progress (searches do not nest)


def express_in_terms_of_f(f: sympy.Expr, x: sympy.Symbol,
                          derivative: sympy.Expr | None = None) -> InTermsOfF | None:
    """The simplest verified form of f' in f's value (and x where needed), or None."""
    return search(f, x, derivative).found


def search(f: sympy.Expr, x: sympy.Symbol, derivative: sympy.Expr | None = None) -> SearchOutcome:
    """The search's outcome, cut-off included, remembered per (f, x, f')."""
    f = sympy.sympify(f)
    coming = _coming.pop((f, x), None)
    if coming is not None:  # made elsewhere (search_elsewhere): its outcome, once it is there
        answer = coming()
        if answer is not None:
            _made_elsewhere[(f, x, answer[0])] = answer[1]
    d = sympy.diff(f, x) if derivative is None else sympy.sympify(derivative)
    made = _made_elsewhere.get((f, x, d))
    return made if made is not None else _search(f, x, d)


def search_here(f: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, SearchOutcome]:
    """(f', the search's outcome) for f with SymPy's f': the work search_elsewhere hands off."""
    d = sympy.diff(f, x)
    return d, _search(f, x, d)


# Searches made elsewhere: the command runs search_here(f, x) in a child process while the
# walkthrough is built (the search needs f alone, and the second core is otherwise idle but
# for the properties). The same code gives the same outcome there; search() waits for it
# when it is first asked, and a child that failed (None) leaves the search to be made here.
_coming: dict[tuple[sympy.Expr, sympy.Symbol],
              Callable[[], tuple[sympy.Expr, SearchOutcome] | None]] = {}
_made_elsewhere: dict[tuple[sympy.Expr, sympy.Symbol, sympy.Expr], SearchOutcome] = {}


def search_elsewhere(f: sympy.Expr, x: sympy.Symbol,
                     outcome: Callable[[], tuple[sympy.Expr, SearchOutcome] | None]) -> None:
    """The search for (f, x) is being made elsewhere: outcome() gives search_here's answer."""
    _coming[(sympy.sympify(f), x)] = outcome


def forget_elsewhere(f: sympy.Expr, x: sympy.Symbol) -> None:
    """The run that started a search elsewhere is over: no one waits for it any more. An
    outcome a clock cut (the child's runaway bound, or the run's deadline ending the wait:
    pipeline._search_outcome) belonged to that run alone and is forgotten with it; a later
    run searches again rather than repeat a cut that depended on how busy the machine was."""
    f = sympy.sympify(f)
    _coming.pop((f, x), None)
    for key in [key for key, outcome in _made_elsewhere.items()
                if key[:2] == (f, x) and outcome.stopped == "clock"]:
        del _made_elsewhere[key]


@lru_cache(maxsize=1024)
def _search(f: sympy.Expr, x: sympy.Symbol, d: sympy.Expr) -> SearchOutcome:
    global _CUT
    _CUT = _Cut()
    found = _express(f, x, d)
    if _CUT.clock:
        return SearchOutcome(found, False, "clock")
    if _CUT.size:
        return SearchOutcome(found, False, "size")
    return SearchOutcome(found, True)


def _express(f: sympy.Expr, x: sympy.Symbol, d: sympy.Expr) -> InTermsOfF | None:
    if F in f.free_symbols or not f.has(x):
        return None
    deadline = time.process_time() + SEARCH_SECONDS
    pieces = _pieces(f, x)
    if pieces is None:
        if d.has(*_UNEVALUATED):
            return None  # f' has no closed form (ζ'(x)): there is nothing to rewrite
        found = _best(f, x, d, deadline=deadline, where=sympy.true)
        if found is None:
            return None
        candidate, verdict = found
        return InTermsOfF(candidate.expr, candidate.shown, verdict, candidate.reuses)
    return _piecewise(pieces, x, deadline=deadline)


def expansion_terms(expr: sympy.Basic, cap: int = EXPAND_BUDGET) -> int:
    """An upper bound on the terms expand(expr) writes, nested expansions (inside a
    denominator or a function) included; any number above cap may stand for "more"."""
    from math import comb

    total = 0

    def top(node: sympy.Basic) -> int:
        nonlocal total
        if total > cap:
            return cap + 1
        if node.is_Add:
            return min(cap + 1, sum(top(a) for a in node.args))
        if node.is_Mul:
            product = 1
            for a in node.args:
                product = min(cap + 1, product * top(a))
            return product
        if node.is_Pow and node.exp.is_Integer:
            # A denominator is expanded too: (1 + x)^-2 becomes 1/(x^2 + 2x + 1).
            k, n = top(node.base), abs(int(node.exp))
            terms = 1 if k == 1 else (
                min(cap + 1, comb(k + n - 1, n)) if k <= cap and n <= cap else cap + 1)
            if node.exp > 0:
                return terms
            total += terms
            return 1
        # A power with another exponent, or a function: one term, its insides on their own.
        for a in node.args:
            total += top(a)
        return 1

    total += top(expr)
    return total


def _affordable(*exprs: sympy.Basic) -> bool:
    """Within the size budget; records the cut when not."""
    if all(expansion_terms(e) <= EXPAND_BUDGET for e in exprs):
        return True
    _CUT.size = True
    return False


def _pieces(f: sympy.Expr, x: sympy.Symbol) -> list[tuple[sympy.Expr, sympy.Basic]] | None:
    """f's pieces (expression, condition) when it is piecewise, else None."""
    if not f.has(sympy.Piecewise, sympy.Max, sympy.Min, sympy.Abs, sympy.Heaviside, sympy.sign):
        return None
    from derive.engine.kinks import as_piecewise

    # A Piecewise keeps its author's pieces; max, min, |u| are split from left to right.
    folded = None if isinstance(f, sympy.Piecewise) else as_piecewise(f, x)
    if folded is None:
        try:
            folded = sympy.piecewise_fold(f.rewrite(sympy.Piecewise))
        except (TypeError, ValueError):  # a condition SymPy cannot compare (zoo: fuzzing)
            return None
    if not isinstance(folded, sympy.Piecewise):
        return None
    return [(expr, cond) for expr, cond in folded.args]


def _piecewise(pieces: list[tuple[sympy.Expr, sympy.Basic]], x: sympy.Symbol, *,
               deadline: float) -> InTermsOfF | None:
    """Each piece on its own; a piece with no form in f keeps its own derivative."""
    parts, shown, verdicts, reuses = [], [], [], ["f"]
    for expr, cond in pieces:
        d = sympy.diff(expr, x)
        if d.has(*_UNEVALUATED):
            return None
        found = _best(expr, x, d, deadline=deadline, where=cond) if expr.has(x) else None
        if found is None:
            parts.append((d, cond))
            shown.append((d, cond))
            continue
        candidate, verdict = found
        parts.append((candidate.expr, cond))
        shown.append((candidate.shown, cond))
        verdicts.append(verdict)
        reuses += [r for r in candidate.reuses if r not in reuses]
    if not verdicts:
        return None
    expr = sympy.Piecewise(*parts)
    return InTermsOfF(expr, sympy.Piecewise(*shown), _weakest(verdicts), tuple(reuses))


def _weakest(verdicts: list[Verdict]) -> Verdict:
    checked = [v for v in verdicts if v.status is Status.CHECKED]
    if checked:
        return checked[0]
    return verdicts[0]


def _best(f: sympy.Expr, x: sympy.Symbol, d: sympy.Expr, *, deadline: float,
          where: sympy.Basic) -> tuple[_Candidate, Verdict] | None:
    """The simplest candidate that is defined where f' is and verifies.

    The searches run cheapest first; a verified form free of x ends the search, since no
    later search can beat it by much, while a form with x waits for a better one.
    """
    from derive.verify import check_equal

    points = _sample_points(f, x, d, where)
    seen: set[sympy.Expr] = set()
    best: tuple[_Candidate, Verdict] | None = None
    # A form in f is worth having when it is short: at most half as long as f' in x, or six
    # operations. Inverting f always "succeeds" (σ∘σ' via log(1/f - 1)) and helps nobody.
    limit = max(int(sympy.count_ops(d)) // 2, 6)
    for search in (_solved_candidates, _fitted_candidates, _intermediate_candidates):
        if _out_of_time(deadline):
            break
        for candidate in sorted(search(f, x, d, deadline), key=lambda c: _rank(c.expr, x)):
            if candidate.expr in seen or _out_of_time(deadline):
                continue
            seen.add(candidate.expr)
            if best is not None and _rank(best[0].expr, x) <= _rank(candidate.expr, x):
                continue
            if sympy.count_ops(candidate.expr) > limit:
                continue
            if not _defined_where_derivative_is(candidate.expr, f, points):
                continue
            remaining = max(0.05, deadline - time.process_time())
            verdict = check_equal(candidate.expr.subs(F, f), d,
                                  timeout=min(CHECK_SECONDS, remaining))
            if verdict.ok:
                best = (candidate, verdict)
                break
        if best is not None and not best[0].expr.has(x):
            break
    return best


def _rank(expr: sympy.Expr, x: sympy.Symbol) -> tuple[int, int, int, int]:
    """Simplest first: no x beats x, fewer transcendental calls, fewer operations; on a tie
    the factored form (f(1 - f) over f - f², as a backward pass computes it)."""
    powers = sum(1 for node in sympy.preorder_traversal(expr) if node.is_Pow)
    return (int(expr.has(x)), len(_transcendental_atoms(expr, x)), int(sympy.count_ops(expr)),
            powers)


T = TypeVar("T")


def _within(deadline: float, call: Callable[[], T], default: T) -> T:
    """call() stopped at the deadline (SIGALRM, in the main thread); default if it fails."""
    from derive.timeout import attempt

    outcome = attempt(call, deadline - time.process_time(), cpu=True)
    if outcome.timed_out:
        _CUT.clock = True
    if outcome.timed_out or outcome.error or outcome.value is None:
        return default
    return outcome.value


def _out_of_time(deadline: float) -> bool:
    if time.process_time() > deadline:
        _CUT.clock = True
        return True
    return False


# --- candidates from f alone -------------------------------------------------------------

def _solved_candidates(f: sympy.Expr, x: sympy.Symbol, d: sympy.Expr,
                       deadline: float) -> list[_Candidate]:
    """Solve y = f(x) for a piece a of f, and put the solution in for a in f'."""
    found: list[sympy.Expr] = []
    for t, f_t, d_t in _atom_forms(f, x, d, deadline):
        solutions: tuple[sympy.Expr, ...] = _within(deadline, partial(_invert, f_t, t, F), ())
        for solution in solutions:
            size = sympy.count_ops(d_t) + d_t.count(t) * sympy.count_ops(solution)
            if size > TIDY_BUDGET:
                _CUT.size = True
                continue
            found.extend(_within(deadline, partial(_tidy_forms, d_t.xreplace({t: solution})), ()))
    return _useful(found, d, x)


def _fitted_candidates(f: sympy.Expr, x: sympy.Symbol, d: sympy.Expr,
                       deadline: float) -> list[_Candidate]:
    """f' = a(x) + b(x)·f + c(x)·f², the coefficients free of the piece a of f."""
    found: list[sympy.Expr] = []
    for t, f_t, d_t in _atom_forms(f, x, d, deadline):
        if _within(deadline, partial(_invert, f_t, t, F), ()):
            continue  # solving did this piece already; a fit would find the same form
        fitted = _within(deadline, partial(_fit, d_t, [sympy.S.One, f_t, f_t**2],
                                           [sympy.S.One, F, F**2], gens=[t]), None)
        if fitted is not None:
            found.extend(_within(deadline, partial(_tidy_forms, fitted), ()))
    return _useful(found, d, x)


def _atom_forms(f: sympy.Expr, x: sympy.Symbol, d: sympy.Expr, deadline: float):
    """(t, f, f') with one piece of f replaced by t, where that leaves f free of others."""
    for atom in _eliminable_atoms(f, x):
        if _out_of_time(deadline):
            return
        t = _T
        f_t = _replace_atom(f, atom, t)
        if f_t.has(t) and not _transcendental_atoms(f_t, x):
            yield t, f_t, _replace_atom(d, atom, t)


def _useful(found: list[sympy.Expr], d: sympy.Expr, x: sympy.Symbol) -> list[_Candidate]:
    useful = [e for e in found
              if e.has(F) and not e.has(*_UNEVALUATED) and _saves_work(e, d, x)]
    return [_Candidate(e, ("f",), e) for e in dict.fromkeys(useful)]


def _saves_work(candidate: sympy.Expr, d: sympy.Expr, x: sympy.Symbol) -> bool:
    """Reusing f is only worth it if the form needs fewer transcendental calls than f'."""
    return len(_transcendental_atoms(candidate, x)) < max(1, len(_transcendental_atoms(d, x)))


def _transcendental_atoms(expr: sympy.Expr, x: sympy.Symbol) -> set[sympy.Expr]:
    """Calls whose cost a backward pass would pay again: e^{-x}, tanh(x), x^x, ..."""
    return {node for node in sympy.preorder_traversal(expr) if node.has(x) and _is_call(node, x)}


def _is_call(node: sympy.Basic, x: sympy.Symbol) -> bool:
    if isinstance(node, sympy.Function):
        return not isinstance(node, AppliedUndef)
    return bool(node.is_Pow and node.exp.has(x))


def _eliminable_atoms(f: sympy.Expr, x: sympy.Symbol) -> list[sympy.Expr]:
    """Pieces of f to solve for: transcendental calls, one per exponential family; else x."""
    atoms = sorted(_transcendental_atoms(f, x), key=lambda a: (sympy.count_ops(a), str(a)))
    chosen: list[sympy.Expr] = []
    for atom in atoms:
        if isinstance(atom, sympy.exp) and any(
                isinstance(c, sympy.exp) and _exp_ratio(atom, c) is not None for c in chosen):
            continue
        chosen.append(atom)
    return chosen or [x]


def _exp_ratio(node: sympy.Expr, base: sympy.exp) -> sympy.Rational | None:
    """k when node = base**k for a rational k (e^{x} = (e^{-x})^{-1})."""
    if sympy.count_ops(node.args[0]) + sympy.count_ops(base.args[0]) > TIDY_BUDGET:
        _CUT.size = True
        return None
    ratio = sympy.cancel(node.args[0] / base.args[0])
    return ratio if ratio.is_Rational and ratio != 0 else None


def _replace_atom(expr: sympy.Expr, atom: sympy.Expr, t: sympy.Symbol) -> sympy.Expr:
    """expr with atom -> t; for an exponential, every e^{kx} of the same family -> t^k."""
    if isinstance(atom, sympy.exp):
        return expr.replace(lambda n: isinstance(n, sympy.exp) and _exp_ratio(n, atom) is not None,
                            lambda n: t ** _exp_ratio(n, atom))
    return expr.xreplace({atom: t})


def _invert(g: sympy.Expr, t: sympy.Symbol, y: sympy.Expr,
            depth: int = 0) -> tuple[sympy.Expr, ...]:
    """Solutions t of g(t) = y, peeling g's outer layers; () when it cannot. (Not kept on
    its own: a search's whole outcome is, with whatever the size budget cut.)"""
    return tuple(_inverted(g, t, y, depth))


def _inverted(g: sympy.Expr, t: sympy.Symbol, y: sympy.Expr,
              depth: int) -> list[sympy.Expr] | tuple[sympy.Expr, ...]:
    if depth > 8:
        return []
    if g == t:
        return [y]
    if g.is_rational_function(t):
        return _rational_roots(g, t, y)
    if g.is_Add:
        with_t = [a for a in g.args if a.has(t)]
        if len(with_t) == 1:
            return _invert(with_t[0], t, y - (g - with_t[0]), depth + 1)
        return []
    if g.is_Mul:
        coefficient, rest = g.as_independent(t, as_Add=False)
        if coefficient != 1:
            return _invert(rest, t, y / coefficient, depth + 1)
        return []
    if g.is_Pow and not g.exp.has(t):
        if g.exp == 2:
            return [*_invert(g.base, t, sympy.sqrt(y), depth + 1),
                    *_invert(g.base, t, -sympy.sqrt(y), depth + 1)]
        return _invert(g.base, t, y ** (1 / g.exp), depth + 1)
    if isinstance(g, sympy.Function) and len(g.args) == 1:
        try:
            inverse = g.inverse()
        except (AttributeError, TypeError, NotImplementedError):
            return []
        return _invert(g.args[0], t, inverse(y), depth + 1)
    return []


def _rational_roots(g: sympy.Expr, t: sympy.Symbol, y: sympy.Expr) -> list[sympy.Expr]:
    """Roots in t of numerator(g - y), for degree one or two."""
    if not _affordable(g - y):
        return []
    numerator = sympy.numer(sympy.together(g - y))
    try:
        poly = sympy.Poly(numerator, t)
    except sympy.PolynomialError:
        return []
    coeffs = poly.all_coeffs()
    if poly.degree() == 1:
        return [sympy.cancel(-coeffs[1] / coeffs[0])]
    if poly.degree() == 2:
        a, b, c = coeffs
        root = sympy.sqrt(b**2 - 4 * a * c)
        return [(-b + root) / (2 * a), (-b - root) / (2 * a)]
    return []


def _fit(target: sympy.Expr, basis: list[sympy.Expr], shown: list[sympy.Expr],
         gens: list[sympy.Symbol]) -> sympy.Expr | None:
    """Σ c_i·shown_i when target = Σ c_i·basis_i identically in gens (c_i free of gens)."""
    return _fitted(target, tuple(basis), tuple(shown), tuple(gens))


def _fitted(target: sympy.Expr, basis: tuple[sympy.Expr, ...], shown: tuple[sympy.Expr, ...],
            gens: tuple[sympy.Symbol, ...]) -> sympy.Expr | None:
    """_fit's work: the coefficients by linear algebra on the numerator's coefficients."""
    if not all(e.is_rational_function(*gens) for e in [target, *basis]):
        return None
    if not _affordable(target, *basis):
        return None
    unknowns = _unknowns(len(basis))
    residual = target - sum(c * b for c, b in zip(unknowns, basis, strict=True))
    numerator = sympy.numer(sympy.together(residual))
    try:
        equations = sympy.Poly(numerator, *gens).coeffs()
    except sympy.PolynomialError:
        return None
    solutions = sympy.linsolve(equations, unknowns)
    if not isinstance(solutions, sympy.FiniteSet) or not solutions.args:
        return None
    (values,) = solutions.args[:1]
    # An underdetermined fit: any choice of the free coefficients will do, so take 0.
    free = {c: 0 for c in unknowns}
    values = [sympy.sympify(v).xreplace(free) for v in values]
    if any(v.has(sympy.nan, sympy.zoo) for v in values):
        return None
    return sum(v * s for v, s in zip(values, shown, strict=True))


def _tidy_forms(expr: sympy.Expr) -> tuple[sympy.Expr, ...]:
    """A few cheap normal forms of a candidate, within the size budget; the ranking picks
    among them.

    Also the candidate as it reads where f > 0 and where f < 0: solving y = √x gives
    x = y², and f' = 1/(2√(f²)) is 1/(2f) wherever f is positive. Such a form is only a
    guess about f's sign; like every candidate it counts only once the verifier has shown
    it equal to f' for f itself, and the one that assumed the wrong sign fails there."""
    forms: list[sympy.Expr] = []
    if sympy.count_ops(expr) > TIDY_BUDGET:
        _CUT.size = True
        return (expr,)
    signed = [expr.xreplace({F: s}).xreplace({s: F}) for s in _SIGNED_VALUES]
    for variant in dict.fromkeys([expr, *signed]):
        if not _affordable(variant):
            forms.append(variant)  # as it is: the budget allows no normal form of it
            continue
        for tidy in (sympy.expand, sympy.factor, sympy.cancel):
            try:
                forms.append(_minus_into_factor(tidy(variant)))
            except (sympy.PolynomialError, TypeError, ValueError):
                continue
    return tuple(forms)


# f's value with a known sign, so that SymPy writes √(f²) as f or −f (named as _T is).
_SIGNED_VALUES = (sympy.Symbol("f>0", positive=True), sympy.Symbol("f<0", negative=True))


def _minus_into_factor(expr: sympy.Expr) -> sympy.Expr:
    """-f(f - 1) -> f(1 - f), (f - 1)² -> (1 - f)²: a difference written as one writes it."""
    expr = expr.replace(_even_power_of_negative_difference, lambda p: (-p.base) ** p.exp)
    if not (expr.is_Mul and expr.could_extract_minus_sign()):
        return expr
    factors = list(expr.args)
    for i, factor in enumerate(factors):
        if factor.is_Add:
            rest = sympy.Mul(*factors[:i], *factors[i + 1:])
            return sympy.Mul(-rest, sympy.expand(-factor))
    return expr


def _even_power_of_negative_difference(node: sympy.Basic) -> bool:
    if not (node.is_Pow and node.exp.is_Integer and node.exp.is_even and node.base.is_Add):
        return False
    constant = node.base.as_coeff_Add()[0]
    return bool(constant.is_Number and constant < 0)


# --- candidates reusing a forward intermediate --------------------------------------------

def _intermediate_candidates(f: sympy.Expr, x: sympy.Symbol, d: sympy.Expr,
                             deadline: float) -> list[_Candidate]:
    """f' = polynomial in f and a sub-expression h of f, with constant coefficients."""
    found: list[_Candidate] = []
    atoms = _eliminable_atoms(f, x)
    if len(atoms) != 1 or atoms[0] == x:
        return found
    (atom,) = atoms
    t, h_symbol = _T, _H
    f_t, d_t = _replace_atom(f, atom, t), _replace_atom(d, atom, t)
    classes: set[sympy.Expr] = set()
    for h in _intermediates(f, x):
        if _out_of_time(deadline):
            break
        h_t = _replace_atom(h, atom, t)
        # h and a + b·h give the same fits: try one of each such class (1 + e^{-x}, e^{-x}).
        key = _affine_class(h_t, t)
        if key in classes:
            continue
        classes.add(key)
        basis = [sympy.S.One, f_t, h_t, f_t * h_t, f_t**2, h_t**2]
        shown = [sympy.S.One, F, h_symbol, F * h_symbol, F**2, h_symbol**2]
        fitted = _within(deadline, partial(_fit, d_t, basis, shown, gens=[x, t]), None)
        if fitted is None or not fitted.has(h_symbol):
            continue
        if not _affordable(fitted):
            continue
        tidy = sympy.collect(sympy.expand(fitted), h_symbol)
        tidy = tidy.xreplace({a: _minus_into_factor(a) for a in tidy.atoms(sympy.Mul)})
        name, head = _intermediate_name(h, x)
        found.append(_Candidate(tidy.xreplace({h_symbol: h}), ("f", name),
                                tidy.xreplace({h_symbol: head})))
    return found


def _intermediates(f: sympy.Expr, x: sympy.Symbol) -> list[sympy.Expr]:
    """Proper sub-expressions of f a forward pass computes on the way, largest first."""
    nodes = {node for node in sympy.preorder_traversal(f)
             if node != f and node.has(x) and _transcendental_atoms(node, x)}
    return sorted(nodes, key=lambda n: (-sympy.count_ops(n), str(n)))[:6]


def _affine_class(h_t: sympy.Expr, t: sympy.Symbol) -> sympy.Expr:
    """t for any a + b·t with constant a, b ≠ 0; h itself otherwise."""
    if h_t.is_polynomial(t) and sympy.degree(h_t, t) == 1 and not h_t.free_symbols - {t}:
        return t
    return h_t


def _intermediate_name(h: sympy.Expr, x: sympy.Symbol) -> tuple[str, sympy.Expr]:
    """How to name h for a reader: σ(x) when it is the logistic sigmoid, else h itself."""
    from derive.verify.rational import equal_as_rational_functions

    if equal_as_rational_functions(h, 1 / (1 + sympy.exp(-x))):
        return _INTERMEDIATE_NAMES["sigmoid"], sympy.Function("sigma")(x)
    return str(h), h


# --- checks on a candidate -----------------------------------------------------------------

_POINTS = (0, 1, -1, sympy.Rational(-5, 2), 3)
_PARAMETER_VALUES = (sympy.Rational(7, 10), sympy.Rational(13, 10), sympy.Rational(3, 2))


def _sample_points(f: sympy.Expr, x: sympy.Symbol, d: sympy.Expr,
                   where: sympy.Basic) -> list[dict[sympy.Symbol, sympy.Expr]]:
    """Points inside the piece where f and f' are finite and real."""
    params = sorted((f.free_symbols | d.free_symbols) - {x}, key=str)
    values = {p: _PARAMETER_VALUES[i % len(_PARAMETER_VALUES)] for i, p in enumerate(params)}
    points = []
    for value in _POINTS:
        point = {x: sympy.S(value), **values}
        try:
            inside = where.subs(point) if isinstance(where, sympy.Basic) else True
        except TypeError:  # the condition is undefined there (zoo > 0: a pole of a catalog
            continue       # function's argument, relu(σ(ax)/GELU_tanh(-x)) at 0; fuzzing)
        if inside is not sympy.true:
            continue
        if _finite(f, point) and _finite(d, point):
            points.append(point)
    return points


def _finite(expr: sympy.Expr, point: dict[sympy.Symbol, sympy.Expr]) -> bool:
    """expr is a finite real number at the point (30-digit arithmetic)."""
    from derive.analysis.compiled import mpmath_function, real_value

    expr = sympy.sympify(expr)
    symbols = tuple(sorted(point, key=str))
    if expr.free_symbols - set(symbols) or mpmath_function(expr, symbols) is None:
        return _finite_by_evalf(expr, point)
    try:
        values = [sympy.Float(point[s], 30)._mpf_ for s in symbols]
    except (TypeError, ValueError):  # a complex or symbolic coordinate
        return _finite_by_evalf(expr, point)
    import mpmath

    return real_value(expr, symbols, [mpmath.mpf(v) for v in values], digits=30) is not None


def _finite_by_evalf(expr: sympy.Expr, point: dict[sympy.Symbol, sympy.Expr]) -> bool:
    try:
        # Floats in, rather than evalf(subs=...) on exact values: the latter re-evaluates
        # with rising precision and takes seconds on a deep composition.
        floats = {symbol: sympy.Float(value, 30) for symbol, value in point.items()}
        value = sympy.sympify(expr).xreplace(floats).evalf(20)
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    return bool(value.is_number and value.is_finite and value.is_extended_real)


def _defined_where_derivative_is(candidate: sympy.Expr, f: sympy.Expr,
                                 points: list[dict[sympy.Symbol, sympy.Expr]]) -> bool:
    """A form that breaks down where f' does not (f(1 - f)/x at 0) is not f'.

    f enters as the number the forward pass produced, not as a formula: substituting the
    formula would let SymPy cancel the x of f/x and hide the 0/0 a backward pass meets.
    """
    for point in points:
        value = f.evalf(20, subs=point)
        if not _finite(candidate, {**point, F: value}):
            return False
    return True
