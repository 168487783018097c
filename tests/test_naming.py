"""Names and letters in a walkthrough: a long inner function is written out once, as u = …,
and referred to by name; letters never clash with one the document already uses."""

from __future__ import annotations

import re

import pytest

from derive import pipeline
from derive.engine.naming import NAME_WIDTH, is_name, width
from derive.model import ASIDE, iter_steps
from derive.render.view import build_view


def _derive(text: str):  # type: ignore[no-untyped-def]
    return pipeline.derive(pipeline.resolve(text), timeout=20.0)


def _shown(view) -> list[str]:  # type: ignore[no-untyped-def]
    lines = []
    for step in view["steps"]:
        lines.append(step["latex"])
        if step["focus"]:
            lines += [step["focus"]["lhs"], step["focus"]["rhs"]]
    return lines


def test_gelu_tanh_names_its_inner_function_once_and_substitutes_it_back():
    derivation = _derive("gelu_tanh")
    (u,) = [lemma for lemma in derivation.lemmas if is_name(lemma.applied())]
    assert u.name == "u"
    view = build_view(derivation)
    written = r"\frac{\sqrt{2} \left(x + 0.044715 \, x^{3}\right)}{\sqrt{\pi}}"
    lines = _shown(view)
    # written out only where it is introduced, in the last step and in the Result
    assert sum(written in line for line in lines) == 1  # the step writing u back
    assert written in view["steps"][0]["explanation"]
    assert sum(re.search(r"(?<![A-Za-z\\])u(?![A-Za-z])", line) is not None
               for line in lines) >= 4
    last = [s for s in derivation.steps if s.role != ASIDE][-1]
    assert last.rule == "substitute back"
    assert not last.expr.has(u.head)
    assert written in view["result"]["latex"]
    assert derivation.verified  # every step, the named ones and the substitution, checked


def test_the_named_walkthrough_is_verified_step_by_step_against_the_definitions():
    derivation = _derive("sqrt(x**4 + 3*x**3 - 2*x**2 + x + 1)*sin(x**5 - 3*x**3 + 2*x**2 + 7*x - 1)")
    names = [lemma.name for lemma in derivation.lemmas if is_name(lemma.applied())]
    assert names == ["u", "v"]
    for step in iter_steps(derivation.steps):
        assert step.verdict is not None and step.verdict.ok, (step.rule, step.verdict)


@pytest.mark.parametrize("text", ["sigmoid", "sqrt(1 + x**2)", "x*exp(-x**2)",
                                  "(1 - x**2 + 2*x**3 + 6*x)**4"])
def test_short_inner_functions_stay_written_out(text):
    derivation = _derive(text)
    assert not [lemma for lemma in derivation.lemmas if is_name(lemma.applied())]


def test_the_width_counts_what_a_reader_sees():
    assert width(r"\frac{\sqrt{2} \left(x + 0.044715 \, x^{3}\right)}{\sqrt{\pi}}") >= NAME_WIDTH
    assert width(r"1 - x^{2} + 2 x^{3} + 6 x") < NAME_WIDTH
    assert width(r"\left(x\right)") == 3


def test_the_quotient_rule_says_u_and_v_where_f_is_the_function():
    view = build_view(_derive("sin(x**2)/x"))
    setup = view["steps"][0]
    assert "u = \\sin" in setup["explanation"] and "v = x" in setup["explanation"]
    assert setup["law"] == r"\left(\frac{u}{v}\right)' = \frac{u' v - u v'}{v^{2}}"
    # the chain rule's inner function takes a letter of its own, not u again
    chain = view["steps"][1]["explanation"]
    assert "w = x^{2}" in chain and "\\sin w" in chain


def test_the_sigmoid_keeps_the_law_letters_f_and_g():
    setup = build_view(_derive("sigmoid"))["steps"][0]
    assert "f = 1" in setup["explanation"] and "g = 1 + e^{- x}" in setup["explanation"]
    assert setup["law"] == r"\left(\frac{f}{g}\right)' = \frac{f' g - f g'}{g^{2}}"


def test_a_name_never_takes_a_letter_of_the_expression():
    text = "u*tanh(sqrt(2/pi)*(x + 0.044715*x**3))"
    derivation = pipeline.derive(pipeline.resolve(text, var="x"), timeout=20.0)
    names = [lemma.name for lemma in derivation.lemmas if is_name(lemma.applied())]
    assert names and "u" not in names
    assert "u" in {s.name for s in derivation.function.body.free_symbols}
