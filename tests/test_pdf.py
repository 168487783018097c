"""`-f pdf`: a missing TeX is one line naming the packages (exit 2); a failed build leaves no
PDF and shows TeX's first error; a good build is reproducible and leaves nothing else behind."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from toolchain import require

from derive.cli import main
from derive.errors import TexBuildError
from derive.render import pdf
from derive.render.pdf import DEBIAN_PACKAGES, build_pdf, first_error

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "output"

GOOD = r"""\documentclass{article}
\usepackage{graphicx}
\begin{document}
Hello.
\includegraphics[width=3cm]{sigmoid-plot.pdf}
\end{document}
"""
BAD = "\\documentclass{article}\n\\begin{document}\nHello.\n\\nosuchcommand\n\\end{document}\n"


def test_without_tex_pdf_exits_2_naming_the_debian_packages(tmp_path):
    """A real run with a PATH that holds no TeX: nothing is derived, nothing is written."""
    empty = tmp_path / "bin"
    empty.mkdir()
    result = subprocess.run([sys.executable, "-m", "derive", "sigmoid", "-f", "md,pdf", "-o", "out"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120,
                            env={"PYTHONPATH": str(ROOT), "PATH": str(empty)})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert DEBIAN_PACKAGES in result.stderr
    assert "texlive-latex-base texlive-latex-recommended texlive-pictures latexmk" in result.stderr
    assert not (tmp_path / "out").exists()


def test_without_tex_the_cli_returns_2(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert main(["sigmoid", "-f", "pdf", "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("derive: error: ") and err.count("\n") == 1
    assert err.rstrip().endswith(DEBIAN_PACKAGES)
    assert not (tmp_path / "out").exists()


def test_a_failed_build_leaves_no_pdf_and_names_the_first_tex_error(tmp_path):
    require("pdflatex")
    destination = tmp_path / "bad.pdf"
    with pytest.raises(TexBuildError) as caught:
        build_pdf(BAD, destination)
    error = caught.value
    assert error.error_line == "! Undefined control sequence."
    assert error.line_number == 4
    assert error.one_line() == "bad.tex:4: TeX failed: ! Undefined control sequence."
    assert error.exit_code == 2
    assert list(tmp_path.iterdir()) == []  # no PDF, no temporary file, no .log or .aux


def test_a_failed_build_keeps_the_previous_pdf_untouched(tmp_path):
    require("pdflatex")
    destination = tmp_path / "doc.pdf"
    destination.write_bytes(b"%PDF-previous")
    with pytest.raises(TexBuildError):
        build_pdf(BAD, destination)
    assert destination.read_bytes() == b"%PDF-previous"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]


def test_a_failed_slides_build_through_the_cli_is_one_line_and_no_slides_pdf(tmp_path, capsys):
    require("pdflatex")
    templates = tmp_path / "templates" / "slides"
    templates.mkdir(parents=True)
    (templates / "index.tex.j2").write_text(
        '((* extends "builtin/slides/index.tex.j2" *))\n'
        "((* block macros *))((( super() )))\n\\nosuchcommand\n((* endblock *))\n")
    out = tmp_path / "out"
    code = main(["sigmoid", "-f", "pdf", "-o", str(out), "--no-plot",
                 "--templates", str(tmp_path / "templates")])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "sigmoid-slides.tex:" in err and "! Undefined control sequence." in err
    # The PDFs are compiled before anything is written: no document, no folder, no temporary.
    assert not out.exists()


def test_a_missing_class_or_package_names_the_debian_packages(tmp_path):
    require("pdflatex")
    source = "\\documentclass{article}\n\\usepackage{nosuchpackage}\n\\begin{document}x\\end{document}\n"
    with pytest.raises(TexBuildError) as caught:
        build_pdf(source, tmp_path / "doc.pdf")
    assert "nosuchpackage.sty' not found" in caught.value.error_line
    assert DEBIAN_PACKAGES in caught.value.one_line()


def test_a_document_that_never_ends_is_stopped(tmp_path):
    require("pdflatex")
    looping = "\\documentclass{article}\n\\begin{document}\n\\def\\x{\\x}\\x\n\\end{document}\n"
    with pytest.raises(TexBuildError, match=r"stopped after 1\.5 s"):
        build_pdf(looping, tmp_path / "loop.pdf", timeout=1.5)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("latexmk", [True, False], ids=["latexmk", "pdflatex-twice"])
def test_a_good_build_is_reproducible_and_leaves_only_the_pdf(tmp_path, monkeypatch, latexmk):
    require("pdflatex")
    if latexmk:
        require("latexmk")
    else:
        which = pdf.shutil.which
        monkeypatch.setattr(pdf.shutil, "which", lambda name: None if name == "latexmk" else which(name))
    first = build_pdf(GOOD, tmp_path / "a" / "doc.pdf", resources=[OUTPUT / "sigmoid-plot.pdf"])
    second = build_pdf(GOOD, tmp_path / "b" / "doc.pdf", resources=[OUTPUT / "sigmoid-plot.pdf"])
    assert first == tmp_path / "a" / "doc.pdf"
    assert first.read_bytes().startswith(b"%PDF")
    assert first.read_bytes() == second.read_bytes()  # SOURCE_DATE_EPOCH: no dates, same /ID
    assert [p.name for p in first.parent.iterdir()] == ["doc.pdf"]
    assert first.stat().st_mode & 0o044 == 0o044  # readable like any other output file


def test_first_error_reads_the_bang_line_and_the_source_line():
    log = ("This is pdfTeX\n(./x.tex\n! LaTeX Error: File `beamer.cls' not found.\n\n"
           "Type X to quit or <RETURN> to proceed,\nl.1 \\documentclass{beamer}\n"
           "! Emergency stop.\n")
    assert first_error(log) == ("! LaTeX Error: File `beamer.cls' not found.", 1)
    assert first_error("no errors here\n") is None


def test_written_files_follow_the_umask_not_0600(tmp_path):
    """mkstemp's 0600 would survive the rename: a PDF or a document nobody else can read."""
    from derive.process.files import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "doc.md", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "doc.md").stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["doc.md"]


_HEADING = re.compile(r"^(Set-up|Step \d+|Result|Why it matters|The derivative in terms|Properties|"
                      r"In Python)\b")


# Letter paper with 2.5 cm margins (templates/tex): where the text block starts and ends.
_PAGE_HEIGHT_IN, _MARGIN_IN = 11.0, 2.5 / 2.54
_FILL_DPI = 24


def _filled_share(pgm: bytes) -> float:
    """How far down its text block a page's content reaches (0..1), read from a greyscale
    rendering (binary PGM): the lowest row with a dark pixel above the footer, where the
    page number stands."""
    header, _, rest = pgm.partition(b"\n")
    assert header == b"P5"
    dims, _, rest = rest.partition(b"\n")
    width, height = (int(v) for v in dims.split())
    _, _, pixels = rest.partition(b"\n")  # the maximum value's line
    top = round(_MARGIN_IN * _FILL_DPI)
    bottom = round((_PAGE_HEIGHT_IN - _MARGIN_IN) * _FILL_DPI)
    last = top
    for row in range(top, min(bottom + 1, height)):
        if min(pixels[row * width:(row + 1) * width]) < 128:
            last = row
    return (last - top) / (bottom - top)


@pytest.mark.parametrize("target", ["x*exp(-x**2)", "tanh", "hard_sigmoid", "mish", "log_sigmoid",
                                    "sin(x**2)/x", "(x**2+1)/(x-1)**3"])
def test_no_page_ends_on_a_heading_starts_with_a_verdict_or_is_left_half_empty(tmp_path, target):
    """A step's heading keeps its first lines on its page (\\keepwithnext), a verdict its
    equation (\\checkedmath: log_sigmoid's 'proved' stood alone at the top of page 2), and
    no page but the last is more than a third empty (mish, sin(x^2)/x and
    (x^2+1)/(x-1)^3 left half of page 2 empty when the plot stood where it was written,
    [H], and did not fit: it floats now). Read from the compiled pages with pdftotext and
    pdftoppm; the first four ended a page on a heading before."""
    require("pdflatex")
    pdftotext = require("pdftotext")
    pdftoppm = require("pdftoppm")
    out = tmp_path / "out"
    assert main([target, "-f", "pdf", "-o", str(out), "-q"]) == 0
    article = next(p for p in out.glob("*.pdf") if not p.name.endswith(("-plot.pdf", "-slides.pdf")))
    text = subprocess.run([pdftotext, "-layout", str(article), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = lines[:-1] if lines[-1].isdigit() else lines  # the page number
        assert not _HEADING.match(body[-1]), (number, body[-3:])
        if number > 1:
            assert not body[0].startswith(("✓", "≈", "×", "?")), (number, body[:2])
    for number in range(1, len(pages)):  # the last page ends where the document does
        pgm = subprocess.run([pdftoppm, "-gray", "-r", str(_FILL_DPI), "-f", str(number),
                              "-l", str(number), str(article)], capture_output=True,
                             check=True).stdout
        assert _filled_share(pgm) >= 2 / 3, (number, round(_filled_share(pgm), 2))
