"""The verdicts a user sees: what is proved and how, what fails and where, what stays open."""

from __future__ import annotations

import signal
import threading
import time

import pytest
import sympy

from derive.model import Definition, Derivation, Status, Step, iter_steps
from derive.verify import check_equal, verify

x = sympy.Symbol("x", real=True)
sigma = 1 / (1 + sympy.exp(-x))


# -- proved, with the method that decided ---------------------------------------------


def test_the_same_expression_is_proved_identical():
    verdict = check_equal(sympy.sin(x) * sympy.exp(-x), sympy.exp(-x) * sympy.sin(x))
    assert verdict.status is Status.PROVED
    assert verdict.method == "identical"


@pytest.mark.parametrize(("left", "right"), [
    ((x**2 - 1) / (x - 1), x + 1),
    (sympy.exp(-x) / (1 + sympy.exp(-x))**2, 1 / (1 + sympy.exp(-x)) - 1 / (1 + sympy.exp(-x))**2),
    (sigma * (1 - sigma), sympy.exp(-x) / (1 + sympy.exp(-x))**2),
    ((sympy.exp(x) - 1) * sympy.exp(-x), 1 - sympy.exp(-x)),
    (sympy.sqrt(x**2 + 1) * (sympy.exp(x / 2) + 1)**2,
     sympy.sqrt(x**2 + 1) * (sympy.exp(x) + 2 * sympy.exp(x / 2) + 1)),
])
def test_rational_identities_are_proved_by_cancelling(left, right):
    verdict = check_equal(left, right)
    assert verdict.status is Status.PROVED
    assert verdict.method == "cancel"


def test_sigma_one_minus_sigma_equals_a_quarter_over_cosh_squared():
    # Plain simplify misses this one; written with e^x it is algebra.
    verdict = check_equal(sigma * (1 - sigma), 1 / (4 * sympy.cosh(x / 2)**2))
    assert verdict.status is Status.PROVED
    assert "rewrite to exp" in verdict.method


@pytest.mark.parametrize(("left", "right"), [
    (sympy.sin(x)**2 + sympy.cos(x)**2, sympy.S.One),
    (sympy.diff(sympy.tan(x), x), 1 / sympy.cos(x)**2),
    (sympy.diff(sympy.tanh(x), x), 1 - sympy.tanh(x)**2),
])
def test_trigonometric_and_hyperbolic_identities_are_proved(left, right):
    assert check_equal(left, right).status is Status.PROVED


def test_sign_is_x_over_abs_x_wherever_both_are_defined():
    # x/|x| is undefined at 0, so only the two intervals around it carry a claim
    verdict = check_equal(sympy.sign(x), x / sympy.Abs(x))
    assert verdict.status is Status.PROVED
    assert verdict.method == "cancel on each interval between x = 0"


def test_an_integer_symbol_is_probed_at_integers():
    k = sympy.Symbol("k", integer=True)
    assert check_equal(sympy.cos(sympy.pi * k), (-1)**k).ok
    verdict = check_equal(sympy.cos(sympy.pi * k), sympy.S.One)
    assert verdict.status is Status.FAILED
    assert sympy.Rational(verdict.counterexample.point[0][1]).is_integer


def test_an_identity_no_symbolic_stage_finds_is_checked_never_proved():
    # d/dx x H(x) as SymPy writes it: x δ(x) is 0 wherever it is defined
    verdict = check_equal(x * sympy.DiracDelta(x) + sympy.Heaviside(x), sympy.Heaviside(x))
    assert verdict.status is Status.CHECKED
    assert verdict.method.startswith("numeric (ball arithmetic): 30 digits at ")
    assert "|x| from " in verdict.method
    assert verdict.ok


t_pos = sympy.Symbol("t", positive=True)
y = sympy.Symbol("y", real=True)


@pytest.mark.parametrize(("left", "right", "law"), [
    (sympy.asinh(sympy.sinh(x)), x, "asinh(sinh u) = u"),
    (sympy.atanh(sympy.tanh(2 * x)), 2 * x, "atanh(tanh u) = u"),
    (sympy.acosh(sympy.cosh(x)), sympy.Abs(x), "acosh(cosh u) = |u|"),
    (sympy.atan(t_pos) + sympy.atan(1 / t_pos), sympy.pi / 2, "atan(1/u) = sign(u)"),
    (sympy.atan(x) + sympy.atan(1 / x), sympy.pi / 2 * sympy.sign(x), "atan(1/u) = sign(u)"),
    (sympy.erf(x) + sympy.erfc(x), sympy.S.One, "erfc u = 1 − erf u"),
    (sympy.sqrt(3 + 2 * sympy.sqrt(2)) * x, (1 + sympy.sqrt(2)) * x, "denested"),
    (sympy.Max(x, y), (x + y + sympy.Abs(x - y)) / 2, "max(a, b) = (a + b + |a − b|)/2"),
    (sympy.log(x**2), 2 * sympy.log(sympy.Abs(x)), "log(u^k) = k log|u|"),
])
def test_identities_under_proved_assumptions_are_proved_and_name_the_law(left, right, law):
    verdict = check_equal(left, right)
    assert verdict.status is Status.PROVED, verdict
    assert law in verdict.method


@pytest.mark.parametrize(("left", "right"), [
    (sympy.atan(x) + sympy.atan(1 / x), sympy.pi / 2),  # false for x < 0
    (sympy.acosh(sympy.cosh(x)), x),  # false for x < 0
    (sympy.atan(sympy.tan(x)), x),  # false beyond ±π/2
    (sympy.asin(sympy.sin(x)), x),
])
def test_an_inverse_identity_outside_its_assumptions_fails(left, right):
    verdict = check_equal(left, right)
    assert verdict.status is Status.FAILED
    assert verdict.method == "ball arithmetic (certified)"


def test_precision_loss_is_never_a_counterexample():
    # log(1 + e^{-200}) rounds to 0 in floating point; the balls keep it
    for k in (10, 100, 1000):
        verdict = check_equal(sympy.log(1 + sympy.exp(k * x)) - k * x,
                              sympy.log(1 + sympy.exp(-k * x)))
        assert verdict.ok, verdict


@pytest.mark.parametrize(("left", "right", "left_over"), [
    (x**2 + sympy.Rational(1, 10**40) * x**7, x**2, "x**7"),
    ((x + 10**20)**2 - 10**40, 2 * 10**20 * x, "x**2"),
    (sympy.sin(x) + sympy.exp(-1000), sympy.sin(x), "exp(-1000)"),
])
def test_a_decidable_nonzero_difference_fails_and_says_what_is_left(left, right, left_over):
    verdict = check_equal(left, right)
    assert verdict.status is Status.FAILED
    assert verdict.counterexample is not None
    assert left_over in verdict.detail and "nonzero there" in verdict.detail


def test_a_checked_verdict_states_points_digits_and_range():
    verdict = check_equal(x * sympy.DiracDelta(x) + sympy.Heaviside(x), sympy.Heaviside(x))
    assert verdict.status is Status.CHECKED
    method = verdict.method
    assert method.startswith("numeric (ball arithmetic): 30 digits at ")
    points = int(method.split(" at ")[1].split()[0])
    assert points >= 8
    low, high = (float(v) for v in method.split("|x| from ")[1].split(" to "))
    assert low < 1e-5 and high > 1e5


def test_probe_points_are_derived_from_the_claim_and_are_not_a_grid():
    from derive.verify.points import probe_points

    first = probe_points(sympy.sin(x), sympy.cos(x), (x,))
    assert first == probe_points(sympy.cos(x), sympy.sin(x), (x,))  # either order
    assert first != probe_points(sympy.sin(x), sympy.tan(x), (x,))
    values = [sympy.Rational(text) for point in first for _, text in point.values]
    assert any(v > 0 for v in values) and any(v < 0 for v in values)
    assert min(abs(v) for v in values) < sympy.Rational(1, 10**4)
    assert max(abs(v) for v in values) > 10**6
    # no point is a multiple of 1/20 (or of 1/1000): sin(20πx) does not vanish on them
    assert all((v * 1000).q != 1 for v in values)


def test_points_beside_a_far_kink_and_a_narrow_bump():
    from derive.verify.points import probe_points

    kink = probe_points(x + sympy.Heaviside(x - 10**6), x, (x,))
    assert any(10**6 < sympy.Rational(t) < 10**6 + 1 for p in kink for _, t in p.values)
    bump = probe_points(sympy.exp(-10**8 * (x - sympy.Rational(1, 3))**2), 0 * x, (x,))
    third = sympy.Rational(1, 3)
    assert any(abs(sympy.Rational(t) - third) < sympy.Rational(1, 10**6) for p in bump
               for _, t in p.values)


def test_the_critical_points_are_found_only_when_the_first_points_do_not_decide(monkeypatch):
    """Roots of polynomials (beside every kink, pole and domain edge) are the probe's most
    costly part: a wrong step that fails at a generic point never asks for them, and a
    right one still visits them, in the same order as probe_points lists them."""
    from derive.verify import points

    asked = []
    original = points._critical_points
    monkeypatch.setattr(points, "_critical_points",
                        lambda *args: asked.append(args) or original(*args))
    wrong = check_equal(sympy.diff(sympy.tanh(x), x), -sympy.tanh(x)**2)
    assert wrong.status is Status.FAILED and not asked
    bump = x + sympy.exp(-10**8 * (x - sympy.Rational(1, 3))**2)
    sequence = list(points.probe_sequence(bump, x, (x,)))
    assert asked and sequence == points.probe_points(bump, x, (x,))
    assert check_equal(bump, x).status is Status.FAILED  # found beside the bump


# -- failed, with a counterexample a reader can check ----------------------------------


def test_tanh_derivative_is_not_minus_tanh_squared():
    verdict = check_equal(sympy.diff(sympy.tanh(x), x), -sympy.tanh(x)**2)
    assert verdict.status is Status.FAILED
    example = verdict.counterexample
    assert example.point == (("x", "0.5"),)  # the first nice point
    point = {x: sympy.Rational(example.point[0][1])}
    assert float(example.left) == pytest.approx(float((1 - sympy.tanh(x)**2).subs(point)), rel=1e-9)
    assert float(example.right) == pytest.approx(float((-sympy.tanh(x)**2).subs(point)), rel=1e-9)
    assert "at x = 0.5: left = 0.786447733" in example.describe()


def test_sqrt_of_x_squared_is_not_x_for_real_x_but_is_for_positive_x():
    verdict = check_equal(sympy.sqrt(x**2), x)
    assert verdict.status is Status.FAILED
    name, value = verdict.counterexample.point[0]
    assert name == "x" and value.startswith("-")
    assert sympy.Rational(verdict.counterexample.left) == abs(sympy.Rational(value))  # |x|
    p = sympy.Symbol("x", positive=True)
    assert check_equal(sympy.sqrt(p**2), p).status in (Status.PROVED, Status.CHECKED)


def test_a_negative_symbol_is_probed_at_negative_points_only():
    n = sympy.Symbol("n", negative=True)
    assert check_equal(sympy.Abs(n), -n).status in (Status.PROVED, Status.CHECKED)
    verdict = check_equal(sympy.Abs(n), n)
    assert verdict.status is Status.FAILED
    assert verdict.counterexample.point[0][1].startswith("-")


def test_log_of_a_product_is_split_only_under_positivity():
    a, b = sympy.symbols("a b", positive=True)
    verdict = check_equal(sympy.log(a * b), sympy.log(a) + sympy.log(b))
    assert verdict.status is Status.PROVED


def test_log_of_a_product_of_reals_stays_undecided():
    # For real a, b the sides agree wherever both are real (a, b > 0), so there is no
    # counterexample; but at a, b < 0 log(ab) is real and log a + log b is not: the
    # identity is not proved, and the verdict says where the sides part.
    a, b = sympy.symbols("a b", real=True)
    verdict = check_equal(sympy.log(a * b), sympy.log(a) + sympy.log(b))
    assert verdict.status is Status.UNDECIDED
    assert verdict.counterexample is None
    assert "not both real" in verdict.detail


@pytest.mark.parametrize("pole", [sympy.S.Zero, sympy.S.Half, sympy.Rational(-3, 2)])
def test_a_counterexample_is_never_at_a_point_where_a_side_is_undefined(pole):
    verdict = check_equal(1 / (x - pole), 1 / (x - pole) + 1)
    assert verdict.status is Status.FAILED
    assert sympy.Rational(verdict.counterexample.point[0][1]) != pole


def test_a_counterexample_for_two_symbols_names_both():
    y = sympy.Symbol("y", real=True)
    verdict = check_equal(sympy.sin(x + y), sympy.sin(x) + sympy.sin(y))
    assert verdict.status is Status.FAILED
    assert [name for name, _ in verdict.counterexample.point] == ["x", "y"]


def test_verdicts_are_deterministic():
    first = check_equal(sympy.cos(x)**3, sympy.cos(3 * x))
    second = check_equal(sympy.cos(x)**3, sympy.cos(3 * x))
    assert first == second and first.status is Status.FAILED


def test_an_unknown_function_cannot_be_probed_and_stays_undecided():
    f = sympy.Function("f")
    verdict = check_equal(f(x) * sympy.sin(x), f(x) * sympy.cos(x))
    assert verdict.status is Status.UNDECIDED
    assert "unknown function" in verdict.detail


# -- time limits ------------------------------------------------------------------------


def _pathological():
    # simplify and friends grind on this, and f(x) leaves the probe nothing to evaluate
    f = sympy.Function("f")
    left = sympy.expand((f(x) + sympy.sin(x) + sympy.cos(x) + 1)**10)
    right = sympy.expand((f(x) + sympy.sin(x) + sympy.cos(x)**2 + 1)**10)
    return left, right


def test_a_pathological_check_is_refused_by_size_not_by_the_clock():
    # The stages that would grind on it (simplify) are not given it: the claim is beyond
    # their size budget, whatever the time limit, and the verdict says so.
    left, right = _pathological()
    # (the shorter limit is still far above what the work takes, even on a loaded machine:
    # a limit that stops the work is the other test's subject)
    short, long = check_equal(left, right, timeout=10), check_equal(left, right, timeout=60)
    assert short == long
    assert short.status is Status.UNDECIDED
    assert "beyond its size budget" in short.detail


def _runaway(*args, **kwargs):
    while True:  # a stage that never ends on its own (SIGALRM stops it)
        sum(range(1000))


@pytest.mark.parametrize("stage", ["cancel", "numeric probe"])
def test_the_clock_stops_only_runaway_work_and_the_verdict_says_so(monkeypatch, stage):
    import derive.verify as verify_module
    from derive.verify.numeric import Probe

    if stage == "cancel":
        monkeypatch.setattr(verify_module, "equal_as_rational_functions", _runaway)
    else:
        monkeypatch.setattr(Probe, "run", lambda self, deadline: _runaway())
    verdict = check_equal(sympy.sin(x) ** 2, 1 - sympy.cos(x) ** 2 + x**3, timeout=0.3)
    assert verdict.status is Status.UNDECIDED
    assert verdict.method == "stopped at the time limit (0.3 s)"
    assert f"the {stage} stage was still running" in verdict.detail


def test_a_probe_that_watches_the_clock_itself_reports_the_stop(monkeypatch):
    # Outside the main thread no alarm can stop a stage: the probe watches its deadline
    # and the check still ends "stopped", not with the verdict of fewer points.
    from derive.verify import numeric

    def slow_visit(self, point, count=True):
        end = time.process_time() + 0.05
        while time.process_time() < end:  # CPU time: the clock counts work, not waiting
            pass

    monkeypatch.setattr(numeric.Probe, "_visit", slow_visit)
    results = {}
    thread = threading.Thread(target=lambda: results.update(
        verdict=check_equal(sympy.sin(x) + x**2, sympy.sin(x) + x**2 + 0 * x + x**3, timeout=0.2)))
    thread.start()
    thread.join(60)
    assert results["verdict"].method == "stopped at the time limit (0.2 s)"
    assert "numeric probe" in results["verdict"].detail


def test_a_check_restores_the_alarm_handler_and_timer_it_found():
    fired = []

    def handler(signum, frame):
        fired.append(signum)

    previous = signal.signal(signal.SIGALRM, handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, 60)
        check_equal(*_pathological(), timeout=0.3)
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert signal.getsignal(signal.SIGALRM) is handler
        assert 55 < remaining <= 60
        assert fired == []
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_simplify_is_skipped_and_says_so():
    results = {}

    def work():
        results["cancel"] = check_equal((x**2 - 1) / (x - 1), x + 1)
        results["numeric"] = check_equal(x * sympy.DiracDelta(x) + sympy.Heaviside(x),
                                         sympy.Heaviside(x))
        results["failed"] = check_equal(sympy.sqrt(x**2), x)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert results["cancel"].status is Status.PROVED
    assert results["numeric"].status is Status.CHECKED
    assert "simplify skipped outside the main thread" in results["numeric"].method
    assert results["failed"].status is Status.FAILED


# -- verify(derivation) ------------------------------------------------------------------


def _derivation(*, wrong: bool = False) -> Derivation:
    """d/dx x e^{-x}, written the way the walkthrough builder writes steps."""
    f = sympy.Function("f")
    body = x * sympy.exp(-x)
    definition = Definition("f", "f", f, x, body)
    d_exp = sympy.Derivative(sympy.exp(-x), x)
    product = Step("product",
                   expr=sympy.Derivative(x, x) * sympy.exp(-x) + x * d_exp)
    inner = Step("exponential",
                 expr=sympy.exp(-x) + x * (-sympy.exp(-x)),
                 focus=(d_exp, -sympy.exp(-x) if not wrong else sympy.exp(-x)))
    collected = sympy.exp(-x) - x * sympy.exp(-x)
    factor = Step("factor",
                  expr=(1 - x) * sympy.exp(-x) if not wrong else (1 + x) * sympy.exp(-x),
                  substeps=(Step("restate", expr=collected),))
    in_f = Step("substitute",
                expr=sympy.exp(-x) - f(x))
    return Derivation(name="f", function=definition, variable=x,
                      steps=(product, inner, factor, in_f), reference=sympy.diff(body, x))


def test_verify_proves_every_step_of_a_right_derivation():
    checked = verify(_derivation())
    assert [s.verdict.status for s in iter_steps(checked.steps)] == [Status.PROVED] * 5
    assert checked.steps[1].focus_verdict.status is Status.PROVED
    assert checked.result_verdict.status is Status.PROVED
    assert checked.verified and not checked.failed


def test_verify_returns_a_new_derivation_and_leaves_the_input_alone():
    original = _derivation()
    checked = verify(original)
    assert checked is not original
    assert all(s.verdict is None for s in iter_steps(original.steps))
    assert original.result_verdict is None


def test_verify_fails_the_wrong_step_and_its_focus_and_the_result():
    checked = verify(_derivation(wrong=True))
    product, inner, factor, in_f = checked.steps
    assert product.verdict.status is Status.PROVED
    assert inner.verdict.status is Status.PROVED  # the step itself is right...
    assert inner.focus_verdict.status is Status.FAILED  # ...its local equation is not
    assert factor.substeps[0].verdict.status is Status.PROVED
    assert factor.verdict.status is Status.FAILED  # (1 + x) e^{-x} after e^{-x} - x e^{-x}
    assert factor.verdict.counterexample.point == (("x", "0.5"),)
    # each step is compared with the one before it, so the next one fails too
    assert in_f.verdict.status is Status.FAILED
    assert checked.result_verdict.status is Status.PROVED  # e^{-x} - f(x) is right again
    assert checked.failed and not checked.verified


def test_the_result_counterexample_shows_the_last_step_on_the_left():
    derivation = _derivation()
    wrong = Step("guess", expr=(1 + x) * sympy.exp(-x))
    checked = verify(Derivation(name="f", function=derivation.function, variable=x,
                                steps=(wrong,), reference=derivation.reference))
    step, result = checked.steps[0].verdict, checked.result_verdict
    assert step.status is result.status is Status.FAILED
    # the step compares d/dx f (left) with the guess; the result compares the guess (left)
    # with SymPy's derivative: the same point, the sides in the order they are named
    assert step.counterexample.point == result.counterexample.point
    assert (result.counterexample.left, result.counterexample.right) == (
        step.counterexample.right, step.counterexample.left)


def test_a_step_that_cannot_be_evaluated_is_undecided_not_failed():
    derivation = _derivation()
    broken = Step("unknown", expr=sympy.Derivative(sympy.Function("g")(x), x))
    checked = verify(Derivation(name="f", function=derivation.function, variable=x,
                                steps=(broken,), reference=derivation.reference))
    assert checked.steps[0].verdict.status is Status.UNDECIDED
    assert not checked.failed


def test_the_cpu_clock_counts_work_not_waiting():
    # attempt(cpu=True), the verifier's runaway clock: a stage that waits (as a process on a
    # busy machine waits for a core) uses no CPU time and is not stopped; one that works is.
    from derive.timeout import attempt

    def spin():
        while True:
            sum(range(1000))

    waited = attempt(lambda: time.sleep(0.3) or "done", 0.1, cpu=True)
    assert waited.value == "done" and not waited.timed_out
    assert attempt(spin, 0.1, cpu=True).timed_out
    assert signal.getsignal(signal.SIGPROF) in (signal.SIG_DFL, None)
