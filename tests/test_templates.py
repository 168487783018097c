"""Templates as the customisation surface: a user's folder overrides blocks; errors are one line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from derive.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "templates"


def test_the_worked_example_switches_theme_adds_a_logo_and_rewrites_chain_prose(tmp_path):
    assert main(["sigmoid", "-f", "md,slides", "-o", str(tmp_path), "--no-plot",
                 "--templates", str(EXAMPLE)]) == 0
    slides = (tmp_path / "sigmoid-slides.tex").read_text()
    assert r"\usetheme{Madrid}" in slides and r"\logo{" in slides
    markdown = (tmp_path / "sigmoid.md").read_text()
    chain = markdown.split("## Step 1:")[1].split("## Step 2:")[0]
    assert "Work from the outside in" in chain
    assert "By the chain rule" not in chain
    # Other rules keep the built-in prose.
    assert "The term multiplied by $`0`$ drops out" in markdown


@pytest.mark.parametrize("template, fragment", [
    ("{% extends 'builtin/md/index.md.j2' %}\n{% block title %}\n# {{ no_such_name }}\n{% endblock %}\n",
     "index.md.j2:3: template error: 'no_such_name' is undefined"),
    ("{% extends 'builtin/md/index.md.j2' %}\n{% block nope %}{{ super() }}{% endblock %}\n",
     "index.md.j2:2: template error: block 'nope' is not defined"),
    ("{% extends 'builtin/md/index.md.j2' %}\n{% block title %}\n{% if %}\n{% endblock %}\n",
     "index.md.j2:3: template error"),
])
def test_a_template_error_is_one_line_naming_file_and_line_and_exits_2(tmp_path, capsys,
                                                                      template, fragment):
    folder = tmp_path / "templates" / "md"
    folder.mkdir(parents=True)
    (folder / "index.md.j2").write_text(template)
    out = tmp_path / "out"
    code = main(["sigmoid", "-f", "md", "-o", str(out), "--no-plot", "--templates",
                 str(tmp_path / "templates")])
    err = capsys.readouterr().err
    assert code == 2
    assert fragment in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists() or not list(out.iterdir())


def test_every_built_in_override_names_a_block_its_parent_has():
    from derive.render.formats import REGISTRY
    from derive.render.templates import _check_blocks, environment

    for entry, family in [(f.entry, f.family) for f in REGISTRY.values() if f.entry]:
        _check_blocks(environment(family, None), entry)


def test_a_property_mark_keeps_its_math_and_escapes_its_words():
    from derive.render.filters import prose_mark_tex

    mark = "✓ proved (a_b & c: $\\frac{1}{4} - f'(x) \\geq 0$, at x = -10^8)"
    tex = prose_mark_tex({"mark": mark})
    assert "a\\_b \\& c" in tex
    assert "$\\frac{1}{4} - f'(x) \\geq 0$" in tex
    assert "$- 10^{8}$" in tex


@pytest.mark.parametrize("title", ["The GELU (tanh approximation) function", "[a](b) *c* $d$ <e> & #f",
                                   r"\(x\) and \[y\]"])
def test_a_title_in_markdown_reads_literally_and_opens_no_math(title):
    """CommonMark shows the title as typed; no \\( or \\[ is left for MkDocs' arithmatex or
    Jupyter's MathJax to read as math, and no $ opens it."""
    from markdown_it import MarkdownIt

    from derive.render.filters import escape_md

    escaped = escape_md(title)
    assert "\\(" not in escaped and "\\[" not in escaped and "\\)" not in escaped
    assert not re.search(r"(?<!\\)\$", escaped)
    html = MarkdownIt("commonmark").render(f"# {escaped}\n")
    text = re.sub(r"<[^>]+>", "", html).strip()
    import html as html_module

    assert html_module.unescape(text) == title


def test_a_long_formula_takes_its_punctuation_along_and_a_tall_one_is_displayed(tmp_path):
    """gelu_tanh's 'Call the inner function u = √2(x + 0.044715x³)/√π, so that …': the
    fraction is taller than a line and a half, so it is displayed, with its comma (a line
    that starts with a comma, or a colon after the check's reference, reads as an error)."""
    from derive.render.filters import prose_tex

    long = r"$u = \frac{\sqrt{2} \left(x + 0.044715 \, x^{3}\right)}{\sqrt{\pi}}$"
    assert prose_tex(f"Call {long}, so that.") == (
        r"Call \fitinlinethen{u = \frac{\sqrt{2} \left(x + 0.044715 \, x^{3}\right)}{\sqrt{\pi}}}{,}"
        " so that.")
    assert prose_tex("Short $x$, and.") == "Short $x$, and."
    out = tmp_path / "out"
    assert main(["gelu_tanh", "-f", "tex,pdf", "-o", str(out), "--no-plot", "-q"]) == 0
    import subprocess

    from toolchain import require

    text = subprocess.run([require("pdftotext"), str(out / "gelu_tanh.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # a sentence that goes on after a displayed formula (pdftotext sets the display's own
    # comma on a line of its own, and the code's wrap arrows as ",→")
    stray = [line for line in lines if re.match(r"[,:;] \S", line)]
    assert not stray, stray
