"""Algebraic moves after differentiating: rewrite f' in terms of f, as a teacher would.

The reciprocal strategy covers f = 1/D whose derivative reduces to N/D² with N = D − a
for a constant a (the sigmoid: e^{-x} = (1 + e^{-x}) − 1). It adds and subtracts a,
splits the fraction, factors out 1/D and swaps f back in: f' = f·(1 − a·f).
"""

from __future__ import annotations

import sympy

from derive.forms import add, frac, mul, power, sub
from derive.model import Definition, Step
from derive.rules import Tex, split_quotient


def rewrite_in_terms_of_f(definition: Definition, reduced: sympy.Expr, *, name: str,
                          tex: Tex) -> tuple[list[Step], str]:
    """Steps that turn the reduced derivative into a form in f, and the closing moral."""
    return _reciprocal(definition, reduced, name=name, tex=tex)


def _reciprocal(definition: Definition, reduced: sympy.Expr, *, name: str,
                tex: Tex) -> tuple[list[Step], str]:
    f, x = definition.body, definition.variable
    if not (f.is_Pow and f.exp == -1 and f.base.is_Add):
        return [], ""
    denominator = f.base
    numerator, den = split_quotient(reduced)
    if den != denominator**2:
        return [], ""
    shift = sympy.expand(denominator - numerator)
    if shift.has(x) or shift == 0:
        return [], ""

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
    closing = (f"${definition.latex}'({tex(x)}) = {tex(swapped)}$ reuses the forward value ${fname}$: the backward "
               "pass needs nothing new to compute, only a multiplication and a subtraction.")
    return [split_step, swap_step], closing
