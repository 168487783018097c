"""The Python API: derive.walkthrough() and derive.check() (names a contract)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

import derive
from derive.errors import InputError, ParseError


def test_import_derive_loads_neither_sympy_nor_the_api():
    code = ("import sys, derive; print(sorted(m for m in sys.modules "
            "if m.startswith(('derive', 'sympy', 'typing'))))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "['derive']"


def test_a_catalog_name_gives_every_document():
    w = derive.walkthrough("sigmoid")
    assert repr(w) == "<derive.Walkthrough 'sigmoid': not derived yet>"
    markdown = w.markdown()
    assert markdown == (Path(__file__).parent.parent / "output" / "sigmoid.md").read_text() \
        .replace("![σ and its derivative](sigmoid.png)", "") or "## Result" in markdown
    assert "\\documentclass" in w.latex() and "\\documentclass[" in w.slides()
    data = json.loads(w.json())
    assert data["function"]["name"] == "sigmoid" and data["verified"] is True
    assert w.data() == data
    assert "def sigmoid_derivative" in w.code()
    assert w.verified and len(w.steps) >= 5
    assert repr(w).startswith("<derive.Walkthrough 'sigmoid': ") and repr(w).endswith("verified>")
    assert len(repr(w)) < 80


def test_the_documents_are_those_the_command_writes(tmp_path):
    from derive.cli import main

    assert main(["sigmoid", "-f", "json,py", "-o", str(tmp_path)]) == 0
    w = derive.walkthrough("sigmoid")
    assert w.json() == (tmp_path / "sigmoid.json").read_text()
    assert w.code() == (tmp_path / "sigmoid.py").read_text()


@pytest.mark.skipif(not __import__("importlib").util.find_spec("latex2mathml"), reason="[html]")
def test_notebook_display():
    w = derive.walkthrough("tanh")
    assert w._repr_markdown_() == w.markdown()
    latex = w._repr_latex_()
    assert latex.startswith("$$") and latex.endswith("$$") and "\\tanh" in latex
    html = w._repr_html_()
    assert html.startswith("<!DOCTYPE html>") and "<math" in html


def test_an_expression_in_derive_syntax_and_its_sympy_twin_agree():
    text = derive.walkthrough("x*exp(-x**2)")
    x = sympy.Symbol("x")  # not real: derive makes it real, as its parser does
    sym = derive.walkthrough(x * sympy.exp(-x**2))
    assert sym.verified and text.verified
    assert sympy.simplify(sym.result - text.result) == 0
    assert sym.markdown() == text.markdown()


def test_a_sympy_expression_with_a_parameter_takes_var():
    k, t = sympy.symbols("k t")
    w = derive.walkthrough(1 / (1 + sympy.exp(-k * t)), var=t)
    assert str(w.variable) == "t" and w.verified


@pytest.mark.parametrize("bad", [42, [1, 2], sympy.Matrix([1, 2]), sympy.Symbol("x") < 1])
def test_what_is_not_an_expression_is_refused_in_one_line(bad):
    with pytest.raises(InputError) as error:
        derive.walkthrough(bad)
    assert "\n" not in str(error.value)


def test_bad_text_is_a_parse_error_with_its_column():
    with pytest.raises(ParseError):
        derive.walkthrough("x +* 2")
    with pytest.raises(InputError, match="did you mean 'sigmoid'"):
        derive.walkthrough("sigmod")


def test_check_text_returns_each_verdict():
    report = derive.check("d/dx x**2\n  = 2*x\n  = 3*x\n")
    assert report.verdicts == ["proved", "failed"]
    assert not report.ok and report.exit_code == 1 and not report
    assert "step 2 does not follow from line 2" in report.report()
    assert json.loads(report.json())
    assert repr(report) == ("<derive.CheckReport: 1 file, 1 chain, 2 steps: "
                            "1 proved, 0 checked, 1 failed, 0 undecided>")


def test_check_a_path_as_the_command_does(tmp_path):
    (tmp_path / "a.derive").write_text("d/dx sin(x)\n  = cos(x)\n")
    (tmp_path / "b.derive").write_text("d/dx x**3\n  = 3*x**2\n")
    for given in (tmp_path, str(tmp_path), str(tmp_path / "a.derive")):
        report = derive.check(given)
        assert report.ok and set(report.verdicts) == {"proved"}
    assert len(derive.check(tmp_path).files) == 2


def test_a_missing_file_is_a_problem_not_a_parse_error(tmp_path):
    report = derive.check(str(tmp_path / "nofile.derive"))
    assert report.exit_code == 2 and "nofile.derive" in report.problems[0]


def test_check_reads_document_text_by_kind():
    tex = "\\begin{align}\n\\frac{d}{dx} x^2 &= 2x \\\\\n&= 2x + 1\n\\end{align}\n"
    assert derive.check(tex, kind="tex").verdicts == ["proved", "failed"]
    with pytest.raises(InputError):
        derive.check(tex, kind="rst")


def test_a_parse_problem_in_text_is_reported_not_raised():
    report = derive.check("d/dx x**2\n  = __import__('os')\n")
    assert report.exit_code == 2 and report.problems[0].startswith("<text>:2")


def test_py_typed_ships():
    assert (Path(derive.__file__).parent / "py.typed").is_file()
