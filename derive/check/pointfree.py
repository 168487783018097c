r"""Functions written without their argument: `h = f \circ g`, `p = fg`, `q = \frac{f}{g}`,
and `(f \circ g)'(x)`, `(fg)'(a)`, `\left(\frac{f}{g}\right)'(x)`, `(h \circ k)(x)`.

Textbooks state the chain, product and quotient rules this way. `applied` writes such an
expression at a variable in the notation the LaTeX reader knows (`f \circ g` at x is
`f(g(x))`, `fg` is `f(x)g(x)`); `calls` rewrites the bracketed forms of a row. Which letters
are functions is the caller's to say (`is_function`): a letter that is not one makes the
whole expression not point-free, so `(ab)'(x)` of two numbers is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from derive.parse.latex import GREEK

_TOKEN = re.compile(r"\s*(\\circ(?![A-Za-z])|\\cdot(?![A-Za-z])|\\[dt]?frac(?![A-Za-z])"
                    r"|\\left\s*\(|\\right\s*\)|\\[A-Za-z]+|[A-Za-z]|\d+|[(){}+-])")
# what a prime and an argument look like after a bracket: `'(x)`, `''(a)`, `(\theta)`
_CALL = re.compile(r"\s*(?P<primes>'*)\s*\(\s*(?P<var>[A-Za-z]|\\[A-Za-z]+)\s*\)")


class _NotPointFree(Exception):
    pass


class _Reader:
    def __init__(self, text: str, is_function: Callable[[str], bool]) -> None:
        self.tokens: list[str] = []
        at = 0
        text = text.strip()
        while at < len(text):
            found = _TOKEN.match(text, at)
            if found is None:
                raise _NotPointFree
            token = re.sub(r"\s+", "", found.group(1))
            self.tokens.append({"\\left(": "(", "\\right)": ")"}.get(token, token))
            at = found.end()
        self.index = 0
        self.is_function = is_function
        self.letters = 0

    def peek(self) -> str:
        return self.tokens[self.index] if self.index < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if not token or (expected is not None and token != expected):
            raise _NotPointFree
        self.index += 1
        return token

    def expression(self, var: str) -> str:
        out = self.term(var)
        while self.peek() in ("+", "-"):
            out += f" {self.take()} {self.term(var)}"
        return out

    def term(self, var: str) -> str:
        parts = [self.factor(var)]
        while self.peek() and self.peek() not in ("+", "-", ")", "}"):
            if self.peek() == "\\cdot":
                self.take()
            parts.append(self.factor(var))
        return " \\cdot ".join(parts)

    def factor(self, var: str) -> str:
        token = self.peek()
        if token.isdigit():
            return self.take()
        if token in ("\\frac", "\\dfrac", "\\tfrac"):
            self.take()
            self.take("{")
            top = self.expression(var)
            self.take("}")
            self.take("{")
            bottom = self.expression(var)
            self.take("}")
            return f"\\frac{{{top}}}{{{bottom}}}"
        return self.composition(var)

    def composition(self, var: str) -> str:
        """`f \\circ g \\circ h` at var: f(g(h(var))); a bracket of a point-free expression
        is one link."""
        links = [self.link()]
        while self.peek() == "\\circ":
            self.take()
            links.append(self.link())
        inside = var
        for link in reversed(links):
            inside = self.at(link, inside)
        return inside

    def link(self) -> str | _Reader:
        token = self.take()
        if token == "(":
            start = self.index
            depth = 1
            while depth:
                depth += {"(": 1, ")": -1}.get(self.take(), 0)
            inner = _Reader("", self.is_function)
            inner.tokens = self.tokens[start:self.index - 1]
            return inner
        name = token.removeprefix("\\")
        if (len(name) != 1 and name not in GREEK) or name in "ed" or not self.is_function(name):
            raise _NotPointFree
        if self.peek() == "(":
            raise _NotPointFree  # `f(u)`: f applied, not f itself
        self.letters += 1
        return token

    def at(self, link: str | _Reader, var: str) -> str:
        if isinstance(link, str):
            return f"{link}({var})"
        result = f"\\left({link.expression(var)}\\right)"
        if link.index != len(link.tokens):
            raise _NotPointFree
        self.letters += link.letters
        return result


def applied(text: str, var: str, is_function: Callable[[str], bool],
            least: int = 1) -> str | None:
    r"""`text`, a point-free expression of `least` functions or more (`f \circ g`, `fg`,
    `\frac{f}{g}`), at `var`, as LaTeX; None when it is not one (a letter that is no
    function, a number alone, anything else)."""
    try:
        reader = _Reader(text, is_function)
        out = reader.expression(var)
    except (_NotPointFree, RecursionError):
        return None
    if reader.index != len(reader.tokens) or reader.letters < least:
        return None
    return out


def calls(text: str, is_function: Callable[[str], bool]) -> str:
    r"""`text` with every `(P)(v)`, `(P)'(v)`, `\left(P\right)''(v)` of a point-free P of
    two functions or more written out: `\left(f(g(v))\right)`, `\frac{d}{dv}\left(…\right)`."""
    if "(" not in text or not ("\\circ" in text or ")'" in text or "right)'" in text):
        return text
    out = []
    at = 0
    for start in _openings(text):
        if start < at:
            continue
        end = _closing(text, start)
        if end is None:
            continue
        opener = re.match(r"\\left\s*\(|\(", text[start:])
        assert opener is not None
        inner_start = start + opener.end()
        inner_end = end - (len(text[:end]) - len(re.sub(r"\\right\s*$", "", text[:end])))
        call = _CALL.match(text, end + 1)
        if call is None:
            continue
        inner = text[inner_start:inner_end]
        var = call["var"]
        if "\\circ" not in inner and not call["primes"]:
            continue  # `(x+1)(x)` is a product, not a call
        body = applied(inner, var, is_function)
        if body is None or (re.fullmatch(r"\\?[A-Za-z]+\([^()]*\)", body)
                            and "\\circ" not in inner):
            continue  # `(f)'(x)` is f'(x): nothing point-free to write out
        order = len(call["primes"])
        if order:
            d = "d" if order == 1 else f"d^{order}"
            dx = f"d{var}" if order == 1 else f"d{var}^{order}"
            written = f"\\frac{{{d}}}{{{dx}}}\\left({body}\\right)"
        else:
            written = f"\\left({body}\\right)"
        out.append(text[at:start])
        out.append(written)
        at = call.end()
    out.append(text[at:])
    return "".join(out)


def _openings(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\\left\s*\(|(?<!\\left)\(", text)]


def _closing(text: str, start: int) -> int | None:
    """The index of the `)` that closes the bracket opened at `start`."""
    depth = 0
    index = start
    while index < len(text):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None
