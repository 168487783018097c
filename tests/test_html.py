"""-f html: one self-contained page, its math MathML made at build time, opened in a real
headless Chromium (Debian's chromium): no math error, no raw LaTeX outside math, a
screenshot that is not blank."""

from __future__ import annotations

import html.parser
import re
import subprocess
from pathlib import Path

import pytest

from tests.toolchain import require

pytest.importorskip("latex2mathml", reason="the [html] extra")

import derive
from derive.parse import catalog

# A LaTeX command or a dollar sign: what a reader must never see as text.
RAW_LATEX = re.compile(r"\\[A-Za-z]+|\\[,;:!{}]|\$")


class _Text(html.parser.HTMLParser):
    """The page's text, split into what is inside <math> and what is outside (scripts,
    styles and the Python code are not prose)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.math: list[str] = []
        self.prose: list[str] = []
        self.tags: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.sources += [v or "" for k, v in attrs if k in ("src", "href")]
        if tag not in ("meta", "img", "br", "link", "input"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if "math" in self.stack:
            self.math.append(data)
        elif not {"script", "style", "pre", "code"} & set(self.stack):
            self.prose.append(data)


def _read(page: str) -> _Text:
    text = _Text()
    text.feed(page)
    return text


def _chromium(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    browser = require("chromium")
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """sigmoid (the plot, the properties), elu (cases, a parameter), relu (a kink note)."""
    from derive.cli import main

    out = tmp_path_factory.mktemp("html")
    for name in ("sigmoid", "elu", "relu"):
        assert main([name, "-f", "html", "-o", str(out)]) == 0
    return out


@pytest.mark.parametrize("entry", catalog.entries(), ids=lambda e: e.name)
def test_every_catalog_page_has_math_and_no_raw_latex(entry):
    page = derive.walkthrough(entry.name).html()
    text = _read(page)
    assert "math" in text.tags and "merror" not in text.tags
    assert not RAW_LATEX.search("".join(text.math)), "a LaTeX command MathML did not know"
    assert not RAW_LATEX.search("".join(text.prose)), "raw LaTeX outside math"
    # Self-contained: nothing is fetched (the plot is a data: URL, there is no script src).
    assert all(s.startswith("data:") for s in text.sources), text.sources


def test_the_page_is_one_file_with_the_plot_inline(pages):
    assert sorted(p.name for p in pages.iterdir()) == ["elu.html", "relu.html", "sigmoid.html"]
    page = (pages / "sigmoid.html").read_text()
    assert 'src="data:image/png;base64,iVBOR' in page
    assert "@media print" in page and "<details class=\"step\" open>" in page
    assert page.count("<details") == len(derive.walkthrough("sigmoid").steps)


def test_the_same_input_gives_the_same_page(pages, tmp_path):
    from derive.cli import main

    assert main(["sigmoid", "-f", "html", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "sigmoid.html").read_bytes() == (pages / "sigmoid.html").read_bytes()


def test_user_text_is_escaped(tmp_path):
    from derive.cli import main

    assert main(["sigmoid", "-f", "html", "--no-plot", "--title", "<script>alert(1)</script>",
                 "-o", str(tmp_path)]) == 0
    page = (tmp_path / "sigmoid.html").read_text()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("name", ["sigmoid", "elu", "relu"])
def test_chromium_renders_the_page_without_a_math_error(pages, name, tmp_path):
    run = _chromium("--dump-dom", (pages / f"{name}.html").as_uri(), tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr[-500:]
    dom = _read(run.stdout)
    assert dom.tags.count("math") > 10 and "merror" not in dom.tags
    assert not RAW_LATEX.search("".join(dom.prose))
    assert not RAW_LATEX.search("".join(dom.math))
    assert dom.tags.count("details") == _read((pages / f"{name}.html").read_text()).tags.count("details")


def test_chromium_screenshot_is_not_blank(pages, tmp_path, request):
    from PIL import Image

    shot = tmp_path / "sigmoid.png"
    run = _chromium(f"--screenshot={shot}", "--window-size=1000,1400",
                    (pages / "sigmoid.html").as_uri(), tmp_path=tmp_path)
    assert run.returncode == 0 and shot.is_file(), run.stderr[-500:]
    keep = request.config.getoption("--document-pngs", default=None)
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / "sigmoid-html.png").write_bytes(shot.read_bytes())
    image = Image.open(shot).convert("L")
    assert image.size == (1000, 1400)
    histogram = image.histogram()
    dark = sum(histogram[:128])  # ink: text and formulas
    assert dark > 0.01 * image.size[0] * image.size[1]
    # Not one colour: many grey levels (anti-aliased glyphs) make up the page.
    assert sum(1 for count in histogram if count) > 50
