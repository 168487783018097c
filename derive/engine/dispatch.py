"""Rule choice: which law applies to an expression, dispatched by type through a table.

`rule_for` maps an expression to its rule with no `isinstance` ladder: a key function
looks the expression's type up in `KEYERS` (walking the type's MRO), and the key picks the
rule from `RULES`. An expression no key covers gets the "don't know" rule.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy

from derive.engine import rules
from derive.engine.rules import Application, Rule

Keyer = Callable[[sympy.Expr, sympy.Symbol], str]


def _mul_key(expr: sympy.Expr, x: sympy.Symbol) -> str:
    const, _ = expr.as_independent(x, as_Add=False)
    if const != 1:
        return "constant multiple"
    _, den = rules.split_quotient(expr)
    return "quotient" if den.has(x) else "product"


def _pow_key(expr: sympy.Expr, x: sympy.Symbol) -> str:
    base, exponent = expr.as_base_exp()
    if not exponent.has(x):
        # 1/g with g a sum: the quotient rule when it is the whole function, as a teacher does
        # for 1/(1 + e^{-x}) (apply_rule's `whole`); inside a larger expression, 1/g goes by
        # the reciprocal rule and g^{-n} by the power rule with the chain rule.
        if exponent.is_negative and base.is_Add:
            return "reciprocal" if exponent == -1 else "power"
        return "power"
    if base == sympy.E:
        return "exp"
    if not base.has(x):
        return "exponential"
    return "general power"


def _function_key(expr: sympy.Expr, x: sympy.Symbol) -> str:
    name = type(expr).__name__
    if len(expr.args) != 1:
        return "unknown"
    if name in RULES:
        return name
    from derive.parse.catalog import entry_of_head

    # A catalog function written by name (σ(u), ReLU(u)): its walkthrough's lemma.
    return "lemma" if entry_of_head(name) is not None else "unknown"


def _sum_reciprocal(expr: sympy.Expr, x: sympy.Symbol) -> bool:
    """g^{-n} for a sum g depending on x: a fraction c/g^n as the reader sees it."""
    base, exponent = expr.as_base_exp()
    return bool(base.is_Add and base.has(x) and exponent.is_negative and not exponent.has(x))


KEYERS: dict[type, Keyer] = {
    sympy.Add: lambda e, x: "sum",
    sympy.Mul: _mul_key,
    sympy.Pow: _pow_key,
    sympy.Piecewise: lambda e, x: "piecewise",
    sympy.Max: lambda e, x: "piecewise",
    sympy.Min: lambda e, x: "piecewise",
    sympy.Abs: lambda e, x: "abs",
    sympy.sign: lambda e, x: "sign",
    sympy.Heaviside: lambda e, x: "heaviside",  # H(u) holds H(0) = 1/2 as a second argument
    sympy.Function: _function_key,
}

RULES: dict[str, Rule] = {
    "constant": rules.ConstantRule(),
    "variable": rules.VariableRule(),
    "sum": rules.SumRule(),
    "constant multiple": rules.ConstantMultipleRule(),
    "product": rules.ProductRule(),
    "quotient": rules.QuotientRule(),
    "reciprocal": rules.ReciprocalRule(),
    "power": rules.PowerRule(),
    "exponential": rules.ExponentialRule(),
    "general power": rules.GeneralPowerRule(),
    "abs": rules.AbsRule(),
    "lemma": rules.LemmaRule(),
    "piecewise": rules.PiecewiseRule(),
    "sign": rules.StepFunctionRule("sign"),
    "heaviside": rules.StepFunctionRule("heaviside"),
    "unknown": rules.DontKnowRule(),
    **{data.name: rules.ElementaryRule(data) for data in rules.ELEMENTARY},
}


def rule_key(expr: sympy.Expr, x: sympy.Symbol) -> str:
    if not expr.has(x):
        return "constant"
    if expr == x:
        return "variable"
    for cls in type(expr).__mro__:
        keyer = KEYERS.get(cls)
        if keyer is not None:
            return keyer(expr, x)
    return "unknown"


def apply_rule(expr: sympy.Expr, x: sympy.Symbol, *, whole: bool = False) -> Application:
    """The first move a teacher makes on d/dx expr. `whole`: expr is the whole function (or
    a constant times it), where c/g with g a sum keeps the quotient rule, as in the seed."""
    key = rule_key(expr, x)
    if whole and key in ("reciprocal", "power") and _sum_reciprocal(expr, x):
        key = "quotient"
    if key == "exp":
        key = "exp"  # E**u is SymPy's exp(u); both go to the exp rule
        expr = sympy.exp(expr.as_base_exp()[1])
    return RULES[key].apply(expr, x)
