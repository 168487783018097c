"""Kinks (|u|, sign, H, max, min, Piecewise): equality proved interval by interval, the kinks
themselves checked exactly, and nothing wrong ever proved."""

import sympy

from derive.model import Status
from derive.verify import check_equal

x = sympy.Symbol("x", real=True)


def test_max_is_half_the_sum_plus_half_the_absolute_difference():
    verdict = check_equal(sympy.Max(x, 0), (x + sympy.Abs(x)) / 2)
    assert verdict.status is Status.PROVED
    assert verdict.method == "cancel on each interval between x = 0"


def test_softsign_derivative_two_ways():
    left = 1 / (1 + sympy.Abs(x)) - x * sympy.sign(x) / (1 + sympy.Abs(x))**2
    right = sympy.Piecewise((1 / (1 + x)**2, x >= 0), (1 / (1 - x)**2, True))
    assert check_equal(left, right).status is Status.PROVED


def test_a_kink_value_that_differs_is_not_a_proof():
    # H(0) = 1/2 in SymPy, the piece says 0: equal everywhere else, and the verdict says so
    verdict = check_equal(sympy.Heaviside(x), sympy.Piecewise((0, x <= 0), (1, True)))
    assert verdict.status is Status.CHECKED
    assert "at x = 0 the sides differ (1/2 and 0)" in verdict.method


def test_hard_sigmoid_breakpoints_are_irrational_safe_and_found():
    f = sympy.Max(0, sympy.Min(1, x / 6 + sympy.Rational(1, 2)))
    slope = sympy.Piecewise((0, x <= -3), (sympy.Rational(1, 6), x < 3), (0, True))
    verdict = check_equal(sympy.diff(f, x), slope)
    assert verdict.status in (Status.PROVED, Status.CHECKED)
    assert "cancel on each interval" in verdict.method


def test_irrational_breakpoints():
    verdict = check_equal(sympy.Abs(x**2 - 2), sympy.Piecewise(
        (x**2 - 2, x**2 >= 2), (2 - x**2, True)))
    assert verdict.status is Status.PROVED
    assert "sqrt(2)" in verdict.method


def test_a_wrong_piece_fails_with_a_counterexample():
    verdict = check_equal(sympy.Heaviside(x), sympy.Piecewise((0, x <= 1), (1, True)))
    assert verdict.status is Status.FAILED
    assert verdict.counterexample is not None


def test_a_wrong_absolute_value_identity_fails():
    verdict = check_equal(sympy.Abs(x - 1), sympy.Abs(x) - 1)
    assert verdict.status is Status.FAILED
