"""What `derive check` reports: feedback under a failed derivative step, GitHub workflow
annotations, the pytest failure report, and quiet on a closed pipe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from derive.check.command import main
from derive.check.report import chain_failure, passes
from derive.check.runner import check_chain, parse_file

ROOT = Path(__file__).resolve().parents[1]

TANH = """\
# tanh
d/dx tanh(x)
  = -tanh(x)**2
  = 1 - tanh(x)
"""
SIGMOID = """\
let s(x) = 1/(1 + exp(-x))
d/dx s(x)
  = -exp(-x)/(1 + exp(-x))**2
"""


def run(capsys, *args: str) -> tuple[int, list[str], list[str]]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def test_a_counterexample_whose_values_print_alike_says_what_the_difference_is(tmp_path, capsys):
    # exp(-1000) beside sin(1/2): both values agree to every digit shown, which alone reads
    # as no counterexample; the verifier's detail says what is left after cancelling.
    path = tmp_path / "tiny.derive"
    path.write_text("sin(x)\n  = sin(x) + exp(-1000)\n\nx\n  = x + 3\n")
    code, out, _ = run(capsys, str(path))
    assert code == 1
    tiny, plain = out[0], out[1]
    left = tiny.split("left = ")[1].split(",")[0]
    assert f"right = {left} (the same to the digits shown; " in tiny
    assert "cancel leaves -exp(-1000), nonzero there" in tiny
    # values that read differently need no explanation
    assert plain.startswith(f"{path}:5: step 1 does not follow from line 4: at ")
    assert "the same to the digits shown" not in plain


def test_a_failed_derivative_step_says_what_the_derivative_is_and_names_the_mistake(
        tmp_path, capsys):
    path = tmp_path / "tanh.derive"
    path.write_text(TANH)
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert out[0].startswith(f"{path}:3: step 1 does not follow from line 2: at x = ")
    assert out[1] == "  d/dx tanh(x) = 1 - tanh(x)**2; the step says -tanh(x)**2"
    assert out[2] == ("  derivative of the wrong function: the step takes d/dx tanh(x) as "
                      "-tanh(x)**2 (a misremembered table entry); it is 1 - tanh(x)**2")
    # the next step does not differentiate: its failure has no feedback under it
    assert out[3].startswith(f"{path}:4: step 2 does not follow from line 3")
    assert out[4].startswith("1 file, 1 chain, 2 steps")


def test_the_sigmoid_sign_error_is_named_with_every_mistake_that_gives_it(tmp_path, capsys):
    path = tmp_path / "sigmoid.derive"
    path.write_text(SIGMOID)
    code, out, _ = run(capsys, "--format", "json", str(path))
    assert code == 1
    step = json.loads("\n".join(out))["files"][0]["chains"][0]["steps"][0]
    feedback = step["feedback"]
    # the function by the name the file gives it, its derivative by the catalog's lemma
    # (proved equal to the derivative before it is shown)
    assert feedback["derivative"] == "d/dx s(x) = s(x)*(1 - s(x))"
    assert feedback["step"] == "-exp(-x)/(1 + exp(-x))**2"
    kinds = [m["kind"] for m in feedback["mistakes"]]
    assert kinds == ["chain rule: inner derivative left out",
                     "quotient rule: numerator reversed", "sign error"]
    assert feedback["mistakes"][0]["at"] == "exp(-x)"
    assert all(m["method"] for m in feedback["mistakes"])  # each proved, and how


def test_a_latex_leibniz_row_gets_the_same_feedback(tmp_path, capsys):
    path = tmp_path / "notes.tex"
    path.write_text("% derive: let sigma(x) = 1/(1 + exp(-x))\n\\begin{align*}\n"
                    "  \\frac{d}{dx}\\sigma(x) &= -\\frac{e^{-x}}{(1+e^{-x})^2} \\\\\n"
                    "  &= -\\sigma(x)(1-\\sigma(x))\n\\end{align*}\n")
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert out[0].startswith(f"{path}:3: step 1 does not follow from line 3")
    assert out[1] == ("  d/dx sigma(x) = sigma(x)*(1 - sigma(x)); "
                      "the step says -exp(-x)/(1 + exp(-x))**2")
    assert out[2].startswith("  chain rule: inner derivative left out: the step takes "
                             "d/dx exp(-x) as exp(-x)")


WRONG_SIGMOID_ROW = r"-\frac{e^{-x}}{(1+e^{-x})^2}"
# The same derivative in every notation the checker reads, with the same wrong step after it
# (the σ' sign error of issue 12, as a Markdown page writes it).
NOTATIONS = [r"\sigma'(x)", r"\sigma^{\prime}(x)", r"\frac{d}{dx}\sigma(x)",
             r"\frac{\mathrm{d}}{\mathrm{d}x}\sigma(x)", r"\frac{d\sigma(x)}{dx}"]


def feedback_of(tmp_path, capsys, name: str, text: str) -> dict:
    path = tmp_path / name
    path.write_text(text)
    code, out, _ = run(capsys, "--format", "json", str(path))
    assert code == 1
    step = json.loads("\n".join(out))["files"][0]["chains"][0]["steps"][0]
    assert step["status"] == "failed"
    assert step["feedback"] is not None, f"no feedback for {text!r}"
    return step["feedback"]


def test_every_derivative_notation_gets_the_same_feedback(tmp_path, capsys):
    leibniz = feedback_of(tmp_path, capsys, "d.derive", SIGMOID)
    assert leibniz["mistakes"]
    # the .derive file calls the sigmoid s, the pages \sigma (derive's catalog)
    leibniz = json.loads(json.dumps(leibniz).replace("s(x)", "sigma(x)"))
    for i, notation in enumerate(NOTATIONS):
        page = (f"$$\n\\begin{{aligned}}\n{notation} &= {WRONG_SIGMOID_ROW}\n"
                "\\end{aligned}\n$$\n")
        assert feedback_of(tmp_path, capsys, f"page{i}.md", page) == leibniz, notation


def test_a_prime_of_a_function_the_document_defines_gets_feedback(tmp_path, capsys):
    page = "Let $f(x) = x^3 \\sin x$.\n\n$$\nf'(x) = 3x^2 \\sin x + x^3 \\sin x\n$$\n"
    feedback = feedback_of(tmp_path, capsys, "f.md", page)
    assert feedback["derivative"] == "d/dx f(x) = x**3*cos(x) + 3*x**2*sin(x)"
    assert feedback["step"] == "x**3*sin(x) + 3*x**2*sin(x)"
    # f'' is the second derivative, stated as such
    page = "Let $f(x) = x^3$.\n\n$$\nf''(x) = 3x^2\n$$\n"
    assert feedback_of(tmp_path, capsys, "f2.md", page)["derivative"] == "d^2/dx^2 f(x) = 6*x"


def test_a_derivative_at_a_point_states_the_derivative_and_its_value_there(tmp_path, capsys):
    # f'(2), sigma'(0), f''(1): the derivative line, with the value at the point
    page = "Let $f(x) = x^3 + 2x$.\n\n$$\nf'(2) = 3 \\cdot 2^3 + 2\n$$\n"
    feedback = feedback_of(tmp_path, capsys, "f.md", page)
    assert feedback["derivative"] == "d/dx f(x) = 2 + 3*x**2, at x = 2: 14"
    assert feedback["step"] == "26"
    assert [m["kind"] for m in feedback["mistakes"]] == ["power rule off by one"]
    feedback = feedback_of(tmp_path, capsys, "s.md", "$$\n\\sigma'(0) = -\\frac{1}{4}\n$$\n")
    assert feedback["derivative"] == "d/dx sigma(x) = sigma(x)*(1 - sigma(x)), at x = 0: 1/4"
    assert feedback["step"] == "-1/4"
    assert "sign error" in [m["kind"] for m in feedback["mistakes"]]
    page = "Let $f(x) = x^3$.\n\n$$\nf''(1) = 3\n$$\n"
    feedback = feedback_of(tmp_path, capsys, "f2.md", page)
    assert feedback["derivative"] == "d^2/dx^2 f(x) = 6*x, at x = 1: 6"
    # at a point that holds the variable, the derivative's own variable is another letter
    page = "Let $f(x) = \\sin x$.\n\n$$\nf'(2x) = -\\sin(2x)\n$$\n"
    feedback = feedback_of(tmp_path, capsys, "f3.md", page)
    assert feedback["derivative"] == "d/dt sin(t) = cos(t), at t = 2*x: cos(2*x)"
    assert feedback["mistakes"][0]["text"].startswith("the step takes d/dt sin(t) as -sin(t)")
    # the value at the point is still checked as before: a right value passes
    page = "Let $f(x) = x^3 + 2x$.\n\n$$\nf'(2) = 14\n$$\n"
    path = tmp_path / "ok.md"
    path.write_text(page)
    assert run(capsys, str(path))[0] == 0


def test_a_passing_or_undecided_step_gets_no_feedback(tmp_path, capsys):
    path = tmp_path / "ok.derive"
    path.write_text("d/dx sin(x)\n  = cos(x)\n")
    code, out, _ = run(capsys, "--format", "json", str(path))
    assert code == 0
    assert json.loads("\n".join(out))["files"][0]["chains"][0]["steps"][0]["feedback"] is None


def test_github_format_annotates_each_failing_line(tmp_path, capsys):
    path = tmp_path / "tanh.derive"
    path.write_text(TANH)
    code, out, _ = run(capsys, "--format", "github", str(path))
    assert code == 1
    assert out[0].startswith(f"::error file={path},line=3,title=derive check::step 1 does not "
                             "follow from line 2: at x = ")
    # the feedback travels in the same annotation, its lines escaped as GitHub reads them
    assert "%0Ad/dx tanh(x) = 1 - tanh(x)**2; the step says -tanh(x)**2%0A" in out[0]
    assert out[1].startswith(f"::error file={path},line=4,title=derive check::step 2 ")
    assert out[2].startswith("1 file, 1 chain, 2 steps: 0 proved")
    assert len(out) == 3


def test_github_format_escapes_paths_and_reports_unreadable_files(tmp_path, capsys):
    path = tmp_path / "a,b:c.derive"
    path.write_text("d/dx sin(x\n  = cos(x)\n")
    code, out, _ = run(capsys, "--format", "github", str(path))
    assert code == 2
    escaped = str(path).replace(":", "%3A").replace(",", "%2C")
    assert out[0].startswith(f"::error file={escaped},line=1,col=")
    assert "%0A" not in out[0] and "\n" not in out[0]


def test_github_format_warns_on_undecided_steps_and_fails_them_under_strict(tmp_path, capsys):
    path = tmp_path / "unknown.derive"
    path.write_text("d/dx f(x)\n  = f(x)\n")
    code, out, _ = run(capsys, "--format", "github", str(path))
    if code == 2:  # f is not a function derive knows: then the file is bad input
        assert out[0].startswith("::error file=")
        return
    assert out[0].startswith("::warning file=")
    code, out, _ = run(capsys, "--format", "github", "--strict", str(path))
    assert out[0].startswith("::error file=")


def test_github_format_notes_relations_it_does_not_check(tmp_path, capsys):
    path = tmp_path / "bound.tex"
    path.write_text("\\begin{align*}\n  (x+1)^2 &= x^2 + 2x + 1 \\\\\n"
                    "  &\\le x^2 + 2x + 2\n\\end{align*}\n")
    code, out, _ = run(capsys, "--format", "github", str(path))
    assert code == 0
    assert out[0] == (f"::notice file={path},line=3,title=derive check::`\\le` is not checked "
                      "(derive checks the = steps)")


def test_github_format_puts_a_notebook_cell_in_the_message(tmp_path, capsys):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("Intro"), nbformat.v4.new_markdown_cell(
        "$$\n\\begin{aligned}\n\\frac{d}{dx}\\tanh(x) &= -\\tanh^2(x)\n"
        "\\end{aligned}\n$$")]
    path = tmp_path / "notes.ipynb"
    nbformat.write(notebook, str(path))
    code, out, _ = run(capsys, "--format", "github", str(path))
    assert code == 1
    # the annotation stands on the JSON line that holds the failing row
    assert out[0].startswith(f"::error file={path},line=")
    at = int(out[0].split(",line=")[1].split(",")[0])
    assert "tanh^2(x)" in path.read_text().splitlines()[at - 1]
    assert ",title=derive check::cell 2, line 3: " in out[0]
    assert "d/dx tanh(x) = 1 - tanh(x)**2" in out[0]


def test_the_pytest_report_shows_each_failures_first_line_once_and_ends_with_path_line(tmp_path):
    path = tmp_path / "tanh.derive"
    path.write_text(TANH)
    (chain,) = parse_file(str(path))
    result = check_chain(chain)
    failing = [step for step in result.steps if not passes(step, strict=False)]
    report = chain_failure(result, failing).splitlines()
    first = report[0]
    assert first.startswith("line 3: step 1 does not follow from line 2: at x = ")
    assert first.endswith("(and 1 more step)")
    message = first.removeprefix("line 3: ").removesuffix(" (and 1 more step)")
    assert sum(message in line for line in report) == 1
    assert sum("step 2 does not follow from line 3" in line for line in report) == 1
    assert "  d/dx tanh(x) = 1 - tanh(x)**2; the step says -tanh(x)**2" in report
    assert report[-1] == f"{path}:3: step 1 failed"


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "derive", "check", *args]


def test_a_closed_pipe_is_quiet(tmp_path):
    good = (ROOT / "docs" / "examples" / "sigmoid.derive").read_text()
    for i in range(150):  # far more JSON than a pipe holds, so a write meets the closed end
        (tmp_path / f"copy_{i:03d}.derive").write_text(good)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for form in ("json", "text"):
        with subprocess.Popen(_command("--format", form, "-j", "1", str(tmp_path)),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as process:
            assert process.stdout is not None and process.stderr is not None
            process.stdout.readline()
            process.stdout.close()  # `| head -1`
            err = process.stderr.read().decode()
            process.wait(timeout=120)
        assert "Traceback" not in err and "BrokenPipeError" not in err, err
        assert err == ""


def test_skips_asked_for_are_notices_and_the_summary_counts_them(tmp_path, capsys):
    notes = tmp_path / "notes.md"
    notes.write_text("<!-- derive: skip the published mistake -->\n$$ \\frac{d}{dx} x^2 = 3x $$\n"
                     "\n$$ \\frac{d}{dx} \\mysterymacro{x} = 1 $$\n")
    drafts = tmp_path / "drafts.tex"
    drafts.write_text("% derive: skip file\n\\[ \\frac{d}{dx} x^2 = 7x \\]\n")
    code, out, _ = run(capsys, "--format", "github", str(notes), str(drafts))
    assert code == 0
    assert out[0].startswith(f"::notice file={notes},line=2,title=derive check::chain skipped: "
                             "skipped by a `derive: skip` directive")
    assert out[1].startswith(f"::warning file={notes},line=4,title=derive check::chain skipped: "
                             "line 4: cannot read")
    assert out[2] == (f"::notice file={drafts},title=derive check::file skipped: line 1: a "
                      "`derive: skip` directive")
    assert out[3].endswith("2 chains skipped (1 by a `derive: skip` directive), 1 file skipped")


def test_a_failure_is_reported_once_and_the_report_ends_with_path_and_line(tmp_path):
    path = tmp_path / "tanh.derive"
    path.write_text(TANH)
    (chain,) = parse_file(str(path))
    result = check_chain(chain)
    failing = [step for step in result.steps if not passes(step, strict=False)]
    text = chain_failure(result, failing)
    first = text.splitlines()[0]
    assert text.count(first) == 1
    assert text.splitlines()[-1] == f"{path}:3: step 1 failed"


def test_a_notebook_without_cell_ids_is_read_without_a_warning(tmp_path, capsys):
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps({"cells": [
        {"cell_type": "markdown", "metadata": {},
         "source": ["$$\n", "\\frac{d}{dx} e^{2x} = e^{2x}\n", "$$\n"]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    code, out, err = run(capsys, str(path))
    assert code == 1
    assert err == []
    # the whole notebook on one JSON line: that line is where cell 1's text is
    assert out[0].startswith(f"{path}:1: cell 1, line 2: step 1 does not follow from line 2")
    assert out[1] == "  d/dx exp(2*x) = 2*exp(2*x); the step says exp(2*x)"


def test_a_notebook_failure_ends_with_the_json_line_that_holds_it(tmp_path):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("Intro"), nbformat.v4.new_code_cell("x = 1"),
                      nbformat.v4.new_markdown_cell("$$\n\\frac{d}{dx}\\tanh(x) = -\\tanh^2(x)\n$$")]
    path = tmp_path / "notes.ipynb"
    nbformat.write(notebook, str(path))
    (chain,) = parse_file(str(path))
    result = check_chain(chain)
    last = chain_failure(result, list(result.steps)).splitlines()[-1]
    where, rest = last.split(": ", 1)
    assert rest == "cell 3, line 2: step 1 failed"
    held = path.read_text().splitlines()[int(where.removeprefix(f"{path}:")) - 1]
    assert "tanh^2(x)" in held  # the line an editor opens is the failing row's
