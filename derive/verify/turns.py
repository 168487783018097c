"""f' changes sign exactly once on ℝ, proved by interval arithmetic (derive.verify.bounds):
the lowest (or highest) value of a smooth f whose f' solveset cannot solve (swish, GELU,
mish: x·σ(x) has its minimum where 1 + x(1 − σ(x)) = 0, which has no closed form).

For a turn near a numerically found zero x₀ of f' (a minimum: f' goes from − to +):

1. a bracket [a, b] around x₀ where f'' > 0 (an enclosure of f'' on [a, b]), with
   f'(a) < 0 < f'(b) (certified balls): f' is increasing there, so it has exactly one zero
   x* in (a, b);
2. f' ≤ 0 on (−∞, a] and f' ≥ 0 on [b, ∞): on bounded stretches by enclosures of f',
   bisected within a size budget; on the unbounded ends either by an enclosure too, or by
   monotonicity: the limit L of f' at the end is proved (derive.verify.claims.prove_limit)
   and f'' has one sign on the whole end (an enclosure), so f' lies on one side of L there;
3. then f is non-increasing up to x* and non-decreasing after it: f(x*) is its least value,
   and x* is pinned down to a narrow sub-bracket by two more certified signs of f', inside
   which an enclosure of f holds f(x*).

Every step is an enclosure or a proved limit; any step that does not certify leaves the
turn unproved (None), never guessed. The budgets are sizes (how many enclosures), never the
clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from derive.verify.bounds import Bound, bounds

# Enclosures of f' tried on the stretches beside the bracket, at most: a budget of work.
MAX_PIECES = 400
# Half-widths of the bracket tried around x₀ (where f'' must keep one sign).
_BRACKETS = (sympy.Rational(1, 4), sympy.Rational(1, 16), sympy.Rational(1, 64))
# The unbounded ends start this far out (where the monotonicity argument is tried).
_FAR = (sympy.Integer(4), sympy.Integer(16), sympy.Integer(64))
_NARROW = sympy.Rational(1, 10**24)  # half-width of the sub-bracket that pins x*
_BITS = 256  # for the point signs beside x*, where f' is about 10⁻²⁴


@dataclass(frozen=True)
class Turn:
    """f' < 0 before x* and > 0 after (kind "min"), or the reverse ("max"); x* lies in
    [low, high] and f(x*) in the enclosure `value`."""

    kind: str
    low: sympy.Rational
    high: sympy.Rational
    value: Bound
    bracket: tuple[sympy.Rational, sympy.Rational]  # where f'' has one sign


def prove_one_turn(f: sympy.Expr, d: sympy.Expr, x: sympy.Symbol, near: Any, *,
                   seconds: float) -> Turn | None:
    """The one zero of f' = d on ℝ, near the number `near`, as a proved turn of f; None when
    a step does not certify. f and d must be continuous on all of ℝ (the caller proves it)."""
    d2 = sympy.diff(d, x)
    forms_d, forms_d2 = _forms(d), _forms(d2)
    x0 = sympy.Rational(str(near))
    budget = _Budget(MAX_PIECES)  # shared by every bracket tried
    for width in _BRACKETS:
        a, b = x0 - width, x0 + width
        sign_a, sign_b = _point_sign(forms_d, x, a), _point_sign(forms_d, x, b)
        if sign_a is None or sign_b is None or sign_a == sign_b:
            continue
        kind = "min" if sign_a < 0 else "max"
        rising = 1 if kind == "min" else -1
        if not _signed(forms_d2, x, a, b, rising, strict=True):
            continue  # f'' changes sign in the bracket (or no enclosure shows it does not)
        if not (_end_signed(forms_d, forms_d2, d, x, a, -rising, sympy.S.NegativeInfinity,
                            budget, seconds)
                and _end_signed(forms_d, forms_d2, d, x, b, rising, sympy.oo, budget,
                                seconds)):
            return None
        pinned = _pin(forms_d, x, x0, rising, a, b)
        if pinned is None:
            return None
        low, high = pinned
        value = bounds(f, {x: (low, high)}, bits=_BITS)
        if value is None or value.low is None or value.high is None:
            return None
        return Turn(kind, low, high, value, (a, b))
    return None


class _Budget:
    def __init__(self, pieces: int) -> None:
        self.left = pieces

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


# A form is kept only while it is at most this many times larger than f' as written, and
# factored only up to this size (factor's cost grows fast: gelu_tanh's f'' in exponentials).
_FORM_GROWTH = 4
_FACTOR_OPS = 60


def _forms(expr: sympy.Expr) -> list[sympy.Expr]:
    """expr as written, over one denominator, and with tanh, cosh, ... written in
    exponentials, cancelled and factored: interval arithmetic widens differently on each
    (x e^{−x}/(1 + e^{−x})² + 1/(1 + e^{−x}) keeps no sign far out, its numerator over one
    denominator does; mish's f' shows its sign far out only as e^x·(4x e^x + 4x + …)/(…)²).
    Each is equal to expr wherever expr is defined, and the callers work where expr is
    continuous, so an enclosure of any of them encloses expr."""
    limit = _FORM_GROWTH * sympy.count_ops(expr) + 20
    forms = [expr]
    together = sympy.together(expr)
    if together not in forms and sympy.count_ops(together) <= limit:
        forms.append(together)
    rewritten = sympy.together(expr.rewrite(sympy.exp))
    if sympy.count_ops(rewritten) <= min(limit, _FACTOR_OPS):
        factored = sympy.factor(sympy.cancel(rewritten))
        if factored not in forms and sympy.count_ops(factored) <= limit:
            forms.append(factored)
    return forms


def _point_sign(forms: list[sympy.Expr], x: sympy.Symbol, at: sympy.Rational) -> int | None:
    for form in forms:
        bound = bounds(form, {x: (at, at)}, bits=_BITS)
        if bound is None:
            continue
        if bound.low is not None and bound.low > 0:
            return 1
        if bound.high is not None and bound.high < 0:
            return -1
    return None


def _holds(bound: Bound | None, sign: int, strict: bool) -> bool:
    """bound ⊆ (0, ∞) or [0, ∞) (sign 1), or the negative side (sign −1)."""
    if bound is None:
        return False
    if sign > 0:
        return bound.low is not None and (bound.low > 0 if strict else bound.low >= 0)
    return bound.high is not None and (bound.high < 0 if strict else bound.high <= 0)


def _signed(forms: list[sympy.Expr], x: sympy.Symbol, low: sympy.Rational | None,
            high: sympy.Rational | None, sign: int, *, strict: bool = False) -> bool:
    """Some form's enclosure over [low, high] has the sign (one enclosure per form)."""
    return any(_holds(bounds(form, {x: (low, high)}), sign, strict) for form in forms)


def _bisected(forms: list[sympy.Expr], x: sympy.Symbol, low: sympy.Rational,
              high: sympy.Rational, sign: int, budget: _Budget) -> bool:
    """The sign (non-strict) on [low, high], halving where an enclosure is too wide."""
    pending = [(low, high)]
    while pending:
        a, b = pending.pop()
        if not budget.take():
            return False
        if _signed(forms, x, a, b, sign):
            continue
        middle = (a + b) / 2
        pending += [(a, middle), (middle, b)]
    return True


def _end_signed(forms_d: list[sympy.Expr], forms_d2: list[sympy.Expr], d: sympy.Expr,
                x: sympy.Symbol, start: sympy.Rational, sign: int, end: sympy.Expr,
                budget: _Budget, seconds: float) -> bool:
    """f' has the (non-strict) sign on the whole stretch from `start` to the end ±∞."""
    outward = 1 if end is sympy.oo else -1
    for far in _FAR:
        cut = start + outward * far
        lo, hi = (start, cut) if outward > 0 else (cut, start)
        if not _bisected(forms_d, x, lo, hi, sign, budget):
            continue
        tail: tuple[sympy.Rational | None, sympy.Rational | None] = (
            (cut, None) if outward > 0 else (None, cut))
        if _signed(forms_d, x, tail[0], tail[1], sign) or _monotone_tail(
                forms_d2, d, x, tail, sign, end, seconds):
            return True
    return False


def _monotone_tail(forms_d2: list[sympy.Expr], d: sympy.Expr, x: sympy.Symbol,
                   tail: tuple[sympy.Rational | None, sympy.Rational | None], sign: int,
                   end: sympy.Expr, seconds: float) -> bool:
    """f' has the sign on the tail because it is monotone there and its limit at the end
    has the sign: at −∞ a decreasing f' stays below its limit, at +∞ above it (and the
    other way round for an increasing f')."""
    from derive.verify.claims import prove_limit

    # below the limit (sign −1 wanted) or above it (sign 1 wanted): which way f' must move
    needed = -sign if end is sympy.oo else sign
    if not _signed(forms_d2, x, tail[0], tail[1], needed):
        return False
    proof = prove_limit(d, x, end, seconds=seconds)
    if proof is None or not proof.value.is_finite:
        return False
    limit = proof.value
    return bool(limit.is_nonnegative) if sign > 0 else bool(limit.is_nonpositive)


def _pin(forms: list[sympy.Expr], x: sympy.Symbol, x0: sympy.Rational, rising: int,
         a: sympy.Rational, b: sympy.Rational) -> tuple[sympy.Rational, sympy.Rational] | None:
    """A narrow [low, high] ⊆ [a, b] with f'(low), f'(high) of opposite signs: x*, the one
    zero in [a, b], lies in it."""
    low, high = max(a, x0 - _NARROW), min(b, x0 + _NARROW)
    if _point_sign(forms, x, low) == -rising and _point_sign(forms, x, high) == rising:
        return low, high
    return None
