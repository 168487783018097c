"""Chains inside .tex and .md documents: found, checked, reported at the original lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from derive.check.command import main

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


def check(capsys, *args: str) -> tuple[int, dict]:
    code = main(["--format", "json", *map(str, args)])
    return code, json.loads(capsys.readouterr().out)


def steps_of(document: dict) -> list[tuple[int, str]]:
    return [(step["line"], step["status"]) for file in document["files"]
            for chain in file["chains"] for step in chain["steps"]]


def test_the_latex_example_passes_with_every_row_at_its_line(capsys):
    code, document = check(capsys, EXAMPLES / "sigmoid.tex")
    assert code == 0
    chains = document["files"][0]["chains"]
    assert [(c["line"], c["status"]) for c in chains] == [(8, "proved"), (17, "proved")]
    assert [s["line"] for s in chains[0]["steps"]] == [9, 10, 11, 12]
    assert [s["justification"] for s in chains[0]["steps"]] == [
        "quotient rule", "add and subtract one", "split the fraction", "swap $\\sigma$ back in"]
    assert [s["line"] for s in chains[1]["steps"]] == [17, 18]


def test_the_markdown_example_passes(capsys):
    code, document = check(capsys, EXAMPLES / "sigmoid.md")
    assert code == 0
    assert steps_of(document) == [(9, "proved"), (10, "proved"), (11, "proved")]


TEX_WRONG = r"""\documentclass{article}
% derive: let sigma(x) = 1/(1 + exp(-x))
\begin{document}
A definition is not a claim:
\begin{align}
  \sigma(x) &= \frac{1}{1+e^{-x}} \label{eq:def}
\end{align}
% \begin{align} a &= b \\ &= c \end{align}   (commented out: not a chain)
\begin{align}
  \frac{d}{dx}\tanh(x) &= \operatorname{sech}^2(x) \label{eq:tanh} \\
                       &= -\tanh^2(x)  \qquad \text{(as published)}
\end{align}
\begin{align*}
  \frac{d}{dx}\sigma(x) &= \sigma(x)\left(1 + \sigma(x)\right)
                        && \text{as in some code} \\
                        &= \sigma(x) + \sigma(x)^2
\end{align*}
\end{document}
"""


def test_wrong_latex_rows_fail_at_their_lines(tmp_path, capsys):
    path = tmp_path / "notes.tex"
    path.write_text(TEX_WRONG)
    code = main([str(path)])
    # the failures' first lines (feedback under a failure is indented) and the summary
    out = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("  ")]
    assert code == 1
    assert out[0].startswith(f"{path}:11: step 2 (as published) does not follow from line 10: "
                             "at x = ")
    assert out[1].startswith(f"{path}:14: step 1 (as in some code) does not follow from "
                             "line 14: at x = ")
    assert out[2] == "1 file, 2 chains, 4 steps: 2 proved, 0 checked, 2 failed, 0 undecided"


def test_a_chain_that_cannot_be_read_is_skipped_with_the_reason(tmp_path, capsys):
    path = tmp_path / "notes.tex"
    path.write_text("\\begin{align}\n  x + x &= \\mysterymacro{x} \\\\\n  &= 2x \\\\\n"
                    "  &= x + x\n\\end{align}\n"
                    "\\begin{align*}\n  x^2 &= x \\cdot x \\\\\n  &\\le x^2 + 1\n\\end{align*}\n")
    code = main([str(path)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0  # skipped is not failed, but it is always reported
    assert out[0].startswith(f"{path}:2: chain skipped: line 2: cannot read")
    assert "mysterymacro" in out[0]
    # the = step before a \\le is still checked; the \\le is reported as not checked
    assert out[1] == f"{path}:8: `\\le` is not checked (derive checks the = steps)"
    assert out[2] == ("1 file, 2 chains, 1 step: 1 proved, 0 checked, 0 failed, 0 undecided, "
                      "1 chain skipped, 1 relation not checked")
    assert main(["--strict", str(path)]) == 1
    capsys.readouterr()


def test_markdown_chains_directives_and_code_blocks(tmp_path, capsys):
    path = tmp_path / "notes.md"
    path.write_text(
        "# Notes\n"                                       # 1
        "<!-- derive: assume x positive -->\n"            # 2
        "Inline code `$$ a &= b \\\\ &= c $$` is not math.\n"  # 3
        "\n"                                              # 4
        "$$\n"                                            # 5
        "\\sqrt{x^2} &= x \\\\\n"                         # 6
        " &= \\frac{x^2}{x} \\\\\n"                       # 7
        " &= x + 1\n"                                     # 8
        "$$\n"                                            # 9
        "\n"                                              # 10
        "```python\n"                                     # 11
        "$$ x &= 1 \\\\ &= 2 $$\n"                        # 12
        "```\n"                                           # 13
        "\n"                                              # 14
        "```math\n"                                       # 15
        "(x+1)^2 &= x^2 + 2x + 1 \\\\\n"                  # 16
        "  &= (x + 1)(x + 1)\n"                           # 17
        "```\n")                                          # 18
    code, document = check(capsys, path)
    assert code == 1
    assert steps_of(document) == [(6, "proved"), (7, "proved"), (8, "failed"),
                                  (16, "proved"), (17, "proved")]


def test_a_broken_directive_is_a_parse_error_at_its_position(tmp_path, capsys):
    path = tmp_path / "notes.tex"
    path.write_text("Text.\n%   derive: let f(x) = __import__('os')\n")
    code = main([str(path)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert len(err) == 1
    location = err[0].split(": ")[0]
    line, column = map(int, location.removeprefix(f"{path}:").split(":"))
    assert line == 2
    assert column >= len("%   derive: let f(x) = ")


@pytest.mark.parametrize("suffix", [".tex", ".md"])
def test_a_document_without_chains_checks_nothing(tmp_path, capsys, suffix):
    path = tmp_path / f"plain{suffix}"
    path.write_text("Just $x^2$ and $$y = 2$$ and no aligned chains.\n")
    assert main([str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "1 file, 0 chains, 0 steps: 0 proved, 0 checked, 0 failed, 0 undecided"]


def test_the_documented_examples_all_pass(capsys):
    """`derive check docs/` as the README's CI job runs it, plus the documents."""
    examples = sorted(EXAMPLES.iterdir())
    code = main([str(path) for path in examples if path.suffix in (".derive", ".tex", ".md")])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert len(out) == 1
    assert "0 failed, 0 undecided" in out[0]
