"""The cheap exact stage: is left − right zero as a rational function of its "generators"?

Every node that is not built from numbers by +, ×, ÷ and integer powers (a symbol, e^{kx},
x^{1/2}, sin x, |x|, ...) becomes an independent indeterminate, and each side becomes a
quotient of two polynomials over ℤ. The sides are equal as rational functions exactly
when N_L·D_R − N_R·D_L is the zero polynomial.

Why this is sound: an identity between rational functions in independent indeterminates
holds for every value of them at which both sides are defined, in particular for the
values the generators really take. Relations between generators that are not captured
(sin² + cos² = 1, say) only make the stage *miss* an identity, never invent one. Two
relations are captured because they are always true, with no branch or sign condition:
  * powers of one base share a root: b^{c·m} = (b^{m/Q})^{cQ} when cQ is an integer, and
    b^{m₁+m₂} = b^{m₁}·b^{m₂} (principal powers: b^e = exp(e·Log b)); e^{−x} and e^{x}
    are then t^{−1} and t for a single t = e^{x}.
  * the imaginary unit: polynomials are reduced modulo i² + 1, its minimal polynomial.
No gcd is ever computed, which is what makes this faster than `sympy.cancel`.

The stage counts its work, the monomial products it does, and gives up past
`derive.verify.budget.EXACT_WORK` (Unsupported: "beyond the size budget"), so whether it
decides depends on the claim alone, never on the clock.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from functools import lru_cache
from math import lcm

import sympy
from sympy.polys.rings import PolyElement, PolyRing

from derive.verify.budget import EXACT_WORK

# Past this an integer power is better left to the slower stages (and their time limit).
MAX_POWER = 64


class Unsupported(Exception):
    """The expression holds something this stage cannot treat exactly (a float, ∞, 0⁻¹)."""


@lru_cache(maxsize=32)
def _ring(size: int) -> PolyRing:
    # Rings are cached by size: indeterminate names carry no meaning, their index does.
    # Over ℤ: a rational constant p/q is carried as numerator p over denominator q, which
    # keeps every coefficient a Python int (several times faster than ℚ without gmpy2).
    return PolyRing([f"g{i}" for i in range(max(size, 1))], sympy.ZZ, "lex")


@lru_cache(maxsize=1024)
def _constant(ring: PolyRing, value: int) -> PolyElement:
    # A constant of a ring, built once: converting an int to the ring's coefficients costs
    # several microseconds, and the same few constants (1, -1, 2) occur in every claim. Ring
    # elements are never changed in place here (every operation builds a new one), so one
    # can be shared, as ring.one is.
    return ring(value)


def _power_terms(expr: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr] | None:
    """(base, exponent) for a power whose exponent is not an integer, e^x included."""
    if isinstance(expr, sympy.exp):
        return sympy.E, expr.args[0]
    if expr is sympy.E:
        return sympy.E, sympy.S.One
    if expr.is_Pow and not expr.exp.is_Integer:
        return expr.base, expr.exp
    return None


def _split_exponent(exponent: sympy.Expr) -> Iterator[tuple[sympy.Rational, sympy.Expr]]:
    """b^(c₁m₁ + c₂m₂ + …) = Π (b^{m_k})^{c_k}, with rational c_k."""
    for term in sympy.Add.make_args(exponent):
        coeff, rest = term.as_coeff_Mul(rational=True)
        yield coeff, rest


class _Forms:
    def __init__(self, exprs: tuple[sympy.Expr, ...], deadline: float) -> None:
        self.deadline = deadline  # a runaway bound only: the work budget decides
        self.work = 0  # monomial products done so far
        self.atoms: dict[sympy.Basic, int] = {}  # generator key -> index
        self.denominators: dict[tuple[sympy.Basic, sympy.Basic], int] = {}  # (b, m) -> Q
        seen: set[sympy.Basic] = set()
        for expr in exprs:
            self._scan(expr, seen)
        self.ring = _ring(len(self.atoms))
        self.gens = self.ring.gens
        self.one = self.ring.one
        self.i_index = self.atoms.get(sympy.I)
        self.memo: dict[sympy.Basic, tuple[PolyElement, PolyElement]] = {}

    def generators(self) -> list[sympy.Expr]:
        """The expression each indeterminate stands for, in index order."""
        gens: list[sympy.Expr] = [sympy.S.Zero] * len(self.atoms)
        for key, index in self.atoms.items():
            if isinstance(key, tuple):
                base, rest = key
                gens[index] = sympy.Pow(base, rest / self.denominators[key])
            else:
                gens[index] = key
        return gens or [sympy.S.Zero]

    # -- pass 1: which generators, and which common root for each power base
    def _scan(self, expr: sympy.Basic, seen: set[sympy.Basic]) -> None:
        if expr in seen:
            return
        seen.add(expr)
        if expr.is_Rational:
            return
        # nan, oo and -oo are Numbers; zoo is not, and no other node equals it (an `in` over
        # the four singletons compared every node with each, by SymPy's ==)
        if expr.is_Number or expr is sympy.zoo:
            raise Unsupported(f"inexact or infinite number {expr}")
        if expr.is_Add or expr.is_Mul:
            for arg in expr.args:
                self._scan(arg, seen)
            return
        if expr.is_Pow and expr.exp.is_Integer:
            if abs(expr.exp) > MAX_POWER:
                raise Unsupported("power too large")
            self._scan(expr.base, seen)
            return
        power = _power_terms(expr)
        if power is not None:
            base, exponent = power
            for coeff, rest in _split_exponent(exponent):
                key = (base, rest)
                self.denominators[key] = lcm(self.denominators.get(key, 1), int(coeff.q))
                self.atoms.setdefault(key, len(self.atoms))
            return
        self.atoms.setdefault(expr, len(self.atoms))

    # -- pass 2: numerator and denominator polynomials
    def mul(self, a: PolyElement, b: PolyElement) -> PolyElement:
        """a·b, counted against the work budget before it is done."""
        # the identity and length tests first: comparing polynomials is slower than the rest
        # of a small product
        one = self.one
        if a is one or (len(a) == 1 and a == one):
            return b
        if b is one or (len(b) == 1 and b == one):
            return a
        self.work += len(a) * len(b)
        if self.work > EXACT_WORK:
            raise Unsupported("beyond the exact stage's size budget")
        return a * b

    def power(self, a: PolyElement, k: int) -> PolyElement:
        if len(a) == 1:
            return a**k  # a monomial stays one term
        result = a
        for _ in range(k - 1):  # k ≤ MAX_POWER; repeated products keep the count honest
            result = self.mul(result, a)
        return result if k else self.one

    def form(self, expr: sympy.Basic) -> tuple[PolyElement, PolyElement]:
        cached = self.memo.get(expr)
        if cached is not None:
            return cached
        if time.process_time() > self.deadline:
            raise TimeoutError("the exact stage ran out of time")
        result = self._form(expr)
        self.memo[expr] = result
        return result

    def _form(self, expr: sympy.Basic) -> tuple[PolyElement, PolyElement]:
        ring, one = self.ring, self.one
        if expr.is_Rational:
            return _constant(ring, int(expr.p)), _constant(ring, int(expr.q))
        if expr.is_Add:
            num, den = ring.zero, one
            for arg in expr.args:
                n, d = self.form(arg)
                if d is den or d == den:
                    num = num + n
                else:
                    num, den = self.mul(num, d) + self.mul(n, den), self.mul(den, d)
            return num, den
        if expr.is_Mul:
            num, den = one, one
            for arg in expr.args:
                n, d = self.form(arg)
                num, den = self.mul(num, n), self.mul(den, d)
            return num, den
        if expr.is_Pow and expr.exp.is_Integer:
            n, d = self.form(expr.base)
            k = int(expr.exp)
            if k >= 0:
                return self.power(n, k), self.power(d, k)
            if self.reduce(n) == ring.zero:
                raise Unsupported("division by zero")
            return self.power(d, -k), self.power(n, -k)
        power = _power_terms(expr)
        if power is not None:
            base, exponent = power
            num, den = one, one
            for coeff, rest in _split_exponent(exponent):
                key = (base, rest)
                k = int(coeff * self.denominators[key])  # an integer by the choice of Q
                gen = self.gens[self.atoms[key]]
                if k >= 0:
                    num = self.mul(num, gen**k)  # a monomial: one term
                else:
                    den = self.mul(den, gen**-k)
            return num, den
        return self.gens[self.atoms[expr]], one

    def reduce(self, poly: PolyElement) -> PolyElement:
        """Reduce modulo i² + 1 when the imaginary unit is one of the generators."""
        k = self.i_index
        if k is None:
            return poly
        terms: dict[tuple[int, ...], object] = {}
        for monom, coeff in poly.items():
            e = monom[k]
            sign = -1 if (e // 2) % 2 else 1
            reduced = (*monom[:k], e % 2, *monom[k + 1:])
            terms[reduced] = terms.get(reduced, 0) + sign * coeff
        return self.ring.from_dict({m: c for m, c in terms.items() if c})


def equal_as_rational_functions(left: sympy.Expr, right: sympy.Expr, *,
                                deadline: float = float("inf")) -> bool:
    """True when left − right is the zero rational function of the generators.

    False means "not shown" (never "different"); raises Unsupported for floats, ∞, a zero
    denominator, huge powers or work beyond the size budget, and TimeoutError once
    `deadline` (a time.process_time() value, the runaway bound) has passed.
    """
    forms = _Forms((left, right), deadline)
    nl, dl = forms.form(left)
    nr, dr = forms.form(right)
    return bool(forms.reduce(forms.mul(nl, dr) - forms.mul(nr, dl)) == forms.ring.zero)


MAX_TERMS = 400  # a reduced difference longer than this is not worth evaluating


def difference_numerator(left: sympy.Expr, right: sympy.Expr, *,
                         deadline: float = float("inf")) -> sympy.Expr | None:
    """left − right as (N_L·D_R − N_R·D_L)/(D_L·D_R), written back in the generators: 0
    exactly when the sides are equal as rational functions; otherwise an expression equal to
    left − right wherever both sides are defined (every denominator is finite and nonzero
    there), with every exact cancellation already done. None when it has more than MAX_TERMS terms (0 is never
    None). Raises like `equal_as_rational_functions`."""
    forms = _Forms((left, right), deadline)
    nl, dl = forms.form(left)
    nr, dr = forms.form(right)
    numerator = forms.reduce(forms.mul(nl, dr) - forms.mul(nr, dl))
    if numerator == forms.ring.zero:
        return sympy.S.Zero
    if len(numerator) > MAX_TERMS:
        return None
    gens = forms.generators()
    return numerator.as_expr(*gens) / forms.mul(dl, dr).as_expr(*gens)
