"""Size budgets: what each stage of `check_equal` is given is decided by the claim alone.

A verdict must not depend on how busy the machine is, so no stage is given a share of the
time limit. Each stage is instead given a claim only when the claim is within that stage's
size budget, measured on the expressions themselves (nodes, operations, an upper bound on
the terms `expand` would make), and the stages that loop count their own work (the exact
stage its monomial products, the probe its points and bits). The same claim therefore meets
the same stages, which do the same work and reach the same verdict, idle or loaded. The
clock (`--timeout`, for the whole check) only stops runaway work, and when it does the
verdict says so in words.

The budgets are far above what the soundness corpus and the catalog need (measured in
bench/bench_verify.py's census): they exist to keep a huge claim from being ground on.
"""

from __future__ import annotations

from math import prod

import sympy

__all__ = [
    "EXACT_WORK",
    "EXPAND_TERMS",
    "LAW_NODES",
    "REWRITE_NODES",
    "SIMPLIFY_OPS",
    "SIMPLIFY_PIECES",
    "expanded_terms",
    "nodes",
    "pieces",
]

# Monomial products the exact stage (derive.verify.rational) may do for one comparison:
# the corpus and the catalog need at most about a thousand.
EXACT_WORK = 200_000
# Nodes of a side that rewrite(exp), the laws and sqrtdenest are given at most.
REWRITE_NODES = 600
LAW_NODES = 600
# An upper bound on the terms expand would make of the difference (or of a side squared).
EXPAND_TERMS = 3000
# Operations (count_ops) of the difference simplify is given at most: the right steps only
# simplify proves need at most 40 (sin(x + y) = sin x cos y + cos x sin y, the asin chain).
SIMPLIFY_OPS = 80
# Piecewise pieces (Min, Max, Abs, Piecewise, Heaviside, sign) in the difference simplify is
# given at most. count_ops does not see their cost: simplify rewrites them to Piecewise and
# then simplifies every condition as a boolean formula (Huber's min(|x - y|, 1) ran for more
# than 2 s of CPU per step, with 4 to 20 pieces). No right step of the corpus needs more
# than 2 (sign(x - y) = (x - y)/|x - y|): one-variable pieces are proved interval by interval
# (derive.verify.cases), and a larger claim in several variables stays numeric.
SIMPLIFY_PIECES = 2
_PIECES = (sympy.Min, sympy.Max, sympy.Abs, sympy.Piecewise, sympy.Heaviside, sympy.sign)

_BIG = 10**9  # estimates are capped here: beyond every budget, and cheap to compare


def nodes(*exprs: sympy.Basic) -> int:
    """How many nodes the expressions' trees have together (shared subtrees counted again)."""
    return sum(sum(1 for _ in sympy.preorder_traversal(e)) for e in exprs)


def pieces(expr: sympy.Basic) -> int:
    """How many piecewise-defined nodes (Min, Max, Abs, Piecewise, Heaviside, sign) expr holds."""
    return sum(1 for node in sympy.preorder_traversal(expr) if isinstance(node, _PIECES))


def expanded_terms(expr: sympy.Basic) -> int:
    """An upper bound on the number of terms of expand(expr): sums add, products multiply,
    a power (a₁ + … + a_t)^n has at most C(t + n − 1, n) terms; a function's terms are
    those of its arguments (expand reaches inside them, log(ab) = log a + log b)."""
    if expr.is_Atom:
        return 1
    if expr.is_Add:
        return min(_BIG, sum(expanded_terms(a) for a in expr.args))
    if expr.is_Mul:
        return min(_BIG, prod(expanded_terms(a) for a in expr.args))
    if expr.is_Pow:
        base = expanded_terms(expr.base)
        exponent = expr.exp
        if exponent.is_Integer:
            n = abs(int(exponent))
            if base == 1 or n <= 1:
                return base
            return _multisets(base, n)
        return min(_BIG, base * expanded_terms(exponent))
    return min(_BIG, max(1, sum(expanded_terms(a) for a in expr.args)))


def _multisets(t: int, n: int) -> int:
    """C(t + n − 1, n), the monomials of degree n in t variables, capped at _BIG."""
    value = 1
    for k in range(1, n + 1):
        value = value * (t + k - 1) // k  # exact at every step: C(t + k − 1, k)
        if value >= _BIG:
            return _BIG
    return value
