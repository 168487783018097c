r"""Read the LaTeX people write in derivations into a SymPy tree, without executing it.

The math subset of a derivation (`\frac{1}{1+e^{-x}}`, `\sigma(x)\left(1-\sigma(x)\right)`,
`\operatorname{sech}^2(x)`) goes through a hand-written tokenizer and precedence parser
that build SymPy objects directly: no `eval`, `sympify`, `parse_expr` or
`sympy.parsing.latex`, and no TeX is run. Any command outside the subset (`\input`, `\def`,
`\int`, a macro of the document) is a ParseError at its position. The size limits, the
tokenizer loop and the sum and sign levels are `derive.parse.base`'s, shared with
`derive.parse.expression`.

    expression := term (('+' | '-') term)*
    term       := unary (OP unary | power)*      OP: \cdot \times * / \div; a power right
                                                 after a factor multiplies it (implicit)
    unary      := ('+' | '-') unary | power
    power      := primary ('^' script)?
    primary    := NUMBER | name | group | abs | \frac arg arg | \sqrt ('[' expression ']')? arg
                | function | derivative
    group      := '(' expression ')' | '[' expression ']' | '{' expression '}'
                                                 also \left( \right), \bigl[ \bigr] ...
    abs        := '|' expression '|'             also \lvert \rvert, \left| \right|
    function   := FNAME ('^' script)? ('_' script)? (call | '{' call '}' | '{' expression '}' | bare)
    call       := '(' expression (',' expression)* ')'
    bare       := unary simple*                  \sin 2\pi x = sin(2πx); \sin x \cos x = sin(x)cos(x)
    derivative := \frac{d}{dx} (group | term)    also \frac{\mathrm{d}}{\mathrm{d}x}, \frac{d^2}{dx^2},
                                                 \frac{\partial}{\partial x}: sympy.Derivative
    arg, script := '{' expression '}' | one token (a digit, a letter, \alpha), as TeX reads them

Names. A letter is a variable (`xy` is x*y); `x_1`, `x_{ab}` and `\alpha_0` are variables
named x_1, x_ab, alpha_0; Greek letters are variables named alpha, beta, ...;
`\mathrm{rate}` is a variable named rate. Variables are real unless `symbols` (declared with
`assume`) says more. `e` and `\mathrm{e}` are always Euler's number, `\pi` is pi.
Functions: a name in `functions` (the `let` definitions, e.g. `\sigma`, `\mathrm{softplus}`,
`f`) is called, then the LaTeX functions (`\sin`, `\ln`, `\log_2`, `\max`...) and
`\operatorname{NAME}` / `\mathrm{NAME}` for a NAME of `derive.parse.expression.FUNCTIONS` (sech, erf,
sgn...). SymPy's own printed form, `\sigma{\left(x \right)}`, is a call too. A name that is
not a function but looks called, `\sigma(x)` or `f(x)` with no definition, is a ParseError:
it is not silently read as sigma*x (single letters other than f, g, h do multiply:
`x(1+x)`). Where a reading would be a guess, the parser refuses with a hint instead:
`a/b c`, `\sin^{-1} x`, `\frac{d}{dx} x^2 + 1`, `\sin 2(x+1)`, `x^23`, primes `f'(x)`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import sympy

from derive.errors import ParseError
from derive.parse import base
from derive.parse.base import MAX_LENGTH, ParserBase, check_length, exact_number, scan
from derive.parse.expression import FUNCTIONS

# LaTeX is wordier than the plain syntax (`\left(` for `(`): the same expression may be twice
# as long.
MAX_LATEX_LENGTH = 2 * MAX_LENGTH

GREEK = frozenset((
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "varkappa", "lambda", "mu", "nu", "xi", "rho", "varrho",
    "sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
))
# LaTeX spellings of functions `derive.parse.expression.FUNCTIONS` knows by another name.
ALIASES = {"sgn": "sign", "arsinh": "asinh", "arcosh": "acosh", "artanh": "atanh",
           "arsech": "asech", "arcsch": "acsch", "arcoth": "acoth"}
# Letters that name functions by custom: `f(x)` with no definition is refused, not f*x.
FUNCTION_LETTERS = frozenset("fgh")
FRACTIONS = frozenset({r"\frac", r"\dfrac", r"\tfrac", r"\cfrac"})
# Commands that are mathematics derive does not read, with the reason.
UNSUPPORTED = {
    **dict.fromkeys((r"\iint", r"\iiint", r"\oint"), "multiple integrals are not supported"),
    r"\infty": "infinity is read only in bounds and limits",
    r"\mid": "a conditional probability (\\mid) is not checked",
    **dict.fromkeys((r"\dots", r"\ldots", r"\cdots", r"\vdots"), "'...' is not an expression"),
    **dict.fromkeys((r"\le", r"\leq", r"\ge", r"\geq", r"\ne", r"\neq", r"\approx", r"\sim",
                     r"\equiv", r"\to", r"\propto", r"\Rightarrow", r"\implies", r"\iff"),
                    "a relation is not part of an expression"),
    r"\partial": r"a lone \partial: write \frac{\partial}{\partial x} EXPR",
    **{f"\\{style}": f"\\{style}{{...}} must hold a single name, e.g. \\{style}{{erf}}"
       for style in ("mathrm", "mathit", "mathup", "text", "textrm", "textit", "textnormal",
                     "operatorname")},
    "\\\\": "a line break inside an expression",
    r"\|": "norms are not supported",
}
_KNOWN_COMMANDS = sorted({*(f"\\{name}" for name in GREEK | set(FUNCTIONS) | set(ALIASES)
                             if name.isalpha()),
                          *FRACTIONS, r"\sqrt", r"\pi", r"\cdot", r"\times", r"\left",
                          r"\right", r"\mathrm", r"\operatorname"})

_TOKEN = re.compile(r"""
    (?P<space>\s+|~|\\[,:;!>]|\\\s
        |\\(?:q?quad|enspace|thinspace|medspace|thickspace|negthinspace|negmedspace
             |negthickspace|displaystyle|textstyle|scriptstyle|nonumber|notag|limits|nolimits)(?![A-Za-z])
        |\\(?:hspace|mspace|hphantom)\*?\s*\{[^{}]*\}
        |\\(?:hskip|kern|mkern|mskip)\s*-?[\d.]+\s*(?:pt|em|ex|mu|mm|cm|in)?)
  | (?P<word>\\(?P<style>mathrm|mathit|mathup|text|textrm|textit|textnormal|operatorname)
        \s*(?:\{\s*(?P<body>[A-Za-z][A-Za-z0-9]*)\s*\}|(?P<letter_body>[A-Za-z])))
  | (?P<delim>\\(?P<size>left|right|[bB]igg?[lrm]?)(?![A-Za-z])\s*
        (?P<char>[()\[\]|./]|\\[{}|]|\\[A-Za-z]+)?)
  | (?P<plain>[()\[\]|]|\\[{}]|\\(?:lvert|rvert|vert|lbrace|rbrace)(?![A-Za-z]))
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<command>\\(?:[A-Za-z]+|[^A-Za-z\s]))
  | (?P<letter>[A-Za-z])
  | (?P<op>[-+*/^_{},'!=<>])
""", re.VERBOSE)
# Unicode a document may hold instead of the command.
_UNICODE = {"−": ("op", "-"), "·": ("op", "*"), "⋅": ("op", "*"), "×": ("op", "*"),
            "π": ("command", r"\pi")}
_OPERATORS = {r"\cdot": "*", r"\times": "*", r"\ast": "*", r"\div": "/"}
_DELIMITER_NAMES = {"(": "(", ")": ")", "[": "[", "]": "]", "|": "|", r"\vert": "|",
                    r"\lvert": "|", r"\rvert": "|",
                    r"\{": r"\{", r"\}": r"\}", r"\lbrace": r"\{", r"\rbrace": r"\}"}
# Brackets that group: `\left\{ \frac{1}{g(x)} \right\}` is a bracket as (...) is (CLP writes
# \diff{}{x} \left\{ ... \right\}); a set written with them is refused where it is read.
OPENERS = ("(", "[", r"\{")
CLOSERS = {"(": ")", "[": "]", r"\{": r"\}", "|": "|"}
_SIDES = {"(": "open", "[": "open", r"\{": "open", ")": "close", "]": "close", r"\}": "close"}
SET_BRACES = (r"braces \{ \} around one element, or with ',', ':' or \mid inside, are sets: "
              "sets are not supported")
_BAD_DELIMITERS = {
    "/": "'/' as a delimiter is not supported",
    r"\|": "norms are not supported", r"\Vert": "norms are not supported",
    r"\lVert": "norms are not supported", r"\rVert": "norms are not supported",
}


@dataclass(frozen=True)
class Token(base.Token):
    # kinds: number, letter, word (\mathrm{..}), operator (\operatorname{..}), command, op,
    # open, close, bar (a | that opens or closes), end, error (raised when reached);
    # text is normalised: "*" for \cdot, "(" for \left(, "d" for \mathrm{d}, the message of an error
    source: str = ""  # as written, for messages
    sized: str = ""  # "left" or "right" for \left and \right delimiters, which must pair
    split: bool = False  # the rest of a number whose first digit was taken as one token

    @property
    def shown(self) -> str:
        return self.source or self.text


def _unmatched(text: str, position: int) -> Token:
    char = text[position]
    if char in _UNICODE:
        kind, normal = _UNICODE[char]
        return Token(kind, normal, position, char)
    message = {"&": "'&' inside an expression", "$": "'$' inside an expression",
               ".": "unexpected '.'"}.get(char, f"unexpected character {char!r}")
    return Token("error", message, position, char)


def tokenize(text: str, where: str = "") -> list[Token]:
    """The tokens of `text`; what cannot be a token becomes an error token, raised when the
    parser reaches it (so `\\input{@}` is reported at `\\input`)."""
    return scan(text, _TOKEN, _token, _unmatched, lambda end: Token("end", "", end), where)


def _token(match: re.Match[str], kind: str, position: int) -> Token:
    source = match.group()
    if kind == "word":
        style = "operator" if match["style"] == "operatorname" else "word"
        return Token(style, match["body"] or match["letter_body"], position, source)
    if kind == "command" and source in _OPERATORS:
        return Token("op", _OPERATORS[source], position, source)
    if kind == "plain":
        char = _DELIMITER_NAMES[source]
        side = _SIDES.get(char, "bar")
        side = {r"\lvert": "open", r"\rvert": "close"}.get(source, side)
        return Token(side, char, position, source)
    if kind == "delim":
        size, char = match["size"], match["char"]
        if char is None:
            return Token("error", f"\\{size} needs a delimiter after it, e.g. \\{size}(", position,
                         source)
        if char == ".":
            if size == "left":  # \left. ... \right|_{x=0}: an evaluation bar
                return Token("open", ".", position, source, "left")
            return Token("error", f"\\{size}. here is half of a pair derive cannot match",
                         position, source)
        if char in _BAD_DELIMITERS:
            return Token("error", _BAD_DELIMITERS[char], position, source)
        if char not in _DELIMITER_NAMES:
            return Token("error", f"the delimiter {char} is not supported", position, source)
        normal = _DELIMITER_NAMES[char]
        if size == "left" or size.endswith("l") or char == r"\lvert":
            side = "open"
        elif size == "right" or size.endswith("r") or char == r"\rvert":
            side = "close"
        else:
            side = _SIDES.get(normal, "bar")
        if side in ("open", "close") and _SIDES.get(normal, side) != side:
            return Token("error", f"{source.strip()} points the wrong way", position, source)
        sized = size if size in ("left", "right") else ""
        return Token(side, normal, position, source, sized)
    return Token(kind, source, position)


class _Parser(ParserBase[Token]):
    def __init__(self, text: str, symbols: Mapping[str, sympy.Expr],
                 functions: Mapping[str, Callable[..., sympy.Expr]], where: str, *,
                 catalog: bool = False) -> None:
        super().__init__(text, where)
        self.catalog = catalog
        self.infinity = False  # \infty is read only in bounds and limits
        self.symbols = symbols
        self.functions = functions
        self.tokens = tokenize(text, where)
        self.in_abs = False  # directly inside |...|: a bare | closes it

    # -- tokens --------------------------------------------------------------------

    def expect_op(self, text: str, opened: Token) -> Token:
        if not self.at("op", text):
            raise self.error(f"{opened.shown!r} is not closed by {text!r}", opened.position)
        return self.advance()

    @contextmanager
    def deeper(self, position: int, *, in_abs: bool | None = None) -> Iterator[None]:
        """One level deeper; `in_abs` says whether a bare | closes it there (None: as it
        does here; a bracket, a brace or an argument opens a level where it does not)."""
        with super().deeper(position):
            saved = self.in_abs
            if in_abs is not None:
                self.in_abs = in_abs
            try:
                yield
            finally:
                self.in_abs = saved

    # -- grammar -------------------------------------------------------------------

    def trailing(self, token: Token) -> str:
        return {
            "close": f"unbalanced {token.shown!r}",
            "bar": f"unbalanced {token.shown!r}",
            "op": {"}": "unbalanced '}'", ",": "',' outside a function call",
                   "=": "'=' is not part of an expression"}.get(
                       token.text, f"unexpected {token.shown!r}"),
        }.get(token.kind, f"unexpected {token.shown!r}")

    def after_sum(self, expr: sympy.Expr) -> sympy.Expr:
        if self.evaluation_bar_follows():
            bar = self.advance()
            return self.evaluated(expr, bar)
        return expr

    def evaluation_bar_follows(self) -> bool:
        """`\\Big|_{x=0}`, `|_{x=a}`: a bar, not \\right, with a subscript after it."""
        token = self.tokens[self.index]
        return (token.kind in ("bar", "close") and token.text == "|" and token.sized != "right"
                and self.peek().kind == "op" and self.peek().text == "_")

    def evaluated(self, expr: sympy.Expr, bar: Token) -> sympy.Expr:
        """`EXPR|_{x=a}` is EXPR at x = a; `EXPR|_a^b` is EXPR(b) - EXPR(a)."""
        underscore = self.advance()
        variable, lower = self.point(underscore)
        upper = None
        if self.at("op", "^"):
            caret = self.advance()
            named, upper = self.point(caret)  # `|_{x=a}^{x=b}` names the variable twice
            if named is not None and variable is not None and named != variable:
                raise self.error("an evaluation bar names two variables", caret.position)
            variable = variable or named
        if variable is None:
            free = sorted(expr.free_symbols, key=str)
            if len(free) != 1:
                raise self.error("an evaluation bar without a variable (write |_{x=a}) on an "
                                 "expression of several variables", bar.position)
            variable = free[0]
        if upper is None:
            return expr.subs(variable, lower)
        return expr.subs(variable, upper) - expr.subs(variable, lower)

    def point(self, owner: Token) -> tuple[sympy.Symbol | None, sympy.Expr]:
        """`{x=a}` (the variable and the value), `{a}` or `a` (the value) after `_`."""
        if not self.at("op", "{"):
            return None, self.bound(owner)
        after = self.peek()
        if after.kind == "op" and after.text == "=":
            raise self.error("write the point as {x=a}", after.position)
        second = self.peek(2)
        if second.kind == "op" and second.text == "=" and after.kind in ("letter", "word", "command"):
            opened = self.advance()
            name = self.advance()
            variable = self.symbol_named(name.text.removeprefix("\\"), name)
            self.advance()  # =
            with self.infinity_allowed():
                value = self.expression()
            self.expect_op("}", opened)
            return variable, value
        return None, self.bound(owner)

    def bound(self, owner: Token) -> sympy.Expr:
        """A bound or a point after _ or ^: a brace group or one token, \\infty allowed."""
        with self.infinity_allowed():
            if self.at("command", r"\infty"):
                self.advance()
                return sympy.oo
            return self.argument("a value", owner)

    @contextmanager
    def infinity_allowed(self) -> Iterator[None]:
        """Inside a bound or a limit's point, where \\infty is a value."""
        saved, self.infinity = self.infinity, True
        try:
            yield
        finally:
            self.infinity = saved

    def symbol_named(self, name: str, token: Token) -> sympy.Symbol:
        found = self.symbols.get(name)
        if found is None:
            return sympy.Symbol(name, real=True)
        if not isinstance(found, sympy.Symbol):
            raise self.error(f"{name} stands for an expression here; derive cannot use it as "
                             "a variable", token.position)
        return found

    def subparse(self, start: int, end: int, owner: Token) -> sympy.Expr:
        """The expression written in self.text[start:end], read by a parser of its own."""
        inner = _Parser(self.text[:end], self.symbols, self.functions, self.where,
                        catalog=self.catalog)
        inner.infinity = self.infinity
        inner.depth = self.depth
        inner.index = next((i for i, t in enumerate(inner.tokens) if t.position >= start),
                           len(inner.tokens) - 1)
        if inner.token.kind == "end":
            raise self.error(f"{owner.shown.strip()} needs an expression here", owner.position)
        value = inner.expression()
        if inner.token.kind != "end":
            raise self.error(f"unexpected {inner.token.shown!r}", inner.token.position)
        return value


    def term(self) -> sympy.Expr:
        left = self.unary()
        divided: Token | None = None  # the '/' just before the last factor
        while True:
            token = self.token
            if token.kind == "op" and token.text in ("*", "/"):
                self.advance()
                right = self.unary()
                if token.text == "*":
                    left = left * right
                    divided = None
                else:
                    left = self.divide(left, right, token.position)
                    divided = token
            elif self.starts_factor(token):
                if divided is not None:
                    raise self.error(f"ambiguous: is what follows {divided.shown!r} in the "
                                     f"denominator? write \\frac{{a}}{{b c}} or \\frac{{a}}{{b}} c",
                                     token.position)
                self.refuse_number_after_factor(token)
                left = left * self.power()
            else:
                return left

    def refuse_number_after_factor(self, token: Token) -> None:
        if token.kind != "number":
            return
        before = self.tokens[self.index - 1] if self.index else None
        if before is not None and before.kind == "close" and before.text == ")" \
                and not token.split:
            # `\cos(x^3)3x^2`, `\ln(2)2^x`: after a closing parenthesis a number can only
            # be a factor (textbooks write the chain rule's inner derivative so)
            return
        if token.split:
            raise self.error(f"TeX takes one digit of {token.source} here: write braces, "
                             f"{{{token.source}}}, or \\cdot before {token.text!r}",
                             token.position - 1)
        raise self.error(f"a number right after a factor: write \\cdot before {token.text!r}",
                         token.position)

    def starts_factor(self, token: Token) -> bool:
        if token.kind in ("number", "letter", "word", "operator", "open", "command"):
            return True
        if token.kind == "bar":
            return not self.in_abs and not self.evaluation_bar_follows()
        return token.kind == "op" and token.text == "{"

    def power(self) -> sympy.Expr:
        bracket = self.token.kind == "open" and self.token.text in ("(", "[")
        base = self.primary()
        if bracket and self.at("op", "'"):
            base = self.bracket_derivative(base)
        token = self.token
        if token.kind == "op" and token.text == "^":
            self.advance()
            exponent = self.script(token)
            base = self.checked_power(base, exponent, token.position)
        token = self.token
        if token.kind == "op" and token.text == "^":
            raise self.error("a double superscript: write braces, e.g. {x^a}^b", token.position)
        if token.kind == "op" and token.text == "_":
            raise self.error("a subscript here: only names take one, e.g. x_1 or x_1^2",
                             token.position)
        self.refuse_postfix()
        return base

    def bracket_derivative(self, value: sympy.Expr) -> sympy.Expr:
        r"""`\big(\ln x \cos x\big)'`, `(uv)'`: the derivative of a bracket, in the one
        variable it depends on (left pending, as d/dx (...) is)."""
        prime = self.token
        order = self.primes()
        free = sorted(value.free_symbols, key=str)
        # one variable, named by a letter: `(\text{anything})'` is a placeholder for a
        # function of x, not an expression in a variable called "anything" (a Greek
        # letter is one: `(\tan(\theta)e^{2\theta})'`)
        if len(free) != 1 or (len(free[0].name) != 1 and free[0].name not in GREEK):
            raise self.error("a prime on a bracket needs an expression of one variable: write "
                             "\\frac{d}{dx}\\left(...\\right)", prime.position)
        return sympy.Derivative(value, (free[0], order))

    def refuse_postfix(self) -> None:
        token = self.token
        if token.kind == "op" and token.text == "'":
            raise self.error("primes (f') are not supported: write \\frac{d}{dx} f(x)",
                             token.position)
        if token.kind == "op" and token.text == "!":
            raise self.error("factorials are not supported", token.position)

    # -- primaries -----------------------------------------------------------------

    def primary(self) -> sympy.Expr:
        token = self.token
        kind = token.kind
        if kind == "number":
            self.advance()
            return self.number(token)
        if kind in ("letter", "word", "operator"):
            return self.name()
        if kind == "command":
            return self.command()
        if kind == "open" and token.text in OPENERS:
            return self.group()
        if kind == "open" and token.text == ".":
            return self.evaluation_group()
        if kind in ("open", "bar") and token.text == "|":
            return self.absolute()
        if kind == "op" and token.text == "{":
            return self.braces()
        if kind == "end":
            raise self.error("the expression ends too early", token.position)
        if kind == "op" and token.text == "^":
            raise self.error("'^' needs something to raise before it", token.position)
        if kind == "op" and token.text == "'":
            self.refuse_postfix()
        raise self.error(f"unexpected {token.shown!r}", token.position)

    def number(self, token: Token) -> sympy.Expr:
        self.number_digits(token.text, token.position)
        return exact_number(token.text)

    def evaluation_group(self) -> sympy.Expr:
        """`\\left. EXPR \\right|_{x=a}`."""
        opened = self.advance()
        with self.deeper(opened.position, in_abs=False):
            inner = self.expression()
        bar = self.token
        if not (bar.kind in ("bar", "close") and bar.text == "|" and bar.sized == "right"
                and self.peek().kind == "op" and self.peek().text == "_"):
            raise self.error("\\left. must be closed by an evaluation bar \\right|_{x=a}",
                             opened.position)
        self.advance()
        return self.evaluated(inner, bar)

    def group(self) -> sympy.Expr:
        opened = self.advance()
        if opened.text == r"\{":
            self.refuse_set(opened)
        with self.deeper(opened.position, in_abs=False):
            inner = self.expression()
        self.close(opened)
        if opened.text == "[" and self.at("op", "_"):
            # `\Big[F(x)\Big]_a^b`, `\left[F(u)\right]_{u=g(x)}`: an evaluation bracket
            return self.evaluated(inner, opened)
        return inner

    def refuse_set(self, opened: Token) -> None:
        r"""`\{1, 2\}`, `\{x \mid x > 0\}`, `\{a\}`: a set, not a bracket. Braces group
        only an expression of more than one token with no separator at their level."""
        inside = list(self.group_tokens(self.index, len(self.tokens)))
        separators = {",", ":", r"\mid", r"\colon", r"\in", r"\ldots", r"\dots", r"\cdots"}
        if len(inside) < 2 or any(depth == 0 and (token.text in separators or token.source == ":")
                                  for _, token, depth in inside):
            raise self.error(SET_BRACES, opened.position)

    def close(self, opened: Token) -> None:
        """Take the delimiter that closes `opened`: the same bracket, \\right for \\left."""
        closer = CLOSERS[opened.text]
        token = self.token
        fits = token.kind in ("close", "bar") and token.text == closer
        if fits and (opened.sized == "left") == (token.sized == "right"):
            self.advance()
            return
        if fits:
            wanted = "\\right" if opened.sized == "left" else "a delimiter without \\right"
            raise self.error(f"{opened.shown!r} must be closed by {wanted}", token.position)
        if token.kind in ("close", "bar"):
            raise self.error(f"{opened.shown!r} is closed by {token.shown!r}", token.position)
        raise self.error(f"unbalanced {opened.shown!r}", opened.position)

    def absolute(self) -> sympy.Expr:
        opened = self.advance()
        with self.deeper(opened.position, in_abs=True):
            inner = self.expression()
        self.close(opened)
        return sympy.Abs(inner)

    def braces(self) -> sympy.Expr:
        opened = self.advance()
        if self.at("op", "}"):
            raise self.error("empty braces", opened.position)
        with self.deeper(opened.position, in_abs=False):
            inner = self.expression()
        self.expect_op("}", opened)
        return inner

    def argument(self, what: str, owner: Token) -> sympy.Expr:
        """One argument as TeX takes it: a brace group, or a single token (one digit)."""
        token = self.token
        if token.kind == "op" and token.text == "{":
            return self.braces()
        if token.kind == "number":
            return self.number(self.take_digit())
        if token.kind in ("letter", "word"):
            self.advance()
            return self.variable(token.text, token)
        if token.kind == "command" and (token.text[1:] in GREEK or token.text == r"\pi"):
            self.advance()
            return self.variable(token.text[1:], token)
        if token.kind == "end":
            raise self.error(f"{owner.shown} needs {what} after it", token.position)
        raise self.error(f"put {what} of {owner.shown} in braces: {owner.shown}{{...}}",
                         token.position)

    def take_digit(self) -> Token:
        """The first digit of the number token here, as TeX reads `x^23` or `\\frac12`."""
        token = self.advance()
        if len(token.text) > 1:
            self.index -= 1
            self.tokens[self.index] = Token("number", token.text[1:], token.position + 1,
                                            token.text, split=True)
            if token.text[1] == ".":
                raise self.error("write a decimal in braces here, e.g. ^{0.5}", token.position)
        return Token("number", token.text[0], token.position)

    def script(self, caret: Token) -> sympy.Expr:
        token = self.token
        if token.kind == "op" and token.text in "+-":
            raise self.error(f"write the exponent in braces: ^{{{token.text}...}}", token.position)
        return self.argument("an exponent", caret)

    # -- names and functions -------------------------------------------------------

    def function(self, name: str) -> tuple[Callable[..., sympy.Expr], tuple[int, ...] | None] | None:
        """The user's definition of `name`, else the built-in function it names."""
        if name in self.functions:
            return self.functions[name], None
        return FUNCTIONS.get(ALIASES.get(name, name))

    def name(self) -> sympy.Expr:
        token = self.advance()
        name = token.text
        if not (token.kind == "letter" and name == "e"):
            if token.kind == "letter":
                found: tuple[Callable[..., sympy.Expr], tuple[int, ...] | None] | None = (
                    (self.functions[name], None) if name in self.functions else None)
            else:
                found = self.function(name)
                if found is None and self.catalog and self.called_after(self.index):
                    found = _catalog_function(name)
            if found is not None:
                return self.apply(token, name, *found)
        if token.kind == "operator":
            raise self.unknown_function(name, token)
        if token.kind == "word" and name == "d":
            raise self.error(r"a lone differential \mathrm{d}: write \frac{\mathrm{d}}{\mathrm{d}x} EXPR",
                             token.position)
        if (token.kind == "letter" and self.catalog and name not in self.symbols
                and name in FUNCTION_LETTERS and self.at("op", "'")):
            raise self.error(f"{name}' needs {name} defined: `{name}(x) = ...` in the document, "
                             f"or `let {name}(x) = ...`", token.position)
        value = self.variable(self.subscripted(name), token)
        order = self.primes() if self.at("op", "'") else 0
        if order:
            return self.value_derivative(name, value, order, token)
        return value

    def value_derivative(self, name: str, value: sympy.Expr, order: int,
                         token: Token) -> sympy.Expr:
        """`y'` for a name the document defined (`y = x^2`): d/dx of its value, when it
        depends on one variable."""
        if isinstance(value, sympy.Symbol):
            raise self.error(f"{name}' needs {name} defined: `{name} = ...` in the document",
                             token.position)
        free = sorted(value.free_symbols, key=str)
        if len(free) != 1:
            raise self.error(f"{name}' of an expression of several variables: write "
                             "\\frac{\\partial}{\\partial x}", token.position)
        return self.at_point(sympy.Derivative(value, (free[0], order)), free[0])

    def command(self) -> sympy.Expr:
        token = self.token
        name = token.text[1:]
        if token.text in FRACTIONS:
            return self.fraction()
        if token.text == r"\infty" and self.infinity:
            self.advance()
            return sympy.oo
        if token.text == r"\lim":
            return self.limit()
        if token.text in (r"\int", r"\sum", r"\prod"):
            return self.integral() if token.text == r"\int" else self.sum_or_product()
        if token.text == r"\sqrt":
            return self.root()
        if token.text in (r"\cancel", r"\bcancel", r"\xcancel"):
            # the cancel package strikes out factors about to cancel: the value is as written
            self.advance()
            if not self.at("op", "{"):
                raise self.error(f"put what {token.text} strikes out in braces", token.position)
            return self.braces()
        found = self.function(name)
        if found is None and self.catalog and self.called_after(self.index + 1):
            found = _catalog_function(name)
        if found is not None:
            self.advance()
            return self.apply(token, name, *found)
        if name in GREEK or name == "pi":
            self.advance()
            return self.variable(self.subscripted(name), token)
        if token.text in UNSUPPORTED:
            raise self.error(UNSUPPORTED[token.text], token.position)
        close = difflib.get_close_matches(token.text, _KNOWN_COMMANDS, n=1, cutoff=0.75)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise self.error(f"unknown command {token.text}{hint}", token.position)

    def subscripted(self, name: str) -> str:
        """`x_1` is the variable x_1, `x_{ab}` is x_ab, `x_\\alpha` is x_alpha."""
        if not self.at("op", "_"):
            return name
        underscore = self.advance()
        if self.at("op", "{"):
            opened = self.advance()
            parts = []
            while not self.at("op", "}"):
                parts.append(self.subscript_part(underscore))
            self.expect_op("}", opened)
            if not parts:
                raise self.error("empty subscript", underscore.position)
        else:
            token = self.token
            parts = [self.take_digit().text if token.kind == "number" else self.subscript_part(underscore)]
        return f"{name}_{''.join(parts)}"

    def subscript_part(self, underscore: Token) -> str:
        token = self.token
        if token.kind in ("letter", "word", "number"):
            self.advance()
            return token.text
        if token.kind == "command" and token.text[1:] in GREEK | {"pi"}:
            self.advance()
            return token.text[1:]
        if token.kind == "end":
            raise self.error("a subscript needs a name after _", token.position)
        raise self.error("a subscript must be letters and digits, e.g. x_{1}", token.position)

    def variable(self, name: str, token: Token) -> sympy.Expr:
        if name == "e" and token.kind in ("letter", "word"):
            return sympy.E
        if name == "pi" and token.kind == "command":
            return sympy.pi
        if name in self.symbols:
            return self.symbols[name]
        looks_called = token.kind == "command" or (token.kind == "word" and len(name) > 1) or (
            token.kind == "letter" and name in FUNCTION_LETTERS) or (
            self.catalog and token.kind == "letter" and self.function_notation())
        if looks_called and self.call_follows():
            raise self.unknown_function(name, token)
        return sympy.Symbol(name, real=True)

    def function_notation(self) -> bool:
        """In a document, `p(2)`, `v(t)`, `L(4 + h)`: a letter before a bracket holding one
        token, or a capital letter before a bracket, is function notation, not a product
        (`x(1+x)` stays a product)."""
        token = self.tokens[self.index]
        if not (token.kind == "open" and token.text == "("):
            return False
        previous = self.tokens[self.index - 1]
        inner, after = self.peek(1), self.peek(2)
        one_token = inner.kind in ("letter", "number", "command") and after.kind == "close"
        return one_token or previous.text.isupper()

    def unknown_function(self, name: str, token: Token) -> ParseError:
        names = sorted(set(self.functions) | set(FUNCTIONS) | set(ALIASES))
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return self.error(f"unknown function {token.shown.strip()}: define it first, "
                          f"e.g. `let {name}(x) = ...`{hint}", token.position)

    def call_follows(self) -> bool:
        """Is the next thing a parenthesised argument list, `(...)` or SymPy's `{\\left(...\\right)}`?"""
        token = self.token
        if token.kind == "open" and token.text == "(":
            return True
        after = self.peek()
        return (token.kind == "op" and token.text == "{" and after.kind == "open"
                and after.text == "(")

    def braced_call_follows(self) -> bool:
        """`{\\left(x, y \\right)}`: braces holding exactly one parenthesised argument list."""
        if not (self.at("op", "{") and self.peek().kind == "open" and self.peek().text in "(["):
            return False
        depth = 0
        for index in range(self.index + 1, len(self.tokens)):
            token = self.tokens[index]
            if token.kind == "open" and token.text in "([":
                depth += 1
            elif token.kind == "close" and token.text in ")]":
                depth -= 1
                if depth == 0:
                    after = self.tokens[index + 1]
                    return after.kind == "op" and after.text == "}"
            elif token.kind in ("end", "error"):
                return False
        return False

    def primes(self) -> int:
        """How many primes follow: `f'`, `f''`, `f^{\\prime}`, `f^\\prime`."""
        count = 0
        while True:
            if self.at("op", "'"):
                self.advance()
                count += 1
            elif self.at("op", "^") and self.peek().text == r"\prime":
                self.advance()
                self.advance()
                count += 1
            elif (self.at("op", "^") and self.peek().text == "{"
                  and self.peek(2).text == r"\prime"):
                index = self.index + 2
                inner = 0
                while self.tokens[index].text == r"\prime":
                    index += 1
                    inner += 1
                if self.tokens[index].kind != "op" or self.tokens[index].text != "}":
                    return count
                self.index = index + 1
                count += inner
            else:
                return count

    def called_after(self, index: int) -> bool:
        """Is the token at `index` (after primes) an argument list `(`?"""
        while self.tokens[index].text in ("'", "^", "{", "}", r"\prime"):
            text = self.tokens[index].text
            if text == "^" and self.tokens[index + 1].text not in ("{", r"\prime"):
                break
            if text == "{" and self.tokens[index + 1].text != r"\prime":
                break
            index += 1
        token = self.tokens[index]
        return token.kind == "open" and token.text == "("

    def apply(self, token: Token, name: str, builder: Callable[..., sympy.Expr],
              counts: tuple[int, ...] | None) -> sympy.Expr:
        """A function and its argument: `\\sin(x)`, `\\sin^2 x`, `\\log_2 x`, `\\sigma{\\left(x\\right)}`;
        with primes, `f'(x)` and `\\sigma''(x)`, its derivative there."""
        order = self.primes()
        if order:
            if not self.call_follows():
                raise self.error(f"{token.shown.strip()}' needs its argument: "
                                 f"{token.shown.strip()}'(x)", token.position)
            args = self.arguments()
            if len(args) != 1:
                raise self.error(f"{token.shown.strip()}' of a function of several variables: "
                                 "write \\frac{\\partial}{\\partial x}", token.position)
            # named as the definition's parameter, so feedback can write d/dx f(x) at x = 2
            parameters = vars(builder).get("parameters") or ("x",)
            point = sympy.Dummy(parameters[0], real=True)
            body = self.call(token, name, builder, counts, [point])
            if isinstance(args[0], sympy.Symbol) and args[0] not in body.free_symbols:
                # f'(x) is d/dx f(x), left pending as \frac{d}{dx} f(x) is: the checker
                # takes it by the rules, and a wrong step after it gets the same feedback
                # (not when the body holds that letter: g(x) = ax + b, g'(a) is a, not 2a)
                return sympy.Derivative(self.call(token, name, builder, counts, args),
                                        (args[0], order))
            # f'(2), f'(2x): the derivative at a point, left pending as Subs (what
            # \frac{dg}{dx}(2) gives), so a wrong value after it gets the same feedback
            if not body.has(point):
                return sympy.S.Zero
            return sympy.Subs(sympy.Derivative(body, (point, order)), point, args[0])
        self.refuse_postfix()
        power = base = None
        for _ in range(2):
            mark = self.token
            if mark.kind == "op" and mark.text == "^" and power is None:
                self.advance()
                power = (self.script(mark), mark)
                if power[0] == -1:
                    raise self.error(f"{token.shown}^{{-1}} is ambiguous (inverse or reciprocal): "
                                     f"write \\arc... or \\frac{{1}}{{...}}", mark.position)
            elif mark.kind == "op" and mark.text == "_" and base is None:
                if ALIASES.get(name, name) != "log" or name in self.functions:
                    raise self.error(f"a subscript on the function {token.shown}", mark.position)
                self.advance()
                base = self.argument("a base", mark)
                if base in (0, 1):
                    raise self.error(f"a logarithm to base {base}", mark.position)
        self.refuse_postfix()
        with self.deeper(token.position, in_abs=False):
            if self.call_follows() and not self.at("op", "{"):
                args = self.arguments()
            elif self.braced_call_follows():
                opened = self.advance()
                args = self.arguments()
                self.expect_op("}", opened)
            elif self.at("op", "{"):
                args = [self.braces()]
            else:
                args = [self.bare_argument(token)]
        if base is not None:
            if len(args) != 1:
                raise self.error(f"{token.shown}_{{b}} takes one argument", token.position)
            args.append(base)
        result = self.call(token, name, builder, counts, args)
        if power is not None:
            result = self.checked_power(result, power[0], power[1].position)
        return result

    def arguments(self) -> list[sympy.Expr]:
        opened = self.advance()
        with self.deeper(opened.position, in_abs=False):
            args = [self.expression()]
            while self.at("op", ","):
                self.advance()
                args.append(self.expression())
        self.close(opened)
        return args

    def bare_argument(self, function: Token) -> sympy.Expr:
        """`\\sin 2\\pi x`: a factor, then letters, names and constants it multiplies."""
        token = self.token
        if not (self.starts_factor(token) or (token.kind == "op" and token.text in "+-")):
            raise self.error(f"{function.shown.strip()} needs an argument", token.position)
        argument = self.unary()
        while self.simple_factor_follows():
            argument = argument * self.power()
        token = self.token
        if token.kind == "open" and token.text in "([" and self.spaced(token):
            # `\sin x (-\sin x)`, `\ln x \left(1 + x\right)`: a space ends the argument,
            # as a reader sees it; sin(x(1+x)) is written \sin(x(1+x)) or \sin x(1+x)
            return argument
        if token.kind == "open" and token.text in "([":
            raise self.error(f"ambiguous: is the bracket part of the argument of "
                             f"{function.shown.strip()}? write {function.shown.strip()}\\left(...\\right)",
                             token.position)
        return argument

    def spaced(self, token: Token) -> bool:
        """Is `token` written after a space (` `, `\\,`, `\\ `, `\\;`)?"""
        before = self.text[:token.position]
        return bool(re.search(r"(?:\s|\\[,;: ])$", before))

    def simple_factor_follows(self) -> bool:
        token = self.token
        if token.kind == "letter":
            return token.text not in self.functions
        if token.kind == "word":
            return self.function(token.text) is None and token.text != "d"
        if token.kind == "command":
            name = token.text[1:]
            return (name in GREEK or name == "pi") and self.function(name) is None
        return False

    def call(self, token: Token, name: str, builder: Callable[..., sympy.Expr],
             counts: tuple[int, ...] | None, args: list[sympy.Expr]) -> sympy.Expr:
        if name in self.functions:
            try:
                return builder(*args)
            except TypeError:
                raise self.error(f"wrong number of arguments for '{name}'", token.position) from None
        if counts is not None and len(args) not in counts:
            wanted = " or ".join(str(c) for c in counts)
            raise self.error(f"{token.shown.strip()} takes {wanted} argument"
                             f"{'s' if counts != (1,) else ''}, not {len(args)}", token.position)
        return builder(*args)

    # -- \frac, \sqrt and derivatives ------------------------------------------------

    def fraction(self) -> sympy.Expr:
        frac = self.advance()
        derivative = self.derivative_operator(frac)
        if derivative is not None:
            return derivative
        numerator = self.argument("a numerator", frac)
        denominator = self.argument("a denominator", frac)
        return self.divide(numerator, denominator, frac.position)

    def root(self) -> sympy.Expr:
        sqrt = self.advance()
        index = None
        if self.at("open", "["):
            opened = self.advance()
            with self.deeper(opened.position, in_abs=False):
                index = self.expression()
            self.close(opened)
            if index == 0:
                raise self.error("a root of index 0", opened.position)
        radicand = self.argument("a radicand", sqrt)
        return sympy.sqrt(radicand) if index is None else sympy.root(radicand, index)

    def span(self, index: int) -> tuple[list[Token], int] | None:
        """The tokens of the TeX argument at `index` (a brace group or one token), and the
        index after it; None when there is no argument there."""
        token = self.tokens[index]
        if token.kind == "op" and token.text == "{":
            depth = 0
            for end in range(index, len(self.tokens)):
                other = self.tokens[end]
                if other.kind == "op" and other.text in "{}":
                    depth += 1 if other.text == "{" else -1
                    if depth == 0:
                        return self.tokens[index + 1:end], end + 1
            return None
        if token.kind in ("end", "error"):
            return None
        return [token], index + 1

    def leibniz(self, frac: Token, numerator: tuple[list[Token], int],
                denominator: tuple[list[Token], int], var_token: Token,
                var_order: int) -> sympy.Expr:
        r"""`\frac{df}{dx}`, `\frac{d\sigma(x)}{dx}`, `\frac{d^2 y}{dx^2}`, `\frac{\partial L}{\partial w}`:
        the derivative of what the numerator names (a function is taken at its own
        parameters, or at x when it has one)."""
        tokens = numerator[0][1:]
        order = 1
        if len(tokens) >= 2 and tokens[0].kind == "op" and tokens[0].text == "^":
            skip = 2 if tokens[1].kind == "number" else 4
            order_tokens = tokens[:skip]
            found = _order(order_tokens)
            if found is None:
                raise self.error("the order of this derivative is not a digit",
                                 tokens[0].position)
            order, tokens = found, tokens[skip:]
        if not tokens:
            raise self.error("nothing to differentiate above the fraction bar", frac.position)
        if order != var_order:
            raise self.error("the orders of the derivative above and below do not match",
                             frac.position)
        variable = self.symbol_named(var_token.text.removeprefix("\\"), var_token)
        close = self.tokens[numerator[1] - 1]
        end = close.position if close.kind == "op" and close.text == "}" else (
            tokens[-1].position + len(tokens[-1].shown))
        after = self.tokens[min(denominator[1], len(self.tokens) - 1)]
        evaluated = after.kind == "open" and after.text == "("  # dF/du(u(x)): F' at u(x)
        operand = self.named_function(tokens, variable, evaluated=evaluated)
        if operand is None:
            operand = self.subparse(tokens[0].position, end, frac)
            if isinstance(operand, sympy.Symbol) and operand != variable:
                # dy/dx with y a plain variable would be 0: y is meant as a function of x
                # (dt/dt, TU Delft's `\frac{dt}{dt}`, is 1)
                raise self.error(f"d{operand}/d{variable} needs {operand} defined: "
                                 f"`{operand} = ...` or `{operand}(x) = ...` in the document",
                                 tokens[0].position)
        self.index = denominator[1]
        return self.at_point(sympy.Derivative(operand, (variable, order)), variable)

    def at_point(self, derivative: sympy.Expr, variable: sympy.Symbol) -> sympy.Expr:
        """`\\frac{dg}{dx}(x)`, `y'(\\pi/2)`: a derivative written as a function, taken at
        its argument (not multiplied by it)."""
        if not self.call_follows() or self.at("op", "{"):
            return derivative
        opened = self.token
        args = self.arguments()
        if len(args) != 1:
            raise self.error("a derivative takes one argument here", opened.position)
        return derivative if args[0] == variable else derivative.subs(variable, args[0])

    def named_function(self, tokens: list[Token], variable: sympy.Symbol, *,
                       evaluated: bool = False) -> sympy.Expr | None:
        """`f` or `L` alone above the bar: the function at its parameters."""
        if len(tokens) != 1 or tokens[0].kind not in ("letter", "word", "command", "operator"):
            return None
        name = tokens[0].text.removeprefix("\\")
        builder = self.functions.get(name)
        if builder is None:
            return None
        parameters = vars(builder).get("parameters")  # set by the scope on its definitions
        if parameters and len(parameters) > 1:
            if variable.name not in parameters:
                # ∂a/∂u with a(w, x, y, z): a chain rule through a dependency the text
                # states elsewhere, not the partial of a's formula (which would be 0)
                raise self.error(f"{name} is a function of ({', '.join(parameters)}), not of "
                                 f"{variable}", tokens[0].position)
            return builder(*(self.symbol_named(p, tokens[0]) for p in parameters))
        if parameters and parameters[0] != variable.name and len(name) == 1 and not evaluated:
            # `p(z) = 10000z`, then dp/dt: p through z(t), a dependency the text states
            # elsewhere (the chain rule), not p's formula in t
            raise self.error(f"{name} is a function of {parameters[0]}, not of {variable}",
                             tokens[0].position)
        return builder(variable)

    def derivative_operator(self, frac: Token) -> sympy.Expr | None:
        r"""`\frac{d}{dx} EXPR` as sympy.Derivative(EXPR, x), like `d/dx EXPR`; None when
        this \frac is not a derivative operator."""
        numerator = self.span(self.index)
        if numerator is None or not numerator[0] or not _is_differential(numerator[0][0]):
            return None
        denominator = self.span(numerator[1])
        if denominator is None:
            return None
        variable = _differential_of(denominator[0])
        order = _order(numerator[0][1:])
        if variable is None:
            return None
        var_token, var_order = variable
        if order is None:
            return self.leibniz(frac, numerator, denominator, var_token, var_order)
        if order != var_order:
            raise self.error("the orders of the derivative above and below do not match",
                             frac.position)
        self.index = denominator[1]
        var = self.symbols.get(var_token.text.removeprefix("\\"))
        if var is None:
            var = sympy.Symbol(var_token.text.removeprefix("\\"), real=True)
        token = self.token
        if token.kind in ("end", "close") or (token.kind == "op" and token.text in "+-}"):
            raise self.error(f"{frac.shown}{{d}}{{d{var}}} needs an expression after it",
                             token.position)
        with self.deeper(token.position):
            if token.kind == "open" and token.text in OPENERS:
                operand = self.power()
                after = self.token
                # d/dx(u) \cdot v is (du/dx)·v: an explicit product sign ends the operand
                # at its bracket, as derive's printer writes it; d/dx(u) v, d/dx(u)/v are
                # ambiguous.
                explicit = after.kind == "op" and after.source in (r"\cdot", r"\times")
                if not explicit and (self.starts_factor(after)
                                     or (after.kind == "op" and after.text in "*/")):
                    raise self.error(self.ambiguous_derivative(var), after.position)
            else:
                operand = self.term()
                after = self.token
                # 3\frac{d}{dx} x^2 - 4\frac{d}{dx} x: when every term after this one has a
                # derivative operator of its own, each applies to its term; otherwise
                # (d/dx x^2 - 4x) where the operand ends is the writer's, not derive's, guess
                if after.kind == "op" and after.text in "+-" and not all(
                        self.has_derivative_operator(part) for part in self.later_terms()):
                    raise self.error(self.ambiguous_derivative(var), after.position)
        return sympy.Derivative(operand, var) if order == 1 else sympy.Derivative(operand, (var, order))

    def later_terms(self) -> list[list[Token]]:
        """The terms after this point of the group it stands in, split at its `+` and `-`
        (the tokens of each; brackets and braces left out)."""
        terms: list[list[Token]] = []
        for _, token, depth in self.group_tokens(self.index, len(self.tokens) - 1):
            if depth == 0 and token.kind == "op" and token.text in "+-":
                if not terms or terms[-1]:
                    terms.append([])
            elif terms:
                terms[-1].append(token)
        return [term for term in terms if term]

    def has_derivative_operator(self, tokens: list[Token]) -> bool:
        r"""Does a term hold `\frac{d}{dx}` (`\frac{\mathrm{d}}{\mathrm{d}x}`, `\frac{\partial}{...}`)?"""
        for token in tokens:
            if token.text in FRACTIONS:
                index = self.tokens.index(token)
                numerator = self.span(index + 1)
                if numerator and len(numerator[0]) == 1 and _is_differential(numerator[0][0]):
                    return True
        return False

    # -- limits, integrals, sums ------------------------------------------------------

    def operand(self, owner: Token, variable: sympy.Symbol) -> sympy.Expr:
        """What \\lim, \\sum or \\prod applies to: a bracket, or the (signed) term after
        it. When terms follow with `+` or `-`: if every one that uses the bound variable has
        an operator of the same kind of its own (`\\lim 3x^2 - \\lim 5x + \\lim 7`), each
        applies to its term; if none has one (`\\lim_{h \\to 0} -64 - 16h`), this one applies
        to them all, the only reading that leaves no bound variable outside its operator (and
        terms without the variable give the same value either way); anything else is
        ambiguous."""
        token = self.token
        if token.kind in ("end", "close") or (token.kind == "op" and token.text in "}="):
            raise self.error(f"{owner.shown.strip()} needs an expression after it", token.position)
        with self.deeper(token.position):
            if token.kind == "open" and token.text in OPENERS:
                operand = self.power()
            else:
                operand = self.term() if not (token.kind == "op" and token.text in "+-") else (
                    self.signed_term())
        after = self.token
        if not (after.kind == "op" and after.text in "+-"):
            return operand
        terms = self.later_terms()
        using = [term for term in terms if self.names(term, variable)]
        own = [term for term in terms if any(t.text == owner.text for t in term)]
        if using and not own:
            with self.deeper(after.position):
                while self.at("op", "+") or self.at("op", "-"):
                    operand = operand + self.signed_term()
            return operand
        if using and any(not any(t.text == owner.text for t in term) for term in using):
            raise self.error(f"ambiguous: does {owner.shown.strip()} apply to what follows "
                             f"{after.text!r} too? write {owner.shown.strip()}\\left(...\\right)",
                             after.position)
        return operand

    def signed_term(self) -> sympy.Expr:
        """`-16h`, `+ x^2`: a sign and the term after it."""
        sign = self.advance()
        with self.deeper(sign.position):
            value = self.term()
        return value if sign.text == "+" else -value

    @staticmethod
    def names(tokens: list[Token], variable: sympy.Symbol) -> bool:
        name = str(variable)
        return any(token.kind in ("letter", "word", "command")
                   and token.text.removeprefix("\\") == name for token in tokens)

    def group_tokens(self, start: int, stop: int) -> Iterator[tuple[int, Token, int]]:
        """The tokens from `start` (before `stop`) to the end of the group they stand in,
        where a bracket or brace closes one more level than it opens: each with its index
        and its depth below `start`. The brackets and braces themselves are not given."""
        depth = 0
        for index in range(start, stop):
            token = self.tokens[index]
            if token.kind == "open" or (token.kind == "op" and token.text == "{"):
                depth += 1
            elif token.kind == "close" or (token.kind == "op" and token.text == "}"):
                depth -= 1
                if depth < 0:
                    return
            else:
                yield index, token, depth

    def limit(self) -> sympy.Expr:
        r"""`\lim_{x \to a} EXPR` (also `\rightarrow`, `a^+`, `a^-`): sympy.Limit, taken later."""
        lim = self.advance()
        if not self.at("op", "_"):
            raise self.error(r"\lim needs a subscript: \lim_{x \to a}", lim.position)
        self.advance()
        opened = self.token
        if not self.at("op", "{"):
            raise self.error(r"write the limit's subscript in braces: \lim_{x \to a}",
                             opened.position)
        self.advance()
        name = self.advance()
        if name.kind not in ("letter", "word", "command"):
            raise self.error(r"expected a variable: \lim_{x \to a}", name.position)
        variable = self.symbol_named(name.text.removeprefix("\\"), name)
        arrow = self.advance()
        if arrow.text not in (r"\to", r"\rightarrow", r"\longrightarrow"):
            raise self.error(r"expected \to: \lim_{x \to a}", arrow.position)
        group = self.span(self.index - 3)  # the subscript's braces: { x \to a }
        if group is None:
            raise self.error(r"the limit's subscript is not closed", opened.position)
        close_index = group[1] - 1
        texts = [t.text for t in self.tokens[self.index:close_index]]
        direction = "+-"
        end = close_index
        # a^+ a^- a^{+} a^{-}: a one-sided limit
        for pattern in (["^", "+"], ["^", "-"], ["^", "{", "+", "}"], ["^", "{", "-", "}"],
                        ["+"], ["-"]):  # `\lim_{x\to 0+}`, as some books write it
            if texts[-len(pattern):] == pattern and len(texts) > len(pattern):
                direction = "+" if "+" in pattern else "-"
                end = close_index - len(pattern)
                break
        if end <= self.index:
            raise self.error(r"expected a point: \lim_{x \to a}", arrow.position)
        with self.infinity_allowed():
            target = self.subparse(self.tokens[self.index].position, self.tokens[end].position,
                                   arrow)
        self.index = close_index + 1
        if target.has(sympy.oo, -sympy.oo):
            direction = "-" if target == sympy.oo else "+"
        # the limit's variable is a variable inside it, even where a function has its name
        # (\lim_{h \to 0} with h(x) defined, or h an unknown function of the document)
        saved = self.functions
        self.functions = {k: v for k, v in self.functions.items() if k != str(variable)}
        try:
            operand = self.operand(lim, variable)
        finally:
            self.functions = saved
        quotient = _difference_quotient(operand, variable, target, direction)
        if quotient is not None:
            return quotient
        return sympy.Limit(operand, variable, target, direction)

    def sum_or_product(self) -> sympy.Expr:
        r"""`\sum_{i=1}^{n} EXPR`, `\prod_{k=0}^{\infty} EXPR`: taken later by SymPy."""
        sign = self.advance()
        if not (self.at("op", "_") and self.peek().text == "{" and self.peek(3).text == "="):
            raise self.error(f"{sign.text} without bounds {sign.text}_{{i=1}}^{{n}}: a sum over "
                             "indexed terms is vector notation, not checked", sign.position)
        self.advance()
        opened = self.advance()
        name = self.advance()
        if name.kind not in ("letter", "word", "command"):
            raise self.error(f"expected an index: {sign.text}_{{i=1}}^{{n}}", name.position)
        index = sympy.Symbol(name.text.removeprefix("\\"), integer=True)
        self.advance()  # =
        with self.infinity_allowed():
            lower = self.expression()
        self.expect_op("}", opened)
        if not self.at("op", "^"):
            raise self.error(f"{sign.text} needs an upper bound: {sign.text}_{{i=1}}^{{n}}",
                             sign.position)
        caret = self.advance()
        upper = self.bound(caret)
        saved_symbols = self.symbols
        self.symbols = {**self.symbols, str(index): index}
        try:
            operand = self.operand(sign, index)
        finally:
            self.symbols = saved_symbols
        kind = sympy.Sum if sign.text == r"\sum" else sympy.Product
        return kind(operand, (index, lower, upper))

    def integral(self) -> sympy.Expr:
        r"""`\int f(x)\,dx`, `\int_a^b f(x)\,\mathrm{d}x`: sympy.Integral, indefinite or not."""
        sign = self.advance()
        lower = upper = None
        for _ in range(2):
            if self.at("op", "_") and lower is None:
                mark = self.advance()
                lower = self.bound(mark)
            elif self.at("op", "^") and upper is None:
                mark = self.advance()
                upper = self.bound(mark)
        if (lower is None) != (upper is None):
            raise self.error(r"an integral needs both bounds, \int_a^b, or none", sign.position)
        differential = self.differential_at()
        if differential is None:
            raise self.error(r"an integral needs its differential at the end: \int f(x)\,dx",
                             sign.position)
        d_index, var_token, end = differential
        start = self.token
        # `\int 9u^8\,du \big|_{u=\sin x}` beside `u(x) = \sin x`: in its own integral the
        # variable is a variable, whatever function the name also stands for
        name = var_token.text.removeprefix("\\")
        saved = self.functions
        if name in saved:
            self.functions = {k: v for k, v in saved.items() if k != name}
        try:
            if d_index == self.index:
                integrand: sympy.Expr = sympy.Integer(1)
            else:
                integrand = self.subparse(start.position, self.tokens[d_index].position, sign)
        finally:
            self.functions = saved
        self.index = end
        variable = self.symbol_named(var_token.text.removeprefix("\\"), var_token)
        if lower is None:
            return sympy.Integral(integrand, variable)
        return sympy.Integral(integrand, (variable, lower, upper))

    def differential_at(self) -> tuple[int, Token, int] | None:
        """The index where the `dx` that ends the integrand starts (outside brackets and
        braces), the variable's token and the index past it; None past the group, or at
        another \\int. A differential in braces, `{\\mathrm{d}x}` (what a macro such as
        CLP's `\\dee{x}` expands to), counts: the braces hold nothing else."""
        for index, token, depth in self.group_tokens(self.index, len(self.tokens) - 1):
            if depth == 1 and self._braced_differential(index):
                return index - 1, self.tokens[index + 1], index + 3
            if depth:
                continue
            if self._is_d_var(index):
                return index, self.tokens[index + 1], index + 2
            if index > self.index and token.text == r"\int":
                return None
        return None

    def _braced_differential(self, index: int) -> bool:
        """Is `{dx}` around the `d` at `index` a group of its own, not an argument
        (`\\frac{dx}{x}`, `e^{dx}`)?"""
        opened = self.tokens[index - 1]
        if opened.text != "{" or index < 2 or index + 2 >= len(self.tokens):
            return False
        before = self.tokens[index - 2]
        if not (self._is_d_var(index) and self.tokens[index + 2].text == "}"):
            return False
        if before.text == "}":  # after a group: a \frac's denominator only after its numerator
            depth, at = 0, index - 2
            while at >= 0:
                depth += {"}": 1, "{": -1}.get(self.tokens[at].text, 0)
                if depth == 0:
                    break
                at -= 1
            return at < 1 or self.tokens[at - 1].text not in _FRACTIONS
        return before.text not in _TAKES_ARGUMENT

    def _is_d_var(self, index: int) -> bool:
        """Is the token at `index` the `d` of `dx` (`\\mathrm{d}x`, `d\\theta`)?"""
        token, var = self.tokens[index], self.tokens[index + 1]
        return token.kind in ("letter", "word") and token.text == "d" and (
            var.kind in ("letter", "word") or (var.kind == "command" and var.text[1:] in GREEK))

    @staticmethod
    def ambiguous_derivative(var: sympy.Symbol) -> str:
        return (f"ambiguous: where does the expression the derivative applies to end? write "
                f"\\frac{{d}}{{d{var}}}\\left(...\\right)")


# what a brace group after these is an argument of (`\frac{dx}{x}`, `e^{dx}`, `\sqrt[3]{dx}`)
_FRACTIONS = frozenset({r"\frac", r"\dfrac", r"\tfrac", r"\cfrac", r"\binom"})
_TAKES_ARGUMENT = _FRACTIONS | {"^", "_", "]", r"\sqrt"}


def _difference_quotient(operand: sympy.Expr, variable: sympy.Symbol, target: sympy.Expr,
                         direction: str) -> sympy.Expr | None:
    r"""`\lim_{h \to 0} \frac{f(a+h) - f(a)}{h}`, `\lim_{x \to a} \frac{f(x) - f(a)}{x - a}`
    with f a function nothing defines: the derivative of the numerator at the point, by
    the derivative's definition (the limit of N(v)/(v - a) with N(a) = 0 is N'(a), and one
    exists when the other does). SymPy cannot take such limits; a two-sided one only."""
    if direction != "+-" or target.has(sympy.oo, -sympy.oo) or variable in target.free_symbols:
        return None
    if not operand.has(sympy.core.function.AppliedUndef):
        return None
    numerator, denominator = sympy.fraction(sympy.together(operand))
    if sympy.expand(denominator - (variable - target)) != 0:
        return None
    if numerator.subs(variable, target) != 0:
        return None
    return sympy.Subs(sympy.Derivative(numerator, variable), variable, target)


def _catalog_function(name: str) -> tuple[Callable[..., sympy.Expr], tuple[int, ...] | None] | None:
    """A function of derive's catalog by name or alias (`sigma`, `softplus`, `ReLU`),
    applied to any argument; None for a name it lacks or one with parameters (ELU's alpha)."""
    from derive.parse import catalog

    if not catalog.is_named(name):
        return None
    entry = catalog.lookup(name)
    if entry.parameters:
        return None
    expr, x, _ = entry.build()

    def apply(argument: sympy.Expr) -> sympy.Expr:
        return expr.xreplace({x: argument})

    return apply, (1,)


def _is_differential(token: Token) -> bool:
    return (token.kind in ("letter", "word") and token.text == "d") or token.text == r"\partial"


def _order(tokens: list[Token]) -> int | None:
    """1 for no tokens, n for `^n` or `^{n}`; None for anything else."""
    if not tokens:
        return 1
    texts = [(t.kind, t.text) for t in tokens]
    if texts[0] != ("op", "^"):
        return None
    rest = texts[1:]
    if len(rest) == 3 and rest[0] == ("op", "{") and rest[2] == ("op", "}"):
        rest = rest[1:2]
    if len(rest) == 1 and rest[0][0] == "number" and rest[0][1].isdigit() and len(rest[0][1]) == 1:
        order = int(rest[0][1])
        return order if order >= 1 else None
    return None


def _differential_of(tokens: list[Token]) -> tuple[Token, int] | None:
    """`dx`, `\\mathrm{d}x`, `\\partial x`, `dx^2`: the variable's token and the order."""
    if len(tokens) < 2 or not _is_differential(tokens[0]):
        return None
    var = tokens[1]
    if not (var.kind in ("letter", "word") or (var.kind == "command" and var.text[1:] in GREEK)):
        return None
    order = _order(tokens[2:])
    return None if order is None else (var, order)


def parse_latex_math(text: str, *, symbols: Mapping[str, sympy.Expr] | None = None,
                     functions: Mapping[str, Callable[..., sympy.Expr]] | None = None,
                     where: str = "", catalog: bool = False) -> sympy.Expr:
    """The SymPy value of the LaTeX math `text`; ParseError (with a position) for anything else.

    `symbols` may map a name to an expression (a document's `y = x^2`). With `catalog`, a
    name of derive's catalog that is called, `\\sigma(x)` or `\\operatorname{softplus}(x)`,
    is that function when `functions` does not define it."""
    check_length(text, MAX_LATEX_LENGTH, where)
    try:
        return _Parser(text, symbols or {}, functions or {}, where, catalog=catalog).parse()
    except ParseError as error:
        if error.where or not where:
            raise
        raise ParseError(error.message, error.text, error.position, where=where) from None
