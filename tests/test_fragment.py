"""-f fragment: the walkthrough as a body to \\input into an article of one's own, with its
macros in derive-fragment.sty beside it. Compiled with real pdflatex."""

from __future__ import annotations

import subprocess

import pytest

from derive.cli import main
from tests.toolchain import require

PAPER = r"""\documentclass{article}
\usepackage{derive-fragment}
\begin{document}
\section{Introduction}
Text of the paper before the walkthrough.
\input{NAME-fragment}
\section{Conclusion}
Text of the paper after it.
\end{document}
"""


@pytest.mark.parametrize("name", ["sigmoid", "elu"])
def test_the_fragment_compiles_inside_a_plain_article(name, tmp_path):
    pdflatex = require("pdflatex")
    pdftotext = require("pdftotext")
    assert main([name, "-f", "fragment", "-o", str(tmp_path)]) == 0
    fragment = (tmp_path / f"{name}-fragment.tex").read_text()
    assert "\\documentclass" not in fragment and "\\begin{document}" not in fragment
    assert "\\end{document}" not in fragment and "\\usepackage" not in fragment.split("\n", 1)[1]
    assert (tmp_path / "derive-fragment.sty").is_file()
    (tmp_path / "paper.tex").write_text(PAPER.replace("NAME", name))
    run = subprocess.run([pdflatex, "-halt-on-error", "-interaction=nonstopmode", "paper.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    log = (tmp_path / "paper.log").read_text(errors="replace")
    assert run.returncode == 0, log[-2000:]
    assert "Undefined control sequence" not in log and "undefined" not in log.lower()
    text = subprocess.run([pdftotext, "paper.pdf", "-"], cwd=tmp_path, capture_output=True,
                          text=True, check=True).stdout
    # The article's own numbering goes on around the walkthrough, whose steps are unnumbered.
    assert "1\n\nIntroduction" in text and "2\n\nConclusion" in text
    assert "Result" in text and "Set-up" in text


def test_the_package_is_written_as_the_template_folder_has_it(tmp_path):
    from derive.render.templates import builtin_templates

    assert main(["tanh", "-f", "fragment", "--no-plot", "-o", str(tmp_path)]) == 0
    shipped = (builtin_templates() / "fragment" / "derive-fragment.sty").read_text()
    assert (tmp_path / "derive-fragment.sty").read_text() == shipped
