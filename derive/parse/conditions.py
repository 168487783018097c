"""Python's conditional expression in derive's syntax, read into sympy.Piecewise.

    expr      := sum ('if' condition 'else' expr)?    chained: a if c else b if d else e
    condition := both ('or' both)*
    both      := test ('and' test)*
    test      := '(' condition ')' | sum (('<' | '<=' | '>' | '>=') sum)+   -1 <= x <= 1

`x if x > 0 else exp(x) - 1` is ELU as the catalog lists it, and Huber, hardshrink,
softshrink and threshold are written so. Nothing is executed: the condition is built from
SymPy relations, with the parser's own bounds (depth, tokens, numbers) on every part.

A mixin of derive.parse.expression's parser: it reads the same token lists (`kinds`,
`texts`, `positions`, the current index `at`), and that parser's `expression()` hands over
when a sum is followed by `if`. Kept apart so the parser's hot path stays as it is (one
comparison per expression).
"""

from __future__ import annotations

from collections.abc import Callable

import sympy

from derive.errors import ParseError

# The comparisons a condition may make; == and != are refused: a condition that holds at a
# single point changes nothing a derivative sees.
COMPARISONS: dict[str, Callable[[sympy.Expr, sympy.Expr], sympy.Basic]] = {
    "<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge}
# Words of a conditional: a number may stand before them (x if x > 0 else 0).
WORDS = frozenset({"if", "else", "and", "or"})
_EQUALITIES = ("==", "!=")
_NOT_SUPPORTED = "is not supported in a condition; use <, <=, > or >="


def misplaced(kind: str, text: str) -> str | None:
    """What to say about a token of a condition found where a value was expected (after a
    whole expression, or where one starts); None for any other token."""
    if text in COMPARISONS or text in _EQUALITIES:
        return "a comparison belongs in a condition: a if x > 0 else b"
    if kind != "name":
        return None
    if text in ("and", "or"):
        return f"'{text}' belongs in a condition: a if x > 0 {text} x < 1 else b"
    if text == "else":
        return "'else' without 'if'"
    if text == "not":
        return ("'not' is not supported in a condition; write the opposite comparison "
                "(x <= 0 for not x > 0)")
    return None


class Conditionals:
    """`a if condition else b`, for a parser over token lists (see the module docstring)."""

    kinds: list[str]
    texts: list[str]
    positions: list[int]
    at: int
    depth: int

    def error(self, message: str, position: int) -> ParseError:
        raise NotImplementedError

    def deeper(self, position: int) -> None:
        raise NotImplementedError

    def expression(self) -> sympy.Expr:
        raise NotImplementedError

    def term(self) -> sympy.Expr:
        raise NotImplementedError

    def checked(self, value: sympy.Expr, position: int) -> sympy.Expr:
        raise NotImplementedError

    def _word(self, word: str) -> bool:
        return self.kinds[self.at] == "name" and self.texts[self.at] == word

    def conditional(self, value: sympy.Expr) -> sympy.Expr:
        """The current token is `if` after the whole sum `value`: Python's reading, the
        condition tested first, the value after `else` everywhere else (itself possibly a
        conditional, whose cases are read on in order)."""
        self.at += 1
        start = self.positions[self.at]
        condition = self.condition()
        if not self._word("else"):
            found = "the end" if self.kinds[self.at] == "end" else repr(self.texts[self.at])
            raise self.error(f"a conditional needs 'else' and the value otherwise "
                             f"(a if x > 0 else b), but found {found}", self.positions[self.at])
        self.at += 1
        otherwise = self.expression()
        rows = [(value, condition)]
        rows += list(otherwise.args) if isinstance(otherwise, sympy.Piecewise) \
            else [(otherwise, sympy.true)]
        try:
            return self.checked(sympy.Piecewise(*rows), start)
        except (TypeError, ValueError) as error:
            reason = str(error).split("\n")[0][:120]
            raise self.error(f"cannot read this condition: {reason}", start) from None

    def condition(self) -> sympy.Basic:
        """both ('or' both)*"""
        self.deeper(self.positions[self.at])
        left = self.both()
        while self._word("or"):
            self.at += 1
            left = sympy.Or(left, self.both())
        self.depth -= 1
        return left

    def both(self) -> sympy.Basic:
        """test ('and' test)*"""
        left = self.test()
        while self._word("and"):
            self.at += 1
            left = sympy.And(left, self.test())
        return left

    def test(self) -> sympy.Basic:
        """'(' condition ')', or a chain of comparisons of sums: -1 <= x <= 1 is read as
        -1 <= x and x <= 1, as Python reads it."""
        start = self.at
        if self.texts[start] == "(" and self.holds_condition(start):
            self.at += 1
            inner = self.condition()
            if self.texts[self.at] != ")":
                raise self.error("unbalanced '('", self.positions[start])
            self.at += 1
            return inner
        left = self.operand()
        if self.texts[self.at] not in COMPARISONS:
            self._no_equality()
            raise self.error(f"a condition compares two values (x > 0), not {left}",
                             self.positions[start])
        tests = []
        while self.texts[self.at] in COMPARISONS:
            op = self.at
            self.at += 1
            right = self.operand()
            try:
                tests.append(COMPARISONS[self.texts[op]](left, right))
            except TypeError:  # a value that is not real: sqrt(-1) > 0
                raise self.error("cannot compare values that are not real numbers",
                                 self.positions[op]) from None
            left = right
        self._no_equality()
        return sympy.And(*tests)

    def _no_equality(self) -> None:
        if self.texts[self.at] in _EQUALITIES:
            raise self.error(f"'{self.texts[self.at]}' {_NOT_SUPPORTED}", self.positions[self.at])

    def operand(self) -> sympy.Expr:
        """A sum compared in a condition: the parser's sum without what may follow a whole
        expression (a conditional there needs parentheses, as in Python)."""
        self.deeper(self.positions[self.at])
        left = self.term()
        while self.texts[self.at] in ("+", "-") and self.kinds[self.at] == "op":
            op = self.at
            self.at += 1
            right = self.term()
            left = self.checked(left + right if self.texts[op] == "+" else left - right,
                                self.positions[op])
        self.depth -= 1
        return left

    def holds_condition(self, start: int) -> bool:
        """Whether the bracket at token `start` holds a condition ((x > 0 and x < 1),
        ((x > 0))) rather than a value ((x + 1) > 0): a comparison, 'and' or 'or' at its own
        level, or nothing but a bracket that holds one. Each bracket is scanned once."""
        known: dict[int, bool] = self.__dict__.setdefault("_condition_brackets", {})
        if start not in known:
            known[start] = self._scan_bracket(start)
        return known[start]

    def _scan_bracket(self, start: int) -> bool:
        level = 0
        for index in range(start, len(self.kinds)):
            text = self.texts[index]
            if text == "(":
                level += 1
                if level == 2 and index == start + 1 and self.holds_condition(index):
                    return True
            elif text == ")":
                level -= 1
                if level == 0:
                    return False
            elif level == 1 and (text in COMPARISONS or (
                    self.kinds[index] == "name" and text in ("and", "or"))):
                return True
            elif self.kinds[index] == "end":
                return False
        return False
