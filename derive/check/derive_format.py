"""The `.derive` format: one step per line, so every failure has a line number.

    # Derivative of the sigmoid                  <- comment lines above a chain: its title
    let sigma(x) = 1/(1 + exp(-x))               <- a definition for the rest of the file
    assume x > 0                                 <- or: assume x positive, assume k nonzero
    d/dx sigma(x)                                <- a chain starts with an expression
      = exp(-x)/(1 + exp(-x))**2   # reason     <- each `=` line is claimed equal to the last
      = $\\frac{1}{1+e^{-x}} - \\frac{1}{(1+e^{-x})^2}$
                                                 <- a blank line ends a chain

Anything that does not fit is a parse error at `path:line:col`: the file is data, and a
mistake in it must not be guessed around.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from derive.check.chains import Chain, ChainLine, FileProblem, FileProblemError
from derive.check.names import names_in_force
from derive.check.scope import READ_SECONDS, Scope, bounded
from derive.errors import ParseError


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them (str.splitlines also breaks at \\f, \\x1c, ...)."""
    return [line.removesuffix("\r") for line in text.removeprefix("\ufeff").split("\n")]


def split_justification(text: str) -> tuple[str, str]:
    """`expr  # reason` -> (expr, reason); a # inside $...$ LaTeX is not a comment."""
    in_latex = False
    for i, char in enumerate(text):
        if char == "$":
            in_latex = not in_latex
        elif char == "#" and not in_latex:
            return text[:i], text[i + 1:].strip()
    return text, ""


def is_directive(text: str) -> bool:
    return any(text.startswith(word) and text[len(word):len(word) + 1].isspace()
               for word in ("let", "assume"))


@dataclass
class _Open:
    """The chain being read."""

    title: str
    lines: list[ChainLine] = field(default_factory=list)
    source: list[tuple[int, str]] = field(default_factory=list)


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.scope = Scope()
        self.chains: list[Chain] = []
        self.title: list[str] = []
        self.open: _Open | None = None

    def problem(self, message: str, line: int, column: int) -> FileProblemError:
        return FileProblemError(FileProblem(self.path, message, line, column))

    def parse_error(self, error: ParseError, line: int, column: int) -> FileProblemError:
        """`column` is the 1-based column where the text given to the parser starts."""
        return self.problem(error.message, line, column + error.position)

    def read(self, text: str) -> tuple[Chain, ...]:
        for number, raw in enumerate(split_lines(text), start=1):
            self.line(number, raw)
        self.close()
        return tuple(self.chains)

    def line(self, number: int, raw: str) -> None:
        stripped = raw.strip()
        column = len(raw) - len(raw.lstrip()) + 1
        if not stripped:
            self.close()
            self.title = []
        elif stripped.startswith("#"):
            if self.open is not None:  # a comment between steps is kept for display only
                self.open.source.append((number, raw))
            else:
                self.title.append(stripped.lstrip("#").strip())
        elif stripped.startswith("="):
            self.step(number, raw, column)
        elif is_directive(stripped):
            self.close()
            text, _ = split_justification(stripped)
            try:
                bounded(lambda: self.scope.directive(text.rstrip()), READ_SECONDS)
            except ParseError as error:
                raise self.parse_error(error, number, column) from None
        elif self.open is not None:
            raise self.problem("expected a step starting with `=`, or a blank line before a "
                               "new chain", number, column)
        else:
            self.start(number, raw, column)

    def start(self, number: int, raw: str, column: int) -> None:
        text, _ = split_justification(raw[column - 1:])
        expr = self.expression(text, number, column)
        title = " ".join(part for part in self.title if part)
        self.title = []
        self.open = _Open(title, [ChainLine(0, number, text.strip(), "", expr)], [(number, raw)])

    def step(self, number: int, raw: str, column: int) -> None:
        if self.open is None:
            raise self.problem("a step needs an expression above it to follow from: start "
                               "the chain with an expression, e.g. d/dx f(x)", number, column)
        text, justification = split_justification(raw[column:])  # after the `=`
        expr = self.expression(text, number, column + 1)
        self.open.lines.append(
            ChainLine(len(self.open.lines), number, text.strip(), justification, expr))
        self.open.source.append((number, raw))

    def expression(self, text: str, number: int, column: int) -> sympy.Expr:
        try:
            return bounded(lambda: self.scope.read_expression(text), READ_SECONDS)
        except ParseError as error:
            raise self.parse_error(error, number, column) from None

    def close(self) -> None:
        chain, self.open = self.open, None
        if chain is None:
            return
        start = chain.lines[0]
        if len(chain.lines) == 1:
            raise self.problem("this expression has no steps below it: each step is a line "
                               "starting with `=`", start.line, 1)
        self.chains.append(Chain(self.path, start.line, chain.title, tuple(chain.lines),
                                 tuple(chain.source),
                                 names=names_in_force(self.scope.functions)))


def parse_derive(text: str, path: str) -> tuple[Chain, ...]:
    """Every chain of a `.derive` file; FileProblemError at the first thing that is wrong."""
    return _Reader(path).read(text)
