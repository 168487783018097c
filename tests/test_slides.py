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


@pytest.mark.parametrize("target, wide", [("gelu_tanh", True), ("hard_sigmoid", True),
                                          ("mish", False), ("softplus", False)])
def test_the_function_and_its_plot_fit_their_frames_unshrunk(tmp_path, target, wide):
    """With the plot: the function beside it where it fits a column, else across the frame
    with the plot on a frame of its own; never scaled below body size (the log says so when
    \\slidemath shrinks), and no frame taller than the slide (mish's and softplus's stacked
    legends made theirs 20 pt too tall)."""
    out = tmp_path / "out"
    assert main([target, "-f", "slides", "-o", str(out)]) == 0
    tex = next(out.glob("*-slides.tex"))
    build = compile_tex(tex, tmp_path / "build")
    assert "derive: an equation scaled below body size" not in build.log
    assert "Overfull \\vbox" not in build.log
    without_plot = pages(compile_tex(slides(tmp_path / "np", target), tmp_path / "npb").pdf)
    assert pages(build.pdf) == without_plot + (1 if wide else 0)


def test_a_part_worked_on_for_the_first_time_stands_below_the_whole_line_it_belongs_to(tmp_path):
    """Step 1 of the sigmoid works on d/dx(1 + e^{-x}) alone: the Set-up's line stands
    greyed above it, then the new line is revealed."""
    source = slides(tmp_path, "sigmoid").read_text(encoding="utf-8")
    first = next(body for title, body in _FRAME.findall(source) if title.startswith("Step 1: "))
    before, after = first.split(r"\pause", 1)
    assert r"\color{gray}" in before and r"0 \cdot" in before
    assert r"\slidemath{\frac{d}{dx}" in after


def test_a_frame_gives_the_reason_as_well_as_the_first_sentence(tmp_path):
    source = slides(tmp_path, "sigmoid").read_text(encoding="utf-8")
    first = next(body for title, body in _FRAME.findall(source) if title.startswith("Step 1: "))
    justification = first.split(r"\justification{", 1)[1]
    assert "Differentiate term by term" in justification and "By the chain rule" in justification


def test_slide_sentences_keep_whole_sentences_within_the_budget():
    from derive.render.filters import SLIDE_PROSE, sentences, slide_sentences

    text = "First, $a. b$ holds. " + "Then more words follow here. " * 20
    assert sentences(text)[0] == "First, $a. b$ holds."
    kept = slide_sentences(text)
    assert kept.startswith("First, $a. b$ holds. Then") and kept.endswith(".")
    assert len(kept) <= SLIDE_PROSE
    long_one = "x" * (SLIDE_PROSE + 50) + ". Next."
    assert slide_sentences(long_one) == "x" * (SLIDE_PROSE + 50) + "."


def test_the_result_frame_gives_the_form_in_f_only_where_the_result_is_not_already_in_f(tmp_path):
    def result_frame(target: str) -> str:
        source = slides(tmp_path / target, target).read_text(encoding="utf-8")
        return next(body for title, body in _FRAME.findall(source) if title == "Result")

    assert "In terms of the function itself" not in result_frame("sigmoid")  # σ(1 − σ) already
    # tanh: the backpropagation line begins with the form in f; said once, not twice in a row
    tanh = result_frame("tanh")
    assert tanh.count(r"\tanh'(x) = 1 - \tanh^{2}(x)") == 1
    assert "In terms of the function itself" not in tanh
    # a plain exercise whose article gives no form in f: neither do its slides, nor promise it
    source = slides(tmp_path / "logcosh", "log(cosh(x))").read_text(encoding="utf-8")
    assert "In terms of the function itself" not in source
    assert "itself." not in source.split("Goal:", 1)[1].split("\n", 1)[0]
    assert "write it with" in slides(tmp_path / "s", "sigmoid").read_text(encoding="utf-8")


def test_a_piecewise_line_marks_only_the_rows_parts_that_changed():
    """Making hard sigmoid's conditions strict at its kinks changed the conditions, not the
    values: only the conditions are in \\alert (the whole cases block was before); a value
    worked out in one row is marked in that row alone."""
    import sympy

    from derive.render.highlight import mark_changes
    from derive.render.view import to_latex

    x = sympy.Symbol("x", real=True)
    sixth = sympy.Rational(1, 6)
    before = sympy.Piecewise((0, x <= -3), (sixth, x <= 3), (0, True))
    after = sympy.Piecewise((0, x < -3), (sixth, (x > -3) & (x < 3)), (0, x > 3))
    marked = to_latex(mark_changes(before, after), {})
    assert marked.count(r"\alert") == 3
    assert r"\alert{x < -3}" in marked and r"\alert{x > 3}" in marked
    assert r"\alert{-3 < x < 3}" in marked
    assert r"\alert{0}" not in marked and r"\alert{\frac{1}{6}}" not in marked
    worked = to_latex(mark_changes(before.subs(sixth, sympy.Derivative(x / 6, x)), before), {})
    assert worked.count(r"\alert") == 1 and r"\alert{\frac{1}{6}}" in worked
    assert r"\alert" not in to_latex(mark_changes(after, after), {})


def test_a_marked_line_prints_as_the_line_itself():
    """Marking parts never changes how the line prints (factor order, a sign, a fraction):
    where it would, the line is marked whole. tanh's Step 3 marks only the new numerator 1
    of 1/cosh^2 x; a product that only lost factors is marked whole."""
    import sympy

    from derive import pipeline
    from derive.render.highlight import _unmarked, mark_changes
    from derive.render.view import to_latex

    x = sympy.Symbol("x", real=True)
    for target in ("gelu_tanh", "mish", "tanh", "(x**2+1)/(x-1)**3", "atan(x)/(1+x**2)"):
        derivation = pipeline.derive(pipeline.resolve(target))
        before = None
        for step in derivation.steps:
            shown = to_latex(mark_changes(before, step.expr), {})
            assert _unmarked(shown) == to_latex(step.expr, {}), (target, step.label)
            before = step.expr
    cosh2 = sympy.cosh(x) ** 2
    from derive.engine.forms import Frac

    assert to_latex(mark_changes(Frac(cosh2 - sympy.sinh(x) ** 2, cosh2), 1 / cosh2), {}) \
        == r"\frac{\alert{1}}{\cosh^{2} x}"
    dropped = to_latex(mark_changes(sympy.Mul(3, x, sympy.Symbol("v"), evaluate=False), 3 * x), {})
    assert dropped == r"\alert{3 x}"


def test_a_term_that_moved_stays_unmarked_and_a_sign_is_never_split_from_its_term():
    """mish's Step 3: tanh(softplus x) moved from first to last and stays unmarked; only the
    new denominator cosh^2 is marked, inside the fraction bar. -e^{-x} (a new factor -1)
    is marked whole, never printed (-1) e^{-x}."""
    import sympy

    from derive.render.highlight import mark_changes
    from derive.render.view import to_latex

    x = sympy.Symbol("x", real=True)
    t, s = sympy.tanh(sympy.log(1 + sympy.exp(x))), sympy.Function("s")(x)
    before = sympy.Add(t, sympy.Mul(x, 1 - t ** 2, s, evaluate=False), evaluate=False)
    after = x * s / sympy.cosh(sympy.log(1 + sympy.exp(x))) ** 2 + t
    marked = to_latex(mark_changes(before, after), {})
    assert marked.count(r"\alert") == 1 and r"}{\alert{\cosh^{2}" in marked
    minus = to_latex(mark_changes(sympy.Mul(sympy.exp(-x), sympy.Derivative(-x, x),
                                            evaluate=False), -sympy.exp(-x)), {})
    assert minus == r"\alert{- e^{- x}}"
