"""The steps a teacher shows (issue 13 part 2): titles that name the law, laws in letters that
are not the function's, and the other moves of this file's tests, checked on real exercises."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from derive import pipeline
from derive.engine.walkthrough import build
from derive.model import iter_steps
from derive.render.view import build_view

sys.path.insert(0, str(Path(__file__).parent))
from exercises import exercises


def _view(text: str, var: str | None = None) -> dict:
    target = pipeline.resolve(text, var=var)
    name = target.name if target.from_catalog else target.definition.name
    return build_view(build(target.definition, name=name, search=False))


# One exercise of each real source, and every rule of derive among them.
SAMPLE = [case for case in exercises() if case.line % 7 == 0][:40]


@pytest.mark.parametrize("case", SAMPLE, ids=lambda c: c.id)
def test_every_title_names_a_law_or_a_move(case):
    for step in _view(case.text, case.variable)["steps"]:
        title = step["title"]
        assert not title.startswith("Apply the "), title  # "Apply the sinh rule"
        assert title != "Differentiate", case.text


@pytest.mark.parametrize("text, title", [
    ("sinh(x)/x", "The derivative of $`\\sinh x`$"),
    ("x + exp(x)", "The derivative of $`e^{x}`$"),
    ("3*exp(x) - 3", "The derivative of $`e^{x}`$"),   # a sum carried into the table's line
    ("2**x*x", "The derivative of $`2^{x}`$"),
    ("x*sigmoid(x)", "The derivative of $`\\sigma(x)`$"),
    ("x**3 + 1", "The power rule"),
    ("sin(x)", "The derivative of $`\\sin x`$"),        # the whole function is a table line
    ("x", "The derivative of $`x`$"),
])
def test_a_table_line_is_titled_by_its_subject(text, title):
    from derive.render.templates import render

    view = _view(text)
    titles = [s["title"] for s in view["steps"]]
    markdown = render(view, "md")
    assert any(title in line for line in markdown.splitlines() if line.startswith("## ")), titles


LETTERED = re.compile(r"(?<![\\A-Za-z])[fg](?![A-Za-z])")


@pytest.mark.parametrize("text", ["x*log(x)", "sin(2*x)", "x**2 + sin(x)", "-sin(x)*x",
                                  "exp(x**2)*cos(x)", "sqrt(1 + x**2)"])
def test_where_f_is_the_function_the_laws_say_u_and_v(text):
    target = pipeline.resolve(text)
    derivation = build(target.definition, name=target.definition.name, search=False)
    laws = [s.law for s in iter_steps(derivation.steps) if s.law is not None]
    assert laws
    for law in laws:
        if "(x)" in law or "u" in law or "v" in law:
            assert not LETTERED.search(law.replace("g'(u)", "").replace("g(u)", "")), law


def test_the_sigmoid_keeps_f_and_g_in_its_laws(sigmoid):
    laws = [s.law for s in iter_steps(sigmoid.steps) if s.law is not None]
    assert r"\left(\frac{f}{g}\right)' = \frac{f' g - f g'}{g^{2}}" in laws
    assert r"\left(f(g(x))\right)' = f'(g(x))\, g'(x)" in laws


def test_the_chain_law_names_the_inner_function_by_the_steps_letter():
    derivation = pipeline.derive(pipeline.resolve("sin(2*x)*x"))
    chain = next(s for s in iter_steps(derivation.steps) if s.rule == "chain")
    assert chain.law == r"\left(g(u)\right)' = g'(u)\, u'"
    assert derivation.verified
