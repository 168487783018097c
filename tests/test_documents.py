"""Every document in output/ is proved with the tools a reader uses.

- every .tex compiles with `pdflatex -halt-on-error`: nothing undefined, and in the slides no
  box overfull by more than 10 pt; the first page becomes a PNG (`pdftoppm`);
- every math fragment of every .md renders with KaTeX in strict mode, found by a real
  Markdown parser (markdown-it-py with the dollar-math plugin), tables and lists included;
- a hostile --title is literal text in the PDFs and the Markdown: nothing read, nothing run.

Without pdflatex, poppler or node these skip with the reason; under CI=true they fail
(tests/toolchain.py). `--document-pngs DIR` also writes the first pages for a person to see.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from toolchain import KATEX_SCRIPT, missing, require, require_katex

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "output"
# Whole documents; a fragment is a body, compiled inside an article by tests/test_fragment.py.
TEX_FILES = sorted(p for p in OUTPUT.glob("*.tex") if not p.name.endswith("-fragment.tex"))
MD_FILES = sorted(OUTPUT.glob("*.md"))

OVERFULL_LIMIT_PT = 10.0
_TEX = ("-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape", "-recorder")
_RERUN = re.compile(r"Rerun to get|Label\(s\) may have changed|`[^']+' has changed")
_OVERFULL = re.compile(r"^Overfull \\[hv]box \((\d+(?:\.\d+)?)pt too (?:wide|high)\).*$", re.MULTILINE)
_GRAPHICS = re.compile(r"\\includegraphics(?:\[[^\]]*\])?\{([^}]+)\}")


@dataclass(frozen=True)
class Build:
    """One document compiled in a folder of its own: the PDF, the log and the files TeX read."""

    pdf: Path
    log: str
    recorded: str  # the -recorder .fls: every file TeX opened


def compile_tex(tex: Path, folder: Path) -> Build:
    """pdflatex, rerun (at most three times) until Beamer's and hyperref's files settle."""
    pdflatex = require("pdflatex")
    folder.mkdir(parents=True, exist_ok=True)
    source = tex.read_text(encoding="utf-8")
    shutil.copyfile(tex, folder / tex.name)
    for name in _GRAPHICS.findall(source):
        if (tex.parent / name).is_file():
            shutil.copyfile(tex.parent / name, folder / name)
    log_path = folder / tex.with_suffix(".log").name
    for _ in range(3):
        result = subprocess.run([pdflatex, *_TEX, tex.name], cwd=folder, capture_output=True,
                                stdin=subprocess.DEVNULL, timeout=180)
        log = log_path.read_text("utf-8", "replace") if log_path.is_file() else ""
        if result.returncode != 0:
            first = next((line for line in log.splitlines() if line.startswith("!")), "no log")
            pytest.fail(f"{tex.name} does not compile with pdflatex -halt-on-error: {first}",
                        pytrace=False)
        if not _RERUN.search(log):
            break
    recorded = folder / tex.with_suffix(".fls").name
    return Build(folder / tex.with_suffix(".pdf").name, log,
                 recorded.read_text("utf-8", "replace") if recorded.is_file() else "")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Compile each document once per session (per xdist worker), on first use."""
    cache: dict[Path, Build] = {}

    def get(tex: Path) -> Build:
        if tex not in cache:
            cache[tex] = compile_tex(tex, tmp_path_factory.mktemp(tex.stem))
        return cache[tex]

    return get


def first_page_png(pdf: Path, folder: Path, copy_to: str | None) -> Path:
    pdftoppm = require("pdftoppm")
    prefix = folder / f"{pdf.stem}-page1"
    subprocess.run([pdftoppm, "-r", "60", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
                    str(prefix)], check=True, capture_output=True, timeout=60)
    png = prefix.with_suffix(".png")
    if copy_to:
        Path(copy_to).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, Path(copy_to) / png.name)
    return png


def test_output_holds_documents_to_check():
    assert TEX_FILES and MD_FILES, "output/ is empty: run python -m derive.examples"


def test_a_missing_tool_skips_on_a_laptop_and_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="no such tool"):
        missing("no such tool")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        missing("no such tool")


@pytest.mark.parametrize("tex", TEX_FILES, ids=lambda p: p.name)
def test_every_tex_compiles_cleanly_and_its_first_page_renders(tex, built, tmp_path, request):
    build = built(tex)
    undefined = [line for line in build.log.splitlines() if "undefined" in line.lower()]
    assert not undefined, f"{tex.name}: " + " | ".join(undefined)
    assert "Undefined control sequence" not in build.log
    if tex.name.endswith("-slides.tex"):
        overfull = [m.group(0) for m in _OVERFULL.finditer(build.log)
                    if float(m.group(1)) > OVERFULL_LIMIT_PT]
        assert not overfull, f"{tex.name}: " + " | ".join(overfull)
    png = first_page_png(build.pdf, tmp_path, request.config.getoption("--document-pngs"))
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert png.stat().st_size > 2000, f"{png.name} looks blank"


# ---------------------------------------------------------------------------------------
# Markdown math through KaTeX


@dataclass(frozen=True)
class Fragment:
    tex: str
    display: bool
    where: str  # file.md:line


def math_fragments(text: str, name: str) -> list[Fragment]:
    """Every math fragment a Markdown renderer would hand to KaTeX, with its line: ```math
    fences and $`…`$ spans, as plain CommonMark reads them (tests/markdown_math.py)."""
    from tests.markdown_math import math_spans

    return [Fragment(span.tex, span.display, f"{name}:{span.line}") for span in math_spans(text)]


def render_with_katex(fragments: list[Fragment]) -> dict[str, list[str]]:
    """KaTeX's error for each failing fragment, by where it is; one node process for all."""
    node = require_katex()
    payload = json.dumps([f.__dict__ for f in fragments])
    result = subprocess.run([node, str(KATEX_SCRIPT)], input=payload, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert len(answer["results"]) == len(fragments)
    errors: dict[str, list[str]] = {}
    for fragment, outcome in zip(fragments, answer["results"], strict=True):
        if not outcome["ok"]:
            errors.setdefault(fragment.where, []).append(f"{fragment.tex!r}: {outcome['error']}")
    return errors


@pytest.fixture(scope="session")
def katex_errors():
    """Every fragment of every output/*.md through KaTeX at once, by file."""
    fragments = {md.name: math_fragments(md.read_text(encoding="utf-8"), md.name) for md in MD_FILES}
    errors = render_with_katex([f for found in fragments.values() for f in found])
    return fragments, errors


@pytest.mark.parametrize("md", MD_FILES, ids=lambda p: p.name)
def test_every_markdown_math_fragment_renders_with_strict_katex(md, katex_errors):
    fragments, errors = katex_errors
    assert len(fragments[md.name]) >= 5, f"{md.name}: the parser found almost no math"
    failing = {where: messages for where, messages in errors.items() if where.startswith(md.name + ":")}
    assert not failing, "\n".join(f"{where}: {m}" for where, ms in failing.items() for m in ms)


def test_math_is_found_in_tables_and_lists_but_not_in_code():
    text = ("| f | f' |\n| --- | --- |\n| $`\\sigma(x)`$ | $`\\sigma(x)(1-\\sigma(x))`$ |\n\n"
            "- a list item with $`x^2`$\n\n`$not math$` and \\$5, not math either\n\n"
            "```\n$`also not math`$\n```\n\n```math\n\\frac{1}{2}\n```\n")
    found = math_fragments(text, "t.md")
    assert [(f.tex, f.display) for f in found] == [
        ("\\sigma(x)", False), ("\\sigma(x)(1-\\sigma(x))", False), ("x^2", False),
        ("\\frac{1}{2}", True)]
    assert [f.where for f in found] == ["t.md:3", "t.md:3", "t.md:5", "t.md:13"]


def test_katex_check_reports_bad_and_merely_lax_fragments():
    errors = render_with_katex([Fragment("\\frac{1}{2}", True, "ok"), Fragment("\\nosuch", False, "bad"),
                                Fragment("é", False, "lax")])
    assert set(errors) == {"bad", "lax"}
    assert "nosuch" in errors["bad"][0]
    assert "strict mode" in errors["lax"][0]  # KaTeX alone would render it; LaTeX would not


# ---------------------------------------------------------------------------------------
# A hostile title is text


HOSTILE = r"\input{/etc/passwd} \write18{touch pwned}"


def _words(text: str) -> str:
    return " ".join(text.split())


def test_a_hostile_title_is_literal_text_and_reads_or_runs_nothing(tmp_path, built):
    pdftotext = require("pdftotext")
    require("pdflatex")
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "derive", "sigmoid", "-f", "md,tex,slides,pdf",
                             "--no-plot", "--title", HOSTILE, "-o", "out"],
                            cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = work / "out"

    for name in ("sigmoid.pdf", "sigmoid-slides.pdf"):
        text = subprocess.run([pdftotext, "-l", "1", str(out / name), "-"], capture_output=True,
                              text=True, check=True, timeout=60).stdout
        assert HOSTILE in _words(text), f"{name} does not show the title literally: {text[:300]!r}"
        assert "root:" not in text

    for name in ("sigmoid.tex", "sigmoid-slides.tex"):  # compiled again, recording every file read
        build = built(out / name)
        opened = [line for line in build.recorded.splitlines() if line.startswith("INPUT ")]
        assert opened and not [line for line in opened if "passwd" in line], name
        assert "runsystem" not in build.log  # \write18 was never even attempted

    from tests.markdown_math import commonmark, math_spans

    markdown = (out / "sigmoid.md").read_text()
    heading = next(t for t in commonmark().parse(markdown) if t.type == "inline")
    assert "".join(c.content for c in heading.children if c.type == "text") == HOSTILE
    assert not [c for c in heading.children if c.type != "text"]
    assert not [span for span in math_spans(markdown) if span.line == heading.map[0] + 1]

    assert not list(tmp_path.rglob("pwned")) and not (ROOT / "pwned").exists()
    assert not [p for p in Path(built(out / "sigmoid.tex").pdf).parent.iterdir() if p.name == "pwned"]


def test_the_article_says_a_search_found_nothing_only_for_a_catalog_function():
    """For a plain exercise (atan(x)/(1 + x^2)) a paragraph on a search for f' in terms of f
    that found nothing, ending on the backward pass, was a detour a teacher would cut; an
    activation (mish) keeps it, its backward pass is the point."""
    from derive import pipeline
    from derive.render.templates import render
    from derive.render.view import build_view

    def article(target: str) -> str:
        return render(build_view(pipeline.derive(pipeline.resolve(target))), "tex")

    assert "The derivative in terms of the function" not in article("atan(x)/(1 + x**2)")
    mish = article("mish")
    assert "derive found no form of" in mish and "were not searched" in mish
    # the sigmoid's Result is in sigma already: no section saying it again as (1 - sigma) sigma
    sigmoid = article("sigmoid")
    assert "The derivative in terms of the function" not in sigmoid
    assert r"\sigma(x) \left(1 - \sigma(x)\right)" in sigmoid
