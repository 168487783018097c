"""Facts about f to show beside f': limits, range, f(0), f'(0), steepest slope, symmetry,
monotonicity — each a claim (derive.analysis.properties.claim) whose verdict comes from
derive.verify.

One finder per module, each declaring the typed facts it reads and gives
(derive.analysis.properties.registry); a new property is one new module and one line in
FINDERS. A finder that cannot verify its claim claims nothing: the result is a subset,
never a guess. What is attempted is decided by size budgets; the properties' own clock only
stops runaway work, and `Report.stopped` names the finders it stopped, so that a document
says so in words.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from derive.analysis.properties import (
    critical_points,
    domain,
    limits,
    max_slope,
    monotonic,
    poles,
    slope_at_zero,
    symmetry,
    value_at_zero,
    value_range,
    vanishing_gradient,
)
from derive.analysis.properties.claim import ORDER, Claim, Property
from derive.analysis.properties.context import PROPERTIES_SECONDS, Context
from derive.analysis.properties.registry import Facts, Finder, in_dependency_order

__all__ = ["FINDERS", "ORDER", "Claim", "Property", "Report", "analyse", "find_properties"]

FINDERS: tuple[Finder, ...] = in_dependency_order((
    domain.FINDER, critical_points.FINDER, poles.FINDER, limits.FINDER, value_at_zero.FINDER,
    slope_at_zero.FINDER, monotonic.FINDER, value_range.FINDER, max_slope.FINDER,
    vanishing_gradient.FINDER, symmetry.FINDER))


@dataclass(frozen=True)
class Report:
    properties: tuple[Property, ...]  # in the order of ORDER
    stopped: tuple[str, ...]  # finders the runaway clock stopped (empty: every one finished)


def analyse(f: sympy.Expr, x: sympy.Symbol, derivative: sympy.Expr | None = None, *,
            name_latex: str = "f", seconds: float = PROPERTIES_SECONDS) -> Report:
    """Every finder's verified claims about f, and which finders were stopped."""
    ctx = Context.of(sympy.sympify(f), x, derivative, name_latex, seconds)
    known: dict[type, object] = {}
    found: list[Property] = []
    for finder in FINDERS:
        ctx.finder = finder.name
        if ctx.out_of_time:
            ctx.note_stopped()
            continue
        try:
            result = finder.find(ctx, Facts(known, finder.reads))
        except Exception:  # SymPy raises anything; a failed finder claims nothing
            continue
        found.extend(result.properties)
        if finder.gives is not None and result.fact is not None:
            known[finder.gives] = result.fact
    return Report(tuple(sorted(found, key=lambda p: ORDER.index(p.name))), tuple(ctx.stopped))


def find_properties(f: sympy.Expr, x: sympy.Symbol, derivative: sympy.Expr | None = None, *,
                    name_latex: str = "f",
                    seconds: float = PROPERTIES_SECONDS) -> tuple[Property, ...]:
    """The verified properties of f, in the order of ORDER."""
    return analyse(f, x, derivative, name_latex=name_latex, seconds=seconds).properties
