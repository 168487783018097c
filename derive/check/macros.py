r"""A document's own macros: `\newcommand`, `\renewcommand`, `\providecommand`, `\def` and
`\DeclareMathOperator`, read as text and expanded by argument substitution only.

No TeX is run: a definition is a name, a number of arguments (with an optional default for
the first) and a body in which `#1` … `#9` are replaced. Expansion is bounded (depth and
length), so a macro that expands into itself ends with a clear error, not a hang.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from derive.errors import ParseError

MAX_EXPANSIONS = 200  # per expression: far more than any real row needs
MAX_LENGTH = 20_000  # characters after expansion

_NEWCOMMAND = re.compile(r"\\(?:re)?(?:new|provide)command\*?\s*(?:\{\s*(?P<braced>\\[A-Za-z@]+)"
                         r"\s*\}|(?P<bare>\\[A-Za-z@]+))\s*(?:\[(?P<count>\d)\])?"
                         r"\s*(?:\[(?P<default>[^\]]*)\])?\s*\{")
_DEF = re.compile(r"\\def\s*(?P<name>\\[A-Za-z@]+)(?P<params>(?:#\d)*)\s*\{")
_OPERATOR = re.compile(r"\\DeclareMathOperator\*?\s*\{\s*(?P<name>\\[A-Za-z@]+)\s*\}\s*\{")
_USE = re.compile(r"\\[A-Za-z@]+")


@dataclass(frozen=True)
class Macro:
    name: str  # with its backslash
    arguments: int
    default: str | None  # the first argument's default, when it is optional
    body: str


# LaTeX's own wrappers that only pass their argument on, as documents' macros use them
BUILTIN = {"\\ensuremath": Macro("\\ensuremath", 1, None, "#1"),
           "\\mathstrut": Macro("\\mathstrut", 0, None, " ")}


def definitions(text: str) -> dict[str, Macro]:
    """Every macro defined in `text` (comments already blanked), the last definition winning."""
    from derive.check.rows import Braces

    if "command" not in text and "\\def" not in text and "DeclareMathOperator" not in text:
        return {}
    braces = Braces(text)
    found: list[tuple[int, Macro]] = []
    for match in _NEWCOMMAND.finditer(text):
        group = braces.group(match.end() - 1)
        if group is None:
            continue
        name = match["braced"] or match["bare"]
        count = int(match["count"] or 0)
        found.append((match.start(), Macro(name, count, match["default"], group[0])))
    for match in _DEF.finditer(text):
        group = braces.group(match.end() - 1)
        if group is None:
            continue
        count = len(match["params"]) // 2
        found.append((match.start(), Macro(match["name"], count, None, group[0])))
    for match in _OPERATOR.finditer(text):
        group = braces.group(match.end() - 1)
        if group is None:
            continue
        body = group[0].strip()
        # an operator is a function name: \operatorname{ReLU}, which the parser reads
        found.append((match.start(), Macro(match["name"], 0, None, f"\\operatorname{{{body}}}")))
    defined = {macro.name: macro for _, macro in sorted(found, key=lambda f: f[0])}
    return {**BUILTIN, **defined} if defined else {}


def _argument(value: str, found: re.Match[str]) -> str:
    """An argument put in for #n, kept apart from a command written just before it."""
    command = found[1] or ""
    return command + (" " if command and value[:1].isalpha() else "") + value


def expand(text: str, macros: dict[str, Macro]) -> str:
    """`text` with the macros replaced; ParseError when expansion does not end."""
    if not macros or "\\" not in text:
        return text
    expansions = 0
    out = text
    position = 0
    while True:
        match = _USE.search(out, position)
        if match is None:
            return out
        macro = macros.get(match.group())
        if macro is None:
            position = match.end()
            continue
        expansions += 1
        if expansions > MAX_EXPANSIONS:
            raise ParseError(f"the macro {macro.name} expands more than {MAX_EXPANSIONS} times "
                             "(does it call itself?)", text, 0)
        args, end = _arguments(out, match.end(), macro)
        body = macro.body
        for number, value in enumerate(args, start=1):
            # `\hfil#1` with #1 = y must stay `\hfil y`, not become the command `\hfily`
            body = re.sub(rf"(\\[A-Za-z]+)?#{number}", functools.partial(_argument, value), body)
        # a space keeps `\fp x` from becoming `f'x` glued to a following letter command
        replacement = f"{{{body}}}" if macro.arguments else body
        if macro.arguments == 0 and end < len(out) and out[end:end + 1].isalpha() \
                and body[-1:].isalpha() and body.lstrip().startswith("\\"):
            replacement += " "
        out = out[:match.start()] + replacement + out[end:]
        position = match.start()
        if len(out) > MAX_LENGTH:
            raise ParseError(f"macros expand this to more than {MAX_LENGTH} characters", text, 0)


def _arguments(text: str, at: int, macro: Macro) -> tuple[list[str], int]:
    from derive.check.rows import Braces

    braces = Braces(text)
    args: list[str] = []
    remaining = macro.arguments
    if macro.default is not None and remaining:
        optional = re.match(r"\s*\[([^\]]*)\]", text[at:])
        if optional:
            args.append(optional[1])
            at += optional.end()
        else:
            args.append(macro.default)
        remaining -= 1
    for _ in range(remaining):
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            raise ParseError(f"the macro {macro.name} needs {macro.arguments} arguments",
                             text, at)
        if text[at] == "{":
            group = braces.group(at)
            if group is None:
                raise ParseError(f"an argument of {macro.name} is not closed", text, at)
            args.append(group[0])
            at = group[1]
        elif text[at] == "\\":
            command = _USE.match(text, at)
            end = command.end() if command else at + 2
            args.append(text[at:end])
            at = end
        else:
            args.append(text[at])
            at += 1
    return args, at
