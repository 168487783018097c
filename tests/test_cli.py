"""The command line as a user meets it: files written, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from derive.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "derive", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120,
                          env={"PYTHONPATH": str(Path(__file__).resolve().parents[1]),
                               "PATH": "/usr/bin:/bin",
                               # the run's template cache (conftest), not the home folder's
                               "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]})


def test_no_arguments_writes_the_sigmoid_markdown_and_latex(tmp_path):
    result = run(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    printed = result.stdout.split()
    assert {"output/sigmoid.md", "output/sigmoid.tex", "output/sigmoid.png"} <= set(printed)
    assert all((tmp_path / p).is_file() for p in printed)
    assert r"\sigma(x) \left(1 - \sigma(x)\right)" in (tmp_path / "output/sigmoid.md").read_text()
    assert (tmp_path / "output/sigmoid.tex").read_text().startswith(r"\documentclass")


def test_dash_o_dash_writes_one_format_to_stdout(tmp_path, capsys):
    assert main(["sigmoid", "-f", "json", "-o", "-"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) >= {"function", "variable", "steps", "derivative", "verified"}
    assert document["verified"] is True
    assert set(document["steps"][0]) >= {"title", "rule", "explanation", "expr", "latex",
                                         "verdict", "method"}
    assert not list(tmp_path.iterdir())


def test_formats_and_out_folder(tmp_path, capsys):
    assert main(["x*exp(-x**2)", "-f", "md,json", "-o", str(tmp_path), "--no-plot"]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["x-exp-x-pow-2.json", "x-exp-x-pow-2.md"]


def test_var_names_the_variable_and_the_rest_are_parameters(capsys):
    assert main(["1/(1+exp(-k*x))", "--var", "x", "-f", "json", "-o", "-"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["variable"] == "x"


def test_several_variables_without_var_is_a_usage_error(capsys):
    assert main(["a*b", "-o", "-", "-f", "md"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--var" in err


@pytest.mark.parametrize("argv, fragment", [
    (["-f", "docx"], "unknown format 'docx'"),
    (["-f", "md,tex", "-o", "-"], "exactly one"),
    (["--bogus"], "unrecognized arguments"),
    (["sigmod"], "did you mean 'sigmoid'"),
])
def test_usage_errors_exit_2_with_one_line(argv, fragment, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert "Traceback" not in err


def test_parse_error_shows_a_caret_under_the_culprit(capsys):
    assert main(["x + $y", "-o", "-", "-f", "md"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("derive: error:")
    assert lines[1].strip() == "x + $y"
    assert lines[2].index("^") == lines[1].index("$")


@pytest.mark.parametrize("text", [
    "__import__('os').system('touch pwned')",
    "().__class__.__bases__",
    "x.__class__",
    "(lambda: 1)()",
    "exec('open(\"pwned\",\"w\")')",
])
def test_code_in_an_expression_is_never_run(text, tmp_path):
    result = run(text, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text", ["10**10**10", "(" * 200 + "x" + ")" * 200, "x+" * 3000 + "x"])
def test_absurd_sizes_are_rejected_quickly(text, capsys):
    assert main([text, "-o", "-", "-f", "md"]) == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("text", ["sigmoid", "a*tanh(x)"])
def test_a_cold_run_with_its_early_child_writes_what_one_process_writes(text, tmp_path):
    from derive import pipeline

    cold = run(text, "--var", "x", "-f", "json", "-o", "-", cwd=tmp_path)
    assert cold.returncode == 0, cold.stderr
    target = pipeline.resolve(text, var="x")
    serial = pipeline.produce(pipeline.Request(target, ("json",), None, plot=False))
    assert cold.stdout == serial.texts["json"]
    assert json.loads(cold.stdout)["properties"]  # the child's work arrived


def test_python_dash_m_and_console_script_agree(tmp_path):
    result = run("sigmoid", "-f", "md", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("# The derivative of the sigmoid function")


def test_a_symbol_named_f_renames_the_function_and_says_why(capsys):
    assert main(["exp(f*x)", "--var", "x", "-f", "json", "-o", "-"]) == 0
    out, err = capsys.readouterr()
    document = json.loads(out)
    assert document["function"]["name"] == "g"
    assert document["in_terms_of_f"] is None  # f*f would read back as f**2
    assert any("symbol named $f$" in note for note in document["notes"])
    assert "symbol named f" in err
    assert main(["exp(f*x)", "--var", "x", "-f", "md", "-o", "-"]) == 0
    markdown = capsys.readouterr().out
    assert "g(x) = e^{f x}" in markdown
    assert "derive looked for" not in markdown  # none was looked for; the note says why


def test_an_expression_document_has_a_plain_title(capsys):
    assert main(["x*exp(-x**2)", "-f", "md", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("# A derivative, step by step\n")


def test_a_parameter_that_would_hide_numpy_fails_py_and_drops_only_the_code(capsys):
    assert main(["np*x", "--var", "x", "-f", "py", "-o", "-"]) == 2
    assert "would hide a name the generated code needs" in capsys.readouterr().err
    assert main(["np*x", "--var", "x", "-f", "md", "-o", "-"]) == 0
    assert "## In Python" not in capsys.readouterr().out


def test_slides_get_a_plot_drawn_for_a_slide(tmp_path, capsys):
    assert main(["sigmoid", "-f", "slides", "-o", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(tmp_path / n) for n in (
        "sigmoid.png", "sigmoid-plot.pdf", "sigmoid-slides-plot.pdf", "sigmoid-slides.tex")]
    slides = (tmp_path / "sigmoid-slides.tex").read_text()
    assert r"\includegraphics[width=\linewidth,height=0.78\textheight,keepaspectratio]" \
        r"{sigmoid-slides-plot.pdf}" in slides
    # a smaller figure, so that its labels stay legible in a slide's column
    assert (tmp_path / "sigmoid-slides-plot.pdf").read_bytes() != \
        (tmp_path / "sigmoid-plot.pdf").read_bytes()
    assert main(["sigmoid", "-f", "md", "-o", str(tmp_path / "md")]) == 0
    assert not (tmp_path / "md" / "sigmoid-slides-plot.pdf").exists()


def test_an_expression_starting_with_minus_is_told_how_to_pass(capsys):
    assert main(["-sqrt(x)", "-f", "json", "-o", "-"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "derive -- '-sqrt(x)'" in err
    assert main(["-f", "json", "-o", "-", "--", "-sqrt(x)"]) == 0
    assert json.loads(capsys.readouterr().out)["function"]["expr"] == "-sqrt(x)"


def test_a_run_that_simplifies_never_builds_sympys_unit_systems(tmp_path):
    """sympy.simplify imports sympy.physics.units to ask for a Quantity (0.2 s cold), and
    Add.flatten sympy.tensor.tensor: the command's worker answers with stand-ins
    (derive.process.cold_start.modules_on_demand)."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "derive", "mish", "-f",
                             "md", "-o", "-"], capture_output=True, text=True, timeout=120,
                            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")}
    assert "sympy.simplify.simplify" in imported  # the Result search did simplify
    assert "sympy.physics.units.systems.si" not in imported
    assert "sympy.tensor.tensor" not in imported and "sympy.combinatorics" not in imported


_STAND_INS = """
import sys
from derive.process.cold_start import modules_on_demand
modules_on_demand()
import sympy
x = sympy.Symbol("x")
assert sympy.simplify(sympy.exp(x) / (1 + sympy.exp(x)) ** 2).has(sympy.cosh)
assert "sympy.physics.units.systems" not in sys.modules
from sympy.physics.units import meter
from sympy.physics.units import Quantity
assert isinstance(meter, Quantity) and sympy.simplify(x * meter).has(Quantity)
import sympy.physics.units.systems.si
assert x + x == 2 * x and "sympy.combinatorics" not in sys.modules
from sympy.tensor.tensor import TensorIndexType, tensor_indices, TensorHead
L = TensorIndexType("L")
i = tensor_indices("i", L)
A, B = TensorHead("A", [L]), TensorHead("B", [L])
assert type(sympy.Add(A(i), B(i))).__name__ == "TensAdd"
"""


def test_the_stand_ins_give_the_real_module_to_whoever_needs_it():
    result = subprocess.run([sys.executable, "-c", _STAND_INS], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("text", "culprit"), [("log(asinh(erf(x)), asin(e))/x", "asin(E)"),
                                               ("x*sqrt(-2)", "I (the square root of -1)"),
                                               ("acos(10) + x", "acos(10)")])
def test_a_constant_that_is_not_real_is_refused_in_one_line(text, culprit, capsys):
    assert main([text, "-f", "md", "-o", "-"]) == 2
    err = capsys.readouterr().err
    assert err == (f"derive: error: {culprit} is not a real number; derive differentiates real "
                   "functions of a real variable\n")


def test_properties_cut_off_by_the_runs_deadline_are_said_so_in_words(monkeypatch):
    """A supervised run has a wall-time bound (Request.deadline); properties still at work
    near it are stopped, and the document is written, saying so, instead of the bound
    ending the run with no document."""
    import time

    from derive import pipeline

    monkeypatch.setattr(pipeline, "definition_properties",
                        lambda *a, **k: time.sleep(60))  # the forked child never answers
    target = pipeline.resolve("sigmoid")
    start = time.monotonic()
    produced = pipeline.produce(pipeline.Request(
        target, ("md",), None, plot=False, parallel=True,
        deadline=time.monotonic() + pipeline.PROPERTIES_WAIT_RESERVE + 1.0))
    assert time.monotonic() - start < 30
    text = produced.texts["md"]
    assert "stopped by its time limit before these finished: domain" in text
    assert "## Result" in text


def test_the_properties_runaway_clock_ends_before_the_deadline():
    import time

    from derive import pipeline
    from derive.analysis.properties import PROPERTIES_SECONDS

    assert pipeline._properties_seconds(None) is None
    assert pipeline._properties_seconds(time.monotonic() + 1000) == PROPERTIES_SECONDS
    soon = pipeline._properties_seconds(time.monotonic() + pipeline.PROPERTIES_RESERVE + 3)
    assert soon is not None and 2 < soon <= 3
    assert pipeline._properties_seconds(time.monotonic()) == 0.0
    found = pipeline.definition_properties(pipeline.resolve("tanh").definition, seconds=0.0)
    assert found["properties"] == [] and "domain" in found["stopped"]


@pytest.mark.parametrize("text", ["swish", "mish", "softsign", "sigmoid", "x*sigmoid(x)",
                                  "(x**3 + 2*x + 3)/x**2"])
def test_the_search_made_in_a_child_gives_the_documents_made_without_one(text, monkeypatch):
    """The command makes the f'-in-terms-of-f search in a child of its own while the
    walkthrough is built (pipeline._search_ahead): the documents are those of a run that
    searches in process, and this process does not search again."""
    import threading

    from derive import pipeline
    from derive.analysis import in_terms_of_f

    def texts(parallel: bool) -> dict[str, str]:
        request = pipeline.Request(pipeline.resolve(text), ("md", "json", "tex"), None,
                                   plot=False, parallel=parallel)
        return pipeline.produce(request).texts

    alone = texts(False)
    in_terms_of_f._search.cache_clear()
    here: list[tuple] = []
    search = in_terms_of_f._search
    monkeypatch.setattr(in_terms_of_f, "_search",
                        lambda *a: here.append(a) or search(*a))  # counted in this process only
    assert texts(True) == alone
    if threading.active_count() == 1:  # (forking is left out where threads run)
        assert here == []
    assert in_terms_of_f._coming == {}  # the run forgets its child


def test_a_search_child_that_fails_leaves_the_search_to_this_process(monkeypatch):
    import os

    from derive import pipeline
    from derive.analysis import in_terms_of_f

    parent = os.getpid()
    made_here = in_terms_of_f.search_here

    def fails_in_a_child(f, x):
        if os.getpid() != parent:
            raise RuntimeError("the child breaks")
        return made_here(f, x)

    monkeypatch.setattr(in_terms_of_f, "search_here", fails_in_a_child)
    request = pipeline.Request(pipeline.resolve("swish"), ("json",), None, plot=False,
                               parallel=True)
    view = json.loads(pipeline.produce(request).texts["json"])
    assert view["in_terms_of_f"]["expr"] == "f + (1 - f)/(1 + exp(-x))"
