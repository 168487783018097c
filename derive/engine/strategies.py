"""Algebraic moves after differentiating: rewrite f' in terms of f, as a teacher would.

The reciprocal strategy covers f = 1/D whose derivative reduces to N/D² with N = D − a
for a constant a (the sigmoid: e^{-x} = (1 + e^{-x}) − 1). It adds and subtracts a,
splits the fraction, factors out 1/D and swaps f back in: f' = f·(1 − a·f).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from derive.engine.forms import add, frac, mul, power, split_quotient, sub
from derive.model import Definition, Fact, Step

F = sympy.Symbol("f")


@dataclass(frozen=True)
class Rewrite:
    steps: tuple[Step, ...]
    closing: Fact  # the backpropagation moral: the form and the values it reuses
    in_terms_of_f: sympy.Expr  # the last step's form, with the symbol f for f's value
    teaches: bool = False  # the moves a teacher shows (the seed's), not a found form


def rewrite_in_terms_of_f(definition: Definition, reduced: sympy.Expr, *,
                          search: bool = True) -> Rewrite | None:
    """Steps that turn the reduced derivative into a form in f, or None where none exists.

    The reciprocal strategy shows the teacher's moves; otherwise the general search of
    derive.analysis.in_terms_of_f (solve y = f(x) for a piece of f', fit, verify) gives one step.
    """
    if value_symbol_taken(definition):
        return None
    found = _reciprocal(definition, reduced)
    if found is not None:
        return found
    # The search has its own size budget (derive.analysis.in_terms_of_f), which stops it at
    # the same place on every machine; the view says when it did. `search=False` leaves it
    # out (a reader of the steps alone, such as the display lint).
    if not search:
        return None
    return _searched(definition)


def value_symbol_taken(definition: Definition) -> bool:
    """Whether f has a symbol named f (a frequency, say). A form in terms of f writes the
    symbol f for f's value (derive's JSON says so), and could not then be read back."""
    return any(s.name == F.name for s in definition.body.free_symbols)


def _searched(definition: Definition) -> Rewrite | None:
    from derive.analysis.in_terms_of_f import express_in_terms_of_f

    f, x = definition.body, definition.variable
    result = express_in_terms_of_f(f, x, sympy.diff(f, x))
    if result is None or not result.verdict.ok:
        return None
    symbol = definition.applied()
    form = result.expr.xreplace({F: symbol})
    step = Step(rule="in terms of f", expr=form,
                facts=(Fact("in terms of f", (("function", symbol),)),))
    reused = sympy.Tuple(*(_reused(r, symbol) for r in result.reuses))
    closing = Fact("reuse", (("form", form), ("reused", reused)))
    return Rewrite((step,), closing, result.expr)


def _reused(name: str, symbol: sympy.Expr) -> sympy.Expr:
    if name == "f":
        return symbol
    if name == "sigma(x)":
        return sympy.Function("sigma")(symbol.args[0])
    return sympy.Symbol(name)


def _reciprocal(definition: Definition, reduced: sympy.Expr) -> Rewrite | None:
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
    shifted = (("shift", a), ("denominator", held))
    added = Step(rule="add and subtract", expr=frac(sub(held, a), squared),
                 facts=(Fact("add and subtract", shifted),))
    split = Step(rule="split fraction", expr=sub(frac(held, squared), frac(a, squared)),
                 facts=(Fact("split"),))
    cancelled = Step(rule="cancel", expr=sub(frac(1, held), frac(a, squared)),
                     facts=(Fact("cancel", (("denominator", held),)),))
    factored = mul(frac(1, held), sub(1, frac(a, held)))
    symbol = definition.applied()
    swapped = mul(symbol, sub(1, symbol if a == 1 else mul(a, symbol)))
    split_step = Step(rule="split fraction", expr=factored,
                      facts=(Fact("split fraction", shifted),), substeps=(added, split, cancelled))
    swap_step = Step(rule="substitute", expr=swapped,
                     facts=(Fact("substitute", (("function", symbol), ("body", f),
                                                ("denominator", held))),))
    closing = Fact("reuse reciprocal", (("form", swapped), ("reused", sympy.Tuple(symbol))))
    in_f = mul(F, sub(1, F if a == 1 else mul(a, F)))
    return Rewrite((split_step, swap_step), closing, in_f, teaches=True)
