"""Builders for *display forms*: SymPy trees held unevaluated, so a step shows what a teacher
writes (``(1 + e^{-x}) - 1`` stays as it is) while `value_of` can still evaluate them.

`Frac` is the one node of our own: a fraction the walkthrough chose to write as a fraction,
which SymPy would otherwise merge with neighbouring factors when printing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sympy


class Frac(sympy.Expr):
    """numerator / denominator, written as one fraction; `doit()` divides."""

    @property
    def numerator(self) -> sympy.Expr:
        return self.args[0]

    @property
    def denominator(self) -> sympy.Expr:
        return self.args[1]

    def doit(self, **hints: object) -> sympy.Expr:
        num, den = (a.doit(**hints) if hints.get("deep", True) else a for a in self.args)
        return num / den

    def _eval_is_commutative(self) -> bool:
        return True

    def _latex(self, printer: sympy.printing.latex.LatexPrinter) -> str:
        fraction = getattr(printer, "fraction", None)  # derive's printer: stacked or a solidus
        if fraction is not None:
            return str(fraction(self.numerator, self.denominator))
        return rf"\frac{{{printer._print(self.numerator)}}}{{{printer._print(self.denominator)}}}"

    def _sympystr(self, printer: sympy.printing.str.StrPrinter) -> str:
        num, den = (printer._print(a) for a in self.args)
        return f"({num})/({den})"


def add(*terms: sympy.Expr) -> sympy.Expr:
    terms = tuple(sympy.sympify(t) for t in terms)
    return terms[0] if len(terms) == 1 else sympy.Add(*terms, evaluate=False)


def mul(*factors: sympy.Expr) -> sympy.Expr:
    factors = tuple(sympy.sympify(f) for f in factors)
    return factors[0] if len(factors) == 1 else sympy.Mul(*factors, evaluate=False)


def neg(expr: sympy.Expr) -> sympy.Expr:
    expr = sympy.sympify(expr)
    if expr.is_Number:
        return -expr
    return sympy.Mul(sympy.S.NegativeOne, expr, evaluate=False)


def sub(left: sympy.Expr, right: sympy.Expr) -> sympy.Expr:
    return sympy.Add(left, neg(right), evaluate=False)


def power(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    return sympy.Pow(base, exponent, evaluate=False)


def frac(numerator: sympy.Expr, denominator: sympy.Expr) -> sympy.Expr:
    return Frac(sympy.sympify(numerator), sympy.sympify(denominator))


def pending(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """d/dx expr, left to be worked out later (0 and 1 are written at once)."""
    if not expr.has(x):
        return sympy.S.Zero
    if expr == x:
        return sympy.S.One
    return sympy.Derivative(expr, x)


def is_pending(expr: sympy.Basic) -> bool:
    return isinstance(expr, sympy.Derivative)


def pending_nodes(expr: sympy.Basic) -> list[sympy.Derivative]:
    """Pending derivatives in reading order (pre-order, left to right), outermost only."""
    found: list[sympy.Derivative] = []

    def walk(node: sympy.Basic) -> None:
        if is_pending(node):
            if node not in found:
                found.append(node)
            return
        for arg in node.args:
            walk(arg)

    walk(expr)
    return found


# Node types SymPy would evaluate when rebuilt: rebuild them with evaluation off.
_HELD = (sympy.Add, sympy.Mul, sympy.Pow)


def substitute(expr: sympy.Basic, mapping: Mapping[sympy.Basic, sympy.Basic]) -> sympy.Basic:
    """Replace whole subtrees, keeping the rest of the display form exactly as built."""
    if expr in mapping:
        return mapping[expr]
    if not expr.args:
        return expr
    args = tuple(substitute(a, mapping) for a in expr.args)
    if args == expr.args:
        return expr
    if isinstance(expr, _HELD):
        return expr.func(*args, evaluate=False)
    return expr.func(*args)


def evaluate(expr: sympy.Basic, keep: Iterable[sympy.Basic] = ()) -> sympy.Expr:
    """The value of a display form with evaluation on, leaving the `keep` subtrees as they are.

    Used to tidy a finished sub-derivation and to reduce; pending derivatives that no rule
    covered are in `keep`, so SymPy never quietly takes them.
    """
    placeholders = {node: sympy.Dummy(f"keep{i}") for i, node in enumerate(keep)}
    held = substitute(expr, placeholders)
    value = held.doit(deep=True) if held.args else held
    if placeholders:
        value = value.xreplace({d: node for node, d in placeholders.items()})
    return value


def split_quotient(expr: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """Numerator and denominator as written: factors with negative exponents go below.

    Unlike SymPy's `as_numer_denom`, this never rewrites, so 1/(1 + e^{-x}) keeps its
    denominator 1 + e^{-x} instead of becoming e^{x}/(e^{x} + 1).
    """
    num: list[sympy.Expr] = []
    den: list[sympy.Expr] = []
    for factor in sympy.Mul.make_args(expr):
        base, exponent = factor.as_base_exp()
        if factor.is_Pow and exponent.is_negative:
            den.append(base if exponent == -1 else sympy.Pow(base, -exponent))
        elif factor.is_Rational and factor.q != 1:
            num.append(sympy.Integer(factor.p))
            den.append(sympy.Integer(factor.q))
        else:
            num.append(factor)
    return _product(num), _product(den)


def _product(factors: list[sympy.Expr]) -> sympy.Expr:
    """The product of the factors, kept a product: SymPy distributes a number over a sum
    (10·(4t² + 3t − 20) becomes 40t² + 30t − 200), which rewrites what is shown."""
    product = sympy.Mul(*factors)
    kept = [f for f in factors if f != 1]
    if product.is_Add and len(kept) > 1:
        return sympy.Mul(*kept, evaluate=False)
    return product


def clean(expr: sympy.Basic) -> sympy.Basic:
    """The display form as a teacher writes it: no `0 +` term, no factor 1, no term times 0,
    numbers in front of a product and one sign for two (e^{-x}·(−1) is −e^{-x}). Nothing
    else moves: the order of terms and factors stays as built."""
    if not expr.args or is_pending(expr):
        return expr
    args = [clean(a) for a in expr.args]
    if isinstance(expr, sympy.Add):
        terms = [t for t in args if not _is_zero(t)]
        if not terms:
            return sympy.S.Zero
        return add(*terms)
    if isinstance(expr, sympy.Mul):
        return _clean_product(args)
    if isinstance(expr, Frac):
        num, den = args
        if _is_zero(num):
            return sympy.S.Zero
        if den == 1:
            return num
        sign, bare = _sign_and_rest(num)
        return neg(Frac(bare, den)) if sign < 0 else Frac(num, den)
    if isinstance(expr, sympy.Pow):
        base, exponent = args
        if exponent == 1:
            return base
        # ((x − 1)³)² is (x − 1)⁶, as the quotient rule's v² is written: integer exponents
        # multiply for every base (a fractional one would need the base's sign)
        if isinstance(base, sympy.Pow) and base.exp.is_Integer and exponent.is_Integer:
            return power(base.base, base.exp * exponent)
        return power(base, exponent)
    if isinstance(expr, sympy.Piecewise):
        return sympy.Piecewise(*((clean(e), c) for e, c in expr.args), evaluate=False)
    return expr.func(*args)


def _is_zero(expr: sympy.Basic) -> bool:
    return expr == 0 or (isinstance(expr, sympy.Mul) and any(a == 0 for a in expr.args))


def _clean_product(factors: list[sympy.Basic]) -> sympy.Basic:
    coefficient: sympy.Expr = sympy.S.One
    rest: list[sympy.Basic] = []
    for factor in _flat(factors):
        sign, bare = _sign_and_rest(factor)
        coefficient *= sign
        if bare.is_Number:
            coefficient *= bare
        elif bare != 1:
            rest.append(bare)
    if coefficient == 0:
        return sympy.S.Zero
    rest = _variables_first(_powers_merged(rest))
    if not rest:
        return coefficient
    if coefficient == 1:
        return mul(*rest)
    if coefficient < 0:  # −6/x³, not (−6)/x³: the sign in front of the product
        return neg(mul(-coefficient, *rest) if coefficient != -1 else mul(*rest))
    return mul(coefficient, *rest)


def _variables_first(factors: list[sympy.Basic]) -> list[sympy.Basic]:
    """A power of a variable written before a function call it follows, as a textbook writes
    a product: the quotient rule's arctan x · 2x is 2x arctan x, not 2 arctan x · x. Only
    when the power stands after a function (a factor whose product order is the one built
    otherwise stays: sums, fractions, pending derivatives)."""
    def variable(f: sympy.Basic) -> bool:
        base = f.base if isinstance(f, sympy.Pow) and f.exp.is_Number else f
        return isinstance(base, sympy.Symbol)

    def call(f: sympy.Basic) -> bool:
        base = f.base if isinstance(f, sympy.Pow) else f
        return isinstance(base, sympy.Function) and not is_pending(base)

    first_call = next((i for i, f in enumerate(factors) if call(f)), None)
    if first_call is None or not any(variable(f) for f in factors[first_call:]) \
            or any(not (variable(f) or call(f)) for f in factors):
        return factors
    return [*(f for f in factors if variable(f)), *(f for f in factors if not variable(f))]


def _powers_merged(factors: list[sympy.Basic]) -> list[sympy.Basic]:
    """x·x^2 as x^3: equal bases with number exponents merged, in first-seen order."""
    exponents: dict[sympy.Basic, sympy.Expr] = {}
    order: list[sympy.Basic] = []
    others: list[tuple[int, sympy.Basic]] = []
    # A base that cancels out entirely (x·1/x, σ(x)/σ(x)) stays as written: cancelling it is
    # a move the reader sees (the walkthrough says it), not a tidy-up.
    cancelling = set(cancelled_bases(factors))
    for i, factor in enumerate(factors):
        base, exponent = (factor.args if isinstance(factor, sympy.Pow) else (factor, sympy.S.One))
        if (not exponent.is_Number or isinstance(factor, Frac) or is_pending(factor)
                or base in cancelling):
            others.append((i, factor))
            continue
        if base not in exponents:
            exponents[base] = sympy.S.Zero
            order.append(base)
            others.append((i, base))
        exponents[base] += exponent
    merged = []
    for _, factor in others:
        if factor in exponents:
            n = exponents[factor]
            if n != 0:
                merged.append(factor if n == 1 else power(factor, n))
        else:
            merged.append(factor)
    return merged


def cancelled_bases(factors: list[sympy.Basic] | tuple[sympy.Basic, ...]) -> list[sympy.Basic]:
    """The bases among a product's factors whose number exponents add up to 0, one above
    and one below the line at least (x and 1/x; σ(x) and σ(x)^{-1})."""
    total: dict[sympy.Basic, sympy.Expr] = {}
    below: set[sympy.Basic] = set()
    for factor in factors:
        if isinstance(factor, Frac) or is_pending(factor):
            continue
        base, exponent = (factor.args if isinstance(factor, sympy.Pow) else (factor, sympy.S.One))
        if exponent.is_Number and not base.is_Number:
            total[base] = total.get(base, sympy.S.Zero) + exponent
            if exponent.is_negative:
                below.add(base)
    return [b for b, n in total.items() if n == 0 and b in below]


def cancellations(expr: sympy.Basic) -> list[tuple[sympy.Basic, sympy.Basic]]:
    """Each product in a display form in which a factor cancels out entirely, with that
    factor: (x·1/x, x), ((1 − σ)σ/σ, σ). Outermost products first, in reading order."""
    found: list[tuple[sympy.Basic, sympy.Basic]] = []

    def walk(node: sympy.Basic) -> None:
        if is_pending(node):
            return
        factors = None
        if isinstance(node, sympy.Mul):
            factors = _flat(list(node.args))
        elif isinstance(node, Frac):
            factors = [*_flat(list(sympy.Mul.make_args(node.numerator))),
                       *(power(d, -1) for d in _flat(list(sympy.Mul.make_args(node.denominator))))]
        if factors is not None:
            bases = cancelled_bases(factors)
            if bases:
                found.append((node, bases[0]))
                return
        for arg in node.args:
            walk(arg)

    walk(expr)
    return found


def _flat(factors: list[sympy.Basic]) -> list[sympy.Basic]:
    """The factors of nested products, one list (a held −u stays one factor: its sign)."""
    out: list[sympy.Basic] = []
    for factor in factors:
        sign, bare = _sign_and_rest(factor)
        if isinstance(bare, sympy.Mul):
            if sign < 0:
                out.append(sympy.S.NegativeOne)
            out.extend(_flat(list(bare.args)))
        else:
            out.append(factor)
    return out


def _sign_and_rest(expr: sympy.Basic) -> tuple[int, sympy.Basic]:
    """(−1, u) for a held −u (or a negative number), else (1, expr)."""
    if expr.is_Number and expr.is_negative:
        return -1, -expr
    if isinstance(expr, sympy.Mul) and expr.args and expr.args[0] == -1:
        rest = expr.args[1:]
        return -1, rest[0] if len(rest) == 1 else sympy.Mul(*rest, evaluate=False)
    return 1, expr


# --- Multiplying through: no fraction inside a numerator ---------------------------------

def multiply_through(expr: sympy.Basic) -> tuple[sympy.Basic, tuple[sympy.Expr, ...]]:
    """The display form with every fraction cleared out of a numerator, as a teacher does:
    (√x − (x + 7)/(2√x))/x becomes (2x − (x + 7))/(2√x·x), numerator and denominator
    multiplied by the same 2√x. Returns the form and the factors multiplied by (none: the
    form as it was). A function's argument, an exponent and a pending derivative are left
    as they are: a fraction there is not one inside a numerator."""
    factors: list[sympy.Expr] = []
    return _through(expr, factors), tuple(factors)


def _through(expr: sympy.Basic, factors: list[sympy.Expr]) -> sympy.Basic:
    if not isinstance(expr, sympy.Add | sympy.Mul | Frac) or not expr.args:
        return expr
    if isinstance(expr, sympy.Add):
        return add(*(_through(t, factors) for t in expr.args))
    sign, bare = _sign_and_rest(expr)
    numerator, denominator = _quotient_of(bare)
    if denominator == 1:
        if isinstance(bare, sympy.Mul):
            inner = mul(*(_through(f, factors) for f in bare.args))
            return neg(inner) if sign < 0 else inner
        return expr
    above: list[sympy.Expr] = []
    below: list[sympy.Expr] = list(sympy.Mul.make_args(denominator))
    changed = False
    for factor in _flat(list(sympy.Mul.make_args(numerator))):
        cleared = _cleared_sum(factor)
        if cleared is None:
            above.append(factor)
            continue
        total, by = cleared
        above.append(total)
        below = [*by, *below]
        factors.append(mul(*by))
        changed = True
    if not changed:
        return expr
    result = clean(frac(mul(*above) if above else sympy.S.One, mul(*below)))
    return neg(result) if sign < 0 else result


def _quotient_of(expr: sympy.Basic) -> tuple[sympy.Expr, sympy.Expr]:
    """Numerator and denominator of a product as it prints: a Frac's own, or the factors
    with negative exponents (and a fraction's factors, merged)."""
    if isinstance(expr, Frac):
        return expr.numerator, expr.denominator
    from derive.words.printer import written_as_decimal  # how it prints decides what it is

    num: list[sympy.Expr] = []
    den: list[sympy.Expr] = []
    for factor in _flat(list(sympy.Mul.make_args(expr))):
        if written_as_decimal(factor):
            num.append(factor)
            continue
        if isinstance(factor, Frac):
            num.append(factor.numerator)
            den.append(factor.denominator)
            continue
        n, d = split_quotient(factor)
        num.append(n)
        if d != 1:
            den.append(d)
    return mul(*num) if num else sympy.S.One, mul(*den) if den else sympy.S.One


def _cleared_sum(expr: sympy.Basic) -> tuple[sympy.Expr, list[sympy.Expr]] | None:
    """A sum with fractions among its terms, multiplied by the product of their distinct
    denominators (their least common multiple, factor by factor): the new sum and that
    product's factors. None for anything else."""
    sign, bare = _sign_and_rest(expr)
    if not isinstance(bare, sympy.Add):
        return None
    terms = [(_sign_and_rest(t), t) for t in bare.args]
    # (a term whose denominator cancels against its own factors, (1/(1 + x²))·(1 + x²), is
    # no fraction: the walkthrough cancels it as a step the reader sees, not multiplied out)
    split = [(s, b, sympy.S.One) if _cancels_within(b) else (s, *_quotient_of(b))
             for (s, b), _ in terms]
    if all(d == 1 for _, _, d in split):
        return None
    # The least common multiple, factor by factor: each base with its largest exponent.
    need: dict[sympy.Expr, sympy.Expr] = {}
    order: list[sympy.Expr] = []
    for _, _, d in split:
        for base, exponent in _powers(d):
            if base not in need:
                order.append(base)
                need[base] = exponent
            elif (exponent - need[base]).is_positive:
                need[base] = exponent
    lcm = [_power_of(b, need[b]) for b in order]
    new_terms = []
    for s, n, d in split:
        have = dict(_powers(d))
        missing = [_power_of(b, need[b] - have.get(b, 0)) for b in order
                   if need[b] - have.get(b, 0) != 0]
        term = clean(mul(*missing, n)) if missing else n
        new_terms.append(neg(term) if s < 0 else term)
    total = add(*new_terms)
    return (neg(total) if sign < 0 else total), lcm


def _cancels_within(term: sympy.Basic) -> bool:
    """Whether every base below the line in a product also stands above it to the same
    power, so that the product has no denominator once cancelled (x·1/x, (1 + x²)/(1 + x²))."""
    if not isinstance(term, sympy.Mul):
        return False
    factors = _flat(list(term.args))
    below = {f.base for f in factors if isinstance(f, sympy.Pow) and f.exp.is_negative}
    return bool(below) and below <= set(cancelled_bases(factors))


def _powers(expr: sympy.Expr) -> list[tuple[sympy.Expr, sympy.Expr]]:
    """A product as (base, exponent) pairs; a number is its own base (2 is 2^1)."""
    out = []
    for factor in _flat(list(sympy.Mul.make_args(expr))):
        if factor == 1:
            continue
        if isinstance(factor, sympy.Pow) and factor.exp.is_Number:
            out.append((factor.base, factor.exp))
        else:
            out.append((factor, sympy.S.One))
    return out


def _power_of(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    return base if exponent == 1 else power(base, exponent)
