"""f and f' sampled for the picture (derive.render.figure draws it), on a window chosen from
the function itself.

The seed's window, x from −6 to 6, suits activations; it is kept wherever it shows what
matters, and otherwise widened, narrowed or moved: to the domain (x^x lives on x > 0), to
cover the places where something happens (zeros of f', inflections, kinks, poles), and
short of a cliff (e^x at 6 is 400 times its value at 1, and a page of wall tells nothing).
Everything is decided from a fixed grid of samples, so the same function gives the same
window, byte for byte. Parameters (alpha, beta, k, ...) take DEFAULT_PARAMETER in a plot,
and the caption says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import sympy

from derive.render.figure import SAMPLES, Curves

DEFAULT_PARAMETER = 1.0
BASE_WINDOW = (-6.0, 6.0)  # the seed's
PROBE_RANGE = 60.0  # features are looked for on [-60, 60]
PROBE_SAMPLES = 24001  # a step of 0.005
NEAREST_FEATURES = 8  # a periodic function has features everywhere: the nearest ones count
GROWTH = 10.0  # a side is cut where |f| passes GROWTH × its size near the features,
DERIVATIVE_GROWTH = 3.0  # or |f'| this many times its own: a slope that keeps growing is a
# cliff (x^x beyond 2: a view up to 20 flattened its minimum into a dip), while f may grow
# along a bounded slope (softplus, ReLU keep the seed's window)
POLE_GROWTH = 8.0  # how much faster than 1/x would grow over 20 samples is not required
JUMP = 10.0  # a step between two samples this many times the typical step nearby is a jump


def _numeric(expr: sympy.Expr, x: sympy.Symbol) -> Callable[[Any], Any]:
    import numpy as np

    # lambdify prints our parsed tree (whitelisted functions, dummified names) to NumPy code;
    # no text the user typed is executed.
    # NumPy has no erf; lambdify would call math.erf, which refuses arrays.
    elementwise = {name: np.vectorize(getattr(math, name), otypes=[float])
                   for name in ("erf", "erfc", "gamma", "lgamma")}
    # The derivative of a step is 0 wherever it exists; the picture shows it there.
    expr = expr.replace(sympy.DiracDelta, lambda *args: sympy.S.Zero)
    function = sympy.lambdify(x, expr, modules=[elementwise, "numpy"], dummify=True)

    def values(points: Any) -> Any:
        with np.errstate(all="ignore"):
            try:
                raw = np.asarray(function(points)) * np.ones_like(points)
            except (NameError, TypeError, ValueError, ZeroDivisionError, OverflowError):
                return np.full_like(points, np.nan)  # nothing NumPy can evaluate: not drawn
            if np.iscomplexobj(raw):  # a side that is not real there is not drawn
                raw = np.where(np.abs(raw.imag) > 1e-12 * (1 + np.abs(raw.real)), np.nan, raw.real)
            ys = np.asarray(raw, dtype=float)
        ys[~np.isfinite(ys)] = np.nan
        return ys

    return values


def sample(f: sympy.Expr, derivative: sympy.Expr, x: sympy.Symbol, *, label: str,
           derivative_label: str, params: Mapping[sympy.Symbol, float] | None = None) -> Curves:
    """f and f' on a window chosen from them, parameters set to their plot values."""
    import numpy as np

    values = {p: (params or {}).get(p, DEFAULT_PARAMETER) for p in f.free_symbols - {x}}
    f_of = _numeric(f.subs(values), x)
    d_of = _numeric(derivative.subs(values), x)
    probe = np.linspace(-PROBE_RANGE, PROBE_RANGE, PROBE_SAMPLES)
    f_probe, d_probe = f_of(probe), d_of(probe)
    features, poles = _features(probe, f_probe, d_probe, f_of)
    low, high = _window(probe, f_probe, d_probe, features, poles)
    points = np.linspace(low, high, SAMPLES)
    f_ys, d_ys = f_of(points), d_of(points)
    inside = tuple(p for p in poles if low < p < high)
    limits = _y_limits(_beside_edges(points, f_ys, f_probe, probe),
                       _beside_edges(points, d_ys, f_probe, probe), bool(inside))
    f_holes = _holes(f.subs(values), x, f_of, low, high, limits)  # f may be defined at a jump
    d_holes = _holes(derivative.subs(values), x, d_of, low, high, limits) \
        + _jump_ends(points, d_ys, d_of, limits)
    return Curves(points, _broken(_opened(points, f_ys, f_holes), limits),
                  _broken(_opened(points, d_ys, d_holes), limits), label, derivative_label,
                  (low, high), limits, inside, f_holes, d_holes)


EDGE_SHARE = 0.03  # the part of the view next to an edge of f's domain the y limits ignore


def _beside_edges(points: Any, ys: Any, f_probe: Any, probe: Any) -> Any:
    """The curve without the samples next to a window edge where f's domain ends (NaN there),
    for the y limits only: a curve that runs off to infinity at the end of its domain
    (ln x, 1/(2 sqrt x) and x^x's f' at 0) leaves the view there, as it does at a pole,
    instead of stretching the view until the rest is flat."""
    import numpy as np

    out = ys.copy()
    defined = _domain(f_probe)
    step = float(probe[1] - probe[0])
    reach = EDGE_SHARE * float(points[-1] - points[0])
    for edge, inward in ((float(points[0]), 1.0), (float(points[-1]), -1.0)):
        outside = round((edge - inward * 2 * step - float(probe[0])) / step)
        if 0 <= outside < defined.size and not defined[outside]:
            out[np.abs(points - edge) < reach] = np.nan
    return out


HOLE_SAMPLES = 4001  # the grid on which a denominator's zeros are looked for
HOLE_AGREE = 1e-3  # both sides of a hole agree to this share of the view's height
MAX_HOLES = 12  # a bound, not a clock: more candidates than this are not examined


def _holes(expr: sympy.Expr, x: sympy.Symbol, of: Callable[[Any], Any], low: float,
           high: float, limits: tuple[float, float]) -> tuple[tuple[float, float], ...]:
    """Removable holes of a curve in the window: points where a denominator of `expr` is 0
    (exactly, at a simple closed form found for its numeric zero), `expr` itself is
    undefined there, and the curve comes to the same finite value from both sides
    (sin(x²)/x at 0, with the value 0; its f' with the value 1). Poles are not holes."""
    import numpy as np

    grid = np.linspace(low, high, HOLE_SAMPLES)
    found: list[float] = []
    for base in _denominators(expr, x):
        ys = _numeric(base, x)(grid)
        found.extend(_bisect_zero(_numeric(base, x), float(grid[i]), float(grid[i + 1]))
                     for i in _crossings(ys))
        found.extend(float(grid[i]) for i in np.nonzero(ys == 0)[0])
    holes: list[tuple[float, float]] = []
    height = limits[1] - limits[0]
    for guess in sorted(set(_merged(found, [])))[:MAX_HOLES]:
        where = _exact_zero(expr, x, guess)
        if where is None or not low < float(where) < high:
            continue
        at = float(where)
        step = 1e-6 * max(1.0, abs(at))
        left, right = of(np.array([at - step, at + step]))
        if np.isfinite(left) and np.isfinite(right) and abs(left - right) <= HOLE_AGREE * height \
                and limits[0] <= (left + right) / 2 <= limits[1]:
            holes.append((at, float((left + right) / 2)))
    return tuple(holes)


def _jump_ends(xs: Any, ys: Any, of: Callable[[Any], Any],
               limits: tuple[float, float]) -> tuple[tuple[float, float], ...]:
    """Both ends of each jump of a curve in the view (hard sigmoid's f' at ±3, ReLU's at 0):
    an open circle at each, since the document says the derivative does not exist there.
    The jump is placed at a sample beside it, or between the two (to 9 digits), where the
    values just left and right of it differ; its ends are those values. A pole is no jump."""
    import numpy as np

    low, high = limits
    least = 0.02 * (high - low)
    ends: list[tuple[float, float]] = []
    for i in _jumps(ys, least):
        for guess in (xs[i], xs[i + 1], (xs[i] + xs[i + 1]) / 2):
            at = round(float(guess), 9) + 0.0
            if any(abs(at - a) < 1e-9 for a, _ in ends):
                break
            offset = 1e-9 * max(1.0, abs(at))
            left, right = (float(v) for v in of(np.array([at - offset, at + offset])))
            inside = all(np.isfinite(v) and low <= v <= high for v in (left, right))
            if inside and abs(left - right) > least:
                ends.extend([(at, left), (at, right)])
                break
    return tuple(ends)


def _denominators(expr: sympy.Expr, x: sympy.Symbol) -> list[sympy.Expr]:
    """The bases of the negative powers in expr that depend on x (x for 1/x², x - 1 for
    1/(x - 1)³), each once."""
    bases: list[sympy.Expr] = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Pow) and node.exp.is_negative and node.base.has(x) \
                and node.base not in bases:
            bases.append(node.base)
    return bases


def _bisect_zero(of: Callable[[Any], Any], left: float, right: float) -> float:
    """Where `of` changes sign in [left, right]: stops at an exact 0."""
    return _bisect(of, left, right, 60, lambda value: value == 0)


def _bisect(of: Callable[[Any], Any], left: float, right: float, steps: int,
            stop: Callable[[float], bool]) -> float:
    """Bisection on the sign of `of` for at most `steps` halvings; the first midpoint where
    `stop` holds is returned at once (a zero found, a pole hit)."""
    import numpy as np

    sign_left = np.sign(of(np.array([left]))[0])
    for _ in range(steps):
        middle = (left + right) / 2
        value = of(np.array([middle]))[0]
        if stop(value):
            return middle
        if np.sign(value) == sign_left:
            left = middle
        else:
            right = middle
    return (left + right) / 2


def _exact_zero(expr: sympy.Expr, x: sympy.Symbol, guess: float) -> sympy.Expr | None:
    """The simple closed form of `guess` (a rational, or a rational multiple of π) where
    `expr` is undefined, or None: defined there, or no such form (a hole derive cannot
    place exactly is not drawn)."""
    if abs(guess) < 1e-9:
        point: sympy.Expr = sympy.S.Zero
    else:
        point = sympy.nsimplify(guess, [sympy.pi], tolerance=1e-9)
        if abs(float(point) - guess) > 1e-7 * max(1.0, abs(guess)):
            return None
    value = expr.subs(x, point)
    undefined = value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or not value.is_finite
    return point if undefined else None


def _opened(xs: Any, ys: Any, holes: tuple[tuple[float, float], ...]) -> Any:
    """The curve without the sample nearest each hole, so that no line is drawn through it
    (its open circle is drawn over the gap)."""
    import numpy as np

    out = ys.copy()
    for at, _ in holes:
        out[int(np.argmin(np.abs(xs - at)))] = np.nan
    return out


def _features(xs: Any, f_ys: Any, d_ys: Any,
              f_of: Callable[[Any], Any]) -> tuple[list[float], list[float]]:
    """Where something happens, nearest 0 first: zeros of f' (extrema), sign changes of f''
    (inflections), jumps of f' (kinks), poles of f, and the edges of f's domain. Also the
    poles alone, located to 12 digits by bisection."""
    import numpy as np

    found: list[float] = []
    defined = _domain(f_ys)
    edges = np.nonzero(defined[1:] != defined[:-1])[0]
    found.extend(float(xs[i] if defined[i] else xs[i + 1]) for i in edges)
    found.extend(float((xs[i] + xs[i + 1]) / 2) for i in _crossings(d_ys))
    slopes = np.diff(d_ys)
    # An inflection is a genuine sign change of the slope of f', not rounding noise where
    # f' has settled (tanh(x) = 1 to the last bit beyond 19).
    with np.errstate(invalid="ignore"):
        settled = np.abs(slopes) <= 1e-10 * (1 + np.abs(d_ys[1:]))
    slopes[settled] = 0.0
    found.extend(float(xs[i + 1]) for i in _crossings(slopes))
    scale = float(np.nanmax(np.abs(d_ys))) if np.isfinite(d_ys).any() else 0.0
    found.extend(float((xs[i] + xs[i + 1]) / 2) for i in _jumps(d_ys, 1e-6 * scale))
    poles = [_bisect_pole(f_of, float(xs[i]), float(xs[i + 1]))
             for i in _crossings(f_ys) if _is_pole(f_ys, int(i))]
    poles += [float(xs[i]) for i in np.nonzero(~np.isfinite(f_ys) & defined)[0]
              if _is_pole(f_ys, int(i) - 1) or _is_pole(f_ys, int(i))]
    poles = _merged(poles, [])
    return _merged(found, poles), sorted(poles)


def _merged(found: list[float], exact: list[float]) -> list[float]:
    """One feature per place, nearest 0 first: features within 0.02 of each other are one
    (a pole found by bisection wins over the same pole seen between two samples)."""
    kept = list(exact)
    for value in sorted(found, key=lambda p: (abs(p), p)):
        if all(abs(value - other) > 0.02 for other in kept):
            kept.append(value)
    return sorted({round(p, 9) for p in kept}, key=lambda p: (abs(p), p))


def _domain(f_ys: Any) -> Any:
    """Where f is defined, ignoring isolated points: a pole or a hole (sin(x)/x at 0) is
    not a gap in the domain, and (-2)^(-2) alone does not make x^x live on x < 0."""
    import numpy as np

    defined = np.isfinite(f_ys)
    runs = np.split(np.arange(defined.size), np.nonzero(np.diff(defined.astype(int)))[0] + 1)
    for run in runs:
        if run.size <= 10:
            defined[run] = not defined[run[0]]
    return defined


def _crossings(ys: Any) -> Any:
    """Indices i where ys changes sign between samples i and i+1, or passes through an
    exact 0 at sample i (2x at x = 0) from one sign to the other."""
    import numpy as np

    with np.errstate(invalid="ignore"):
        signs = np.sign(ys)
        strict = np.nonzero(signs[1:] * signs[:-1] < 0)[0]
        through = np.nonzero((signs[1:-1] == 0) & (signs[2:] * signs[:-2] < 0))[0] + 1
    return np.union1d(strict, through)


def _bisect_pole(f_of: Callable[[Any], Any], left: float, right: float) -> float:
    """Where f changes sign through a pole in [left, right]: stops where f is not finite."""
    import numpy as np

    return _bisect(f_of, left, right, 48, lambda value: not np.isfinite(value))


def _is_pole(f_ys: Any, i: int) -> bool:
    """f grows without bound towards the gap between samples i and i+1 from both sides:
    POLE_GROWTH times larger at the sample next to the gap than 20 samples away."""
    import numpy as np

    far_left, far_right = i - 20, i + 21
    if far_left < 0 or far_right >= f_ys.size:
        return False
    with np.errstate(invalid="ignore"):
        sizes = np.abs(f_ys[[far_left, i, i + 1, far_right]])
    left = not np.isfinite(sizes[1]) or sizes[1] > POLE_GROWTH * sizes[0]
    right = not np.isfinite(sizes[2]) or sizes[2] > POLE_GROWTH * sizes[3]
    return bool(np.isfinite(sizes[0]) and np.isfinite(sizes[3]) and left and right)


def _window(xs: Any, f_ys: Any, d_ys: Any, features: list[float],
            poles: list[float]) -> tuple[float, float]:
    import numpy as np

    base_low, base_high = BASE_WINDOW
    near = _nearest(features)
    in_base = [p for p in features if base_low <= p <= base_high]
    if len(in_base) > NEAREST_FEATURES:  # it oscillates: show the nearest few swings
        low, high = min(near) - 1.0, max(near) + 1.0
    elif in_base or not near:  # what happens, happens in the seed's window
        low, high = base_low, base_high
        near = in_base
    else:  # everything happens elsewhere: go there
        low = min(base_low, min(near) - 2.0) if min(near) < base_low else min(near) - 2.0
        high = max(base_high, max(near) + 2.0) if max(near) > base_high else max(near) + 2.0
    defined = _domain(f_ys) & (xs >= low) & (xs <= high)
    if defined.any():  # the part of the domain in view nearest the features (or 0)
        centre = float(np.median(near)) if near else 0.0
        pieces = np.split(np.arange(xs.size), np.nonzero(np.diff(defined.astype(int)))[0] + 1)
        runs = [run for run in pieces if defined[run[0]]]
        best = min(runs, key=lambda run: 0.0 if xs[run[0]] <= centre <= xs[run[-1]]
                   else min(abs(xs[run[0]] - centre), abs(xs[run[-1]] - centre)))
        low, high = max(low, float(xs[best[0]])), min(high, float(xs[best[-1]]))
    core_low = min(near, default=-1.0) - 1.0
    core_high = max(near, default=1.0) + 1.0
    away = np.ones(xs.size, dtype=bool)  # growth beside a pole is the pole, not a cliff
    for pole in poles:
        away &= np.abs(xs - pole) > 0.5
    for ys, growth in ((f_ys, GROWTH), (d_ys, DERIVATIVE_GROWTH)):
        core = ys[(xs >= core_low) & (xs <= core_high) & np.isfinite(ys) & away]
        if core.size == 0:
            continue
        size = max(1.0, float(np.percentile(np.abs(core), 90)))
        with np.errstate(invalid="ignore"):
            beyond = (np.abs(ys) > growth * size) & away
        right = np.nonzero(beyond & (xs > core_high) & (xs <= high))[0]
        if right.size:
            high = float(xs[right[0]])
        left = np.nonzero(beyond & (xs < core_low) & (xs >= low))[0]
        if left.size:
            low = float(xs[left[-1]])
    low, high = _settled(xs, f_ys, d_ys, low, high)
    return _tidy(low), _tidy(high)


SETTLED = 0.02  # a curve within this share of the view's height of its value at the edge
QUIET_SHARE = 0.5  # the window narrows when more than this share of it shows nothing
QUIET_MARGIN = 1.2  # the narrowed window: the part where something happens, and a fifth


def _settled(xs: Any, f_ys: Any, d_ys: Any, low: float, high: float) -> tuple[float, float]:
    """The window narrowed, about its centre, where both curves have settled on both sides
    over more than half of it (x e^{-x^2} is flat beyond ±2.5: a plot on -6..6 would be
    half flat lines); a window that shows something over most of it is kept (the sigmoid
    still changes at ±4.5, so the seed's -6..6 stays)."""
    import numpy as np

    view = (xs >= low) & (xs <= high)
    inner = xs[view]
    curves = [ys[view] for ys in (f_ys, d_ys)]
    if inner.size < 100 or not all(np.isfinite(ys).all() for ys in curves):
        return low, high  # a pole or an edge of the domain in view: nothing settles there
    height = float(np.ptp(np.concatenate(curves)))
    if height <= 0:
        return low, high
    centre, half = (low + high) / 2, (high - low) / 2
    reach = 0.0
    for ys in curves:
        for edge in (ys[0], ys[-1]):
            moving = np.nonzero(np.abs(ys - edge) > SETTLED * height)[0]
            if moving.size == 0:
                continue
            nearest_edge = inner[moving[-1]] if edge is ys[-1] else inner[moving[0]]
            reach = max(reach, abs(float(nearest_edge) - centre))
    if reach == 0.0 or reach > QUIET_SHARE * half:
        return low, high
    half = min(half, float(np.ceil(QUIET_MARGIN * reach)))
    return centre - half, centre + half


def _nearest(features: list[float]) -> list[float]:
    """The NEAREST_FEATURES features nearest 0, and any as near as the last of them (so
    that ±π both count, or neither)."""
    if len(features) <= NEAREST_FEATURES:
        return features
    reach = abs(features[NEAREST_FEATURES - 1])
    return [p for p in features if abs(p) <= reach + 1e-9]


def _tidy(value: float) -> float:
    """A window edge a reader can take in: to a tenth, or to a whole number beyond 10."""
    tidy = float(round(value)) if abs(value) >= 10 else round(value, 1)
    return tidy + 0.0  # no -0


def _y_limits(f_ys: Any, d_ys: Any, poles: bool) -> tuple[float, float]:
    """Robust limits: what most of both curves take, so a pole or a cliff does not flatten
    the rest. Beside a pole the curves take every large value, so there the view is the
    middle of what they take, doubled (tan x: about −6 to 10, not ±1200)."""
    import numpy as np

    finite = np.concatenate([f_ys[np.isfinite(f_ys)], d_ys[np.isfinite(d_ys)], [0.0]])
    if poles:
        low, high = (float(v) for v in np.percentile(finite, [15, 85]))
        middle, half = (low + high) / 2, max(high - low, 1e-12)
        return middle - 1.5 * half, middle + 1.5 * half
    low, high = (float(v) for v in np.percentile(finite, [1, 99]))
    full_low, full_high = float(finite.min()), float(finite.max())
    # Where the curves stay bounded, their whole range is shown; only spikes are cut.
    if full_high - full_low <= 3 * max(high - low, 1e-12):
        low, high = full_low, full_high
    # The axis y = 0 is in view where it is near: √x starts at 0, not at the view's foot.
    if 0 < low <= ZERO_REACH * (high - low):
        low = 0.0
    elif -ZERO_REACH * (high - low) <= high < 0:
        high = 0.0
    span = (high - low) or 1.0
    return low - 0.05 * span, high + 0.05 * span


ZERO_REACH = 0.25  # y = 0 joins the view when it lies within this share of its height


def _jumps(ys: Any, least: float) -> Any:
    """Indices i where the curve jumps between samples i and i+1: a step of at least `least`
    and JUMP times the typical step around it (the median of the 11 nearest: a smooth
    curve's steps change slowly, and H(0) = 1/2 splits a jump into two halves)."""
    import numpy as np

    with np.errstate(invalid="ignore"):
        steps = np.abs(np.diff(ys))
        padded = np.pad(np.where(np.isfinite(steps), steps, 0.0), 5, mode="edge")
        typical = np.median(np.lib.stride_tricks.sliding_window_view(padded, 11), axis=1)
        jump = np.isfinite(steps) & (steps >= least) & (steps > JUMP * typical)
    return np.nonzero(jump)[0]


def _broken(ys: Any, limits: tuple[float, float]) -> Any:
    """NaN between two samples the curve jumps across (a step of f', a pole: it leaves
    the view on one side and comes back on the other), so the picture shows no vertical
    line that is not part of the graph."""
    import numpy as np

    low, high = limits
    out = ys.copy()
    out[_jumps(ys, 0.02 * (high - low))] = np.nan
    with np.errstate(invalid="ignore"):
        above, below = ys > high, ys < low
        across = (above[:-1] & below[1:]) | (below[:-1] & above[1:])
    out[:-1][across] = np.nan
    return out
