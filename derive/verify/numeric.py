"""The numeric probe: both sides at points derived from the claim, in certified ball arithmetic.

At each point (`derive.verify.points`) both sides are evaluated as Arb balls
(`derive.verify.ball`), starting at 128 bits and doubling while a ball is too wide, up to
`MAX_BITS`. Three outcomes per point:

* the balls are **disjoint** at a point where both sides are defined and real: a proof that
  the sides differ there — a counterexample;
* both balls are accurate to `DIGITS` significant digits and overlap: the sides **agree**
  to `DIGITS` digits at that point;
* neither at `MAX_BITS` (a value that is exactly 0 computed from large terms, or a side
  too ill-conditioned to pin down): **unresolved**, which proves and refutes nothing.
  Precision loss is never taken for a difference.

Besides the two sides the probe may be given *reduced differences*: expressions that vanish
wherever the sides agree (the numerator N_L·D_R − N_R·D_L of `derive.verify.rational`).
Exact cancellation has already happened in them, so x² + 10⁻⁴⁰x⁷ against x² leaves x⁷,
plainly nonzero: a ball for it that excludes 0, at a point where both sides are defined and
real, is a proof of difference too.

Where a side is not real the point cannot give a counterexample, but two finite non-real
sides that differ still contradict a claimed identity: the probe records that as a conflict
(from SymPy's evalf, as a warning that keeps a symbolic "zero" from being trusted).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sympy

from derive.model import Counterexample
from derive.verify.points import Point, probe_sequence, readable_points

if TYPE_CHECKING:
    from flint import arb

# python-flint (`derive.verify.ball`) is imported on the first probe, not with the
# verifier: most steps are proved by cancel, and a cold run should not pay for Arb.

DIGITS = 30  # significant digits two agreeing sides must both be known to
START_BITS = 128
MAX_BITS = 4096  # precision cap: a ball still too wide here leaves its point unresolved
MINIMUM = 8  # agreeing points needed for a "checked" verdict
READABLE_TRIES = 6  # short points tried to report a counterexample a reader can check
CONFLICT_TRIES = 3  # non-real points compared (uncertified, through SymPy's evalf)
_DIGIT_BITS = int(DIGITS * 3.3220) + 4
_UNDEFINED = (sympy.nan, sympy.zoo, sympy.oo, -sympy.oo)


@dataclass
class Probe:
    """What the probe found so far; filled in as it goes, so a timeout keeps the results."""

    left: sympy.Expr
    right: sympy.Expr
    # (how it was reduced, the difference written out on demand)
    reduced: tuple[tuple[str, Callable[[], sympy.Expr | None]], ...] = ()
    _differences: list[tuple[str, sympy.Expr]] | None = None
    agreed: int = 0  # points where both sides are real and agree to DIGITS digits
    tried: int = 0
    unresolved: int = 0  # both real and defined, but not pinned down at MAX_BITS
    total: int = 0  # points the probe means to visit
    counterexample: Counterexample | None = None
    proof: str = ""  # how the counterexample was proved
    conflict: str = ""  # first point where finite non-real sides differ
    conflict_tries: int = 0
    unevaluable: bool = False  # a side holds an unknown function or a pending derivative
    unsupported: str = ""  # a node with no certified evaluation
    cut_off: bool = False  # the clock stopped the probe before its last point
    bits: int = START_BITS  # the highest precision a point needed
    sizes: list[sympy.Rational] = field(default_factory=list)  # |coordinates| where agreed
    symbols: tuple[sympy.Symbol, ...] = field(default=())

    def run(self, deadline: float = float("inf")) -> Probe:
        self.symbols = tuple(sorted(self.left.free_symbols | self.right.free_symbols, key=str))
        if not (_evaluable(self.left) and _evaluable(self.right)):
            self.unevaluable = True
            return self
        # One at a time: the costly critical points are found only if the first points
        # do not already decide (a wrong step usually fails at the first).
        exhausted = True
        for point in probe_sequence(self.left, self.right, self.symbols):
            if time.process_time() > deadline:
                self.cut_off, exhausted = True, False
                break
            self.tried += 1
            self._visit(point)
            if self.counterexample is not None or self.unsupported:
                exhausted = False
                break
        # every point visited, or (stopped early) at least one more was meant
        self.total = self.tried if exhausted else self.tried + 1
        if self.counterexample is not None and self.symbols:
            self._readable()
        return self

    def _readable(self) -> None:
        """Report the first short point where the difference is proved too, if there is one:
        a reader can check x = 0.5 by hand, not x = 9.022337873518."""
        found, proof = self.counterexample, self.proof
        for point in readable_points(self.symbols)[:READABLE_TRIES]:
            self.counterexample = None
            self._visit(point, count=False)
            if self.counterexample is not None:
                return
        self.counterexample, self.proof = found, proof

    @property
    def complete(self) -> bool:
        return self.tried == self.total and not self.cut_off and not self.unsupported

    def range_text(self) -> str:
        names = ", ".join(f"|{s}|" for s in self.symbols) or "no variable"
        if not self.sizes:
            return names
        return f"{names} from {_short(min(self.sizes))} to {_short(max(self.sizes))}"

    def _visit(self, point: Point, *, count: bool = True) -> None:
        from derive.verify import ball

        subs = point.subs()
        bits = START_BITS
        checked_reduced = False
        while bits <= MAX_BITS:
            try:
                left = ball.real_value(self.left, subs, bits)
                right = ball.real_value(self.right, subs, bits)
            except ball.Imprecise:
                bits *= 2
                continue
            except ball.Undefined:
                return
            except ball.NotReal:
                if count:
                    self._conflict(point, subs)
                return
            except ball.Unsupported as error:
                if count:
                    self.unsupported = str(error)
                return
            self.bits = max(self.bits, bits)
            if not left.overlaps(right):
                self._found(point, left, right, f"the balls at {bits} bits are disjoint")
                return
            if not checked_reduced:
                checked_reduced = True
                for how, difference in self.differences():
                    if _nonzero(difference, subs, bits):
                        self._found(point, left, right, f"{how} leaves {_brief(difference)}, "
                                                        f"nonzero there")
                        return
            if _accurate(left) and _accurate(right):
                if count:
                    self.agreed += 1
                    self.sizes.extend(abs(v) for v in subs.values())
                return
            bits *= 2
        if count:
            self.unresolved += 1

    def differences(self) -> list[tuple[str, sympy.Expr]]:
        """The reduced differences, written out once; a Piecewise generator is left to the
        kink-aware stages (rebuilding one is slow), a failed reduction is skipped."""
        if self._differences is None:
            self._differences = []
            for how, write in self.reduced:
                try:
                    difference = write()
                except Exception:  # (Unsupported, a zero denominator: nothing to use)
                    continue
                if difference is not None and difference != 0 and not difference.has(
                        sympy.Piecewise):
                    self._differences.append((how, difference))
        return self._differences

    def _found(self, point: Point, left: arb, right: arb, proof: str) -> None:
        where = tuple((str(symbol), text) for symbol, text in point.values)
        self.counterexample = Counterexample(where, *_show_pair(left, right))
        self.proof = proof

    def _conflict(self, point: Point, subs: dict[sympy.Symbol, sympy.Rational]) -> None:
        """Finite sides that are not both real: do they differ? (uncertified: only a warning)"""
        if self.conflict or self.conflict_tries >= CONFLICT_TRIES:
            return
        self.conflict_tries += 1
        left, right = _complex_value(self.left, subs), _complex_value(self.right, subs)
        if left is None or right is None:
            return
        scale = max(abs(left), abs(right))
        if scale != 0 and abs(left - right) > 1e-12 * scale:
            where = ", ".join(f"{symbol} = {text}" for symbol, text in point.values)
            self.conflict = (f"at {where} the sides are not both real and differ: "
                             f"left = {_show_complex(left)}, right = {_show_complex(right)}")


def _accurate(value: arb) -> bool:
    return value.is_exact() or value.rel_accuracy_bits() >= _DIGIT_BITS


def _nonzero(difference: sympy.Expr, subs: dict[sympy.Symbol, sympy.Rational], bits: int) -> bool:
    """Is the reduced difference provably nonzero at the point?"""
    from derive.verify import ball

    while bits <= MAX_BITS:
        try:
            value = ball.real_value(difference, subs, bits)
        except ball.Imprecise:
            bits *= 2
            continue
        except ball.Unevaluable:
            return False
        if value.is_zero():
            return False
        if not value.contains(0):
            return True
        bits *= 2
    return False


def _evaluable(expr: sympy.Expr) -> bool:
    """An unknown function f(x) or a derivative left pending has no value at a point."""
    from sympy.core.function import AppliedUndef

    return not expr.has(AppliedUndef, sympy.Derivative, sympy.Integral, sympy.Subs)


def _complex_value(expr: sympy.Expr, subs: dict[sympy.Symbol, sympy.Rational]) -> complex | None:
    try:
        exact = expr.xreplace(subs)
        if exact.has(*_UNDEFINED):
            return None
        value = complex(exact.evalf(30))
    except Exception:  # (a side that cannot be evaluated here is skipped)
        return None
    if value != value or abs(value) == float("inf"):
        return None
    return value


def _show_pair(left: arb, right: arb) -> tuple[str, str]:
    """Both midpoints to ten significant digits, or more until they read differently (a
    difference in the 40th digit shows the same 40 digits: the detail says by how much)."""
    for digits in (10, 20, 30, 40):
        shown = _show(left, digits), _show(right, digits)
        if shown[0] != shown[1]:
            return shown
    return shown


def _show(value: arb, digits: int) -> str:
    text = value.mid().str(digits, radius=False)
    mantissa, e, exponent = text.partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + e + exponent


def _show_complex(value: complex) -> str:
    return f"{value.real:.10g} + {value.imag:.10g}i" if value.imag else f"{value.real:.10g}"


def _short(value: sympy.Rational) -> str:
    return f"{float(value):.2g}"


def _brief(expr: sympy.Expr) -> str:
    text = str(sympy.sstr(expr))
    return text if len(text) <= 60 else text[:57] + "..."
