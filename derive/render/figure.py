"""The picture of f and f' on one figure, in the first seed document's colours.

f in #307EC7 and f' in #9621E2 with line width 3, on the window derive.analysis.plot chose.
The seed put the axes through the origin, where their tick labels sit under the curves;
here the ticks stand at the frame's edges, the axes x = 0 and y = 0 are thin grey lines
behind the curves, poles get a dashed asymptote, and the legend stands above the frame,
where no curve can be. Pictures are byte-for-byte reproducible (no dates, no software tag,
fixed hash salt). This module draws sampled values and never imports SymPy, so a process
of its own can import matplotlib and draw while another imports SymPy
(derive.process.cold_start).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

FUNCTION_COLOUR = "#307EC7"
DERIVATIVE_COLOUR = "#9621E2"
AXIS_COLOUR = "0.6"
SAMPLES = 1201

# Inches and points, per place the figure is shown, so that the 12 pt labels read at about
# 9.5 pt where it is shown. A page shows it at 90 % of the article's text width (5.7 in)
# and a slide in a column of 56 % of Beamer's (2.4 in), both about 0.8 of the drawn size.
SIZES: dict[str, dict[str, Any]] = {
    "page": {"figsize": (7, 4), "font": 12, "line": 3.0},
    "slide": {"figsize": (2.9, 2.2), "font": 12, "line": 2.0},
}

_METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
}


@dataclass(frozen=True)
class Curves:
    """f and f' at SAMPLES evenly spaced points of the window (NaN where undefined or where
    the curve jumps), their legend labels, the view and the poles: all the figure needs,
    as plain numbers and text."""

    xs: Any  # numpy arrays
    f: Any
    derivative: Any
    label: str
    derivative_label: str
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    asymptotes: tuple[float, ...] = ()
    holes: tuple[tuple[float, float], ...] = ()  # (x, the value on both sides) of f
    derivative_holes: tuple[tuple[float, float], ...] = ()  # the same of f'


def import_matplotlib() -> None:
    """Import what draw() uses, so that a process can pay for it before its job arrives."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot


def draw(curves: Curves, fmt: str, size: str = "page") -> bytes:
    """The picture of the curves as a file's bytes (fmt "png" or "pdf"; size one of SIZES)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    style = SIZES[size]
    with matplotlib.rc_context({"svg.hashsalt": "derive", "path.simplify": True,
                                "pdf.compression": 9, "font.size": style["font"]}):
        fig, ax = plt.subplots(figsize=style["figsize"])
        try:
            for side in ("right", "top"):
                ax.spines[side].set_visible(False)
            (x_low, x_high), (y_low, y_high) = curves.x_range, curves.y_range
            if y_low < 0 < y_high:
                ax.axhline(0, color=AXIS_COLOUR, linewidth=0.8, zorder=0)
            # A pole at 0 is marked by its dashed asymptote, which the solid axis would hide.
            if x_low < 0 < x_high and not any(abs(pole) < 1e-9 for pole in curves.asymptotes):
                ax.axvline(0, color=AXIS_COLOUR, linewidth=0.8, zorder=0)
            for pole in curves.asymptotes:
                ax.axvline(pole, color=AXIS_COLOUR, linewidth=1.0, linestyle="--", zorder=0)
            ax.plot(curves.xs, curves.f, color=FUNCTION_COLOUR, linewidth=style["line"],
                    label=curves.label)
            # f' = f (e^x): the derivative drawn dashed on top, or it would hide f.
            same = bool(np.allclose(curves.f, curves.derivative, rtol=1e-9, atol=1e-12,
                                    equal_nan=True))
            ax.plot(curves.xs, curves.derivative, color=DERIVATIVE_COLOUR,
                    linewidth=style["line"], label=curves.derivative_label,
                    linestyle=(0, (3, 3)) if same else "-")
            # A removable hole: an open circle, white inside, over the gap in the line.
            for holes, colour in ((curves.holes, FUNCTION_COLOUR),
                                  (curves.derivative_holes, DERIVATIVE_COLOUR)):
                for at, value in holes:
                    ax.plot([at], [value], marker="o", linestyle="none", zorder=3,
                            markersize=2.6 * style["line"], markeredgewidth=0.6 * style["line"],
                            markerfacecolor="white", markeredgecolor=colour)
            ax.set_xlim(x_low, x_high)
            ax.set_ylim(y_low, y_high)
            ax.margins(0)
            legend = ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2,
                               frameon=False, borderaxespad=0.2, handlelength=1.5)
            # Long names side by side would stand out past the frame, and the tight bounding
            # box would then widen the picture, so that it is shown smaller (its labels below
            # their size): one above the other instead.
            # The picture keeps its height (the frame has room for no more): the plot gives
            # the second line of the legend its place.
            renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg has it
            if legend.get_window_extent(renderer).width > ax.get_window_extent(renderer).width:
                side_by_side = legend.get_window_extent(renderer).height
                legend.remove()
                legend = ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=1,
                                   frameon=False, borderaxespad=0.2, handlelength=1.5)
                grown = legend.get_window_extent(renderer).height - side_by_side
                width, height = fig.get_size_inches()
                fig.set_size_inches(width, height - grown / fig.dpi)
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt], dpi=100, bbox_inches="tight")
        finally:
            plt.close(fig)
    return buffer.getvalue()


def draw_all(job: dict[str, Any]) -> list[str]:
    """The pictures one plot needs, base64-encoded (they travel as JSON from a worker, and
    the caller writes them with the documents):
    job = {"curves": Curves, "pictures": [(fmt, size), ...]}."""
    import base64

    return [base64.b64encode(draw(job["curves"], fmt, size)).decode("ascii")
            for fmt, size in job["pictures"]]
