"""The numeric probe: evaluate both sides at deterministic real points, at 30 digits.

Points respect each symbol's assumptions (a positive symbol gets positive values, an
integer one integers), start with "nice" values so a counterexample reads well, then go on
with seeded pseudo-random values of both signs and several magnitudes. A point where
either side is undefined or infinite is skipped. Where both sides are real and differ
beyond doubt (at 30 digits, and again at 50) the probe has a counterexample. Where a side
is not real the point cannot give a counterexample, but two finite sides that differ there
still contradict a claimed identity: the probe records it as a conflict.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sympy

from derive.model import Counterexample

DIGITS = 30
CONFIRM_DIGITS = 50
RELATIVE = 1e-15  # sides further apart than this, relative to their size, differ
STABLE = 1e-10  # a confirmed difference agrees with the first one to this relative size
ENOUGH = 12  # usable points after which the probe stops
MINIMUM = 8  # usable points needed for a "checked" verdict
CANDIDATES = 24  # points tried at most
SEED = 20240917

# Sizes of the nice values; signs come from the point's index (see `_values`).
NICE = ("0.5", "1.5", "2", "0.75", "1.25", "2.5", "3", "0.3", "0.8", "4", "1.7", "1.1")
NICE_INTEGERS = ("2", "1", "3", "4", "5", "2", "7", "3", "6", "1", "8", "5")
_UNDEFINED = (sympy.nan, sympy.zoo, sympy.oo, -sympy.oo)


@dataclass
class Probe:
    """What the probe found so far; filled in as it goes, so a timeout keeps the results."""

    left: sympy.Expr
    right: sympy.Expr
    agreed: int = 0  # points where both sides are real and equal
    tried: int = 0
    counterexample: Counterexample | None = None
    conflict: str = ""  # first point where finite non-real sides differ
    unevaluable: bool = False  # a side holds an unknown function or a pending derivative
    symbols: tuple[sympy.Symbol, ...] = field(default=())
    kinks: tuple[sympy.Expr, ...] = field(default=())

    def run(self, deadline: float = float("inf")) -> Probe:
        import mpmath

        self.symbols = tuple(sorted(self.left.free_symbols | self.right.free_symbols, key=str))
        if not (_evaluable(self.left) and _evaluable(self.right)):
            self.unevaluable = True
            return self
        self.kinks = kinks(self.left) + kinks(self.right)
        with mpmath.workdps(CONFIRM_DIGITS + 10):
            for point in points(self.symbols):
                if self.agreed >= ENOUGH or time.perf_counter() > deadline:
                    break
                self.tried += 1
                self._visit(point)
                if self.counterexample is not None:
                    break
        return self

    def _visit(self, point: tuple[tuple[sympy.Symbol, str], ...]) -> None:
        subs = {symbol: sympy.Rational(text) for symbol, text in point}
        if self._on_a_kink(subs):
            return
        left, right = evaluate(self.left, subs, DIGITS), evaluate(self.right, subs, DIGITS)
        if left is None or right is None:
            return
        if _is_real(left) and _is_real(right):
            if not _differ(left.real, right.real):
                self.agreed += 1
                return
            confirmed = self._confirm(subs, left - right, real=True)
            if confirmed is not None:
                where = tuple((str(symbol), text) for symbol, text in point)
                self.counterexample = Counterexample(where, _show(confirmed[0].real),
                                                     _show(confirmed[1].real))
            return
        if _differ(left, right) and not self.conflict:
            confirmed = self._confirm(subs, left - right, real=False)
            if confirmed is not None:
                at = ", ".join(f"{symbol} = {text}" for symbol, text in point)
                self.conflict = (f"at {at} the sides are not both real and differ: "
                                 f"left = {_show(confirmed[0])}, right = {_show(confirmed[1])}")

    def _on_a_kink(self, subs: dict[sympy.Symbol, sympy.Rational]) -> bool:
        """A point where pieces meet (|u| at u = 0, a Piecewise boundary, a tie in Max):
        derivatives there are not defined, so it proves and refutes nothing."""
        for kink in self.kinks:
            value = evaluate(kink, subs, DIGITS)
            if value is not None and abs(value) < 1e-20:
                return True
        return False

    def _confirm(self, subs: dict[sympy.Symbol, sympy.Rational], difference: Any, *,
                 real: bool) -> tuple[Any, Any] | None:
        """Re-evaluate at 50 digits: a genuine difference stays put, rounding noise does not."""
        left = evaluate(self.left, subs, CONFIRM_DIGITS)
        right = evaluate(self.right, subs, CONFIRM_DIGITS)
        if left is None or right is None:
            return None
        if real and not (_is_real(left) and _is_real(right)):
            return None
        if not _differ(left, right):
            return None
        if abs((left - right) - difference) > STABLE * abs(left - right):
            return None
        return left, right


def kinks(expr: sympy.Expr) -> tuple[sympy.Expr, ...]:
    """Expressions that vanish where expr switches between pieces."""
    found: list[sympy.Expr] = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Abs, sympy.sign, sympy.Heaviside)):
            found.append(node.args[0])
        elif isinstance(node, (sympy.Max, sympy.Min)):
            found.extend(a - b for i, a in enumerate(node.args) for b in node.args[i + 1:])
        elif isinstance(node, sympy.core.relational.Relational):
            found.append(node.lhs - node.rhs)
    return tuple(k for k in dict.fromkeys(found) if k.free_symbols)


def _evaluable(expr: sympy.Expr) -> bool:
    """An unknown function f(x) or a derivative left pending has no value at a point."""
    from sympy.core.function import AppliedUndef

    return not expr.has(AppliedUndef, sympy.Derivative, sympy.Integral, sympy.Subs)


def evaluate(expr: sympy.Expr, subs: dict[sympy.Symbol, sympy.Rational], digits: int) -> Any:
    """The value of expr at an exact point, as an mpmath complex number; None if undefined."""
    import mpmath

    try:
        exact = expr.xreplace(subs)
        if exact.has(*_UNDEFINED):
            return None
        value = exact.evalf(digits)
        if not value.is_number or value.has(*_UNDEFINED):
            return None
        real, imag = value.as_real_imag()
        with mpmath.workdps(CONFIRM_DIGITS + 10):
            result = mpmath.mpc(_mpf(real), _mpf(imag))
    except Exception:  # a side that cannot be evaluated here is skipped
        return None
    if not (mpmath.isfinite(result.real) and mpmath.isfinite(result.imag)):
        return None
    return result


def _mpf(number: sympy.Expr) -> Any:
    import mpmath

    if isinstance(number, sympy.Float):
        return mpmath.mpf(number._mpf_)
    if number.is_Rational:
        return mpmath.mpf(int(number.p)) / int(number.q)
    raise ValueError(f"not a number: {number}")


def _is_real(value: Any) -> bool:
    return bool(abs(value.imag) <= 10.0 ** (5 - DIGITS) * max(1, abs(value.real)))


def _differ(a: Any, b: Any) -> bool:
    import mpmath

    with mpmath.workdps(CONFIRM_DIGITS + 10):
        scale = max(abs(a), abs(b))
        return bool(scale != 0 and abs(a - b) > RELATIVE * scale)


def _show(value: Any) -> str:
    """About ten significant digits: enough to see the difference, short enough to read."""
    import mpmath

    if _is_real(value):
        return str(mpmath.nstr(value.real, 10))
    return str(mpmath.nstr(value, 10))


# -- the points -------------------------------------------------------------------------


def points(symbols: tuple[sympy.Symbol, ...]) -> Iterator[tuple[tuple[sympy.Symbol, str], ...]]:
    """Deterministic points: nice values first, then seeded random ones; each symbol's own
    column is shifted so that two symbols do not take the same value at the same point."""
    columns = [list(_values(symbol, j)) for j, symbol in enumerate(symbols)]
    for i in range(CANDIDATES):
        texts = [columns[j][i] for j in range(len(symbols))]
        if all(text is not None for text in texts):
            yield tuple((symbol, str(text)) for symbol, text in zip(symbols, texts, strict=True))
        if not symbols:
            return


def _values(symbol: sympy.Symbol, column: int) -> Iterator[str | None]:
    """Column j's nice values: sizes shifted by 5j, sign from bit j of the index, so that
    the first few points already meet every sign combination of the first symbols
    (x: 0.5, -1.5, 2, -0.75, ...; y: +, +, -, -, ...)."""
    integer = bool(symbol.is_integer)
    nice = NICE_INTEGERS if integer else NICE
    rng = random.Random(SEED + column)
    for i in range(CANDIDATES):
        if i < len(nice):
            size = nice[(i + 5 * column) % len(nice)]
            text = "-" + size if (i >> (column % 4)) & 1 else size
        else:
            text = _random_value(rng, integer)
        yield _respect(symbol, text)


def _random_value(rng: random.Random, integer: bool) -> str:
    sign = rng.choice((1, -1))
    if integer:
        return str(sign * rng.randint(1, 40))
    digits = rng.randint(100, 999)  # three significant digits
    scale = rng.choice((-4, -3, -2, -1))  # magnitudes 0.0x to 10x
    return format(Decimal(sign * digits).scaleb(scale), "f")


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
