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
        # a size that is nan (0**0 at x = 1 for (x**2 - 1)**log(x)) leaves the value as written
        safe = (np.abs(u) < 700) & ~(np.abs(total) >= 600) & np.isfinite(value) & (value != 0)
        return np.where(safe, value, sign() * np.exp(total))[()]'''


def exponent_of(factor: sympy.Expr, x: sympy.Symbol) -> sympy.Expr | None:
    """u when the factor is e^u or b**u (b > 0 a number) with u depending on x: log of it;
    v*log(g) for g**v with both depending on x (x**cot(x): real only for g > 0)."""
    if isinstance(factor, sympy.exp) and factor.args[0].has(x):
        return factor.args[0]
    if isinstance(factor, sympy.Pow):
        base, power = factor.args
        if isinstance(base, sympy.exp) and power.is_number:
            return power * base.args[0] if base.args[0].has(x) else None
        if base.is_number and base.is_positive and power.has(x):
            return power * sympy.log(base)
        if base.has(x) and power.has(x):
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


class _FiniteOr(sympy.Function):
    """The first argument where it is finite, the second elsewhere (both computed)."""


class _LogAbsSum(sympy.Function):
    """log|sum of s_i e^{L_i}|, args the pairs (L_i, s_i): the largest L_i taken out first."""


class _SignOfSum(sympy.Function):
    """The sign of the sum of s_i e^{L_i}, args as for `_LogAbsSum`."""


FINITE_HELPER = '''def _finite_or(direct, fallback):
    """direct() where it is finite, fallback() elsewhere (both computed here, where what is
    not used may warn)."""
    with np.errstate(all="ignore"):
        value = direct()
        return np.where(np.isfinite(value), value, fallback())[()]'''


SUM_HELPER = '''def _log_abs_sum(*terms):
    """(log|S|, sign(S)) for S the sum of s*exp(L) over the terms (L, s), with the largest L
    taken out first: log(e^{2x} + 2x) at x = 700 is 1400, where e^{2x} itself is inf."""
    with np.errstate(all="ignore"):
        sizes = np.broadcast_arrays(*(np.asarray(size, dtype=float) for size, _ in terms))
        top = np.max(sizes, axis=0)
        top = np.where(np.isfinite(top), top, 0.0)
        total = sum(sign * np.exp(size - top) for size, (_, sign) in zip(sizes, terms))
        return top + np.log(np.abs(total)), np.sign(total)'''


def _big(expr: sympy.Expr, x: sympy.Symbol) -> bool:
    """Whether the part can be inf (or 0) for a float x where its value is a float: an
    exponential, a power with |n| > 1 (x**2 at 1e200, x**-1.5 at 1e-250), a sum or product
    with such a part. x itself, logs and bounded functions never are."""
    if not expr.has(x) or expr == x:
        return False
    if exponent_of(expr, x) is not None or isinstance(expr, _ExpProduct):
        return True
    if isinstance(expr, _NearZero):
        return _big(expr.args[1], x)
    if isinstance(expr, sympy.Pow):
        base, n = expr.args
        return bool(n.is_number and abs(n) > 1 and _unbounded(base, x)) or _big(base, x)
    if isinstance(expr, sympy.Mul):  # (x - 2)*(x + 3) overflows as x**2 does, cot(x)/x at 0
        return any(_big(a, x) for a in expr.args) or _degree(expr, x) >= 2 or sum(
            _reach(a, x) for a in expr.args) > 1
    if isinstance(expr, sympy.Add):
        return any(_big(a, x) for a in expr.args)
    return False


def _reach(factor: sympy.Expr, x: sympy.Symbol) -> float:
    """|n| for a factor g**n, n < 0, whose base is 0 at x = 0 (x, sin x, tan x, where floats
    come as close to 0 as 1e-308), else 0: a product whose reaches add up to more than 1 can
    overflow beside 0 (cot(x)/x at 1e-300 is 1e600)."""
    base, n = factor.as_base_exp()
    if not base.has(x) or not (n.is_number and n < 0):
        return 0.0
    try:
        vanishes = bool(base.subs(x, 0) == 0)
    except (TypeError, ValueError):  # min(0, expm1(0)) cannot be compared
        vanishes = False
    return float(abs(n)) if vanishes else 0.0


# codegen's x - r held as a function (codegen._Minus), registered there: a factor of degree 1
LINEAR: list[type] = []


def _degree(expr: sympy.Expr, x: sympy.Symbol) -> int:
    """The degree in x of a product of x, x - r and their powers (0 for anything else)."""
    if expr == x or isinstance(expr, tuple(LINEAR)):
        return 1
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer and expr.exp > 0:
        return int(expr.exp) * _degree(expr.base, x)
    if isinstance(expr, sympy.Mul):
        return sum(_degree(a, x) for a in expr.args)
    return 0


def _unbounded(expr: sympy.Expr, x: sympy.Symbol) -> bool:
    """x enters outside every function (x, x + 2, 3x(x + 1)): the part reaches 0 or any size,
    unlike sin x, or cos x, which is never below 6e-17 at a float."""
    functions = expr.atoms(sympy.Function)
    return expr.xreplace({f: sympy.Dummy() for f in functions}).has(x)


def _polynomial_power(factor: sympy.Expr, x: sympy.Symbol) -> bool:
    base, n = factor.as_base_exp()
    return bool(n.is_Integer and n > 0 and (base.is_polynomial(x) or _degree(base, x) > 0))


def _sizes(parts: list[sympy.Expr], x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr]:
    sizes = [_size(p, x) for p in parts]
    return sympy.Add(*(z for z, _ in sizes)), sympy.Mul(*(s for _, s in sizes))


def _size(expr: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr]:
    """(log|expr|, sign(expr)), computed so that it does not overflow where expr does: an
    exponential's log is its exponent, a product's the sum of its factors', a sum that can be
    big `_LogAbsSum` over its terms (log(2 + 3**t) is not inf at t = 700), sech(u) as
    log 2 - |u| - log(1 + e^{-2|u|}). An even power has sign 1; a non-integer power is real
    only where its base is >= 0, so log(sign) is added: 0 there, nan below."""
    if not expr.has(x):
        return sympy.log(sympy.Abs(expr)), sympy.sign(expr)
    if isinstance(expr, _ExpProduct):  # its own size, which does not overflow
        _, u, size, sign = expr.args
        return u + size, sign
    if isinstance(expr, _NearZero):
        # its Taylor polynomial near 0, its direct form elsewhere: the size of each where
        # it is used
        polynomial, direct, _ = expr.args
        near, far = _size(polynomial, x), _size(direct, x)
        return _NearZero(near[0], far[0], x), _NearZero(near[1], far[1], x)
    u = exponent_of(expr, x)
    if u is not None:
        return _combined(u, x), sympy.S.One
    if isinstance(expr, sympy.Mul):
        return _sizes(list(expr.args), x)
    if isinstance(expr, sympy.Pow) and expr.exp.is_number:
        size, sign = _size(expr.base, x)
        n = expr.exp
        if n.is_Integer:
            return n * size, (sympy.S.One if n % 2 == 0 else sign)
        return n * size + sympy.log(sign), sympy.S.One
    if isinstance(expr, sympy.Add) and _big(expr, x):
        pairs = [sympy.Tuple(*_size(t, x)) for t in expr.args]
        return _LogAbsSum(*pairs), _SignOfSum(*pairs)
    if isinstance(expr, sympy.sech):
        a = sympy.Abs(expr.args[0])
        return sympy.log(2) - a - sympy.log(1 + sympy.exp(-2 * a)), sympy.S.One
    return sympy.log(sympy.Abs(expr)), sympy.sign(expr)


def exp_products(expr: sympy.Expr, x: sympy.Symbol, skip: tuple[type | UnionType, ...] = (),
                 polish: Callable[[sympy.Expr], sympy.Expr] = lambda e: e) -> sympy.Expr:
    """Every product of an exponential of x with other factors of x (or of two exponentials)
    as an `_ExpProduct`, bottom-up. Sums with exponential factors are distributed first when
    the product has another exponential ((3**(x**2) + x)/2**(x**2) is (3/2)**(x**2) +
    x/2**(x**2)), and the terms of a sum with the same exponential collected (e^{U} log 3 -
    e^{U} log 2 is inf - inf where e^{U} overflows, e^{U} (log 3 - log 2) is not); `polish`
    rewrites such a collected sum (by its roots)."""
    return _exp_products(expr, x, skip, polish, set())


def _exp_products(expr: sympy.Expr, x: sympy.Symbol, skip: tuple[type | UnionType, ...],
                  polish: Callable[[sympy.Expr], sympy.Expr], path: set[sympy.Expr]
                  ) -> sympy.Expr:
    """exp_products with `path`, the forms rewritten (distributed or collected) on the way
    down to expr. A rewrite to one of them is not made: distributing and collecting undo
    each other (the collected g*e^{U}, g a sum with e^{U} inside a sigmoid, is distributed
    again and collects to itself: gelu_tanh((1/((-x)**3 + x**2))**x)' recursed without end
    in the fuzz sweep), and without this the recursion need not end."""
    if not expr.args or not expr.has(x) or isinstance(
            expr, (_ExpProduct, sympy.core.relational.Relational, *skip)):
        return expr
    if isinstance(expr, sympy.Piecewise):
        return sympy.Piecewise(*[(_exp_products(e, x, skip, polish, path), c)
                                 for e, c in expr.args])
    rewritten: sympy.Expr | None = None
    if isinstance(expr, sympy.Mul):
        rewritten = _distributed(expr, x)
    elif isinstance(expr, sympy.Add):
        rewritten = _collected(expr, x, polish)
    if rewritten is not None and rewritten != expr and rewritten not in path \
            and expr not in path:
        path.add(expr)
        try:
            return _exp_products(rewritten, x, skip, polish, path)
        finally:
            path.discard(expr)
    args = [_exp_products(a, x, skip, polish, path) for a in expr.args]
    if args != list(expr.args):
        try:
            expr = expr.func(*args)
        except (TypeError, ValueError):
            # Min, Max and the like compare their arguments when built, and an _ExpProduct is
            # not comparable: such a node keeps its arguments as written (hard_sigmoid of a
            # sum with exp(-x) in the fuzz corpus)
            return expr
    if isinstance(expr, sympy.Mul):
        return _product(expr, x)
    if isinstance(expr, sympy.Pow) and not expr.exp.is_Integer and _big(expr.base, x):
        # sqrt(e^{2x} + 2x) is e^x, finite where e^{2x} is not; sqrt(x**3) at 1e150
        size, sign = _size(expr, x)
        return _ExpProduct(expr, sympy.S.Zero, size, sign)
    if isinstance(expr, sympy.Add) and sum(_big(t, x) for t in expr.args) >= 2:
        # t**2 - e**t at 1e200 is inf - inf written out; its size says -inf
        size, sign = _size(expr, x)
        return _ExpProduct(expr, sympy.S.Zero, size, sign)
    if isinstance(expr, sympy.log) and _big(expr.args[0], x):
        # log(1 + 4x**2) at 1e200: log(inf) written out, 2 log x + log 4 by its size
        size, sign = _size(expr.args[0], x)
        return _FiniteOr(expr, size + sympy.log(sign))
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
    """A product that can be inf*0 or inf/inf (two factors that can be 0 or inf, one of them
    inf), or that has an exponential beside other factors of x (x*e^x at -720, where e^x is
    subnormal), as an `_ExpProduct`."""
    coefficient, rest = expr.as_independent(x, as_Add=False)
    factors = sympy.Mul.make_args(rest)
    exponents = [u for f in factors if (u := exponent_of(f, x)) is not None]
    others = [f for f in factors if exponent_of(f, x) is None]
    # a big factor beside another factor of x that can be small where it is big (x**-2 sin x
    # at 1e-200 is inf * 1e-200); polynomials grow together (x*(1 + x**2) is inf only where
    # its value is)
    bigs = [f for f in factors if _big(f, x)]
    meets = any(b is not c and c.has(x) and not (_polynomial_power(b, x) and
                                                 _polynomial_power(c, x))
                for b in bigs for c in factors)
    if not meets and not (exponents and others):
        if len(exponents) > 1:  # 3**w/2**w is exp(w*log(3/2)): inf only where the value is
            return coefficient * sympy.exp(_combined(sympy.Add(*exponents), x))
        return expr
    u = _combined(sympy.Add(*exponents), x)
    log_size, sign = _sizes(others, x)
    written = sympy.Mul(*others) * (sympy.exp(u) if u != 0 else sympy.S.One)
    if not others:
        return coefficient * written
    return coefficient * _ExpProduct(written, u, log_size, sign)
