"""The plot's window, breaks and sizes: chosen from the function, never a fixed picture."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import sympy

from derive.analysis.plot import sample
from derive.render.figure import SIZES, draw

x = sympy.Symbol("x", real=True)


def curves_of(text: str):
    from derive.parse.expression import parse_expression

    f = parse_expression(text, symbols={"x": x})
    return sample(f, f.diff(x), x, label="$f(x)$", derivative_label="$f'(x)$")


@pytest.mark.parametrize("text", ["1/(1 + exp(-x))", "tanh(x)", "max(0, x)", "log(1 + exp(x))"])
def test_activations_keep_the_seed_window(text):
    assert curves_of(text).x_range == (-6.0, 6.0)


@pytest.mark.parametrize("text", ["x*exp(-x**2)", "exp(-x**2)", "x**2*exp(-x**2)"])
def test_a_window_that_would_be_mostly_flat_narrows_to_where_the_curves_move(text):
    """Beyond ±3 these are flat to 2 % of the view: -6..6 would be half flat lines."""
    curves = curves_of(text)
    low, high = curves.x_range
    assert (low, high) == (-high, high) and 2 <= high <= 4
    view = np.concatenate([curves.f, curves.derivative])
    height = np.ptp(view)
    edge = np.abs(curves.xs) > 0.8 * high
    assert np.abs(curves.f[edge]).max() < 0.05 * height


def test_the_legend_of_long_names_stacks_instead_of_widening_the_picture():
    curves = sample(x, sympy.S.One, x, label=r"$\mathrm{hardsigmoid}(x)$",
                    derivative_label=r"$\mathrm{hardsigmoid}'(x)$")
    short = sample(x, sympy.S.One, x, label="$f(x)$", derivative_label="$f'(x)$")

    def width(c) -> float:
        pdf = draw(c, "pdf", "slide")
        return float(re.search(rb"MediaBox\s*\[\s*0 0 ([\d.]+)", pdf).group(1))

    assert width(curves) <= 1.02 * width(short)


def test_a_function_on_x_positive_is_drawn_on_its_domain_short_of_its_cliff():
    low, high = curves_of("x**x").x_range
    assert low == 0.0
    assert 1 < high < 4  # x^x passes 20 times its size near its minimum before x = 4


def test_the_window_moves_to_where_things_happen():
    low, high = curves_of("(x - 20)**2*exp(-(x - 20)**2)").x_range
    assert low < 20 < high and high - low < 12


def test_an_oscillating_function_shows_its_nearest_swings():
    low, high = curves_of("sin(x**2)/x").x_range
    assert -6 < low < -2 and 2 < high < 6


def test_poles_are_located_and_marked_and_the_view_is_not_flattened_by_them():
    tan = curves_of("tan(x)")
    assert tan.asymptotes == pytest.approx((-3 * math.pi / 2, -math.pi / 2, math.pi / 2,
                                            3 * math.pi / 2), abs=1e-9)
    low, high = tan.y_range
    assert high - low < 40
    assert curves_of("1/x").asymptotes == pytest.approx((0.0,), abs=1e-9)
    assert curves_of("(x**2 + 1)/(x - 1)**3").asymptotes == pytest.approx((1.0,), abs=1e-9)
    assert curves_of("1/(1 + x**2)").asymptotes == ()


@pytest.mark.parametrize("text", ["max(0, x)", "abs(x)", "heaviside(x - 1)", "tan(x)", "1/x"])
def test_no_vertical_line_is_drawn_across_a_jump_or_a_pole(text):
    """No drawn segment joins two points of the view far apart (a jump), or leaves the view
    at the top and comes back at the bottom (across a pole)."""
    curves = curves_of(text)
    low, high = curves.y_range
    for ys in (curves.f, curves.derivative):
        a, b = ys[:-1], ys[1:]
        drawn = np.isfinite(a) & np.isfinite(b)
        inside = drawn & (a >= low) & (a <= high) & (b >= low) & (b <= high)
        assert inside.any()
        assert np.abs(b - a)[inside].max() < 0.2 * (high - low), text
        across = drawn & (((a > high) & (b < low)) | ((a < low) & (b > high)))
        assert not across.any(), text


def test_a_smooth_curve_is_not_broken():
    curves = curves_of("1/(1 + exp(-x))")
    assert np.isfinite(curves.f).all() and np.isfinite(curves.derivative).all()


def test_the_same_function_draws_the_same_bytes():
    curves = curves_of("x*exp(-x**2)")
    assert draw(curves, "png") == draw(curves, "png")
    assert draw(curves, "pdf", "slide") == draw(curves, "pdf", "slide")


BEAMER_COLUMN_PT = 0.56 * 108 / 25.4 * 72  # the slide template's column: 56 % of 108 mm


@pytest.mark.parametrize("label", ["$f(x)$", r"$\mathrm{hardsigmoid}(x)$"])
def test_slide_labels_read_at_nine_points_or_more(label):
    f = 1 / (1 + sympy.exp(-x))
    pdf = draw(sample(f, f.diff(x), x, label=label, derivative_label=label.replace("(x)", "'(x)")),
               "pdf", "slide")
    width = float(re.search(rb"MediaBox\s*\[\s*0 0 ([\d.]+)", pdf).group(1))
    assert SIZES["slide"]["font"] * BEAMER_COLUMN_PT / width >= 9


@pytest.mark.parametrize("text", ["sqrt(x)", "x**(1/3)", "-sqrt(x)"])
def test_the_axis_is_in_view_where_the_curve_starts_on_it(text):
    """√x starts at 0: the view's robust limits (its steep f' near 0) would start it at 0.09."""
    low, high = curves_of(text).y_range
    assert low < 0 < high


@pytest.mark.parametrize("text, f_hole, d_hole", [
    ("sin(x**2)/x", (0.0, 0.0), (0.0, 1.0)),
    ("sin(x)/x", (0.0, 1.0), (0.0, 0.0)),
    ("(x**2 - 1)/(x - 1)", (1.0, 2.0), (1.0, 1.0)),
])
def test_a_removable_hole_is_an_open_circle_with_no_line_through_it(text, f_hole, d_hole):
    """Where f (or f') is undefined but both sides agree, the picture marks the point and
    the line stops beside it; a pole is no hole."""
    curves = curves_of(text)
    for holes, ys, expected in ((curves.holes, curves.f, f_hole),
                                (curves.derivative_holes, curves.derivative, d_hole)):
        assert len(holes) == 1
        assert holes[0] == pytest.approx(expected, abs=1e-3)
        nearest = int(np.argmin(np.abs(curves.xs - expected[0])))
        assert not np.isfinite(ys[nearest])
    for text in ("(x**2 + 1)/(x - 1)**3", "1/x", "tan(x)", "1/(1 + exp(-x))", "x**x"):
        curves = curves_of(text)
        assert curves.holes == () and curves.derivative_holes == (), text


def test_the_caption_names_the_holes():
    from derive.words.figures import plot_caption

    both = plot_caption("f", x, (-3.5, 3.5), (), (), 1.0, holes=[0.0], derivative_holes=[0.0])
    assert both.endswith("Open circles: $f(x)$ and $f'(x)$ are not defined at $x = 0$.")
    one = plot_caption("f", x, (-6, 6), (), (), 1.0, holes=[1.0], derivative_holes=[])
    assert one.endswith("Open circle: $f(x)$ is not defined at $x = 1$.")
    assert "circle" not in plot_caption("f", x, (-6, 6), (), (), 1.0)


def test_x_to_the_x_shows_its_minimum_not_a_wall():
    """x^x's f' grows without bound on the right and runs to -infinity at 0: a view up to
    x = 2.5 and y = 20 (f' passing 10 times its size) made the minimum at 1/e a dip of 1 %
    of the height. f' may pass only DERIVATIVE_GROWTH times its size, and the samples next
    to the end of the domain do not set the y limits."""
    curves = curves_of("x**x")
    low, high = curves.y_range
    depth = 1 - math.exp(-1 / math.e)  # f(0+) = 1 down to f(1/e)
    assert depth / (high - low) > 0.03
    assert curves.x_range[0] == 0.0 and curves.x_range[1] < 2.2
    assert -3 < low < 0  # f' leaves the view at the bottom near 0, as beside a pole


def test_a_curve_that_runs_off_at_the_end_of_its_domain_does_not_set_the_view():
    """ln x: f' = 1/x near 0 would stretch the view to 200."""
    low, high = curves_of("log(x)").y_range
    assert high < 8 and low < -1


@pytest.mark.parametrize("text, ends", [
    ("max(0, x)", [(0.0, 0.0), (0.0, 1.0)]),
    ("max(0, min(1, x/6 + 1/2))", [(-3.0, 0.0), (-3.0, 1 / 6), (3.0, 1 / 6), (3.0, 0.0)]),
    ("abs(x)", [(0.0, -1.0), (0.0, 1.0)]),
])
def test_a_jump_of_f_prime_has_an_open_circle_at_each_end(text, ends):
    """The document says f' does not exist where it jumps: the picture shows both ends open,
    as a teacher draws them; f itself (continuous) gets none, nor does a pole."""
    curves = curves_of(text)
    assert len(curves.derivative_holes) == len(ends)
    for got, expected in zip(curves.derivative_holes, ends, strict=True):
        assert got == pytest.approx(expected)
    assert curves.holes == ()
    assert curves_of("tan(x)").derivative_holes == ()
