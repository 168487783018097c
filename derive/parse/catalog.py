"""The catalog of named functions (`derive list`): activation functions as data.

Expressions are built on demand (no SymPy work at import) in the form a teacher writes,
e.g. the sigmoid as 1/(1 + exp(-x)). Parameters are positive real symbols.

Each entry is also a function an expression may call (`x*sigmoid(x)`, `relu(x - 1)`): the
parser builds it as an applied head (`head`), and its `derivative` is the lemma its own
walkthrough proves, cited there instead of derived again (each step citing it is still
verified). An entry with a defining `identity` (tanh = sinh/cosh, swish = x·σ(x)) has its
walkthrough start from that identity.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import sympy
from sympy.core.function import AppliedUndef

from derive.errors import InputError
from derive.model import Definition

Builder = Callable[[sympy.Symbol, dict[str, sympy.Symbol]], sympy.Expr]


@dataclass(frozen=True)
class CatalogEntry:
    name: str
    aliases: tuple[str, ...]
    symbol_latex: str
    formula: str  # as `derive list` shows it
    summary: str
    builder: Builder
    parameters: tuple[str, ...] = ()
    # f'(u) as the entry's walkthrough proves it, written with heads (σ(u)(1 − σ(u))); None
    # where derive's own rule covers the name inside an expression (tanh is elementary).
    derivative: Builder | None = None
    # The defining identity the walkthrough starts from, in derive's syntax with catalog
    # functions by name ("sinh(x)/cosh(x)", "x*sigmoid(x)"); None: the formula is the definition.
    identity: str | None = None

    def build(self) -> tuple[sympy.Expr, sympy.Symbol, dict[str, sympy.Symbol]]:
        return _built(self.name)


def _sigmoid(u: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + sympy.exp(-u))


def _softplus(u: sympy.Expr) -> sympy.Expr:
    return sympy.log(1 + sympy.exp(u))


# The head an expression writes an entry with: σ for the sigmoid, the entry's name otherwise.
_HEAD_NAMES = {"sigmoid": "sigma"}


def head(name: str) -> sympy.FunctionClass:
    """The undefined SymPy function standing for a catalog function inside an expression."""
    entry = _BY_NAME[name.lower()]
    return sympy.Function(_HEAD_NAMES.get(entry.name, entry.name))


def _s(u: sympy.Expr) -> sympy.Expr:
    return sympy.Function("sigma")(u)


def _steps(*pieces: tuple[sympy.Basic, sympy.Basic]) -> sympy.Expr:
    """A piecewise derivative given only on its open pieces: none at a kink."""
    return sympy.Piecewise(*pieces)


_HALF = sympy.Rational(1, 2)
# SELU's constants (Klambauer et al. 2017), to the digits PyTorch uses, as exact rationals.
_SELU_ALPHA = sympy.Rational("1.6732632423543772848170429916717")
_SELU_SCALE = sympy.Rational("1.0507009873554804934193349852946")

_GELU_TANH_C = sympy.Rational("0.044715")


def _gelu_tanh_derivative(u: sympy.Expr) -> sympy.Expr:
    k = sympy.sqrt(2 / sympy.pi)
    t = sympy.tanh(k * (u + _GELU_TANH_C * u**3))
    return (1 + t) / 2 + u / 2 * (1 - t**2) * k * (1 + 3 * _GELU_TANH_C * u**2)


ENTRIES: tuple[CatalogEntry, ...] = (
    CatalogEntry("sigmoid", ("logistic", "sigma"), r"\sigma", "1/(1 + exp(-x))",
                 "the logistic sigmoid, from 0 to 1", lambda x, p: _sigmoid(x),
                 derivative=lambda u, p: sympy.Mul(_s(u), 1 - _s(u), evaluate=False)),
    CatalogEntry("tanh", (), r"\tanh", "tanh(x)", "the hyperbolic tangent, from -1 to 1",
                 lambda x, p: sympy.tanh(x), identity="sinh(x)/cosh(x)"),
    CatalogEntry("softplus", (), r"\operatorname{softplus}", "log(1 + exp(x))",
                 "a smooth ReLU", lambda x, p: _softplus(x), derivative=lambda u, p: _s(u)),
    CatalogEntry("softsign", (), r"\operatorname{softsign}", "x/(1 + abs(x))",
                 "a slower-saturating tanh", lambda x, p: x / (1 + sympy.Abs(x)),
                 derivative=lambda u, p: 1 / (1 + sympy.Abs(u)) ** 2),
    CatalogEntry("relu", (), r"\operatorname{ReLU}", "max(0, x)", "the rectified linear unit",
                 lambda x, p: sympy.Max(0, x),
                 derivative=lambda u, p: _steps((0, u < 0), (1, u > 0))),
    CatalogEntry("leaky_relu", ("leakyrelu",), r"\operatorname{LeakyReLU}",
                 "max(alpha*x, x), alpha = 1/100", "ReLU with a small slope for x < 0",
                 lambda x, p: sympy.Max(sympy.Rational(1, 100) * x, x),
                 derivative=lambda u, p: _steps((sympy.Rational(1, 100), u < 0), (1, u > 0))),
    CatalogEntry("elu", (), r"\operatorname{ELU}", "x if x > 0 else alpha*(exp(x) - 1)",
                 "the exponential linear unit", lambda x, p: sympy.Piecewise(
                     (x, x > 0), (p["alpha"] * (sympy.exp(x) - 1), True)), ("alpha",),
                 derivative=lambda u, p: _steps((1, u > 0),
                                                (p["alpha"] * sympy.exp(u), u < 0))),
    CatalogEntry("selu", (), r"\operatorname{SELU}",
                 "scale*(x if x > 0 else alpha*(exp(x) - 1)), scale = 1.0507…, alpha = 1.6733…",
                 "the scaled ELU", lambda x, p: sympy.Piecewise(
                     (_SELU_SCALE * x, x > 0),
                     (_SELU_SCALE * _SELU_ALPHA * (sympy.exp(x) - 1), True)),
                 derivative=lambda u, p: _steps((_SELU_SCALE, u > 0), (
                     _SELU_SCALE * _SELU_ALPHA * sympy.exp(u), u < 0))),
    CatalogEntry("swish", ("silu",), r"\operatorname{swish}", "x/(1 + exp(-x))",
                 "x times its sigmoid (SiLU; swish with beta = 1)", lambda x, p: x * _sigmoid(x),
                 derivative=lambda u, p: sympy.Mul(_s(u), 1 + u * (1 - _s(u)), evaluate=False),
                 identity="x*sigmoid(x)"),
    CatalogEntry("gelu", (), r"\operatorname{GELU}", "x/2*(1 + erf(x/sqrt(2)))",
                 "the Gaussian error linear unit",
                 lambda x, p: x / 2 * (1 + sympy.erf(x / sympy.sqrt(2))),
                 derivative=lambda u, p: (1 + sympy.erf(u / sympy.sqrt(2))) / 2
                 + u * sympy.exp(-u**2 / 2) / sympy.sqrt(2 * sympy.pi)),
    CatalogEntry("gelu_tanh", (), r"\operatorname{GELU}_{\tanh}",
                 "x/2*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x**3)))", "GELU's tanh approximation",
                 lambda x, p: x / 2 * (1 + sympy.tanh(sympy.sqrt(2 / sympy.pi) * (
                     x + _GELU_TANH_C * x**3))),
                 derivative=lambda u, p: _gelu_tanh_derivative(u)),
    CatalogEntry("mish", (), r"\operatorname{mish}", "x*tanh(log(1 + exp(x)))",
                 "x times tanh of softplus", lambda x, p: x * sympy.tanh(_softplus(x)),
                 identity="x*tanh(softplus(x))",
                 derivative=lambda u, p: sympy.tanh(_softplus(u))
                 + u * _s(u) * (1 - sympy.tanh(_softplus(u)) ** 2)),
    CatalogEntry("log_sigmoid", ("logsigmoid",), r"\operatorname{logsigmoid}",
                 "-log(1 + exp(-x))", "the logarithm of the sigmoid",
                 lambda x, p: -sympy.log(1 + sympy.exp(-x)),
                 derivative=lambda u, p: 1 - _s(u), identity="log(sigmoid(x))"),
    CatalogEntry("hard_sigmoid", ("hardsigmoid",), r"\operatorname{hardsigmoid}",
                 "max(0, min(1, x/6 + 1/2))", "a piecewise-linear sigmoid (PyTorch's)",
                 lambda x, p: sympy.Max(0, sympy.Min(1, x / 6 + _HALF)),
                 derivative=lambda u, p: _steps((0, u < -3), (sympy.Rational(1, 6), (u > -3) & (u < 3)),
                                                (0, u > 3))),
)

# How prose names them: "the derivative of the leaky ReLU function", not "leaky relu".
_PROSE_NAMES = {"relu": "ReLU", "leaky_relu": "leaky ReLU", "elu": "ELU", "selu": "SELU",
                "gelu": "GELU", "gelu_tanh": "GELU (tanh approximation)",
                "log_sigmoid": "log-sigmoid", "hard_sigmoid": "hard sigmoid"}


def prose_name(name: str) -> str:
    """The name a sentence uses for a catalog function (or the name itself)."""
    return _PROSE_NAMES.get(name, name.replace("_", " "))


_BY_NAME = {name.lower(): entry for entry in ENTRIES for name in (entry.name, *entry.aliases)}


@cache
def _built(name: str) -> tuple[sympy.Expr, sympy.Symbol, dict[str, sympy.Symbol]]:
    entry = _BY_NAME[name]
    x = sympy.Symbol("x", real=True)
    params = {p: sympy.Symbol(p, positive=True) for p in entry.parameters}
    return entry.builder(x, params), x, params


def entries() -> tuple[CatalogEntry, ...]:
    return ENTRIES


def is_named(name: str) -> bool:
    """Whether the catalog has a function of this name or alias."""
    return name.strip().lower() in _BY_NAME


def lookup(name: str) -> CatalogEntry:
    """The entry for a name or alias, case-insensitively."""
    entry = _BY_NAME.get(name.strip().lower())
    if entry is not None:
        return entry
    close = difflib.get_close_matches(name.lower(), sorted(_BY_NAME), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise InputError(f"unknown function '{name}'{hint} See `derive list`.")


# --- catalog functions inside expressions ------------------------------------------------

_U = sympy.Dummy("u", real=True)


@cache
def _by_head() -> dict[str, CatalogEntry]:
    return {_HEAD_NAMES.get(e.name, e.name): e for e in ENTRIES if e.derivative is not None}


def entry_of_head(name: str) -> CatalogEntry | None:
    """The catalog entry an expression's head (sigma, relu, ...) stands for, or None."""
    return _by_head().get(name)


def expression_functions() -> dict[str, Callable[[sympy.Expr], sympy.Expr]]:
    """The catalog's names (and aliases) as functions the expression parser may call: each
    builds its applied head, e.g. sigmoid(x - 1) -> sigma(x - 1). A name the parser already
    knows as a function of its own (tanh) keeps that meaning."""
    from derive.parse.expression import FUNCTIONS

    found: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {}
    for entry in ENTRIES:
        if entry.derivative is None:
            continue
        for name in (entry.name, *entry.aliases):
            if name not in FUNCTIONS:
                found[name] = _one_argument(head(entry.name))
    return found


def _one_argument(function: sympy.FunctionClass) -> Callable[[sympy.Expr], sympy.Expr]:
    # An undefined SymPy function takes any number of arguments; a catalog function takes one
    # (the parser turns this TypeError into "wrong number of arguments").
    def call(u: sympy.Expr) -> sympy.Expr:
        return function(u)
    return call


@cache
def definition_of(name: str) -> Definition:
    """A catalog function as a lemma: its head, applied to a variable u, stands for its body."""
    entry = _BY_NAME[name.lower()]
    params = _built(entry.name)[2]
    function = head(entry.name)
    return Definition(function.__name__, entry.symbol_latex, function, _U,
                      entry.builder(_U, params))


def derivative_of(name: str, u: sympy.Expr) -> sympy.Expr:
    """The lemma F'(u) its walkthrough proves, written with heads where it has them."""
    entry = _BY_NAME[name.lower()]
    assert entry.derivative is not None
    return entry.derivative(u, _built(entry.name)[2])


def _is_head(node: sympy.Basic) -> bool:
    return isinstance(node, AppliedUndef) and node.func.__name__ in _by_head()


def heads_in(expr: sympy.Basic) -> tuple[Definition, ...]:
    """The lemmas (catalog functions) an expression writes by name, in a stable order."""
    names = {n.func.__name__ for n in sympy.preorder_traversal(expr) if _is_head(n)}
    return tuple(definition_of(_by_head()[n].name) for n in sorted(names))


def expand(expr: sympy.Expr) -> sympy.Expr:
    """expr with every catalog function written out as its body (inside ones first)."""
    def body(node: sympy.Expr) -> sympy.Expr:
        definition = definition_of(_by_head()[node.func.__name__].name)
        return definition.body.xreplace({definition.variable: node.args[0]})

    if not any(_is_head(n) for n in sympy.preorder_traversal(expr)):
        return expr
    return expr.replace(_is_head, body)


@cache
def identity_of(name: str) -> sympy.Expr | None:
    """The entry's defining identity (tanh: sinh x / cosh x), in its own variable, or None."""
    from derive.parse.expression import parse_expression

    entry = _BY_NAME[name.lower()]
    if entry.identity is None:
        return None
    _, x, params = _built(entry.name)
    return parse_expression(entry.identity, symbols={"x": x, **params},
                            functions=expression_functions(), where=f"the identity of {name}")
