"""The catalog of named functions (`derive list`): activation functions as data.

Expressions are built on demand (no SymPy work at import) in the form a teacher writes,
e.g. the sigmoid as 1/(1 + exp(-x)). Parameters are positive real symbols.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import sympy

from derive.errors import InputError

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

    def build(self) -> tuple[sympy.Expr, sympy.Symbol, dict[str, sympy.Symbol]]:
        return _built(self.name)


def _sigmoid(u: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + sympy.exp(-u))


def _softplus(u: sympy.Expr) -> sympy.Expr:
    return sympy.log(1 + sympy.exp(u))


_HALF = sympy.Rational(1, 2)
# SELU's constants (Klambauer et al. 2017), to the digits PyTorch uses, as exact rationals.
_SELU_ALPHA = sympy.Rational("1.6732632423543772848170429916717")
_SELU_SCALE = sympy.Rational("1.0507009873554804934193349852946")

ENTRIES: tuple[CatalogEntry, ...] = (
    CatalogEntry("sigmoid", ("logistic", "sigma"), r"\sigma", "1/(1 + exp(-x))",
                 "the logistic sigmoid, from 0 to 1", lambda x, p: _sigmoid(x)),
    CatalogEntry("tanh", (), r"\tanh", "tanh(x)", "the hyperbolic tangent, from -1 to 1",
                 lambda x, p: sympy.tanh(x)),
    CatalogEntry("softplus", (), r"\operatorname{softplus}", "log(1 + exp(x))",
                 "a smooth ReLU", lambda x, p: _softplus(x)),
    CatalogEntry("softsign", (), r"\operatorname{softsign}", "x/(1 + abs(x))",
                 "a slower-saturating tanh", lambda x, p: x / (1 + sympy.Abs(x))),
    CatalogEntry("relu", (), r"\operatorname{ReLU}", "max(0, x)", "the rectified linear unit",
                 lambda x, p: sympy.Max(0, x)),
    CatalogEntry("leaky_relu", ("leakyrelu",), r"\operatorname{LeakyReLU}",
                 "max(alpha*x, x), alpha = 1/100", "ReLU with a small slope for x < 0",
                 lambda x, p: sympy.Max(sympy.Rational(1, 100) * x, x)),
    CatalogEntry("elu", (), r"\operatorname{ELU}", "x if x > 0 else alpha*(exp(x) - 1)",
                 "the exponential linear unit", lambda x, p: sympy.Piecewise(
                     (x, x > 0), (p["alpha"] * (sympy.exp(x) - 1), True)), ("alpha",)),
    CatalogEntry("selu", (), r"\operatorname{SELU}",
                 "scale*(x if x > 0 else alpha*(exp(x) - 1)), scale = 1.0507…, alpha = 1.6733…",
                 "the scaled ELU", lambda x, p: sympy.Piecewise(
                     (_SELU_SCALE * x, x > 0),
                     (_SELU_SCALE * _SELU_ALPHA * (sympy.exp(x) - 1), True))),
    CatalogEntry("swish", ("silu",), r"\operatorname{swish}", "x/(1 + exp(-x))",
                 "x times its sigmoid (SiLU; swish with beta = 1)", lambda x, p: x * _sigmoid(x)),
    CatalogEntry("gelu", (), r"\operatorname{GELU}", "x/2*(1 + erf(x/sqrt(2)))",
                 "the Gaussian error linear unit",
                 lambda x, p: x / 2 * (1 + sympy.erf(x / sympy.sqrt(2)))),
    CatalogEntry("gelu_tanh", (), r"\operatorname{GELU}_{\tanh}",
                 "x/2*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x**3)))", "GELU's tanh approximation",
                 lambda x, p: x / 2 * (1 + sympy.tanh(sympy.sqrt(2 / sympy.pi) * (
                     x + sympy.Rational("0.044715") * x**3)))),
    CatalogEntry("mish", (), r"\operatorname{mish}", "x*tanh(log(1 + exp(x)))",
                 "x times tanh of softplus", lambda x, p: x * sympy.tanh(_softplus(x))),
    CatalogEntry("log_sigmoid", ("logsigmoid",), r"\operatorname{logsigmoid}",
                 "-log(1 + exp(-x))", "the logarithm of the sigmoid",
                 lambda x, p: -sympy.log(1 + sympy.exp(-x))),
    CatalogEntry("hard_sigmoid", ("hardsigmoid",), r"\operatorname{hardsigmoid}",
                 "max(0, min(1, x/6 + 1/2))", "a piecewise-linear sigmoid (PyTorch's)",
                 lambda x, p: sympy.Max(0, sympy.Min(1, x / 6 + _HALF))),
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
