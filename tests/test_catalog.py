"""The catalog: every named function walks through, verifies, and says what f' is in terms of f."""

from __future__ import annotations

import json

import pytest

from derive import pipeline
from derive.cli import main
from derive.model import Status, iter_steps
from derive.parse import catalog
from derive.words.notes import say_note
from derive.words.said import Pen

NAMES = [entry.name for entry in catalog.entries()]


def test_derive_list_prints_every_function_with_its_formula(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in ["sigmoid", "tanh", "softplus", "softsign", "relu", "leaky_relu", "elu", "selu",
                 "swish", "gelu", "gelu_tanh", "mish", "log_sigmoid", "hard_sigmoid"]:
        assert any(line.startswith(name + " ") for line in out.splitlines()), name
    assert "1/(1 + exp(-x))" in out and "silu" in out


@pytest.mark.parametrize("alias, name", [("SiLU", "swish"), ("Sigmoid", "sigmoid"),
                                         ("LOGISTIC", "sigmoid"), ("LeakyReLU", "leaky_relu")])
def test_aliases_resolve_case_insensitively(alias, name):
    assert pipeline.resolve(alias).name == name


def test_an_unknown_name_exits_2_suggesting_close_names(capsys):
    assert main(["softplux", "-o", "-", "-f", "md"]) == 2
    err = capsys.readouterr().err
    assert "'softplus'" in err and "derive list" in err and err.count("\n") == 1


@pytest.mark.parametrize("name", NAMES)
def test_every_catalog_walkthrough_is_verified_with_no_unknown_step(name):
    derivation = pipeline.derive(pipeline.resolve(name))
    assert derivation.verified, [(s.rule, s.verdict) for s in iter_steps(derivation.steps)]
    assert all(s.rule != "unknown" for s in iter_steps(derivation.steps))


@pytest.mark.parametrize("name, form", [
    ("sigmoid", "f*(1 - f)"),
    ("tanh", "1 - f**2"),
    ("softplus", "1 - exp(-f)"),
    ("log_sigmoid", "1 - exp(f)"),
    ("elu", "Piecewise((1, x > 0), (f + alpha, True))"),
])
def test_the_derivative_in_terms_of_f_is_the_last_verified_step(name, form, capsys):
    assert main([name, "-f", "json", "-o", "-"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["in_terms_of_f"]["expr"] == form
    assert document["steps"][-1]["verdict"] in ("proved", "checked")


def test_no_form_in_terms_of_f_is_null(capsys):
    assert main(["x*exp(-x**2)", "-f", "json", "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["in_terms_of_f"] is None


def test_properties_of_the_sigmoid_are_verified_claims(capsys):
    assert main(["sigmoid", "-f", "json", "-o", "-"]) == 0
    properties = json.loads(capsys.readouterr().out)["properties"]
    statements = {p["statement_latex"] for p in properties}
    assert r"\sigma(0) = \frac{1}{2}" in statements
    assert any("4^{-n}" in s for s in statements)
    assert all(p["verdict"] in ("proved", "checked") for p in properties)


def test_relu_names_its_kink():
    derivation = pipeline.derive(pipeline.resolve("relu"))
    said = [say_note(note, Pen({})) for note in derivation.notes]
    assert any(note.kind == "kink" for note in derivation.notes)
    assert any("kink" in s.latex and "$x = 0$" in s.latex for s in said)
    assert any("kink x = 0 " in s.plain for s in said)


@pytest.mark.parametrize("argv", [["sin(x**2)/x"], ["1/(1+exp(-k*x))", "--var", "x"], ["x**x"]])
def test_arbitrary_expressions_work(argv, capsys):
    assert main([*argv, "-f", "json", "-o", "-"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["verified"] is True


def test_the_parameter_k_is_a_constant_and_general_power_is_named(capsys):
    derivation = pipeline.derive(pipeline.resolve("x**x"))
    assert derivation.steps[0].rule == "general power"
    derivation = pipeline.derive(pipeline.resolve("1/(1+exp(-k*x))", var="x"))
    assert derivation.result_verdict.status is Status.PROVED
