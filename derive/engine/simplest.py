"""The Result as an answer key prints it: the simplest conventional form of a derivative.

Candidates come from SymPy's exact rewritings (cancel, factor, together, common factors pulled
out, and simplify for expressions small enough that it stays quick); the simplest by operation
count wins, ties to the earlier candidate (the one nearest the derivation), so the same input gives
the same form. Size bounds, not a clock, decide which rewritings run: a document never depends
on how busy the machine is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import overload

import sympy
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from derive.engine.forms import add, frac, mul, neg, power

# simplify() is the strongest candidate and the slowest: only for derivatives this small.
SIMPLIFY_MAX_OPS = 40
# factor() on a huge numerator can take seconds; beyond this size the cheaper ones only.
FACTOR_MAX_OPS = 120


# A fraction inside a numerator costs as much as this many operations: an answer key
# writes sec x (x tan x − 1)/x², not (tan x − 1/x) sec x / x.
NESTED_FRACTION_COST = 4


def complexity(expr: sympy.Basic) -> int:
    """SymPy's operation count, a nested fraction counted extra and a minus sign pulled out
    in front of a bracketed sum counted as the bracket it costs (an answer key writes
    −2x − 1, not −(2x + 1): count_ops counts a NEG for each negative term, so the pulled-out
    form would always win); min() keeps the first of equals, so a tie goes to the form
    nearest the derivation (the evaluated value first)."""
    return (int(sympy.count_ops(expr)) + NESTED_FRACTION_COST * nested_fractions(expr)
            + _negated_sums(expr))


def _negated_sums(expr: sympy.Basic) -> int:
    """How many sums are written as −(…) where the sign could go in: a product, not a
    fraction (−(x² + 2x + 3)/(x − 1)⁴ is how an answer key writes a quotient), whose number
    is negative and which has a sum among its factors (−(2x + 1), −3(x² + 1))."""
    count = 0
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Mul):
            number, rest = node.as_coeff_Mul()
            factors = sympy.Mul.make_args(rest)
            if number.is_negative and any(isinstance(f, sympy.Add) for f in factors) \
                    and not any(f.is_Pow and f.exp.is_negative for f in factors):
                count += 1
    return count


def nested_fractions(expr: sympy.Basic) -> int:
    """How many products have a denominator and, in their numerator, a sum with a fraction
    in it: what would print as a fraction inside a fraction's numerator."""
    from derive.engine.forms import split_quotient

    count = 0
    for node in sympy.preorder_traversal(expr):
        if not isinstance(node, sympy.Mul):
            continue
        numerator, denominator = split_quotient(node)
        if denominator == 1:
            continue
        for term in sympy.preorder_traversal(numerator):
            if isinstance(term, sympy.Add) and any(_has_denominator(t) for t in term.args):
                count += 1
                break
    return count


def _has_denominator(term: sympy.Basic) -> bool:
    return any(isinstance(f, sympy.Pow) and f.exp.is_negative for f in sympy.Mul.make_args(term)) \
        or (term.is_Rational and term.q != 1)


def _rewritings(value: sympy.Expr) -> Iterator[sympy.Expr]:
    size = sympy.count_ops(value)
    yield value
    cheap: list[Callable[[sympy.Expr], sympy.Expr]] = [
        sympy.expand, sympy.factor_terms, sympy.cancel, sympy.together, _number_into_sum,
        lambda e: sympy.factor_terms(sympy.cancel(e)),
        lambda e: sympy.factor_terms(sympy.together(e)),
        lambda e: sympy.factor_terms(sympy.expand(e)),
    ]
    if size <= FACTOR_MAX_OPS:
        cheap.append(sympy.factor)
    if size <= SIMPLIFY_MAX_OPS:
        cheap.append(sympy.simplify)
    for rewrite in cheap:
        try:
            yield rewrite(value)
        except (sympy.PolynomialError, NotImplementedError, TypeError, ValueError):
            continue


def _number_into_sum(value: sympy.Expr) -> sympy.Expr:
    """A number in front of a product taken into a sum whose fractions it clears: the chain
    rule's 7(x/7 + 7/x)⁶(1/7 − 7/x²) is (1 − 49/x²)(x/7 + 7/x)⁶; 10(12x² − 1) has no
    fraction to clear and stays."""
    def into(node: sympy.Basic) -> sympy.Basic:
        number, rest = node.as_coeff_Mul()
        factors = list(sympy.Mul.make_args(rest))
        for i, factor in enumerate(factors):
            if isinstance(factor, sympy.Add) and _clears(number, factor):
                factors[i] = sympy.expand(number * factor)
                return sympy.Mul(*factors)
        return node

    return value.replace(lambda n: isinstance(n, sympy.Mul) and n.as_coeff_Mul()[0] not in (1, -1),
                         into)


def _clears(number: sympy.Expr, total: sympy.Add) -> bool:
    """Whether `number` times the sum has integer coefficients where the sum has fractions."""
    coefficients = [t.as_coeff_Mul()[0] for t in total.args]
    return number.is_Rational and any(not c.is_Integer for c in coefficients) and all(
        (number * c).is_Integer for c in coefficients if c.is_Rational)


@lru_cache(maxsize=512)
def simplest(value: sympy.Expr) -> sympy.Expr:
    """The simplest candidate form of `value` (an evaluated expression)."""
    if value.has(sympy.Piecewise) or value.has(sympy.Derivative):
        return _pulled_out(value)
    best = min((c for c in _rewritings(value) if c == value or conventional(c, value)),
               key=complexity)
    return _expanded_polynomial(best)


@lru_cache(maxsize=512)
def answer(value: sympy.Expr, x: sympy.Symbol, written: sympy.Basic = sympy.S.Zero,
           cited: sympy.Basic = sympy.S.Zero) -> sympy.Expr:
    """The Result as an answer key prints it: the simplest conventional form of `value` by
    operation count (`complexity`); among forms equally complex, the one that keeps more of
    the sums of the lemmas the steps cited (`cited`: σ' = σ(1 − σ)), then the one with the
    fewest symbols a reader sees, each in textbook order (`textbook_order`, `written` the
    sums to keep as written): swish' is σ(x)(1 + x(1 − σ(x))), σ' = σ(1 − σ) kept whole as
    PyTorch's silu backward writes it, not (1 + x − xσ(x))σ(x); 2x sin 5x + 5x² cos 5x and
    x(2 sin 5x + 5x cos 5x) are equally complex, and the first is two symbols shorter; a tie
    goes to the form nearest the derivation."""
    from derive.words.printer import printed_symbols

    if value.has(sympy.Piecewise) or value.has(sympy.Derivative):
        return textbook_order(_pulled_out(value), x, written)
    def seen(form: sympy.Expr) -> int:
        return printed_symbols(textbook_order(form, x, written))

    own = _sums_of(cited)

    def kept(form: sympy.Expr) -> int:
        return len(own & _sums_of(form))

    forms = [arguments_as_derived(c, value) for c in _rewritings(value)
             if c == value or conventional(c, value)]
    best = min(forms, key=lambda c: (complexity(c), -kept(c), seen(c)))
    return textbook_order(_spread(_expanded_polynomial(best), x, seen), x, written)


def _sums_of(expr: sympy.Basic) -> set[sympy.Basic]:
    """The sums in expr with two or more terms in x or a head (1 + x², 1 − σ(x)), as SymPy
    stores them."""
    return {n for n in sympy.preorder_traversal(expr)
            if isinstance(n, sympy.Add) and n.free_symbols}


def arguments_as_derived(form: sympy.Expr, value: sympy.Expr) -> sympy.Expr:
    """Each function's argument written as the derivative has it: factor_terms and simplify
    rewrite cos(t² + 3t) as cos(t(t + 3)), the same angle in a form the function never had."""
    # (a Piecewise of one piece is a Function of one argument too, but that argument is an
    # (expr, cond) pair, not an Expr: it is skipped, and replace() still walks into the
    # pair, so the functions inside its expression and condition are restored all the same)
    def unary(node: sympy.Basic) -> bool:
        return isinstance(node, sympy.Function) and len(node.args) == 1 \
            and isinstance(node.args[0], sympy.Expr)

    derived = {sympy.expand(f.args[0]): f.args[0] for f in value.atoms(sympy.Function)
               if unary(f)}

    def restore(node: sympy.Basic) -> sympy.Basic:
        arg = derived.get(sympy.expand(node.args[0]), node.args[0])
        return node.func(arg) if arg != node.args[0] else node

    return form.replace(lambda n: unary(n) and n.args[0] not in derived.values(), restore)


def _spread(expr: sympy.Expr, x: sympy.Symbol, seen: Callable[[sympy.Expr], int]) -> sympy.Expr:
    """A power of x taken out of a sum only where that shortens what a reader sees: x(2 sin 5x
    + 5x cos 5x) is written 2x sin 5x + 5x² cos 5x, as the product rule gives it (count_ops
    counts the product fewer). Only a monomial c·x^k is spread: an answer key takes out e^x,
    x^x or σ(x) (x^x(1 + ln x)), and a number in front stays (10(12x² − 1), 4(x − 3): the
    chain rule's factor), and so does a sum with a term free of x (x(1 − σ(x)), x(x − 3)).
    Inner products first; a fraction stays one fraction, a function's
    argument as it is."""
    if not expr.args or isinstance(expr, sympy.Function):
        return expr
    args = tuple(_spread(a, x, seen) for a in expr.args)
    node = expr.func(*args) if args != expr.args else expr
    if not isinstance(node, sympy.Mul):
        return node
    sums = [f for f in node.args if isinstance(f, sympy.Add)]
    above = [f for f in node.args if f not in sums and not (f.is_Pow and f.exp.is_negative)]
    below = [f for f in node.args if f not in sums and f not in above]
    # (a sum with a term free of x, x − 3 or 1 − σ(x), is a quantity of its own: it stays)
    if len(sums) != 1 or below or _degree(sympy.Mul(*above), x) in (None, 0) \
            or any(not t.has(x) for t in sums[0].args):
        return node
    spread = sympy.Add(*(sympy.Mul(*above, term) for term in sums[0].args)) * sympy.Mul(*below)
    return spread if seen(spread) < seen(node) else node


def _expanded_polynomial(best: sympy.Expr) -> sympy.Expr:
    """A polynomial answer collected in powers, as an answer key prints it: (x + 1)(3x − 1)
    is written 3x² + 2x − 1 (count_ops prefers the product). A power of a sum stays: the
    chain rule's 10(12x² − 1)(4x³ − x)⁹ and 3(x − 1)² are how it is written."""
    if not best.is_polynomial() or not best.free_symbols or any(
            isinstance(p, sympy.Pow) and isinstance(p.base, sympy.Add)
            for p in sympy.preorder_traversal(best)):
        return best
    expanded = sympy.expand(best)
    return expanded if expanded.is_Add else best


def conventional(expr: sympy.Expr, value: sympy.Expr) -> bool:
    """What an answer key would not print, whatever its operation count:
    - ln(a^u) for u ln a, or ln(3^u/2^v): simplify's log-combined forms;
    - a function of an argument the derivative does not have: simplify's phase shifts and
      double angles (5π/6 sin(π(x − 2)/12) becomes −5π/6 cos(πx/12 + π/3), 2 tan x + 2x sec²x
      becomes a fraction in sin 2x and cos 2x);
    - a number printed as a decimal in front of a bracket (0.0001 (6111t² + …)): the
      coefficients of a decimal exercise stay decimals (0.6111t² + …)."""
    from derive.words.printer import written_as_decimal

    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.log) and any(
                isinstance(p, sympy.Pow) and p.exp.free_symbols
                for p in sympy.preorder_traversal(node.args[0])):
            return False
        if isinstance(node, sympy.Mul):
            number, rest = node.as_coeff_Mul()
            if written_as_decimal(abs(number)) and any(
                    isinstance(f, sympy.Add) for f in sympy.Mul.make_args(rest)):
                return False
    arguments = _angles(value)
    return all(a in arguments for a in _angles(expr))


def _angles(expr: sympy.Basic) -> set[sympy.Expr]:
    """The arguments of the trigonometric and hyperbolic functions in expr, expanded (so
    π(x − 2)/12 and πx/12 − π/6 are one angle). Only these: e^{−x} written as 1/e^{x} is no
    new function, where sin(πx/12 + π/3) for cos(π(x − 2)/12) is one, and so is simplify's
    sinh 2x for 2 sinh x cosh x (the double-angle identity is a step of its own)."""
    return {sympy.expand(a) for node in sympy.preorder_traversal(expr)
            if isinstance(node, TrigonometricFunction | HyperbolicFunction) for a in node.args}


def _pulled_out(value: sympy.Expr) -> sympy.Expr:
    if not value.is_Add:
        return value
    factored = sympy.factor_terms(value)
    return min((value, factored), key=complexity) if conventional(factored, value) else value


def textbook_order(expr: sympy.Expr, x: sympy.Symbol,
                   written: sympy.Basic = sympy.S.Zero) -> sympy.Expr:
    """Polynomials in x in descending powers, as an answer key prints them (x^2 + 2x + 3,
    where SymPy stores 3 + x^2 + 2x; 2x + 2 for 2 + 2x), except that two terms do not move
    a minus sign to the front (1 − 2x stays) and a sum `written` has (the function's own
    1 + x²) stays as written, also where SymPy has multiplied a number into it below the
    line (ln √(5x − 7)' is 5/(2(5x − 7)), not 5/(10x − 14): the reader sees the function's
    5x − 7, where f' has its pole); everything else as it is."""
    kept = {n for n in sympy.preorder_traversal(written) if isinstance(n, sympy.Add)}

    def ordered(node: sympy.Basic) -> sympy.Basic:
        # a function's argument, and a sum the function itself has (√(1 + x²)), stay as the
        # function writes them (tanh(x + 0.044715x³)): the Result reads with the function
        if not node.args or isinstance(node, sympy.Function) or node in kept:
            return node
        args = [ordered(a) for a in node.args]
        if isinstance(node, sympy.Add):
            degrees = [_degree(t, x) for t in args]
            lowest = 2 if len(args) >= 3 else 1
            if None not in degrees and max(d for d in degrees if d is not None) >= lowest:
                pairs = sorted(zip(degrees, range(len(args)), args, strict=True),
                               key=lambda p: (-(p[0] or 0), p[1]))
                terms = [a for _, _, a in pairs]
                # two terms: x + 2 for 2 + x, but 1 − 2x stays (−2x + 1 leads with a sign)
                if len(args) >= 3:
                    return add(*terms)
                return add(*_positive_first(terms if not _leads_negative(terms) else args))
            # any other sum: x cos x − sin x, not −sin x + x cos x
            return add(*_positive_first(args))
        if isinstance(node, sympy.Mul):
            return _product_in_order(args)
        if isinstance(node, sympy.Pow) and node.exp.is_negative:
            multiple = _multiple_of(node.base, kept)
            if multiple is not None:
                return sympy.Pow(multiple, node.exp, evaluate=False)
        if isinstance(node, sympy.Add | sympy.Pow):
            return node.func(*args, evaluate=False)
        return node.func(*args)

    return ordered(expr)


def _multiple_of(total: sympy.Basic, kept: set[sympy.Basic]) -> sympy.Expr | None:
    """c·k, unevaluated, where `total` is a sum that is a whole number c > 1 times a sum k in
    `kept` with whole coefficients (10x − 14 = 2(5x − 7)); None otherwise (t² + 5 stays: as
    5(1 + t²/5) it would gain a fraction)."""
    if not isinstance(total, sympy.Add) or total in kept:
        return None
    for k in sorted(kept, key=sympy.default_sort_key):
        if len(k.args) != len(total.args) or not all(
                t.as_coeff_Mul()[0].is_Integer for t in k.args):
            continue
        ratio = sympy.cancel(total / k)
        if ratio.is_Integer and ratio > 1:
            return sympy.Mul(ratio, k, evaluate=False)
    return None


def _product_in_order(factors: list[sympy.Basic]) -> sympy.Basic:
    """A product with its bracketed sums before its bare functions, above the line and below
    it: a denominator is written as one fraction where its order changes ((x² + 1) arctan² x
    below the line; SymPy's own order would put arctan² x first). A named function, whose
    argument is in brackets, leads: σ(x)(1 + x(1 − σ(x))), as σ' = σ(1 − σ) is written."""
    named = _named_first(factors)
    if named is not None:
        return named
    factors = _sign_into_difference(factors)

    def under(f: sympy.Basic) -> bool:
        # 2^{−w} goes below the line as 2^w, as a number's negative exponent does
        return f.is_Pow and (f.exp.is_negative or (
            not f.exp.is_Number and f.exp.could_extract_minus_sign()))

    above = [f for f in factors if not under(f)]
    below = [power(f.base, -f.exp) if f.exp != -1 else f.base for f in factors if under(f)]
    # (SymPy's evaluated denominator sorts its factors again: a fraction of our own keeps them)
    ordered_below = _sums_before_bare_functions(below, pinned=True)
    if ordered_below is None and any(under(f) and not f.exp.is_Number for f in factors):
        ordered_below = below  # written as a fraction: (3^w ln 3 − …)/2^w, not 2^{−w}(…)
    if ordered_below is None:
        return sympy.Mul(*_sums_before_bare_functions(factors), evaluate=False)
    sign = sympy.S.One
    if above and above[0] == -1:
        sign, above = sympy.S.NegativeOne, above[1:]
    top = mul(*_sums_before_bare_functions(above)) if above else sympy.S.One
    shown = frac(top, mul(*ordered_below))
    return neg(shown) if sign == -1 else shown


def _sign_into_difference(factors: list[sympy.Basic]) -> list[sympy.Basic]:
    """A minus in front of a fraction taken into its denominator where that is a difference
    of a function and a number to an odd power: −1/(cos x − 1) is 1/(1 − cos x), as an
    answer key writes it (a polynomial's x − 3 stays: −2/(x − 3), not 2/(3 − x))."""
    if -1 not in factors:
        return factors
    below = [f for f in factors if f.is_Pow and f.exp.is_negative]
    if len(below) != 1 or not isinstance(below[0].base, sympy.Add):
        return factors
    (fraction,) = below
    total, exponent = fraction.base, fraction.exp
    if len(total.args) != 2 or not (exponent.is_Integer and exponent % 2) \
            or total.is_polynomial() or sum(1 for t in total.args if t.is_Number) != 1:
        return factors
    flipped = add(*_positive_first([-t for t in reversed(total.args)]))
    rest = [f for f in factors if f != -1 and f is not fraction]
    return [*rest, sympy.Pow(flipped, exponent, evaluate=False)]


def _named_first(factors: list[sympy.Basic]) -> sympy.Basic | None:
    """The product with its named functions (σ(x), Φ(x): heads with a bracketed argument)
    before its bracketed sums, where it has both and no denominator; None otherwise."""
    from sympy.core.function import AppliedUndef

    def head(f: sympy.Basic) -> bool:
        return isinstance(f.base if f.is_Pow and f.exp.is_positive else f, AppliedUndef)

    if any(f.is_Pow and f.exp.is_negative for f in factors) or not any(map(head, factors)) \
            or not any(isinstance(f.base if f.is_Pow else f, sympy.Add) for f in factors):
        return None
    numbers = [f for f in factors if f.is_Number]
    heads = [f for f in factors if head(f)]
    rest = [f for f in factors if f not in numbers and f not in heads]
    return sympy.Mul(*numbers, *heads, *rest, evaluate=False)


@overload
def _sums_before_bare_functions(factors: list[sympy.Basic]) -> list[sympy.Basic]: ...
@overload
def _sums_before_bare_functions(factors: list[sympy.Basic],
                                pinned: bool) -> list[sympy.Basic] | None: ...
def _sums_before_bare_functions(factors: list[sympy.Basic],
                                pinned: bool = False) -> list[sympy.Basic] | None:
    """A bracketed sum written before a function whose argument has no brackets, as an
    answer key writes it: (x² + 1) arctan² x, not arctan² x · (x² + 1), where the sum after
    sin x or arctan² x would read as part of its argument (the printer puts a dot there)."""
    from derive.words.printer import bare_function

    def bare(f: sympy.Basic) -> bool:
        return bare_function(f.base ** -f.exp if f.is_Pow and f.exp.is_negative else f)

    def bracketed(f: sympy.Basic) -> bool:
        return isinstance(f.base if f.is_Pow else f, sympy.Add)

    first = next((i for i, f in enumerate(factors) if bare(f)), None)
    if pinned:  # `pinned`: the order wanted where both kinds are there, None where not
        if first is None or not any(bracketed(f) for f in factors):
            return None
        return [*(f for f in factors if bracketed(f)), *(f for f in factors if not bracketed(f))]
    if first is None or not any(bracketed(f) for f in factors[first:]):
        return factors
    moved = [f for f in factors[first:] if bracketed(f)]
    return [*factors[:first], *moved, *(f for f in factors[first:] if not bracketed(f))]


def _positive_first(terms: list[sympy.Basic]) -> list[sympy.Basic]:
    """The terms with the first one that has no minus sign moved to the front when the sum
    would open with a minus (−sin x + x cos x is written x cos x − sin x); the rest in order."""
    if not terms or not terms[0].could_extract_minus_sign():
        return terms
    for i, term in enumerate(terms):
        if not term.could_extract_minus_sign():
            return [term, *terms[:i], *terms[i + 1:]]
    return terms


def _leads_negative(terms: list[sympy.Basic]) -> bool:
    """Two terms with the negative one first (−x + 4x³): descending powers put the sign
    inside, 4x³ − x."""
    return len(terms) == 2 and terms[0].could_extract_minus_sign() \
        and not terms[1].could_extract_minus_sign()


def _degree(term: sympy.Basic, x: sympy.Symbol) -> int | None:
    """k for a monomial c·x^k (c free of x), None otherwise."""
    _coefficient, rest = term.as_independent(x, as_Add=False)
    if rest == 1:
        return 0
    if rest == x:
        return 1
    if isinstance(rest, sympy.Pow) and rest.base == x and rest.exp.is_Integer and rest.exp > 0:
        return int(rest.exp)
    return None


def only_where_defined(expr: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, list[sympy.Expr]]:
    """A piecewise derivative with values only where the derivative exists: each piece on
    its open interval, and a point between two pieces kept only where both give the same
    value there (the one-sided derivatives agree); and the points left out."""
    if not isinstance(expr, sympy.Piecewise):
        return expr, []
    covered = sympy.S.EmptySet
    pieces = []
    for value, cond in expr.args:
        try:
            where = (sympy.S.Reals if cond is sympy.true else cond.as_set()) - covered
        except (NotImplementedError, TypeError, AttributeError):
            return expr, []
        covered = covered | where
        if where is sympy.S.EmptySet:
            continue
        pieces.append((value, where))
    if len(pieces) < 2:
        return expr, []
    ends: set[sympy.Expr] = set()
    for _, where in pieces:
        for interval in (where.args if isinstance(where, sympy.Union) else (where,)):
            if not isinstance(interval, sympy.Interval):
                return expr, []
            ends |= {e for e in (interval.start, interval.end) if e.is_finite}
    out: list[list[sympy.Basic]] = [[value, where.interior] for value, where in pieces]
    undefined = []
    for k in sorted(ends, key=sympy.default_sort_key):
        sides = [v for v, w in out if k in w.closure]
        values = {sympy.simplify(v.subs(x, k)) for v in sides}
        if len(values) == 1:  # both sides agree: the derivative exists at k
            for piece in out:
                if k in piece[1].closure:
                    piece[1] = piece[1] | sympy.FiniteSet(k)
                    break
        else:
            undefined.append(k)
    if not undefined:
        return expr, []
    return (sympy.Piecewise(*((v, w.as_relational(x)) for v, w in out), evaluate=False),
            undefined)
