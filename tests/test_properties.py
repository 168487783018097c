"""Properties of f shown beside f': what is claimed, and what is never claimed."""

from __future__ import annotations

import pytest
import sympy

from derive.analysis.properties import ORDER, find_properties
from derive.words.properties import Named, say_property

x = sympy.Symbol("x", real=True)
alpha = sympy.Symbol("alpha", positive=True)
lam = sympy.Symbol("lambda", positive=True)
half = sympy.Rational(1, 2)
sigmoid = 1 / (1 + sympy.exp(-x))
softplus = sympy.log(1 + sympy.exp(x))
elu = sympy.Piecewise((x, x > 0), (alpha * (sympy.exp(x) - 1), True))

CATALOG = {
    "sigmoid": sigmoid,
    "tanh": sympy.tanh(x),
    "softplus": softplus,
    "softsign": x / (1 + sympy.Abs(x)),
    "relu": sympy.Max(0, x),
    "leaky_relu": sympy.Max(x / 100, x),
    "elu": elu,
    "selu": lam * elu,
    "swish": x * sigmoid,
    "gelu": x / 2 * (1 + sympy.erf(x / sympy.sqrt(2))),
    "gelu_tanh": x / 2 * (1 + sympy.tanh(sympy.sqrt(2 / sympy.pi)
                                         * (x + sympy.Rational(44715, 10**6) * x**3))),
    "mish": x * sympy.tanh(softplus),
    "log_sigmoid": -sympy.log(1 + sympy.exp(-x)),
    "hard_sigmoid": sympy.Max(0, sympy.Min(1, x / 6 + half)),
    "sin(x^2)/x": sympy.sin(x**2) / x,
}


def words(prop, variable=x, name="f"):
    """What a document says of the property (derive.words.properties)."""
    return say_property(prop, Named(name, name.lstrip("\\"), variable))


def statements(f, variable=x, name="f"):
    """{property name: [statement, ...]} of what find_properties claims, as documents say it."""
    found: dict[str, list[str]] = {}
    for prop in find_properties(f, variable, sympy.diff(f, variable), name_latex=name):
        found.setdefault(prop.name, []).append(words(prop, variable, name).statement.latex)
    return found


@pytest.fixture(scope="module")
def catalog():
    return {name: find_properties(f, x, sympy.diff(f, x)) for name, f in CATALOG.items()}


@pytest.fixture(scope="module")
def sigma():
    return statements(sigmoid, name=r"\sigma")


def test_sigmoid_limits(sigma):
    assert sigma["limits"] == [r"\lim_{x\to -\infty} \sigma(x) = 0",
                               r"\lim_{x\to \infty} \sigma(x) = 1"]


def test_sigmoid_range(sigma):
    assert sigma["range"] == [r"\sigma(\mathbb{R}) = \left(0, 1\right)"]


def test_sigmoid_values_at_zero(sigma):
    assert sigma["value at 0"] == [r"\sigma(0) = \frac{1}{2}"]
    assert sigma["slope at 0"] == [r"\sigma'(0) = \frac{1}{4}"]


def test_sigmoid_steepest_at_zero(sigma):
    assert sigma["max slope"] == [r"\max_{x} \sigma'(x) = \sigma'(0) = \frac{1}{4}"]


def test_sigmoid_vanishing_gradient(sigma):
    (statement,) = sigma["vanishing gradient"]
    assert r"\prod_{i=1}^{n} \sigma'(z_i) \le 4^{-n}" in statement


def test_sigmoid_symmetry_and_monotonic(sigma):
    assert sigma["symmetry"] == [r"\sigma(-x) = 1 - \sigma(x)"]
    (statement,) = sigma["monotonic"]
    assert "increasing" in statement and r"\sigma'(x) > 0" in statement


def test_sigmoid_properties_come_in_reading_order():
    names = [p.name for p in find_properties(sigmoid, x, sympy.diff(sigmoid, x))]
    assert names == sorted(names, key=ORDER.index)
    # ℝ is its domain (not restated), and it has no poles and no point where σ' = 0
    assert set(names) == set(ORDER) - {"domain", "critical points", "poles"}


def test_sigmoid_max_slope_is_proved_and_says_how():
    (prop,) = [p for p in find_properties(sigmoid, x, sympy.diff(sigmoid, x))
               if p.name == "max slope"]
    said = words(prop)
    assert prop.verdict.status.value == "proved" and said.verdict.status.value == "proved"
    assert "f''(0) = 0" in said.verdict.method
    # JSON and terminals get plain text; documents get the same method typeset.
    assert "$" not in said.verdict.method and "1/4 − f'(x) ≥ 0" in said.verdict.method
    assert said.mark.startswith("✓ proved ($f''(0) = 0$, and $\\frac{1}{4} - f'(x) \\geq 0$")
    assert "exp(" not in said.mark


def test_tanh_is_odd_with_slope_one():
    found = statements(sympy.tanh(x), name=r"\tanh")
    assert found["symmetry"] == [r"\tanh(-x) = -\tanh(x) \quad \text{(odd)}"]
    assert found["max slope"] == [r"\max_{x} \tanh'(x) = \tanh'(0) = 1"]
    assert found["range"] == [r"\tanh(\mathbb{R}) = \left(-1, 1\right)"]
    assert "vanishing gradient" not in found  # its slope reaches 1


def test_relu_makes_no_claim_about_a_derivative_at_its_kink():
    found = statements(sympy.Max(0, x), name="relu")
    assert "slope at 0" not in found
    assert "max slope" not in found
    assert found["value at 0"] == ["relu(0) = 0"]
    assert found["range"] == [r"relu(\mathbb{R}) = \left[0, \infty\right)"]
    (monotonic,) = found["monotonic"]
    assert "non-decreasing" in monotonic and "wherever it exists" in monotonic


def test_elu_has_no_slope_at_zero_for_a_general_alpha():
    found = statements(elu, name="elu")
    assert "slope at 0" not in found
    assert found["limits"][0] == r"\lim_{x\to -\infty} elu(x) = - \alpha"
    assert found["range"] == [r"elu(\mathbb{R}) = \left(- \alpha, \infty\right)"]


def test_hard_sigmoid_is_smooth_at_zero_and_reaches_its_ends():
    found = statements(CATALOG["hard_sigmoid"], name="h")
    assert found["slope at 0"] == [r"h'(0) = \frac{1}{6}"]
    assert found["range"] == [r"h(\mathbb{R}) = \left[0, 1\right]"]


def test_swish_turns_so_it_is_not_called_monotonic():
    found = statements(CATALOG["swish"], name="s")
    assert "monotonic" not in found
    assert found["range"] == [r"s(\mathbb{R}) \approx \left[-0.27846, \infty\right)"]
    (peak,) = found["max slope"]
    assert r"\approx 1.0998" in peak


def test_gelu_steepest_at_root_two():
    found = statements(CATALOG["gelu"], name="g")
    (peak,) = found["max slope"]
    assert peak.startswith(r"\max_{x} g'(x) = g'(\sqrt{2}) = ")


def test_arbitrary_expression_undefined_at_zero():
    found = statements(sympy.sin(x**2) / x)
    assert "value at 0" not in found and "slope at 0" not in found
    assert found["symmetry"] == [r"f(-x) = -f(x) \quad \text{(odd)}"]
    assert found["limits"] == [r"\lim_{x\to -\infty} f(x) = 0", r"\lim_{x\to \infty} f(x) = 0"]


def test_positive_domain_limits_at_zero_and_no_symmetry():
    y = sympy.Symbol("x", positive=True)
    found = statements(y**y, variable=y)
    assert found["limits"] == [r"\lim_{x\to 0^{+}} f(x) = 1", r"\lim_{x\to \infty} f(x) = \infty"]
    assert "symmetry" not in found and "value at 0" not in found
    assert found["range"] == [r"f((0, \infty)) = \left[e^{- e^{-1}}, \infty\right)"]


@pytest.mark.parametrize("f", [sympy.tan(x), -1 / (x - sympy.Rational(1, 10)),
                               sympy.Piecewise((x, x < 0), (x + 1, True))])
def test_no_monotonic_claim_across_a_pole_or_a_jump(f):
    # f' > 0 wherever it exists, yet f is not increasing on the real line.
    found = statements(f)
    assert "monotonic" not in found and "range" not in found


def test_slow_growth_is_still_an_infinite_limit():
    found = statements(sympy.asinh(x))
    assert found["limits"] == [r"\lim_{x\to -\infty} f(x) = -\infty",
                               r"\lim_{x\to \infty} f(x) = \infty"]


def test_no_limit_where_f_is_not_real():
    # x^x is not real for negative x: its limit at −∞ is not a statement about real values.
    assert statements(x**x)["limits"] == [r"\lim_{x\to \infty} f(x) = \infty"]


def test_no_claim_from_an_unevaluated_derivative():
    # ζ'(0) has no closed form: SymPy's Subs(Derivative(...)) is not a value to show.
    assert "slope at 0" not in statements(sympy.zeta(x))


def test_non_monotonic_function_gets_no_monotonic_claim():
    assert "monotonic" not in statements(sympy.sin(x))
    assert "monotonic" not in statements(x**3 - x)


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_claim_is_verified_and_says_how(catalog, name):
    for prop in catalog[name]:
        assert prop.name in ORDER
        assert prop.verdict.ok, prop
        assert words(prop).method.plain


# gelu_tanh's limit at −∞ takes SymPy about its whole time limit on a busy machine: it may
# rightly be left out, so it is not listed here.
@pytest.mark.parametrize("name", sorted(set(CATALOG) - {"gelu_tanh"}))
def test_every_catalog_function_gets_its_limits(catalog, name):
    names = [p.name for p in catalog[name]]
    assert names.count("limits") == 2


def test_no_time_means_fewer_claims_never_a_crash():
    props = find_properties(sigmoid, x, sympy.diff(sigmoid, x), seconds=1e-6)
    assert all(p.verdict.ok for p in props)
    assert len(props) < len(ORDER)


def test_no_limit_where_poles_reach_the_end():
    # x² eˣ tan x is unbounded beside every pole of tan, out to −∞: Gruntz's "0" is false.
    found = statements(x**2 * sympy.exp(x) * sympy.tan(x))
    assert "limits" not in found and "range" not in found


def test_no_claim_outside_the_domain():
    # x^x (real x) is defined for x > 0 only: SymPy's 0^0 = 1 is no value of it.
    found = statements(x**x)
    assert "value at 0" not in found and "slope at 0" not in found
    assert "value at 0" not in statements(sympy.Heaviside(x))  # a jump has no value to claim


@pytest.mark.parametrize("f", [sympy.sinh(sympy.sinh(sympy.sinh(sympy.sinh(x)))),
                               sympy.exp(sympy.exp(sympy.exp(sympy.exp(sympy.exp(sympy.exp(x))))))])
def test_towers_are_sampled_within_bounds(f):
    # These sampled at 10^1000 at unbounded precision for minutes; now a sample beyond any
    # number's size is "not evaluable", and the finders finish with what they can prove.
    from derive.analysis.properties import analyse

    report = analyse(f, x)
    assert report.stopped == ()
    assert all(p.verdict.ok for p in report.properties)


def test_properties_do_not_follow_timeout(tmp_path):
    # --timeout bounds one check; the properties have their own budget, so gelu_tanh lists
    # the same properties at --timeout 0.3 as at the default (it listed 6, 5 or 1).
    import json
    from pathlib import Path

    from derive.cli import main

    committed = Path(__file__).resolve().parents[1] / "output" / "gelu_tanh.json"
    assert main(["gelu_tanh", "-f", "json", "--no-plot", "--timeout", "0.3",
                 "-o", str(tmp_path)]) == 0
    written = json.loads((tmp_path / "gelu_tanh.json").read_text())
    assert written["properties"] == json.loads(committed.read_text())["properties"]


def test_domain_critical_points_and_poles_are_proved_claims():
    found = statements(x * sympy.exp(-x**2))
    assert found["critical points"] == [
        r"f'(x) = 0 \text{ exactly at } x = - \frac{\sqrt{2}}{2}, \frac{\sqrt{2}}{2}"]
    assert "domain" not in found  # all of ℝ
    rational = statements((x**2 + 1) / (x - 1)**3)
    assert rational["domain"] == [
        r"f(x) \text{ is defined for } x \in \left(-\infty, 1\right) \cup \left(1, \infty\right)"]
    assert rational["poles"] == [r"\lim_{x \to 1} \left|f(x)\right| = \infty"]
    assert "range" not in rational  # f(ℝ) is no statement about an f undefined at 1
    assert statements(x**x)["domain"] == [
        r"f(x) \text{ is defined for } x \in \left(0, \infty\right)"]


def test_a_removable_gap_is_no_pole_and_infinitely_many_roots_are_not_listed():
    assert "poles" not in statements(sympy.sin(x**2) / x)  # sin(x²)/x → 0 at 0
    assert "critical points" not in statements(sympy.sin(x))  # cos x = 0 infinitely often


def test_every_new_claim_is_proved():
    from derive.analysis.properties import find_properties

    for f in (x * sympy.exp(-x**2), (x**2 + 1) / (x - 1)**3, 1 / x, x**3 - x):
        for prop in find_properties(f, x):
            if prop.name in ("domain", "critical points", "poles"):
                assert prop.verdict.status.value == "proved" and prop.claim is not None


# --- parameters: a claim holds for every value of them, or it is not made -------------------

y, n, a = (sympy.Symbol(name) for name in "yna")


def test_a_kink_that_a_parameter_moves_onto_zero_gives_no_slope_at_zero():
    """f'(0) = −sign(y) for |x − y| is false at y = 0 (the kink is at 0): no slope is stated,
    though f(0) = |y| holds for every y and is."""
    found = statements(sympy.Abs(x - y))
    assert "slope at 0" not in found, found
    assert found["value at 0"] == [r"f(0) = \left|{y}\right|"]
    for f in (sympy.Max(0, y - x), sympy.Max(a * (y - x), (a - 1) * (y - x))):
        assert "slope at 0" not in statements(f)
    # with no parameter to move it, a smooth point is still a slope
    assert statements((x - y) ** 2)["slope at 0"] == ["f'(0) = - 2 y"]


def test_a_value_at_zero_that_a_parameter_makes_0_over_0_is_not_stated():
    """a·x²/(n² + x²) is 0/0 at x = 0 when n = 0: f(0) = 0 is not a claim for every n."""
    assert "value at 0" not in statements(a * x**2 / (n**2 + x**2))
    assert statements(a * x**2 / (1 + x**2))["value at 0"] == ["f(0) = 0"]


def test_the_conditions_a_point_claim_needs_from_its_parameters():
    from derive.verify.parameters import point_conditions

    assert point_conditions(sympy.Abs(x - y), x, 0, differentiable=True) == [sympy.Ne(-y, 0)]
    assert point_conditions(sympy.Abs(x - y), x, 0) == []  # continuous: its value is fine
    assert point_conditions(sympy.log(sympy.cosh(x - y)), x, 0) == []  # cosh > 0 for real y
    assert point_conditions(sympy.log(x + a), x, 0) == [sympy.Gt(a, 0, evaluate=False)]
    assert point_conditions(sympy.exp(alpha * x) / alpha, x, 0) == []  # α > 0 is assumed
    assert point_conditions(sympy.sqrt(x**2 + a**2), x, 0) == []
    assert point_conditions(sympy.sqrt(x**2 + a**2), x, 0, differentiable=True)
    assert point_conditions(sympy.tan(x + a), x, 0) == [sympy.false]  # poles: not read


def test_a_power_with_a_parameter_exponent_has_no_one_domain():
    """(x − 1)^a is defined on [1, ∞) for a = 1/2, on (1, ∞) for a = −1/2, on ℝ for a = 2."""
    assert "domain" not in statements((x - 1) ** a)
    half_power = (x - 1) ** sympy.Symbol("a", positive=True, integer=False)
    assert statements(half_power)["domain"] == [
        r"f(x) \text{ is defined for } x \in \left[1, \infty\right)"]


# --- one turn that solveset cannot give, proved by interval arithmetic ----------------------

@pytest.mark.parametrize("name", ["swish", "gelu", "mish"])
def test_the_range_of_a_function_with_one_unsolvable_turn_is_proved(catalog, name):
    """f(ℝ) = [f(x*), ∞) where x* is the one zero of f' (no closed form): proved by
    derive.verify.turns, and the stated least value agrees with mpmath's own minimum."""
    import mpmath

    (prop,) = [p for p in catalog[name] if p.name == "range"]
    assert prop.verdict.status.value == "proved", prop
    assert prop.how.method == "one zero of f' isolated by interval arithmetic"
    f = sympy.lambdify(x, CATALOG[name], "mpmath")
    with mpmath.workdps(40):
        least = f(mpmath.findroot(lambda t: mpmath.diff(f, t), -1))
    interval = prop.claim.value
    assert interval.end is sympy.oo and not interval.left_open
    assert abs(float(interval.start) - float(least)) < 1e-14, (interval, least)


def test_one_turn_is_never_proved_where_f_prime_has_several_zeros():
    from derive.verify.turns import prove_one_turn

    f = x**4 / 4 - x**2 / 2 + x / 10  # f' = x³ − x + 1/10: three zeros
    for near in ("-1.04668", "0.100", "0.947"):
        assert prove_one_turn(f, sympy.diff(f, x), x, near, seconds=5) is None
    wave = x * sympy.exp(-x**2) + x / 3  # f' > 0 far out on both sides: two zeros
    assert prove_one_turn(wave, sympy.diff(wave, x), x, "-0.9575674", seconds=5) is None
    assert all(p.verdict.status.value != "proved" for p in find_properties(
        wave, x, sympy.diff(wave, x)) if p.name == "range")


def test_factoring_has_a_size_budget_for_rationals_in_exponents():
    """tests/fuzz_sweep.py: log_sigmoid(selu(selu(x/3)/x)) put SELU's 31-digit constants
    inside an exponential, which SymPy's polynomials read as a power of that degree: the
    monotonic finder's factoring filled the memory. Such a form is not factored; its sign
    is still read from the form as written."""
    from derive.verify import claims

    x = sympy.Symbol("x", real=True)
    big = sympy.Rational(10**30 + 7, 10**30)
    assert claims._polynomial_sized(sympy.exp(x / 3) / x + 2**(sympy.Rational(8943, 200000) * x))
    assert not claims._polynomial_sized(sympy.exp(big * (sympy.exp(x) - 1) / x))
    assert not claims._polynomial_sized(2**(big * x))
    proof = claims.prove_sign(sympy.exp(big * x), x, seconds=5.0)
    assert proof is not None and proof.sign == "positive"


def test_periodic_is_a_syntactic_test_that_never_calls_an_aperiodic_expression_periodic():
    from derive.analysis.properties.critical_points import periodic

    x = sympy.Symbol("x", real=True)
    assert periodic(sympy.tan(sympy.sec(x)), x)
    assert periodic(sympy.sin(2 * x) + sympy.cos(x / 3), x)
    assert periodic(sympy.exp(sympy.sin(x)), x)
    for aperiodic in (x * sympy.sin(x), sympy.sin(x) + sympy.cos(sympy.pi * x),
                      sympy.sin(x**2), sympy.sec(x) / x, sympy.Integer(3)):
        assert not periodic(aperiodic, x), aperiodic


def _slope_at_zero(f):
    found = [p for p in find_properties(f, x, sympy.diff(f, x)) if p.name == "slope at 0"]
    return found[0] if found else None


@pytest.mark.parametrize("f, slope, method", [
    # 0 inside one smooth piece: hard-sigmoid is x/6 + 1/2 on (-3, 3), hardswish x(x + 3)/6
    (CATALOG["hard_sigmoid"], sympy.Rational(1, 6), "the piece around 0"),
    (x * sympy.Min(sympy.Max(0, x + 3), 6) / 6, half, "the piece around 0"),
    # 0 a breakpoint where f is continuous and both pieces' derivatives agree
    (CATALOG["softsign"], sympy.S.One, "the pieces beside 0"),
    (sympy.Abs(x)**3 + x, sympy.S.One, "the pieces beside 0"),
])
def test_a_slope_at_zero_beside_kinks_is_proved_from_the_pieces(f, slope, method):
    prop = _slope_at_zero(f)
    assert prop is not None and prop.claim.value == slope
    assert prop.verdict.status.value == "proved"
    assert prop.how.method.startswith(method)


@pytest.mark.parametrize("f", [
    sympy.Abs(x),  # a kink: the one-sided derivatives differ
    x + sympy.Heaviside(x),  # a jump with the same slope on both sides: no derivative at 0
    sympy.Max(0, x),
])
def test_no_slope_at_zero_is_claimed_at_a_kink_or_a_jump(f):
    assert _slope_at_zero(f) is None
