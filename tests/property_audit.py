"""An audit of every property derive states, checked independently with mpmath.

derive.analysis.properties states facts about f (its domain, limits, range, f(0), f'(0),
where f' = 0, poles, the steepest slope, symmetry, monotonicity). This module checks each
stated property again with nothing of derive's but the claim itself: f is evaluated with
SymPy's lambdify into mpmath at 40 digits, derivatives are mpmath's numeric ones, and
"f is defined and bounded on [a, b]" is an enclosure in mpmath's interval arithmetic
(mpmath.iv), subdivided, so that a pole anywhere in a stretch is found, not only one that a
sample happens to land near (x² eˣ tan x has a pole in every stretch of length π out to −∞).

The oracle is numeric: it can miss a false property whose defect is narrower than its
samples, but whatever it reports is a concrete counterexample (a point and the values
there), never a matter of opinion. A property it cannot evaluate is counted as
"unaudited" with the reason, never passed.

    from property_audit import audit_case, cases
    for case in cases():
        for finding in audit_case(case).findings: ...
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import mpmath
import sympy

sys.path.insert(0, str(Path(__file__).parent))

from exercises import exercises

DPS = 40
iv = mpmath.iv


@dataclass(frozen=True)
class Case:
    id: str
    text: str  # derive syntax, or a catalog name
    variable: str | None


def cases() -> list[Case]:
    """Every exercise of tests/data/exercises and every catalog function."""
    from derive.parse import catalog

    found = [Case(e.id, e.text, e.variable) for e in exercises()]
    found += [Case("catalog:" + e.name, e.name, None) for e in catalog.entries()]
    return found


@dataclass
class Audit:
    case: Case
    stated: int = 0  # properties stated
    audited: int = 0  # ... checked here
    findings: list[str] = field(default_factory=list)  # false properties, with the evidence
    unaudited: list[str] = field(default_factory=list)  # properties not checked, and why
    error: str = ""  # the case could not be analysed at all


class Unsupported(Exception):
    """Something this oracle cannot evaluate (an unknown function in an interval)."""


class False_(Exception):
    """The property is false: the message is the evidence."""


# --- evaluating f --------------------------------------------------------------------------


class Function:
    """f (and things built from it) as mpmath functions of x, with parameters fixed."""

    def __init__(self, f: sympy.Expr, x: sympy.Symbol, setting: dict[sympy.Symbol, sympy.Expr]):
        # b^e with a variable exponent as e^{e·log b}, real analysis' meaning (x^x for x > 0
        # only), not mpmath's 0^0 = 1
        f = f.replace(lambda n: n.is_Pow and n.exp.has(x),
                      lambda n: sympy.exp(n.exp * sympy.log(n.base)))
        self.expr = f.xreplace(setting)
        self.x = x
        self.setting = setting
        # a parameter at a special value (0, ±1; see settings)
        self.special = any(v in (0, 1, -1) for v in setting.values())
        self._f = sympy.lambdify(x, self.expr, "mpmath")

    def __call__(self, at: Any) -> Any:
        """f(at) as an mpf, or None where f is undefined or not real (at DPS digits, or more
        when the caller works at more: mpmath.diff does)."""
        with mpmath.workdps(max(DPS, mpmath.mp.dps)):
            try:
                value = self._f(mpmath.mpf(at))
            except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                return None
            if isinstance(value, mpmath.mpc):
                # relative to the value itself: x^x at x = −760167.76 is 1e−4470478 in size,
                # and every bit of it complex
                if abs(value.imag) > mpmath.mpf(10) ** (-DPS + 5) * abs(value):
                    return None
                value = value.real
            try:
                value = mpmath.mpf(value)
            except TypeError:
                return None
            if not mpmath.isfinite(value):
                return None
            return value

    def slope(self, at: Any) -> Any:
        """f'(at), numerically (mpmath.diff), or None (also where f(at) is undefined:
        mpmath.diff samples only beside the point)."""
        if self(at) is None:
            return None
        with mpmath.workdps(DPS):
            # two-sided, or at an edge of the domain (x^{3/2} at 0) the one-sided derivative
            # from the side where f is defined, which is what f'(edge) means there
            for direction in (0, 1, -1):
                try:
                    return mpmath.diff(lambda t: self._checked(t), mpmath.mpf(at),
                                       direction=direction)
                except (_Undefined, ZeroDivisionError, ValueError, TypeError):
                    continue
            return None

    def _checked(self, t: Any) -> Any:
        value = self(t)
        if value is None:
            raise _Undefined
        return value

    def number(self, expr: sympy.Basic) -> Any:
        """A claim's value (an expression in the parameters) as an mpf, or None."""
        value = sympy.sympify(expr).xreplace(self.setting)
        if value is sympy.oo:
            return mpmath.inf
        if value is -sympy.oo:
            return -mpmath.inf
        with mpmath.workdps(DPS):
            try:
                number = sympy.N(value, DPS)
                return mpmath.mpf(str(number)) if number.is_real else None
            except (TypeError, ValueError):
                return None


class _Undefined(Exception):
    pass


def settings(params: list[sympy.Symbol]) -> list[dict[sympy.Symbol, sympy.Expr]]:
    """Settings of the parameters that respect their assumptions: three with each parameter
    at a different generic value, then, one parameter at a time, its special values 0, 1
    and −1 with the others generic. A claim holds for every value its assumptions allow, so
    any setting will do; the special ones are where a claim made from generic values fails
    (|x − y| has no slope at 0 when y = 0; a label y is 0 or 1)."""
    values = [("0.37", "1.9", "7.3"), ("-1.3", "0.37", "2.9"), ("2.9", "-0.6", "0.45")]
    found = []
    for row in range(3):
        setting = {}
        for i, p in enumerate(params):
            value = sympy.Rational(values[row][i % 3])
            if p.is_positive or p.is_nonnegative:
                value = abs(value)
            elif p.is_negative or p.is_nonpositive:
                value = -abs(value)
            setting[p] = value
        found.append(setting)
    for p in params:
        for special in (sympy.S.Zero, sympy.S.One, sympy.S.NegativeOne):
            if _allowed(p, special):
                found.append({**found[0], p: special})
    return found if params else [{}]


def _allowed(p: sympy.Symbol, value: sympy.Expr) -> bool:
    """Whether value is one the parameter's assumptions allow."""
    facts = {"positive": value > 0, "negative": value < 0, "nonnegative": value >= 0,
             "nonpositive": value <= 0, "nonzero": value != 0, "zero": value == 0}
    return all(bool(facts[name]) == held for name, held in p.assumptions0.items()
               if name in facts and held is not None)


# --- interval enclosures: f defined and bounded on a stretch -------------------------------

_MONOTONE_UP = {sympy.atan: mpmath.atan, sympy.asinh: mpmath.asinh, sympy.tanh: mpmath.tanh,
                sympy.sinh: mpmath.sinh, sympy.erf: mpmath.erf}
_MONOTONE_DOWN = {sympy.erfc: mpmath.erfc, sympy.acot: mpmath.acot}
_DOMAIN_UP = {sympy.asin: (mpmath.asin, -1, 1), sympy.atanh: (mpmath.atanh, -1, 1),
              sympy.acosh: (mpmath.acosh, 1, mpmath.inf)}


def enclose(expr: sympy.Expr, x: sympy.Symbol, box: Any) -> Any:
    """An interval containing expr(t) for every t in box (an mpmath.iv interval); raises
    _Undefined where expr may be undefined or not real somewhere in box, Unsupported for a
    node it does not know."""
    if not expr.has(x):
        return _constant(expr)
    if expr == x:
        return box
    args = expr.args
    if expr.is_Add:
        total = iv.mpf(0)
        for a in args:
            total = total + enclose(a, x, box)
        return total
    if expr.is_Mul:
        total = iv.mpf(1)
        for a in args:
            total = total * enclose(a, x, box)
        return total
    if expr.is_Pow:
        base, exponent = expr.base, expr.exp
        if exponent.is_Integer:
            b = enclose(base, x, box)
            n = int(exponent)
            if n < 0 and b.a <= 0 <= b.b:
                raise _Undefined
            return b ** n
        b = enclose(base, x, box)
        e = enclose(exponent, x, box)
        if b.a > 0:
            return iv.exp(e * iv.log(b))
        if exponent.is_positive and b.a >= 0 and not exponent.has(x):
            top = iv.exp(e * iv.log(iv.mpf(b.b))) if b.b > 0 else iv.mpf(0)
            return iv.mpf([0, top.b])
        raise _Undefined
    if len(args) == 1:
        inner = enclose(args[0], x, box)
        return _unary(expr, inner)
    if isinstance(expr, (sympy.Max, sympy.Min)):
        parts = [enclose(a, x, box) for a in args]
        pick = max if isinstance(expr, sympy.Max) else min
        return iv.mpf([pick(p.a for p in parts), pick(p.b for p in parts)])
    if isinstance(expr, sympy.Piecewise):
        hull = None
        for piece, condition in args:
            holds = _condition(condition, x, box)
            if holds is False:
                continue
            part = enclose(piece, x, box)
            hull = part if hull is None else iv.mpf([min(hull.a, part.a), max(hull.b, part.b)])
            if holds is True:
                break
        if hull is None:
            raise _Undefined
        return hull
    raise Unsupported(type(expr).__name__)


@lru_cache(maxsize=4096)
def _constant(expr: sympy.Expr) -> Any:
    value = sympy.N(expr, DPS + 10)
    if not value.is_real:
        raise _Undefined
    with mpmath.workdps(DPS + 10):
        number = mpmath.mpf(str(value))
    width = abs(number) * mpmath.mpf(10) ** (-DPS) + mpmath.mpf(10) ** (-2 * DPS)
    return iv.mpf([number - width, number + width])


def _widened(low: Any, high: Any) -> Any:
    eps = mpmath.mpf(10) ** (-DPS + 2)
    return iv.mpf([low - eps * (1 + abs(low)), high + eps * (1 + abs(high))])


def _unary(expr: sympy.Expr, inner: Any) -> Any:
    name = type(expr)
    a, b = inner.a, inner.b
    if name is sympy.exp:
        return iv.exp(inner)
    if name is sympy.log:
        if a <= 0:
            raise _Undefined
        return iv.log(inner)
    if name in (sympy.sin, sympy.cos):
        return (iv.sin if name is sympy.sin else iv.cos)(inner)
    if name in (sympy.tan, sympy.cot, sympy.sec, sympy.csc):
        value = {sympy.tan: iv.tan, sympy.cot: iv.cot, sympy.sec: iv.sec,
                 sympy.csc: iv.csc}[name](inner)
        if not (mpmath.isfinite(value.a) and mpmath.isfinite(value.b)):
            raise _Undefined  # a pole in the stretch
        return value
    if name in _MONOTONE_UP or name in _MONOTONE_DOWN:
        function = _MONOTONE_UP.get(name) or _MONOTONE_DOWN[name]
        if name is sympy.acot and a <= 0 <= b:
            raise _Undefined  # SymPy's acot jumps at 0
        with mpmath.workdps(DPS + 10):
            low, high = function(mpmath.mpf(a.a if hasattr(a, "a") else a)), function(
                mpmath.mpf(b.b if hasattr(b, "b") else b))
        return _widened(low, high) if name in _MONOTONE_UP else _widened(high, low)
    if name in _DOMAIN_UP:
        function, low_edge, high_edge = _DOMAIN_UP[name]
        if a < low_edge or b > high_edge or (name is sympy.atanh and (a <= -1 or b >= 1)):
            raise _Undefined
        with mpmath.workdps(DPS + 10):
            return _widened(function(mpmath.mpf(a)), function(mpmath.mpf(b)))
    if name is sympy.acos:
        if a < -1 or b > 1:
            raise _Undefined
        with mpmath.workdps(DPS + 10):
            return _widened(mpmath.acos(mpmath.mpf(b)), mpmath.acos(mpmath.mpf(a)))
    if name is sympy.cosh:
        top = max(abs(a), abs(b))
        bottom = 0 if a <= 0 <= b else min(abs(a), abs(b))
        with mpmath.workdps(DPS + 10):
            return _widened(mpmath.cosh(bottom), mpmath.cosh(top))
    if name is sympy.sech:
        return 1 / _unary(sympy.cosh(sympy.Symbol("t")), inner)
    if name in (sympy.csch, sympy.coth):
        if a <= 0 <= b:
            raise _Undefined
        core = _unary((sympy.sinh if name is sympy.csch else sympy.tanh)(sympy.Symbol("t")),
                      inner)
        return 1 / core
    if name is sympy.Abs:
        if a >= 0:
            return inner
        if b <= 0:
            return -inner
        return iv.mpf([0, max(-a, b)])
    if name is sympy.Heaviside:
        return iv.mpf(1) if a > 0 else iv.mpf(0) if b < 0 else iv.mpf([0, 1])
    if name is sympy.sign:
        return iv.mpf(1) if a > 0 else iv.mpf(-1) if b < 0 else iv.mpf([-1, 1])
    raise Unsupported(name.__name__)


def _condition(condition: sympy.Basic, x: sympy.Symbol, box: Any) -> bool | None:
    """Whether a Piecewise condition holds on all of box (True), nowhere (False), or in
    part (None)."""
    if condition is sympy.true:
        return True
    if condition is sympy.false:
        return False
    if isinstance(condition, (sympy.And, sympy.Or)):
        parts = [_condition(c, x, box) for c in condition.args]
        if isinstance(condition, sympy.And):
            return False if False in parts else True if all(p is True for p in parts) else None
        return True if True in parts else False if all(p is False for p in parts) else None
    if isinstance(condition, (sympy.StrictGreaterThan, sympy.GreaterThan, sympy.StrictLessThan,
                              sympy.LessThan)):
        gap = enclose(condition.lhs - condition.rhs, x, box)
        above = isinstance(condition, (sympy.StrictGreaterThan, sympy.GreaterThan))
        if not above:
            gap = -gap
        if gap.a > 0:
            return True
        if gap.b < 0:
            return False
        return None
    raise Unsupported(type(condition).__name__)


def bounded_on(expr: sympy.Expr, x: sympy.Symbol, low: Any, high: Any, pieces: int) -> Any:
    """None when expr is defined, real and bounded on every one of `pieces` equal parts of
    [low, high] (so on all of it); else the first part where that is not shown."""
    with mpmath.workdps(DPS):
        iv.dps = DPS
        low, high = mpmath.mpf(low), mpmath.mpf(high)
        step = (high - low) / pieces
        for i in range(pieces):
            box = iv.mpf([low + i * step, low + (i + 1) * step])
            try:
                value = enclose(expr, x, box)
            except _Undefined:
                return (low + i * step, low + (i + 1) * step)
            if not (mpmath.isfinite(value.a) and mpmath.isfinite(value.b)):
                return (low + i * step, low + (i + 1) * step)
    return None


# --- the checks, one per property ----------------------------------------------------------

# Points at which f is sampled: a fine grid near 0, then magnitudes out to 10^8, both signs.
_GRID = sorted({mpmath.mpf(i) / 64 for i in range(-1278, 1279, 3)}
               | {s * mpmath.mpf(10) ** (k / 8) * mpmath.mpf("1.0137")
                  for s in (1, -1) for k in range(-64, 65)})


@lru_cache(maxsize=64)
def _in_domain_points(domain: sympy.Set) -> list[Any]:
    return [p for p in _GRID if domain.contains(sympy.Float(str(p), 30)) is sympy.true]


def _close(a: Any, b: Any, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(1, abs(b))


def check_domain(f: Function, claim: Any, domain: sympy.Set) -> None:
    where = claim.value
    inside = [p for p in _GRID if where.contains(sympy.Float(str(p), 30)) is sympy.true]
    # Outside: points that are not integers (x^x is real at every negative integer, and at
    # ±10^8 every number of 40 digits is one): a domain of intervals does not mean those.
    # At a special value of a parameter SymPy drops the terms it annihilates (0·log x is 0
    # as soon as y = 0 is put in), so f as evaluated is defined at more points than the
    # formula is: only the inside is checked there, not the outside or the edges.
    outside = [] if f.special else [
        p for p in _in_domain_points(domain)
        if p not in inside and abs(p) < 10**6 and p != mpmath.floor(p)]
    for p in inside:
        if f(p) is None:
            raise False_(f"f is undefined at x = {mpmath.nstr(p, 10)}, inside the claimed domain")
    for p in outside:
        if f(p) is not None:
            raise False_(f"f({mpmath.nstr(p, 10)}) = {mpmath.nstr(f(p), 10)} is defined, "
                         "outside the claimed domain")
    for edge in [] if f.special else where.boundary:
        if edge.is_finite and domain.contains(edge) is sympy.true:
            value = f.number(edge)
            defined = value is not None and f(value) is not None
            if defined != (where.contains(edge) is sympy.true):
                raise False_(f"at the edge x = {edge}, f is {'' if defined else 'un'}defined")


def check_limit(f: Function, claim: Any, ends: dict[str, Any]) -> None:
    limit = claim.subject
    end, direction = limit.args[2], str(limit.args[3])
    target = f.number(claim.value)
    if target is None:
        raise Unsupported("the limit's value is not a real number")
    if end is sympy.oo or end is -sympy.oo:
        sign = 1 if end is sympy.oo else -1
        # f defined and bounded on whole stretches far out: a pole anywhere in them is found
        for start in (10**2, 10**4, 10**8):
            low, high = (start, start + 20) if sign > 0 else (-start - 20, -start)
            bad = bounded_on(f.expr, f.x, low, high, 200)
            if bad is not None:
                raise False_(f"f is not bounded (or not defined) on [{mpmath.nstr(bad[0], 8)}, "
                             f"{mpmath.nstr(bad[1], 8)}], however far out: no limit")
        points = [sign * mpmath.mpf(10) ** k * mpmath.mpf("1.0137") for k in
                  (2, 4, 8, 16, 32, 64, 128)]
    else:
        if end != 0 or direction != "+":
            raise Unsupported(f"a limit at {end}{direction}")
        bad = bounded_on(f.expr, f.x, "1e-6", "1e-3", 400)
        if bad is not None and target not in (mpmath.inf, -mpmath.inf):
            raise False_(f"f is not bounded on [{mpmath.nstr(bad[0], 8)}, "
                         f"{mpmath.nstr(bad[1], 8)}] near 0")
        points = [mpmath.mpf(10) ** -k * mpmath.mpf("1.0137") for k in (2, 4, 8, 16, 32, 64)]
    # Out (or in) step by step, stopping once f has clearly arrived: 3^(10^128) is still a
    # number mpmath holds, e^(e^(10^8)) is not.
    values = []
    for p in points:
        value = f(p)
        if value is None:
            raise False_(f"f is undefined at x = {mpmath.nstr(p, 8)}")
        values.append(value)
        if len(values) >= 3 and (abs(value) > mpmath.mpf(10) ** 50 if mpmath.isinf(target)
                                 else abs(value - target) < mpmath.mpf(10) ** -30):
            break
    if target in (mpmath.inf, -mpmath.inf):
        if abs(values[-1]) < 10**4:  # slow growth (log x) shows only very far out
            far = mpmath.mpf(10) ** 10000
            far = far if end is sympy.oo else -far if end is -sympy.oo else 1 / far
            value = f(far)
            if value is None:
                raise False_("f is undefined far out")
            values.append(value)
        signed = [v if target > 0 else -v for v in values]
        growing = all(a < b for a, b in pairwise(signed[1:]))
        if not (signed[-1] > 10**4 and growing):
            raise False_("the values do not grow without bound: "
                         + ", ".join(mpmath.nstr(v, 8) for v in values))
        return
    errors = [abs(v - target) for v in values]
    if not (errors[-1] < 1e-8 * max(1, abs(target)) and errors[-1] <= errors[0]):
        raise False_(f"f does not approach {mpmath.nstr(target, 10)}: "
                     + ", ".join(mpmath.nstr(v, 10) for v in values))
    ends[f"{end}"] = target


def check_range(f: Function, claim: Any, domain: sympy.Set) -> None:
    interval = claim.value
    approximate = claim.relation == "approx in"
    tolerance = 1e-6 if approximate else 1e-12
    low, high = f.number(interval.inf), f.number(interval.sup)
    if low is None or high is None:
        raise Unsupported("the range's ends are not real numbers")
    points = _in_domain_points(domain)
    far = [s * mpmath.mpf(10) ** k for k in (16, 32, 100) for s in (1, -1)
           if domain.contains(s * 10**k) is sympy.true]
    samples = [(p, f(p)) for p in points + far]
    samples = [(p, v) for p, v in samples if v is not None]
    for p, v in samples:
        if v < low - tolerance * max(1, abs(low)) or v > high + tolerance * max(1, abs(high)):
            raise False_(f"f({mpmath.nstr(p, 10)}) = {mpmath.nstr(v, 12)} is outside the range")
        if not approximate and abs(p) < 20:  # farther out, f may round to its limit
            for end, is_open in ((low, interval.left_open), (high, interval.right_open)):
                if is_open and mpmath.isfinite(end) and _close(v, end, 1e-35):
                    raise False_(f"f({mpmath.nstr(p, 10)}) = {mpmath.nstr(v, 12)} attains the "
                                 "open end")
    values = [v for _, v in samples]
    for end, pick, is_open in ((low, min, interval.left_open), (high, max, interval.right_open)):
        best = pick(values)
        if mpmath.isinf(end):
            if abs(best) < 10**6 or (best > 0) != (end > 0):
                raise False_(f"f never gets near {end}: its extreme sample is {mpmath.nstr(best, 8)}")
            continue
        if not is_open:  # a closed end is a value f takes, at a finite x
            near = [(p, v) for p, v in samples if abs(p) <= 1000]
            best = _refined(f, near, pick)
            if not _close(best, end, tolerance):
                raise False_(f"the closed end {mpmath.nstr(end, 12)} is not a value of f: "
                             f"f gets only to {mpmath.nstr(best, 12)} for |x| <= 1000")
            continue
        best = _refined(f, samples, pick)
        if not _close(best, end, max(tolerance, 1e-9)):
            raise False_(f"the range's end {mpmath.nstr(end, 12)} is not reached: f gets only "
                         f"to {mpmath.nstr(best, 12)}")


def _refined(f: Function, samples: list[tuple[Any, Any]], pick: Callable) -> Any:
    """The extreme value, refined by golden-section search around the best sample."""
    index = samples.index(pick(samples, key=lambda s: s[1]))
    best = samples[index][1]
    if index in (0, len(samples) - 1) or abs(samples[index][0]) > 10**6:
        return best
    a, b = samples[index - 1][0], samples[index + 1][0]
    sign = 1 if pick is min else -1
    ratio = (mpmath.sqrt(5) - 1) / 2
    with mpmath.workdps(DPS):
        for _ in range(120):
            c, d = b - ratio * (b - a), a + ratio * (b - a)
            fc, fd = f(c), f(d)
            if fc is None or fd is None:
                break
            if sign * fc < sign * fd:
                b = d
            else:
                a = c
            best = pick(best, fc, fd)
    return best


def check_value_at_zero(f: Function, claim: Any) -> None:
    value, exact = f(0), f.number(claim.value)
    if value is None:
        raise False_("f is undefined at 0")
    if exact is None or not _close(value, exact, 1e-25):
        raise False_(f"f(0) = {mpmath.nstr(value, 15)}")


def check_slope_at_zero(f: Function, claim: Any) -> None:
    exact = f.number(claim.value)
    with mpmath.workdps(60):
        h = mpmath.mpf(10) ** -20
        at0, right, left = f(0), f(h), f(-h)
        if None in (at0, right, left):
            raise False_("f is undefined beside 0")
        quotients = ((right - at0) / h, (at0 - left) / h)
    if exact is None or any(not _close(q, exact, 1e-12) for q in quotients):
        raise False_("the difference quotients at 0 are "
                     + ", ".join(mpmath.nstr(q, 12) for q in quotients))


def check_critical_points(f: Function, claim: Any, domain: sympy.Set) -> None:
    claimed = [f.number(p) for p in claim.value]
    if any(p is None for p in claimed):
        raise Unsupported("a critical point is not a real number")
    for p in claimed:
        slope = f.slope(p)
        if slope is None or abs(slope) > 1e-20:
            raise False_(f"f'({mpmath.nstr(p, 12)}) = {slope}")
    # Every sign change of f' lies beside a claimed point.
    points = [p for p in _in_domain_points(domain) if abs(p) <= 1000]
    slopes = [(p, f.slope(p)) for p in points]
    slopes = [(p, s) for p, s in slopes if s is not None and s != 0]
    for (a, sa), (b, sb) in pairwise(slopes):
        if (sa < 0) != (sb < 0) and not any(a <= p <= b for p in claimed) and (
                bounded_on(f.expr, f.x, a, b, 16) is None):  # not across a pole or a gap
            raise False_(f"f' changes sign between {mpmath.nstr(a, 8)} and {mpmath.nstr(b, 8)}, "
                         "where no critical point is claimed")


def check_pole(f: Function, claim: Any) -> None:
    point = f.number(claim.value)
    if point is None:
        raise Unsupported("the pole is not a real number")
    for side in (1, -1):
        with mpmath.workdps(DPS):
            values = [f(point + side * mpmath.mpf(10) ** -k) for k in (3, 6, 12, 24)]
        if any(v is None for v in values):
            continue  # f is not defined on that side (a domain edge)
        sizes = [abs(v) for v in values]
        if not (sizes[-1] > 10**6 and sizes[-1] > sizes[1] > sizes[0]):
            raise False_(f"|f| does not grow beside {mpmath.nstr(point, 10)}: "
                         + ", ".join(mpmath.nstr(v, 8) for v in values))


def check_max_slope(f: Function, claim: Any, domain: sympy.Set) -> None:
    approximate = claim.relation == "max approx"
    peak = f.number(claim.value)
    if peak is None:
        raise Unsupported("the peak is not a real number")
    tolerance = 1e-6 if approximate else 1e-15
    points = [p for p in _in_domain_points(domain) if abs(p) <= 10**4][::2]
    slopes = [(p, f.slope(p)) for p in points]
    slopes = [(p, s) for p, s in slopes if s is not None]
    for p, s in slopes:
        if s > peak + tolerance * max(1, abs(peak)):
            raise False_(f"f'({mpmath.nstr(p, 10)}) = {mpmath.nstr(s, 12)} exceeds the claimed "
                         "maximum")
    if claim.where is not None and not approximate:
        for where in claim.where:
            at = f.number(where)
            s = f.slope(at) if at is not None else None
            if s is None or not _close(s, peak, 1e-15):
                raise False_(f"f'({where}) = {s}, not the claimed maximum")
    else:
        best = max(s for _, s in slopes)
        refined = _refined(_Slope(f), [(p, s) for p, s in slopes], max)
        if not _close(max(best, refined), peak, 1e-6):
            raise False_(f"the largest f' found is {mpmath.nstr(max(best, refined), 12)}")


class _Slope:
    """f' as a function, for _refined."""

    def __init__(self, f: Function):
        self.f = f

    def __call__(self, at: Any) -> Any:
        return self.f.slope(at)


def check_symmetry(f: Function, claim: Any) -> None:
    from sympy.core.function import AppliedUndef

    heads = list(claim.value.atoms(AppliedUndef))
    unknown = sympy.Symbol("f(x)")
    template = claim.value.xreplace({heads[0]: unknown}) if heads else claim.value
    for k in range(1, 25):
        p = mpmath.mpf(k) * mpmath.mpf("0.7316") * (1 if k % 2 else mpmath.mpf("-1.37"))
        left, right = f(-p), f(p)
        if left is None or right is None:
            continue
        expected = f.number(template.subs(unknown, sympy.Float(mpmath.nstr(right, DPS), DPS)))
        if expected is None or not _close(left, expected, 1e-25):
            raise False_(f"f({mpmath.nstr(-p, 8)}) = {mpmath.nstr(left, 12)}, the symmetry "
                         f"says {expected}")


def check_monotonic(f: Function, claim: Any, domain: sympy.Set) -> None:
    kind = claim.relation
    sign = 1 if kind in ("increasing", "non-decreasing") else -1
    strict = not kind.startswith("non-")
    points = _in_domain_points(domain)
    values = [(p, f(p)) for p in points]
    values = [(p, v) for p, v in values if v is not None]
    for (a, fa), (b, fb) in pairwise(values):
        step = sign * (fb - fa)
        scale = mpmath.mpf(10) ** (-DPS + 8) * max(1, abs(fa))
        if step < -scale or (strict and step <= 0 and abs(a) < 50 and abs(b) < 50):
            raise False_(f"f({mpmath.nstr(a, 10)}) = {mpmath.nstr(fa, 15)}, "
                         f"f({mpmath.nstr(b, 10)}) = {mpmath.nstr(fb, 15)}: not {kind}")


def check_vanishing_gradient(f: Function, claim: Any, domain: sympy.Set) -> None:
    peak = f.number(claim.value.base)
    if peak is None or not 0 < peak < 1:
        raise False_(f"the bound's base {claim.value.base} is not in (0, 1)")
    for p in [p for p in _in_domain_points(domain) if abs(p) <= 10**4][::2]:
        s = f.slope(p)
        if s is not None and not (0 < s <= peak * (1 + mpmath.mpf(10) ** -15)):
            if s <= 0 and abs(p) > 30:
                continue  # f' underflows far out; 0 < f' is the monotonic claim's to show
            raise False_(f"f'({mpmath.nstr(p, 10)}) = {mpmath.nstr(s, 12)} is not in (0, peak]")


# --- one case ------------------------------------------------------------------------------


def audit_case(case: Case) -> Audit:
    """Every property derive states for the case, each checked here."""
    from derive import pipeline
    from derive.analysis.properties import analyse
    from derive.model import as_function
    from derive.parse import catalog

    audit = Audit(case)
    try:
        target = pipeline.resolve(case.text, var=case.variable)
    except Exception as exc:  # a case derive refuses states nothing
        audit.error = f"not resolved: {exc}"
        return audit
    definition = target.definition
    x = definition.variable
    reference = as_function(sympy.diff(definition.body, x))
    report = analyse(definition.body, x, reference, name_latex=definition.latex)
    f = catalog.expand(definition.body)
    domain: sympy.Set = (sympy.Interval.open(0, sympy.oo) if x.is_positive else
                         sympy.Interval(0, sympy.oo) if x.is_nonnegative else sympy.S.Reals)
    params = sorted(f.free_symbols - {x}, key=str)
    audit.stated = len(report.properties)
    for prop in report.properties:
        label = f"{prop.name} ({prop.verdict.status.value}): {_said(prop.claim)}"
        setting: dict[sympy.Symbol, sympy.Expr] = {}
        try:
            for setting in settings(params):
                if f.xreplace(setting).has(sympy.zoo, sympy.nan):
                    continue  # no function at this value (log(1 + e^{βx})/β at β = 0)
                audit_one(prop, Function(f, x, setting), domain)
        except False_ as exc:
            at = ", ".join(f"{p} = {v}" for p, v in setting.items())
            audit.findings.append(f"{label}: FALSE{' at ' + at if at else ''}: {exc}")
        except Unsupported as exc:
            audit.unaudited.append(f"{label}: {exc}")
        else:
            audit.audited += 1
    return audit


def audit_one(prop: Any, f: Function, domain: sympy.Set) -> None:
    claim = prop.claim
    checks: dict[str, Callable[[], None]] = {
        "domain": lambda: check_domain(f, claim, domain),
        "limits": lambda: check_limit(f, claim, {}),
        "range": lambda: check_range(f, claim, domain),
        "value at 0": lambda: check_value_at_zero(f, claim),
        "slope at 0": lambda: check_slope_at_zero(f, claim),
        "critical points": lambda: check_critical_points(f, claim, domain),
        "poles": lambda: check_pole(f, claim),
        "max slope": lambda: check_max_slope(f, claim, domain),
        "symmetry": lambda: check_symmetry(f, claim),
        "monotonic": lambda: check_monotonic(f, claim, domain),
        "vanishing gradient": lambda: check_vanishing_gradient(f, claim, domain),
    }
    if prop.name not in checks:
        raise Unsupported(f"no check for {prop.name!r}")
    with mpmath.workdps(DPS):  # the claim's values, the points and f all at DPS digits
        checks[prop.name]()


def _said(claim: Any) -> str:
    return f"{claim.subject} {claim.relation} {claim.value}"


def audit_all(selected: list[Case] | None = None) -> Iterator[Audit]:
    for case in selected if selected is not None else cases():
        yield audit_case(case)
