"""The plot's caption, written from what the sampler found (its window, asymptotes, parameters)."""

from __future__ import annotations

from collections.abc import Sequence

import sympy


def plot_caption(head: str, x: sympy.Symbol, x_range: tuple[float, float],
                 asymptotes: Sequence[float], params: Sequence[sympy.Symbol],
                 parameter_value: float) -> str:
    """One LaTeX sentence or three: what is drawn, over which window, what is dashed and
    what the parameters were set to (a reader must know the curves are one member of a family)."""
    low, high = x_range
    caption = f"${head}({x})$ and its derivative ${head}'({x})$ for ${x}$ from ${low:g}$ to ${high:g}$."
    if asymptotes:
        where = ", ".join(f"${x} {_place(pole)}$" for pole in asymptotes)
        caption += f" Dashed: the asymptote{'s' if len(asymptotes) > 1 else ''} at {where}."
    if params:
        names = ", ".join(f"${sympy.latex(p)}$" for p in params)
        caption += f" Parameters {names} are set to {parameter_value:g}."
    return caption


def _place(value: float) -> str:
    """`= 1` where the located value is a short decimal to 9 digits, else `\\approx 1.571`."""
    short = round(value, 4)
    return f"= {short:g}" if abs(value - short) < 1e-9 else f"\\approx {value:.4g}"
