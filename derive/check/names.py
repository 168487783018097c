"""Feedback written with the names a document uses: σ(x)(1 − σ(x)), not 1/(1 + e^{−x}) expanded.

The parsers inline a function's body where it is called (`\\sigma(x)` becomes
1/(1 + exp(-x))), which is what the checks need. What derive says back to the author should
use the author's names again. `fold` puts a name back wherever a sub-expression is exactly
that name's body at some argument (a structural match, so unfolding gives the same
expression back); `named_derivative` writes a derivative by a name's lemma (the catalog's
σ' = σ(1 − σ), softplus' = σ) or in terms of the name's own value (tanh' = 1 − tanh²), and
keeps such a form only when derive.verify proves it equal to the derivative.

A `Name` is plain data (a name, its parameter, its body), so chains carry the names in force
where they were written, and a catalog name is known when the text calls it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial

import sympy

# Bodies this large are not matched (a budget by size; feedback is only for failed steps).
MAX_BODY_OPS = 60
# Nor is an expression this large folded (matching costs per node): it is shown as it is.
MAX_FOLD_OPS = 400
_WORD = re.compile(r"[A-Za-z_]\w*")


@dataclass(frozen=True)
class Name:
    name: str  # as the document writes it: sigma, s, f
    parameter: sympy.Symbol
    body: sympy.Expr

    @property
    def head(self) -> sympy.FunctionClass:
        return sympy.Function(self.name)

    def at(self, argument: sympy.Expr) -> sympy.Expr:
        return self.body.xreplace({self.parameter: argument})


def names_in_force(functions: Mapping[str, Callable[..., sympy.Expr]]
                   ) -> tuple[tuple[str, sympy.Symbol, sympy.Expr], ...]:
    """The one-parameter definitions in force (a scope's functions), as the plain tuples a
    chain carries (`Chain.names`). Only attribute look-ups: every chain pays for this,
    while what a name is worth is decided by `defined`, for failed steps only."""
    found = []
    for name, function in functions.items():
        body = vars(function).get("body")
        placeholders = vars(function).get("placeholders")
        if body is not None and placeholders is not None and len(placeholders) == 1:
            found.append((name, placeholders[0], body))
    return tuple(found)


def defined(carried: Iterable[tuple[str, sympy.Symbol, sympy.Expr]]) -> tuple[Name, ...]:
    """The names worth writing back, of those a chain carries."""
    return tuple(Name(name, parameter, body) for name, parameter, body in carried
                 if _foldable(body, parameter))


def called(text: str, known: tuple[Name, ...]) -> tuple[Name, ...]:
    """The names `text` calls: of `known` (the file's definitions), and of derive's catalog
    (`\\sigma`, `softplus`) for a name `known` lacks, which the parsers read from the
    catalog. A name the text does not call is not written into what derive says about it
    (x^3 sin x stays as written, though the file calls it f elsewhere)."""
    from derive.parse import catalog

    words = dict.fromkeys(_WORD.findall(text))
    names = [name for name in known if name.name in words]
    taken = {name.name for name in known}
    for word in words:
        if word in taken or not catalog.is_named(word):
            continue
        entry = catalog.lookup(word)
        if entry.parameters:
            continue
        body, x, _ = entry.build()
        if _foldable(body, x):
            names.append(Name(word, x, body))
            taken.add(word)
    return tuple(names)


def _foldable(body: sympy.Expr, parameter: sympy.Symbol) -> bool:
    """A body worth a name: it depends on its parameter and is more than a letter or one
    elementary call (a name for tanh(x) itself would rename every tanh)."""
    if not body.has(parameter) or body.is_Symbol or body.is_Atom:
        return False
    if isinstance(body, sympy.Function) and body.args == (parameter,) and not body.is_Piecewise:
        return False
    return bool(sympy.count_ops(body) <= MAX_BODY_OPS)


def fold(expr: sympy.Expr, names: tuple[Name, ...]) -> sympy.Expr:
    """`expr` with each sub-expression that is exactly a name's body at an argument written
    as that name applied to it (the largest first). Unfolding gives `expr` back."""
    if not names or sympy.count_ops(expr) > MAX_FOLD_OPS:
        return expr
    patterns = [(name, name.body.xreplace({name.parameter: _U})) for name in names]

    def visit(node: sympy.Basic) -> sympy.Basic:
        if not isinstance(node, sympy.Expr) or node.is_Atom:
            return node
        for name, pattern in patterns:
            if node.func is not pattern.func:
                continue
            match = node.match(pattern)
            argument = match.get(_U) if match else None
            if argument is not None and name.at(argument) == node:
                return name.head(visit(argument))
        args = tuple(visit(arg) for arg in node.args)
        # rebuilt only where a name went in: a rebuilt product is ordered again, and a
        # lemma written σ(x)(1 − σ(x)) would come out (1 − σ(x))σ(x)
        return node if args == node.args else node.func(*args)

    return visit(expr)


_U = sympy.Wild("u")


def unfold(expr: sympy.Expr, names: tuple[Name, ...]) -> sympy.Expr:
    """Every name applied in `expr` replaced by its body (the value derive checks)."""
    for name in names:
        expr = expr.replace(name.head, lambda argument, name=name: name.at(argument))
    return expr


def named_derivative(function: sympy.Expr, x: sympy.Symbol, right: sympy.Expr,
                     names: tuple[Name, ...], *, timeout: float) -> sympy.Expr:
    """d/dx `function` (= `right`) written by the names: a name's lemma or its derivative
    in terms of its own value when `function` is a name at an argument and derive.verify
    proves that form equal to `right`; otherwise `right` folded."""
    folded = fold(right, names)
    applied = fold(function, names)
    if not names or not isinstance(applied, sympy.core.function.AppliedUndef):
        return folded
    name = next(n for n in names if n.name == applied.func.__name__)
    argument = applied.args[0]
    inner = sympy.diff(argument, x)
    for form in _forms(name, names):
        candidate = form(argument) if inner == 1 else form(argument) * inner
        if _proved(unfold(candidate, names), right, timeout):
            return candidate
    return folded


def _forms(name: Name, names: tuple[Name, ...]) -> list[Callable[[sympy.Expr], sympy.Expr]]:
    """f'(u) written by names: the catalog's lemma for a body that is a catalog entry's
    (with the document's names for the heads it uses), and f' as a polynomial in f."""
    from derive.parse.catalog import entries

    forms: list[Callable[[sympy.Expr], sympy.Expr]] = []
    for entry in entries():
        if entry.derivative is None or entry.parameters:
            continue
        body, x, _ = entry.build()
        if body.xreplace({x: name.parameter}) != name.body:
            continue
        lemma = entry.derivative(x, {})
        # the lemma's heads (σ) by the document's names for the same bodies
        renames = {}
        for used in lemma.atoms(sympy.core.function.AppliedUndef):
            same = next((n for n in names if n.at(x) == _catalog_body(used.func.__name__, x)),
                        None)
            if same is None:
                break
            if same.head != used.func:
                renames[used.func] = same.head
        else:
            forms.append(partial(_lemma_at, lemma, x, renames))
    polynomial = _in_terms_of_itself(name)
    if polynomial is not None:
        forms.append(polynomial)
    return forms


def _lemma_at(lemma: sympy.Expr, x: sympy.Symbol, renames: dict[sympy.FunctionClass,
              sympy.FunctionClass], u: sympy.Expr) -> sympy.Expr:
    """The lemma at u, with the document's heads, in the order it is written (σ(1 − σ))."""
    return substitute(lemma, {x: u}, renames)


def substitute(expr: sympy.Expr, values: Mapping[sympy.Basic, sympy.Expr],
               heads: Mapping[sympy.FunctionClass, sympy.FunctionClass] | None = None
               ) -> sympy.Expr:
    """xreplace that keeps products in the order written (SymPy's own rebuilds them, and
    σ(x)(1 − σ(x)) would print (1 − σ(x))σ(x)); `heads` renames functions."""
    heads = heads or {}

    def visit(node: sympy.Basic) -> sympy.Basic:
        if node in values:
            return values[node]
        if isinstance(node, sympy.core.function.AppliedUndef) and node.func in heads:
            return heads[node.func](*(visit(arg) for arg in node.args))
        if node.is_Atom:
            return node
        args = tuple(visit(arg) for arg in node.args)
        if args == node.args:
            return node
        if node.is_Mul:  # the printer orders sums itself, not products
            return node.func(*args, evaluate=False)
        return node.func(*args)

    return visit(expr)


def _catalog_body(head: str, x: sympy.Symbol) -> sympy.Expr | None:
    from derive.parse import catalog

    if not catalog.is_named(head):
        return None
    body, variable, _ = catalog.lookup(head).build()
    return body.xreplace({variable: x})


def _in_terms_of_itself(name: Name) -> Callable[[sympy.Expr], sympy.Expr] | None:
    """f' = P(f) with P a polynomial with constant coefficients (σ(1 − σ), 1 − tanh²)."""
    from derive.analysis.in_terms_of_f import F, express_in_terms_of_f

    found = express_in_terms_of_f(name.body, name.parameter)
    if found is None or found.expr.has(name.parameter):
        return None
    expr = found.expr
    if not expr.is_polynomial(F) or not expr.has(F):
        return None
    return lambda u: expr.xreplace({F: name.head(u)})


def _proved(left: sympy.Expr, right: sympy.Expr, timeout: float) -> bool:
    from derive.model import Status
    from derive.verify import check_equal

    return check_equal(left, right, timeout=timeout).status is Status.PROVED
