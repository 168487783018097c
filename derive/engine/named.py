"""Named functions a reader recognises in a derivative, as lemmas: σ(u) = 1/(1 + e^{−u}).

Softplus' is e^x/(1 + e^x), which every ML student knows as σ(x); mish' has the same factor.
`recognise` writes such a piece as the named function, and the walkthrough shows it as a step
of its own, verified like every other (the lemma's definition is how the verifier reads σ).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import sympy

from derive.engine.forms import add, frac, mul, neg, power, split_quotient
from derive.model import Definition
from derive.parse.catalog import definition_of

SIGMA: Definition = definition_of("sigmoid")
_V = sympy.Symbol("u", real=True)
# The standard normal distribution function and its density, as GELU's derivative is
# conventionally written: GELU(x) = xΦ(x), GELU'(x) = Φ(x) + xφ(x).
PHI: Definition = Definition("Phi", r"\Phi", sympy.Function("Phi"), _V,
                             (1 + sympy.erf(_V / sympy.sqrt(2))) / 2)
DENSITY: Definition = Definition("phi", r"\varphi", sympy.Function("phi"), _V,
                                 sympy.exp(-_V**2 / 2) / sympy.sqrt(2 * sympy.pi))
LEMMAS: tuple[Definition, ...] = (SIGMA, PHI, DENSITY)


def recognise(expr: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr | None]:
    """expr with every e^{u}/(1 + e^{u}) and 1/(1 + e^{−u}) written σ(u), the rest untouched;
    and the first piece so written (None when there is none)."""
    pieces: list[sympy.Expr] = []

    def swap(node: sympy.Expr) -> sympy.Expr:
        u = _sigmoid_argument(node)
        assert u is not None
        pieces.append(sympy.exp(u) / (1 + sympy.exp(u)) if sympy.exp(u) in
                      sympy.Mul.make_args(node) else 1 / (1 + sympy.exp(-u)))
        return _sigma_times_rest(node)

    named = expr.replace(lambda node: _sigmoid_argument(node) is not None, swap)
    return named, (pieces[0] if pieces else None)


def _sigmoid_argument(node: sympy.Basic) -> sympy.Expr | None:
    """u when node is a product holding e^{u}·(1 + e^{u})^{−1} or (1 + e^{−u})^{−1}."""
    if not isinstance(node, sympy.Mul | sympy.Pow):
        return None
    factors = sympy.Mul.make_args(node)
    exps = [f.args[0] for f in factors if isinstance(f, sympy.exp)]
    for f in factors:
        if isinstance(f, sympy.Pow) and f.exp == -1 and f.base.is_Add and len(f.base.args) == 2:
            one, other = sorted(f.base.args, key=lambda a: a != 1)
            if one == 1 and isinstance(other, sympy.exp):
                u = other.args[0]
                if u in exps:
                    return u
                if len(factors) == 1 and u.could_extract_minus_sign():
                    return -u
    return None


def _sigma_times_rest(node: sympy.Basic) -> sympy.Expr:
    u = _sigmoid_argument(node)
    assert u is not None
    factors = list(sympy.Mul.make_args(node))
    rest = []
    used_exp = used_den = False
    for f in factors:
        if not used_den and isinstance(f, sympy.Pow) and f.exp == -1 and f.base.is_Add \
                and (sympy.exp(u) in f.base.args or sympy.exp(-u) in f.base.args):
            used_den = True
            continue
        if not used_exp and f == sympy.exp(u) and len(factors) > 1:
            used_exp = True
            continue
        rest.append(f)
    return sympy.Mul(*rest) * SIGMA.head(u)


# The Pythagorean identities a teacher uses by name: c·cos²u + c·sin²u = c and
# c·cosh²u − c·sinh²u = c. Each use is a step of its own, verified like every other.
_U_SHOW = sympy.Symbol("u")
_PAIRS = ((sympy.cos, sympy.sin, 1), (sympy.cosh, sympy.sinh, -1))
LAWS = {sympy.cos: r"\cos^{2} u + \sin^{2} u = 1", sympy.cosh: r"\cosh^{2} u - \sinh^{2} u = 1"}
_SQUARED = (sympy.cos, sympy.sin, sympy.cosh, sympy.sinh)


@dataclass(frozen=True)
class IdentityUse:
    expr: sympy.Expr  # the whole expression, the pair written as c
    identity: sympy.Expr  # its left side in u: cosh²u − sinh²u (= 1)
    instance: sympy.Expr  # the pair as it stood, e.g. cosh²x − sinh²x
    value: sympy.Expr  # what it is: c
    law: str  # the identity in LaTeX, for the frame that uses it
    rule: str = "identity"  # the step's rule: "identity" (Pythagorean) or "double angle"
    equals: sympy.Expr = sympy.S.One  # the identity's right side in u: 1, cos 2u, sin 2u


def pythagorean(expr: sympy.Expr) -> IdentityUse | None:
    """The first sum in expr holding c·cos²u + c·sin²u (or c·cosh²u − c·sinh²u), written c;
    None where no sum holds such a pair."""
    for node in sympy.preorder_traversal(expr):
        if node.is_Add:
            found = _pair_in(node)
            if found is not None:
                return replace(found, expr=expr.xreplace({node: found.expr}))
    return None


def _pair_in(node: sympy.Add) -> IdentityUse | None:
    found = next(_square_pairs(node, _PAIRS), None)
    if found is None:
        return None
    i, j, c1, _, major, minor, sign = found
    rest = [t for k, t in enumerate(node.args) if k not in (i, j)]
    return IdentityUse(sympy.Add(c1, *rest), _pair_identity(major, minor, sign),
                       add(node.args[i], node.args[j]), c1, LAWS[major])


def _square_pairs(node: sympy.Add, table: tuple[tuple[Any, Any, int], ...]
                  ) -> Iterator[tuple[int, int, sympy.Expr, sympy.Expr, Any, Any, int]]:
    """(i, j, c, u, major, minor, sign) for each pair of terms i, j of node that read
    c·major(u)² and sign·c·minor(u)² for a row (major, minor, sign) of table, in the order
    the terms stand (the Pythagorean and double-angle searches share it)."""
    squares = [_square(t) for t in node.args]
    for i, first in enumerate(squares):
        for j, second in enumerate(squares):
            if first is None or second is None or i == j:
                continue
            (c1, f1, u1), (c2, f2, u2) = first, second
            for major, minor, sign in table:
                if (f1, f2) == (major, minor) and u1 == u2 and c2 == sign * c1:
                    yield i, j, c1, u1, major, minor, sign


def _pair_identity(major: Any, minor: Any, sign: int) -> sympy.Expr:
    """major²u ± minor²u in the display variable u: the identity's left side."""
    return add(power(major(_U_SHOW), 2),
               power(minor(_U_SHOW), 2) if sign == 1 else neg(power(minor(_U_SHOW), 2)))


def _square(term: sympy.Expr) -> tuple[sympy.Expr, sympy.FunctionClass, sympy.Expr] | None:
    """(c, f, u) for a term c·f(u)² with f one of cos, sin, cosh, sinh."""
    coefficient, rest = term.as_coeff_Mul()
    factors = sympy.Mul.make_args(rest)
    squares = [f for f in factors if f.is_Pow and f.exp == 2 and isinstance(f.base, _SQUARED)]
    if len(squares) != 1:
        return None
    square = squares[0]
    others = sympy.Mul(*(f for f in factors if f is not square))
    return coefficient * others, square.base.func, square.base.args[0]


# --- A cited lemma, written as cited ------------------------------------------------------

def as_cited(expr: sympy.Basic, cited: tuple[sympy.Expr, ...]) -> sympy.Basic:
    """expr with each cited lemma's value written in the lemma's own order: SymPy sorts
    σ(x)(1 − σ(x)) into (1 − σ(x))σ(x) when it evaluates a line, and the reader should see
    the law as the sigmoid walkthrough states it. A product or sum that holds all of a cited
    value's factors (terms) gets them together, in the cited order, where the first stood;
    nothing else moves."""
    if not cited or not expr.args or isinstance(expr, sympy.Derivative):
        return expr
    args = [as_cited(a, cited) for a in expr.args]
    if isinstance(expr, sympy.Mul | sympy.Add):
        grouped = args
        for value in cited:
            if type(value) is type(expr):
                grouped = _grouped(grouped, list(value.args))
        holds = any(type(v) is type(expr) and _grouped(args, list(v.args)) is not args
                    for v in cited)
        if not holds:
            return expr if args == list(expr.args) else expr.func(*args, evaluate=False)
        if isinstance(expr, sympy.Add):
            return add(*grouped)
        # over a denominator, as a fraction: its numerator prints in the cited order too
        _, denominator = split_quotient(mul(*grouped))
        if denominator == 1:
            return mul(*grouped)
        above = [a for a in grouped if split_quotient(a)[1] == 1]
        return frac(mul(*above), denominator)
    if args == list(expr.args):
        return expr
    return expr.func(*args)


def _grouped(args: list[sympy.Basic], wanted: list[sympy.Basic]) -> list[sympy.Basic]:
    """args with the items of `wanted` (all present) moved together, in wanted's order; args
    itself (the same list) where some item is missing."""
    used: list[int] = []
    for item in wanted:
        index = next((i for i, a in enumerate(args) if a == item and i not in used), None)
        if index is None:
            return args
        used.append(index)
    first = min(used)
    return [*args[:first], *wanted, *(a for i, a in enumerate(args) if i > first and i not in used)]


# The double-angle identities, used by name where they shorten the answer (a step of their
# own, verified like every other): cos²u − sin²u = cos 2u, 2 sin u cos u = sin 2u and the
# hyperbolic cosh²u + sinh²u = cosh 2u, 2 sinh u cosh u = sinh 2u.
_DOUBLE_SUMS = ((sympy.cos, sympy.sin, -1), (sympy.cosh, sympy.sinh, 1))
_DOUBLE_PRODUCTS = ((sympy.sin, sympy.cos), (sympy.sinh, sympy.cosh))
_DOUBLE_LAWS = {sympy.cos: r"\cos^{2} u - \sin^{2} u = \cos 2u",
                sympy.cosh: r"\cosh^{2} u + \sinh^{2} u = \cosh 2u",
                sympy.sin: r"2 \sin u \cos u = \sin 2u",
                sympy.sinh: r"2 \sinh u \cosh u = \sinh 2u"}


def double_angle(expr: sympy.Expr) -> IdentityUse | None:
    """The first sum in expr holding c·cos²u − c·sin²u (c·cosh²u + c·sinh²u), written
    c·cos 2u, or the first product holding sin u·cos u (sinh u·cosh u), written with
    sin(2u)/2; None where there is neither."""
    u = _U_SHOW
    for node in sympy.preorder_traversal(expr):
        if node.is_Add:
            found = _double_pair_in(node)
            if found is not None:
                return replace(found, expr=expr.xreplace({node: found.expr}))
        if node.is_Mul:
            factors = sympy.Mul.make_args(node)
            for odd, even in _DOUBLE_PRODUCTS:
                angles = [f.args[0] for f in factors if isinstance(f, odd)]
                angle = next((a for a in angles if even(a) in factors), None)
                if angle is None:
                    continue
                rest = [f for f in factors if f not in (odd(angle), even(angle))]
                value = sympy.Mul(*rest) * odd(2 * angle) / 2
                return IdentityUse(expr.xreplace({node: value}),
                                   mul(2, odd(u), even(u)), node, value,
                                   _DOUBLE_LAWS[odd], "double angle", odd(2 * u))
    return None


def _double_pair_in(node: sympy.Add) -> IdentityUse | None:
    found = next(_square_pairs(node, _DOUBLE_SUMS), None)
    if found is None:
        return None
    i, j, c1, u1, major, minor, sign = found
    rest = [t for k, t in enumerate(node.args) if k not in (i, j)]
    value = c1 * major(2 * u1)
    return IdentityUse(sympy.Add(value, *rest), _pair_identity(major, minor, sign),
                       add(node.args[i], node.args[j]), value,
                       _DOUBLE_LAWS[major], "double angle", major(2 * _U_SHOW))


# --- A rational function of e^u, written in σ(u) -----------------------------------------

def in_sigmoid(expr: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr] | None:
    """expr written as a polynomial in σ(u), where expr is a rational function of one
    exponential e^u (and of symbols that do not depend on x) and that polynomial is what it
    becomes: e^u = σ/(1 − σ) substituted and cancelled. BCE with logits,
    ((1 − y)e^x − y)/(1 + e^x), is σ(x) − y. Returns (form, u); None otherwise."""
    exps = [e for e in expr.atoms(sympy.exp) if e.has(x)]
    if not exps:
        return None
    u = min((e.args[0] for e in exps), key=sympy.default_sort_key)
    if u.could_extract_minus_sign():
        u = -u
    s = sympy.Dummy("s")
    powers = {}
    for e in exps:
        k = sympy.simplify(e.args[0] / u)
        if not k.is_Integer:
            return None
        powers[e] = (s / (1 - s)) ** k
    substituted = expr.xreplace(powers)
    if substituted.has(x) and any(a.has(x) for a in substituted.atoms(sympy.Function)):
        return None  # x inside another function (ln(1 + e^x)): no rational function of e^x
    try:
        value = sympy.cancel(sympy.together(substituted))
        poly = sympy.Poly(value, s)
    except (sympy.PolynomialError, sympy.GeneratorsNeeded, ValueError, TypeError):
        return None
    if poly.degree() < 1 or any(c.has(s) for c in poly.coeffs()):
        return None
    form = sympy.factor_terms(poly.as_expr()).xreplace({s: SIGMA.head(u)})
    return form, u


# --- erf and the Gaussian, written in Φ and φ ------------------------------------------

def in_normal(expr: sympy.Expr) -> sympy.Expr | None:
    """expr with erf(v/√2) written through Φ(v) = (1 + erf(v/√2))/2 and e^{−v²/2} through
    φ(v) = e^{−v²/2}/√(2π), for the one v its erf has, and collected: GELU's
    1/2 + erf(x/√2)/2 + x e^{−x²/2}/√(2π) is Φ(x) + xφ(x). None where expr has no erf, or
    an erf of another argument, or the written form keeps an erf or a Gaussian."""
    erfs = expr.atoms(sympy.erf)
    if len(erfs) != 1:
        return None
    (erf,) = erfs
    v = sympy.expand(sympy.sqrt(2) * erf.args[0])
    cdf, density = PHI.head(v), DENSITY.head(v)
    gaussians = {e: sympy.sqrt(2 * sympy.pi) * density for e in expr.atoms(sympy.exp)
                 if sympy.expand(e.args[0] + v**2 / 2) == 0}
    written = sympy.expand(expr.xreplace({erf: 2 * cdf - 1, **gaussians}))
    if written.has(sympy.erf) or any(sympy.expand(e.args[0] + v**2 / 2) == 0
                                     for e in written.atoms(sympy.exp)):
        return None
    return sympy.collect(written, [cdf, density])
