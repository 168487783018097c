"""The picture of f and f' on one figure, styled as in the first seed document.

x from −6 to 6, axes through the origin, f in #307EC7 and f' in #9621E2 with line width 3,
legend upper right without a frame. matplotlib is imported only here, only when a plot is
made, and files are byte-for-byte reproducible (no dates, no software tag, fixed hash salt).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from pathlib import Path

import sympy

from derive.pipeline import write_atomic

FUNCTION_COLOUR = "#307EC7"
DERIVATIVE_COLOUR = "#9621E2"
X_RANGE = (-6.0, 6.0)
SAMPLES = 1201
# Parameters (alpha, beta, k, ...) take this value in a plot, and the caption says so.
DEFAULT_PARAMETER = 1.0

_METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
}


def _values(expr: sympy.Expr, x: sympy.Symbol, xs):  # -> numpy array
    import numpy as np

    # lambdify prints our parsed tree (whitelisted functions, dummified names) to NumPy code;
    # no text the user typed is executed.
    # NumPy has no erf; lambdify would call math.erf, which refuses arrays.
    elementwise = {name: np.vectorize(getattr(math, name), otypes=[float])
                   for name in ("erf", "erfc", "gamma", "lgamma")}
    function = sympy.lambdify(x, expr, modules=[elementwise, "numpy"], dummify=True)
    with np.errstate(all="ignore"):
        ys = np.asarray(function(xs), dtype=float) * np.ones_like(xs)
    ys[~np.isfinite(ys)] = np.nan
    return ys


def plot_function(f: sympy.Expr, derivative: sympy.Expr, x: sympy.Symbol, *, label: str,
                  derivative_label: str, path: Path, fmt: str,
                  params: Mapping[sympy.Symbol, float] | None = None) -> Path:
    """Draw f and f' into `path` (fmt "png" or "pdf"), atomically; returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    values = {p: (params or {}).get(p, DEFAULT_PARAMETER) for p in f.free_symbols - {x}}
    f_value, d_value = f.subs(values), derivative.subs(values)
    xs = np.linspace(*X_RANGE, SAMPLES)
    with matplotlib.rc_context({"svg.hashsalt": "derive", "path.simplify": True,
                                "pdf.compression": 9, "font.size": 12}):
        fig, ax = plt.subplots(figsize=(9, 5))
        try:
            for side in ("left", "bottom"):
                ax.spines[side].set_position("zero")
            for side in ("right", "top"):
                ax.spines[side].set_color("none")
            ax.xaxis.set_ticks_position("bottom")
            ax.yaxis.set_ticks_position("left")
            f_ys, d_ys = _values(f_value, x, xs), _values(d_value, x, xs)
            ax.plot(xs, f_ys, color=FUNCTION_COLOUR, linewidth=3, label=label)
            ax.plot(xs, d_ys, color=DERIVATIVE_COLOUR, linewidth=3, label=derivative_label)
            ax.set_xlim(*X_RANGE)
            # Headroom above the curves, so the legend never sits on them.
            finite = np.concatenate([f_ys[np.isfinite(f_ys)], d_ys[np.isfinite(d_ys)], [0.0]])
            low, high = float(finite.min()), float(finite.max())
            span = (high - low) or 1.0
            ax.set_ylim(low - 0.05 * span, high + 0.3 * span)
            ax.legend(loc="upper right", frameon=False)
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt], dpi=100, bbox_inches="tight")
            write_atomic(path, buffer.getvalue())
        finally:
            plt.close(fig)
    return path
