"""The value of a chain line, and what two lines are compared as.

A line may hold pending operations: derivatives (`d/dx`, `\\frac{d}{dx}`), limits,
integrals, sums and products. Their value is SymPy's `doit`, within the time limit, which
counts this process's CPU time: a busy machine stretches the wall time several times over,
and a verdict must not depend on it (a sum that takes 0.8 s idle took over 2 s of wall time
at load 20 and came out undecided). An
operation SymPy leaves unevaluated (a limit it cannot take) leaves the step undecided, never
passed. A step where either side holds an indefinite integral is an equality up to a
constant: both sides are differentiated with respect to the integration variable (d/dx of
∫f dx is f, exactly) and those are compared.
"""

from __future__ import annotations

import sympy

PENDING = (sympy.Derivative, sympy.Limit, sympy.Integral, sympy.Sum, sympy.Product, sympy.Subs)
# what derive's own differentiation does not take, and SymPy may leave unevaluated
_UNEVALUATED = (sympy.Limit, sympy.Integral, sympy.Sum, sympy.Product)


def value(expr: sympy.Expr, line: int, timeout: float) -> sympy.Expr | str:
    """The plain value of `expr` (pending operations taken), or why there is none."""
    from derive.timeout import attempt

    if not expr.has(*PENDING):
        return expr
    # by derive's rules when derivatives are all there is to take (fast, no detour through
    # log(base)); limits, sums and integrals by SymPy's doit
    if expr.has(*_UNEVALUATED):
        outcome = attempt(lambda: expr.doit(), timeout, cpu=True)
    else:
        from derive.check.differentiate import value_of

        outcome = attempt(lambda: value_of(expr), timeout, cpu=True)
    if outcome.timed_out:
        return f"evaluating line {line} did not finish in {timeout:g} s of CPU time"
    if outcome.value is None:
        return f"evaluating line {line} failed: {outcome.error}"
    result = outcome.value
    # `has` answers for the common case (nothing left) at a fraction of a traversal's cost;
    # the traversal then names the first operation left, in reading order
    if result.has(*_UNEVALUATED):
        left = next(node for node in sympy.preorder_traversal(result)
                    if isinstance(node, _UNEVALUATED))
        return f"SymPy cannot evaluate {left} (line {line})"
    return result


def indefinite_variable(*exprs: sympy.Expr | None) -> sympy.Symbol | None:
    """The variable of an indefinite integral in any of `exprs`, if there is one."""
    for expr in exprs:
        if expr is None or not expr.has(sympy.Integral):  # `has` is far cheaper than a traversal
            continue
        for node in sympy.preorder_traversal(expr):
            if isinstance(node, sympy.Integral) and any(len(limit) == 1 for limit in node.limits):
                return next(limit[0] for limit in node.limits if len(limit) == 1)
    return None


def up_to_a_constant(expr: sympy.Expr, variable: sympy.Symbol) -> sympy.Expr:
    """What an indefinite-integral step compares: the derivative of one side."""
    return sympy.diff(expr, variable)
