"""External tools the document tests need (TeX, poppler, Node with KaTeX).

On a developer's machine a missing tool skips the test with the reason and the install
command; under CI=true it fails, so CI can never pass by testing nothing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parent / "js"
KATEX_SCRIPT = JS / "katex_check.mjs"

INSTALL = {
    "pdflatex": "apt-get install texlive-latex-base texlive-latex-recommended texlive-pictures latexmk",
    "latexmk": "apt-get install latexmk",
    "pdftoppm": "apt-get install poppler-utils",
    "pdftotext": "apt-get install poppler-utils",
    "node": "apt-get install nodejs npm, then npm ci --prefix tests/js",
    "chromium": "apt-get install chromium",
}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def missing(reason: str) -> None:
    """Skip with the reason, or fail under CI=true: there a missing tool is a broken setup."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing tool is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def require(tool: str) -> str:
    """The path of `tool`, or skip (fail under CI) saying how to install it."""
    path = shutil.which(tool)
    if path is None:
        missing(f"{tool} is not installed: {INSTALL.get(tool, 'install it')}")
    return str(path)


def require_katex() -> str:
    """node, with KaTeX installed from tests/js/package-lock.json."""
    node = require("node")
    if not (JS / "node_modules" / "katex" / "package.json").is_file():
        missing("KaTeX is not installed: run npm ci --prefix tests/js")
    return node
