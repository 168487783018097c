"""The soundness corpus for the verifier: right steps, and wrong steps made by mutating them.

A *right* step is an equation a correct walkthrough (or a careful student) may write:
a derivative in a teacher's form next to SymPy's, or an identity, some of them hard
(σ(1 − σ) = 1/(4 cosh²(x/2)), log laws under positivity, √(x²) = |x| for real x).
A *wrong* step is a right one with a typical slip applied to its right-hand side: a sign
flipped, a factor dropped, an exponent off by one, sin and cos swapped, a
constant added. A mutant is kept only if it really is wrong: `_really_differs` finds a
real point where it parts from the left side, evaluated through `lambdify` and mpmath,
a path independent of the verifier's own (SymPy's evalf).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy
from sympy import (
    Abs,
    Heaviside,
    Max,
    Piecewise,
    Rational,
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atanh,
    cos,
    cosh,
    cot,
    coth,
    csc,
    csch,
    diff,
    erf,
    erfc,
    exp,
    log,
    pi,
    sec,
    sech,
    sign,
    sin,
    sinh,
    sqrt,
    tan,
    tanh,
)

x = sympy.Symbol("x", real=True)
y = sympy.Symbol("y", real=True)
t = sympy.Symbol("t", positive=True)
a = sympy.Symbol("a", positive=True)
b = sympy.Symbol("b", positive=True)
n = sympy.Symbol("n", integer=True, positive=True)


def sigma(u: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + exp(-u))


@dataclass(frozen=True)
class Case:
    name: str
    left: sympy.Expr
    right: sympy.Expr


# -- right steps --------------------------------------------------------------------------

# d/dx f written as a teacher would: (f, f' in the teacher's form).
DERIVATIVES = [
    (sin(x), cos(x)),
    (cos(x), -sin(x)),
    (tan(x), 1 + tan(x)**2),
    (tan(x), 1 / cos(x)**2),
    (cot(x), -1 - cot(x)**2),
    (cot(x), -1 / sin(x)**2),
    (sec(x), sec(x) * tan(x)),
    (csc(x), -csc(x) * cot(x)),
    (sinh(x), cosh(x)),
    (cosh(x), sinh(x)),
    (tanh(x), 1 - tanh(x)**2),
    (tanh(x), 1 / cosh(x)**2),
    (coth(x), 1 - coth(x)**2),
    (sech(x), -sech(x) * tanh(x)),
    (csch(x), -csch(x) * coth(x)),
    (exp(x), exp(x)),
    (sigma(x), sigma(x) * (1 - sigma(x))),
    (sigma(x), 1 / (4 * cosh(x / 2)**2)),
    (sigma(x), exp(-x) / (1 + exp(-x))**2),
    (sigma(x), exp(x) / (1 + exp(x))**2),
    (log(1 + exp(x)), sigma(x)),
    (log(sigma(x)), 1 - sigma(x)),
    (x * sigma(x), sigma(x) + x * sigma(x) * (1 - sigma(x))),
    (x / (1 + Abs(x)), 1 / (1 + Abs(x))**2),
    (atan(x), 1 / (1 + x**2)),
    (atan(1 / x), -1 / (1 + x**2)),
    (asin(x / 4), 1 / sqrt(16 - x**2)),
    (acos(x / 4), -1 / sqrt(16 - x**2)),
    (asinh(x), 1 / sqrt(x**2 + 1)),
    (acosh(t + 1), 1 / sqrt(t**2 + 2 * t)),
    (atanh(x / 4), 4 / (16 - x**2)),
    (log(t), 1 / t),
    (log(Abs(x)), 1 / x),
    (log(x**2 + 1), 2 * x / (x**2 + 1)),
    (log(cosh(x)), tanh(x)),
    (sqrt(t), 1 / (2 * sqrt(t))),
    (t**t, t**t * (log(t) + 1)),
    (2**x, 2**x * log(2)),
    (x * exp(-x**2), (1 - 2 * x**2) * exp(-x**2)),
    (x**2 * sin(x), 2 * x * sin(x) + x**2 * cos(x)),
    (sin(x) / x, (x * cos(x) - sin(x)) / x**2),
    (exp(sin(x)), cos(x) * exp(sin(x))),
    (sin(x)**2, sin(2 * x)),
    (cos(x)**2, -sin(2 * x)),
    (sin(x) * cos(x), cos(2 * x)),
    (exp(x) * sin(x), exp(x) * (sin(x) + cos(x))),
    (tan(x / 2), 1 / (1 + cos(x))),
    (Abs(x), x / Abs(x)),
    (Abs(x), sign(x)),
    (x * Heaviside(x), Heaviside(x)),
    (erf(x), 2 / sqrt(pi) * exp(-x**2)),
    ((x**2 + 1)**Rational(3, 2), 3 * x * sqrt(x**2 + 1)),
    (1 / (1 + x**2), -2 * x / (1 + x**2)**2),
    (x / (1 + x**2), (1 - x**2) / (1 + x**2)**2),
    (sqrt(1 + x**2), x / sqrt(1 + x**2)),
    (log(x + sqrt(x**2 + 1)), 1 / sqrt(x**2 + 1)),
    (exp(-x) * cos(x), -exp(-x) * (sin(x) + cos(x))),
    (x * log(t) + t * log(x**2 + 1), log(t) + 2 * t * x / (x**2 + 1)),
]

# Outer functions and their derivatives in the teacher's form, for the chain rule.
OUTER = {
    "sin": (sin, cos),
    "cos": (cos, lambda u: -sin(u)),
    "exp": (exp, exp),
    "tanh": (tanh, lambda u: 1 - tanh(u)**2),
    "sigma": (sigma, lambda u: sigma(u) * (1 - sigma(u))),
    "atan": (atan, lambda u: 1 / (1 + u**2)),
    "sqrt(1+u^2)": (lambda u: sqrt(1 + u**2), lambda u: u / sqrt(1 + u**2)),
    "log(1+u^2)": (lambda u: log(1 + u**2), lambda u: 2 * u / (1 + u**2)),
}
INNER = [x**2, 3 * x - 1, sin(x), x**3 + x, exp(-x)]

# Identities a step may use; the hard ones first.
IDENTITIES = [
    (sigma(x) * (1 - sigma(x)), 1 / (4 * cosh(x / 2)**2)),
    (sigma(-x), 1 - sigma(x)),
    (tanh(x), 2 * sigma(2 * x) - 1),
    (exp(-x) / (1 + exp(-x)), 1 / (1 + exp(x))),
    (sigma(x) + sigma(-x), sympy.S.One),
    (log(1 + exp(x)) - log(1 + exp(-x)), x),
    (log(1 + exp(x)), x + log(1 + exp(-x))),
    (log(a * b), log(a) + log(b)),
    (log(a / b), log(a) - log(b)),
    (log(a**3), 3 * log(a)),
    (log(sqrt(a)), log(a) / 2),
    (log(x**2), 2 * log(Abs(x))),
    (sqrt(x**2), Abs(x)),
    (sqrt(a * b), sqrt(a) * sqrt(b)),
    (sqrt(a) / sqrt(b), sqrt(a / b)),
    (exp(a + x), exp(a) * exp(x)),
    (exp(2 * log(t)), t**2),
    (a**(x + 1), a * a**x),
    (sin(2 * x), 2 * sin(x) * cos(x)),
    (cos(2 * x), cos(x)**2 - sin(x)**2),
    (cos(2 * x), 1 - 2 * sin(x)**2),
    (cos(2 * x), 2 * cos(x)**2 - 1),
    (sin(x + y), sin(x) * cos(y) + cos(x) * sin(y)),
    (cos(x + y), cos(x) * cos(y) - sin(x) * sin(y)),
    (cos(x)**4 - sin(x)**4, cos(2 * x)),
    (sin(x)**2 + cos(x)**2, sympy.S.One),
    (1 + tan(x)**2, sec(x)**2),
    (sin(x) / cos(x), tan(x)),
    (cosh(x)**2 - sinh(x)**2, sympy.S.One),
    (sinh(x), (exp(x) - exp(-x)) / 2),
    (sinh(2 * x), 2 * sinh(x) * cosh(x)),
    (tanh(x / 2), (cosh(x) - 1) / sinh(x)),
    (asinh(x), log(x + sqrt(x**2 + 1))),
    (atan(t) + atan(1 / t), pi / 2),
    ((x**2 - 1) / (x - 1), x + 1),
    (x**3 - y**3, (x - y) * (x**2 + x * y + y**2)),
    ((x + 1)**5, x**5 + 5 * x**4 + 10 * x**3 + 10 * x**2 + 5 * x + 1),
    (Abs(x)**2, x**2),
    (Abs(x * y), Abs(x) * Abs(y)),
    (Max(x, 0), (x + Abs(x)) / 2),
    (Piecewise((x, x > 0), (-x, True)), Abs(x)),
    (x * Heaviside(x), Max(x, 0)),
    ((-1)**(2 * n) * x, x),
    (sin(n * pi + x), (-1)**n * sin(x)),
    # inverse functions under the assumptions that make them true
    (asinh(sinh(x)), x),
    (atanh(tanh(x)), x),
    (acosh(cosh(x)), Abs(x)),
    (sinh(asinh(x)), x),
    (atan(t) + atan(1 / t), pi / 2),
    (atan(1 / t), pi / 2 - atan(t)),
    (acosh(cosh(t + 1)), t + 1),
    (asinh(sinh(2 * x + 1)), 2 * x + 1),
    # erf and erfc
    (erf(x) + erfc(x), sympy.S.One),
    (erfc(-x), 1 + erf(x)),
    (erfc(x) + erfc(-x), 2 * sympy.S.One),
    (diff(erfc(x), x), -2 / sqrt(pi) * exp(-x**2)),
    # denesting
    (sqrt(3 + 2 * sqrt(2)), 1 + sqrt(2)),
    (sqrt(5 + 2 * sqrt(6)), sqrt(2) + sqrt(3)),
    (sqrt(3 + 2 * sqrt(2)) * x, (1 + sqrt(2)) * x),
    # max and min written with |u|, in two variables
    (Max(x, y), (x + y + Abs(x - y)) / 2),
    (sympy.Min(x, y), (x + y - Abs(x - y)) / 2),
    (Max(x, y) + sympy.Min(x, y), x + y),
    (Max(x, 2), (x + 2 + Abs(x - 2)) / 2),
    # precision loss is not a difference
    (log(1 + exp(100 * x)) - 100 * x, log(1 + exp(-100 * x))),
    (log(1 + exp(30 * x)), 30 * x + log(1 + exp(-30 * x))),
    ((x + 10**20)**2 - 10**40, x**2 + 2 * 10**20 * x),
    (exp(-1000) * exp(1000 + x), exp(x)),
]


def right_cases() -> list[Case]:
    cases: list[Case] = []
    for f, teacher in DERIVATIVES:
        var = x if f.has(x) else t
        cases.append(Case(f"d/d{var} {f} = {teacher}", diff(f, var), teacher))
    for k in range(2, 10):
        cases.append(Case(f"power rule x^{k}", diff(x**k, x), k * x**(k - 1)))
    for k in range(1, 6):
        cases.append(Case(f"power rule x^-{k}", diff(x**-k, x), -k / x**(k + 1)))
    for k in range(2, 7):
        cases.append(Case(f"chain rule (3x + 1)^{k}", diff((3 * x + 1)**k, x),
                          3 * k * (3 * x + 1)**(k - 1)))
        cases.append(Case(f"chain rule sin({k}x)", diff(sin(k * x), x), k * cos(k * x)))
        cases.append(Case(f"chain rule exp(-{k}x)", diff(exp(-k * x), x), -k * exp(-k * x)))
    for name, (outer, derivative) in OUTER.items():
        for inner in INNER:
            teacher = derivative(inner) * diff(inner, x)
            cases.append(Case(f"chain rule {name} of {inner}", diff(outer(inner), x), teacher))
    for left, right in IDENTITIES:
        cases.append(Case(f"identity {left} = {right}", left, right))
    for p, q in ((1, 2), (-1, 3), (2, 5), (0, -4)):
        # partial fractions: 1/((x - p)(x - q)) = (1/(p - q)) (1/(x - p) − 1/(x - q))
        cases.append(Case(f"partial fractions {p}, {q}", 1 / ((x - p) * (x - q)),
                          Rational(1, p - q) * (1 / (x - p) - 1 / (x - q))))
    return cases


# -- wrong steps --------------------------------------------------------------------------

# Slips students make, written out: (name, left, wrong right).
CLASSIC_SLIPS = [
    ("sigma' = sigma(1 + sigma)", diff(sigma(x), x), sigma(x) * (1 + sigma(x))),
    ("sigma' = sigma^2", diff(sigma(x), x), sigma(x)**2),
    ("sigma' = 1 - sigma", diff(sigma(x), x), 1 - sigma(x)),
    ("tanh' = -tanh^2", diff(tanh(x), x), -tanh(x)**2),
    ("tanh' = 1 + tanh^2", diff(tanh(x), x), 1 + tanh(x)**2),
    ("tan' = 1 - tan^2", diff(tan(x), x), 1 - tan(x)**2),
    ("sqrt(x^2) = x", sqrt(x**2), x),
    ("log|x|' = 1/|x|", diff(log(Abs(x)), x), 1 / Abs(x)),
    ("sigma(1 - sigma) = 1/(2 cosh^2(x/2))", sigma(x) * (1 - sigma(x)), 1 / (2 * cosh(x / 2)**2)),
    ("sigma(1 - sigma) = 1/(4 cosh^2 x)", sigma(x) * (1 - sigma(x)), 1 / (4 * cosh(x)**2)),
    ("(x + y)^2 = x^2 + y^2", (x + y)**2, x**2 + y**2),
    ("sqrt(x + y) = sqrt x + sqrt y", sqrt(a + b), sqrt(a) + sqrt(b)),
    ("log(a + b) = log a log b", log(a + b), log(a) * log(b)),
    ("exp(x y)= exp x exp y", exp(x * y), exp(x) * exp(y)),
    ("sin 2x = 2 sin x", sin(2 * x), 2 * sin(x)),
    ("asin' = 1/sqrt(1 + x^2)", diff(asin(x / 4), x), 1 / sqrt(16 + x**2)),
    ("atan' = 1/(1 - x^2)", diff(atan(x), x), 1 / (1 - x**2)),
]


def _flip(expr: sympy.Expr) -> sympy.Expr:
    return -expr


def _plus_one(expr: sympy.Expr) -> sympy.Expr:
    return expr + 1


def _drop_factor(expr: sympy.Expr) -> sympy.Expr | None:
    """The last non-constant factor of a product left out."""
    factors = [f for f in sympy.Mul.make_args(expr) if not f.is_number]
    if not expr.is_Mul or len(factors) < 2:
        return None
    return expr.func(*[f for f in expr.args if f is not factors[-1]])


def _exponent_off_by_one(expr: sympy.Expr) -> sympy.Expr | None:
    """The first integer power met, one higher (x^k → x^{k+1}; 1/u → 1/u⁰ is skipped)."""
    for node in sympy.preorder_traversal(expr):
        if node.is_Pow and node.exp.is_Integer and node.exp != -1:
            return expr.xreplace({node: node.base**(node.exp + 1)})
    return None


def _swap_sin_cos(expr: sympy.Expr) -> sympy.Expr | None:
    if not expr.has(sin, cos):
        return None
    held = sympy.Function("held")  # sin → held → cos, so the two do not swap back
    return expr.replace(sin, held).replace(cos, sin).replace(held, cos)


MUTATIONS = {
    "sign flipped": _flip,
    "plus one": _plus_one,
    "factor dropped": _drop_factor,
    "exponent off by one": _exponent_off_by_one,
    "sin and cos swapped": _swap_sin_cos,
}


def wrong_cases() -> list[Case]:
    cases = [Case(name, left, right) for name, left, right in CLASSIC_SLIPS]
    for case in right_cases():
        for slip, mutate in MUTATIONS.items():
            mutant = mutate(case.right)
            if mutant is None or mutant == case.right:
                continue
            if _really_differs(case.left, mutant):
                cases.append(Case(f"{case.name}, {slip}", case.left, mutant))
    return cases


# Points for the independent check: inside every domain used above (|x| < 4, t > 0).
_CHECK_POINTS = ((0.37, 1.21), (-0.83, 0.45), (1.9, 2.7), (-2.6, 0.09))


def _really_differs(left: sympy.Expr, right: sympy.Expr) -> bool:
    """A real point where both sides are real and differ by more than 1e-6 (relative)."""
    import mpmath

    symbols = sorted(left.free_symbols | right.free_symbols, key=str)
    try:
        f = sympy.lambdify(symbols, left - 0, modules="mpmath")
        g = sympy.lambdify(symbols, right - 0, modules="mpmath")
    except Exception:
        return False
    with mpmath.workdps(30):
        for first, second in _CHECK_POINTS:
            values = [_in_domain(s, first if i % 2 == 0 else second) for i, s in enumerate(symbols)]
            try:
                u, v = mpmath.mpmathify(f(*values)), mpmath.mpmathify(g(*values))
            except Exception:
                continue
            if any(abs(mpmath.im(w)) > 1e-20 or not mpmath.isfinite(w) for w in (u, v)):
                continue
            if abs(u - v) > 1e-6 * max(1, abs(u), abs(v)):
                return True
    return False


def value_at(expr: sympy.Expr, point: dict[sympy.Symbol, sympy.Rational]):
    """expr at an exact point through lambdify and mpmath at 30 digits (not SymPy's evalf)."""
    import mpmath

    symbols = sorted(point, key=str)
    with mpmath.workdps(30):
        f = sympy.lambdify(symbols, expr - 0, modules="mpmath")
        return mpmath.mpmathify(f(*[mpmath.mpf(point[s].p) / point[s].q for s in symbols]))


def _in_domain(symbol: sympy.Symbol, value: float):
    if symbol.is_integer:
        return int(abs(value) * 3) + 1
    return abs(value) if symbol.is_positive else value


# -- generated families of wrong steps that look right ---------------------------------------
#
# Each family perturbs the right side of a right step by something nonzero that a sampling
# check misses: tiny terms, decimal stand-ins for constants, oscillations that vanish on a
# grid of short decimals, bumps far out or very narrow, kinks moved by 10⁻³⁰, and
# near-cancellation of huge terms. Every member is wrong by construction (the perturbation
# is provably nonzero at some real point where both sides are defined); the verifier must
# call each one failed, never checked, never proved.

_THIRD = Rational("0.33333333333333333333")


def _families(v: sympy.Symbol) -> dict[str, list]:
    big = 10**20
    return {
        "tiny term": [lambda r: r + Rational(1, 10**40) * v, lambda r: r + exp(-1000),
                      lambda r: r + Rational(1, 10**45) * v**2, lambda r: r + Rational(1, 10**60),
                      lambda r: r * (1 + Rational(1, 10**35))],
        "decimal stand-in": [lambda r: r + pi - Rational("3.14159265358979323846"),
                             lambda r: r * sympy.E / Rational("2.718281828459045"),
                             lambda r: r * 3 * _THIRD,
                             lambda r: r + Rational(1, 10**17)],
        "grid-vanishing oscillation": [lambda r: r + sin(20 * pi * v),
                                       lambda r: r + sin(40 * pi * v) / 1000,
                                       lambda r: r + sin(1000 * pi * v),
                                       lambda r: r + sin(10**6 * pi * v) / 10**10],
        "far or narrow bump": [lambda r: r + Heaviside(v - 10**6),
                               lambda r: r + Max(0, v - 10**4),
                               lambda r: r + exp(-10**8 * (v - Rational(1, 3))**2),
                               lambda r: r + exp(-v**2 * 10**6),
                               lambda r: r + Heaviside(v - Rational(7, 3))
                               * exp(-10**6 * (v - Rational(7, 3)))],
        "shifted kink": [lambda r: r + Abs(v - Rational(1, 10**30)) - Abs(v),
                         lambda r: r + Max(v, Rational(1, 10**30)) - Max(v, 0),
                         lambda r: r + Heaviside(v - Rational(1, 10**30)) - Heaviside(v)],
        "near-cancellation": [lambda r: r + (v + big)**2 - big**2 - 2 * big * v,
                              lambda r: r + (exp(v) + big)**2 - exp(2 * v) - big**2
                              - 2 * big * exp(v) + Rational(1, big),
                              lambda r: r + (big * v + 1)**3 - (big * v)**3 - 3 * (big * v)**2
                              - 3 * big * v],
    }


def family_bases() -> list[Case]:
    """Right steps in one variable (x real or t positive), every sixth one: the bases."""
    bases = [c for c in right_cases() if len(c.left.free_symbols | c.right.free_symbols) == 1]
    return bases[::6]


def wrong_families() -> list[tuple[str, Case]]:
    """(family, case) for every family member over every base."""
    found = []
    for base in family_bases():
        (v,) = base.left.free_symbols | base.right.free_symbols
        for family, members in _families(v).items():
            for k, perturb in enumerate(members):
                right = perturb(base.right)
                if right != base.right:
                    found.append((family, Case(f"{family} #{k} of {base.name}", base.left, right)))
    return found


@lru_cache(maxsize=1)
def corpus() -> tuple[tuple[Case, ...], tuple[Case, ...]]:
    """(right, wrong), built once per process."""
    return tuple(right_cases()), tuple(wrong_cases())


def terminal_summary(terminalreporter) -> None:
    """Figures for the end of a pytest run, from the `verdict` property each corpus test
    records. Hook it up in tests/conftest.py:

        def pytest_terminal_summary(terminalreporter):
            from soundness_corpus import terminal_summary
            terminal_summary(terminalreporter)
    """
    counts: dict[tuple[str, str], int] = {}
    stats = terminalreporter.stats
    for report in stats.get("passed", []) + stats.get("failed", []):
        props = dict(getattr(report, "user_properties", ()))
        if "soundness" in props and report.when == "call":
            key = (props["soundness"], props["verdict"])
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return
    terminalreporter.section("verifier soundness corpus")
    for kind in ("right", "wrong"):
        figures = ", ".join(f"{status} {count}" for (k, status), count in sorted(counts.items())
                            if k == kind)
        total = sum(count for (k, _), count in counts.items() if k == kind)
        terminalreporter.write_line(f"{kind} steps: {total} ({figures})")


# -- identity classes, generated: right ones must be proved, wrong variants must fail ------

_REAL_BASES = [x, 2 * x + 1, x**2 - 3, sin(x), exp(x) - 2, x**3 / 3 - x, atan(x),
               log(1 + x**2) - 1, tanh(x) - x / 2, x * y, cos(x) - x]
_POSITIVE_BASES = [t, t**2 + 1, exp(x), 1 + x**2, cosh(x), t / (t + 1), sqrt(x**2 + 1),
                   3 * t, exp(-x**2), 2 + sin(x)]
_UNIT_BASES = [tanh(x), sin(x), cos(x), x / sqrt(1 + x**2), x / (1 + Abs(x)),
               sin(x) * cos(x), 1 / (1 + x**2), exp(-x**2), tanh(x) / 2, sin(x)**3]
_DENESTED = [(1, 2), (2, 3), (1, 3), (2, 5), (3, 5), (1, 5), (2, 7), (3, 7), (5, 7), (1, 6),
             (2, 11), (3, 10), (5, 6), (1, 7)]


# Functions with a known bound on their size: |sin| ≤ 1, 0 < e^{−x²} ≤ 1, |atan| < π/2 < 2.
_BOUNDED = [(sin(x), 1), (cos(x), 1), (sin(2 * x), 1), (cos(3 * x + 1), 1),
            (sin(x) * cos(x), 1), (exp(-x**2), 1), (tanh(x), 1), (cos(x)**2, 1),
            (sin(x**2), 1), (atan(x), 2), (erf(x), 1), (sin(exp(x)), 1)]


def _bounded_bases() -> list[tuple[sympy.Expr, sympy.Expr]]:
    """(positive, tight): c + a·f + b·g with c just above the bound of |a·f + b·g| (so
    positive for every real x: by bounds, not by SymPy's assumptions), and f − m/2, which
    is negative somewhere (sin x − 1/2 at x = 0, e^{−x²} − 1/2 far out)."""
    found = []
    for i, (f, m) in enumerate(_BOUNDED):
        g, n = _BOUNDED[(i + 5) % len(_BOUNDED)]
        a, b = sympy.Integer(1 + i % 3), sympy.Rational(-1, 1 + i % 2)
        c = a * m + abs(b) * n + sympy.Rational(1, 4 + i)
        found.append((c + a * f + b * g, f - sympy.Rational(m, 2)))
    return found


def identity_families() -> list[tuple[str, Case, bool]]:
    """(class, case, right): inverse functions under the assumptions that make them true,
    atan(v) + atan(1/v) = π/2 for v > 0, acos/asin, erf/erfc, denesting √(a + 2√b), max and
    min written with |u|; each over many bases, with wrong variants of each (a wrong branch,
    a wrong constant, a wrong sign) that must fail."""
    found: list[tuple[str, Case, bool]] = []

    def add(family: str, left: sympy.Expr, right: sympy.Expr, wrongs: list[sympy.Expr]) -> None:
        found.append((family, Case(f"{family}: {left} = {right}", left, right), True))
        for wrong in wrongs:
            found.append((family, Case(f"{family}, wrong: {left} = {wrong}", left, wrong),
                          False))

    for u in _REAL_BASES:
        add("inverse", asinh(sinh(u)), u, [-u, u + 1])
        add("inverse", atanh(tanh(u)), u, [Abs(u)])
        add("inverse", acosh(cosh(u)), Abs(u), [u, Abs(u) + pi])
        add("inverse", log(exp(u)), u, [2 * u])
        add("erf/erfc", erf(u) + erfc(u), sympy.S.One, [sympy.S(2), 1 + erf(u)])
        add("erf/erfc", 1 - erfc(u)**2, erf(u) * (2 - erf(u)), [erf(u) * (2 + erf(u))])
    for v in _POSITIVE_BASES:
        add("atan reciprocal", atan(v) + atan(1 / v), pi / 2, [pi / 4, -pi / 2])
        add("atan reciprocal", atan(1 / v), pi / 2 - atan(v), [atan(v) - pi / 2])
    for u in _REAL_BASES[:6]:  # not positive everywhere: the sum is −π/2 where u < 0
        found.append(("atan reciprocal", Case(f"atan reciprocal, wrong: atan({u}) + "
                                              f"atan(1/({u})) = pi/2", atan(u) + atan(1 / u),
                                              pi / 2), False))
    for w in _UNIT_BASES:
        add("acos/asin", acos(w) + asin(w), pi / 2, [pi, sympy.S.Zero])
        add("acos/asin", acos(w), pi / 2 - asin(w), [asin(w) - pi / 2, pi - asin(w)])
    for p, q in _DENESTED:
        nested = sqrt(p + q + 2 * sqrt(p * q))
        add("denesting", nested, sqrt(p) + sqrt(q), [sqrt(p + 1) + sqrt(q), sqrt(q) - sqrt(p)])
        add("denesting", nested * x + 1, (sqrt(p) + sqrt(q)) * x + 1,
            [(sqrt(p) + sqrt(q)) * x - 1])
    for positive, tight in _bounded_bases():
        negative = -positive
        add("bounds", Abs(positive), positive, [negative, positive + 1])
        add("bounds", Abs(negative), positive, [negative])
        add("bounds", sign(positive), sympy.S.One, [-sympy.S.One, sympy.S.Zero])
        add("bounds", atan(1 / positive) + atan(positive), pi / 2, [-pi / 2])
        add("bounds", x * Heaviside(negative) + 1, sympy.S.One, [x + 1])
        # a bound that only reaches 0 or below proves nothing: |u| = u fails where u < 0
        found.append(("bounds", Case(f"bounds, wrong: Abs({tight}) = {tight}", Abs(tight),
                                     tight), False))
    for i, u in enumerate(_REAL_BASES):
        v = _REAL_BASES[(i + 3) % len(_REAL_BASES)]
        add("max/min", Max(u, v), (u + v + Abs(u - v)) / 2, [(u + v - Abs(u - v)) / 2])
        add("max/min", sympy.Min(u, v), (u + v - Abs(u - v)) / 2, [(u + v + Abs(u - v)) / 2])
        add("max/min", Max(u, v) - sympy.Min(u, v), Abs(u - v), [u - v])
    return found
