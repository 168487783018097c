"""The sigmoid walkthrough follows the seed: set-up, five titled steps, σ(1 − σ), all verified."""

from __future__ import annotations

import re

import pytest
import sympy

from derive import pipeline
from derive.model import Status, iter_steps

SEED_TITLES = [
    "Use the chain rule to find the derivative of the outer function",
    "Calculate the derivative of the inner function",
    "Reduce the expression",
    "Split the function into two fractions",
    "Swap the sigmoid function into the equation",
]


def test_sigmoid_has_the_set_up_and_the_five_seed_steps(sigmoid):
    labels = [s.label for s in sigmoid.steps]
    assert labels == ["Set-up", "Step 1", "Step 2", "Step 3", "Step 4", "Step 5"]
    assert sigmoid.steps[0].rule == "quotient"
    assert [s.title for s in sigmoid.steps[1:]] == SEED_TITLES


def test_every_sigmoid_step_is_proved_and_the_result_matches_sympy(sigmoid):
    for step in iter_steps(sigmoid.steps):
        assert step.verdict is not None and step.verdict.status is Status.PROVED, step.title
        if step.focus is not None:
            assert step.focus_verdict.status is Status.PROVED
    assert sigmoid.result_verdict.status is Status.PROVED
    assert sigmoid.verified and not sigmoid.failed


def test_set_up_uses_the_quotient_rule_with_numerator_derivative_zero(sigmoid_view):
    setup = sigmoid_view["steps"][0]
    assert setup["latex"].startswith(r"\frac{0 \cdot \left(1 + e^{- x}\right)")
    assert r"\frac{d}{dx} \left(1 + e^{- x}\right)" in setup["latex"]


def test_inner_function_step_gives_minus_e_to_the_minus_x(sigmoid_view):
    inner = sigmoid_view["steps"][2]
    assert inner["focus"]["lhs"] == r"\frac{d}{dx} \left(1 + e^{- x}\right)"
    assert inner["focus"]["rhs"] == r"- e^{- x}"


def test_split_shows_add_and_subtract_then_two_fractions_then_factored(sigmoid_view):
    split = sigmoid_view["steps"][4]
    latex = [s["latex"] for s in split["substeps"]] + [split["latex"]]
    assert latex == [
        r"\frac{\left(1 + e^{- x}\right) - 1}{\left(1 + e^{- x}\right)^{2}}",
        r"\frac{1 + e^{- x}}{\left(1 + e^{- x}\right)^{2}} - \frac{1}{\left(1 + e^{- x}\right)^{2}}",
        r"\frac{1}{1 + e^{- x}} - \frac{1}{\left(1 + e^{- x}\right)^{2}}",
        r"\frac{1}{1 + e^{- x}} \left(1 - \frac{1}{1 + e^{- x}}\right)",
    ]


def test_last_step_swaps_sigma_back_in(sigmoid_view):
    assert sigmoid_view["steps"][-1]["latex"] == r"\sigma(x) \left(1 - \sigma(x)\right)"
    assert "backward pass" in sigmoid_view["closing"]


def test_math_reads_as_a_teacher_writes_it(sigmoid_view):
    every = [s["latex"] for s in sigmoid_view["steps"]]
    every += [sub["latex"] for s in sigmoid_view["steps"] for sub in s["substeps"]]
    every += [s["focus"]["rhs"] for s in sigmoid_view["steps"] if s["focus"]]
    for latex in every:
        assert "e^{- x} + 1" not in latex
        assert not re.search(r"-\s*-", latex), latex
    # 0· and 1· appear only in the steps about them: the set-up and where reduce starts.
    later = [s["latex"] for s in sigmoid_view["steps"][3:]]
    assert not any(r"0 \cdot" in t or r"1 \cdot" in t for t in later)


def test_json_exprs_read_back_to_the_same_values(sigmoid_view):
    x = sympy.Symbol("x", real=True)
    reference = sympy.diff(1 / (1 + sympy.exp(-x)), x)
    for step in sigmoid_view["json"]["steps"]:
        value = sympy.sympify(step["expr"], locals={"x": x}).doit()  # our own output, not user text
        assert sympy.simplify(value - reference) == 0, step["title"]


@pytest.mark.parametrize("text", ["x*exp(-x**2)", "sin(x**2)/x", "x**x", "sqrt(x)*log(x)",
                                  "tan(3*x)", "2**x + 1/x**2", "atan(x)*asin(x/2)", "abs(x)"])
def test_other_expressions_walk_through_and_verify(text):
    derivation = pipeline.derive(pipeline.resolve(text))
    assert derivation.verified, [(s.title, s.verdict) for s in iter_steps(derivation.steps)]
    assert all(s.rule != "unknown" for s in iter_steps(derivation.steps))


def test_an_expression_no_rule_covers_is_an_honest_unknown_step():
    derivation = pipeline.derive(pipeline.resolve("erfc(x)"))
    assert "unknown" in [s.rule for s in derivation.steps]
    assert any("no rule covers" in note.text for note in derivation.notes)
    # documents typeset the expression; a terminal gets it as plain text
    assert {note.text for note in derivation.notes} == {
        r"no rule covers $\operatorname{erfc} x$; its derivative is left as it stands"}
    assert {note.plain for note in derivation.notes} == {
        "no rule covers erfc(x); its derivative is left as it stands"}
    assert derivation.result_verdict.ok
