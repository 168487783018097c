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


# -- parameters: anywhere but in a switch ---------------------------------------------------

alpha = sympy.Symbol("alpha")


def test_a_parameter_in_the_branches_is_proved_for_every_value_of_it():
    # ELU's last step: f' = α + f on the left branch, for any α
    elu = sympy.Piecewise((x, x > 0), (alpha * (sympy.exp(x) - 1), True))
    derivative = sympy.Piecewise((1, x > 0), (alpha * sympy.exp(x), True))
    in_terms_of_f = sympy.Piecewise((1, x > 0), (alpha + elu, True))
    verdict = check_equal(derivative, in_terms_of_f)
    assert verdict.status is Status.PROVED
    assert verdict.method == "cancel on each interval between x = 0"


def test_a_wrong_parameter_identity_fails():
    left = sympy.Piecewise((1, x > 0), (alpha * sympy.exp(x), True))
    right = sympy.Piecewise((1, x > 0), (sympy.exp(x), True))
    assert check_equal(left, right).status is Status.FAILED


def test_a_breakpoint_gap_in_the_parameter_is_stated_not_proved():
    # equal on both sides of 0; at 0 the left is alpha and the right is 1
    left = sympy.Piecewise((alpha, x <= 0), (1, True))
    right = sympy.Piecewise((alpha, x < 0), (1, True))
    verdict = check_equal(left, right)
    assert verdict.status is Status.CHECKED
    assert "at x = 0 the sides differ (alpha and 1)" in verdict.method


def test_a_parameter_in_a_switch_is_not_split_on():
    from derive.verify.cases import applicable

    assert applicable(sympy.Abs(x - alpha), x - alpha) is None
    assert applicable(sympy.Piecewise((alpha, x > 0), (0, True)), alpha) is x


# -- switch points of monotone functions: ELU and CELU written with max and min ------------


def test_elu_written_with_max_and_min_is_proved_by_cases():
    # min(0, e^x − 1) switches where e^x = 1: x = 0, found by inverting exp (no simplify)
    elu = sympy.Max(0, x) + sympy.Min(0, sympy.exp(x) - 1)
    slope = sympy.Piecewise((sympy.exp(x), x < 0), (1, True))
    verdict = check_equal(sympy.diff(elu, x), slope)
    assert verdict.ok
    assert "cancel on each interval" in verdict.method


def test_celu_with_alpha_two_switches_at_zero_too():
    celu = sympy.Max(0, x) + sympy.Min(0, 2 * (sympy.exp(x / 2) - 1))
    pieces = sympy.Piecewise((2 * (sympy.exp(x / 2) - 1), x <= 0), (x, True))
    verdict = check_equal(celu, pieces)
    assert verdict.status is Status.PROVED
    assert verdict.method == "cancel on each interval between x = 0"


def test_a_switch_point_of_a_shifted_exponential_is_exact():
    # e^x − 2 switches at log 2, an exact transcendental breakpoint
    verdict = check_equal(sympy.Max(sympy.exp(x), 2),
                          sympy.Piecewise((2, x <= sympy.log(2)), (sympy.exp(x), True)))
    assert verdict.status is Status.PROVED
    assert "log(2)" in verdict.method
