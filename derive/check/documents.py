"""Chains inside LaTeX and Markdown documents, with line numbers of the original file.

In `.tex`, an `align`, `align*` or `aligned` environment whose rows continue with `&=`
holds chains; in `.md`, so does a `$$ … $$` block (or a ```` ```math ```` block). A row
`LHS &= RHS` starts a chain, each row `&= RHS` is a step, a row starting with `&` and no
relation continues the previous row's expression. A lone `LHS &= RHS` row is a
definition, not a claim, and is left alone.

Definitions come from comment directives in the `.derive` syntax, in force from where
they appear: `% derive: let sigma(x) = 1/(1+exp(-x))` in TeX, `<!-- derive: let ... -->`
in Markdown. A broken directive is a parse error (exit 2): it was written for derive.
A chain whose rows cannot be read is *skipped* with the reason, never passed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import partial

from derive.check.chains import Chain, ChainLine, FileProblem, FileProblemError
from derive.check.scope import READ_SECONDS, Scope, bounded
from derive.errors import ParseError

_BEGIN = re.compile(r"\\begin\{(align\*?|aligned)\}(\[[a-z]\])?")
_VERBATIM = re.compile(r"\\begin\{(verbatim\*?|lstlisting|minted)\}.*?\\end\{\1\}", re.S)
_TEX_DIRECTIVE = re.compile(r"derive:\s*")
_MD_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_MD_DIRECTIVE = re.compile(r"\s*derive:\s*")
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)"
                    r"^(?P=indent)(?P=fence)[ \t]*$", re.S | re.M)
_DISPLAY = re.compile(r"(?<!\\)\$\$(?P<body>.+?)(?<!\\)\$\$", re.S)
_INLINE_CODE = re.compile(r"`[^`\n]+`")
# Relations other than `=` that a row may continue with: such a chain is not all
# equalities, and derive checks equalities only.
_RELATIONS = re.compile(r"(<|>|\\le\b|\\leq\b|\\ge\b|\\geq\b|\\ne\b|\\neq\b|\\approx\b|\\sim\b"
                        r"|\\simeq\b|\\equiv\b|\\to\b|\\Rightarrow\b|\\implies\b|\\iff\b"
                        r"|\\propto\b|\\leqslant\b|\\geqslant\b|:=|\\coloneqq\b)")
# Markup that is not mathematics: labels, tags, spacing at the edges.
_MARKUP = re.compile(r"\\(label|tag\*?|eqref)\{[^{}]*\}|\\nonumber\b|\\notag\b")
_TEXT = re.compile(r"\\(?:text|textrm|textit|mathrm|mbox)\{(?P<words>[^{}]*)\}")
_TRAILING_NOTE = re.compile(
    r"(?:\\q?quad|\\,|\\;|\\ |\s)*\(?\s*\\(?:text|textrm|textit|mbox)\{(?P<words>[^{}]*)\}"
    r"\s*\)?\s*$")
_EDGE_SPACING = re.compile(r"^(?:\s|\\[,;:! ]|\\q?quad\b)+|(?:\s|\\[,;:! ]|\\q?quad\b|[,.;])+$")
_LABEL = re.compile(r"\\label\{(?P<label>[^{}]*)\}")


@dataclass(frozen=True)
class _Piece:
    text: str
    offset: int  # where text starts in the original file


class _Lines:
    """Offsets to 1-based line numbers of the original file."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
        self.lines = text.split("\n")

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def column(self, offset: int) -> int:
        return offset - self.starts[self.line(offset) - 1] + 1

    def source(self, first: int, last: int) -> tuple[tuple[int, str], ...]:
        return tuple((n, self.lines[n - 1].removesuffix("\r")) for n in range(first, last + 1))


@dataclass(frozen=True)
class _Directive:
    offset: int
    text: str


@dataclass(frozen=True)
class _Block:
    """A piece of mathematics that may hold chains: an environment's body."""

    offset: int
    body: _Piece


def _mask(text: str, start: int, end: int) -> str:
    """Blank a span, keeping newlines, so offsets and line numbers do not move."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


# -- TeX ------------------------------------------------------------------------------

def _tex_comments(text: str) -> tuple[str, list[_Directive]]:
    """The text with % comments blanked, and the `% derive:` directives in them."""
    directives = []
    masked = text
    offset = 0
    for line in text.split("\n"):
        at = _comment_start(line)
        if at is not None:
            comment = line[at + 1:]
            found = _TEX_DIRECTIVE.match(comment.lstrip())
            if found is not None:
                lead = len(comment) - len(comment.lstrip())
                start = offset + at + 1 + lead + found.end()
                directives.append(_Directive(start, text[start:offset + len(line)].rstrip()))
            masked = _mask(masked, offset + at, offset + len(line))
        offset += len(line) + 1
    return masked, directives


def _comment_start(line: str) -> int | None:
    for i, char in enumerate(line):
        if char == "%":
            backslashes = len(line[:i]) - len(line[:i].rstrip("\\"))
            if backslashes % 2 == 0:
                return i
    return None


def _environments(text: str) -> list[_Block]:
    """Bodies of align, align* and aligned environments, outermost first, in order."""
    blocks = []
    covered = -1
    for begin in _BEGIN.finditer(text):
        if begin.start() < covered:
            continue  # an aligned inside an align: the align's rows already hold it
        end = text.find(f"\\end{{{begin[1]}}}", begin.end())
        if end < 0:
            continue  # unclosed: LaTeX itself will complain
        blocks.append(_Block(begin.start(), _Piece(text[begin.end():end], begin.end())))
        covered = end
    return blocks


def parse_tex(text: str, path: str) -> tuple[Chain, ...]:
    masked, directives = _tex_comments(text)
    for verbatim in _VERBATIM.finditer(masked):
        masked = _mask(masked, verbatim.start(), verbatim.end())
    return _Reader(path, text).read(_environments(masked), directives)


# -- Markdown -------------------------------------------------------------------------

def parse_markdown(text: str, path: str) -> tuple[Chain, ...]:
    masked = text
    blocks: list[_Block] = []
    for fence in _FENCE.finditer(text):
        if fence["info"].strip().lower() == "math":  # GitHub's ```math blocks
            blocks.append(_Block(fence.start(), _Piece(fence["body"], fence.start("body"))))
        masked = _mask(masked, fence.start(), fence.end())
    directives = []
    for comment in _MD_COMMENT.finditer(masked):
        found = _MD_DIRECTIVE.match(comment[1])
        if found is not None:
            start = comment.start(1) + found.end()
            directives.append(_Directive(start, comment[1][found.end():].rstrip()))
        masked = _mask(masked, comment.start(), comment.end())
    for code in _INLINE_CODE.finditer(masked):
        masked = _mask(masked, code.start(), code.end())
    for display in _DISPLAY.finditer(masked):
        blocks.append(_Block(display.start(), _Piece(display["body"], display.start("body"))))
    # A $$ block that holds an aligned environment: its rows are the environment's.
    unpacked: list[_Block] = []
    for block in sorted(blocks, key=lambda b: b.offset):
        inner = _environments(block.body.text)
        if inner:
            unpacked.extend(_Block(block.offset + b.offset,
                                   _Piece(b.body.text, block.body.offset + b.body.offset))
                            for b in inner)
        else:
            unpacked.append(block)
    return _Reader(path, text).read(unpacked, directives)


# -- rows -----------------------------------------------------------------------------

def _split(piece: _Piece, separator: str) -> list[_Piece]:
    """Split at `\\\\` rows or `&` columns, outside braces and not escaped."""
    text = piece.text
    parts = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            if separator == "rows" and text.startswith("\\\\", i) and depth == 0:
                parts.append(_Piece(text[start:i], piece.offset + start))
                i += 2
                spacing = re.match(r"\*?\s*(\[[^\]\n]*\])?", text[i:])
                i += spacing.end() if spacing else 0
                start = i
                continue
            i += 2  # an escaped character (\{, \&, \\) is never a separator
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == "&" and separator == "columns" and depth == 0:
            parts.append(_Piece(text[start:i], piece.offset + start))
            start = i + 1
        i += 1
    parts.append(_Piece(text[start:], piece.offset + start))
    return parts


@dataclass
class _Row:
    line: int
    text: str
    justification: str = ""


@dataclass
class _OpenChain:
    start: _Row
    steps: list[_Row] = field(default_factory=list)
    label: str = ""
    skipped: str = ""
    last_line: int = 0


def _clean(text: str) -> tuple[str, str]:
    """(the mathematics, a trailing \\text{...} note) of one row's expression."""
    note = ""
    found = _TRAILING_NOTE.search(text)
    if found is not None:
        note = _tidy(found["words"])
        text = text[:found.start()]
    text = _MARKUP.sub(" ", text)
    return _EDGE_SPACING.sub("", text), note


def _note(columns: list[_Piece]) -> str:
    words = " ".join(_TEXT.sub(lambda m: m["words"], c.text) for c in columns)
    return _tidy(re.sub(r"\\q?quad\b|\\[,;:! ]", " ", words))


def _tidy(words: str) -> str:
    """One line, without the parentheses notes often come in: `(by the chain rule)`."""
    words = " ".join(words.split())
    return words[1:-1].strip() if words.startswith("(") and words.endswith(")") else words


class _Reader:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = _Lines(text)
        self.scope = Scope()
        self.chains: list[Chain] = []

    def read(self, blocks: list[_Block], directives: list[_Directive]) -> tuple[Chain, ...]:
        events = sorted([(d.offset, 0, d) for d in directives] +
                        [(b.offset, 1, b) for b in blocks], key=lambda e: (e[0], e[1]))
        for _, _, event in events:
            if isinstance(event, _Directive):
                self.directive(event)
            else:
                self.block(event)
        return tuple(self.chains)

    def directive(self, directive: _Directive) -> None:
        try:
            bounded(lambda: self.scope.directive(directive.text), READ_SECONDS)
        except ParseError as error:
            offset = directive.offset + error.position
            raise FileProblemError(FileProblem(
                self.path, error.message, self.lines.line(offset),
                self.lines.column(offset))) from None

    def block(self, block: _Block) -> None:
        rows = [row for row in _split(block.body, "rows") if row.text.strip()]
        chains: list[_OpenChain] = []
        current: _OpenChain | None = None
        for row in rows:
            columns = _split(row, "columns")
            label = _LABEL.search(row.text)
            if len(columns) < 2:
                if current is not None and not current.skipped:
                    current.skipped = (f"line {self.lines.line(_start(row))}: the row is not "
                                       f"aligned at `&=`")
                current = None
                continue
            left, right = columns[0], columns[1]
            relation = right.text.lstrip()
            if relation.startswith("="):
                at = right.offset + len(right.text) - len(relation)
                expression, note = _clean(relation[1:])
                step = _Row(self.lines.line(at), expression, note or _note(columns[2:]))
                if left.text.strip():  # LHS &= RHS starts a chain
                    lhs, _ = _clean(left.text)
                    current = _OpenChain(_Row(self.lines.line(_start(left)), lhs), [step])
                    chains.append(current)
                elif current is not None:
                    current.steps.append(step)
                if current is not None:
                    current.last_line = self.lines.line(row.offset + len(row.text.rstrip()))
                    if label and not current.label:
                        current.label = label["label"]
            elif other := _RELATIONS.match(relation):
                if current is not None and not current.skipped:
                    what = other[0]
                    current.skipped = (f"line {self.lines.line(right.offset)}: `{what}` is not "
                                       f"an equality; derive checks chains of =")
                current = None
            elif current is not None and not left.text.strip():  # continues the last row
                expression, note = _clean(relation)
                last = current.steps[-1]
                last.text = f"{last.text} {expression}"
                last.justification = last.justification or note or _note(columns[2:])
                current.last_line = self.lines.line(row.offset + len(row.text.rstrip()))
        for chain in chains:
            if len(chain.steps) >= 2 or chain.skipped:  # a lone `LHS &= RHS` defines, it claims nothing
                self.chains.append(self.chain(chain))

    def chain(self, open_chain: _OpenChain) -> Chain:
        rows = [open_chain.start, *open_chain.steps]
        source = self.lines.source(open_chain.start.line, max(open_chain.last_line,
                                                               open_chain.start.line))
        skipped = open_chain.skipped
        lines = []
        for number, row in enumerate(rows):
            expr = None
            if not skipped:
                try:
                    expr = bounded(partial(self.scope.read_expression, row.text, latex_only=True),
                                   READ_SECONDS)
                except ParseError as error:
                    skipped = f"line {row.line}: {_reason(error, row.text)}"
            lines.append(ChainLine(number, row.line, row.text, row.justification, expr))
        if skipped:
            lines = [ChainLine(line.number, line.line, line.text, line.justification)
                     for line in lines]
        return Chain(self.path, open_chain.start.line, open_chain.label, tuple(lines), source,
                     skipped)


def _start(piece: _Piece) -> int:
    return piece.offset + len(piece.text) - len(piece.text.lstrip())


def _reason(error: ParseError, text: str) -> str:
    """Why a row cannot be read, with the text around the culprit."""
    at = max(0, min(error.position, len(text)))
    near = text[max(0, at - 15):at + 15].strip()
    return f"cannot read `{text.strip()}`: {error.message} (near `{near}`)" if near else (
        f"cannot read `{text.strip()}`: {error.message}")
