"""Named functions a reader recognises in a derivative, as lemmas: σ(u) = 1/(1 + e^{−u}).

Softplus' is e^x/(1 + e^x), which every ML student knows as σ(x); mish' has the same factor.
`recognise` writes such a piece as the named function, and the walkthrough shows it as a step
of its own, verified like every other (the lemma's definition is how the verifier reads σ).
"""

from __future__ import annotations

import sympy

from derive.model import Definition

_U = sympy.Dummy("u", real=True)

SIGMA = Definition("sigma", r"\sigma", sympy.Function("sigma"), _U, 1 / (1 + sympy.exp(-_U)))
LEMMAS: tuple[Definition, ...] = (SIGMA,)


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
