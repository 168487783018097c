"""A generated corpus of expressions for fuzzing derive: grammar-based, mutated and hostile.

Deterministic (a seeded random.Random), so that a failure names an input that reproduces it:
`python tests/fuzz_corpus.py 12000` prints the corpus, one repr per line.

- grammar: derive's own grammar (derive.parse.expression), with every function name, numbers
  written every way the tokenizer reads (0.5, .5, 5., 1e-3, 2E+10) and sizes near and beyond
  every bound (1e308, 1e-309, 2**1100, x**10001, nesting near 64);
- mutated: grammar inputs with characters deleted, duplicated, swapped or replaced by
  operators, brackets and digits;
- hostile: code (`__import__`, attributes, strings, lambdas), control characters and escape
  sequences, NUL, bidirectional overrides, non-ASCII letters and digits, huge and deep input.
"""

from __future__ import annotations

import random
import re
import sys

FUNCTIONS_1 = ("exp", "log", "ln", "log2", "log10", "sqrt", "cbrt", "sin", "cos", "tan", "sec",
               "csc", "cot", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sech", "csch",
               "coth", "asinh", "acosh", "atanh", "erf", "erfc", "abs", "sign", "heaviside")
FUNCTIONS_N = ("max", "min", "log")
NAMES = ("x", "x", "x", "t", "a", "k", "alpha", "e", "pi", "E", "f", "y_1", "np")
NUMBERS = ("0", "1", "2", "3", "10", "0.5", ".5", "5.", "1e-3", "2E+10", "1e308", "1e-308",
           "1.7976931348623157e308", "1e309", "1e-309", "1e-400", "1e5000", "1e99999",
           "123456789012345678901234567890", "9" * 101, "0.000001", "007", "0e0", "1e0400")
OPERATORS = ("+", "-", "*", "/", "**", "^")
HOSTILE = (
    "__import__('os').system('true')", "().__class__.__bases__", "x.__class__", "(lambda: 1)()",
    "exec('1')", "eval('x')", "open('f')", "x if x else x", "[x]", "{x}", "x; x", "x = 1",
    "'x'", '"x"', "x\x00", "\x1b[31mx\x1b[0m", "x\u202e+1", "x\u2066", "\x07x", "x\r\nx",
    "ｘ", "x²", "√x", "x·x", "٣*x", "𝑥", "x\u00a0+1", "sin⁡(x)", "∞", "NaN", "inf*x", "oo",
    "zoo", "I*x", "j*x", "1j", "0x10", "0b1", "1_000", "x**", "**x", "()", "(", ")", ",",
    "max()", "min(x)", "log(x, 0)", "log(x, 1)", "log(0)", "log(-1)", "1/0", "0**-1",
    "tan(pi/2)", "x/(x-x)", "0/0", "sqrt(-1)*x", "acosh(0)", "atanh(1)", "sec(pi/2)",
    "10**10**10", "2**1100", "x**(10**9999)", "sqrt(2)**1e5000", "(1e-400)**2", "1e-5000*x",
    "x**10001", "x**(1/10001)", "exp(exp(exp(exp(x))))", "x" * 3000, "x+" * 1500 + "x",
    "(" * 70 + "x" + ")" * 70, "-" * 100 + "x", "sin(" * 40 + "x" + ")" * 40,
    "min(t**x - x*a, 2)", "abs(abs(abs(x)))", "heaviside(x)*x", "sign(x)**x",
)


def _number(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(NUMBERS[:8])
    return rng.choice(NUMBERS)


def expression(rng: random.Random, depth: int = 0) -> str:
    """One random expression from derive's grammar (sometimes with sizes past its bounds)."""
    if depth > 5 or rng.random() < 0.25 + 0.1 * depth:
        return rng.choice(NAMES) if rng.random() < 0.6 else _number(rng)
    choice = rng.random()
    if choice < 0.35:
        op = rng.choice(OPERATORS)
        return f"{expression(rng, depth + 1)}{op}{expression(rng, depth + 1)}"
    if choice < 0.45:
        return f"-{expression(rng, depth + 1)}"
    if choice < 0.55:
        return f"({expression(rng, depth + 1)})"
    if choice < 0.9:
        return f"{rng.choice(FUNCTIONS_1)}({expression(rng, depth + 1)})"
    args = ", ".join(expression(rng, depth + 1) for _ in range(rng.randint(1, 3)))
    return f"{rng.choice(FUNCTIONS_N)}({args})"


_NOISE = "+-*/^()., 0123456789xe\\'\"[]{}=_\x00\x1bé∞"


def mutate(text: str, rng: random.Random) -> str:
    """`text` with a few characters deleted, duplicated, swapped or replaced."""
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        if not chars:
            chars.append(rng.choice(_NOISE))
            continue
        i = rng.randrange(len(chars))
        kind = rng.random()
        if kind < 0.3:
            del chars[i]
        elif kind < 0.5:
            chars.insert(i, chars[i])
        elif kind < 0.7 and len(chars) > 1:
            j = rng.randrange(len(chars))
            chars[i], chars[j] = chars[j], chars[i]
        else:
            chars[i] = rng.choice(_NOISE)
    return "".join(chars)


# --- what landed last session: catalog functions inside expressions, long inner functions
# (named u in the steps), the defining identities, the reciprocal rule -----------------------

CATALOG_CALLS = ("sigmoid", "relu", "leaky_relu", "elu", "selu", "softplus", "softsign",
                 "swish", "silu", "gelu", "gelu_tanh", "mish", "log_sigmoid", "hard_sigmoid",
                 "hardsigmoid", "logsigmoid", "leakyrelu", "tanh")
# Each catalog entry's defining identity, or its body, as a user might write it out.
IDENTITIES = ("sinh(x)/cosh(x)", "x*sigmoid(x)", "log(sigmoid(x))", "x*tanh(softplus(x))",
              "x/2*(1 + erf(x/sqrt(2)))", "1/(1 + exp(-x))", "log(1 + exp(x))",
              "x/(1 + abs(x))", "max(0, x)", "max(0, min(1, x/6 + 1/2))",
              "x*tanh(log(1 + exp(x)))", "-log(1 + exp(-x))", "x/(1 + exp(-x))",
              "(exp(x) - exp(-x))/(exp(x) + exp(-x))", "2*sigmoid(2*x) - 1")


def _polynomial(rng: random.Random, terms: int) -> str:
    """A long inner function: a polynomial with `terms` terms (what the steps name u)."""
    parts = []
    for k in range(terms, 0, -1):
        coefficient = rng.choice(("", "2*", "3*", "-5*", "0.5*", "7*", "a*"))
        parts.append(f"{coefficient}x**{k}" if k > 1 else f"{coefficient}x")
    return " + ".join(parts) + rng.choice(("", " + 1", " - 4", " + pi"))


def catalog_expression(rng: random.Random, depth: int = 0) -> str:
    """One expression that uses what the last session built: catalog functions called
    inside expressions and on each other, long inner functions, identities, reciprocals."""
    choice = rng.random()
    if depth > 3 or choice < 0.15:
        return rng.choice(("x", "x", "2*x", "x - 1", "-x", "x/3", "a*x", "x**2", "t"))
    if choice < 0.45:
        return f"{rng.choice(CATALOG_CALLS)}({catalog_expression(rng, depth + 1)})"
    if choice < 0.55:
        return f"{rng.choice(FUNCTIONS_1)}({_polynomial(rng, rng.randint(2, 6))})"
    if choice < 0.65:
        identity = rng.choice(IDENTITIES)
        if rng.random() < 0.3:  # of an inner function: the identity's x replaced
            inner = catalog_expression(rng, depth + 2)
            identity = re.sub(r"\bx\b", lambda _: f"({inner})", identity)
        return identity
    if choice < 0.75:
        return f"1/({catalog_expression(rng, depth + 1)} + {rng.choice(('1', '2', 'exp(-x)', 'x**2'))})"
    if choice < 0.9:
        op = rng.choice(("*", "+", "-", "/", "*"))
        return f"{catalog_expression(rng, depth + 1)}{op}{catalog_expression(rng, depth + 1)}"
    return f"({catalog_expression(rng, depth + 1)})**{rng.choice(('2', '3', '-1', '0.5', 'x'))}"


def catalog_corpus(size: int, seed: int = 23) -> list[str]:
    """`size` inputs from catalog_expression, about a fifth of them mutated."""
    rng = random.Random(seed)
    found = ["x*sigmoid(x)", "relu(x - 1)", "softplus(2*x)", "tanh(sigmoid(x))"]
    while len(found) < size:
        text = catalog_expression(rng)
        found.append(text if rng.random() < 0.8 else mutate(text, rng))
    return found[:size]


def corpus(size: int, seed: int = 11) -> list[str]:
    """`size` inputs: every hostile one, then grammar and mutated ones in turn."""
    rng = random.Random(seed)
    found = list(HOSTILE)
    while len(found) < size:
        text = expression(rng)
        found.append(text if rng.random() < 0.55 else mutate(text, rng))
        if rng.random() < 0.05:  # a hostile piece inside a grammatical expression
            found.append(f"{expression(rng, 3)}+{rng.choice(HOSTILE)}")
    return found[:size]


if __name__ == "__main__":
    for item in corpus(int(sys.argv[1]) if len(sys.argv) > 1 else 1000):
        print(repr(item))
