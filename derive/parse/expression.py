"""Read an expression the user typed into a SymPy tree, without ever executing it.

A hand-written tokenizer and precedence-climbing parser build SymPy objects directly from a
whitelist of names: no `eval`, `sympify` or `parse_expr`. Sizes are bounded so that input
such as ``10**10**10`` is refused before SymPy would try to compute it.

    expr   := term (('+' | '-') term)*
    term   := unary (('*' | '/') unary)*
    unary  := ('+' | '-') unary | power
    power  := atom (('**' | '^') unary)?          right-associative, binds tighter than '-'
    atom   := NUMBER | NAME | NAME '(' args ')' | '(' expr ')'

and after a whole sum, Python's conditional expression `a if x > 0 else b` (read into
sympy.Piecewise by derive.parse.conditions).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping

import sympy

from derive.errors import InputError, ParseError
from derive.parse import conditions
from derive.parse.base import (
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NUMBER_DIGITS,
    MAX_TOKENS,
    MAX_VALUE_DIGITS,
    Token,
    check_length,
    exact_number,
    number_too_long,
    power_problem,
    value_problem,
)

__all__ = ["CONSTANTS", "FUNCTIONS", "MAX_DEPTH", "MAX_EXPONENT", "MAX_LENGTH",
           "MAX_NUMBER_DIGITS", "MAX_RESULT_DIGITS", "MAX_TOKENS", "MAX_VALUE_DIGITS",
           "Token", "free_variable", "parse_expression", "power_problem", "tokenize",
           "value_problem"]

# The size bounds live in derive.parse.base (shared with the LaTeX reader); re-exported here
# under the names other modules import.
MAX_RESULT_DIGITS = MAX_VALUE_DIGITS  # the older name


def _log(*args: sympy.Expr) -> sympy.Expr:
    return sympy.log(args[0]) if len(args) == 1 else sympy.log(args[0], args[1])


# name -> (builder, allowed argument counts; None means one or more)
FUNCTIONS: dict[str, tuple[Callable[..., sympy.Expr], tuple[int, ...] | None]] = {
    "exp": (sympy.exp, (1,)),
    "log": (_log, (1, 2)),
    "ln": (sympy.log, (1,)),
    "log2": (lambda u: sympy.log(u, 2), (1,)),
    "log10": (lambda u: sympy.log(u, 10), (1,)),
    "sqrt": (sympy.sqrt, (1,)),
    "cbrt": (sympy.cbrt, (1,)),
    "sin": (sympy.sin, (1,)), "cos": (sympy.cos, (1,)), "tan": (sympy.tan, (1,)),
    "sec": (sympy.sec, (1,)), "csc": (sympy.csc, (1,)), "cot": (sympy.cot, (1,)),
    "asin": (sympy.asin, (1,)), "acos": (sympy.acos, (1,)), "atan": (sympy.atan, (1,)),
    "arcsin": (sympy.asin, (1,)), "arccos": (sympy.acos, (1,)), "arctan": (sympy.atan, (1,)),
    "sinh": (sympy.sinh, (1,)), "cosh": (sympy.cosh, (1,)), "tanh": (sympy.tanh, (1,)),
    "sech": (sympy.sech, (1,)), "csch": (sympy.csch, (1,)), "coth": (sympy.coth, (1,)),
    "asinh": (sympy.asinh, (1,)), "acosh": (sympy.acosh, (1,)), "atanh": (sympy.atanh, (1,)),
    "arcsinh": (sympy.asinh, (1,)), "arccosh": (sympy.acosh, (1,)),
    "arctanh": (sympy.atanh, (1,)),
    "asec": (sympy.asec, (1,)), "acsc": (sympy.acsc, (1,)), "acot": (sympy.acot, (1,)),
    "arcsec": (sympy.asec, (1,)), "arccsc": (sympy.acsc, (1,)), "arccot": (sympy.acot, (1,)),
    "asech": (sympy.asech, (1,)), "acsch": (sympy.acsch, (1,)), "acoth": (sympy.acoth, (1,)),
    "arcsech": (sympy.asech, (1,)), "arccsch": (sympy.acsch, (1,)),
    "arccoth": (sympy.acoth, (1,)),
    "erf": (sympy.erf, (1,)), "erfc": (sympy.erfc, (1,)),
    "abs": (sympy.Abs, (1,)), "Abs": (sympy.Abs, (1,)),
    "max": (sympy.Max, None), "Max": (sympy.Max, None),
    "min": (sympy.Min, None), "Min": (sympy.Min, None),
    "sign": (sympy.sign, (1,)),
    "heaviside": (sympy.Heaviside, (1,)), "Heaviside": (sympy.Heaviside, (1,)),
}
CONSTANTS: dict[str, sympy.Expr] = {"e": sympy.E, "E": sympy.E, "pi": sympy.pi}
# Words that read as code, not math: refused with a message that says so.
_CODE_WORDS = {"lambda", "import", "exec", "eval", "open", "def", "class", "for", "while",
               "if", "else", "return", "yield", "with", "from", "global", "del", "not",
               "and", "or", "is", "in", "None", "True", "False", "print", "compile",
               "getattr", "setattr", "globals", "locals", "vars", "type", "object"}

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|<=|>=|==|!=|[-+*/^(),<>])
""", re.VERBOSE)


_REFUSED_CHARACTERS = {
    ".": "attribute access is not allowed",
    "'": "strings are not allowed", '"': "strings are not allowed",
    "[": "brackets [ ] are not allowed; use parentheses",
    "]": "brackets [ ] are not allowed; use parentheses",
    "{": "braces { } are not allowed; use parentheses",
    "}": "braces { } are not allowed; use parentheses",
    "=": "'=' is not part of an expression",
    "!": "'!' is not part of an expression",
}


def tokenize(text: str, where: str = "") -> list[Token]:
    """The tokens of `text` (what the parser reads, as Token objects)."""
    kinds, texts, positions = _lex(text, where)
    return [Token(*token) for token in zip(kinds, texts, positions, strict=True)]


def _lex(text: str, where: str) -> tuple[list[str], list[str], list[int]]:
    """The tokens of `text` as three parallel lists (kind, text, position), the last token
    "end". A character no token starts with is refused at once, with what it looks like
    (attribute access, a string, brackets); at most MAX_TOKENS tokens. The same loop as
    derive.parse.base.scan, without a Token object per token: this runs for every line of
    every .derive file."""
    kinds: list[str] = []
    texts: list[str] = []
    positions: list[int] = []
    match_at = _TOKEN.match
    position = 0
    length = len(text)
    while position < length:
        match = match_at(text, position)
        if match is None:
            char = text[position]
            message = _REFUSED_CHARACTERS.get(char, f"unexpected character {char!r}")
            raise ParseError(message, text, position, where=where)
        kind = match.lastgroup
        if kind != "space":
            kinds.append(kind)  # type: ignore[arg-type]  # every alternative is named
            texts.append(match.group())
            positions.append(position)
            if len(kinds) > MAX_TOKENS:
                raise ParseError(f"expression too long (more than {MAX_TOKENS} tokens)", text,
                                 position, where=where)
        position = match.end()
    kinds.append("end")
    texts.append("")
    positions.append(length)
    return kinds, texts, positions


_SUM = ("+", "-")
_PRODUCT = ("*", "/")
_POWER = ("**", "^")


class _Parser(conditions.Conditionals):
    """Precedence climbing over the token lists, building SymPy values as it reads (the
    grammar in the module docstring; the sum and sign levels are those of
    derive.parse.base.ParserBase, which the LaTeX reader uses).

    It reads every line of every .derive file, so it keeps to plain loops: the current
    token is `self.at` into the lists, and nesting is a counter (an error ends the parse,
    so a level need not be left on the way out)."""

    def __init__(self, text: str, symbols: Mapping[str, sympy.Symbol],
                 functions: Mapping[str, Callable[..., sympy.Expr]], where: str) -> None:
        self.text = text
        self.where = where
        self.symbols = symbols
        self.functions = functions
        self.kinds, self.texts, self.positions = _lex(text, where)
        self.at = 0
        self.depth = 0

    def error(self, message: str, position: int) -> ParseError:
        return ParseError(message, self.text, position, where=self.where)

    def deeper(self, position: int) -> None:
        """One more level of nesting (a bracket, a sign, an argument), at most MAX_DEPTH:
        deep input is refused before Python's own recursion limit is reached. The caller
        takes the level back (`self.depth -= 1`) when the nested part is read."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"expression nested too deeply (more than {MAX_DEPTH} levels)",
                             position)

    def parse(self) -> sympy.Expr:
        if self.kinds[0] == "end":
            raise self.error("empty expression", 0)
        expr = self.expression()
        if self.kinds[self.at] != "end":
            raise self.error(self.trailing(self.at), self.positions[self.at])
        return expr

    def trailing(self, at: int) -> str:
        """What to say about a token left over after a whole expression."""
        kind, text = self.kinds[at], self.texts[at]
        said = conditions.misplaced(kind, text)
        if said:
            return said
        if kind in ("number", "name") or text == "(":
            return f"missing operator before {text!r} (write 2*x, not 2x)"
        if text == ")":
            return "unbalanced ')'"
        if text == ",":
            return "',' outside a function call"
        return f"unexpected {text!r}"

    def expression(self) -> sympy.Expr:
        """term (('+' | '-') term)*"""
        self.deeper(self.positions[self.at])
        left = self.term()
        texts = self.texts
        while texts[self.at] in _SUM and self.kinds[self.at] == "op":
            op = self.at
            self.at += 1
            right = self.term()
            left = self.checked(left + right if texts[op] == "+" else left - right,
                                self.positions[op])
        if texts[self.at] == "if" and self.kinds[self.at] == "name":
            left = self.conditional(left)  # a if x > 0 else b
        self.depth -= 1
        return left

    def term(self) -> sympy.Expr:
        """unary (('*' | '/') unary)*"""
        left = self.unary()
        texts = self.texts
        while texts[self.at] in _PRODUCT:
            op = self.at
            self.at += 1
            right = self.unary()
            if texts[op] == "*":
                left = self.checked(left * right, self.positions[op])
            else:
                if right == 0:
                    raise self.error("division by zero", self.positions[op])
                left = self.checked(left / right, self.positions[op])
        return left

    def unary(self) -> sympy.Expr:
        """('+' | '-') unary | power: a sign binds looser than a power, -x**2 = -(x**2)."""
        at = self.at
        if self.texts[at] in _SUM and self.kinds[at] == "op":
            self.at += 1
            self.deeper(self.positions[at])
            operand = self.unary()
            self.depth -= 1
            return operand if self.texts[at] == "+" else -operand
        return self.power()

    def power(self) -> sympy.Expr:
        """atom (('**' | '^') unary)?, right-associative."""
        base = self.atom()
        at = self.at
        if self.texts[at] in _POWER:
            self.at += 1
            position = self.positions[at]
            self.deeper(position)
            exponent = self.unary()
            self.depth -= 1
            problem = power_problem(base, exponent)
            if problem:
                raise self.error(problem, position)
            return self.checked(sympy.Pow(base, exponent), position)
        return base

    def checked(self, value: sympy.Expr, position: int) -> sympy.Expr:
        """`value`, unless it holds a number no check could evaluate (see value_problem)."""
        problem = value_problem(value)
        if problem:
            raise self.error(problem, position)
        return value

    def atom(self) -> sympy.Expr:
        at = self.at
        self.at += 1
        kind, text, position = self.kinds[at], self.texts[at], self.positions[at]
        if kind == "number":
            return self.number(text, position)
        if kind == "name":
            return self.name(text, position)
        if text == "(":
            self.deeper(position)
            inner = self.expression()
            self.depth -= 1
            if self.texts[self.at] != ")":
                if self.texts[self.at] in conditions.COMPARISONS:  # (x > 0) + 1
                    raise self.error(self.trailing(self.at), self.positions[self.at])
                raise self.error("unbalanced '('", position)
            self.at += 1
            return inner
        if kind == "end":
            raise self.error("the expression ends too early", position)
        raise self.error(f"unexpected {text!r}", position)

    def number(self, text: str, position: int) -> sympy.Expr:
        value: sympy.Expr
        if text.isdigit() and len(text) <= MAX_NUMBER_DIGITS:
            # most numbers: a plain integer, far below MAX_VALUE_DIGITS (value_problem
            # would find nothing to refuse)
            value = sympy.Integer(int(text))
        else:
            problem = number_too_long(text)
            if problem:
                raise self.error(problem, position)
            mantissa, _, exponent = text.lower().partition("e")
            # The exponent is read as at most a few digits: 1e999999999 is refused, not computed.
            if exponent and len(exponent.lstrip("+-").lstrip("0")) > 4:
                raise self.error("number too large", position)
            value = exact_number(mantissa) if mantissa != "." else sympy.S.Zero
            if exponent and value != 0:
                shift = int(exponent)
                if abs(shift) > 2 * MAX_VALUE_DIGITS + MAX_NUMBER_DIGITS:
                    raise self.error("number too large" if shift > 0 else "number too small",
                                     position)
                value = value * sympy.Integer(10) ** shift
            value = self.checked(value, position)
        if self.kinds[self.at] == "name" and self.texts[self.at] not in conditions.WORDS:
            raise self.error(f"missing operator after {text!r} (write 2*x, not 2x)",
                             self.positions[self.at])
        return value

    def name(self, text: str, position: int) -> sympy.Expr:
        if text.startswith("__") or text in _CODE_WORDS:
            said = None if text == "if" else conditions.misplaced("name", text)
            raise self.error(said or f"'{text}' is code, not mathematics", position)
        if self.texts[self.at] == "(":
            return self.call(text, position)
        if text in self.symbols:
            return self.symbols[text]
        if text in CONSTANTS:
            return CONSTANTS[text]
        if text in self.functions or text in FUNCTIONS:
            raise self.error(f"function '{text}' needs its argument in parentheses", position)
        return sympy.Symbol(text, real=True)

    def call(self, name: str, position: int) -> sympy.Expr:
        user = self.functions.get(name)
        known = FUNCTIONS.get(name)
        if user is None and known is None:
            names = sorted(set(FUNCTIONS) | set(self.functions))
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise self.error(f"unknown function '{name}'{hint}", position)
        opened = self.positions[self.at]  # the "(" (name() looked)
        self.at += 1
        self.deeper(opened)
        args = [self.expression()]
        while self.texts[self.at] == ",":
            self.at += 1
            args.append(self.expression())
        if self.texts[self.at] != ")":
            raise self.error("unbalanced '('", opened)
        self.at += 1
        self.depth -= 1
        if user is not None:
            try:
                return self.checked(user(*args), position)
            except TypeError:
                raise self.error(f"wrong number of arguments for '{name}'", position) from None
        builder, counts = known  # type: ignore[misc]
        if counts is not None and len(args) not in counts:
            wanted = " or ".join(str(c) for c in counts)
            raise self.error(f"'{name}' takes {wanted} argument{'s' if counts != (1,) else ''}, "
                             f"not {len(args)}", position)
        try:
            value = builder(*args)
        except (ValueError, TypeError, ArithmeticError) as error:
            # SymPy refuses max/min/heaviside of a value that is not real (acos(10), sqrt(-1))
            reason = str(error).split("\n")[0][:120]
            raise self.error(f"'{name}' cannot take these arguments: {reason}",
                             position) from None
        return self.checked(value, position)


def parse_expression(text: str, *, symbols: Mapping[str, sympy.Symbol] | None = None,
                     functions: Mapping[str, Callable[..., sympy.Expr]] | None = None,
                     where: str = "") -> sympy.Expr:
    """The SymPy value of `text`; raises ParseError (with a position) for anything else."""
    check_length(text, MAX_LENGTH, where)
    return _Parser(text, symbols or {}, functions or {}, where).parse()


def free_variable(expr: sympy.Expr, name: str | None) -> sympy.Symbol:
    """The variable to differentiate by: the named one, the only one, or x (then t)."""
    symbols = sorted(expr.free_symbols, key=str)
    if name is not None:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise InputError(f"--var {name!r} is not a variable name")
        for symbol in symbols:
            if symbol.name == name:
                return symbol
        return sympy.Symbol(name, real=True)
    if not symbols:
        return sympy.Symbol("x", real=True)
    if len(symbols) == 1:
        return symbols[0]
    for preferred in ("x", "t"):
        for symbol in symbols:
            if symbol.name == preferred:
                return symbol
    listed = ", ".join(s.name for s in symbols)
    raise InputError(f"several variables ({listed}); name one with --var")
