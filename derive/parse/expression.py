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
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sympy

from derive.errors import InputError, ParseError

MAX_LENGTH = 2000
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
MAX_RESULT_DIGITS = MAX_VALUE_DIGITS  # the older name, kept for derive.parse.latex
_LOG10_2 = math.log10(2)


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


def _digits(n: int) -> float:
    """log10 |n| (n != 0), without converting a huge n to a string or a float."""
    n = abs(n)
    if n.bit_length() < 1000:
        return math.log10(n)
    shift = n.bit_length() - 64
    return math.log10(n >> shift) + shift * _LOG10_2


def value_problem(value: sympy.Expr) -> str | None:
    """Why a number the parser built must be refused (too large, too small, undefined), or
    None. Only the node itself and its direct arguments are looked at: SymPy folds numbers
    into the top of the node it builds, and everything below was checked when it was built."""
    if value in (sympy.S.ComplexInfinity, sympy.S.NaN, sympy.S.Infinity, sympy.S.NegativeInfinity):
        return "undefined value (a division by zero, or a function outside its domain)"
    for part in (value, *value.args):
        if part.is_Rational:
            if part.p and _digits(part.p) >= MAX_VALUE_DIGITS + 1:
                return f"number too large (beyond 1e{MAX_VALUE_DIGITS})"
            if _digits(part.q) > MAX_VALUE_DIGITS:
                return f"number too small (a fraction finer than 1e-{MAX_VALUE_DIGITS})"
        elif part in (sympy.S.ComplexInfinity, sympy.S.NaN):
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
            digits = abs(power) * max(_digits(number.p), _digits(number.q))
            if digits >= MAX_VALUE_DIGITS + 1:
                return f"power too large (the number would pass 1e{MAX_VALUE_DIGITS})"
    elif exponent.is_Number:  # a Float never comes from derive's parsers; refuse rather than guess
        return "exponent too large"
    return None


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "name", "op", "end"
    text: str
    position: int


def tokenize(text: str, where: str = "") -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            char = text[position]
            message = {
                ".": "attribute access is not allowed",
                "'": "strings are not allowed", '"': "strings are not allowed",
                "[": "brackets [ ] are not allowed; use parentheses",
                "]": "brackets [ ] are not allowed; use parentheses",
                "{": "braces { } are not allowed; use parentheses",
                "}": "braces { } are not allowed; use parentheses",
                "=": "'=' is not part of an expression",
            }.get(char, f"unexpected character {char!r}")
            raise ParseError(message, text, position, where=where)
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(Token(kind, match.group(), position))
            if len(tokens) > MAX_TOKENS:
                raise ParseError(f"expression too long (more than {MAX_TOKENS} tokens)", text,
                                 position, where=where)
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str, symbols: Mapping[str, sympy.Symbol],
                 functions: Mapping[str, Callable[..., sympy.Expr]], where: str) -> None:
        self.text = text
        self.where = where
        self.symbols = symbols
        self.functions = functions
        self.tokens = tokenize(text, where)
        self.index = 0
        self.depth = 0

    def error(self, message: str, position: int) -> ParseError:
        return ParseError(message, self.text, position, where=self.where)

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, text: str) -> Token:
        if self.token.text != text:
            found = "the end" if self.token.kind == "end" else repr(self.token.text)
            raise self.error(f"expected '{text}' but found {found}", self.token.position)
        return self.advance()

    def parse(self) -> sympy.Expr:
        if self.token.kind == "end":
            raise self.error("empty expression", 0)
        expr = self.expression()
        if self.token.kind != "end":
            token = self.token
            if token.kind in ("number", "name") or token.text == "(":
                raise self.error(f"missing operator before {token.text!r} (write 2*x, not 2x)",
                                 token.position)
            if token.text == ")":
                raise self.error("unbalanced ')'", token.position)
            if token.text == ",":
                raise self.error("',' outside a function call", token.position)
            raise self.error(f"unexpected {token.text!r}", token.position)
        return expr

    def nested(self, position: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"expression nested too deeply (more than {MAX_DEPTH} levels)",
                             position)

    def expression(self) -> sympy.Expr:
        self.nested(self.token.position)
        left = self.term()
        while self.token.text in ("+", "-"):
            op = self.advance()
            right = self.term()
            left = self.checked(left + right if op.text == "+" else left - right, op.position)
        self.depth -= 1
        return left

    def term(self) -> sympy.Expr:
        left = self.unary()
        while self.token.text in ("*", "/"):
            op = self.advance()
            right = self.unary()
            if op.text == "*":
                left = self.checked(left * right, op.position)
            else:
                if right == 0:
                    raise self.error("division by zero", op.position)
                left = self.checked(left / right, op.position)
        return left

    def unary(self) -> sympy.Expr:
        if self.token.text in ("+", "-"):
            op = self.advance()
            self.nested(op.position)
            operand = self.unary()
            self.depth -= 1
            return operand if op.text == "+" else -operand
        return self.power()

    def power(self) -> sympy.Expr:
        base = self.atom()
        if self.token.text in ("**", "^"):
            op = self.advance()
            self.nested(op.position)
            exponent = self.unary()
            self.depth -= 1
            return self.checked_power(base, exponent, op.position)
        return base

    def checked_power(self, base: sympy.Expr, exponent: sympy.Expr, position: int) -> sympy.Expr:
        problem = power_problem(base, exponent)
        if problem:
            raise self.error(problem, position)
        return self.checked(sympy.Pow(base, exponent), position)

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
            self.nested(token.position)
            inner = self.expression()
            self.depth -= 1
            if self.token.text != ")":
                raise self.error("unbalanced '('", token.position)
            self.advance()
            return inner
        if token.kind == "end":
            raise self.error("the expression ends too early", token.position)
        raise self.error(f"unexpected {token.text!r}", token.position)

    def number(self, token: Token) -> sympy.Expr:
        digits = sum(ch.isdigit() for ch in token.text)
        if digits > MAX_NUMBER_DIGITS:
            raise self.error(f"number too long (more than {MAX_NUMBER_DIGITS} digits)",
                             token.position)
        mantissa, _, exponent = token.text.lower().partition("e")
        # The exponent is read as at most a few digits: 1e999999999 is refused, not computed.
        if exponent and len(exponent.lstrip("+-").lstrip("0")) > 4:
            raise self.error("number too large", token.position)
        value = sympy.Rational(mantissa) if mantissa != "." else sympy.S.Zero
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
        self.nested(open_paren.position)
        args = [self.expression()]
        while self.token.text == ",":
            self.advance()
            args.append(self.expression())
        if self.token.text != ")":
            raise self.error("unbalanced '('", open_paren.position)
        self.advance()
        self.depth -= 1
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
    if len(text) > MAX_LENGTH:
        raise ParseError(f"expression too long ({len(text)} characters; at most {MAX_LENGTH})",
                         text[:80], 80, where=where)
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
