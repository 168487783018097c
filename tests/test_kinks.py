"""max, min, |u| as pieces from left to right, exactly; and each row of a Piecewise shown
with the interval where it applies."""

import sympy

from derive.engine.kinks import as_piecewise
from derive.words.printer import to_latex

x = sympy.Symbol("x", real=True)
HALF = sympy.Rational(1, 2)


def _agrees_everywhere(expr, pieces):
    """Same value at every breakpoint and between them (exact rationals)."""
    points = [sympy.Rational(n, 4) for n in range(-40, 41)] + [sympy.sqrt(2), -sympy.sqrt(2)]
    return all(sympy.simplify(expr.subs(x, p) - pieces.subs(x, p)) == 0 for p in points)


def test_hard_sigmoid_reads_left_to_right_with_disjoint_rows():
    f = sympy.Max(0, sympy.Min(1, x / 6 + HALF))
    pieces = as_piecewise(f, x)
    assert pieces.args == ((0, x <= -3), (x / 6 + HALF, sympy.Lt(-3, x) & (x <= 3)), (1, True))
    assert _agrees_everywhere(f, pieces)


def test_irrational_breakpoints_and_equal_neighbours():
    f = sympy.Abs(x**2 - 2)
    pieces = as_piecewise(f, x)
    assert [p for p, _ in pieces.args] == [x**2 - 2, 2 - x**2, x**2 - 2]
    assert _agrees_everywhere(f, pieces)


def test_a_breakpoint_goes_to_the_neighbour_with_the_functions_value():
    f = sympy.Max(x / 100, x)
    pieces = as_piecewise(f, x)
    assert pieces.args == ((x / 100, x <= 0), (x, True))


def test_no_split_where_the_value_at_a_kink_is_neither_neighbours():
    assert as_piecewise(sympy.Heaviside(x), x) is None  # H(0) = 1/2
    # joined pieces (1 on both sides of 0) hide sign(0)**2 = 0: not split either
    assert as_piecewise(sympy.sign(x) ** 2 + sympy.Max(0, x - 5), x) is None


def test_no_split_on_a_parameter_or_a_restricted_variable():
    a = sympy.Symbol("a")
    assert as_piecewise(sympy.Max(0, x - a), x) is None
    t = sympy.Symbol("t", positive=True)
    assert as_piecewise(sympy.Max(1, t), t) is None
    assert as_piecewise(sympy.exp(x), x) is None


def test_each_row_shows_where_it_applies():
    first_match = sympy.Piecewise((0, x <= -3), (sympy.Rational(1, 6), x <= 3), (0, True))
    assert to_latex(first_match) == (
        r"\begin{cases} 0 & \text{for}\: x \leq -3 \\\frac{1}{6} & \text{for}\: -3 < x \leq 3"
        r" \\0 & \text{otherwise} \end{cases}")
    assert "for}\\: x > 0" in to_latex(sympy.Piecewise((1, x > 0), (2, True)))


def test_a_row_that_is_no_interval_is_shown_as_written():
    outside = sympy.Piecewise((0, (x >= 3) | (x <= -3)), (sympy.Rational(1, 6), True))
    assert r"x \geq 3 \vee x \leq -3" in to_latex(outside)
