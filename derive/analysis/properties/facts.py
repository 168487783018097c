"""The facts finders hand to later finders: typed, frozen, one class per kind."""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from derive.model import Verdict


@dataclass(frozen=True)
class Domain:
    """Where f is real and defined (`defined`) and where it is also continuous."""

    defined: sympy.Set
    continuous: sympy.Set


@dataclass(frozen=True)
class EndLimits:
    """f's limits at the ends of its domain (−∞ or 0⁺, and ∞); None where none was shown."""

    low: sympy.Expr | None
    high: sympy.Expr | None
    proved: bool = False  # both limits proved (derive.verify.claims.prove_limit), not checked


@dataclass(frozen=True)
class CriticalPoints:
    """Every zero of f' in `on` (solveset's complete list, each substituted back)."""

    points: tuple[sympy.Expr, ...]
    on: sympy.Set


@dataclass(frozen=True)
class ValueAtZero:
    value: sympy.Expr


@dataclass(frozen=True)
class SlopeAtZero:
    value: sympy.Expr


@dataclass(frozen=True)
class Monotonicity:
    kind: str  # "increasing", "non-decreasing", "decreasing", "non-increasing"
    verdict: Verdict


@dataclass(frozen=True)
class MaxSlope:
    peak: sympy.Expr
    verdict: Verdict
