"""Where the numeric probe looks: points derived from the claim itself, never a grid.

A fixed set of short decimals behaves like multiples of 1/20, and sin(20πx) vanishes on all
of them; a fixed range misses H(x − 10⁶) and a bump exp(−10⁸(x − 1/3)²). So the points are:

* *generic*: seeded by a hash of the claim (the same claim gets the same points, so
  documents stay byte-identical), with as many significant digits as the claim's largest
  integer has plus twelve (so no sin(Nπx) written in the claim vanishes on them), both
  signs, magnitudes from about 10⁻⁶ to 10⁸ (half of them between 0.03 and 5, where most
  domains live);
* *beside every critical point*: the real roots of everything where either side can switch,
  blow up, end or peak — kink arguments, denominators, arguments of log, √, asin, …, every
  function's argument and that argument's derivative (the centre of a bump) — at a relative
  distance of 10⁻⁹ and 10⁻⁵ on both sides.

Each symbol's assumptions are respected (a positive symbol gets positive values, an integer
one integers).
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sympy

__all__ = ["Point", "probe_points", "readable_points"]

GENERIC = 20  # generic points per claim
MODERATE = 8  # of which this many lie between about 0.03 and 5 in size
EXTRA_DIGITS = 12  # significant digits beyond the claim's longest integer
MAX_DIGITS = 60
MAX_ROOTS = 16  # critical points looked beside, at most
MAX_DEGREE = 12  # polynomials searched for real roots up to this degree
BESIDE = (sympy.Rational(1, 10**9), sympy.Rational(1, 10**5))


@dataclass(frozen=True)
class Point:
    values: tuple[tuple[sympy.Symbol, str], ...]  # (symbol, exact decimal text)

    def subs(self) -> dict[sympy.Symbol, sympy.Rational]:
        return {s: sympy.Rational(text) for s, text in self.values}


def probe_points(left: sympy.Expr, right: sympy.Expr,
                 symbols: tuple[sympy.Symbol, ...]) -> list[Point]:
    """Generic points first (the first few meet every sign pattern), critical ones after."""
    return list(probe_sequence(left, right, symbols))


def probe_sequence(left: sympy.Expr, right: sympy.Expr,
                   symbols: tuple[sympy.Symbol, ...]) -> Iterator[Point]:
    """probe_points one at a time, in the same order. The critical points (beside every
    kink, pole and domain edge: roots of polynomials, the most costly part) are found only
    when the moderate generic points are all used: a wrong step usually fails at one of
    those, and needs no more."""
    # srepr in argument order: deterministic across processes (SymPy orders Add and Mul
    # arguments canonically, not by hash), and much cheaper than printing in term order
    claim = sorted((sympy.srepr(left, order="none"), sympy.srepr(right, order="none")))
    seed = int.from_bytes(hashlib.sha256("\n".join(claim).encode()).digest()[:8], "big")
    digits = min(MAX_DIGITS, EXTRA_DIGITS + _longest_integer(left, right))
    columns = [_generic(symbol, j, random.Random(seed + j), digits)
               for j, symbol in enumerate(symbols)]
    generic: list[Point] = []
    for i in range(GENERIC):
        values = tuple((s, columns[j][i]) for j, s in enumerate(symbols))
        if all(text is not None for _, text in values):
            generic.append(Point(values))  # type: ignore[arg-type]
        if not symbols:
            yield from generic
            return
    seen: set[Point] = set()
    # moderate generic points, then the critical ones (where disguised differences hide),
    # then the generic points far out and very small
    for point in generic[:MODERATE]:
        if point not in seen:
            seen.add(point)
            yield point
    for point in [*_critical_sequence(left, right, symbols, digits), *generic[MODERATE:]]:
        if point not in seen:
            seen.add(point)
            yield point


def _critical_sequence(left: sympy.Expr, right: sympy.Expr, symbols: tuple[sympy.Symbol, ...],
                       digits: int) -> list[Point]:
    critical: list[Point] = []
    if len(symbols) == 1:
        (x,) = symbols
        roots = sorted(_critical_points(left, right, x, digits))
        candidates = [(a + b) / 2 for a, b in itertools.pairwise(roots)]
        for root in roots:
            for delta in BESIDE:
                step = delta * max(abs(root), sympy.Rational(1, 10**6))
                candidates.extend((root - step, root + step))
        for value in candidates:
            text = _respect(x, _decimal(value, digits + 12))
            if text is not None:
                critical.append(Point(((x, text),)))
    return critical


# Short values, tried only to *report* a counterexample a reader can check by hand, once
# the probe has proved the sides differ somewhere (they never decide a verdict).
READABLE = ("0.5", "1.5", "2", "0.75", "1.25", "2.5", "3", "0.3", "0.8", "4", "1.7", "1.1")
READABLE_INTEGERS = ("2", "1", "3", "4", "5", "2", "7", "3", "6", "1", "8", "5")


def readable_points(symbols: tuple[sympy.Symbol, ...]) -> list[Point]:
    """Column j takes the sizes shifted by 5j, its sign from bit j of the index, so the
    first few points meet every sign pattern of the first symbols."""
    found = []
    for i in range(len(READABLE)):
        values = []
        for j, symbol in enumerate(symbols):
            sizes = READABLE_INTEGERS if symbol.is_integer else READABLE
            size = sizes[(i + 5 * j) % len(sizes)]
            values.append((symbol, _respect(symbol, "-" + size if (i >> (j % 4)) & 1 else size)))
        if all(text is not None for _, text in values):
            found.append(Point(tuple(values)))  # type: ignore[arg-type]
    return found


def _longest_integer(*exprs: sympy.Expr) -> int:
    longest = 1
    for expr in exprs:
        for number in expr.atoms(sympy.Rational):
            longest = max(longest, len(str(abs(number.p))), len(str(number.q)))
    return longest


def _generic(symbol: sympy.Symbol, column: int, rng: random.Random, digits: int
             ) -> list[str | None]:
    values: list[str | None] = []
    for i in range(GENERIC):
        negative = bool((i >> (column % 4)) & 1) if i < 8 else rng.random() < 0.5
        if symbol.is_integer:
            size = rng.randint(1, 12) if i < MODERATE else rng.randint(13, 10**6)
            text = str(size)
        else:
            exponent = rng.uniform(-1.5, 0.7) if i < MODERATE else rng.uniform(-6, 8)
            mantissa = rng.randrange(10**(digits - 1), 10**digits)
            scale = int(exponent // 1) - (digits - 1)
            text = format(Decimal(mantissa).scaleb(scale), "f")
        values.append(_respect(symbol, "-" + text if negative else text))
    return values


def _respect(symbol: sympy.Symbol, text: str) -> str | None:
    """Move a value into the symbol's assumed domain; None when it cannot be placed there."""
    if symbol.is_positive or symbol.is_nonnegative:
        text = text.lstrip("-")
    elif symbol.is_negative or symbol.is_nonpositive:
        text = text if text.startswith("-") else "-" + text
    value = sympy.Rational(text)
    for fact, holds in symbol.assumptions0.items():
        if holds and getattr(value, f"is_{fact}", None) is False:
            return None
    return text


def _decimal(value: sympy.Expr, digits: int) -> str:
    """An exact decimal near value, with `digits` significant digits."""
    text = str(sympy.N(value, digits))
    if "e" in text or "E" in text:
        return format(Decimal(text), "f")
    return text


# -- critical points -----------------------------------------------------------------------

_EDGES_AT_ONE = (sympy.asin, sympy.acos, sympy.atanh, sympy.acoth, sympy.asec, sympy.acsc,
                 sympy.acosh, sympy.asech)


def critical_expressions(expr: sympy.Expr, x: sympy.Symbol) -> list[sympy.Expr]:
    """Expressions whose real roots are where expr may switch, blow up, end or peak."""
    found: list[sympy.Expr] = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Max, sympy.Min)):
            found.extend(a - b for i, a in enumerate(node.args) for b in node.args[i + 1:])
        elif isinstance(node, sympy.Piecewise):
            for _, condition in node.args:
                found.extend(r.lhs - r.rhs for r in condition.atoms(sympy.core.relational.Relational))
        elif node.is_Pow:
            if not (node.exp.is_Integer and node.exp > 0):
                found.append(node.base)
            if not node.exp.is_Number:
                found.extend((node.exp, sympy.diff(node.exp, x)))
        elif isinstance(node, sympy.Function) and len(node.args) >= 1:
            u = node.args[0]
            found.extend((u, sympy.diff(u, x)))
            if isinstance(node, _EDGES_AT_ONE):
                found.extend((u - 1, u + 1))
    return [e for e in dict.fromkeys(found) if e.has(x)]


def _critical_points(left: sympy.Expr, right: sympy.Expr, x: sympy.Symbol, digits: int
                     ) -> list[sympy.Rational]:
    roots: list[sympy.Rational] = []
    for expr in dict.fromkeys(critical_expressions(left, x) + critical_expressions(right, x)):
        for root in _real_roots(expr, x, digits):
            if root not in roots:
                roots.append(root)
            if len(roots) >= MAX_ROOTS:
                return roots
    return roots


# f⁻¹ for functions strictly monotone on their real domain, with the range f takes there
_INVERSES: dict[type, tuple[Any, Any, Any]] = {
    sympy.exp: (sympy.log, 0, None),
    sympy.log: (sympy.exp, None, None),
    sympy.sinh: (sympy.asinh, None, None),
    sympy.asinh: (sympy.sinh, None, None),
    sympy.tanh: (sympy.atanh, -1, 1),
    sympy.atan: (sympy.tan, -sympy.pi / 2, sympy.pi / 2),
    sympy.erf: (None, -1, 1),
}


def _real_roots(expr: sympy.Expr, x: sympy.Symbol, digits: int, depth: int = 0
                ) -> list[sympy.Rational]:
    """Rational approximations of the real roots of expr (as many as can be found cheaply)."""
    if depth > 4:
        return []
    try:
        numerator = sympy.fraction(sympy.together(expr))[0]
    except Exception:  # (a form together cannot handle has no roots we find)
        return []
    if not numerator.has(x):
        return []
    polynomial = _polynomial(numerator, x)
    if polynomial is not None:
        return _polynomial_roots(polynomial, digits)
    # c·f(v) + d = 0 with f monotone: v = f⁻¹(−d/c)
    constant, rest = numerator.as_independent(x, as_Add=True)
    coefficient, core = rest.as_independent(x, as_Add=False)
    if isinstance(core, tuple(_INVERSES)) and coefficient != 0:
        inverse, low, high = _INVERSES[type(core)]
        target = -constant / coefficient
        if not target.is_real or inverse is None:
            return []
        if (low is not None and (target > low) is not sympy.true) or (
                high is not None and (target < high) is not sympy.true):
            return []
        argument: sympy.Expr = core.args[0]  # type: ignore[attr-defined]
        return _real_roots(argument - inverse(target), x, digits, depth + 1)
    if core.is_Pow and not core.exp.has(x) and coefficient != 0 and constant == 0:
        return _real_roots(core.base, x, digits, depth + 1)  # u^a = 0 where u = 0
    return []


def _polynomial(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Poly | None:
    try:
        poly = sympy.Poly(expr, x)
    except sympy.PolynomialError:
        return None
    if poly.degree() > MAX_DEGREE or not all(c.is_number and c.is_real for c in poly.coeffs()):
        return None
    return poly


def _polynomial_roots(poly: sympy.Poly, digits: int) -> list[sympy.Rational]:
    if not (poly.domain.is_ZZ or poly.domain.is_QQ):
        try:
            roots = [r for r in poly.nroots(n=digits + 5) if r.is_real]
        except Exception:  # (no convergence: no critical points from it)
            return []
        return [sympy.Rational(_decimal(r, digits + 5)) for r in roots]
    found = []
    for lo, hi in (interval for interval, _ in poly.intervals(eps=sympy.Rational(1, 10**(digits + 5)))):
        found.append(lo if lo == hi else (lo + hi) / 2)
    return [sympy.Rational(_decimal(r, digits + 5)) if r.q > 10**(digits + 8) else r
            for r in found]
