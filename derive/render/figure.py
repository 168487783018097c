"""The picture of f and f' on one figure, styled as in the first seed document.

x from −6 to 6, axes through the origin, f in #307EC7 and f' in #9621E2 with line width 3,
legend upper right without a frame. Pictures are byte-for-byte reproducible (no dates, no
software tag, fixed hash salt). This module draws sampled values and never imports SymPy,
so a process of its own can import matplotlib and draw while another imports SymPy
(derive.process.cold_start); derive.analysis.plot samples f and f'.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

FUNCTION_COLOUR = "#307EC7"
DERIVATIVE_COLOUR = "#9621E2"
X_RANGE = (-6.0, 6.0)
SAMPLES = 1201

# Inches and points, per place the figure is shown. A page shows it at 90 % of the text
# width. A slide shows it in a column of 56 % of 128 mm, where the page's 9-inch figure
# would set its 12 pt labels at under 4 pt: the slide's figure is drawn smaller instead.
# Headroom: the share of the curves' span left free above them for the legend.
SIZES: dict[str, dict[str, Any]] = {"page": {"figsize": (9, 5), "font": 12, "line": 3.0, "headroom": 0.3},
         "slide": {"figsize": (4.2, 3.0), "font": 11, "line": 2.5, "headroom": 0.5}}

_METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
}


@dataclass(frozen=True)
class Curves:
    """f and f' at SAMPLES evenly spaced points of X_RANGE (NaN where undefined), and
    their legend labels: all the figure needs, as plain numbers and text."""

    f: Any  # numpy array
    derivative: Any
    label: str
    derivative_label: str


def xs() -> Any:
    import numpy as np

    return np.linspace(*X_RANGE, SAMPLES)


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

    points = xs()
    style = SIZES[size]
    with matplotlib.rc_context({"svg.hashsalt": "derive", "path.simplify": True,
                                "pdf.compression": 9, "font.size": style["font"]}):
        fig, ax = plt.subplots(figsize=style["figsize"])
        try:
            for side in ("left", "bottom"):
                ax.spines[side].set_position("zero")
            for side in ("right", "top"):
                ax.spines[side].set_color("none")
            ax.xaxis.set_ticks_position("bottom")
            ax.yaxis.set_ticks_position("left")
            ax.plot(points, curves.f, color=FUNCTION_COLOUR, linewidth=style["line"],
                    label=curves.label)
            ax.plot(points, curves.derivative, color=DERIVATIVE_COLOUR, linewidth=style["line"],
                    label=curves.derivative_label)
            ax.set_xlim(*X_RANGE)
            # Headroom above the curves, so the legend never sits on them.
            f_ys, d_ys = curves.f, curves.derivative
            finite = np.concatenate([f_ys[np.isfinite(f_ys)], d_ys[np.isfinite(d_ys)], [0.0]])
            low, high = float(finite.min()), float(finite.max())
            span = (high - low) or 1.0
            ax.set_ylim(low - 0.05 * span, high + style["headroom"] * span)
            ax.legend(loc="upper right", frameon=False)
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
