r"""Chains inside LaTeX, Markdown and notebook documents, at the lines of the original file.

Where mathematics is displayed, derive looks for chains: `$$ … $$`, `\[ … \]` and the
display environments (`align`, `equation`, `gather`, `multline`, `eqnarray`, `alignat`,
`flalign`, with their starred forms), in `.tex` files and, as MathJax, Jekyll and
R Markdown write them, bare in Markdown too (and GitHub's ```` ```math ```` blocks). How
rows become chains is `derive.check.rows`; what the expressions mean is
`derive.check.scope` and `derive.parse.latex`.

A row `f(x) = …` or `y = …` whose left side is a name not defined yet *defines* it (the
rest of the row, if any, is a chain); `:=` always defines. A chain that starts `0 = …` is
an equation to solve, not an identity: it is reported and never failed. Chains that use
vectors, matrices, expectations or probabilities are skipped with a reason naming what was
seen: derive checks scalar calculus.

Directives sit in comments: `% derive: let sigma(x) = 1/(1+exp(-x))`, `assume x > 0`,
`skip` (the next chain) and `skip file`; in Markdown `<!-- derive: … -->`. A comment inside
a code span or block is text. A broken directive is a parse error (exit 2).
"""

from __future__ import annotations

import bisect
import functools
import re
import warnings
from dataclasses import dataclass, replace

import sympy

from derive.check import generic, hypotheses, pointfree
from derive.check.chains import Chain, ChainLine, FileProblem, FileProblemError
from derive.check.macros import Macro, definitions
from derive.check.names import names_in_force
from derive.check.positions import cell_lines
from derive.check.rows import (
    EQUALS,
    Braces,
    Expression,
    RawChain,
    Relation,
    blank_all,
    clean,
    rows,
)
from derive.check.scope import READ_SECONDS, Functions, Scope, bounded
from derive.errors import ParseError
from derive.parse.latex import GREEK

DISPLAY_ENVIRONMENTS = ("align", "equation", "gather", "multline", "eqnarray", "alignat",
                        "flalign", "displaymath", "math", "aligned", "split", "gathered",
                        "alignedat")
_BEGIN = re.compile(r"\\begin\s*\{(?P<name>(?:" + "|".join(DISPLAY_ENVIRONMENTS)
                    + r")\*?)\}(?:\[[a-z]\])?(?:\{\d+\})?")
_VERBATIM = re.compile(r"\\begin\{(verbatim\*?|lstlisting|minted|comment)\}.*?\\end\{\1\}", re.S)
_VERB = re.compile(r"\\verb\*?(?P<d>[^A-Za-z\s*])(?:(?!(?P=d)).)*(?P=d)")
_TEX_DIRECTIVE = re.compile(r"derive:\s*")
_MD_DIRECTIVE = re.compile(r"\s*derive:\s*")
_FENCE_LINE = re.compile(r"(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)")
_BACKTICKS = re.compile(r"`+")
# `$f(x) =` at a line's end and `x^x$` on the next: TeX and MathJax read inline math across
# a line break inside a paragraph (not across a blank line)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(?P<body>(?:[^$\n]|\n(?![ \t]*\n)){1,400}?)(?<!\\)\$")
# Limits (counts, never time, so a document reads the same on a busy machine): a real
# textbook chapter holds a few hundred chains of a few steps each.
MAX_CHAINS = 2000  # per file; later chains are skipped with the reason
MAX_STEPS = 200  # per chain
_SKIP = re.compile(r"skip(?![\w-])(?:\s+(?P<what>file|chain)(?!\w))?\s*:?\s*(?P<why>.*)$", re.S)

# What derive does not check, and how to name it when a chain uses it.
_NOT_SCALAR = (
    (re.compile(r"\\(?:mathbf|boldsymbol|bm|vec|mathbfit|overrightarrow)\s*\{?\s*\\?[A-Za-z]+"),
     "vectors and matrices are not checked (saw `{}`)"),
    (re.compile(r"\\begin\{[bpvBV]?matrix\*?\}|\\begin\{array\}"),
     "vectors and matrices are not checked (saw `{}`)"),
    (re.compile(r"\^\s*\{?\s*(?:\\top|\\intercal|T)\s*\}?(?![A-Za-z])|\\nabla(?![A-Za-z])"
                r"|\\(?:operatorname|mathrm|text)\{(?:tr|diag|det|rank)\}|\\det(?![A-Za-z])"),
     "vectors and matrices are not checked (saw `{}`)"),
    (re.compile(r"\\(?:mathbb|mathbf|mathcal|operatorname|mathrm|text|textrm|textnormal)\s*"
                r"\{\s*(?:E|P|Pr|Var|Cov|Corr|KL|var|cov)\s*\}|\\(?:Pr|mid)(?![A-Za-z])"
                r"|(?<![A-Za-z\\])(?:E|P)\s*(?:_\{[^{}]*\}|_[A-Za-z])?\s*\\?(?:left|big|Big)?\s*\["
                r"|(?<![A-Za-z\\])P\s*\\?(?:left)?\(\s*[A-Z]"),
     "expectations and probabilities are not checked (saw `{}`)"),
    (re.compile(r"\|\s*[A-Z]{2}\s*\|"), "lengths of segments such as `{}` are geometry: not checked"),
    # `f^{(0)}`, `D^0 f`, `Df(x)`: derivative notations derive does not read (a power and a
    # product, as written)
    (re.compile(r"(?<![A-Za-z\\])[A-Za-z]\s*\^\s*\{\s*\(\s*[\dn]+\s*\)\s*\}"
                r"|(?<![A-Za-z\\])D\s*\^\s*\{?\s*[\dn]+\s*\}?\s*[a-z]|(?<![A-Za-z\\])D[fgh]\s*\("),
     "the derivative notation `{}` is not read"),
)
# `\frac{\Delta x}{\Delta t}`: differences the text measures (values, not variables),
# unless the chain takes a limit in them
_DIFFERENCE = re.compile(r"\\Delta\s*\{?\s*([A-Za-z])(?![A-Za-z])")
# x_i, a_{ij}: index notation (with a sum implied, or a vector's components)
_INDEX = re.compile(r"[A-Za-z]_\{?[ijk]{1,2}\}?(?![A-Za-z])")
# `dx = x du`: differentials outside a \frac{d}{dx} or an integral
_LEIBNIZ = re.compile(r"\\[dt]?frac\s*\{[^{}]*\}\s*\{\s*(?:d|\\partial|\\mathrm\s*\{\s*d\s*\})[^{}]*\}")
_DIFFERENTIAL = re.compile(r"(?<![A-Za-z\\])d(?:[a-z]|\\theta|\\alpha)(?![A-Za-z])")
_HEAD_FUNCTION = re.compile(
    r"\s*(?P<name>[A-Za-z]|\\[A-Za-z]+|\\(?:operatorname|mathrm|text|textrm|mathit)\s*"
    r"\{\s*[A-Za-z][A-Za-z0-9]*\s*\})\s*(?:\\left|\\bigl|\\Bigl|\\big|\\Big)?\s*\(\s*"
    r"(?P<params>\\?[A-Za-z]+(?:\s*,\s*\\?[A-Za-z]+)*)\s*(?:\\right|\\bigr|\\Bigr|\\big|\\Big)?"
    r"\s*\)\s*\Z")
# `f_c(x) = c + x`: a function of a family, by subscript; derive does not track it, but
# it ends what f meant (the text's df/dx that follows is about f_c)
_HEAD_SUBSCRIPTED = re.compile(r"\s*(?P<name>[A-Za-z]|\\[A-Za-z]+)\s*_\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9]+)"
                               r"\s*(?:\\left)?\s*\(")
_HEAD_WORD = re.compile(r"\s*\\(?:text|mathrm|textrm|operatorname|mathit)\s*\{\s*[A-Za-z][A-Za-z ]+\}\s*\Z")
_HEAD_NAME = re.compile(r"\s*(?P<name>(?:[A-Za-z]|\\[A-Za-z]+)(?:_\{?[A-Za-z0-9]+\}?)?)\s*\Z")
# What makes a one-step `A = B` a claim about calculus rather than an equation, a condition
# or a statement (`v(3) = -10`, `u = x`, `f(0,0) = a`): an operator on either side.
_OPERATOR = re.compile(r"\\frac\s*\{\s*(?:d|\\mathrm\s*\{\s*d\s*\}|\\partial)|\\(?:lim|int|iint|sum|prod"
                       r"|partial|prime)(?![A-Za-z])|'|\\[bB]ig+\s*\||\\right\s*\|")
_DIFFERENTIATED = re.compile(r"\s*\\[dt]?frac\s*\{\s*(?:d|\\mathrm\s*\{\s*d\s*\})\s*\}")
_COMMAND_NAME = re.compile(r"\\(?:operatorname|mathrm|text|textrm|mathit)\s*\{\s*(\w+)\s*\}")
_LATEX_FUNCTIONS = frozenset({"sin", "cos", "tan", "exp", "log", "ln", "sinh", "cosh", "tanh",
                              "sec", "csc", "cot", "arcsin", "arccos", "arctan", "max", "min",
                              "sqrt", "frac", "lim", "sum", "int", "prod", "det", "pi"})


@dataclass(frozen=True)
class _Piece:
    text: str
    offset: int  # where text starts in the original file


class _Lines:
    """Offsets to 1-based line numbers of the original file."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
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
    """A display of mathematics: its body, and whether its rows all continue (multline)."""

    offset: int
    body: _Piece
    multline: bool = False
    inline: bool = False  # `$y = x^2$` in a sentence: read for definitions only


class FileSkipped(Exception):
    """A `derive: skip file` directive: the file is not checked, and the report says so."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


# -- TeX ------------------------------------------------------------------------------

def _tex_comments(text: str) -> tuple[str, list[_Directive]]:
    """The text with % comments blanked (in one pass), and the `% derive:` directives."""
    directives = []
    out = []
    offset = 0
    for line in text.split("\n"):
        at = _comment_start(line)
        if at is None:
            out.append(line)
        else:
            comment = line[at + 1:]
            found = _TEX_DIRECTIVE.match(comment.lstrip())
            if found is not None:
                lead = len(comment) - len(comment.lstrip())
                start = offset + at + 1 + lead + found.end()
                directives.append(_Directive(start, text[start:offset + len(line)].rstrip()))
            out.append(line[:at] + " " * (len(line) - at))
        offset += len(line) + 1
    return "\n".join(out), directives


def _comment_start(line: str) -> int | None:
    at = line.find("%")
    while at >= 0:
        backslashes = at - len(line[:at].rstrip("\\"))
        if backslashes % 2 == 0:
            return at
        at = line.find("%", at + 1)
    return None


def _displays(text: str) -> list[_Block]:
    """Every display in `text`, outermost only, in order: environments, \\[ \\], $$ $$."""
    found: list[tuple[int, int, int, bool]] = []  # start, body start, body end, multline
    unclosed: set[str] = set()  # no \end{name} after here: do not search again (linear time)
    for begin in _BEGIN.finditer(text):
        if begin["name"] in unclosed:
            continue
        end = text.find(f"\\end{{{begin['name']}}}", begin.end())
        if end < 0:
            unclosed.add(begin["name"])
            continue
        found.append((begin.start(), begin.end(), end, begin["name"].startswith("multline")))
    for opener, closer in (("\\[", "\\]"), ("$$", "$$")):
        at = 0
        while True:
            start = _unescaped(text, opener, at)
            if start < 0:
                break
            end = _unescaped(text, closer, start + 2)
            if end < 0:
                break
            found.append((start, start + 2, end, False))
            at = end + 2
    found.sort()
    blocks = []
    covered = -1
    for start, body_start, body_end, multline in found:
        if start < covered:
            continue
        blocks.append(_Block(start, _Piece(text[body_start:body_end], body_start), multline))
        covered = body_end + 2
    # inline math between the displays: `Let $f(x) = x^2$.` defines f for what follows,
    # and `$y = (3x^2 - 5x)^{20}$` replaces an earlier y
    displayed = [(b.offset, b.body.offset + len(b.body.text) + 2) for b in blocks]
    for inline in _INLINE.finditer(text):
        at = inline.start()
        if any(start <= at < end for start, end in displayed) or (
                "=" not in inline["body"] and not hypotheses.MAYBE.search(inline["body"])
                and not _any_function(text, inline)):
            continue
        blocks.append(_Block(at, _Piece(inline["body"], inline.start("body")), inline=True))
    blocks.sort(key=lambda b: b.offset)
    return blocks


def _unescaped(text: str, token: str, start: int) -> int:
    at = text.find(token, start)
    while at > 0 and text[at - 1] == "\\" and not (token == "\\[" or token == "\\]"):
        at = text.find(token, at + 1)
    if token in ("\\[", "\\]"):
        # `\\[2pt]` is a row break with spacing, not a display
        while at > 0 and text[at - 1] == "\\":
            at = text.find(token, at + 1)
    return at


def _macros_of(masked: str) -> dict[str, Macro]:
    return definitions(masked) if "\\" in masked else {}


def parse_tex(text: str, path: str, *, macros: dict[str, Macro] | None = None) -> tuple[Chain, ...]:
    masked, directives = _tex_comments(text)
    spans = [(m.start(), m.end()) for m in _VERBATIM.finditer(masked)]
    spans += [(m.start(), m.end()) for m in _VERB.finditer(masked)]
    masked = blank_all(masked, spans)
    document_macros = {**(macros or {}), **_macros_of(masked)}
    reader = _Reader(path, text, document_macros)
    reader.local_spans = _local_spans(masked)
    return reader.read(_displays(masked), directives)


# Environments whose names are their own: `f(x) = …` stated in an example is that
# example's f, not the next one's (textbooks reuse f in every example; they abbreviate the
# names, CLP's `eg`)
_LOCAL_ENV = re.compile(r"\\(?P<side>begin|end)\s*\{(?P<name>example|exercise|problem|question"
                        r"|explanation|solution|proof|eg|exa|exmp|examp|ex)\*?\}")


def _local_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of every example-like environment, nested ones included."""
    spans, opened = [], []
    for match in _LOCAL_ENV.finditer(text):
        if match["side"] == "begin":
            opened.append((match["name"], match.start()))
        elif opened and opened[-1][0] == match["name"]:
            spans.append((opened.pop()[1], match.end()))
    return spans


# -- Markdown -------------------------------------------------------------------------

def _markdown_blocks(text: str) -> tuple[list[_Block], list[_Directive], str]:
    spans = []
    blocks: list[_Block] = []
    for start, body_start, body_end, end, info in _fences(text):
        if info.strip().lower() == "math":  # GitHub's ```math blocks
            blocks.append(_Block(start, _Piece(text[body_start:body_end], body_start)))
        spans.append((start, end))
    masked = blank_all(text, spans)
    masked = blank_all(masked, _code_spans(masked))
    directives = []
    spans = []
    for start, end in _html_comments(masked):
        body = masked[start + 4:end - 3]
        found = _MD_DIRECTIVE.match(body)
        if found is not None:
            directives.append(_Directive(start + 4 + found.end(), body[found.end():].rstrip()))
        spans.append((start, end))
    masked = blank_all(masked, spans)
    blocks += _displays(masked)
    blocks.sort(key=lambda b: b.offset)
    return blocks, directives, masked


def _fences(text: str) -> list[tuple[int, int, int, int, str]]:
    """Fenced code blocks, line by line: (start, body start, body end, end, info string).
    As in CommonMark, a fence closes with a line of the same character, at least as long;
    an unclosed fence runs to the end of the document."""
    found = []
    offset = 0
    opened: tuple[int, int, str, str] | None = None  # start, body start, fence, info
    for line in text.split("\n"):
        end = offset + len(line)
        fence = _FENCE_LINE.match(line)
        if opened is None:
            if fence is not None and not (fence["fence"][0] == "`" and "`" in fence["info"]):
                opened = (offset, end + 1, fence["fence"], fence["info"])
        elif (fence is not None and fence["fence"][0] == opened[2][0]
              and len(fence["fence"]) >= len(opened[2]) and not fence["info"].strip()):
            found.append((opened[0], opened[1], offset, end, opened[3]))
            opened = None
        offset = end + 1
    if opened is not None:
        found.append((opened[0], min(opened[1], len(text)), len(text), len(text), opened[3]))
    return found


def _html_comments(text: str) -> list[tuple[int, int]]:
    """(start, end) of each `<!-- … -->`; an unclosed one ends the search (linear time)."""
    spans = []
    at = text.find("<!--")
    while at >= 0:
        end = text.find("-->", at + 4)
        if end < 0:
            break
        spans.append((at, end + 3))
        at = text.find("<!--", end + 3)
    return spans


def _code_spans(text: str) -> list[tuple[int, int]]:
    """CommonMark code spans: a run of backticks closed by the next run of the same length."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    by_width: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_width.setdefault(end - start, []).append(index)
    spans = []
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_width[end - start]
        later = bisect.bisect_right(same, index)
        if later < len(same):
            closer = runs[same[later]]
            spans.append((start, closer[1]))
            index = same[later]
        index += 1
    return spans


def parse_markdown(text: str, path: str, *,
                   macros: dict[str, Macro] | None = None) -> tuple[Chain, ...]:
    blocks, directives, masked = _markdown_blocks(text)
    document_macros = {**(macros or {}), **_macros_of(masked)}
    reader = _Reader(path, text, document_macros)
    reader.local_spans = _myst_local_spans(text)
    return reader.read(blocks, directives)


# `$f$` alone in a sentence, and the words that make it any function ("Let $f$ and $g$ be
# functions", "Suppose $f$ is a differentiable function")
_LONE_NAME = re.compile(r"\s*(?P<name>[A-Za-z]|\\[A-Za-z]+)\s*\Z")
_GIVEN_ANY = re.compile(r"\b(?:[Ll]et|[Ss]uppose|[Aa]ssume|[Cc]onsider|[Ff]or (?:any|every|all))\b")


def _any_function(text: str, inline: re.Match[str]) -> bool:
    """Is the inline math a lone name said to be any function, in its sentence ("Let $f$
    and $g$ be functions such that")?"""
    if not _LONE_NAME.match(inline["body"]):
        return False
    start = inline.start()
    before = text[max(0, start - 200):start]
    before = before[max(before.rfind(". "), before.rfind("\n\n")) + 1:]
    after = text[inline.end():inline.end() + 200]
    after = after[:after.find(". ")] if ". " in after else after
    return bool(_GIVEN_ANY.search(before)) and re.search(r"\bfunctions?\b", after) is not None


# MyST (Jupyter Book) directives for examples: `::::{prf:example}` … `::::`, or in backticks
_MYST_OPEN = re.compile(r"^(?P<fence>:{3,}|`{3,})\s*\{(?:prf:)?(?P<name>example|exercise|proof"
                        r"|solution)\}", re.M)


def _myst_local_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of every MyST example-like directive, like `_local_spans`:
    it ends at the next line that is its fence alone."""
    spans = []
    for found in _MYST_OPEN.finditer(text):
        closer = re.compile(rf"^{re.escape(found['fence'])}\s*$", re.M).search(text, found.end())
        if closer is not None:
            spans.append((found.start(), closer.end()))
    return spans


# -- notebooks ------------------------------------------------------------------------

def parse_notebook(text: str, path: str, *,
                   macros: dict[str, Macro] | None = None) -> tuple[Chain, ...]:
    """The Markdown cells of a Jupyter notebook, read with nbformat, in order: one scope
    for the whole notebook, positions as cell and line."""
    try:
        import nbformat
    except ImportError:  # a dependency of derive; a broken install says so in one line
        raise FileProblemError(FileProblem(path, "reading notebooks needs nbformat: "
                                                 "pip install nbformat")) from None
    try:
        with warnings.catch_warnings():
            # a notebook written before cell ids (nbformat < 4.5) is read as it is: the
            # warning about the missing ids is for nbformat's writers, not a user's problem
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
    except Exception as error:  # nbformat raises JSON, validation and version errors
        message = " ".join(str(error).split())[:200]
        raise FileProblemError(FileProblem(path, f"not a Jupyter notebook: {message}")) from None
    chains: list[Chain] = []
    scope = Scope()
    cells = [(number, cell) for number, cell in enumerate(notebook.cells, start=1)
             if cell.get("cell_type") == "markdown"]
    all_macros = dict(macros or {})
    for _, cell in cells:
        all_macros.update(_macros_of(_markdown_blocks(str(cell.source))[2]))
    remembered: dict[str, tuple[str, int]] = {}
    in_file = cell_lines(text)
    if len(in_file) != len(notebook.cells):  # not the cells nbformat read (an old format)
        in_file = {}
    for number, cell in cells:
        source = str(cell.source)
        blocks, directives, _ = _markdown_blocks(source)
        reader = _Reader(path, source, all_macros, scope=scope, cell=number,
                         file_lines=in_file.get(number, []))
        # a cell is a paragraph of one text: the `y = σ(z)` an earlier cell wrote is the
        # y of the later ones, until one of them writes another
        reader.remembered = dict(remembered)
        chains.extend(reader.read(blocks, directives))
        remembered = reader.carry()
    return tuple(chains)


# -- chains ---------------------------------------------------------------------------

# `{f\,'}(x)`, `y\hskip.75pt'` (APEX's \fp and \yp): a prime with spacing before it
_SPACED_PRIME = re.compile(r"(?:\\hskip\s*[\d.]+\s*(?:pt|em|mu)|\\[,!;:])\s*(?=')")
_BRACED_PRIME = re.compile(r"\{\s*([A-Za-z])\s*('+)\s*\}(?=\s*(?:\\left)?\s*\()")
# `-80\ \text{ft/s}`: a unit after the last number of a row
_UNIT_WORD = r"\\(?:text|textrm|mathrm|mbox)\s*\{\s*[A-Za-z][A-Za-z/^ 0-9]*\}"
_UNIT = re.compile(r"(?<=\d)(?:\s|~|\\[ ,;:])*(?:" + _UNIT_WORD + r"|\\[dt]?frac\s*\{\s*"  # 1700 Pa/s
                   + _UNIT_WORD + r"\s*\}\s*\{\s*" + _UNIT_WORD + r"\s*\})\s*$")
# \displaystyle from a macro (APEX's \ds), \hfil, \hidewidth, \rule: they change how a
# row looks, not what it says
_STYLE = re.compile(r"\\(?:displaystyle|textstyle|scriptstyle|hfil|hfill|hidewidth|strut)(?![A-Za-z])"
                    r"|\\rule\s*(?:\[[^\]]*\])?\s*\{[^{}]*\}\s*\{[^{}]*\}")
# `{\frac{\mathrm{d}}{\mathrm{d}x}} f(x)` (CLP's \diff macro, braced by its expansion): the
# operator applies to what follows the group
_BRACED_OPERATOR = re.compile(r"\{\s*(\\[dt]?frac\s*\{\s*(?:d|\\mathrm\s*\{\s*d\s*\})[^{}]*\}"
                              r"\s*\{\s*(?:d|\\mathrm\s*\{\s*d\s*\})\s*\{?\s*[A-Za-z]\s*\}?\s*\})\s*\}")
# \underbrace{X}_{why}, \parbox{width}{$X$}: X is what the row says
_WRAPPER = re.compile(r"\\(?:underbrace|parbox\s*(?:\[[^\]]*\])?\s*\{[^{}]*\})\s*\{")
# Unknown functions: letters used as functions (`f(x)`, `g'(x)`, `\frac{dF}{du}`) that the
# document does not define are read as functions of their arguments; y, u, v written bare
# with a prime or as dy/dx are functions of the variable (implicit differentiation).
UNKNOWN_LETTERS = "fghFGHuvy"
BARE_LETTERS = "uvy"
_CALLED = re.compile(r"(?<![A-Za-z\\])(?P<name>[" + UNKNOWN_LETTERS + r"])\s*(?:'+)?\s*"
                     r"(?:\\left|\\bigl?|\\Bigl?)?\s*\(")
# `y'`, `uv'`, `yy'` (a letter of a product of letters), not a command's last letter (`\nu'`)
_PRIMED = re.compile(r"(?<!\\)(?<![A-Za-z])(?P<run>[A-Za-z]*?)(?P<name>[" + BARE_LETTERS
                     + r"])\s*'+(?!\s*(?:\\left)?\s*\()")
_LEIBNIZ_OF = re.compile(r"\\[dt]?frac\s*\{\s*(?:d|\\partial|\\mathrm\s*\{\s*d\s*\})\s*(?P<name>[A-Za-z])"
                         r"\s*\}\s*\{\s*(?:d|\\partial|\\mathrm\s*\{\s*d\s*\})\s*(?P<var>[a-z])\s*\}")
# `\int u'v\,dx`: what a chain integrates with respect to (u and v are functions of x there)
_INTEGRAL_VARIABLE = re.compile(r"\\int(?![A-Za-z])[^$]*?(?:\\[,;:!]|\\ |\s|\}|^)d(?P<var>[a-z])(?![A-Za-z])")
# what a chain differentiates with respect to, and what it differentiates
_DENOMINATOR = re.compile(r"\\[dt]?frac\s*\{[^{}]*\}\s*\{\s*(?:d|\\partial|\\mathrm\s*\{\s*d\s*\})"
                          r"\s*(?P<var>[A-Za-z])\s*(?:\^\s*\{?\d\}?)?\s*\}")
_LEIBNIZ_ANY = re.compile(r"\\[dt]?frac\s*\{\s*(?:d|\\partial|\\mathrm\s*\{\s*d\s*\})\s*(?:\^\s*\{?\d\}?)?\s*"
                          r"(?P<name>[A-Za-z])\s*\}")
# variables a chain binds: \lim_{H \to 0}, d/dX, \int … dH
_BOUND = re.compile(r"\\lim_\s*\{\s*(?P<var>[A-Za-z])\s*\\(?:to|rightarrow)"
                    r"|\{\s*(?:d|\\partial|\\mathrm\s*\{\s*d\s*\})\s*(?P<var2>[A-Za-z])\s*\}"
                    r"|(?<![A-Za-z\\])d(?P<var3>[A-Za-z])(?![A-Za-z])")
# A `y = …` is remembered for the y' or dy/dx of chains that start within this many lines
# (the same example); beyond, y is a function of x the text does not give (a stale y from
# an earlier example, such as a tangent line, must not fail a right chain).
REMEMBER_LINES = 10
CARRIED = -1  # the line of what an earlier cell of a notebook remembered
_NOTE_SEPARATOR = re.compile(r"\\(?:text|mbox|textrm|hbox)\s*\{[^{}]*\}|\\q?quad(?![A-Za-z])|;")


def _unwrapped(text: str) -> str:
    r"""`\underbrace{X}_{= \varphi(H)}` as X, `\parbox{70pt}{$X$}` as X."""
    for _ in range(20):  # a few wrappers per row; each pass removes one
        found = _WRAPPER.search(text)
        if found is None:
            return text
        group = Braces(text).group(found.end() - 1)
        if group is None:
            return text
        inner, after = group
        if found.group().startswith("\\underbrace"):
            below = re.match(r"\s*_\s*\{", text[after:])
            if below is not None:
                closed = Braces(text).group(after + below.end() - 1)
                after = closed[1] if closed is not None else after
        else:
            inner = inner.replace("$", " ")
        text = text[:found.start()] + "{" + inner + "}" + text[after:]
    return text


def primes(text: str) -> str:
    r"""Primes written with spacing or braces (`{f\,'}`, `y\hskip.75pt'`) as plain primes;
    style commands dropped."""
    if "\\" in text:
        text = _STYLE.sub(" ", text).replace("\\nicefrac", "\\frac").strip()
        text = _BRACED_OPERATOR.sub(r"\1", _unwrapped(text))
    if "}" in text:
        text = _UNIT.sub("", text)
    if "'" not in text:
        return text
    return _BRACED_PRIME.sub(r"\1\2", _SPACED_PRIME.sub("", text))


class _Reader:
    def __init__(self, path: str, text: str, macros: dict[str, Macro], *,
                 scope: Scope | None = None, cell: int = 0, file_lines: list[int] | None = None,
                 ) -> None:
        self.path = path
        self.file_lines = file_lines or []  # a notebook cell's lines in the JSON file
        self.lines = _Lines(text)
        self.text = text
        self.applied: dict[str, bool] = {}  # letter -> is it applied somewhere (`f(`, `f'(`)
        self.scope = scope if scope is not None else Scope()
        self.scope.macros = macros
        self.cell = cell
        self.chains: list[Chain] = []
        self.skip_next = ""
        # `y = …` as last written: name -> (its LaTeX, the line it is on)
        self.remembered: dict[str, tuple[str, int]] = {}
        self.at_line = 0  # the line of the row being read
        self.defined_on: dict[str, int] = {}  # the line of each function's definition
        # `If $x<0$`: variable -> what the text last stated of it, for the chains just after
        self.conditions: dict[str, list[hypotheses.Hypothesis]] = {}
        self.dependent: set[str] = set()  # letters of the chain being read taken to depend on x
        self.local_spans: list[tuple[int, int]] = []  # example-like environments (TeX)
        self.local_until: dict[str, int] = {}  # a function defined in one: where it ends
        self.at_offset = 0
        self.condition_line = -1  # the line of the last hypothesis stated in prose

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
        found = _SKIP.match(directive.text)
        if found is not None:
            why = (found["why"] or "").strip()
            reason = "a `derive: skip` directive" + (f" ({why})" if why else "")
            if found["what"] == "file":
                raise FileSkipped(self.lines.line(directive.offset), reason)
            self.skip_next = f"{reason} on line {self.lines.line(directive.offset)}"
            return
        try:
            bounded(lambda: self.scope.directive(directive.text), READ_SECONDS)
        except ParseError as error:
            offset = directive.offset + error.position
            raise FileProblemError(FileProblem(
                self.path, error.message, self.lines.line(offset),
                self.lines.column(offset))) from None

    def block(self, block: _Block) -> None:
        for name, end in list(self.local_until.items()):
            if block.offset >= end:  # the example that defined it has ended
                self.scope.forget(name)
                del self.local_until[name]
        if block.inline and _LONE_NAME.match(block.body.text):
            self.named_alone(block)
            return
        if block.inline and "=" not in block.body.text:
            # `If $x<0$ then`, `for $a>0, a \neq 1$`: hypotheses for the chains just after
            line = self.lines.line(block.offset)
            stated = hypotheses.read(block.body.text, line, self.number)
            for name in {h.name for h in stated}:
                said = [h for h in stated if h.name == name]
                before = [h for h in self.conditions.get(name, ()) if line - h.line <= REMEMBER_LINES]
                if before and {h.assumption for h in before} != {h.assumption for h in said}:
                    # "for $h<0$ … while for $h>0$ …": which one a chain just after means is
                    # not written; it gets neither
                    said = []
                self.conditions[name] = said
            if stated:
                self.condition_line = line
            return
        for raw in rows(block.body.text, block.body.offset, multline=block.multline):
            if raw.expressions:
                self.at_offset = _start(raw.expressions[0])
                self.at_line = self.lines.line(self.at_offset)
            if block.inline:
                self.inline_definition(raw)
                continue
            chain = self.chain(raw)
            if chain is not None:
                self.chains.append(chain)

    def chain(self, raw: RawChain) -> Chain | None:
        if not raw.relations:
            return None
        for note in raw.notes:
            self.note_definitions(note)
        expressions = list(raw.expressions)
        relations = list(raw.relations)
        try:
            texts = [pointfree.calls(_thin_spaces(clean(primes(clean(self.scope.expanded(
                e.text))))), self.is_function) for e in expressions]
        except ParseError as error:  # a macro that does not end
            return self.refused(raw, error.message)
        if len(self.chains) >= MAX_CHAINS:
            return self.refused(raw, f"more than {MAX_CHAINS} chains in one file; derive reads "
                                     "the first {MAX_CHAINS}".replace("{MAX_CHAINS}",
                                                                      str(MAX_CHAINS)))
        if len(relations) > MAX_STEPS:
            return self.refused(raw, f"a chain of more than {MAX_STEPS} steps")
        # `f(x) = …`, `y = …`, `a := …`: the first relation defines the left side
        if relations[0].name in (EQUALS, ":=") and self.defines(texts[0], texts[1],
                                                                relations[0].name):
            expressions, relations, texts = expressions[1:], relations[1:], texts[1:]
        if not any(r.name == EQUALS for r in relations):
            return None  # a definition, or relations derive does not check
        if len(relations) == 1 and not any(_OPERATOR.search(t) for t in texts):
            return None  # `v(3) = -10`, `-32(3) + C = -10`: an equation or a statement
        first_line = self.lines.line(_start(expressions[0]))
        texts = _catalog_leibniz(texts, set(self.scope.functions) | set(self.scope.values)
                                 | set(self.remembered))
        return self.read_chain(raw, expressions, relations, texts, first_line)

    def conditions_for(self, text: str, line: int) -> list[hypotheses.Hypothesis]:
        """`If $x<0$ then` a few lines above: the hypotheses stated of the chain's
        variables (every x of its lines, those inside the document's functions too, is
        then read as the negative x)."""
        bound = {m["var"] for m in _BOUND.finditer(text) if m["var"]} | {
            m["var"] for m in _INTEGRAL_VARIABLE.finditer(text)} | {
            m[1] for m in re.finditer(r"\\(?:sum|prod)_\s*\{?\s*([A-Za-z])\s*=", text)}
        # a variable the chain binds (\lim_{h \to 0^-}, \int … dt, \sum_{k=1}) is its own:
        # what the prose says of an h elsewhere is not said of it
        return [h for name, stated in self.conditions.items() for h in stated
                if name not in bound and 0 <= line - h.line <= REMEMBER_LINES and re.search(
                    r"(?<![A-Za-z\\])" + re.escape(("\\" if name in GREEK else "") + name)
                    + r"(?![A-Za-z])", text)]

    def number(self, text: str) -> sympy.Expr | None:
        """A hypothesis's bound (`0`, `\\pi/2`, `\\frac{1}{2}`), or None if not a number."""
        try:
            value = self.expression(text)
        except ParseError:
            return None
        return value if value.is_number else None

    def read_chain(self, raw: RawChain, expressions: list[Expression],
                   relations: list[Relation], texts: list[str], first_line: int) -> Chain:
        last_line = max(first_line, self.lines.line(raw.end))
        source = self.lines.source(first_line, last_line)
        functions, values = self.unknowns(texts, first_line)
        variables = self.variables_of(" ".join(texts))
        stated = self.conditions_for(" ".join(texts), first_line)
        implicit = {name for name, value in values.items() if not value.is_Symbol
                    and generic.unknown_functions(value)}
        skipped = ""
        if self.skip_next:
            skipped, self.skip_next = f"skipped by {self.skip_next}", ""
        elif _is_zero(texts[0]):
            skipped = "an equation to solve (it starts with `0 =`), not an identity"
        elif _GIVEN_NUMBER.fullmatch(texts[0]) and len(texts) > 2 and _VALUE_AT.fullmatch(texts[1]):
            # `600 = s(400) = a\cdot400+b`: the value the text gives at a point, an equation
            # for the parameters a and b
            skipped = f"an equation to solve ({texts[0]} = {texts[1]} is given), not an identity"
        elif self.named_and_bound(" ".join(texts), first_line):
            skipped = self.named_and_bound(" ".join(texts), first_line)
        elif (not (implicit - self.dependent) and len(texts) > 1
              and all(_DIFFERENTIATED.match(t) for t in texts[:2]) and _other_letters(texts[:2])):
            skipped = ("both sides of an equation differentiated (implicit differentiation): "
                       "derive checks identities, not equations")
        else:
            skipped = _not_scalar(" ".join(texts))
        needed: set[int] = set()
        for index, relation in enumerate(relations):
            if relation.name == EQUALS:
                needed.update((index, index + 1))
        lines = []
        for index, expression in enumerate(expressions):
            before = relations[index - 1] if index else None
            at = before.offset if before is not None else _start(expression)
            line = self.lines.line(at)
            expr = None
            if not skipped and index in needed:
                if not texts[index]:
                    skipped = f"line {line}: an empty expression"
                else:
                    try:
                        expr = self.expression(texts[index], functions, values,
                                               variables | _bound(texts[index]))
                    except ParseError as error:
                        skipped = f"line {line}: {_reason(error, texts[index])}"
            lines.append(ChainLine(index, line, " ".join(texts[index].split()),
                                   before.note if before is not None else "", expr,
                                   before.name if before is not None else EQUALS))
        if not skipped:
            skipped = _integration_notation([line.expr for line in lines])
        if not skipped:
            lines = self.under_hypotheses(lines, relations, stated)
        if not skipped:
            lines = _equations(lines, implicit)
            if (functions or implicit) and self.uses_defined(texts):
                lines = [replace(line, instances=False) for line in lines]
            if self.dependent & implicit:
                lines = [replace(line, dependent=tuple(sorted(self.dependent))) for line in lines]
        if skipped:
            lines = [ChainLine(line.number, line.line, line.text, line.justification,
                               relation=line.relation) for line in lines]
        return Chain(self.path, first_line, "", tuple(lines), source, skipped, cell=self.cell,
                     file_lines=self.in_file(first_line, last_line),
                     by_directive=skipped.startswith("skipped by"),
                     names=() if skipped else names_in_force(self.scope.functions))

    def under_hypotheses(self, lines: list[ChainLine], relations: list[Relation],
                         stated: list[hypotheses.Hypothesis]) -> list[ChainLine]:
        """Each step with the hypotheses it is checked under: those stated before the
        chain, and from a row's note (`, x \\ne 0`, `\\text{for } n \\neq 0`) on, those of
        the note."""
        in_force = list(stated)
        out = [lines[0]]
        for line, relation in zip(lines[1:], relations, strict=False):
            noted = hypotheses.in_words(relation.note, line.line, self.number) if (
                relation.note) else []
            if noted:  # what the row says of a variable replaces what the prose said
                named = {h.name for h in noted}
                in_force = [h for h in in_force if h.line == line.line or h.name not in named]
                in_force += noted
            if in_force:
                line = replace(line, hypotheses=tuple(in_force), assumed=hypotheses.replacements(
                    in_force, self.scope.symbol))
            out.append(line)
        return out

    def inline_definition(self, raw: RawChain) -> None:
        """`$f(x) = x^2$` in a sentence: a definition (a claim in a sentence is not read)."""
        if not raw.relations or raw.relations[0].name not in (EQUALS, ":="):
            return
        try:
            left, right = (primes(clean(self.scope.expanded(e.text)))
                           for e in raw.expressions[:2])
        except ParseError:
            return
        function = _HEAD_FUNCTION.match(left)
        if function is not None and self.condition_line == self.at_line:
            # "for $x<0$ we have $f(x)=x^5$": one piece of a function, not the function;
            # f is unknown from here
            self.scope.forget(_name_of(function["name"]))
            return
        if len(raw.relations) == 1 or raw.relations[1].name != EQUALS:
            self.defines(left, right, raw.relations[0].name, inline=True)
        else:
            # `$y = (1-x)^3 = f(g(x))$`: y is the first expression; `Then $f(x)=x^0=1$`
            # (TU Delft): f is x^0 from here on (the sentence's claim is not read)
            self.defines(left, right, raw.relations[0].name, inline=True)

    def named_alone(self, block: _Block) -> None:
        """"Let $f$ and $g$ be functions": from here f is any function, not the one an
        earlier sentence defined ("functions of the form $f(x)=b^x$")."""
        found = _LONE_NAME.match(block.body.text)
        assert found is not None
        name = _name_of(found["name"])
        self.scope.forget(name)
        self.remembered.pop(name, None)

    def is_function(self, name: str) -> bool:
        """Is the letter a function: defined, or applied somewhere in the document (`f(a)`,
        `f'(x)`)? What a point-free `p = fg` or `(f \\circ g)'(x)` may apply."""
        if name in self.scope.functions:
            return True
        if name not in self.applied:
            head = "\\" + name if name in GREEK else name
            self.applied[name] = re.search(
                rf"(?<![A-Za-z\\]){re.escape(head)}(?![A-Za-z])\s*'*\s*(?:\\left\s*)?\(",
                self.text) is not None
        return self.applied[name]

    def point_free(self, name: str, right: str) -> bool:
        r"""`p = fg`, `h = f \circ g`, `q = \frac{f}{g}`: a function made of others. A
        function already defined keeps its definition (`h(x) = \sin(x^3)`, then "we note
        that $h = f \circ g$"); else it is defined so, the letters nothing defines being
        unknown functions. False when `right` is not point-free."""
        # the parameter: a letter the statement does not use (x, even where the document
        # also writes x(t) somewhere)
        var = next((v for v in "xtsz" if v != name and not re.search(
            rf"(?<![A-Za-z\\]){v}(?![A-Za-z])", right)), None)
        if var is None:
            return False
        body = pointfree.applied(right, var, self.is_function)
        if body is None or re.fullmatch(r"\\?[A-Za-z]+\(\w+\)", body):
            return False  # `y = f`: another name for f, not read
        if name in self.scope.functions and self.at_line - self.defined_on.get(
                name, -REMEMBER_LINES) <= 2:
            return True  # said of the function just defined: how it is made, not a new one
        self.remembered.pop(name, None)
        try:
            bounded(lambda: self.scope.define_composed(name, var, body), READ_SECONDS)
        except ParseError:
            self.scope.forget(name)
            return True
        self.defined_on[name] = self.at_line
        inside = [end for start, end in self.local_spans if start <= self.at_offset < end]
        if inside:
            self.local_until[name] = min(inside)
        return True

    def uses_defined(self, texts: list[str]) -> bool:
        """Does the chain use a function the document defined (not derive's catalog)?"""
        text = " ".join(texts)
        return any(re.search(rf"(?<![A-Za-z\\]){re.escape(name)}\s*(?:'|\(|\\left)", text)
                   or re.search(rf"\{{\s*(?:d|\\partial)\s*{re.escape(name)}\s*\}}", text)
                   for name in self.scope.functions if len(name) == 1)

    def note_definitions(self, note: str) -> None:
        r"""`\text{ where } f(x) = x^2 \text{ and } g(x) = 1-x`: the functions a note defines."""
        try:
            note = self.scope.expanded(note)
        except ParseError:
            return
        for piece in _NOTE_SEPARATOR.split(note):
            sides = piece.split("=")
            if len(sides) == 2 and _HEAD_FUNCTION.match(clean(sides[0])):
                self.defines(primes(clean(sides[0])), primes(clean(sides[1])), EQUALS)

    def expression(self, text: str, functions: Functions | None = None,
                   values: dict[str, sympy.Expr] | None = None,
                   variables: frozenset[str] = frozenset()) -> sympy.Expr:
        return bounded(lambda: self.scope.read_latex(text, functions or {}, values or {},
                                                     variables), READ_SECONDS)

    def in_file(self, first: int, last: int) -> tuple[tuple[int, int], ...]:
        """(cell line, JSON line) for lines first..last of a notebook cell."""
        return tuple((line, self.file_lines[line - 1]) for line in range(first, last + 1)
                     if 0 < line <= len(self.file_lines))

    @staticmethod
    def fresh(at: int, line: int) -> bool:
        """Is what line `at` remembered in force on `line`? A few lines on, or, in a
        notebook, from an earlier Markdown cell until the notebook replaces it."""
        return at == CARRIED or 0 <= line - at <= REMEMBER_LINES

    def carry(self) -> dict[str, tuple[str, int]]:
        """What this cell remembered of y, u, v, for the notebook's next Markdown cells."""
        return {name: (written, CARRIED) for name, (written, _) in self.remembered.items()
                if name in BARE_LETTERS}  # y, u, v: a `z = x w` stays a remark of its cell

    def named_and_bound(self, text: str, line: int) -> str:
        """Why a chain is not read when it uses a name the text just gave a value (`Write
        $X=|x|$`) also as a variable of a limit, derivative or integral (d/dX log X)."""
        bound = {m["var"] or m["var2"] or m["var3"] for m in _BOUND.finditer(text)}
        for name, (written, at) in sorted(self.remembered.items()):
            if (name in bound and self.fresh(at, line) and name not in BARE_LETTERS
                    and _LETTER.search(_COMMAND.sub(" ", written))):  # `x = 2` gives a value
                where = f"line {at}" if at != CARRIED else "an earlier cell"
                return (f"{name} stands for {written.strip()} ({where}) and is also a variable "
                        "of a limit, derivative or integral here: not checked")
        return ""

    def variables_of(self, text: str) -> frozenset[str]:
        r"""Functions of the document that are variables in this chain: what it
        differentiates with respect to (`rac{\partial f}{\partial u}` after `u(a, b) = …`),
        and the parameters of what it differentiates (f(u, v): u and v)."""
        found = set()
        for match in _DENOMINATOR.finditer(text):
            found.add(match["var"])
        for match in _LEIBNIZ_ANY.finditer(text):
            builder = self.scope.functions.get(match["name"])
            found.update(vars(builder).get("parameters", ()) if builder is not None else ())
        # `\lim_{h\to 0^-}\frac{f(0+h)-f(0)}{h}=\frac{0-0}{h}` after `h(\theta) = \sin\theta`:
        # the limit's h, used bare, is the chain's variable in all its lines
        found.update(m["var"] for m in _BOUND.finditer(text)
                     if m["var"] and _used_bare(m["var"], text))
        return frozenset(name for name in found if name in self.scope.functions)

    def unknowns(self, texts: list[str], line: int) -> tuple[Functions, dict[str, sympy.Expr]]:
        r"""What the chain's undefined letters stand for: unknown functions (`f(x)`,
        `g'(x)`), and for y, u, v written bare with a prime or as dy/dx either their
        `y = …` of a few lines above or an unknown function of the variable."""
        text = " ".join(texts)
        known = set(self.scope.functions) | set(self.scope.values)
        functions: Functions = {}
        recent = {name for name, (_, at) in self.remembered.items()
                  if self.fresh(at, line) and name not in known}
        limited = {m["var"] for m in _BOUND.finditer(text) if m["var"]}
        for found in _CALLED.finditer(text):
            name = found["name"]
            if name in BARE_LETTERS and _used_bare(name, text):
                continue  # `y (1-y)`: y is a value here (written bare beside), not a function
            if name in limited and name not in known and _used_bare(name, text):
                continue  # `\lim_{h\to 0}\frac{h}{h\left(…\right)}`: h is the limit's variable
            if name not in known and name not in functions and name not in recent:
                functions[name] = sympy.Function(name, real=True)
        for found in _LEIBNIZ_OF.finditer(text):
            name = found["name"]
            if name in UNKNOWN_LETTERS and name not in BARE_LETTERS and name not in known:
                functions.setdefault(name, sympy.Function(name, real=True))
        bare = {m["name"] for m in _PRIMED.finditer(text)}
        bare |= {m["name"] for m in _CALLED.finditer(text) if m["name"] in recent}
        variables = {m["name"]: m["var"] for m in _LEIBNIZ_OF.finditer(text)}
        operator = next((m["var"] for m in _DERIVATIVE_VARIABLE.finditer(text)), None)
        bare |= {name for name in variables if name in BARE_LETTERS}
        # `\frac{d}{dx} x^2 + \frac{d}{dx} y^2 = 0`: y, u, v under d/dx, defined nowhere, may
        # depend on x (implicit differentiation); as unknown functions such a chain is
        # proved only when it holds for every y(x), constant ones included, and never
        # failed on an instance (`self.dependent`)
        self.dependent = set()
        bound_here = {m["var"] or m["var2"] or m["var3"] for m in _BOUND.finditer(text)}
        if operator is not None:
            for name in BARE_LETTERS:
                if (name != operator and name not in bare and name not in known
                        and name not in bound_here
                        and name not in recent and name not in functions
                        and re.search(rf"(?<![A-Za-z\\]){name}(?![A-Za-z])", text)):
                    bare.add(name)
                    self.dependent.add(name)
        values: dict[str, sympy.Expr] = {
            # the limit's h before a bracket is h times it, never a function h
            name: self.scope.symbol(name) for name in limited
            if name in UNKNOWN_LETTERS and name not in known and name not in functions
            and _used_bare(name, text)}
        # `Write $X=|x|$ and $H=-h$`, `$H = h\tilde g(h)$` a few lines above: X, H stand for
        # those here (unless the chain takes a limit, derivative or integral in them)
        bound = {m["var"] or m["var2"] or m["var3"] for m in _BOUND.finditer(text)}
        for name, (written, at) in sorted(self.remembered.items()):
            if (name in bare or name in known or name in functions or name in bound
                    or not self.fresh(at, line)
                    or not re.search(rf"(?<![A-Za-z\\]){re.escape(name)}(?![A-Za-z(])", text)):
                continue
            try:
                value = bounded(functools.partial(self.scope.read_latex, written, functions, {}),
                                READ_SECONDS)
            except ParseError:
                continue
            if value.free_symbols and sympy.Symbol(name, real=True) not in value.free_symbols:
                values[name] = value
        by = {m["var"] for m in _DENOMINATOR.finditer(text)}  # what the chain differentiates by
        for name in sorted(bare - known - set(functions) - by):
            remembered = self.remembered.get(name)
            if remembered is not None and self.fresh(remembered[1], line) and name not in by:
                written = remembered[0]
                try:
                    value = bounded(functools.partial(self.scope.read_latex, written, functions,
                                                      {}), READ_SECONDS)
                except ParseError:
                    continue
                if len(value.free_symbols) == 1:
                    values[name] = value
                    continue
            integrated = _INTEGRAL_VARIABLE.search(text)
            variable = variables.get(name) or operator or (
                integrated["var"] if integrated else None) or next(
                (v for v in "xt" if re.search(rf"(?<![A-Za-z\\]){v}(?![A-Za-z])", text)), None)
            if variable is not None and variable != name:
                values[name] = sympy.Function(name, real=True)(self.scope.symbol(variable))
        return functions, values

    def refused(self, raw: RawChain, reason: str) -> Chain:
        """A chain too large to read: reported as skipped, its expressions unread."""
        first = self.lines.line(_start(raw.expressions[0]))
        start = ChainLine(0, first, raw.expressions[0].text.strip()[:80])
        return Chain(self.path, first, "", (start,), self.lines.source(first, first), reason,
                     cell=self.cell, file_lines=self.in_file(first, first))

    def defines(self, left: str, right: str, relation: str, *, inline: bool = False) -> bool:
        """Is `left = right` a definition? Then it is in force from here on."""
        function = _HEAD_FUNCTION.match(left)
        if function is not None:
            name = _name_of(function["name"])
            params = [p.strip().removeprefix("\\") for p in function["params"].split(",")]
            if name in _LATEX_FUNCTIONS or len(set(params)) != len(params):
                return False
            head = function["name"]
            if head.startswith("\\") and not _COMMAND_NAME.match(head) and name not in GREEK:
                return False  # `\fp(x) = …`: a macro derive does not know, not a name
            if all(p[:1].isupper() for p in params) and not re.search(
                    r"(?<![A-Za-z\\])(?:" + "|".join(map(re.escape, params)) + r")(?![A-Za-z])",
                    right):
                # `g(L) = K`, `v(3) = -10`: a value at a point, not a definition of g; it
                # ends what g meant
                self.scope.forget(name)
                return True
            body = _COMMAND.sub(" ", right)
            # a Greek parameter is a command in the body (`p(\theta) = \tan(\theta)`)
            if _LETTER.search(body) and not any(
                    re.search(rf"\\{p}(?![A-Za-z])", right) if p in GREEK
                    else re.search(rf"{re.escape(p)}(?!_)", body) for p in params):
                # `\xi(t, y) = -\sum_i t_i \log y_i`: the body is in other letters (t_i, not
                # t), so it does not say what \xi(t, y) is; in a display it ends what \xi
                # meant, in a sentence ("which gives $\xi(t,y) = -\sum …$ over all n samples")
                # it is a remark beside the definition
                if not inline:
                    self.scope.forget(name)
                return True
            if re.search(r"\\begin\s*\{\s*(?:array|cases|dcases)|\\left\s*\\\{", right):
                # `f(x)=\left\{\begin{array}{l}x^5, & \text{if}\,x<0,\\ …`: a piecewise
                # definition derive does not read; f is unknown from here (never its first piece)
                self.scope.forget(name)
                self.defined_on[name] = self.at_line
                return True
            if self.defined_on.get(name) == self.at_line:
                # `1. f(x) = x^5 \sin 2x^3 \quad 2. f(x) = …` on one line: which f a later
                # f' means is not written, so f is unknown
                self.scope.forget(name)
                return True
            self.defined_on[name] = self.at_line
            try:
                bounded(lambda: self.scope.define(name, params, right), READ_SECONDS)
            except ParseError:
                self.scope.forget(name)  # a definition derive cannot read: the name is unknown
            inside = [end for start, end in self.local_spans if start <= self.at_offset < end]
            if inside:
                self.local_until[name] = min(inside)
            else:
                self.local_until.pop(name, None)
            return True
        family = _HEAD_SUBSCRIPTED.match(left)
        # `f_c(x) = …` names a function; `\lim_{x \to 2} (…) = …`, `\log_2(x) = …` do not
        if (family is not None and relation in (EQUALS, ":=")
                and _name_of(family["name"]) not in _LATEX_FUNCTIONS):
            self.scope.forget(_name_of(family["name"]))
            return True
        if _HEAD_WORD.match(left) or _names_a_value(left, right):
            # `\text{slope} = f'(1) = -1`, `AvRCh = \frac{5-11}{-3} = 2`: a name given to the
            # value (a word, or letters found nowhere else in the chain), not a product
            return True
        bare = _HEAD_NAME.match(left)
        if bare is not None:
            name = _name_of(bare["name"])
            if name in _LATEX_FUNCTIONS or name == "e":
                return False
            if re.search(rf"(?<![A-Za-z\\]){re.escape(bare['name'].strip())}(?![A-Za-z])", right):
                return False  # `x = x \cdot 1 = …`: the name on both sides is a claim
            if self.point_free(name, right):
                return True
            # `y = …` is remembered only for the y' and dy/dx of the next few lines
            # (`unknowns`): documents reuse y for every example and every tangent line
            # (y = -9.91x + 18), and a stale y would fail right chains. It does end what y
            # meant before.
            self.scope.forget(name)
            self.remembered[name] = (right, self.at_line)
            return True
        return relation == ":="


# Relations of steps that are equations, not identities: reported as not checked.
IMPLICIT_EQUATION = "= (an equation in y', from implicit differentiation)"
SET_TO_ZERO = "= 0 (an equation to solve)"
DIFFERENTIATED_EQUATION = "= (both sides of an equation differentiated)"


def _equations(lines: list[ChainLine], implicit: set[str]) -> list[ChainLine]:
    r"""Steps that state equations rather than identities, as not checked:

    - with y an unknown function of x (implicit differentiation), a step where neither
      side takes a derivative, limit or integral (`\cos(y) y' + 3y^2 y' = -3x^2`): it holds
      on the curve, not for every function y;
    - `f'(x) = 2x - 2 = 0`: a last step from an expression of the variable, which takes no
      operation, to 0 is setting it to zero.
    """
    out = list(lines)
    if implicit:
        for index in range(1, len(out)):
            before, line = out[index - 1], out[index]
            if line.relation != EQUALS or before.expr is None or line.expr is None:
                continue
            operations = (generic.applies_operation(before.expr),
                          generic.applies_operation(line.expr))
            if not any(operations):
                out[index] = replace(line, relation=IMPLICIT_EQUATION)
            elif all(operations) and (generic.unknown_functions(before.expr)
                                      != generic.unknown_functions(line.expr)):
                # d/dx (sin y + y^3) = d/dx (6 - x^3): both sides of the curve's equation
                out[index] = replace(line, relation=DIFFERENTIATED_EQUATION)
    last = out[-1]
    if (len(out) > 2 and last.relation == EQUALS and last.expr is not None and last.expr == 0
            and _is_zero(last.text)):
        value = out[-2].expr
        # `\lim_{h\to0^-} … = \frac{(0+h)^2-0}{h} = 0` (the limit dropped in the middle):
        # nobody solves for the limit's own variable, so that is a claim, not an equation
        bound = {limit.args[1] for line in out if line.expr is not None
                 for limit in line.expr.atoms(sympy.Limit)}
        if (value is not None and value.free_symbols and not value.free_symbols <= bound
                and not generic.applies_operation(value)):
            out[-1] = replace(last, relation=SET_TO_ZERO)
    return out


_COMMAND = re.compile(r"\\[A-Za-z]+")
_LETTER = re.compile(r"(?<![A-Za-z\\])[A-Za-z](?![A-Za-z])")
_DERIVATIVE_VARIABLE = re.compile(r"\\[dt]?frac\s*\{\s*(?:d|\\mathrm\s*\{\s*d\s*\})\s*\}\s*\{\s*"
                                  r"(?:d|\\mathrm\s*\{\s*d\s*\})\s*(?P<var>[A-Za-z])\s*\}")


def _other_letters(texts: list[str]) -> bool:
    r"""`\frac{d}{dx}(\sin y + y^3) = \frac{d}{dx}(6 - x^3)`: besides the variable, a
    letter that is not called as a function (y here, a function of x on a curve): both
    sides of an equation are differentiated. `\frac{d}{dx} \tan x = \frac{d}{dx}
    \frac{\sin x}{\cos x}` has none: an identity."""
    variables = {m["var"] for t in texts for m in _DERIVATIVE_VARIABLE.finditer(t)}
    for text in texts:
        body = _DERIVATIVE_VARIABLE.sub(" ", _COMMAND.sub(" ", text))
        for found in _LETTER.finditer(body):
            letter = found.group()
            called = body[found.end():].lstrip().startswith(("(", "'", "\\left"))
            if letter not in variables and letter not in ("e", "d") and not called:
                return True
    return False


_BINDING = re.compile(r"_\s*\{\s*(?P<bar>[A-Za-z])\s*=|(?:\\mathrm\s*\{\s*d\s*\}|(?<![A-Za-z\\])d)"
                      r"\s*(?P<d>[A-Za-z])(?![A-Za-z])\s*\}?")


_LEIBNIZ = re.compile(r"\\[dt]?frac\s*\{\s*(?:d|\\mathrm\s*\{\s*d\s*\}|\\partial)[^{}]*\}"
                      r"\s*\{[^{}]*\}")


_EVALUATED = re.compile(r"(?:\]|\|)\s*_\s*(?:\{[^=}]*\}|[^{\s])")


def _bound(text: str) -> frozenset[str]:
    r"""Names a row binds and never applies: `\int 9u^8\,du`, `(u^9 + C)|_{u=\sin x}`
    beside `u(x) = \sin x`. There u is the variable, not the function."""
    if "_" not in text and "\\int" not in text:
        return frozenset()
    # a Leibniz quotient's d (`\frac{df}{dx}`) binds nothing; a differential does so only
    # in a row with an integral
    scanned = _LEIBNIZ.sub(" ", text)
    names = {m["bar"] or m["d"] for m in _BINDING.finditer(scanned)
             if m["bar"] or "\\int" in text}
    if _EVALUATED.search(text):
        # `\big[-\cos(u)\big]_1^2`: an evaluation between bounds binds the letters in it
        names |= {m.group() for m in _LETTER.finditer(_COMMAND.sub(" ", scanned))}
    return frozenset(n for n in names if not re.search(
        rf"(?<![A-Za-z\\]){n}\s*(?:'|\(|\\left|\\big)", text))


def _integration_notation(exprs: list[sympy.Expr | None]) -> str:
    """Integrals derive cannot read as written: a substitution (indefinite integrals in two
    variables in one chain, or a definite one in u of something in x), or `\\int u\\,dv`
    (u and v functions of another variable). Definite integrals are numbers, whatever
    their variables (`\\int_0^1 … dx = \\int_1^2 … du`)."""
    indefinite: set[sympy.Symbol] = set()
    definite = []  # (variable, integrand) of each definite integral
    for expr in exprs:
        if expr is None:
            continue
        for node in sympy.preorder_traversal(expr):
            if isinstance(node, sympy.Integral):
                variable = node.limits[0][0]
                if len(node.limits[0]) == 2:
                    continue  # `(\\int f(u)\\,du)|_{u=g(x)}`: the antiderivative at g(x)
                if variable not in node.function.free_symbols and node.function.free_symbols:
                    return (f"an integral with respect to {variable} of something that does "
                            f"not depend on {variable} (differential notation, as in "
                            "integration by parts?): not checked")
                if len(node.limits[0]) == 3:
                    definite.append((variable, node.function))
                else:
                    indefinite.add(variable)
    variables = indefinite | {v for v, _ in definite}
    # `\\int_1^2 \\sin(u) \\frac{x^2}{3x^2}\\,du` beside `\\int … dx`: a substitution written
    # half-way, x left in an integral in u
    mixed = any(function.free_symbols & (variables - {v}) for v, function in definite)
    if len(indefinite) > 1 or mixed:
        names = ", ".join(sorted(str(v) for v in variables))
        return f"a substitution (integrals in {names}): derive does not follow substitutions"
    return ""


def _name_of(head: str) -> str:
    command = _COMMAND_NAME.match(head)
    if command is not None:
        return command[1]
    return head.removeprefix("\\")


def _used_bare(name: str, text: str) -> bool:
    """Is the letter also written with no argument list after it (`(1-y)`, `y \\cdot`)?"""
    return re.search(rf"(?<![A-Za-z\\]){name}(?![A-Za-z'(]|\s*(?:\\left|\\bigl?|\\Bigl?)?\s*\()",
                     text) is not None


def _names_a_value(left: str, right: str) -> bool:
    """`AvRCh` before `=`: two or more letters, at least one a capital, none of them in
    what follows (so `xy = 6` and `Ax = x` are not names)."""
    letters = left.strip()
    if not re.fullmatch(r"[A-Za-z]{2,}", letters) or letters.islower():
        return False
    return not any(re.search(rf"(?<![A-Za-z\\]){c}(?![A-Za-z])", right) for c in set(letters))


_CATALOG_LEIBNIZ = re.compile(
    r"(?P<head>\\[dt]?frac\s*\{\s*(?:d|\\partial|\\mathrm\s*\{\s*d\s*\})\s*)"
    r"(?P<name>\\[A-Za-z]+|\\(?:mathrm|operatorname|text)\s*\{\s*[A-Za-z]+\s*\})"
    r"(?P<tail>\s*\}\s*\{\s*(?:d|\\partial|\\mathrm\s*\{\s*d\s*\})\s*(?P<var>[A-Za-z])\s*\})")


def _catalog_leibniz(texts: list[str], defined: set[str]) -> list[str]:
    r"""`\frac{d\sigma}{dx} = \sigma(x)(1 - \sigma(x))`, σ known only from derive's
    catalog: dσ/dx is the derivative of σ(x), as `\sigma'(x)` reads. Only when every other
    σ of the chain is applied to an argument without σ in it: in `\sigma(1-\sigma)` a
    bare σ is a value (a product, or σ applied to 1 - σ?), and the chain is left as written
    (derive then says σ needs a definition)."""
    from derive.parse import catalog

    text = " ".join(texts)
    rewrite = {}
    for found in _CATALOG_LEIBNIZ.finditer(text):
        name = _name_of(found["name"]).strip()
        if name in defined or not catalog.is_named(name) or len(name) < 2:
            continue
        others = _CATALOG_LEIBNIZ.sub(" ", text)
        spelled = re.escape(found["name"]) if found["name"].startswith("\\") else ""
        uses = list(re.finditer(r"\\" + re.escape(name) + r"(?![A-Za-z])|" + spelled, others))
        if all(_applied_without(others, use.end(), name) for use in uses):
            rewrite[found.group()] = f"{found['head']}{found['name']}({found['var']}){found['tail']}"
    if not rewrite:
        return texts
    return [_CATALOG_LEIBNIZ.sub(lambda m: rewrite.get(m.group(), m.group()), t) for t in texts]


def _applied_without(text: str, at: int, name: str) -> bool:
    """Is the name ending at `at` applied (`\\tanh(x)`, `\\tanh^2(x)`) to a bracketed argument
    that does not hold it?"""
    opened = re.match(r"\s*(?:\^\s*(?:\d|\{\s*\d+\s*\})\s*)?(?:\\left\s*)?\(", text[at:])
    if opened is None:
        return False
    depth, i = 0, at + opened.end() - 1
    while i < len(text):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return name not in text[at:i]
        i += 1
    return False


def _thin_spaces(text: str) -> str:
    r"""`\frac{\,d y}{\,d x}` (mooculus's `\d` is `\,d`) as `\frac{d y}{d x}`: a thin space at
    the start of a group changes nothing a reader sees, and the notation rules here match
    the differential right after the brace."""
    return re.sub(r"\{\s*(?:\\[,;:!]\s*)+", "{", text)


_GIVEN_NUMBER = re.compile(r"\s*-?\s*\d+(?:\.\d+)?\s*")
_VALUE_AT = re.compile(r"\s*[A-Za-z]\s*\(\s*-?\s*\d+(?:\.\d+)?\s*\)\s*")


def _is_zero(text: str) -> bool:
    return text.strip() in ("0", "{0}")


def _not_scalar(text: str) -> str:
    for pattern, reason in _NOT_SCALAR:
        found = pattern.search(text)
        if found is not None:
            return reason.format(" ".join(found.group().split()))
    for found in _DIFFERENCE.finditer(text):
        if not re.search(r"\\lim_\s*\{\s*\\Delta\s*\{?\s*" + found[1], text):
            return (f"differences such as `{' '.join(found.group().split())}` are values the "
                    "text measures: not checked")
    indices = _INDEX.findall(text)
    if len(indices) >= 2:
        return f"index notation is vector notation, not checked (saw `{indices[0]}`)"
    if "\\int" not in text:
        bare = _DIFFERENTIAL.search(_LEIBNIZ.sub(" ", text))
        if bare is not None:
            return f"differentials such as `{bare.group()}` are not checked"
    return ""


def _start(expression: Expression) -> int:
    return expression.offset + len(expression.text) - len(expression.text.lstrip())


def _reason(error: ParseError, text: str) -> str:
    """Why a row cannot be read, with the text around the culprit."""
    text = " ".join(text.split())
    at = max(0, min(error.position, len(text)))
    near = text[max(0, at - 15):at + 15].strip()
    shown = text if len(text) <= 120 else text[:117] + "..."
    return f"cannot read `{shown}`: {error.message} (near `{near}`)" if near else (
        f"cannot read `{shown}`: {error.message}")


# -- entry points ---------------------------------------------------------------------

@functools.cache
def macro_file(path: str) -> dict[str, Macro]:
    """The macros of a `--macros FILE` (a preamble, a .sty): FileProblemError if unreadable."""
    from derive.check.sources import read_text

    masked, _ = _tex_comments(read_text(path))
    return definitions(masked)


def read_document(text: str, path: str, kind: str, macros: str = "") -> tuple[Chain, ...]:
    """The chains of a document of `kind` "tex", "md" or "ipynb"."""
    extra = macro_file(macros) if macros else {}
    reader = {"tex": parse_tex, "md": parse_markdown, "ipynb": parse_notebook}[kind]
    return reader(text, path, macros=extra)
