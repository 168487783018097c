"""Catalog functions inside expressions (x*sigmoid(x), relu(x - 1)), their derivatives cited as
lemmas from their own walkthroughs; defining identities (tanh = sinh/cosh); the Pythagorean
identities used by name. Every step that cites or uses one is still verified."""

from __future__ import annotations

import pytest
import sympy

from derive import pipeline
from derive.errors import DeriveError
from derive.model import Status, as_function, iter_steps
from derive.parse import catalog
from derive.render.view import build_view
from derive.verify import check_equal
from derive.words.said import Pen
from derive.words.steps import explain

TIMEOUT = 20.0  # generous: a busy machine must not turn a proof into "undecided"


def _facts(derivation):
    return [f for s in iter_steps(derivation.steps) for f in s.facts]


@pytest.mark.parametrize(("text", "cited"), [
    ("x*sigmoid(x)", {"sigmoid"}), ("relu(x - 1)", {"relu"}), ("softplus(2*x)", {"softplus"}),
    ("tanh(sigmoid(x))", {"sigmoid"}), ("gelu(x)**2", {"gelu"}),
    ("x*hard_sigmoid(x)", {"hard_sigmoid"}), ("silu(x) + logistic(x)", {"swish", "sigmoid"}),
    ("mish(x)*elu(x)", {"mish", "elu"}), ("log(1 + softsign(x**2))", {"softsign"}),
    ("leaky_relu(3*x) - selu(x)", {"leaky_relu", "selu"}), ("gelu_tanh(2*x)", {"gelu_tanh"}),
    ("log_sigmoid(-x)", {"log_sigmoid"})])
def test_a_catalog_function_in_an_expression_is_cited_not_derived_again(text, cited):
    derivation = pipeline.derive(pipeline.resolve(text), timeout=TIMEOUT)
    lemmas = [f for f in _facts(derivation) if f.rule == "lemma"]
    assert {str(f.part("walkthrough")) for f in lemmas} == cited
    assert derivation.verified, [(s.rule, s.verdict) for s in iter_steps(derivation.steps)]
    # the walkthrough differentiates what was typed: no step works on the written-out body
    # (the sigmoid's exponential, the ReLU's max)
    for step in iter_steps(derivation.steps):
        assert not step.expr.has(sympy.Max), step.rule
    said = " ".join(explain((f,), Pen({d.name: d.latex for d in derivation.lemmas})).plain
                    for f in lemmas)
    assert said.count("walkthrough; it is not derived again here") == len(lemmas)


def test_the_document_states_the_function_as_typed_and_names_the_lemma():
    derivation = pipeline.derive(pipeline.resolve("x*sigmoid(x)"))
    view = build_view(derivation)
    assert view["function"]["latex"] == r"x \sigma(x)"
    explanations = " ".join(s["explanation"] for s in view["steps"])
    assert r"\sigma'(u) = \sigma(u) \left(1 - \sigma(u)\right)" in explanations
    assert "derived in the sigmoid walkthrough" in explanations
    # JSON's expr is read by SymPy: σ written out
    assert "sigma" not in view["result"]["expr"] and "exp" in view["result"]["expr"]


@pytest.mark.parametrize(("text", "kinks"), [
    ("relu(x - 1)", [1]), ("x*relu(x - 1)", [1]), ("relu(x**2 - 4)", [-2, 2]),
    ("hard_sigmoid(2*x)", [sympy.Rational(-3, 2), sympy.Rational(3, 2)]),
    ("leaky_relu(x + 3) + relu(x)", [-3, 0])])
def test_a_kinked_catalog_function_keeps_its_kinks_inside_an_expression(text, kinks):
    derivation = pipeline.derive(pipeline.resolve(text), timeout=TIMEOUT)
    points = sorted({p for note in derivation.notes if note.kind == "kink"
                     for p in note.part("points").args})
    assert points == kinks
    assert derivation.verified
    x = derivation.variable
    value = derivation.value_of(derivation.result)
    for k in kinks:  # no value where the derivative does not exist ...
        assert value.subs(x, k) is sympy.nan or value.subs(x, k).has(sympy.nan)
    # ... and SymPy's derivative on both sides of each kink
    for k in kinks:
        for side in (k - sympy.Rational(1, 10), k + sympy.Rational(1, 10)):
            assert sympy.simplify(value.subs(x, side) - derivation.reference.subs(x, side)) == 0


@pytest.mark.parametrize("text", ["sigmoid(x, 1)", "relu()"])
def test_a_catalog_function_takes_one_argument(text):
    with pytest.raises(DeriveError):
        pipeline.resolve(text)


def test_a_catalog_name_alone_is_still_the_catalog_walkthrough():
    assert pipeline.resolve("relu").from_catalog
    assert pipeline.resolve("sigma").definition.name == "sigmoid"


@pytest.mark.parametrize("name", [e.name for e in catalog.entries() if e.derivative is not None])
def test_every_lemma_is_the_derivative_of_its_function(name):
    # The lemma a walkthrough cites is what the catalog's own walkthrough proves: here it is
    # proved equal to SymPy's derivative of the body (piecewise: on each interval).
    definition = catalog.definition_of(name)
    u = definition.variable
    lemma = catalog.expand(catalog.derivative_of(name, u))
    reference = as_function(sympy.diff(definition.body, u))
    verdict = check_equal(lemma, reference, timeout=TIMEOUT)
    assert verdict.status is Status.PROVED, verdict


@pytest.mark.parametrize("name", [e.name for e in catalog.entries() if e.identity is not None])
def test_every_defining_identity_is_its_function(name):
    expr, _, _ = catalog.lookup(name).build()
    identity = catalog.identity_of(name)
    assert identity != expr
    verdict = check_equal(catalog.expand(identity), expr, timeout=TIMEOUT)
    assert verdict.status is Status.PROVED, verdict


def test_tanh_is_derived_from_sinh_over_cosh_and_cosh2_minus_sinh2_is_1():
    derivation = pipeline.derive(pipeline.resolve("tanh"), timeout=TIMEOUT)
    view = build_view(derivation)
    assert view["function"]["latex"] == r"\frac{\sinh x}{\cosh x}"
    assert derivation.steps[0].rule == "quotient"
    facts = _facts(derivation)
    # no table look-up of tanh' any more
    assert not any(f.rule == "elementary" and isinstance(f.part("outer"), sympy.tanh)
                   for f in facts)
    identity = [f for f in facts if f.rule == "identity"]
    assert len(identity) == 1
    u = sympy.Symbol("u")
    assert sympy.simplify(identity[0].part("identity") - (sympy.cosh(u)**2 - sympy.sinh(u)**2)) == 0
    x = derivation.variable
    assert sympy.simplify(derivation.value_of(derivation.result) - 1 / sympy.cosh(x)**2) == 0
    assert derivation.verified


@pytest.mark.parametrize(("name", "cited"), [("swish", "sigmoid"), ("mish", "softplus"),
                                            ("log_sigmoid", "sigmoid")])
def test_a_catalog_function_defined_by_others_cites_their_lemmas(name, cited):
    derivation = pipeline.derive(pipeline.resolve(name), timeout=TIMEOUT)
    assert cited in {str(f.part("walkthrough")) for f in _facts(derivation) if f.rule == "lemma"}
    assert derivation.verified


@pytest.mark.parametrize("text", ["sin(x)/cos(x)", "x*(sin(x)**2 + cos(x)**2)",
                                  "cosh(2*x)/sinh(2*x)"])
def test_the_pythagorean_identities_are_used_by_name(text):
    derivation = pipeline.derive(pipeline.resolve(text), timeout=TIMEOUT)
    steps = [s for s in derivation.steps if s.rule == "identity"]
    assert steps, [s.rule for s in derivation.steps]
    assert all(s.verdict is not None and s.verdict.ok for s in steps)
    assert derivation.verified


def test_the_sigmoid_still_derives_its_own_derivative():
    derivation = pipeline.derive(pipeline.resolve("sigmoid"))
    assert not any(f.rule == "lemma" for f in _facts(derivation))
    assert derivation.lemmas == ()
