"""Math for the HTML page: LaTeX turned into MathML when the page is built.

MathML (rendered by every current browser, Chromium since 109) needs no script, no font
files and no network, so the page is one file that works offline; latex2mathml (PyPI, the
[html] extra) writes it from the same LaTeX the other documents show. Embedding KaTeX would
mean shipping its JavaScript and fonts inside every page (and inside derive).
"""

from __future__ import annotations

import html
import re
from typing import Any

from markupsafe import Markup

# $…$ in derive's own prose (explanations, notes, captions, marks): as filters._MATH.
_MATH = re.compile(r"(\$[^$]+\$)")


def mathml(latex: Any, display: bool = False) -> Markup:
    """One formula as a <math> element (block for display math)."""
    from latex2mathml.converter import convert

    return Markup(convert(str(latex), display="block" if display else "inline"))


def prose_html(text: Any) -> Markup:
    """derive's prose: the words escaped, each $…$ as inline MathML."""
    parts = _MATH.split(str(text))
    return Markup("".join(mathml(part[1:-1]) if _MATH.fullmatch(part) else html.escape(part)
                          for part in parts))


HTML_FILTERS = {"mathml": mathml, "prose_html": prose_html}
