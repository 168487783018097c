"""What is in force while a file is read: `let` definitions and `assume` assumptions.

Both `.derive` files and document directives (`% derive: let ...`) go through here, and
so does every expression of a chain (`read_expression`), so a name means the same thing
in every format. Nothing here evaluates user text: expressions go to the safe parsers
`derive.parse.expression` and `derive.parse.latex`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

import sympy

from derive.errors import ParseError

if TYPE_CHECKING:
    from derive.check.macros import Macro

# A longer expression is almost surely not hand-written, and a pathological one could
# keep the parser busy: refuse it with a clear message instead.
MAX_EXPRESSION = 4000

# `assume x positive` words, and the SymPy assumption each sets.
WORDS = {
    "positive": "positive",
    "negative": "negative",
    "nonzero": "nonzero",
    "nonnegative": "nonnegative",
    "nonpositive": "nonpositive",
    "integer": "integer",
}
# `assume x > 0`: comparisons with zero only, because that is what assumptions can say.
COMPARISONS = {
    ">": "positive",
    ">=": "nonnegative",
    "≥": "nonnegative",
    "<": "negative",
    "<=": "nonpositive",
    "≤": "nonpositive",
    "!=": "nonzero",
    "≠": "nonzero",
}

NAME = r"[^\W\d]\w*"
_LET = re.compile(rf"let\s+(?P<name>{NAME})\s*(?:\((?P<params>[^)]*)\))?\s*=\s*")
_ASSUME = re.compile(r"assume\s+")
_NAMES = re.compile(rf"\s*(?P<names>{NAME}(?:\s*,\s*{NAME})*)\s*")
_DERIVATIVE = re.compile(rf"d\s*/\s*d(?P<var>{NAME})\b\s*")
_NAME_ONLY = re.compile(rf"{NAME}\Z")
T = TypeVar("T")
Functions = dict[str, Callable[..., sympy.Expr]]
# Reading one line may take this long before it is refused (see `bounded`).
READ_SECONDS = 5.0


class Scope:
    """Definitions and assumptions, in the order a file states them."""

    def __init__(self) -> None:
        self.assumptions: dict[str, dict[str, bool]] = {}
        self.functions: dict[str, Callable[..., sympy.Expr]] = {}
        # `y = x^2` in a document: y stands for its value from there on
        self.values: dict[str, sympy.Expr] = {}
        self.macros: dict[str, Macro] = {}  # a document's \newcommand, by name

    # -- definitions read from a document's own rows -----------------------------------

    def expanded(self, text: str) -> str:
        """`text` with the document's macros expanded (argument substitution only)."""
        if not self.macros:
            return text
        from derive.check.macros import expand

        return expand(text, self.macros)

    def placeholders(self, params: list[str]) -> list[sympy.Symbol]:
        """What a definition's parameters stand for in its body: real, with no other
        assumption, so that an `assume x positive` on a variable of the same name cannot
        leak into the body (sqrt(x**2) must stay |x| there). A name no `assume` touches
        is the scope's own symbol, the one the chains use: then `s(x)` is the body as it
        was built, not a rebuild of every node (which SymPy evaluates again, ~1 ms for a
        sigmoid); a name with assumptions gets a Dummy."""
        return [self.symbol(param) if not self.assumptions.get(param)
                else sympy.Dummy(param, real=True) for param in params]

    def define(self, name: str, params: list[str], latex: str) -> None:
        """`f(x) = LATEX` in a document: like `let f(x) = ...`, in LaTeX."""
        placeholders = self.placeholders(params)
        symbols = {**self.latex_symbols(), **dict(zip(params, placeholders, strict=True))}
        # a parameter shadows a function of the same name (`f(u, v) = (u+v)^2` after
        # `u(a, b) = …`: u is f's parameter here)
        others = {k: v for k, v in self.functions.items() if k != name and k not in params}
        body = _parse_latex(latex, symbols, others, shift=0)
        self.values.pop(name, None)
        self.functions[name] = _definition(name, tuple(placeholders), body)

    def define_composed(self, name: str, param: str, latex: str) -> None:
        r"""`p = fg`, `h = f \circ g` (`latex` is it at `param`: `f(x) g(x)`): what f and g
        are is looked up when p is used, not when it is stated ("we write $h = pq$ with
        $p(x) = \sin(x)$ and $q(x) = \cos(x)$"); a letter nothing defines then is an
        unknown function. Read once now, so that a body derive cannot read is refused here."""
        symbol = self.symbol(param)

        def functions() -> Functions:
            known: Functions = {k: v for k, v in self.functions.items() if k not in (name, param)}
            for letter in re.findall(r"\\?([A-Za-z]+)\(", latex):
                known.setdefault(letter, sympy.Function(letter, real=True))
            return known

        _parse_latex(latex, {**self.latex_symbols(), param: symbol}, functions(), shift=0)

        def apply(*args: sympy.Expr) -> sympy.Expr:
            if len(args) != 1:
                raise TypeError(f"{name} takes 1 argument, got {len(args)}")
            body = _parse_latex(latex, {**self.latex_symbols(), param: symbol}, functions(),
                                shift=0)
            return body.xreplace({symbol: args[0]})

        apply.__name__ = name
        apply.parameters = (param,)  # type: ignore[attr-defined]
        self.values.pop(name, None)
        self.functions[name] = apply

    def define_value(self, name: str, latex: str) -> None:
        """`y = LATEX`: y stands for that expression, when it depends on a variable (a
        number, `x = 2`, is a value given to a variable, not a definition)."""
        symbols = {k: v for k, v in self.latex_symbols().items() if k != name}
        body = _parse_latex(latex, symbols, self.functions, shift=0)
        self.values.pop(name, None)
        if not body.free_symbols or sympy.Symbol(name, real=True) in body.free_symbols:
            return
        self.functions.pop(name, None)
        self.values[name] = body

    def forget(self, name: str) -> None:
        self.functions.pop(name, None)
        self.values.pop(name, None)

    def latex_symbols(self) -> dict[str, sympy.Expr]:
        return {**self.symbols(), **self.values}

    def symbol(self, name: str) -> sympy.Symbol:
        # Variables are real unless told otherwise; SymPy caches symbols by name and
        # assumptions, so the same name always gives the same symbol.
        return sympy.Symbol(name, real=True, **self.assumptions.get(name, {}))

    def symbols(self) -> dict[str, sympy.Symbol]:
        return {name: self.symbol(name) for name in self.assumptions}

    # -- directives ------------------------------------------------------------------

    def directive(self, text: str) -> None:
        """Apply `let NAME(ARGS) = EXPR` or `assume ...`; ParseError with a position."""
        if text.startswith("let") and (text[3:4].isspace()):
            self._let(text)
        elif text.startswith("assume") and text[6:7].isspace():
            self._assume(text)
        else:
            raise ParseError("expected `let NAME(ARGS) = EXPR` or `assume NAME ...`", text, 0)

    def _let(self, text: str) -> None:
        match = _LET.match(text)
        if match is None:
            raise ParseError("expected `let NAME(ARGS) = EXPR`", text, len("let "))
        name = match["name"]
        if match["params"] is None:
            raise ParseError(f"`let {name}` needs parameters: let {name}(x) = EXPR", text,
                             match.end("name"))
        params = [p.strip() for p in match["params"].split(",")] if match["params"].strip() else []
        offset = match.start("params")
        for param in params:
            if not _NAME_ONLY.match(param):
                raise ParseError(f"parameter {param!r} is not a name", text, offset)
        if len(set(params)) != len(params):
            raise ParseError("a parameter is named twice", text, offset)
        body_text = text[match.end():]
        if not body_text.strip():
            raise ParseError(f"`let {name}(...)` needs an expression after =", text, len(text))
        placeholders = self.placeholders(params)
        symbols = {**self.symbols(), **dict(zip(params, placeholders, strict=True))}
        body = _parse(body_text, symbols, self.functions, shift=match.end())
        self.functions[name] = _definition(name, tuple(placeholders), body)

    def _assume(self, text: str) -> None:
        opening = _ASSUME.match(text)
        assert opening is not None  # the caller dispatched on this very pattern
        rest_at = opening.end()
        names = _NAMES.match(text, rest_at)
        if names is None:
            raise ParseError("expected a variable name after `assume`", text, rest_at)
        what = text[names.end():].strip()
        words = what.split()
        if len(words) == 1 and words[0] in WORDS:
            assumption = WORDS[words[0]]
        elif len(words) == 2 and words[0] in COMPARISONS and words[1] == "0":
            assumption = COMPARISONS[words[0]]
        elif what and what[0] in "<>!=≥≤≠":
            raise ParseError("`assume` compares with 0 only, e.g. `assume x > 0`", text,
                             names.end())
        else:
            known = ", ".join(WORDS)
            raise ParseError(f"expected `> 0`, `< 0`, `!= 0` or one of {known}", text,
                             names.end())
        for name in (n.strip() for n in names["names"].split(",")):
            combined = {**self.assumptions.get(name, {}), assumption: True}
            try:
                sympy.Symbol(name, real=True, **combined)
            except Exception:  # InconsistentAssumptions: positive and negative
                raise ParseError(f"{name} cannot be both {' and '.join(combined)}",
                                 text, names.start()) from None
            self.assumptions[name] = combined

    # -- expressions -----------------------------------------------------------------

    def read_latex(self, text: str, functions: Functions, values: dict[str, sympy.Expr],
                   variables: frozenset[str] = frozenset()) -> sympy.Expr:
        """A row of a document, with a chain's own readings of names it does not define
        (unknown functions, a y remembered for its y'), and `variables`: names that are
        variables in this chain although the document defined functions so named."""
        if len(text) > MAX_EXPRESSION:
            raise ParseError(f"expression is too long ({len(text)} characters; the limit is "
                             f"{MAX_EXPRESSION})", text, MAX_EXPRESSION)
        symbols = {**self.latex_symbols(), **values}
        known = {k: v for k, v in {**functions, **self.functions}.items() if k not in variables}
        return _parse_latex(self.expanded(text), symbols, known, shift=0)

    def read_expression(self, text: str, *, latex_only: bool = False) -> sympy.Expr:
        """Parse one line of a chain: `d/dx EXPR`, an expression, or `$LaTeX$`.

        ParseError positions are offsets into `text`. `latex_only` reads the whole text
        as LaTeX (rows of a document).
        """
        if len(text) > MAX_EXPRESSION:
            raise ParseError(f"expression is too long ({len(text)} characters; the limit is "
                             f"{MAX_EXPRESSION})", text, MAX_EXPRESSION)
        if latex_only:
            return _parse_latex(self.expanded(text), self.latex_symbols(), self.functions,
                                shift=0)
        stripped = text.strip()
        lead = len(text) - len(text.lstrip())
        if not stripped:
            raise ParseError("expected an expression", text, len(text))
        if stripped.startswith("$"):
            if len(stripped) < 2 or not stripped.endswith("$"):
                raise ParseError("LaTeX must be closed with $", text, lead)
            inner = stripped[1:-1]
            return _parse_latex(inner, self.symbols(), self.functions, shift=lead + 1)
        match = _DERIVATIVE.match(stripped)
        if match is None:
            return _parse(stripped, self.symbols(), self.functions, shift=lead)
        rest = stripped[match.end():]
        if not rest:
            raise ParseError(f"d/d{match['var']} needs an expression after it", text, len(text))
        try:
            inner = self.read_expression(rest)
        except ParseError as error:
            raise _shifted(error, lead + match.end()) from None
        return sympy.Derivative(inner, self.symbol(match["var"]))


def bounded(read: Callable[[], T], seconds: float) -> T:
    """read() within a time limit (of CPU time, so that a busy machine reads the same file
the same way); a slow or crashing read becomes a ParseError at 0.

    The parsers build SymPy objects as they read, and some constructions are costly
    (huge powers): a file must not be able to hang the check.
    """
    from derive.timeout import attempt

    def stage() -> T | ParseError:
        try:
            return read()
        except ParseError as error:
            return error

    outcome = attempt(stage, seconds, cpu=True)
    if outcome.timed_out:
        raise ParseError(f"took more than {seconds:g} s of CPU time to read", "", 0)
    if outcome.error:
        raise ParseError(f"cannot read this: {outcome.error}", "", 0)
    value = outcome.value
    if isinstance(value, ParseError):
        raise value
    return cast(T, value)  # neither timed out nor raised: the stage's own value


def _definition(name: str, params: tuple[sympy.Symbol, ...],
                body: sympy.Expr) -> Callable[..., sympy.Expr]:
    def apply(*args: sympy.Expr) -> sympy.Expr:
        if len(args) != len(params):
            plural = "s" if len(params) != 1 else ""
            # TypeError: the parser reports it at the call, as a wrong number of arguments
            raise TypeError(f"{name} takes {len(params)} argument{plural}, got {len(args)}")
        if args == params:  # s(x) for `let s(x)`: the body itself
            return body
        return body.xreplace(dict(zip(params, args, strict=True)))

    apply.__name__ = name
    # \frac{\partial L}{\partial w} takes L at its own parameters
    apply.parameters = tuple(p.name for p in params)  # type: ignore[attr-defined]
    # feedback writes the body back as the name (derive.check.names)
    apply.placeholders = params  # type: ignore[attr-defined]
    apply.body = body  # type: ignore[attr-defined]
    return apply


def _parse(text: str, symbols: dict[str, sympy.Symbol], functions: Functions, *,
           shift: int) -> sympy.Expr:
    from derive.parse.expression import parse_expression

    try:
        return parse_expression(text, symbols=symbols, functions=functions)
    except ParseError as error:
        raise _shifted(error, shift) from None


def _parse_latex(text: str, symbols: dict[str, sympy.Symbol], functions: Functions, *,
                 shift: int) -> sympy.Expr:
    from derive.parse.latex import parse_latex_math

    try:
        return parse_latex_math(text, symbols=symbols, functions=functions, catalog=True)
    except ParseError as error:
        raise _shifted(error, shift) from None


def _shifted(error: ParseError, shift: int) -> ParseError:
    """The same error, its position counted from `shift` characters earlier."""
    return ParseError(error.message, " " * shift + error.text, error.position + shift,
                      where=error.where)
