"""Markdown that survives where it is pasted: every output .md read by a plain CommonMark
parser (markdown-it-py, no math plugin) hands each formula over exactly as derive wrote it,
and leaves no math in the text where CommonMark's backslash escapes could change it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from derive.render.filters import md_math, md_prose
from tests.markdown_math import math_spans, prose_text

OUTPUT = Path(__file__).resolve().parents[1] / "output"
MD_FILES = sorted(OUTPUT.glob("*.md"))
# LaTeX a reader would see raw (or mangled: CommonMark turns "\," into ",").
RAW_LATEX = re.compile(r"\\[A-Za-z]+|\\[,;:!{}]|\$")


def _formulas(data: dict) -> list[str]:
    """Every LaTeX formula the JSON document holds for the steps and the result."""
    found = [data["function"]["latex"], data["derivative"]["latex"]]

    def walk(step: dict) -> None:
        # A step with a focus shows the local equation it works on instead of the whole.
        if step.get("focus"):
            found.extend((step["focus"]["lhs"], step["focus"]["rhs"]))
        else:
            found.append(step["latex"])
        found.extend([step["law"]] if step.get("law") else [])
        for sub in step.get("substeps", ()):
            walk(sub)

    for step in data["steps"]:
        walk(step)
    found.extend(p["statement_latex"] for p in data["properties"])
    return found


@pytest.mark.parametrize("md", MD_FILES, ids=lambda p: p.name)
def test_every_formula_arrives_unchanged_through_plain_commonmark(md):
    text = md.read_text(encoding="utf-8")
    spans = [span.tex for span in math_spans(text)]
    assert len(spans) >= 10, "the parser found almost no math"
    data = json.loads(md.with_suffix(".json").read_text(encoding="utf-8"))
    missing = [f for f in _formulas(data) if not any(f in span for span in spans)]
    assert not missing, f"formulas changed or lost on the way: {missing[:3]}"
    # The escapes CommonMark would apply are all inside code, where it applies none.
    assert any("\\," in s or "\\left" in s for s in spans)
    leftover = RAW_LATEX.findall(prose_text(text))
    assert not leftover, f"LaTeX outside math: {leftover[:5]}"


@pytest.mark.parametrize("latex", [r"f'(g(x))\, g'(x)", r"\begin{cases} a \\ b \end{cases}",
                                   "a`b", "`x", r"\{ x \}", "x_1 * y_2 * z"])
def test_any_formula_survives_both_ways(latex):
    inline = f"Text {md_math(latex)} more."
    display = f"Before\n\n{md_math(latex, display=True)}\n\nafter.\n"
    assert [(s.tex, s.display) for s in math_spans(inline)] == [(latex, False)]
    assert [(s.tex, s.display) for s in math_spans(display)] == [(latex, True)]


def test_prose_math_and_the_dollars_flavour():
    assert md_prose("the inner function $u = - x$ and $u'$.") == \
        "the inner function $`u = - x`$ and $`u'`$."
    assert md_prose("the inner function $u = - x$.", "dollars") == "the inner function $u = - x$."
    assert md_math("x", "dollars", display=True) == "$$\nx\n$$"


def test_the_dollars_flavour_is_the_classic_markdown(tmp_path):
    from derive.cli import main

    assert main(["sigmoid", "--md-math", "dollars", "--no-plot", "-f", "md", "-o", str(tmp_path)]) == 0
    text = (tmp_path / "sigmoid.md").read_text()
    assert "```math" not in text and "$`" not in text
    assert "$$\n\\sigma(x) = \\frac{1}{1 + e^{- x}}\n$$" in text
