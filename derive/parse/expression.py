"""Read an expression the user typed into a SymPy tree, without ever executing it.

A hand-written tokenizer and precedence-climbing parser build SymPy objects directly from a
whitelist of names: no `eval`, `sympify` or `parse_expr`. Sizes are bounded so that input
such as ``10**10**10`` is refused before SymPy would try to compute it.

    expr   := term (('+' | '-') term)*
    term   := unary (('*' | '/') unary)*
    unary  := ('+' | '-') unary | power
    power  := atom (('**' | '^') unary)?          right-associative, binds tighter than '-'
    atom   := NUMBER | NAME | NAME '(' args ')' | '(' expr ')'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping

import sympy

from derive.errors import InputError, ParseError
from derive.parse.base import (
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NUMBER_DIGITS,
    MAX_TOKENS,
    MAX_VALUE_DIGITS,
    ParserBase,
    Token,
    check_length,
    exact_number,
    power_problem,
    scan,
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
  | (?P<op>\*\*|[-+*/^(),])
""", re.VERBOSE)


_REFUSED_CHARACTERS = {
    ".": "attribute access is not allowed",
    "'": "strings are not allowed", '"': "strings are not allowed",
    "[": "brackets [ ] are not allowed; use parentheses",
    "]": "brackets [ ] are not allowed; use parentheses",
    "{": "braces { } are not allowed; use parentheses",
    "}": "braces { } are not allowed; use parentheses",
    "=": "'=' is not part of an expression",
}


def tokenize(text: str, where: str = "") -> list[Token]:
    def make(match: re.Match[str], kind: str, position: int) -> Token:
        return Token(kind, match.group(), position)

    def unmatched(text: str, position: int) -> Token:
        char = text[position]
        message = _REFUSED_CHARACTERS.get(char, f"unexpected character {char!r}")
        raise ParseError(message, text, position, where=where)

    return scan(text, _TOKEN, make, unmatched, lambda end: Token("end", "", end), where)


class _Parser(ParserBase[Token]):
    def __init__(self, text: str, symbols: Mapping[str, sympy.Symbol],
                 functions: Mapping[str, Callable[..., sympy.Expr]], where: str) -> None:
        super().__init__(text, where)
        self.symbols = symbols
        self.functions = functions
        self.tokens = tokenize(text, where)

    def expect(self, text: str) -> Token:
        if self.token.text != text:
            found = "the end" if self.token.kind == "end" else repr(self.token.text)
            raise self.error(f"expected '{text}' but found {found}", self.token.position)
        return self.advance()

    def trailing(self, token: Token) -> str:
        if token.kind in ("number", "name") or token.text == "(":
            return f"missing operator before {token.text!r} (write 2*x, not 2x)"
        if token.text == ")":
            return "unbalanced ')'"
        if token.text == ",":
            return "',' outside a function call"
        return f"unexpected {token.text!r}"

    def term(self) -> sympy.Expr:
        left = self.unary()
        while self.token.text in ("*", "/"):
            op = self.advance()
            right = self.unary()
            if op.text == "*":
                left = self.checked(left * right, op.position)
            else:
                left = self.divide(left, right, op.position)
        return left

    def power(self) -> sympy.Expr:
        base = self.atom()
        if self.token.text in ("**", "^"):
            op = self.advance()
            with self.deeper(op.position):
                exponent = self.unary()
            return self.checked_power(base, exponent, op.position)
        return base

    def checked(self, value: sympy.Expr, position: int) -> sympy.Expr:
        """`value`, unless it holds a number no check could evaluate (see value_problem)."""
        problem = value_problem(value)
        if problem:
            raise self.error(problem, position)
        return value

    def atom(self) -> sympy.Expr:
        token = self.advance()
        if token.kind == "number":
            return self.number(token)
        if token.kind == "name":
            return self.name(token)
        if token.text == "(":
            with self.deeper(token.position):
                inner = self.expression()
            if self.token.text != ")":
                raise self.error("unbalanced '('", token.position)
            self.advance()
            return inner
        if token.kind == "end":
            raise self.error("the expression ends too early", token.position)
        raise self.error(f"unexpected {token.text!r}", token.position)

    def number(self, token: Token) -> sympy.Expr:
        self.number_digits(token.text, token.position)
        mantissa, _, exponent = token.text.lower().partition("e")
        # The exponent is read as at most a few digits: 1e999999999 is refused, not computed.
        if exponent and len(exponent.lstrip("+-").lstrip("0")) > 4:
            raise self.error("number too large", token.position)
        value: sympy.Expr = exact_number(mantissa) if mantissa != "." else sympy.S.Zero
        if exponent and value != 0:
            shift = int(exponent)
            if abs(shift) > 2 * MAX_VALUE_DIGITS + MAX_NUMBER_DIGITS:
                raise self.error("number too large" if shift > 0 else "number too small",
                                 token.position)
            value = value * sympy.Integer(10) ** shift
        value = self.checked(value, token.position)
        if self.token.kind == "name":
            raise self.error(f"missing operator after {token.text!r} (write 2*x, not 2x)",
                             self.token.position)
        return value

    def name(self, token: Token) -> sympy.Expr:
        text = token.text
        if text.startswith("__") or text in _CODE_WORDS:
            raise self.error(f"'{text}' is code, not mathematics", token.position)
        if self.token.text == "(":
            return self.call(token)
        if text in self.symbols:
            return self.symbols[text]
        if text in CONSTANTS:
            return CONSTANTS[text]
        if text in self.functions or text in FUNCTIONS:
            raise self.error(f"function '{text}' needs its argument in parentheses",
                             token.position)
        return sympy.Symbol(text, real=True)

    def call(self, token: Token) -> sympy.Expr:
        name = token.text
        user = self.functions.get(name)
        known = FUNCTIONS.get(name)
        if user is None and known is None:
            names = sorted(set(FUNCTIONS) | set(self.functions))
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise self.error(f"unknown function '{name}'{hint}", token.position)
        open_paren = self.expect("(")
        with self.deeper(open_paren.position):
            args = [self.expression()]
            while self.token.text == ",":
                self.advance()
                args.append(self.expression())
            if self.token.text != ")":
                raise self.error("unbalanced '('", open_paren.position)
            self.advance()
        if user is not None:
            try:
                return self.checked(user(*args), token.position)
            except TypeError:
                raise self.error(f"wrong number of arguments for '{name}'", token.position) from None
        builder, counts = known  # type: ignore[misc]
        if counts is not None and len(args) not in counts:
            wanted = " or ".join(str(c) for c in counts)
            raise self.error(f"'{name}' takes {wanted} argument{'s' if counts != (1,) else ''}, "
                             f"not {len(args)}", token.position)
        try:
            value = builder(*args)
        except (ValueError, TypeError, ArithmeticError) as error:
            # SymPy refuses max/min/heaviside of a value that is not real (acos(10), sqrt(-1))
            reason = str(error).split("\n")[0][:120]
            raise self.error(f"'{name}' cannot take these arguments: {reason}",
                             token.position) from None
        return self.checked(value, token.position)


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
