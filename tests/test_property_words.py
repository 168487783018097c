"""Properties are facts; derive.words.properties says them (issue 9: facts, not prose)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sympy

from derive import pipeline
from derive.analysis.properties import find_properties
from derive.cli import main
from derive.words.properties import Named, say_property

ROOT = Path(__file__).resolve().parents[1]
x = sympy.Symbol("x", real=True)


@pytest.fixture(scope="module")
def sigmoid_properties():
    return pipeline.definition_properties(pipeline.resolve("sigmoid").definition)["properties"]


def test_the_finders_write_no_words():
    """No property finder, nor the search for f' in terms of f, imports the words or render
    layers (they come later), so a sentence about a property is written in derive/words."""
    analysis = ROOT / "derive" / "analysis"
    for path in [*sorted((analysis / "properties").glob("*.py")), analysis / "in_terms_of_f.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(("derive.words", "derive.render")), (path, name)


def test_plain_words_have_no_latex(sigmoid_properties):
    for f in (1 / (1 + sympy.exp(-x)), sympy.tanh(x), x * sympy.exp(-x**2),
              (x**2 + 1) / (x - 1)**3, sympy.Max(0, x), sympy.log(1 + sympy.exp(x))):
        props = find_properties(f, x, sympy.diff(f, x))
        assert props
        for prop in props:
            said = say_property(prop, Named("f", "f", x))
            for text in (said.statement.plain, said.method.plain, said.verdict.method):
                assert "\\" not in text and "$" not in text, (prop.name, text)
            assert "\\" not in said.statement.plain
            assert said.verdict.status is prop.verdict.status  # the words never change it


def test_statements_are_written_from_the_claim():
    (prop,) = [p for p in find_properties(sympy.tanh(x), x, 1 - sympy.tanh(x)**2)
               if p.name == "range"]
    assert prop.claim.relation == "in" and prop.claim.value == sympy.Interval.open(-1, 1)
    said = say_property(prop, Named(r"\tanh", "tanh", x))
    assert said.statement.latex == r"\tanh(\mathbb{R}) = \left(-1, 1\right)"
    assert said.statement.plain == "tanh(ℝ) = (-1, 1)"


def test_the_view_gives_templates_words_and_facts(sigmoid_properties):
    by_name = {p["name"]: p for p in sigmoid_properties}
    symmetry = by_name["symmetry"]
    assert symmetry["statement_latex"] == r"\sigma(-x) = 1 - \sigma(x)"
    assert symmetry["statement_plain"] == "sigmoid(-x) = 1 - sigmoid(x)"
    assert symmetry["how"]["method"] == "point" and symmetry["how"]["parts"]["c"]["latex"] == "1"
    limit = [p for p in sigmoid_properties if p["name"] == "limits"][-1]
    assert limit["claim"]["relation"] == "=" and limit["claim"]["value"]["text"] == "1"
    assert limit["how"]["method"] == "each part"
    assert "10^8" in limit["method"]


def test_a_template_rewords_a_property_from_its_fields(tmp_path):
    folder = tmp_path / "templates" / "md"
    folder.mkdir(parents=True)
    (folder / "index.md.j2").write_text(
        "{% extends 'builtin/md/index.md.j2' %}\n"
        "{% block properties %}\n"
        "{% for p in properties if p.name == 'limits' %}\n"
        "* toward {{ p.claim.subject.text }} it tends to {{ p.claim.value.text }} "
        "(by {{ p.how.method }})\n"
        "{% endfor %}\n"
        "{% endblock %}\n")
    out = tmp_path / "out"
    assert main(["sigmoid", "-f", "md", "-o", str(out), "--no-plot", "--templates",
                 str(tmp_path / "templates")]) == 0
    text = (out / "sigmoid.md").read_text()
    assert "* toward Limit(1/(1 + exp(-x)), x, oo, dir='-') it tends to 1 (by each part)" in text
    assert "* toward Limit(1/(1 + exp(-x)), x, -oo, dir='+') it tends to 0 (by each part)" in text


def _summary(text: str):  # -> dict | None
    from derive.words.properties import reader_summary

    definition = pipeline.resolve(text).definition
    found = pipeline.definition_properties(definition)["properties"]
    return reader_summary(found, definition.latex, "x")


def test_the_reader_is_told_the_domain_and_the_pole_beside_the_result():
    said = _summary("(x**2 + 1)/(x - 1)**3")
    assert said is not None
    assert r"$f(x)$ is defined for $x \in \left(-\infty, 1\right) \cup \left(1, \infty\right)$" \
        in said["latex"]
    assert "it has a pole at $x = 1$" in said["latex"]
    assert "∪" in said["plain"] and "$" not in said["plain"]


def test_the_reader_is_told_where_the_derivative_is_zero():
    said = _summary("x*exp(-x**2)")
    assert said is not None
    assert r"$f'(x) = 0$ exactly at $x = - \frac{\sqrt{2}}{2}, \frac{\sqrt{2}}{2}$" in said["latex"]


def test_only_proved_claims_are_summarised_and_nothing_is_said_without_one():
    from derive.words.properties import reader_summary

    checked = {"name": "critical points", "verdict": "checked", "statement_plain": "",
               "how": {"parts": {"points": {"latex": "1", "text": "1"}}}}
    assert reader_summary([checked], "f", "x") is None
    assert _summary("sigmoid") is None  # defined everywhere, no pole, f' never 0


def test_the_summary_is_in_the_markdown_and_the_article(tmp_path):
    assert main(["(x**2 + 1)/(x - 1)**3", "-f", "md,tex", "--no-plot",
                 "-o", str(tmp_path)]) == 0
    for path in (tmp_path.glob("*.md"), tmp_path.glob("*.tex")):
        (text,) = [p.read_text(encoding="utf-8") for p in path]
        assert "it has a pole at" in text and "each proved; see Properties" in text
