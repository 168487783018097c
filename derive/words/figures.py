"""The plot's caption, written from what the sampler found (its window, asymptotes, parameters)."""

from __future__ import annotations

from collections.abc import Sequence

import sympy


def plot_caption(head: str, x: sympy.Symbol, x_range: tuple[float, float],
                 asymptotes: Sequence[float], params: Sequence[sympy.Symbol],
                 parameter_value: float, *, holes: Sequence[float] = (),
                 derivative_holes: Sequence[float] = ()) -> str:
    """One LaTeX sentence or four: what is drawn, over which window, what is dashed, what
    the open circles are (holes: where f, or f', is undefined though both sides agree) and
    what the parameters were set to (a reader must know the curves are one member of a family)."""
    low, high = x_range
    caption = f"${head}({x})$ and its derivative ${head}'({x})$ for ${x}$ from ${low:g}$ to ${high:g}$."
    if asymptotes:
        where = ", ".join(f"${x} {_place(pole)}$" for pole in asymptotes)
        caption += f" Dashed: the asymptote{'s' if len(asymptotes) > 1 else ''} at {where}."
    if holes or derivative_holes:
        caption += " " + _holes_sentence(head, x, list(holes), list(derivative_holes))
    if params:
        names = ", ".join(f"${sympy.latex(p)}$" for p in params)
        caption += f" Parameters {names} are set to {parameter_value:g}."
    return caption


def _place(value: float) -> str:
    """`= 1` where the located value is a short decimal to 9 digits, else `\\approx 1.571`."""
    short = round(value, 4)
    return f"= {short:g}" if abs(value - short) < 1e-9 else f"\\approx {value:.4g}"


def _holes_sentence(head: str, x: sympy.Symbol, holes: list[float],
                    derivative_holes: list[float]) -> str:
    """`Open circles: f(x) and f'(x) are not defined at x = 0.` (one clause per set of
    places; a jump's two ends are two circles at one place)."""
    def at(points: list[float]) -> str:
        return " and ".join(f"${x} {_place(p)}$" for p in sorted(set(points)))

    opening = "Open circles:" if len(holes) + len(derivative_holes) > 1 else "Open circle:"
    if set(holes) == set(derivative_holes):
        return f"{opening} ${head}({x})$ and ${head}'({x})$ are not defined at {at(holes)}."
    clauses = [f"${name}({x})$ is not defined at {at(points)}"
               for name, points in ((head, holes), (f"{head}'", derivative_holes)) if points]
    return f"{opening} {'; '.join(clauses)}."
