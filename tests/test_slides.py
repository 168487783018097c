"""Slides a teacher would project: the law on every rule's frame, the line before above the
new one, the step's title on each of its frames, math never shrunk below body size, and a
handout without overlays. Compiled with the real pdflatex (tests/toolchain.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from test_documents import compile_tex
from toolchain import require

from derive.cli import main

_FRAME = re.compile(r"\\begin\{frame\}\{([^\n]*)\}\n(.*?)\\end\{frame\}", re.S)


def slides(tmp_path: Path, target: str, *extra: str) -> Path:
    out = tmp_path / "out"
    assert main([target, "-f", "slides", "--no-plot", "-o", str(out), *extra]) == 0
    return next(out.glob("*-slides.tex"))


def test_every_frame_of_a_step_carries_the_step_title_and_rule_frames_their_law(tmp_path):
    from derive import pipeline

    source = slides(tmp_path, "sigmoid").read_text(encoding="utf-8")
    frames = _FRAME.findall(source)
    from derive.words.said import Pen
    from derive.words.steps import title as step_title

    derivation = pipeline.derive(pipeline.resolve("sigmoid"))
    pen = Pen({derivation.function.name: derivation.function.latex})
    for step in derivation.steps:
        mine = [body for title, body in frames if title.startswith(f"{step.label}: ")]
        assert mine, step.label
        words = step_title(step, pen, name=derivation.name).latex
        assert all(title.endswith(words) for title, _ in frames
                   if title.startswith(f"{step.label}: ")), step.label
        if step.law:
            assert any(r"\lawline" in body for body in mine), step.label


def test_the_line_before_stands_above_the_new_one_and_appears_first(tmp_path):
    source = slides(tmp_path, "sigmoid").read_text(encoding="utf-8")
    reduce = next(body for title, body in _FRAME.findall(source)
                  if title.startswith("Step 3: "))
    before, after = reduce.split(r"\pause", 1)
    assert r"\color{gray}" in before and r"\slidemath" in after


def pages(pdf: Path) -> int:
    info = subprocess.run([require("pdfinfo"), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def test_a_handout_has_one_page_per_frame_and_the_projected_slides_reveal(tmp_path):
    projected = slides(tmp_path / "p", "sigmoid")
    handout = slides(tmp_path / "h", "sigmoid", "--handout")
    frames = len(_FRAME.findall(handout.read_text(encoding="utf-8")))
    assert pages(compile_tex(handout, tmp_path / "hb").pdf) == frames + 1  # + the title page
    assert pages(compile_tex(projected, tmp_path / "pb").pdf) > frames + 1


@pytest.mark.parametrize("target", ["sigmoid", "tanh", "gelu_tanh", "x**7 + 3*x**6 - 5*x**5 + x**4/7 + "
                                    "9*x**3*exp(x) - 11*x**2*sin(x) + x*cos(x) - 13"])
def test_no_equation_is_scaled_below_body_size(tmp_path, target):
    """A long sum is broken over lines; \\slidemath reports in the log when it had to shrink."""
    build = compile_tex(slides(tmp_path, target), tmp_path / "build")
    assert "derive: an equation scaled below body size" not in build.log
