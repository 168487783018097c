r"""The rows of a math block, and the chains of relations they write.

A block is the body of a display (`$$ … $$`, `\[ … \]`, an `align`, `equation`, `gather`,
`multline`, `eqnarray`, `alignat` … environment) with offsets into the original file. Every
layout people use comes down to the same reading:

- rows are split at `\\` and at `\intertext{…}` (which does not end a chain), never inside
  braces or inside an inner environment (a `bmatrix`, `cases`, `array`: its `\\` and `&`
  are its own); the alignment wrappers `aligned`, `split`, `gathered`, `alignedat` are
  transparent;
- `&` only aligns, so it is blanked (offsets do not move); a column that holds only a
  `\text{…}` note is the step's justification;
- a row is cut at its top-level relations (`=`, `\approx`, `\le`, `\implies` …; one row may
  hold several `=`); a row that starts with a relation continues the chain above, a row
  that starts with `+`, `-`, `\cdot`, or whose first column is empty, continues the last
  expression (a `\right.` … `\left.` pair across the break is dropped), and any other row
  starts a new chain. In a `multline` every row continues the one before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from derive.check.hypotheses import trailing

# Inner alignment environments whose rows are the block's rows.
TRANSPARENT = ("aligned", "split", "gathered", "alignedat", "aligned*", "gathered*")
_WRAPPER = re.compile(r"\\(?:begin\{(?:" + "|".join(re.escape(t) for t in TRANSPARENT)
                      + r")\}(?:\[[a-z]\])?(?:\{\d+\})?|end\{(?:"
                      + "|".join(re.escape(t) for t in TRANSPARENT) + r")\})")
_INTERTEXT = re.compile(r"\\(?:short)?intertext\s*\{")
_MARKUP = re.compile(r"\\(?:label|tag\*?|eqref|ref)\s*\{[^{}]*\}|\\(?:nonumber|notag)(?![A-Za-z])"
                     r"|\\(?:displaystyle|textstyle)(?![A-Za-z])")
# Relations, longest spelling first; each maps to the name reports use.
EQUALS = "="
_RELATION = re.compile(r"""
    (?P<over>\\(?:stackrel|overset)\s*\{)        # \overset{\text{why}}{=}
  | (?P<define>:=|=:|\\coloneqq(?![A-Za-z])|\\eqqcolon(?![A-Za-z])|\\triangleq(?![A-Za-z])
        |\\doteq(?![A-Za-z])|\\stackrel\{\\?(?:text\{)?def\}?\}\{=\})
  | (?P<equals>=)
  | (?P<other><=|>=|<|>|\\(?:approx|simeq|sim|cong|le|leq|ge|geq|leqslant|geqslant|ll|gg|ne|neq
        |equiv|propto|to|rightarrow|longrightarrow|mapsto|Rightarrow|Longrightarrow|implies
        |impliedby|Leftarrow|iff|Leftrightarrow|Longleftrightarrow|in|notin|subset|subseteq)
        (?![A-Za-z]))
""", re.VERBOSE)
# Statements, not expressions, stand on each side of these: the chain ends there.
STATEMENT_RELATIONS = frozenset({r"\Rightarrow", r"\Longrightarrow", r"\implies", r"\impliedby",
                                 r"\rightarrow", r"\longrightarrow",
                                 r"\Leftarrow", r"\iff", r"\Leftrightarrow",
                                 r"\Longleftrightarrow"})
_NOTE_WORDS = ("for", "if", "where", "when", "and", "since", "by", "as", "so", "with",
               "using", "because", "from", "on", "at", "via", "then", "thus", "hence", "i.e.",
               "e.g.", "let", "see", "note", "which", "is", "apply", "applying", "substitute",
               "substituting", "plug", "plugging", "recall", "definition", "def")
_TEXT_COMMAND = re.compile(r"\\(?:text|textrm|textit|textbf|textnormal|mbox|mathrm|hbox"
                           r"|parbox\s*(?:\[[^\]]*\])?\s*\{[^{}]*\})\s*\{")
# what a note's words do not include: its typesetting (sizes, \centering, a \parbox's width)
_TYPESETTING = re.compile(r"\\(?:tiny|scriptsize|footnotesize|small|normalsize|large|Large"
                          r"|centering|raggedright|noindent)(?![A-Za-z])|\\parbox\s*(?:\[[^\]]*\])?"
                          r"\s*\{[^{}]*\}|\\(?:left|right)(?=\s*[()])")
_NOTE_LEAD = re.compile(r"(?:[,.;]\s*)?(?:\\q?quad(?![A-Za-z])|\\[,;:! ]|~|\s)*(?:\\left\s*)?\(?\s*$")
_SPACING = re.compile(r"^(?:\s|~|\\[,;:! ]|\\q?quad(?![A-Za-z])|\\hspace\*?\s*\{[^{}]*\})+"
                      r"|(?:\s|~|\\[,;:! ]|\\q?quad(?![A-Za-z])|\\hspace\*?\s*\{[^{}]*\}|[,.;]"
                      r"|(?<=\\ )!|\\checkmark(?![A-Za-z]))+$")
# (`= \cos x\ !`: the author's exclamation, not a factorial; `= x \sin x \checkmark`: a tick)
_CONTINUES = re.compile(r"(?:\+|-|\\cdot(?![A-Za-z])|\\times(?![A-Za-z])|\\pm(?![A-Za-z])"
                        r"|\\left\.|−)")
# What the row splitter looks at: a row break, an escaped character (never a separator),
# braces, and column marks.
# A wide space between two equations of one row (`\frac{\partial f}{\partial x} = y
# \hspace{0.5in} \frac{\partial f}{\partial y} = x`, `f(x) = 2,\quad g(x) = 3`): the
# expression before it ends one chain, the one after it starts the next.
# A connective in words does the same (`u'(x) = 1 &\text{and}&& v(x) = e^x`).
_WIDE_SPACE = re.compile(r"\\hspace\*?\s*\{[^{}]*\}|\\q?quad(?![A-Za-z])"
                         r"|\\hskip\s*[\d.]+\s*(?:pt|em|in|cm|mm)"
                         r"|\\(?:text|mbox|textrm|mathrm)\s*\{\s*(?:and|or)\s*\}")
_STRUCTURE = re.compile(r"\\\\|\\.|[{}&]", re.S)
_ROW_SPACING = re.compile(r"\*?\s*(\[[^\]\n]*\])?")
_RIGHT_DOT = re.compile(r"\\right\s*\.\s*$")
_LEFT_DOT = re.compile(r"^(?:\s|~|\\q?quad(?![A-Za-z])|\\[,;:! ])*\\left\s*\.")


@dataclass
class Expression:
    text: str
    offset: int  # where the text starts in the file


@dataclass
class Relation:
    name: str  # "=", "\\approx", ":=" (a definition) ...
    offset: int
    note: str = ""  # the justification written beside it


@dataclass
class RawChain:
    """Expressions e0 r1 e1 r2 e2 …: relations[i] stands between expressions[i] and [i+1]."""

    expressions: list[Expression] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    end: int = 0  # the offset where the chain's last row ends
    ended_by: Relation | None = None  # a statement relation (\implies) after the last expression
    # notes cut from its rows, as written (`\text{ where } f(x) = x^2`): they may define
    notes: list[str] = field(default_factory=list)


def blank(text: str, start: int, end: int) -> str:
    """Blank text[start:end], keeping newlines: offsets and line numbers stay put."""
    return text[:start] + "".join("\n" if c == "\n" else " " for c in text[start:end]) + text[end:]


def blank_all(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank several spans at once, in one pass (blanking them one by one is quadratic)."""
    if not spans:
        return text
    parts = []
    at = 0
    for start, end in sorted(spans):
        start = max(start, at)
        if end <= start:
            continue
        parts.append(text[at:start])
        parts.append("".join("\n" if c == "\n" else " " for c in text[start:end]))
        at = end
    parts.append(text[at:])
    return "".join(parts)


class Braces:
    """Where each `{` of a text is closed, found in one pass (searching from every `{`
    again would be quadratic on a hostile file)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.closing: dict[int, int] = {}
        stack: list[int] = []
        i = 0
        while i < len(text):
            char = text[i]
            if char == "\\":
                i += 2
                continue
            if char == "{":
                stack.append(i)
            elif char == "}" and stack:
                self.closing[stack.pop()] = i
            i += 1

    def group(self, opened: int) -> tuple[str, int] | None:
        """The contents of the group whose `{` is at `opened` and the index after it; None
        if it is never closed."""
        close = self.closing.get(opened)
        return None if close is None else (self.text[opened + 1:close], close + 1)

    def after(self, opened: int) -> int:
        """The index just after the group whose `{` is at `opened` (len(text) if unclosed)."""
        close = self.closing.get(opened)
        return len(self.text) if close is None else close + 1


def closing_brace(text: str, opened: int) -> int:
    """The index just after the brace group whose `{` is at `opened` (len(text) if none):
    for short texts (one row); whole blocks use `Braces`."""
    return Braces(text).after(opened)


_BEGIN_END = re.compile(r"\\(begin|end)\s*\{([^{}]*)\}")


def _opaque_spans(text: str) -> list[tuple[int, int]]:
    """Inner environments (matrices, cases, arrays): their `\\\\` and `&` are not rows."""
    spans = []
    stack: list[int] = []
    for match in _BEGIN_END.finditer(text):
        if match[1] == "begin":
            stack.append(match.start())
        elif stack:
            start = stack.pop()
            if not stack:
                spans.append((start, match.end()))
    return spans


_ARRAY = re.compile(r"\A\s*(?:\\displaystyle\s*)?"
                    r"(?P<begin>\\begin\s*\{array\}\s*\{\s*[lcr]\s*[lcr]\s*[lcr]\s*\})"
                    r"(?P<rows>.*)(?P<end>\\end\s*\{array\})[\s.,;]*\Z", re.S)
_ARRAY_RELATION = re.compile(r"\s*(?:=|\\approx|\\leq?|\\geq?|<|>|\\ne(?:q)?)?\s*\Z")


def _array_as_alignment(body: str) -> str:
    r"""A display that is one `\begin{array}{lcl}` whose middle column holds relations
    (`f'(a) &=& \lim … \\ &=& …`, TU Delft's layout): the array only aligns, like
    eqnarray, so its begin and end are blanked (offsets stay put). A matrix keeps them."""
    found = _ARRAY.match(body)
    if found is None:
        return body
    inner = found["rows"]
    if re.search(r"\\begin\s*\{", inner):
        return body
    for row in re.split(r"\\\\", inner):
        if not row.strip():
            continue
        columns = row.split("&")
        if len(columns) != 3 or not _ARRAY_RELATION.match(columns[1]) or not columns[1].strip():
            return body
    return blank_all(body, [found.span("begin"), found.span("end")])


def rows(body: str, offset: int, *, multline: bool = False) -> list[RawChain]:
    """The chains of one block. `body` starts at `offset` in the file."""
    body = _MARKUP.sub(lambda m: " " * len(m.group()), body)
    body = _WRAPPER.sub(lambda m: " " * len(m.group()), body)
    if "\\begin" in body:
        body = _array_as_alignment(body)
    if not body.strip():
        return []
    breaks: list[tuple[int, int]] = []  # (start, end) of each row separator
    braces = Braces(body) if "\\intertext" in body or "\\shortintertext" in body else None
    for found in _INTERTEXT.finditer(body):
        assert braces is not None
        breaks.append((found.start(), braces.after(found.end() - 1)))
    opaque = sorted(_opaque_spans(body))
    depth = 0
    ampersands = []
    position = 0
    inner = 0  # the next inner environment, skipped whole
    while True:
        mark = _STRUCTURE.search(body, position)
        if mark is None:
            break
        at = mark.start()
        while inner < len(opaque) and opaque[inner][1] <= at:
            inner += 1
        if inner < len(opaque) and opaque[inner][0] <= at:
            position = opaque[inner][1]
            continue
        token = mark.group()
        position = mark.end()
        if token == "\\\\":
            if depth == 0:
                spacing = _ROW_SPACING.match(body, position)
                end = spacing.end() if spacing else position
                breaks.append((at, end))
                position = end
        elif token == "{":
            depth += 1
        elif token == "}":
            depth = max(0, depth - 1)
        elif token == "&" and depth == 0:
            ampersands.append(at)
    breaks.sort()
    pieces = []
    at = 0
    for start, end in breaks:
        if start >= at:
            pieces.append((at, start))
            at = end
    pieces.append((at, len(body)))
    ampersand_set = set(ampersands)
    chains: list[RawChain] = []
    current: RawChain | None = None
    for start, end in pieces:
        text = body[start:end]
        if not text.strip():
            continue
        first_column_empty = False
        columns = _columns(text, start, ampersand_set)
        if len(columns) > 1 and not columns[0][1].strip():
            first_column_empty = True
        groups = _equations(columns)
        for number, group in enumerate(groups):
            math, note = _math_and_note(group)
            row = _Row(math, offset + start, note, aligned=len(columns) > 1)
            if number == 0:
                current = _read_row(row, current, chains,
                                    continues=first_column_empty or multline)
            else:  # `u &= x & v &= \sin x`: a second equation beside the first
                _read_row(row, None, chains, continues=False)
    return chains


def _equations(columns: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """An align row holds equations side by side, two columns each (`u &= x & v &= y`):
    a column pair whose left column holds an expression and whose right one starts with a
    relation is an equation of its own. Every other column belongs to the first."""
    if len(columns) < 4:
        return [columns]
    groups = [columns[:2]]
    index = 2
    while index < len(columns):
        left, right = columns[index], columns[index + 1] if index + 1 < len(columns) else None
        if (right is not None and _SPACING.sub("", left[1]).strip() and not _is_note(left[1])
                and _RELATION.match(right[1].lstrip()) and not _is_note(right[1])):
            groups.append([left, right])
        else:
            groups[0] = [*groups[0], left] + ([right] if right is not None else [])
        index += 2
    if len(groups) == 1:
        return [columns]
    width = columns[-1][0] + len(columns[-1][1])
    # each equation keeps its offsets: the other columns are blanked around it
    return [[(0, _only(group, width))] for group in groups]


def _only(group: list[tuple[int, str]], width: int) -> str:
    chars = [" "] * width
    for at, text in group:
        chars[at:at + len(text)] = text
    return "".join(chars)


def _columns(text: str, start: int, ampersands: set[int]) -> list[tuple[int, str]]:
    """(offset in the row, text) of each &-column."""
    columns = []
    at = 0
    for i in range(len(text)):
        if start + i in ampersands:
            columns.append((at, text[at:i]))
            at = i + 1
    columns.append((at, text[at:]))
    return columns


def _math_and_note(columns: list[tuple[int, str]]) -> tuple[str, str]:
    """The row with `&` blanked and note columns removed, and the notes' words."""
    if len(columns) == 1:
        return columns[0][1], ""
    width = columns[-1][0] + len(columns[-1][1])
    chars = [" "] * width
    notes = []
    for index, (at, text) in enumerate(columns):
        if index >= 1 and _is_note(text) and not (
                _words(text).lower() in ("and", "or")
                and any("=" in later for _, later in columns[index + 1:])):
            # (a lone `\text{and}` between two equations separates them: `_wide_space`)
            notes.append(_words(text))
            text = " " * len(text)
        chars[at:at + len(text)] = text
    return "".join(chars), " ".join(n for n in notes if n)


def _is_note(text: str) -> bool:
    """Is a column words only (`\\text{(regroup)}`, `\\left(\\text{\\scriptsize \\parbox{…}{…}}
    \\right)`)? What its text commands hold (math in words too) is not looked at; what
    stands outside them must relate nothing."""
    stripped = _SPACING.sub("", text).strip()
    if not stripped:
        return False
    inner = re.sub(r"^(?:\\left\s*)?\(\s*", "(", stripped)
    if not inner.lstrip("(").startswith(("\\text", "\\mbox", "\\textrm", "\\textit",
                                         "\\parbox")):
        return False
    rest = []
    at = 0
    braces = Braces(stripped)
    for found in _TEXT_COMMAND.finditer(stripped):
        if found.start() < at:
            continue
        if found.group().startswith("\\parbox") and not _worded(
                stripped[found.end():braces.after(found.end() - 1) - 1]):
            return False  # math set in a box
        rest.append(stripped[at:found.start()])
        at = braces.after(found.end() - 1)
    rest.append(stripped[at:])
    return not re.search(r"[=<>]|\\(?:approx|le|ge)(?![A-Za-z])", "".join(rest))


def _worded(text: str) -> bool:
    """Does a box hold words besides its math (`\\centering Use trig identity $…$`)?"""
    outside = re.sub(r"\$[^$]*\$", " ", _TYPESETTING.sub(" ", text))
    return re.search(r"[A-Za-z]{2,}", re.sub(r"\\[A-Za-z]+", " ", outside)) is not None


def _words(text: str) -> str:
    words = _TYPESETTING.sub(" ", text)
    words = re.sub(r"\\(?:text|textrm|textit|textbf|textnormal|mbox|mathrm)\s*\{", "", words)
    words = re.sub(r"\\q?quad(?![A-Za-z])|\\[,;:! ]|[{}]", " ", words)
    words = " ".join(words.split())
    if words.startswith("(") and words.endswith(")"):
        words = words[1:-1].strip()
    return words


@dataclass
class _Row:
    text: str
    offset: int
    note: str
    aligned: bool = False  # the row has & columns


def _split_relations(text: str) -> list[tuple[str, int, int]]:
    """Top-level relations of a row: (name, start, end), outside braces and brackets."""
    found = []
    depth = 0
    paren = 0
    i = 0
    while i < len(text):
        char = text[i]
        if char == "{":
            depth += 1
            i += 1
            continue
        if char == "}":
            depth = max(0, depth - 1)
            i += 1
            continue
        if char in "([":
            paren += 1
        elif char in ")]":
            paren = max(0, paren - 1)
        if depth == 0 and paren == 0 and char in "=<>:\\":
            match = _RELATION.match(text, i)
            if match is not None:
                if match["over"]:
                    # \overset{note}{=}: an `=` with its justification written above it
                    first_end = closing_brace(text, match.end() - 1)
                    second = re.match(r"\s*\{", text[first_end:])
                    if second:
                        second_end = closing_brace(text, first_end + second.end() - 1)
                        inner = text[first_end + second.end():second_end - 1].strip()
                        if inner == "=":
                            found.append(("=" + "\0" + _words(text[match.end():first_end - 1]),
                                          i, second_end))
                            i = second_end
                            continue
                    i = match.end()
                    continue
                name = match.group()
                if match["define"]:
                    name = ":="
                elif match["other"]:
                    name = {"<=": r"\le", ">=": r"\ge"}.get(name, name)
                found.append((name, i, match.end()))
                i = match.end()
                continue
        if char == "\\":
            i += 2
            continue
        i += 1
    return found


def _note_start(text: str) -> int | None:
    """Where a trailing note (`\\quad \\text{by the chain rule}`, `, x > 0`) starts."""
    for found in _TEXT_COMMAND.finditer(text):
        words = _words(text[found.start():closing_brace(text, found.end() - 1)])
        first = words.split(" ", 1)[0].lower().rstrip(",:") if words else ""
        if words.strip().lower() in ("and", "or") and "=" in text[
                closing_brace(text, found.end() - 1):]:
            continue  # `u'(x) = 1 \text{and} v(x) = e^x`: two equations (`_wide_space`)
        if found.group().startswith("\\parbox") and not _worded(
                text[found.end():closing_brace(text, found.end() - 1) - 1]):
            continue  # `\parbox{50pt}{$\ln (x^x)$}`: math set in a box, not a note
        lead = _NOTE_LEAD.search(text[:found.start()])
        if words and (" " in words or first in _NOTE_WORDS or words.endswith(":")
                      or found.group().startswith("\\parbox")
                      # one word after a wide space: `\qquad (\textbf{INCORRECT})`
                      or (lead is not None and "quad" in lead.group())):
            return lead.start() if lead else found.start()
    return None


def _read_row(row: _Row, current: RawChain | None, chains: list[RawChain], *,
              continues: bool) -> RawChain | None:
    text = row.text
    note = row.note
    awaited = current is not None and bool(current.relations) and current.ended_by is None \
        and not clean(current.expressions[-1].text)  # the row above ended with `&=`
    if not any(char in text for char in "=<>:\\") and not continues and not awaited and (
            current is None or not _CONTINUES.match(text.lstrip())):
        # no relation, and nothing to continue: a row of an `align` that claims nothing
        return None
    cut = _note_start(text) if "\\" in text else None
    if cut is None and any(char in text for char in "<>\\"):
        cut = trailing(text)  # `, x \ne 0` after the last step: a hypothesis, not a step
    written_note = ""
    if cut is not None:
        note = note or _words(text[cut:])
        written_note = text[cut:]
        text = text[:cut] + " " * (len(text) - cut)
    relations = _split_relations(text)
    parts = []
    at = 0
    for name, start, end in relations:
        parts.append((text[at:start], at))
        parts.append((name, start))
        at = end
    parts.append((text[at:], at))
    pieces = [(p, o) for p, o in parts]
    leading, lead_at = pieces[0]
    lead_empty = not _SPACING.sub("", leading).strip()
    if relations and lead_empty:
        if current is None:  # `&= …` with nothing above it
            current = RawChain()
            chains.append(current)
            current.expressions.append(Expression("", row.offset))
        index = 1
    else:
        body = _SPACING.sub("", leading).strip() if leading.strip() else ""
        # a leading `+`/`-` continues the expression above only where no column says
        # otherwise (in an align, a row with its own left column starts a new equation)
        if current is not None and current.expressions and body and (
                continues or (_CONTINUES.match(body) and not row.aligned)
                or _open_left(current.expressions[-1].text)):
            last = current.expressions[-1]
            last.text = _join(last.text, leading)
            index = 1
        elif (current is not None and current.relations and body and current.ended_by is None
              and not clean(current.expressions[-1].text)):
            # `A &= \\ B &= \\ C & = D`: a row that ends with its relation continues on the
            # next row, whose left column is the next expression
            current.expressions[-1] = Expression(leading, row.offset + lead_at)
            index = 1
        elif body:
            current = RawChain()
            chains.append(current)
            current.expressions.append(Expression(leading, row.offset + lead_at))
            index = 1
        else:
            return current
    while index < len(pieces):
        name, at = pieces[index]
        expression, expr_at = pieces[index + 1]
        assert current is not None
        if name.startswith("="):
            name, _, above = name.partition("\0")
            relation = Relation("=", row.offset + at, above)
        else:
            relation = Relation(name, row.offset + at)
        split = _wide_space(expression) if index + 2 < len(pieces) else None
        if name in STATEMENT_RELATIONS:
            current.ended_by = relation
            current.end = row.offset + at
            current = RawChain()
            chains.append(current)
            current.expressions.append(Expression(expression, row.offset + expr_at))
        elif split is not None:
            current.relations.append(relation)
            current.expressions.append(Expression(expression[:split[0]], row.offset + expr_at))
            current.end = row.offset + expr_at + split[0]
            current = RawChain()
            chains.append(current)
            current.expressions.append(Expression(" " * split[1] + expression[split[1]:],
                                                  row.offset + expr_at))
        else:
            current.relations.append(relation)
            current.expressions.append(Expression(expression, row.offset + expr_at))
        index += 2
    if current is not None:
        if written_note:
            current.notes.append(written_note)
        current.end = row.offset + len(row.text.rstrip())
        if note and current.relations and not current.relations[-1].note:
            current.relations[-1].note = note
    return current


def _wide_space(text: str) -> tuple[int, int] | None:
    """(start, end) of a wide space at the top level of `text` with an expression on each
    side, or None."""
    depth = 0
    for found in _WIDE_SPACE.finditer(text):
        depth = text.count("{", 0, found.start()) - text.count("}", 0, found.start())
        parens = text.count("(", 0, found.start()) - text.count(")", 0, found.start())
        if depth or parens:
            continue
        before, after = clean(text[:found.start()]), clean(text[found.end():])
        if before and after and not _is_note(text[found.end():].strip()):
            return found.start(), found.end()
    return None


def clean(text: str) -> str:
    """An expression without the spacing and punctuation at its edges (`x^2,` `\\quad`)."""
    return _SPACING.sub("", text).strip()


def _open_left(text: str) -> bool:
    """Does the expression end inside a `\\left` … `\\right.` written across rows?"""
    return bool(_RIGHT_DOT.search(text)) or (
        text.count("\\left") > text.count("\\right"))


def _join(first: str, second: str) -> str:
    """One expression written across two rows; a `\\right.` … `\\left.` pair is dropped."""
    first = _RIGHT_DOT.sub("", first.rstrip())
    second = _LEFT_DOT.sub("", second)
    return f"{first} {second}"
