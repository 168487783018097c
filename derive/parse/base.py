"""What derive's two parsers share: size bounds, tokens, the tokenizer loop, and the
precedence levels every expression has (sums of terms, signs, powers).

`derive.parse.expression` reads derive's own syntax (`x**2 + sin(x)`), `derive.parse.latex`
the LaTeX people write (`x^2 + \\sin x`). Both build SymPy objects directly from their own
tokens (no `eval`, `sympify` or `parse_expr`), and both must refuse the same things before
SymPy would compute them: too long, too deep, a number too long, a power too large. Those
bounds, and the loop that turns text into tokens under them, live here once.

    expression := term (('+' | '-') term)*        ParserBase.expression
    unary      := ('+' | '-') unary | power       ParserBase.unary
    term, power, atoms                            each parser's own (the notations differ)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

import sympy

from derive.errors import ParseError

MAX_LENGTH = 2000  # characters of derive's syntax; LaTeX may be twice as long (`\left(`)
MAX_TOKENS = 2000
MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 100  # digits a number may be written with
# Every exact number the parser builds (written, or folded by SymPy: 2**1000, 1e-300*1e-300)
# has a numerator and denominator of at most this many digits: the plot and the NumPy code
# evaluate in doubles (about 1e-308 to 1e308), and a longer integer cannot even be printed
# (Python refuses str() of an int over 4300 digits).
MAX_VALUE_DIGITS = 308
# A number as an exponent: at most this in size, numerator and denominator. x**(10**300) is a
# polynomial no exact check can hold in memory, and sqrt(2)**(10**5000) an integer SymPy would
# compute for ever; x**1000 and x**(1/7) are fine.
MAX_EXPONENT = 10_000
_LOG10_2 = math.log10(2)

# The two lowest precedence levels, the same in both notations.
ADDITIVE = frozenset({"+", "-"})
SIGNS = ADDITIVE


def digits(n: int) -> float:
    """log10 |n| (n != 0), without converting a huge n to a string or a float."""
    n = abs(n)
    if n.bit_length() < 1000:
        return math.log10(n)
    shift = n.bit_length() - 64
    return math.log10(n >> shift) + shift * _LOG10_2


_UNDEFINED_OR_INFINITE = (sympy.S.ComplexInfinity, sympy.S.NaN, sympy.S.Infinity,
                          sympy.S.NegativeInfinity)
# Below 2**1023 (< 10**307.96) an integer is within MAX_VALUE_DIGITS whichever bound is asked:
# the bit length answers for the numbers people write, without a logarithm.
_SMALL_BITS = 1023


def value_problem(value: sympy.Expr) -> str | None:
    """Why a number the parser built must be refused (too large, too small, undefined), or
    None. Only the node itself and its direct arguments are looked at: SymPy folds numbers
    into the top of the node it builds, and everything below was checked when it was built."""
    # These values are SymPy singletons, and the parsers build no Float that could equal
    # one: `is` says what `==` would, without sympifying (this runs at every node).
    for special in _UNDEFINED_OR_INFINITE:
        if value is special:
            return "undefined value (a division by zero, or a function outside its domain)"
    for part in (value, *value.args):
        if part.is_Rational:
            p, q = part.p, part.q
            if p.bit_length() <= _SMALL_BITS and q.bit_length() <= _SMALL_BITS:
                continue
            if p and digits(p) >= MAX_VALUE_DIGITS + 1:
                return f"number too large (beyond 1e{MAX_VALUE_DIGITS})"
            if digits(q) > MAX_VALUE_DIGITS:
                return f"number too small (a fraction finer than 1e-{MAX_VALUE_DIGITS})"
        elif part is sympy.S.ComplexInfinity or part is sympy.S.NaN:
            return "undefined value (a division by zero, or a function outside its domain)"
    return None


def power_problem(base: sympy.Expr, exponent: sympy.Expr) -> str | None:
    """Why base**exponent must be refused before SymPy builds it (a huge number, an exponent
    no check can work with, a division by zero), or None. Shared by both parsers, so LaTeX
    input is bounded exactly as derive's syntax is."""
    if exponent.is_Rational:
        if abs(exponent.p) > MAX_EXPONENT or exponent.q > MAX_EXPONENT:
            return f"exponent too large (a number exponent is at most {MAX_EXPONENT}, " \
                   f"with a denominator of at most {MAX_EXPONENT})"
        if base == 0 and exponent.is_negative:
            return "division by zero"
        # SymPy folds a power of a number, or of a power of one (sqrt(2)**1000 = 2**500), at
        # once: estimate the size of what it would build first.
        number, power = base, exponent
        if base.is_Pow and base.base.is_Rational and base.exp.is_Rational:
            number, power = base.base, exponent * base.exp
        if number.is_Rational and number not in (0, 1, -1):
            size = abs(power) * max(digits(number.p), digits(number.q))
            if size >= MAX_VALUE_DIGITS + 1:
                return f"power too large (the number would pass 1e{MAX_VALUE_DIGITS})"
    elif exponent.is_Number:  # a Float never comes from derive's parsers; refuse rather than guess
        return "exponent too large"
    return None


def check_length(text: str, limit: int, where: str) -> None:
    """Refuse a text longer than `limit` characters before tokenizing it."""
    if len(text) > limit:
        raise ParseError(f"expression too long ({len(text)} characters; at most {limit})",
                         text[:80], 80, where=where)


@dataclass(frozen=True)
class Token:
    kind: str  # each parser's kinds, and "end" after the last token ("error": see ParserBase.token)
    text: str
    position: int


T = TypeVar("T", bound=Token)


def scan(text: str, pattern: re.Pattern[str], make: Callable[[re.Match[str], str, int], T],
         unmatched: Callable[[str, int], T], end: Callable[[int], T], where: str = "") -> list[T]:
    """The tokens of `text`: at each position the first alternative of `pattern` that matches,
    made into a token by `make(match, group name, position)`; a group named `space` is
    skipped. Where nothing matches, `unmatched(text, position)` gives a one-character token
    (or raises). At most MAX_TOKENS tokens, then `end(len(text))`."""
    tokens: list[T] = []
    position = 0
    while position < len(text):
        match = pattern.match(text, position)
        if match is None:
            tokens.append(unmatched(text, position))
            next_position = position + 1
        else:
            kind = match.lastgroup or ""
            if kind != "space":
                tokens.append(make(match, kind, position))
            next_position = match.end()
        if len(tokens) > MAX_TOKENS:
            raise ParseError(f"expression too long (more than {MAX_TOKENS} tokens)", text,
                             position, where=where)
        position = next_position
    tokens.append(end(len(text)))
    return tokens


def number_too_long(text: str) -> str | None:
    """Why a number written as `text` is refused before SymPy reads it, or None."""
    if sum(char.isdigit() for char in text) > MAX_NUMBER_DIGITS:
        return f"number too long (more than {MAX_NUMBER_DIGITS} digits)"
    return None


def exact_number(text: str) -> sympy.Rational:
    """The exact value of a number written in digits, with at most one decimal point."""
    if text.isascii() and text.isdigit():  # most numbers: Integer, not Rational's string parsing
        return sympy.Integer(int(text))
    return sympy.Rational(text)


class ParserBase(Generic[T]):
    """Token access, nesting depth, and the precedence levels both notations share. A
    subclass sets `tokens` and gives `term()` (products), `power()` and `trailing()` (what
    to say about a token left over after a whole expression)."""

    tokens: list[T]

    def __init__(self, text: str, where: str) -> None:
        self.text = text
        self.where = where
        self.index = 0
        self.depth = 0

    # -- tokens --------------------------------------------------------------------

    def error(self, message: str, position: int) -> ParseError:
        return ParseError(message, self.text, position, where=self.where)

    @property
    def token(self) -> T:
        """The current token. An "error" token (what the tokenizer could not read) is raised
        only when the parser reaches it, so the first problem in reading order is reported."""
        token = self.tokens[self.index]
        if token.kind == "error":
            raise self.error(token.text, token.position)
        return token

    def peek(self, ahead: int = 1) -> T:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def advance(self) -> T:
        token = self.token
        self.index += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        token = self.token
        return token.kind == kind and (text is None or token.text == text)

    @contextmanager
    def deeper(self, position: int) -> Iterator[None]:
        """One level of nesting (a bracket, a sign, an argument), at most MAX_DEPTH: deep
        input is refused before Python's own recursion limit is reached."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"expression nested too deeply (more than {MAX_DEPTH} levels)",
                             position)
        try:
            yield
        finally:
            self.depth -= 1

    # -- grammar -------------------------------------------------------------------

    def parse(self) -> sympy.Expr:
        if self.token.kind == "end":
            raise self.error("empty expression", 0)
        expr = self.expression()
        token = self.token
        if token.kind != "end":
            raise self.error(self.trailing(token), token.position)
        return expr

    def trailing(self, token: T) -> str:
        raise NotImplementedError

    def expression(self) -> sympy.Expr:
        """term (('+' | '-') term)*"""
        with self.deeper(self.token.position):
            left = self.term()
            while self.token.kind == "op" and self.token.text in ADDITIVE:
                op = self.advance()
                right = self.term()
                left = self.checked(left + right if op.text == "+" else left - right,
                                    op.position)
            return self.after_sum(left)

    def after_sum(self, expr: sympy.Expr) -> sympy.Expr:
        """What may follow a whole sum (LaTeX: an evaluation bar)."""
        return expr

    def unary(self) -> sympy.Expr:
        """('+' | '-') unary | power: a sign binds looser than a power, -x^2 = -(x^2)."""
        token = self.token
        if token.kind == "op" and token.text in SIGNS:
            op = self.advance()
            with self.deeper(op.position):
                operand = self.unary()
            return operand if op.text == "+" else -operand
        return self.power()

    def term(self) -> sympy.Expr:
        raise NotImplementedError

    def power(self) -> sympy.Expr:
        raise NotImplementedError

    # -- values --------------------------------------------------------------------

    def checked(self, value: sympy.Expr, position: int) -> sympy.Expr:
        """`value`, or a ParseError where a parser refuses what SymPy folded (the plain
        syntax: see value_problem). The LaTeX reader keeps every value it built."""
        return value

    def divide(self, left: sympy.Expr, right: sympy.Expr, position: int) -> sympy.Expr:
        if right == 0:
            raise self.error("division by zero", position)
        return self.checked(left / right, position)

    def checked_power(self, base: sympy.Expr, exponent: sympy.Expr, position: int) -> sympy.Expr:
        """base**exponent, refused when it would be a huge number or a division by zero."""
        problem = power_problem(base, exponent)
        if problem:
            raise self.error(problem, position)
        return self.checked(sympy.Pow(base, exponent), position)

    def number_digits(self, text: str, position: int) -> None:
        problem = number_too_long(text)
        if problem:
            raise self.error(problem, position)
