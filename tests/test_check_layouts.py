"""Every layout people write chains in: found, with each step at its own line."""

from __future__ import annotations

import json

import pytest

from derive.check.command import main
from derive.check.documents import parse_markdown, parse_tex


def chains_of(text: str, kind: str = "tex"):
    return (parse_tex if kind == "tex" else parse_markdown)(text, f"notes.{kind}")


def check_json(capsys, path, *args: str) -> tuple[int, dict]:
    code = main(["--format", "json", *args, str(path)])
    return code, json.loads(capsys.readouterr().out)


def statuses(document: dict) -> list[list[str]]:
    return [[step["status"] for step in chain["steps"]] or [chain["status"]]
            for file in document["files"] for chain in file["chains"]]


def test_a_one_row_align_is_a_chain_and_a_wrong_one_fails(tmp_path, capsys):
    path = tmp_path / "one.tex"
    path.write_text("\\begin{align}\n  \\frac{d}{dx} x^3 &= 3x\n\\end{align}\n")
    code, document = check_json(capsys, path)
    assert code == 1
    assert statuses(document) == [["failed"]]
    path.write_text("\\begin{align}\n  \\frac{d}{dx} x^3 &= 3x^2\n\\end{align}\n")
    code, document = check_json(capsys, path, "--strict")
    assert (code, statuses(document)) == (0, [["proved"]])


@pytest.mark.parametrize("display", [
    "$$\\frac{d}{dx} x^2 = 2x = x + x$$",
    "\\[\n\\frac{d}{dx} x^2 = 2x = x + x\n\\]",
    "\\begin{equation}\n\\frac{d}{dx} x^2 = 2x = x + x \\label{e}\n\\end{equation}",
    "\\begin{equation*}\\begin{split}\n\\frac{d}{dx} x^2 &= 2x \\\\\n &= x + x\n\\end{split}\\end{equation*}",
    "\\begin{eqnarray}\n\\frac{d}{dx} x^2 &=& 2x \\nonumber \\\\\n &=& x + x\n\\end{eqnarray}",
    "\\begin{alignat}{2}\n\\frac{d}{dx} x^2 &= 2x &\\quad& \\text{power rule} \\\\\n"
    " &= x + x\n\\end{alignat}",
    "\\begin{align}\n\\frac{d}{dx} x^2 =& 2x \\\\\n =& x + x\n\\end{align}",
    "\\begin{multline}\n\\frac{d}{dx} x^2 = \\\\\n 2x = x + x\n\\end{multline}",
    "\\begin{gather}\n\\frac{d}{dx} x^2 = 2x = x + x \\\\\n \\frac{d}{dx} x = 1\n\\end{gather}",
])
def test_every_display_layout_holds_chains(display):
    chains = chains_of(f"Text.\n{display}\n")
    assert chains, display
    first = chains[0]
    assert not first.skipped, first.skipped
    assert [line.text.replace(" ", "") for line in first.lines] == [
        "\\frac{d}{dx}x^2", "2x", "x+x"]


def test_bare_environments_in_markdown_are_read():
    text = "Some prose.\n\n\\begin{align}\n(x+1)^2 &= x^2 + 2x + 1 \\\\\n&= 1 + 2x + x^2\n\\end{align}\n"
    chains = chains_of(text, "md")
    assert [line.line for line in chains[0].lines] == [4, 4, 5]


def test_a_relation_other_than_equals_splits_the_chain_and_is_reported(tmp_path, capsys):
    path = tmp_path / "notes.md"
    path.write_text("$$\n\\begin{aligned}\n\\frac{d}{dx} x^2 &= 2x \\\\\n"
                    "&\\approx 2.0001 x \\\\\n&= 2.0001x + 0\n\\end{aligned}\n$$\n")
    code, document = check_json(capsys, path, "--strict")
    chain = document["files"][0]["chains"][0]
    assert [(s["line"], s["status"]) for s in chain["steps"]] == [(3, "proved"), (5, "proved")]
    assert chain["not_checked"] == [{"line": 4, "relation": "\\approx"}]
    assert document["summary"]["not_checked"] == 1
    assert code == 0  # a relation derive does not check is reported, not failed


def test_implies_ends_a_chain_and_both_sides_are_checked():
    chains = chains_of("$$ \\frac{d}{dx} x^2 = 2x \\implies \\frac{d}{dx} x^2 + 1 = 2x + 1 $$", "md")
    assert [[line.text for line in c.lines] for c in chains] == [
        ["\\frac{d}{dx} x^2", "2x"], ["\\frac{d}{dx} x^2 + 1", "2x + 1"]]


def test_a_one_step_statement_without_calculus_is_not_a_claim():
    # `v(3) = -10` and `-1 + C = 5` are conditions to solve, not identities
    text = ("\\begin{align*}\nv(t) &= -32t + C \\\\\nv(3) &= -10 \\\\\n-32(3) + C &= -10 \\\\\n"
            "C &= 86\n\\end{align*}\n")
    assert chains_of(text) == ()


def test_an_equation_starting_with_zero_is_never_failed():
    chains = chains_of("\\begin{align}\n0 &= \\frac{d}{d\\theta} \\theta^2 - 2\\theta \\\\\n"
                       "&= 2\\theta - 2\n\\end{align}\n")
    assert chains[0].skipped.startswith("an equation to solve")


def test_intertext_does_not_end_a_chain():
    chains = chains_of("\\begin{align}\n(x+1)^2 &= x^2 + 2x + 1 \\\\\n"
                       "\\intertext{and reordering the terms,}\n&= 1 + 2x + x^2\n\\end{align}\n")
    assert len(chains) == 1
    assert [line.line for line in chains[0].lines] == [2, 2, 4]


def test_matrix_rows_are_not_chain_rows():
    chains = chains_of("\\begin{align}\nA &= \\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix} \\\\\n"
                       "&= B\n\\end{align}\n")
    # A is defined by the first row; B = ... is not a chain; the matrix is one expression
    assert all("bmatrix" not in line.text or line.text.count("\\\\") == 1
               for chain in chains for line in chain.lines)
    chains = chains_of("\\begin{align}\n\\frac{d}{dx}x^2 &= \\begin{bmatrix} 2x \\\\ 0 \\end{bmatrix}"
                       " \\\\\n &= 2x\n\\end{align}\n")
    assert len(chains) == 1 and chains[0].skipped.startswith("vectors and matrices")


def test_right_dot_split_across_rows_is_joined():
    chains = chains_of("\\begin{align}\n\\frac{d}{dx} x^3 &= \\left( 3x^2 + \\right. \\\\\n"
                       "&\\qquad \\left. 0 \\right) \\\\\n&= 3x^2\n\\end{align}\n")
    assert len(chains) == 1 and not chains[0].skipped, chains[0].skipped
    assert len(chains[0].lines) == 3


def test_a_definition_row_defines_and_is_not_a_claim():
    chains = chains_of("$$ f(x) = x^2 \\sin x $$\n\n$$ f(x) = 1 $$\n"
                       "$$ \\frac{d}{dx} f(x) = 2x\\sin x + x^2 \\cos x $$\n", "md")
    # the second definition replaces the first: the document means another f now
    assert len(chains) == 1
    assert chains[0].lines[0].expr is not None
    assert chains[0].lines[0].expr.doit() == 0


def test_a_code_span_directive_is_text(tmp_path, capsys):
    path = tmp_path / "notes.md"
    path.write_text("Write `<!-- derive: skip file -->` to skip a file.\n\n"
                    "$$ \\frac{d}{dx} x^2 = 3x $$\n")
    code, document = check_json(capsys, path)
    assert code == 1 and statuses(document) == [["failed"]]


def test_skip_directives_skip_a_chain_or_a_file(tmp_path, capsys):
    path = tmp_path / "notes.tex"
    path.write_text("% derive: skip the published mistake\n"
                    "\\[ \\frac{d}{dx} x^2 = 3x \\]\n\\[ \\frac{d}{dx} x^2 = 2x \\]\n")
    code = main(["--strict", str(path)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0].startswith(f"{path}:2: chain skipped: skipped by a `derive: skip` directive")
    assert out[-1].endswith("1 chain skipped (1 by a `derive: skip` directive)")
    path.write_text("% derive: skip file: drafts\n\\[ \\frac{d}{dx} x^2 = 3x \\]\n")
    code = main([str(path)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out == [f"{path}: file skipped: line 1: a `derive: skip` directive (drafts)",
                   "1 file, 0 chains, 0 steps: 0 proved, 0 checked, 0 failed, 0 undecided, "
                   "1 file skipped"]


def test_notebook_markdown_cells_are_checked_at_cell_and_line(tmp_path, capsys):
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Sigmoid\n$$ \\sigma(x) = \\frac{1}{1+e^{-x}} $$"),
        nbformat.v4.new_code_cell("print('$$ 1 = 2 $$')"),
        nbformat.v4.new_markdown_cell("Its derivative:\n\n$$\n\\frac{d}{dx}\\sigma(x) = "
                                      "\\sigma(x)(1 + \\sigma(x))\n$$"),
    ]
    path = tmp_path / "sigmoid.ipynb"
    path.write_text(nbformat.writes(notebook))
    code = main([str(path)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    # `path:LINE:` (LINE: the notebook's JSON line that holds the row, which editors
    # open), then the cell and the line in it
    where, cell_and_line, _ = out[0].split(": ", 2)
    assert cell_and_line == "cell 3, line 4"
    assert where.startswith(f"{path}:")
    held = path.read_text().splitlines()[int(where.rsplit(":", 1)[1]) - 1]
    assert "\\\\frac{d}{dx}\\\\sigma(x) = " in held
    assert out[0].split(": ", 2)[2].startswith("step 1 does not follow")


def test_a_broken_notebook_is_one_line_exit_2(tmp_path, capsys):
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [')
    assert main([str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"{path}: not a Jupyter notebook")


@pytest.mark.parametrize("row", [
    "  u'(x)&=1 &\\text{and} && v(x)=e^x",   # CLP-2's integration by parts
    "  u'(x) &= 1 \\text{ and } v(x) = e^x",
    "  u'(x) = 1 \\qquad\\text{and}\\qquad v(x) = e^x",
])
def test_a_word_and_between_two_equations_separates_them(row):
    # read as one chain, u'(x) = 1 v(x) = e^x failed on a right row
    text = f"Let $u(x) = x$.\n\\begin{{align*}}\n{row}\n\\end{{align*}}\n"
    chains = chains_of(text)
    assert [line.text.strip() for line in chains[0].lines] == ["u'(x)", "1"]
    from derive.check.runner import check_chain
    assert [s.status.value for s in check_chain(chains[0]).steps] == ["proved"]
    wrong = chains_of(text.replace("=1", "=2").replace("= 1", "= 2"))[0]
    assert [s.status.value for s in check_chain(wrong).steps] == ["failed"]


def test_a_tick_after_the_last_step_is_not_part_of_it():
    # CLP-2 ends its checks by differentiating with `= x \sin x \checkmark`
    (chain,) = chains_of("\\[ \\frac{d}{dx}\\left(\\sin x - x\\cos x\\right) = x \\sin x \\checkmark \\]\n")
    from derive.check.runner import check_chain
    assert [s.status.value for s in check_chain(chain).steps] == ["proved"]
