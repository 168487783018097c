"""One sentence, written twice from one source: LaTeX for documents (math between $…$), plain
text for a terminal (where $\\left|{x}\\right|$ helps nobody)."""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sympy

from derive.words.printer import to_latex, to_text


@dataclass(frozen=True)
class Said:
    latex: str  # for documents: math between $…$
    plain: str  # for a terminal

    def __add__(self, other: Said) -> Said:
        return Said(self.latex + other.latex, self.plain + other.plain)

    @staticmethod
    def join(parts: list[Said], sep: str = " ") -> Said:
        return Said(sep.join(p.latex for p in parts), sep.join(p.plain for p in parts))


@dataclass(frozen=True)
class Math(Said):
    """A formula written by hand, for each medium (`u'`, `|u|`): set as math where it is
    placed in a sentence ($…$ in LaTeX)."""


@dataclass(frozen=True)
class Text:
    """Words that are already words (a function's prose name): the same in both media."""

    text: str


@dataclass(frozen=True)
class Pen:
    """How this document writes expressions: LaTeX with its named functions (σ for sigmoid),
    and plain text."""

    function_latex: Mapping[str, str]

    def latex(self, expr: sympy.Basic) -> str:
        return to_latex(expr, self.function_latex)

    def plain(self, expr: sympy.Basic) -> str:
        return to_text(expr)

    def say(self, template: str, **values: object) -> Said:
        """`template` with {name} fields: an expression or Math becomes math ($…$ in LaTeX),
        Text and str stay words; {name:bare} writes LaTeX math without the dollars (a title
        that is already inside math)."""
        return Said(_fill(template, values, self._latex_of), _fill(template, values, self._plain_of))

    def _latex_of(self, value: object, spec: str) -> str:
        if isinstance(value, Text | str):
            return value.text if isinstance(value, Text) else value
        body = value.latex if isinstance(value, Math) else self.latex(value)
        return body if spec == "bare" else f"${body}$"

    def _plain_of(self, value: object, spec: str) -> str:
        if isinstance(value, Text | str):
            return value.text if isinstance(value, Text) else value
        return value.plain if isinstance(value, Math) else self.plain(value)


def _fill(template: str, values: Mapping[str, object], write: Callable[[object, str], str]) -> str:
    out = []
    for literal, field, spec, _ in string.Formatter().parse(template):
        out.append(literal)
        if field is not None:
            out.append(write(values[field], spec or ""))
    return "".join(out)
