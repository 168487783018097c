"""Algebraic moves after differentiating: rewrite f' in terms of f, as a teacher would.

The reciprocal strategy covers f = 1/D whose derivative reduces to N/D² with N = D − a
for a constant a (the sigmoid: e^{-x} = (1 + e^{-x}) − 1). It adds and subtracts a,
splits the fraction, factors out 1/D and swaps f back in: f' = f·(1 − a·f).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from derive.engine.forms import add, frac, mul, power, sub
from derive.engine.rules import Tex, split_quotient
from derive.model import Definition, Step

F = sympy.Symbol("f")


@dataclass(frozen=True)
class Rewrite:
    steps: tuple[Step, ...]
    closing: str  # the backpropagation moral
    in_terms_of_f: sympy.Expr  # the last step's form, with the symbol f for f's value


def rewrite_in_terms_of_f(definition: Definition, reduced: sympy.Expr, *, name: str,
                          tex: Tex) -> Rewrite | None:
    """Steps that turn the reduced derivative into a form in f, or None where none exists.

    The reciprocal strategy shows the teacher's moves; otherwise the general search of
    derive.analysis.in_terms_of_f (solve y = f(x) for a piece of f', fit, verify) gives one step.
    """
    if value_symbol_taken(definition):
        return None
    found = _reciprocal(definition, reduced, name=name, tex=tex)
    if found is not None:
        return found
    # The search has its own size budget (derive.analysis.in_terms_of_f), which stops it at
    # the same place on every machine; the view says when it did.
    return _searched(definition, name=name, tex=tex)


def value_symbol_taken(definition: Definition) -> bool:
    """Whether f has a symbol named f (a frequency, say). A form in terms of f writes the
    symbol f for f's value (derive's JSON says so), and could not then be read back."""
    return any(s.name == F.name for s in definition.body.free_symbols)


def _searched(definition: Definition, *, name: str, tex: Tex) -> Rewrite | None:
    from derive.analysis.in_terms_of_f import express_in_terms_of_f

    f, x = definition.body, definition.variable
    result = express_in_terms_of_f(f, x, sympy.diff(f, x))
    if result is None or not result.verdict.ok:
        return None
    symbol = definition.applied()
    form = result.expr.xreplace({F: symbol})
    fname = tex(symbol)
    step = Step(
        title=f"Write the derivative in terms of ${fname}$", rule="in terms of f",
        explanation=(f"Solving $y = {fname}$ for a piece of the derivative and substituting "
                     f"gives a form that uses ${fname}$ itself."),
        expr=form)
    reused = ", ".join(f"${tex(_reused(r, symbol))}$" for r in result.reuses)
    closing = (f"${definition.latex}'({tex(x)}) = {tex(form)}$ reuses the forward value"
               f"{'s' if len(result.reuses) > 1 else ''} {reused}: the backward pass needs "
               "nothing new that the forward pass did not already compute.")
    return Rewrite((step,), closing, result.expr)


def _reused(name: str, symbol: sympy.Expr) -> sympy.Expr:
    if name == "f":
        return symbol
    if name == "sigma(x)":
        return sympy.Function("sigma")(symbol.args[0])
    return sympy.Symbol(name)


def _reciprocal(definition: Definition, reduced: sympy.Expr, *, name: str,
                tex: Tex) -> Rewrite | None:
    f, x = definition.body, definition.variable
    if not (f.is_Pow and f.exp == -1 and f.base.is_Add):
        return None
    denominator = f.base
    numerator, den = split_quotient(reduced)
    if den != denominator**2:
        return None
    shift = sympy.expand(denominator - numerator)
    if shift.has(x) or shift == 0:
        return None

    held = add(*denominator.args)  # keeps "1 + e^{-x}" in the order it was written
    squared = power(held, 2)
    a = shift
    added = Step(title=f"Add and subtract {tex(a)}", rule="add and subtract",
                 explanation=(f"Adding and subtracting ${tex(a)}$ in the numerator changes "
                              f"nothing, and shows the denominator ${tex(held)}$ there."),
                 expr=frac(sub(held, a), squared))
    split = Step(title="Split into two fractions", rule="split fraction",
                 explanation="A fraction whose numerator is a difference splits into two.",
                 expr=sub(frac(held, squared), frac(a, squared)))
    cancelled = Step(title="Cancel", rule="cancel",
                     explanation=f"In the first fraction ${tex(held)}$ cancels once.",
                     expr=sub(frac(1, held), frac(a, squared)))
    factored = mul(frac(1, held), sub(1, frac(a, held)))
    symbol = definition.applied()
    swapped = mul(symbol, sub(1, symbol if a == 1 else mul(a, symbol)))
    fname = tex(symbol)
    split_step = Step(
        title="Split the function into two fractions", rule="split fraction",
        explanation=(f"Add and subtract ${tex(a)}$ in the numerator, split into two fractions, "
                     f"cancel, and factor out $\\frac{{1}}{{{tex(held)}}}$."),
        expr=factored, substeps=(added, split, cancelled))
    who = f"the {name} function" if name.isidentifier() else f"${fname}$"
    swap_step = Step(
        title=f"Swap {who} into the equation", rule="substitute",
        explanation=(f"Since ${fname} = {tex(f)}$, each $\\frac{{1}}{{{tex(held)}}}$ "
                     f"is ${fname}$."),
        expr=swapped)
    closing = (f"${definition.latex}'({tex(x)}) = {tex(swapped)}$ reuses the forward value "
               f"${fname}$: the backward pass needs nothing new to compute, only a "
               "multiplication and a subtraction.")
    in_f = mul(F, sub(1, F if a == 1 else mul(a, F)))
    return Rewrite((split_step, swap_step), closing, in_f)
