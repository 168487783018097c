"""The laws of differentiation, one small class per rule.

Each rule's docstring states its law; `apply` returns the derivative as a display form in
which the derivatives it still needs are left *pending* (``Derivative(u, x)``), so the
walkthrough can work them out one step at a time. Rules never call SymPy's `diff`.

Rules return facts, not prose: the rule's name, its parts (numerator and denominator, outer
and inner function, the constant factor, ...) and the result. derive.words writes the
sentences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import sympy

from derive.engine.forms import add, frac, mul, neg, pending, power, split_quotient, sub
from derive.model import Fact, Note


@dataclass(frozen=True)
class Application:
    """One use of one rule on one expression."""

    rule: str  # machine name, e.g. "quotient"
    expr: sympy.Expr  # what was differentiated
    result: sympy.Expr  # display form, with pending derivatives
    facts: tuple[Fact, ...]  # what was done, for the words layer (a carried sum: two facts)
    law: str | None
    inner: sympy.Expr | None = None  # the inner function, when this is the chain rule
    note: Note | None = None  # a caveat the reader must see, e.g. a kink


def applied(rule: str, expr: sympy.Expr, result: sympy.Expr, law: str | None,
            inner: sympy.Expr | None = None, note: Note | None = None,
            **parts: sympy.Basic) -> Application:
    """An Application whose one fact is `rule` with `parts` (None parts are left out)."""
    fact = Fact(rule, tuple((k, sympy.sympify(v)) for k, v in parts.items() if v is not None))
    return Application(rule, expr, result, (fact,), law, inner, note)


class Rule:
    # Class attributes for most rules; ElementaryRule sets them per instance (one per function).
    name: str
    law: str | None = None

    def apply(self, expr: sympy.Expr, x: sympy.Symbol) -> Application:
        raise NotImplementedError


class ConstantRule(Rule):
    """d/dx c = 0 for any c that does not depend on x."""

    name = "constant"
    law = r"\frac{d}{dx} c = 0"

    def apply(self, expr, x):
        return applied(self.name, expr, sympy.S.Zero, self.law, constant=expr, variable=x)


class VariableRule(Rule):
    """d/dx x = 1."""

    name = "variable"
    law = r"\frac{d}{dx} x = 1"

    def apply(self, expr, x):
        return applied(self.name, expr, sympy.S.One, self.law, variable=x)


class SumRule(Rule):
    """(f + g)' = f' + g': differentiate term by term."""

    name = "sum"
    law = r"\left(f + g\right)' = f' + g'"

    def apply(self, expr, x):
        terms = expr.args
        constants = [t for t in terms if not t.has(x)]
        return applied(self.name, expr, add(*(pending(t, x) for t in terms)), self.law,
                       terms=sympy.Tuple(*terms), constants=sympy.Tuple(*constants))


class ConstantMultipleRule(Rule):
    """(c·f)' = c·f' for a constant c."""

    name = "constant multiple"
    law = r"\left(c f\right)' = c f'"

    def apply(self, expr, x):
        const, rest = expr.as_independent(x, as_Add=False)
        result = neg(pending(rest, x)) if const == -1 else mul(const, pending(rest, x))
        return applied(self.name, expr, result, self.law, constant=const, rest=rest)


class ProductRule(Rule):
    """(f·g)' = f'·g + f·g' (for several factors: one term per factor differentiated)."""

    name = "product"
    law = r"\left(f g\right)' = f' g + f g'"

    def apply(self, expr, x):
        factors = expr.args
        terms = []
        for i in range(len(factors)):
            parts = [pending(f, x) if j == i else f for j, f in enumerate(factors)]
            terms.append(mul(*parts))
        return applied(self.name, expr, add(*terms), self.law, factors=sympy.Tuple(*factors))


class QuotientRule(Rule):
    """(f/g)' = (f'·g − f·g')/g²."""

    name = "quotient"
    law = r"\left(\frac{f}{g}\right)' = \frac{f' g - f g'}{g^{2}}"

    def apply(self, expr, x):
        num, den = split_quotient(expr)
        dnum = pending(num, x)
        result = frac(sub(mul(dnum, den), mul(num, pending(den, x))), power(den, 2))
        return applied(self.name, expr, result, self.law, numerator=num, denominator=den,
                       variable=x)


class ReciprocalRule(Rule):
    """(1/g)' = −g'/g²: the chain rule with the outer function 1/u, for a reciprocal inside a
    larger expression (a teacher does not write the quotient rule's 0·g − 1·g' there)."""

    name = "reciprocal"
    law = r"\left(\frac{1}{g}\right)' = -\frac{g'}{g^{2}}"

    def apply(self, expr, x):
        den = expr.base
        result = neg(frac(pending(den, x), power(den, 2)))
        return applied(self.name, expr, result, self.law, denominator=den, variable=x)


class PowerRule(Rule):
    """(x^n)' = n·x^(n−1) for a constant n (negative, rational and sqrt included)."""

    name = "power"
    law = r"\left(x^{n}\right)' = n x^{n - 1}"

    def apply(self, expr, x):
        base, n = expr.as_base_exp()
        outer = sympy.Lambda(_U, n * _U ** (n - 1))
        return _outer_then_chain(self.name, outer, base, expr, x, self.law,
                                 Fact(self.name, (("exponent", n),)))


class ExponentialRule(Rule):
    """(a^x)' = a^x·ln a for a constant a > 0 (e^x is its own derivative)."""

    name = "exponential"
    law = r"\left(a^{x}\right)' = a^{x} \ln a"

    def apply(self, expr, x):
        base, u = expr.as_base_exp()
        outer = sympy.Lambda(_U, base ** _U * sympy.log(base))
        return _outer_then_chain(self.name, outer, u, expr, x, self.law,
                                 Fact(self.name, (("base", base),)))


class GeneralPowerRule(Rule):
    """y = u^v by logarithmic differentiation (u > 0): ln y = v ln u, differentiate both
    sides, y'/y = (v ln u)', so y' = u^v·(v ln u)'; the product rule does the rest."""

    name = "general power"
    law = r"\frac{y'}{y} = \left(\ln y\right)'"

    def apply(self, expr, x):
        u, v = expr.as_base_exp()
        logarithm = mul(v, sympy.log(u))
        result = mul(expr, pending(logarithm, x))
        return applied(self.name, expr, result, self.law, power=expr, base=u, exponent=v,
                       logarithm=logarithm)


_U = sympy.Dummy("u")


@dataclass(frozen=True)
class Elementary:
    """An outer function f with its derivative f'(u), as data."""

    name: str
    derivative: Callable[[sympy.Expr], sympy.Expr]
    law: str


class ElementaryRule(Rule):
    """f(u)' = f'(u)·u' for a function f whose derivative is known (sin, exp, log, ...).

    One instance per function; the law of each is in its `Elementary` data.
    """

    name = "elementary"

    def __init__(self, data: Elementary) -> None:
        self.data = data
        self.name = data.name
        self.law = data.law

    def apply(self, expr, x):
        from derive.parse.catalog import identity_of, is_named

        (u,) = expr.args
        outer = sympy.Lambda(_U, self.data.derivative(_U))
        parts: list[tuple[str, sympy.Basic]] = [
            ("outer", expr.func(_Ushow)), ("outer_derivative", self.data.derivative(_Ushow))]
        # tanh: cited where its own walkthrough derives it (from sinh/cosh), not a table look-up
        if is_named(self.name) and identity_of(self.name) is not None:
            parts.append(("walkthrough", sympy.Symbol(self.name)))
        return _outer_then_chain(self.name, outer, u, expr, x, self.law,
                                 Fact("elementary", tuple(parts)))


_Ushow = sympy.Symbol("u")


def _outer_then_chain(name: str, outer: Callable[[sympy.Expr], sympy.Expr], u: sympy.Expr, expr: sympy.Expr,
                      x: sympy.Symbol, law: str | None, fact: Fact) -> Application:
    """The rule itself when its argument is x; otherwise the chain rule around it:
    f(u)' = f'(u)·u', the outer derivative taken at u, times u' (left pending). `fact` is
    what the outer rule says; the chain adds its own fact, with the inner function."""
    if u == x:  # a line of the table of derivatives: the fact says which (its title does)
        fact = Fact(fact.rule, (*fact.parts, ("differentiated", expr)))
        return Application(name, expr, sympy.sympify(outer(x)), (fact,), law)
    result = mul(outer(u), pending(u, x))
    chain = Fact("chain", (("inner", u), ("outer_rule", sympy.Symbol(name))))
    return Application("chain", expr, result, (fact, chain), CHAIN_LAW, inner=u)


CHAIN_LAW = r"\left(f(g(x))\right)' = f'(g(x))\, g'(x)"
# Laws that name their functions f and g: where f is the function being differentiated the
# walkthrough re-letters them, as it does the quotient rule's (derive.engine.naming).
RELETTERED_LAWS = (SumRule.law, ConstantMultipleRule.law, ProductRule.law)


class LemmaRule(Rule):
    """F(u)' = F'(u)·u' for a catalog function F written by name (σ, ReLU, softplus, ...):
    F' is the lemma F's own walkthrough proves, cited rather than derived again; the step
    that applies it is verified like any other. A piecewise F' has no value at F's kinks,
    and those kinks, where u(x) meets them, are the expression's."""

    name = "lemma"

    def apply(self, expr, x):
        from derive.parse import catalog

        entry = catalog.entry_of_head(type(expr).__name__)
        assert entry is not None
        (u,) = expr.args
        # Called at u itself, not through a Lambda: the lemma keeps the order it is written in
        # (σ(u)(1 − σ(u)), as the sigmoid walkthrough ends).
        def outer(v: sympy.Expr) -> sympy.Expr:
            return catalog.derivative_of(entry.name, v)

        fact = Fact("lemma", (("function", expr.func(_Ushow)),
                              ("derivative", catalog.derivative_of(entry.name, _Ushow)),
                              ("walkthrough", sympy.Symbol(entry.name)),
                              # F'(u) at this u, as the lemma writes it: lines show it so
                              ("cited", catalog.derivative_of(entry.name, u))))
        app = _outer_then_chain(self.name, outer, u, expr, x, _lemma_law(entry.name), fact)
        kinks = _lemma_kinks(catalog.derivative_of(entry.name, _U), u, x)
        note = Note("kink", (("variable", x), ("points", sympy.Tuple(*kinks)))) if kinks else None
        return Application(app.rule, app.expr, app.result, app.facts, app.law, app.inner, note)


def _lemma_law(name: str) -> str:
    """F'(u) = ... in LaTeX, as the frame of the step citing it states the law."""
    from derive.parse import catalog
    from derive.words.printer import to_latex

    definition = catalog.definition_of(name)
    derivative = catalog.derivative_of(name, _Ushow)
    names = {d.name: d.latex for d in (definition, *catalog.heads_in(derivative))}
    head = to_latex(definition.head(_Ushow), names).removesuffix("(u)")
    return f"{head}'(u) = {to_latex(derivative, names)}"


def _lemma_kinks(derivative: sympy.Expr, u: sympy.Expr, x: sympy.Symbol) -> list[sympy.Expr]:
    """Where u(x) meets a kink of F: the real x with u(x) = k for each k where F' has no piece."""
    if not isinstance(derivative, sympy.Piecewise):
        return []
    points: set[sympy.Expr] = set()
    for k in _kinks(derivative, _U):
        points.update([k] if u == x else _real_roots(u, k, x))
    return sorted(points, key=sympy.default_sort_key)


class AbsRule(Rule):
    """|u|' = u/|u|·u' where u ≠ 0; |x| is not differentiable at 0."""

    name = "abs"
    law = r"\left|u\right|' = \frac{u}{\left|u\right|} u' \quad (u \neq 0)"

    def apply(self, expr, x):
        (u,) = expr.args
        note = Note("not differentiable", (("expression", expr), ("where", u)))
        outer = sympy.Lambda(_U, _U / sympy.Abs(_U))
        app = _outer_then_chain(self.name, outer, u, expr, x, self.law, Fact(self.name))
        return Application(app.rule, app.expr, app.result, app.facts, self.law if u == x
                           else app.law, app.inner, note)


STEP_FUNCTION_LAWS = {
    "sign": r"\left(\operatorname{sign} u\right)' = 0 \quad (u \neq 0)",
    "heaviside": r"H'(u) = 0 \quad (u \neq 0)",
}


class StepFunctionRule(Rule):
    """sign(u)' = H(u)' = 0 where u ≠ 0: a step function is constant on each side of its
    jump, and has no derivative at the jump itself (as |u| has none at its kink)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.law = STEP_FUNCTION_LAWS[name]

    def apply(self, expr, x):
        u = expr.args[0]
        note = Note("jump", (("expression", expr), ("where", u)))
        return applied(self.name, expr, sympy.S.Zero, self.law, note=note, expression=expr,
                       argument=u, inner=None if u == x else u)


class PiecewiseRule(Rule):
    """Piecewise: differentiate each piece on the open set where it holds; kinks are named."""

    name = "piecewise"
    law = r"f' = f_i' \text{ on each piece}"

    def apply(self, expr, x):
        if not isinstance(expr, sympy.Piecewise):
            expr = _as_pieces(expr, x)
        pieces = expr
        if not isinstance(pieces, sympy.Piecewise):
            return DontKnowRule().apply(expr, x)
        result = sympy.Piecewise(*((pending(e, x), c) for e, c in pieces.args), evaluate=False)
        kinks = _kinks(pieces, x)
        note = Note("kink", (("variable", x), ("points", sympy.Tuple(*kinks)))) if kinks else None
        return applied(self.name, expr, result, self.law, note=note, pieces=pieces)


# Remembered: a product rule meets the same max/min twice (in u' and again in v'), and
# SymPy's piecewise_simplify of one min(|x - y|, 1) takes a second cold (Huber's loss).
@lru_cache(maxsize=256)
def _as_pieces(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """max(0, min(1, u)) as the flat list of pieces a reader expects, from left to right."""
    from derive.engine.kinks import as_piecewise

    pieces = as_piecewise(expr, x)
    if pieces is not None:
        return pieces
    from sympy.functions.elementary.piecewise import piecewise_simplify

    # Switch points that are no exact roots: SymPy's rewrite, folded and simplified.
    try:
        return piecewise_simplify(sympy.piecewise_fold(expr.rewrite(sympy.Piecewise)))
    except (TypeError, ValueError):  # a condition SymPy cannot compare (zoo: found by fuzzing)
        return expr  # no pieces: the caller says it has no rule for it


def _kinks(pieces: sympy.Piecewise, x: sympy.Symbol) -> list[sympy.Expr]:
    points: set[sympy.Expr] = set()
    for _, cond in pieces.args:
        for rel in cond.atoms(sympy.core.relational.Relational):
            points.update(_real_roots(rel.lhs, rel.rhs, x))
    return sorted(points, key=sympy.default_sort_key)


def _real_roots(a: sympy.Expr, b: sympy.Expr, x: sympy.Symbol) -> list[sympy.Expr]:
    """The x with a = b that may be real (none where SymPy cannot solve it)."""
    try:
        found = sympy.solve(sympy.Eq(a, b), x)
    except NotImplementedError:
        return []
    except (ValueError, TypeError):
        # solve tries complex candidates, and H(u) refuses a complex u (x²/H(x) = −3 at
        # x = ±√3 i): the equation is asked again over the reals only
        try:
            real = sympy.solveset(sympy.Eq(a, b), x, sympy.S.Reals)
        except (NotImplementedError, ValueError, TypeError):
            return []
        return list(real) if isinstance(real, sympy.FiniteSet) else []
    return [p for p in found if p.is_real is not False]


class DontKnowRule(Rule):
    """No rule covers this expression: say so, and leave its derivative as it is."""

    name = "unknown"
    law = None

    def apply(self, expr, x):
        return applied(self.name, expr, sympy.Derivative(expr, x), None, expression=expr)


ELEMENTARY = (
    Elementary("exp", sympy.exp, r"\left(e^{u}\right)' = e^{u}"),
    Elementary("log", lambda u: 1 / u, r"\left(\ln u\right)' = \frac{1}{u}"),
    Elementary("sin", sympy.cos, r"\left(\sin u\right)' = \cos u"),
    Elementary("cos", lambda u: -sympy.sin(u), r"\left(\cos u\right)' = -\sin u"),
    Elementary("tan", lambda u: sympy.sec(u) ** 2, r"\left(\tan u\right)' = \sec^{2} u"),
    Elementary("sec", lambda u: sympy.sec(u) * sympy.tan(u), r"\left(\sec u\right)' = \sec u \tan u"),
    Elementary("csc", lambda u: -sympy.csc(u) * sympy.cot(u), r"\left(\csc u\right)' = -\csc u \cot u"),
    Elementary("cot", lambda u: -sympy.csc(u) ** 2, r"\left(\cot u\right)' = -\csc^{2} u"),
    Elementary("asin", lambda u: 1 / sympy.sqrt(1 - u**2),
               r"\left(\arcsin u\right)' = \frac{1}{\sqrt{1 - u^{2}}}"),
    Elementary("acos", lambda u: -1 / sympy.sqrt(1 - u**2),
               r"\left(\arccos u\right)' = -\frac{1}{\sqrt{1 - u^{2}}}"),
    Elementary("atan", lambda u: 1 / (1 + u**2), r"\left(\arctan u\right)' = \frac{1}{1 + u^{2}}"),
    Elementary("sinh", sympy.cosh, r"\left(\sinh u\right)' = \cosh u"),
    Elementary("cosh", sympy.sinh, r"\left(\cosh u\right)' = \sinh u"),
    Elementary("tanh", lambda u: 1 - sympy.tanh(u) ** 2, r"\left(\tanh u\right)' = 1 - \tanh^{2} u"),
    Elementary("sech", lambda u: -sympy.sech(u) * sympy.tanh(u),
               r"\left(\operatorname{sech} u\right)' = -\operatorname{sech} u \tanh u"),
    Elementary("csch", lambda u: -sympy.csch(u) * sympy.coth(u),
               r"\left(\operatorname{csch} u\right)' = -\operatorname{csch} u \coth u"),
    Elementary("coth", lambda u: -sympy.csch(u) ** 2, r"\left(\coth u\right)' = -\operatorname{csch}^{2} u"),
    Elementary("asinh", lambda u: 1 / sympy.sqrt(u**2 + 1),
               r"\left(\operatorname{arsinh} u\right)' = \frac{1}{\sqrt{u^{2} + 1}}"),
    Elementary("acosh", lambda u: 1 / sympy.sqrt(u**2 - 1),
               r"\left(\operatorname{arcosh} u\right)' = \frac{1}{\sqrt{u^{2} - 1}}"),
    Elementary("atanh", lambda u: 1 / (1 - u**2),
               r"\left(\operatorname{artanh} u\right)' = \frac{1}{1 - u^{2}}"),
    Elementary("erf", lambda u: 2 / sympy.sqrt(sympy.pi) * sympy.exp(-u**2),
               r"\left(\operatorname{erf} u\right)' = \frac{2}{\sqrt{\pi}} e^{-u^{2}}"),
    Elementary("erfc", lambda u: -2 / sympy.sqrt(sympy.pi) * sympy.exp(-u**2),
               r"\left(\operatorname{erfc} u\right)' = -\frac{2}{\sqrt{\pi}} e^{-u^{2}}"),
    # The reciprocal inverses, for real u where each is defined (|u| > 1 for arcsec, arccsc
    # and arcoth; 0 < u < 1 for arsech; u ≠ 0 for arccot and arcsch).
    Elementary("asec", lambda u: 1 / (sympy.Abs(u) * sympy.sqrt(u**2 - 1)),
               r"\left(\operatorname{arcsec} u\right)' = \frac{1}{\left|u\right| \sqrt{u^{2} - 1}}"),
    Elementary("acsc", lambda u: -1 / (sympy.Abs(u) * sympy.sqrt(u**2 - 1)),
               r"\left(\operatorname{arccsc} u\right)' = -\frac{1}{\left|u\right| \sqrt{u^{2} - 1}}"),
    Elementary("acot", lambda u: -1 / (1 + u**2),
               r"\left(\operatorname{arccot} u\right)' = -\frac{1}{1 + u^{2}}"),
    Elementary("asech", lambda u: -1 / (u * sympy.sqrt(1 - u**2)),
               r"\left(\operatorname{arsech} u\right)' = -\frac{1}{u \sqrt{1 - u^{2}}}"),
    Elementary("acsch", lambda u: -1 / (sympy.Abs(u) * sympy.sqrt(1 + u**2)),
               r"\left(\operatorname{arcsch} u\right)' = -\frac{1}{\left|u\right| \sqrt{1 + u^{2}}}"),
    Elementary("acoth", lambda u: 1 / (1 - u**2),
               r"\left(\operatorname{arcoth} u\right)' = \frac{1}{1 - u^{2}}"),
)
