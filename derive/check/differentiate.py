"""Differentiation by the textbook rules, and the same with one rule replaced by a classic mistake.

`derivative` takes `d/dx EXPR` for `derive check`: the sum, product, quotient, power and
chain rules over the expression tree, each elementary function's derivative from SymPy's
own table (`fdiff`), and `sympy.diff` for anything else. It gives what `sympy.diff` gives,
without the detour SymPy's power rule takes through log(base) (for a constant exponent
that log is multiplied by 0, yet building it costs ~10 ms on 1/(1 + e^{-kx})).

`mistaken_derivatives` walks the same tree and, at one node at a time, replaces the rule
by a mistaken variant (`Slip`): the derivative a student gets who makes exactly that one
mistake. Nothing here decides anything: `derive.check.diagnosis` proves, with
`derive.verify`, which of these candidates equals a step that failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy
from sympy import Expr

# The mistake classes, in the order a diagnosis names them when several reproduce a step.
SIGN = "sign error"
INNER = "chain rule: inner derivative left out"
QUOTIENT = "quotient rule: numerator reversed"
POWER = "power rule off by one"
PRODUCT = "product rule: term dropped"
WRONG_FUNCTION = "derivative of the wrong function"
KINDS = (INNER, QUOTIENT, POWER, PRODUCT, WRONG_FUNCTION, SIGN)

# Candidates kept per node at most: a budget by size, so a long expression cannot make a
# failing step's diagnosis slow (those from the deepest nodes are kept first).
MAX_CANDIDATES = 400



@dataclass(frozen=True)
class Slip:
    """One rule applied the mistaken way at one node: d/dx `node` taken as `wrong`."""

    kind: str
    node: Expr  # the sub-expression differentiated the mistaken way
    right: Expr  # its derivative by the rule
    wrong: Expr  # what the mistaken rule gives for it
    # what the slip is about: for a product, the factor whose term was dropped; for the
    # wrong function, the function whose derivative was taken (cos(u) for sin(u))
    about: Expr | None = None
    # the rule's parts where the wording needs them: (u, v) of a quotient, the inner
    # function of a chain, the exponent a power rule used
    parts: tuple[Expr, ...] = ()


@dataclass(frozen=True)
class Mistaken:
    derivative: Expr  # of the whole expression, with the one slip in it
    slip: Slip


def derivative(expr: Expr, x: sympy.Symbol) -> Expr:
    """d/dx expr by the rules (the same value as sympy.diff)."""
    return _Walk(x, mistakes=False).node(expr)[0]


def mistaken_derivatives(expr: Expr, x: sympy.Symbol) -> tuple[Expr, list[Mistaken]]:
    """(the derivative, every derivative with exactly one slip), the slips in tree order."""
    right, candidates = _Walk(x, mistakes=True).node(expr)
    return right, [Mistaken(value, slip) for value, slip in candidates]


def value_of(expr: Expr) -> Expr:
    """expr with every pending derivative taken (innermost first), by `derivative`."""
    if not expr.has(sympy.Derivative):
        return expr
    if isinstance(expr, sympy.Subs):  # f'(2): the derivative, then the point
        return value_of(expr.expr).subs(dict(zip(expr.variables, expr.point, strict=True)))
    if isinstance(expr, sympy.Derivative):
        value = value_of(expr.expr)
        for variable, count in expr.variable_count:
            if not isinstance(variable, sympy.Symbol) or not count.is_Integer:
                return sympy.Derivative(value, *expr.variable_count).doit()
            for _ in range(int(count)):
                value = derivative(value, variable)
        return value
    return expr.func(*(value_of(arg) for arg in expr.args))


# -- the rules ------------------------------------------------------------------------

Candidates = list[tuple[Expr, Slip]]


def _replacing(terms: list[Expr], i: int, factor: Expr) -> Callable[[Expr], Expr]:
    """The sum of `terms` with term i replaced by factor·(a wrong derivative)."""
    def rebuild(wrong: Expr) -> Expr:
        return sympy.Add(*terms[:i], factor * wrong, *terms[i + 1:])

    return rebuild


def _generic_chain(expr: Expr) -> bool:
    """A function of one argument whose derivative SymPy takes as f'(u)·u' (fdiff): the
    elementary functions, erf, Heaviside; not Abs or sign, which SymPy treats apart."""
    return (isinstance(expr, sympy.Function) and len(expr.args) == 1
            and not isinstance(expr, sympy.core.function.AppliedUndef)
            and type(expr)._eval_derivative is sympy.Function._eval_derivative)


def _has_table_entry(expr: Expr) -> bool:
    try:
        expr.fdiff(1)
    except Exception:  # ArgumentIndexError, or no fdiff written: sympy.diff decides
        return False
    return True


class _Walk:
    def __init__(self, x: sympy.Symbol, *, mistakes: bool) -> None:
        self.x = x
        self.mistakes = mistakes

    def node(self, expr: Expr) -> tuple[Expr, Candidates]:
        x = self.x
        if not expr.has(x):
            return sympy.S.Zero, []
        if expr == x:
            return sympy.S.One, []
        if expr.is_Add:
            right, candidates = self.add(expr)
        elif expr.is_Mul:
            right, candidates = self.mul(expr)
        elif expr.is_Pow:
            right, candidates = self.power(expr)
        elif _generic_chain(expr) and _has_table_entry(expr):
            right, candidates = self.chain(expr)
        elif isinstance(expr, sympy.Piecewise):
            right, candidates = self.piecewise(expr)
        else:
            right, candidates = sympy.diff(expr, x), []
        if self.mistakes and right != 0:
            candidates.append((-right, Slip(SIGN, expr, right, -right)))
        # a "mistake" that changes nothing (the inner derivative of x + 1 left out) is none
        return right, [pair for pair in candidates
                       if pair[1].wrong != pair[1].right][:MAX_CANDIDATES]

    def _inside(self, part: Candidates, rebuild: Callable[[Expr], Expr]) -> Candidates:
        """A part's candidates, carried through the rule that combines the parts."""
        return [(rebuild(wrong), slip) for wrong, slip in part] if self.mistakes else []

    def add(self, expr: Expr) -> tuple[Expr, Candidates]:
        parts = [self.node(arg) for arg in expr.args]
        rights = [right for right, _ in parts]
        candidates: Candidates = []
        for i, (_, part) in enumerate(parts):
            candidates += self._inside(part, _replacing(rights, i, sympy.S.One))
        return sympy.Add(*rights), candidates

    def mul(self, expr: Expr) -> tuple[Expr, Candidates]:
        x = self.x
        below = [arg for arg in expr.args
                 if arg.is_Pow and arg.exp.is_number and arg.exp.is_negative and arg.base.has(x)]
        if not below:
            return self.product(list(expr.args))
        above = [arg for arg in expr.args if arg not in below]
        right, candidates = self.quotient(sympy.Mul(*above),
                                          sympy.Mul(*(arg.base ** -arg.exp for arg in below)))
        if self.mistakes:
            # u/v also read as the product u·v^(-1), as students do (the power rule on
            # 1/(1 + e^{-x}) inside x/(1 + e^{-x})); its own product slip is not a
            # quotient's mistake
            candidates += [pair for pair in self.product(list(expr.args))[1]
                           if pair[1].kind != PRODUCT]
        return right, candidates

    def product(self, factors: list[Expr]) -> tuple[Expr, Candidates]:
        """(f g)' = f' g + f g', over any number of factors."""
        varying = [i for i, factor in enumerate(factors) if factor.has(self.x)]
        others = {i: sympy.Mul(*factors[:i], *factors[i + 1:]) for i in varying}
        parts = {i: self.node(factors[i]) for i in varying}
        terms = [others[i] * parts[i][0] for i in varying]
        candidates: Candidates = []
        for n, i in enumerate(varying):
            candidates += self._inside(parts[i][1], _replacing(terms, n, others[i]))
        right = sympy.Add(*terms)
        if self.mistakes and len(terms) > 1:
            product = sympy.Mul(*factors)
            for n, i in enumerate(varying):
                kept = sympy.Add(*terms[:n], *terms[n + 1:])
                candidates.append((kept, Slip(PRODUCT, product, right, kept, factors[i])))
        return right, candidates

    def quotient(self, above: Expr, below: Expr) -> tuple[Expr, Candidates]:
        """(u/v)' = (u' v - u v')/v²."""
        du, inside_u = self.node(above)
        dv, inside_v = self.node(below)
        square = below ** 2
        right = (du * below - above * dv) / square
        candidates = self._inside(inside_u, lambda wrong: (wrong * below - above * dv) / square)
        candidates += self._inside(inside_v, lambda wrong: (du * below - above * wrong) / square)
        if self.mistakes:
            reversed_ = (above * dv - du * below) / square
            candidates.append((reversed_, Slip(QUOTIENT, above / below, right, reversed_,
                                               parts=(above, below))))
        return right, candidates

    def power(self, expr: Expr) -> tuple[Expr, Candidates]:
        base, exponent = expr.args
        x = self.x
        if exponent.has(x) and base.has(x):  # u^v = e^(v log u)
            du, inside_u = self.node(base)
            dv, inside_v = self.node(exponent)
            log = sympy.log(base)
            right = expr * (dv * log + exponent * du / base)
            candidates = self._inside(inside_u, lambda wrong: expr * (dv * log + exponent * wrong / base))
            candidates += self._inside(inside_v, lambda wrong: expr * (wrong * log + exponent * du / base))
            return right, candidates
        if exponent.has(x):  # a^v: (a^v)' = a^v log(a) v'
            outer = expr * sympy.log(base)
            dv, inside = self.node(exponent)
            candidates = self._inside(inside, lambda wrong: outer * wrong)
            if self.mistakes and exponent != x:
                candidates.append((outer, Slip(INNER, expr, outer * dv, outer,
                                               parts=(exponent,))))
            return outer * dv, candidates
        # u^n: (u^n)' = n u^(n-1) u'
        outer = exponent * base ** (exponent - 1)
        du, inside = self.node(base)
        right = outer * du
        candidates = self._inside(inside, lambda wrong: outer * wrong)
        if self.mistakes:
            for lowered in (exponent, exponent - 2):
                wrong = exponent * base ** lowered * du
                candidates.append((wrong, Slip(POWER, expr, right, wrong, parts=(lowered,))))
            if base != x:
                candidates.append((outer, Slip(INNER, expr, right, outer, parts=(base,))))
            if exponent.is_number and exponent.is_negative:
                # 1/v^m by the quotient rule, numerator reversed: (1·(v^m)' - 0)/v^2m
                candidates.append((-right, Slip(QUOTIENT, expr, right, -right,
                                                parts=(sympy.S.One, base ** -exponent))))
        return right, candidates

    def piecewise(self, expr: Expr) -> tuple[Expr, Candidates]:
        """Piece by piece, on the same conditions (what SymPy's own derivative of a
        Piecewise is): a mistake inside one piece (SELU's scale·x) is a candidate too."""
        parts = [(self.node(piece), condition) for piece, condition in expr.args]
        rights = [(right, condition) for (right, _), condition in parts]
        candidates: Candidates = []
        for i, ((_, inside), condition) in enumerate(parts):
            def rebuild(wrong: Expr, i: int = i, condition: sympy.Basic = condition) -> Expr:
                return sympy.Piecewise(*rights[:i], (wrong, condition), *rights[i + 1:])

            candidates += self._inside(inside, rebuild)
        return sympy.Piecewise(*rights), candidates

    def chain(self, expr: Expr) -> tuple[Expr, Candidates]:
        """f(u)' = f'(u) u', f' from SymPy's table of derivatives."""
        inner = expr.args[0]
        outer = expr.fdiff(1)
        du, inside = self.node(inner)
        right = outer * du
        candidates = self._inside(inside, lambda wrong: outer * wrong)
        if self.mistakes:
            if inner != self.x:
                candidates.append((outer, Slip(INNER, expr, right, outer, parts=(inner,))))
            for wrong_outer, other in wrong_outer_derivatives(expr.func, inner):
                wrong = wrong_outer * du
                candidates.append((wrong, Slip(WRONG_FUNCTION, expr, right, wrong, other)))
        return right, candidates


# -- the table of derivatives, misread ---------------------------------------------------

def _confusions() -> dict[type, tuple[type, ...]]:
    """Functions whose derivative is easily taken for another's (sin for cos, tan for sec)."""
    s = sympy
    pairs = {
        s.sin: (s.cos,), s.cos: (s.sin,), s.tan: (s.cot, s.sec), s.cot: (s.tan, s.csc),
        s.sec: (s.tan, s.csc), s.csc: (s.cot, s.sec), s.sinh: (s.cosh,), s.cosh: (s.sinh,),
        s.tanh: (s.coth, s.sech), s.coth: (s.tanh, s.csch), s.sech: (s.tanh, s.csch),
        s.csch: (s.coth, s.sech), s.asin: (s.acos,), s.acos: (s.asin,), s.atan: (s.acot,),
        s.acot: (s.atan,), s.asinh: (s.acosh,), s.acosh: (s.asinh,),
    }
    return pairs


def _misremembered(function: type, u: Expr) -> tuple[Expr, ...]:
    """Table entries students write that are the derivative of no function nearby:
    a dropped sign, a dropped square, 1 - tanh² written -tanh² or 1 + tanh²."""
    s = sympy
    table: dict[type, tuple[Expr, ...]] = {
        s.sin: (-s.cos(u),),
        s.cos: (s.sin(u),),
        s.tan: (s.sec(u), 1 - s.tan(u) ** 2),
        s.sec: (s.sec(u) ** 2, s.tan(u) ** 2),
        s.sinh: (-s.cosh(u),),
        s.cosh: (-s.sinh(u),),
        s.tanh: (-s.tanh(u) ** 2, 1 + s.tanh(u) ** 2, s.sech(u)),
        s.atan: (1 / (1 - u ** 2),),
        s.exp: (u * s.exp(u - 1),),  # the power rule applied to e^u
    }
    return table.get(function, ())


def wrong_outer_derivatives(function: type, u: Expr) -> list[tuple[Expr, Expr | None]]:
    """(a wrong f'(u), the function it is the derivative of, if any) for f applied to u."""
    found: list[tuple[Expr, Expr | None]] = []
    for other in _confusions().get(function, ()):
        found.append((other(u).fdiff(1), other(u)))
    found += [(entry, None) for entry in _misremembered(function, u)]
    return found
