"""Products with exponential factors, from one exponential where written out they would not do.

x**2*exp(x) at x = -1e300 is inf*0 = nan written out, although its value (e^{-1e300} times
1e600) is 0; at x = -720 exp(x) is subnormal and the product keeps only a few digits; 3**w/2**w
is inf/inf at w = 1e300, where (3/2)**w is inf, and at w = 2000 where it is 1e352... A product
c * g(x) * e^{U(x)} (every factor e^u or b**u with b > 0 a number contributing to U, g the
other factors) is computed:
- as written where no factor can over- or underflow: |U| < 700 and |U + log|g|| < 600 and
  the written-out value is finite (there it is exact to a few ulps);
- elsewhere as c * sign(g) * exp(U + log|g|), with U's numeric coefficients combined first
  (w*log(3) - w*log(2) is w*log(3/2), one float, not a difference of two large ones): its
  relative error is about |U + log|g|| * 2**-53, below 1e-13 wherever the value is a normal
  float (|U + log|g|| < 745), and beyond it the value is 0 or inf as it should be.
"""

from __future__ import annotations

from collections.abc import Callable
from types import UnionType

import sympy

from derive.analysis.codegen_series import _NearZero

_DIGITS = 30  # the exponent's numeric coefficients, rounded once to the float the code holds


class _ExpProduct(sympy.Function):
    """g * e^U computed as described above. Args: the product as written, U, log|g|, sign(g)."""


HELPER = '''def _exp_product(direct, exponent, log_size, sign):
    """g*exp(U) (each argument a function of nothing, so it is computed here): as written
    where no factor can over- or underflow, sign(g)*exp(U + log|g|) elsewhere, where written
    out it would be inf*0 or lose digits to a subnormal factor."""
    with np.errstate(all="ignore"):  # what is computed and not used may warn
        u = exponent()
        # an infinite exponent (x**2 beyond 1e154) outgrows log|g|, however large g is
        total = np.where(np.isinf(u), u, u + log_size())
        value = direct()
        safe = (np.abs(u) < 700) & (np.abs(total) < 600) & np.isfinite(value) & (value != 0)
        return np.where(safe, value, sign() * np.exp(total))[()]'''


def exponent_of(factor: sympy.Expr, x: sympy.Symbol) -> sympy.Expr | None:
    """u when the factor is e^u or b**u (b > 0 a number) with u depending on x: log of it."""
    if isinstance(factor, sympy.exp) and factor.args[0].has(x):
        return factor.args[0]
    if isinstance(factor, sympy.Pow):
        base, power = factor.args
        if isinstance(base, sympy.exp) and power.is_number:
            return power * base.args[0] if base.args[0].has(x) else None
        if base.is_number and base.is_positive and power.has(x):
            return power * sympy.log(base)
    return None


def _combined(u: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """U with the numeric coefficient of each of its terms in x summed and rounded once."""
    terms: dict[sympy.Expr, sympy.Expr] = {}
    for term in sympy.Add.make_args(sympy.expand(u)):
        coefficient, rest = term.as_independent(x, as_Add=False)
        terms[rest] = terms.get(rest, sympy.S.Zero) + coefficient
    parts = []
    for rest, coefficient in terms.items():
        if coefficient.is_number and not coefficient.is_Rational:
            coefficient = sympy.Float(sympy.N(coefficient, _DIGITS), _DIGITS)
        if coefficient != 0:
            parts.append(coefficient * rest)
    return sympy.Add(*parts)


class _LogAbsSum(sympy.Function):
    """log|sum of s_i e^{L_i}|, args the pairs (L_i, s_i): the largest L_i taken out first."""


class _SignOfSum(sympy.Function):
    """The sign of the sum of s_i e^{L_i}, args as for `_LogAbsSum`."""


SUM_HELPER = '''def _log_abs_sum(*terms):
    """(log|S|, sign(S)) for S the sum of s*exp(L) over the terms (L, s), with the largest L
    taken out first: log(e^{2x} + 2x) at x = 700 is 1400, where e^{2x} itself is inf."""
    with np.errstate(all="ignore"):
        sizes = np.broadcast_arrays(*(np.asarray(size, dtype=float) for size, _ in terms))
        top = np.max(sizes, axis=0)
        top = np.where(np.isfinite(top), top, 0.0)
        total = sum(sign * np.exp(size - top) for size, (_, sign) in zip(sizes, terms))
        return top + np.log(np.abs(total)), np.sign(total)'''


def _has_exponential(expr: sympy.Expr, x: sympy.Symbol) -> bool:
    return any(exponent_of(node, x) is not None for node in sympy.preorder_traversal(expr))


def _exp_sum(factor: sympy.Expr, x: sympy.Symbol) -> bool:
    """A sum with an exponential of x inside, to some power: 2 + 3**t, sqrt(e^{2x} + 2x)."""
    base = factor.as_base_exp()[0]
    return isinstance(base, sympy.Add) and _has_exponential(base, x)


def _term_size(term: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr]:
    """(log|term|, sign(term)) for c * g * e^{U}."""
    coefficient, rest = term.as_independent(x, as_Add=False)
    u, others = _split(rest, x)
    sizes = [_log_size(g, x) for g in sympy.Mul.make_args(others) if g != 1]
    log_c = sympy.log(abs(coefficient)) if coefficient not in (1, -1) else sympy.S.Zero
    return (log_c + u + sympy.Add(*(size for size, _ in sizes)),
            sympy.sign(coefficient) * sympy.Mul(*(sign for _, sign in sizes)))


def _log_size(factor: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr]:
    """(log|factor|, sign(factor)) for a factor g**n that is not an exponential: an even
    power has sign 1, a non-integer power is real only for g >= 0 (log(g) then, nan below).
    A sum with exponentials inside is taken by `_LogAbsSum` (log(2 + 3**t) is not inf at
    t = 700); for a non-integer power of it log(sign) is added: 0 for a positive sum, nan
    for a negative one."""
    base, n = factor.as_base_exp()
    if isinstance(base, _NearZero) and _exp_sum(base.args[1], x):
        # its Taylor polynomial near 0, its direct form (a sum of exponentials) elsewhere:
        # the size of each where it is used
        polynomial, direct, _ = base.args
        near, far = _log_size(polynomial ** n, x), _log_size(direct ** n, x)
        return _NearZero(near[0], far[0], x), _NearZero(near[1], far[1], x)
    if isinstance(base, _ExpProduct):  # its own size, which does not overflow
        _, u, size, sign = base.args
        if n.is_Integer:
            return n * (u + size), (sympy.S.One if n % 2 == 0 else sign)
        return n * (u + size) + sympy.log(sign), sympy.S.One
    if _exp_sum(factor, x):
        pairs = [sympy.Tuple(*_term_size(t, x)) for t in base.args]
        size, sign = _LogAbsSum(*pairs), _SignOfSum(*pairs)
        if n.is_Integer:
            return n * size, (sympy.S.One if n % 2 == 0 else sign)
        return n * size + sympy.log(sign), sympy.S.One
    if n.is_Integer:
        sign = sympy.S.One if n % 2 == 0 else sympy.sign(base)
        return n * sympy.log(sympy.Abs(base)), sign
    return n * sympy.log(base), sympy.S.One


def exp_products(expr: sympy.Expr, x: sympy.Symbol, skip: tuple[type | UnionType, ...] = (),
                 polish: Callable[[sympy.Expr], sympy.Expr] = lambda e: e) -> sympy.Expr:
    """Every product of an exponential of x with other factors of x (or of two exponentials)
    as an `_ExpProduct`, bottom-up. Sums with exponential factors are distributed first when
    the product has another exponential ((3**(x**2) + x)/2**(x**2) is (3/2)**(x**2) +
    x/2**(x**2)), and the terms of a sum with the same exponential collected (e^{U} log 3 -
    e^{U} log 2 is inf - inf where e^{U} overflows, e^{U} (log 3 - log 2) is not); `polish`
    rewrites such a collected sum (by its roots)."""
    if not expr.args or not expr.has(x) or isinstance(
            expr, (_ExpProduct, sympy.core.relational.Relational, *skip)):
        return expr
    if isinstance(expr, sympy.Piecewise):
        return sympy.Piecewise(*[(exp_products(e, x, skip, polish), c) for e, c in expr.args])
    if isinstance(expr, sympy.Mul):
        distributed = _distributed(expr, x)
        if distributed is not None:
            return exp_products(distributed, x, skip, polish)
    if isinstance(expr, sympy.Add):
        collected = _collected(expr, x, polish)
        if collected is not None:
            return exp_products(collected, x, skip, polish)
    args = [exp_products(a, x, skip, polish) for a in expr.args]
    if args != list(expr.args):
        expr = expr.func(*args)
    if isinstance(expr, sympy.Mul):
        return _product(expr, x)
    if isinstance(expr, sympy.Pow) and not expr.exp.is_Integer and _exp_sum(expr, x):
        # sqrt(e^{2x} + 2x) is e^x, finite where e^{2x} is not
        size, sign = _log_size(expr, x)
        return _ExpProduct(expr, sympy.S.Zero, size, sign)
    return expr


def _distributed(expr: sympy.Mul, x: sympy.Symbol) -> sympy.Expr | None:
    """The product multiplied out, when it has an exponential factor and a sum factor with
    an exponential anywhere inside (x*(x + 3**(x**2))/2**(x**2)): then the exponentials meet
    and combine."""
    factors = sympy.Mul.make_args(expr)
    if not any(exponent_of(f, x) is not None for f in factors):
        return None
    if not any(isinstance(f, sympy.Add) and any(
            exponent_of(node, x) is not None for node in sympy.preorder_traversal(f))
            for f in factors):
        return None
    return sympy.expand_mul(expr)


def _multiplied_out(term: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    distributed = _distributed(term, x) if isinstance(term, sympy.Mul) else None
    return term if distributed is None else distributed


def _split(term: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr]:
    """(U, the other factors) of a term g * e^{U}; U = 0 where it has no exponential."""
    exponents, others = [], []
    for factor in sympy.Mul.make_args(term):
        u = exponent_of(factor, x)
        if u is not None:
            exponents.append(u)
        else:
            others.append(factor)
    return _combined(sympy.Add(*exponents), x), sympy.Mul(*others)


def _collected(expr: sympy.Add, x: sympy.Symbol, polish: Callable[[sympy.Expr], sympy.Expr]
               ) -> sympy.Expr | None:
    """The sum with its terms of one exponential e^{U} collected as (sum of g) * e^{U}, or
    None when no two terms share one."""
    groups: dict[sympy.Expr, list[sympy.Expr]] = {}
    terms = [t for term in expr.args for t in sympy.Add.make_args(_multiplied_out(term, x))]
    for term in terms:
        u, rest = _split(term, x)
        groups.setdefault(u if u.has(x) else sympy.S.Zero, []).append(rest if u.has(x) else term)
    if all(len(g) == 1 for u, g in groups.items() if u != 0) and len(terms) == len(expr.args):
        return None
    return sympy.Add(*(sympy.Add(*g) if u == 0 else polish(sympy.Add(*g)) * sympy.exp(u)
                       for u, g in groups.items()))


def _product(expr: sympy.Mul, x: sympy.Symbol) -> sympy.Expr:
    coefficient, rest = expr.as_independent(x, as_Add=False)
    exponents = [u for f in sympy.Mul.make_args(rest) if (u := exponent_of(f, x)) is not None]
    others = [f for f in sympy.Mul.make_args(rest) if exponent_of(f, x) is None]
    sums = [f for f in others if _exp_sum(f, x)]
    if not exponents and not (sums and (len(others) > 1 or sums[0].as_base_exp()[1] != 1)):
        return expr  # no exponential, or one sum of them as a factor: inf only where the value is
    if len(exponents) == 1 and not others:
        return expr  # c*e^u alone: exp overflows only where the value does
    u = _combined(sympy.Add(*exponents), x)
    sizes = [_log_size(g, x) for g in others]
    log_size = sympy.Add(*(s for s, _ in sizes))
    sign = sympy.Mul(*(s for _, s in sizes))
    written = sympy.Mul(*others) * (sympy.exp(u) if u != 0 else sympy.S.One)
    if (not u.has(x) and not sums) or not others:
        # the exponentials cancelled (e^x * e^-x * g is g), or they are all there is
        # (3**w/2**w is exp(w*log(3/2)), which overflows only where the value does)
        return coefficient * written
    return coefficient * _ExpProduct(written, u, log_size, sign)
