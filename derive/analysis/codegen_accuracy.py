"""How accurate derive's generated NumPy code is, measured against mpmath.

The contract (issue 10): the code meets 1e-12 relative wherever the true value is a normal
float, gives inf or -inf where the true value is beyond the float range, raises no
floating-point warning where f and f' are finite, and gives nan exactly where the document
says f' does not exist. Where a generated function cannot keep that everywhere, its docstring
must say where it does: codegen runs the code it wrote at the points below, compares with
mpmath, and states the region that passed (`Promise`). tests/code_accuracy.py holds the code
to that promise at these points and at others in between, which the measurement never saw.

Points (each a float, so the exact value is the function's value at that float):
* `SIZES`, from 1e-300 to 1e300, both signs, and 0;
* beside every critical point derive.verify's probes look at (kinks, poles, domain edges,
  arguments' roots) and every real zero of a factor of f' found cheaply (x**x: 1/e), at the
  relative distances `BESIDE`, and the point itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import mpmath
import sympy

if TYPE_CHECKING:
    import numpy as np

RTOL = 1e-12
# The region a docstring promises must not depend on the machine that measured it: another
# libm (or NumPy build) rounds exp, log, sin... differently in the last bit or two, and a
# point whose error here is near 1e-12 could pass here and fail there, moving the promise and
# so the bytes of output/. Two things keep it put:
# - a measured point counts as accurate only with a margin, error <= RTOL / MARGIN: a few
#   ulps more elsewhere (amplified as here by the same cancellation) stay below RTOL, so the
#   promise holds on that machine too; over the catalog and exercises the errors at the
#   measured points of functions that meet 1e-12 everywhere are all below 1e-13 (measured
#   2026-12-02), a factor 2.5 below the margin's threshold;
# - the region's bounds are snapped inward to powers of ten (`DECADES`): |x| <= 700 is
#   stated |x| <= 100, so whether 700, 40 or 2.2 pass never shows unless it is the only
#   thing between two decades; the excluded distances are already powers of ten (`BESIDE`).
MARGIN = 4.0
TINY = 2.2250738585072014e-308  # the smallest normal float
SIZES = (1e-300, 1e-200, 1e-100, 1e-30, 1e-15, 1e-8, 1e-5, 1e-3, 0.01, 0.1, 0.37, 1.0, 2.2,
         7.5, 30.0, 40.0, 100.0, 700.0, 1000.0, 1e4, 1e5, 1e6, 1e8, 1e10, 1e12, 1e15, 1e17,
         1e20, 1e30, 1e50, 1e100, 1e150, 1e200, 1e300)
# A round size such as 1e17 is an integer whose multiples 3e17, 5e17 are exact floats, so
# cos(3x) is accurate there and nowhere near it: the sizes from 1e4 up are also measured at
# a generic multiple.
GENERIC_SIZES = tuple(s * 1.0707106781186548 for s in SIZES if 1e4 <= s <= 1e300)
# the bounds a promise states (parsed from decimals, not computed with libm's pow)
DECADES = tuple(float(f"1e{k}") for k in range(-300, 301))
BESIDE = (1e-9, 1e-5, 1e-2)  # relative distances from a special point
FURTHER = (0.1, 0.5)  # measured only where there are misses at 1e-2 still
MAX_DIGITS = 1000


@dataclass(frozen=True)
class Miss:
    point: float
    what: str  # "f", "f'" or "warning"
    got: float
    exact: float | str  # a float, or "undefined" / "complex" / the warning

    def __str__(self) -> str:
        return f"{self.what}({self.point!r}) = {self.got!r}, exactly {self.exact}"


def _real(name: str, edge: Callable[[mpmath.mpf], bool]) -> Callable[[mpmath.mpf], mpmath.mpf]:
    """mpmath's function, refusing arguments outside the real domain: sqrt(-1) + 1/sqrt(-1)
    is 0 in complex arithmetic, and x = -1 is not in the domain of sqrt(x) + 1/sqrt(x)."""
    function = getattr(mpmath, name)

    def real(u: mpmath.mpf) -> mpmath.mpf:
        if not edge(u):
            raise ValueError(f"{name} outside its real domain")
        return function(u)
    return real


_BEYOND = mpmath.mpf(10) ** 320  # no float is this large: such an argument came from an exp


def _bounded(name: str) -> Callable[[mpmath.mpf], mpmath.mpf]:
    """mpmath's exp (sinh, cosh) but for an argument beyond every float, where its value is
    beyond the float range either way (inf or 0) and computing it would need a precision of
    the argument's own size: exp(exp(exp(x))) at x = 1e300 never ends."""
    function = getattr(mpmath, name)

    def bounded(u: mpmath.mpf) -> mpmath.mpf:
        if isinstance(u, mpmath.mpf) and abs(u) > _BEYOND:
            if name == "exp" and u < 0:
                return mpmath.mpf(0)
            if name == "sinh" and u < 0:
                return mpmath.mpf("-inf")
            return mpmath.mpf("inf")
        return function(u)
    return bounded


_REAL_ONLY = {"exp": _bounded("exp"), "sinh": _bounded("sinh"), "cosh": _bounded("cosh"),
              "sqrt": _real("sqrt", lambda u: u >= 0), "log": _real("log", lambda u: u > 0),
              "asin": _real("asin", lambda u: abs(u) <= 1),
              "acos": _real("acos", lambda u: abs(u) <= 1),
              "acosh": _real("acosh", lambda u: u >= 1),
              "atanh": _real("atanh", lambda u: abs(u) < 1)}


# exact values already computed, by expression and point: the test looks again at the points
# codegen measured (and the same functions come back in several exercises)
_VALUES: dict[tuple[str, float], float | str] = {}
_MAX_VALUES = 200_000


class _Constant(mpmath.mpf):
    """A value the expression gives as a plain integer (a constant piece): no precision
    changes it."""


class Exact:
    """An expression's exact value at a float: a float (±inf beyond the float range), or
    "undefined" / "complex". The precision doubles until two evaluations agree to 1e-14
    (1 + erf(-21) cancels 190 digits)."""

    def __init__(self, expr: sympy.Expr, x: sympy.Symbol,
                 params: Iterable[sympy.Symbol]) -> None:
        # The parameters are arguments set to 1 when evaluated, not replaced by 1 before:
        # (1 - y)*log(1 - x) at y = 1 is 0 only where log(1 - x) is real (SymPy would drop the
        # term, and with it the domain edge x = 1), (x - 1)**a/(x - 1) at x = 1 is 0/0.
        params = tuple(params)
        self.key = sympy.srepr(expr) + repr(params)
        self.growth = _periodic_degree(sympy.S(expr.xreplace({p: 1 for p in params})), x)
        function = sympy.lambdify((x, *params), _powers(_pi_multiples(sympy.S(expr)), x),
                                  modules=[_REAL_ONLY, _PI_MULTIPLES, "mpmath"])
        ones = (1,) * len(params)
        self.function = lambda point: function(point, *(mpmath.mpf(v) for v in ones))

    def _at(self, point: float, digits: int) -> mpmath.mpf | str:
        with mpmath.workdps(digits):
            try:
                value = self.function(mpmath.mpf(point))
            except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                return "undefined"
            if isinstance(value, mpmath.mpc):
                if value.imag != 0:
                    return "complex"
                value = value.real
            if isinstance(value, int):  # a constant piece (0 beyond a kink): exact as it is
                return _Constant(value)
            if not isinstance(value, mpmath.mpf):
                value = mpmath.mpf(value)
            return "undefined" if mpmath.isnan(value) else +value

    def __call__(self, point: float) -> float | str:
        key = (self.key, point)
        if key not in _VALUES:
            if len(_VALUES) > _MAX_VALUES:
                _VALUES.clear()
            _VALUES[key] = self._value(point)
        return _VALUES[key]

    def _value(self, point: float) -> float | str:
        # Two precisions agree on 1 + 1e-300 = 1, and on mish'(-330) without its e^-330
        # part, so the digits start where such terms count: below 1 they grow with the
        # exponent (1 + x), up to 800 with the size of e^-|x| (1 + e^x); beyond, where
        # exp(1e300) costs 70 ms at 340 digits and 0.05 ms at 60, they grow by doubling.
        size = abs(point)
        digits = 60 + (int(-math.log10(size)) if 0 < size < 1 else
                       int(size / 2.3) if size <= 800 else 0)
        # sin(5x - 1) at x = 1e300: below 300 digits 5x - 1 rounds to 5x at every precision,
        # and two precisions agree on sin(5x); a periodic function of a polynomial of degree d
        # needs d digits per decade of x to keep its argument's constant
        if size > 1:
            digits += int(self.growth * math.log10(size))
        value = self._at(point, digits)
        # a cancellation can cost about twice the point's exponent in digits (x**2/(x**2 + 1)'
        # at 1e150, sin(pi x) at 1e300; a true 0 computed to below 1e-308 at 1): no further
        most = min(MAX_DIGITS, 340 + int(2.5 * abs(math.log10(size))) if size else 340)
        while not isinstance(value, str) and digits < most:
            if isinstance(value, _Constant):
                break
            digits = min(2 * digits, most)  # the last at `most` itself, not up to twice it
            again = self._at(point, digits)
            if isinstance(again, str):
                return again
            if _agree(value, again):
                value = again
                break
            value = again
        if isinstance(value, str):
            return value
        try:
            return float(value)
        except OverflowError:
            return math.copysign(math.inf, float(mpmath.sign(value)))


_PERIODIC = (sympy.sin, sympy.cos, sympy.tan, sympy.sec, sympy.csc, sympy.cot)


class _RefSinPi(sympy.Function):
    """sin(pi v) in the reference: mpmath.sinpi, which reduces v modulo 2 exactly."""


class _RefCosPi(sympy.Function):
    """cos(pi v) in the reference: mpmath.cospi."""


class _RefPower(sympy.Function):
    """b**u in the reference, b > 0 a number and u a function of x: see `_power`."""


_MAX_EXTRA_BITS = 1 << 16  # beyond, b**u as mpmath computes it (both cost alike there)


def _power(b: mpmath.mpf, u: mpmath.mpf) -> mpmath.mpf:
    """b**u as exp(u log b), u log b computed with as many more bits as u has bits before
    the point, so that it is exact to the working precision and so is its exp. The same
    value as b**u, without mpmath's b**u for an integer u, which squares its way to it:
    3**(x**2) at x = 1e300 (u = 1e600) costs 70 ms at 60 digits, exp(u log 3) 0.5 ms."""
    if not (isinstance(u, mpmath.mpf) and mpmath.isfinite(u) and u != 0) or \
            mpmath.mag(u) > _MAX_EXTRA_BITS:
        return mpmath.power(b, u)
    with mpmath.extraprec(max(0, int(mpmath.mag(u))) + 10):
        value = mpmath.exp(u * mpmath.log(b))
    return +value


_PI_MULTIPLES = {"_RefSinPi": mpmath.sinpi, "_RefCosPi": mpmath.cospi, "_RefPower": _power}


def _powers(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """Every b**u (b > 0 a number, u a function of x) as `_RefPower`."""
    return expr.replace(
        lambda node: isinstance(node, sympy.Pow) and node.base.is_number
        and bool(node.base.is_positive) and node.exp.has(x),
        lambda node: _RefPower(node.base, node.exp))


def _pi_multiples(expr: sympy.Expr) -> sympy.Expr:
    """Every periodic function of pi*v, v free of pi, through sin(pi v) and cos(pi v) of v
    itself: sin(pi x**2) at an even integer x = 3.2e150 is exactly 0, while sin of pi*x**2
    computed at 715 digits is 1e-419 (pi's last digit times x**2), which f' = pi x tan(pi
    x**2) ... turns into 3e-272, a normal float the code's true 0 would be held to. v is
    exact at the reference's precision wherever it is a polynomial of a float."""
    def rewrite(node: sympy.Expr) -> sympy.Expr:
        v = sympy.expand(node.args[0] / sympy.pi)
        if v.has(sympy.pi):
            return node
        sin, cos = _RefSinPi(v), _RefCosPi(v)
        return {sympy.sin: sin, sympy.cos: cos, sympy.tan: sin / cos, sympy.sec: 1 / cos,
                sympy.csc: 1 / sin, sympy.cot: cos / sin}[type(node)]

    return expr.replace(lambda node: isinstance(node, _PERIODIC) and node.args[0].has(sympy.pi),
                        rewrite)


def _periodic_degree(expr: sympy.Expr, x: sympy.Symbol) -> int:
    """The largest degree in x of a periodic function's argument (1 for a non-polynomial
    one), 0 without periodic functions."""
    degree = 0
    for node in expr.atoms(*_PERIODIC):
        argument = node.args[0]
        try:
            degree = max(degree, sympy.Poly(argument, x).degree())
        except sympy.PolynomialError:
            degree = max(degree, 1)
    return degree


def _agree(a: mpmath.mpf, b: mpmath.mpf) -> bool:
    """Two precisions give the same value: 1 - tanh(330)**2 is 0 at 60 and 120 digits and
    9.3e-287 at 480, so zeros never agree (a true 0 is taken at `MAX_DIGITS`)."""
    if not (mpmath.isfinite(a) and mpmath.isfinite(b)):
        return bool(a == b)
    if a == 0 or b == 0:
        return False
    return bool(abs(a - b) <= mpmath.mpf(10) ** -14 * max(abs(a), abs(b)))


def meets(got: float, exact: float, rtol: float = RTOL) -> bool:
    """1e-12 (rtol) relative where the exact value is a normal float; ±inf exactly beyond."""
    if math.isinf(exact):
        return got == exact
    if abs(exact) < TINY:
        return math.isfinite(got) and abs(got) < 2 * TINY
    return math.isfinite(got) and abs(got - exact) <= rtol * abs(exact)


def special_points(f: sympy.Expr, df: sympy.Expr, x: sympy.Symbol,
                   params: Iterable[sympy.Symbol], undefined: Iterable[float]) -> list[float]:
    """Where the code is likeliest to lose accuracy: kinks, poles, domain edges, arguments'
    roots (derive.verify's critical points) and the real zeros of f' factors."""
    from derive.verify import points as probes

    one = {p: 1 for p in params}
    f, df = (sympy.sympify(e.xreplace(one)) for e in (f, df))  # a -> 1 is an int
    found = [float(r) for r in probes._critical_points(f, df, x, 20)]
    for factor in sympy.Mul.make_args(sympy.factor_terms(df)):
        base = factor.as_base_exp()[0]
        found += [float(r) for r in probes._real_roots(base, x, 20)]
    # zeros of an exponential-polynomial numerator of f', beside which it cancels
    from derive.analysis.codegen_roots import exponential_zeros

    found += exponential_zeros(df, x)
    found += list(undefined)
    return sorted({p for p in found if math.isfinite(p)})


def beside(p: float, delta: float) -> tuple[float, float]:
    step = delta * max(abs(p), 1e-6)
    return p - step, p + step


def measured_points(special: Iterable[float]) -> list[float]:
    found = {0.0, *SIZES, *(-s for s in SIZES), *GENERIC_SIZES, *(-s for s in GENERIC_SIZES)}
    for p in special:
        found.add(p)
        for delta in BESIDE:
            found.update(beside(p, delta))
    return sorted(v for v in found if math.isfinite(v))


@dataclass
class Checked:
    """Generated code beside its exact values."""

    both: Callable[[np.float64], tuple[float, float]]  # NAME_and_derivative
    f: Exact
    df: Exact
    undefined: tuple[float, ...]  # where the document says f' does not exist
    cache: dict[float, list[Miss]] = field(default_factory=dict)
    rtol: float = RTOL  # the measurement holds the code to RTOL / MARGIN (see MARGIN)

    def misses_at(self, point: float) -> list[Miss]:
        if point not in self.cache:
            self.cache[point] = self._misses_at(point)
        return self.cache[point]

    def _misses_at(self, point: float) -> list[Miss]:
        import numpy as np  # (only here: derive's core install has no NumPy, see `measurable`)

        exact_f = self.f(point)
        if isinstance(exact_f, str):
            return []  # outside f's domain: the docstring promises nothing there
        exact_df = "undefined" if point in self.undefined else self.df(point)
        strict = not isinstance(exact_df, str) and math.isfinite(exact_f) \
            and math.isfinite(exact_df)
        try:
            with np.errstate(over="raise" if strict else "ignore",
                             invalid="raise" if strict else "ignore",
                             divide="raise" if strict else "ignore", under="ignore"):
                value, slope = self.both(np.float64(point))
        except FloatingPointError as error:
            return [Miss(point, "warning", math.nan, str(error))]
        found = []
        for got, exact, what in ((float(value), exact_f, "f"), (float(slope), exact_df, "f'")):
            if isinstance(exact, str):
                if what == "f'" and point in self.undefined and not math.isnan(got):
                    found.append(Miss(point, what, got, exact))
                continue
            if not meets(got, exact, self.rtol):
                found.append(Miss(point, what, got, exact))
        return found


# --- the promise a docstring makes, from what was measured -------------------------------

@dataclass(frozen=True)
class Promise:
    """Where the code meets 1e-12: low <= |x| <= high (low 0 and high inf: everywhere),
    except within a relative distance of each excluded point."""

    low: float = 0.0
    high: float = math.inf
    excluded: tuple[tuple[float, float], ...] = ()  # (point, relative distance)

    @property
    def everywhere(self) -> bool:
        return self.low == 0.0 and self.high == math.inf and not self.excluded

    def covers(self, point: float) -> bool:
        if not self.low <= abs(point) <= self.high:
            return False
        return not any(abs(point - p) < delta * max(abs(p), 1e-6) for p, delta in self.excluded)

    def words(self, var: str) -> str:
        """The region, as the docstring states it (read back by `read`)."""
        parts = []
        if self.low > self.high:
            parts.append(f"no {var} (not even at |{var}| = 1)")
        elif self.low > 0 and self.high < math.inf:
            parts.append(f"{self.low!r} <= |{var}| <= {self.high!r}")
        elif self.low > 0:
            parts.append(f"|{var}| >= {self.low!r}")
        elif self.high < math.inf:
            parts.append(f"|{var}| <= {self.high!r}")
        else:
            parts.append(f"every {var}")
        if self.excluded:
            parts.append("except within " + ", ".join(
                f"{delta!r} relative of {var} = {p!r}" for p, delta in self.excluded))
        return " ".join(parts)


_SENTENCE = "Measured against mpmath, accurate to 1e-12 relative for "


# Without NumPy (derive's core install) the code cannot be run, so it is not measured: the
# docstring says so instead of promising a region nobody checked.
UNMEASURED = ("Not measured against mpmath where this was written (NumPy was not installed), "
              "so no region of accuracy is promised.")
# A bounded run (the command's wall-time bound) that stopped the measurement before it ended
# (derive.process.accuracy_child): the document is written, and the docstring says why no
# region is promised.
UNFINISHED = ("Not measured against mpmath where this was written (the measurement did not "
              "finish within the run's time bound), so no region of accuracy is promised.")


def measurable() -> bool:
    """Whether the generated code can be run here (it needs NumPy)."""
    import importlib.util

    try:
        return importlib.util.find_spec("numpy") is not None
    except (ImportError, ValueError):  # a module set to None in sys.modules
        return False


def sentence(promise: Promise, var: str) -> str:
    return (_SENTENCE + promise.words(var) + "; elsewhere it may lose accuracy, overflow or "
            "give nan.")


def read(docstring: str, var: str) -> Promise:
    """The promise a generated docstring states (everywhere when it names no region)."""
    import re

    flat = " ".join(docstring.split())
    start = flat.find(_SENTENCE)
    if start < 0:
        return Promise()
    text = flat[start + len(_SENTENCE):].split(";")[0]
    number = r"([-+0-9.e]+|inf)"
    low, high = 0.0, math.inf
    v = re.escape(var)
    if text.startswith(f"no {var} "):
        return Promise(math.inf, 0.0)
    if m := re.match(rf"{number} <= \|{v}\| <= {number}", text):
        low, high = float(m[1]), float(m[2])
    elif m := re.match(rf"\|{v}\| >= {number}", text):
        low = float(m[1])
    elif m := re.match(rf"\|{v}\| <= {number}", text):
        high = float(m[1])
    excluded = tuple((float(m[2]), float(m[1])) for m in re.finditer(
        rf"{number} relative of {v} = {number}", text))
    return Promise(low, high, excluded)


def measure(checked: Checked, special: list[float]) -> Promise:
    """The widest region the measurement supports: the sizes around 1 that pass at both
    signs (contiguously), then, for each special point inside it with misses beside it, the
    smallest of `BESIDE` beyond which every measured distance passes."""
    checked = replace(checked, cache={}, rtol=RTOL / MARGIN)  # the margin (see MARGIN)

    def passes(point: float) -> bool:
        return not checked.misses_at(point)

    generic = dict(zip((s for s in SIZES if 1e4 <= s <= 1e300), GENERIC_SIZES, strict=True))
    # a size that is itself a special point ((x - 1)**a at 1) is judged as one, below
    sizes_ok = [s for s in SIZES if (passes(s) or s in special) and (passes(-s) or -s in special)
                and (s not in generic or (passes(generic[s]) and passes(-generic[s])))]
    ordered = sorted(SIZES)
    one = ordered.index(1.0)
    low, high = 0.0, math.inf
    if not passes(0.0):
        low = ordered[0]
    for i in range(one, len(ordered)):
        if ordered[i] not in sizes_ok:
            high = ordered[i - 1] if i > one else 0.0
            break
    for i in range(one, -1, -1):
        if ordered[i] not in sizes_ok:
            low = ordered[i + 1] if i < one else math.inf
            break
    low = min(d for d in DECADES if d >= low) if 0 < low < math.inf else low
    high = max(d for d in DECADES if d <= high) if 1 <= high < math.inf else high
    if low > high:  # not even |x| = 1: nothing is promised
        return Promise(math.inf, 0.0)
    excluded = []
    region = Promise(low, high)
    for p in special:
        distances = [0.0, *BESIDE]
        bad = [d for d in distances
               if any(region.covers(q) and not passes(q)
                      for q in ((p,) if d == 0.0 else beside(p, d)))]
        if not bad:
            continue
        worst = max(bad)
        further = [d for d in BESIDE if d > worst]
        for d in FURTHER if not further else ():  # misses at 1e-2 still: look further out
            if all(passes(q) or not region.covers(q) for q in beside(p, d)):
                further = [d]
                break
        excluded.append((p, further[0] if further else 1.0))
    return Promise(low, high, tuple(excluded))
