r"""derive's own reader of LaTeX math: exact SymPy trees, refusals at their positions, nothing run.

Each pitfall of the issue has its test: `e` is Euler's number, not a symbol e;
`\sigma{\left(x \right)}` (SymPy's printed form) calls the user's sigma; `\operatorname{sech}`
is sech; `\sigma` needs no lark or antlr (no `sympy.parsing.latex`).
"""

from __future__ import annotations

import ast
import builtins
import sys
from pathlib import Path

import pytest
import sympy

from derive.check.scope import Scope
from derive.errors import ParseError
from derive.parse.latex import MAX_LATEX_LENGTH, parse_latex_math

x, y, t, a, b = (sympy.Symbol(name, real=True) for name in "xytab")
E = sympy.E


def sigma(u: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + sympy.exp(-u))


FUNCTIONS = {"sigma": sigma, "softplus": lambda u: sympy.log(1 + sympy.exp(u)),
             "f": lambda u: u**3}


def parse(text: str, **kwargs) -> sympy.Expr:
    return parse_latex_math(text, functions=FUNCTIONS, **kwargs)


def refusal(text: str, **kwargs) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse(text, **kwargs)
    return caught.value


# -- the pitfalls of the issue -------------------------------------------------------

@pytest.mark.parametrize("text", ["e^{-x}", r"\mathrm{e}^{-x}", r"\exp(-x)", r"\exp{\left(- x \right)}"])
def test_e_is_eulers_number_not_a_symbol(text):
    value = parse(text)
    assert value == sympy.exp(-x)
    assert value.free_symbols == {x}


def test_e_alone_and_in_a_product_is_eulers_number():
    assert parse("e") == E
    assert parse("x e^{x}") == x * sympy.exp(x)
    assert parse("2e") == 2 * E


def test_sympys_printed_call_reads_as_the_users_sigma():
    assert parse(r"\sigma{\left(x \right)}") == sigma(x)
    # and round trip: what SymPy prints for an undefined sigma(x) is read as a call
    printed = sympy.latex(sympy.Function("sigma")(x) * (1 - sympy.Function("sigma")(x)))
    assert parse(printed) == sigma(x) * (1 - sigma(x))


@pytest.mark.parametrize("text", [r"\sigma(x)", r"\sigma\left(x\right)", r"\sigma\bigl(x\bigr)",
                                  r"\sigma{\left(x \right)}", r"\sigma x"])
def test_sigma_is_called_however_it_is_written(text):
    assert parse(text) == sigma(x)


def test_operatorname_sech_reads_as_sech():
    assert parse(r"\operatorname{sech}(x)") == sympy.sech(x)
    assert parse(r"\operatorname{sech}^2(x)") == sympy.sech(x) ** 2
    assert parse(r"\operatorname{sech}^{2}{\left(x \right)}") == sympy.sech(x) ** 2
    assert parse(r"\mathrm{csch}\,x") == sympy.csch(x)


def test_sigma_needs_no_lark_nor_antlr(monkeypatch):
    for module in ("lark", "antlr4", "sympy.parsing.latex"):
        monkeypatch.setitem(sys.modules, module, None)  # importing it would now fail
    assert parse(r"\frac{d}{dx}\sigma(x)") == sympy.Derivative(sigma(x), x)


def test_an_undefined_sigma_called_is_refused_not_read_as_a_product():
    error = parse_latex_math_error(r"\sigma(x)")
    assert "unknown function" in error.message and "sigma" in error.message
    assert error.position == 0
    assert parse_latex_math_error(r"\sigma{\left(x \right)}").position == 0
    assert parse_latex_math_error(r"1 + f(x)").position == 4
    # as a variable, a Greek letter is a symbol
    assert parse_latex_math(r"\sigma^2") == sympy.Symbol("sigma", real=True) ** 2


def parse_latex_math_error(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_latex_math(text)
    return caught.value


# -- the grammar -----------------------------------------------------------------------

def test_numbers_are_exact():
    assert parse("42") == sympy.Integer(42)
    assert parse("0.25") == sympy.Rational(1, 4)
    assert parse(".5x") == sympy.Rational(1, 2) * x


@pytest.mark.parametrize(("text", "expected"), [
    ("2x", 2 * x),
    ("xy", x * y),
    ("3 x^{2}", 3 * x**2),
    ("x e^{-x}", x * sympy.exp(-x)),
    ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("a(b+x)", a * (b + x)),
    (r"2\pi x", 2 * sympy.pi * x),
    (r"\sigma(x)\left(1-\sigma(x)\right)", sigma(x) * (1 - sigma(x))),
    (r"x \cdot y \times t", x * y * t),
    (r"|x| y", sympy.Abs(x) * y),
])
def test_implicit_and_explicit_multiplication(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    (r"\frac{1}{1+e^{-x}}", 1 / (1 + sympy.exp(-x))),
    (r"\dfrac{x}{2}", x / 2),
    (r"\tfrac{a}{b}", a / b),
    (r"\frac12", sympy.Rational(1, 2)),
    (r"\frac1x", 1 / x),
    ("x/2", x / 2),
    ("e^{-x}/(1+e^{-x})^2", sympy.exp(-x) / (1 + sympy.exp(-x)) ** 2),
    (r"\frac{(1+e^{-x}) - 1}{(1+e^{-x})^2}", ((1 + sympy.exp(-x)) - 1) / (1 + sympy.exp(-x)) ** 2),
])
def test_fractions(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("x^2", x**2),
    ("x^{10}", x**10),
    ("x^{-1}", 1 / x),
    ("-x^2", -(x**2)),
    ("2^{x+1}", 2 ** (x + 1)),
    (r"x^\alpha", x ** sympy.Symbol("alpha", real=True)),
    ("(x+1)^{2}", (x + 1) ** 2),
    (r"\left(1+e^{-x}\right)^{2}", (1 + sympy.exp(-x)) ** 2),
    (r"\sqrt{x^2+1}", sympy.sqrt(x**2 + 1)),
    (r"\sqrt[3]{x}", sympy.root(x, 3)),
    ("x^{1.5}", x ** sympy.Rational(3, 2)),
])
def test_powers_and_roots(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    (r"\sin x", sympy.sin(x)),
    (r"\sin^2 x", sympy.sin(x) ** 2),
    (r"\sin^2 x + \cos^2 x", sympy.sin(x) ** 2 + sympy.cos(x) ** 2),
    (r"\tanh^2(x)", sympy.tanh(x) ** 2),
    (r"\tanh^{2}{\left(x \right)}", sympy.tanh(x) ** 2),
    (r"1 - \tanh^2(x)", 1 - sympy.tanh(x) ** 2),
    (r"\ln x", sympy.log(x)),
    (r"\ln x + 1", sympy.log(x) + 1),
    (r"\log_{2} x", sympy.log(x, 2)),
    (r"\log_2(x)", sympy.log(x, 2)),
    (r"\sin 2\pi x", sympy.sin(2 * sympy.pi * x)),
    (r"\sin x \cos x", sympy.sin(x) * sympy.cos(x)),
    (r"\arcsin x", sympy.asin(x)),
    (r"\cosh(x)", sympy.cosh(x)),
    (r"\mathrm{erf}(x)", sympy.erf(x)),
    (r"\operatorname{softplus}(x)", sympy.log(1 + sympy.exp(x))),
    (r"\max(x, y)", sympy.Max(x, y)),
    (r"\operatorname{sgn}(x)", sympy.sign(x)),
    ("f(x+1)", (x + 1) ** 3),
])
def test_functions(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("text", ["|x-1|", r"\lvert x-1 \rvert", r"\left|x-1\right|", r"\left|{x - 1}\right|",
                                  r"\bigl| x-1 \bigr|"])
def test_absolute_value_bars(text):
    assert parse(text) == sympy.Abs(x - 1)


def test_nested_absolute_values():
    assert parse("||x|-1|") == sympy.Abs(sympy.Abs(x) - 1)


@pytest.mark.parametrize("text", [r"x\,y", r"x\;y", r"x \! y", r"x\quad y", "x~y", r"x\qquad y"])
def test_spacing_commands_are_ignored(text):
    assert parse(text) == x * y


@pytest.mark.parametrize("text", [r"\left[x+1\right]", "[x+1]", "{x+1}", r"\Bigl(x+1\Bigr)"])
def test_brackets_and_braces_group(text):
    assert parse(text) == x + 1


def test_names_greek_letters_subscripts_and_mathrm():
    assert parse(r"\alpha x") == sympy.Symbol("alpha", real=True) * x
    assert parse(r"\lambda") == sympy.Symbol("lambda", real=True)
    assert parse("x_1 + x_{12}") == sympy.Symbol("x_1", real=True) + sympy.Symbol("x_12", real=True)
    assert parse(r"\mathrm{rate}\, t") == sympy.Symbol("rate", real=True) * t
    assert parse(r"\pi") == sympy.pi


def test_declared_symbols_keep_their_assumptions():
    positive = sympy.Symbol("x", positive=True, real=True)
    value = parse(r"\sqrt{x^2}", symbols={"x": positive})
    assert value == positive
    assert parse(r"\sqrt{x^2}") == sympy.Abs(x)


@pytest.mark.parametrize(("text", "expected"), [
    (r"\frac{d}{dx}\sigma(x)", sympy.Derivative(sigma(x), x)),
    (r"\frac{\mathrm{d}}{\mathrm{d}x} x e^{-x}", sympy.Derivative(x * sympy.exp(-x), x)),
    (r"\frac{\mathrm d}{\mathrm d x}\left(x^2 + 1\right)", sympy.Derivative(x**2 + 1, x)),
    (r"\frac{d}{d t} t^2", sympy.Derivative(t**2, t)),
    (r"\frac{d}{dx}\tanh(x)", sympy.Derivative(sympy.tanh(x), x)),
    (r"\frac{d^2}{dx^2} \sin x", sympy.Derivative(sympy.sin(x), (x, 2))),
    (r"\frac{\partial}{\partial x} x y", sympy.Derivative(x * y, x)),
    (r"\frac{d}{dx}(x^2) + 1", sympy.Derivative(x**2, x) + 1),
])
def test_derivative_operator_is_an_unevaluated_derivative(text, expected):
    value = parse(text)
    assert value == expected
    assert value.has(sympy.Derivative)


def test_derivative_operator_matches_the_plain_syntax():
    scope = Scope()
    scope.functions.update(FUNCTIONS)
    assert scope.read_expression(r"$\frac{d}{dx} \sigma(x)$") == scope.read_expression("d/dx sigma(x)")
    assert scope.read_expression(r"\frac{d}{dx}\sigma(x)", latex_only=True) == scope.read_expression(
        "d/dx sigma(x)")


def test_round_trip_through_sympys_latex_printer():
    for expr in [1 / (1 + sympy.exp(-x)), sympy.sech(x) ** 2, sympy.log(x), sympy.Abs(x - 1),
                 sympy.sin(x) * sympy.cos(2 * x), sympy.exp(-(x**2) / 2), sympy.erf(x),
                 sympy.Max(x, y), sympy.asinh(x), sympy.log(x, 2), 1 / (4 * sympy.cosh(x / 2) ** 2),
                 x - y / 2, sympy.Derivative(sympy.sin(x), x), (x + 1) ** -2]:
        assert parse_latex_math(sympy.latex(expr)) == expr, sympy.latex(expr)


# -- refusals ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "position", "words"), [
    (r"x + \mysterymacro{x}", 4, r"unknown command \mysterymacro"),
    (r"\sigam(x)", 0, r"did you mean \sigma"),
    (r"\int x", 0, "differential"),
    (r"\sum_{i} x_i", 0, "vector notation"),
    (r"x \le 1", 2, "relation"),
    (r"\hat{x}", 0, r"unknown command \hat"),
    (r"1 + \operatorname{swish}(x)", 4, "unknown function"),
    (r"\text{ for all } x", 0, r"\text{...} must hold a single name"),
])
def test_unknown_and_unsupported_commands_are_refused_at_their_position(text, position, words):
    error = refusal(text)
    assert error.position == position
    assert words in error.message


@pytest.mark.parametrize(("text", "position", "words"), [
    ("g'(x)", 0, "needs g defined"),
    ("x'", 0, "needs x defined"),
    ("1/2x", 3, "ambiguous"),
    ("x^23", 2, "one digit of 23"),
    (r"\sin^{-1} x", 4, "ambiguous"),
    (r"\frac{d}{dx} x^2 + 1", 17, "ambiguous"),
    (r"\frac{d}{dx}(x)(x)", 15, "ambiguous"),
    (r"\sin 2(x+1)", 6, "ambiguous"),
    (r"\frac{dy}{dx}", 7, "needs y defined"),
    ("2 3", 2, "a number right after a factor"),
    ("x^-1", 2, "braces"),
    ("x^{2}^{3}", 5, "double superscript"),
    ("x!", 1, "factorial"),
    (r"\sin", 4, "needs an argument"),
    (r"\frac{d}{dx}", 12, "needs an expression"),
    (r"\alpha(1-x)", 0, "unknown function"),
])
def test_guesses_are_refused_with_a_hint(text, position, words):
    error = refusal(text)
    assert (error.position, words in error.message) == (position, True), error.message


@pytest.mark.parametrize(("text", "position", "words"), [
    ("(x", 0, "unbalanced"),
    ("x)", 1, "unbalanced"),
    (r"\left( x )", 9, r"\right"),
    ("(x]", 2, "closed by"),
    ("{x", 0, "not closed"),
    ("x = 1", 2, "'='"),
    ("x, y", 1, "','"),
    ("x & y", 2, "'&'"),
    ("", 0, "empty"),
    (r"\frac{1}{0}", 0, "division by zero"),
    ("0^{-1}", 1, "division by zero"),
    (r"\left\{ x \right\}", 0, "sets"),
    (r"\left. x \right|", 0, "evaluation bar"),
    ("x + 10^{10^{10}}", 6, "too large"),
])
def test_malformed_input_is_refused_at_its_position(text, position, words):
    error = refusal(text)
    assert (error.position, words in error.message) == (position, True), error.message


def test_sizes_are_bounded():
    assert "nested too deeply" in refusal("(" * 100 + "x" + ")" * 100).message
    assert "too long" in refusal("x+" * (MAX_LATEX_LENGTH // 2 + 1) + "x").message
    assert "number too long" in refusal("1" * 101).message


@pytest.mark.parametrize("text", ["sin(", "exp(", "f(", r"\sigma("])
def test_an_open_bracket_at_the_end_of_a_document_row_is_refused_not_a_crash(text):
    # function notation looks two tokens past the bracket: there may be none
    with pytest.raises(ParseError) as caught:
        parse_latex_math(text, catalog=True)
    assert any(words in caught.value.message
               for words in ("ends too early", "unbalanced", "unknown function"))


def test_where_names_the_source_in_the_error():
    error = refusal(r"\foo", where="notes.tex:3")
    assert error.one_line() == r"notes.tex:3: unknown command \foo at column 1"


def test_positions_are_shifted_to_the_line_by_the_scope():
    with pytest.raises(ParseError) as caught:
        Scope().read_expression(r"  $x + \foo$")
    assert caught.value.position == len("  $x + ")


# -- nothing is executed -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "position"), [
    (r"\input{/etc/passwd}", 0),
    (r"x + \include{secrets}", 4),
    (r"\def\x{1} x", 0),
    (r"\newcommand{\x}{1}", 0),
    (r"\immediate\write18{touch pwned}", 0),
    (r"\mathrm{__import__}('os')", 0),
    (r"\csname input\endcsname{/etc/passwd}", 0),
])
def test_tex_programs_are_parse_errors(text, position, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert refusal(text).position == position
    assert list(tmp_path.iterdir()) == []


def test_no_eval_sympify_or_sympy_parsing_in_the_source():
    source = Path(__file__).resolve().parents[1] / "derive" / "parse" / "latex.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    forbidden = {"eval", "exec", "sympify", "parse_expr", "parse_latex", "__import__",
                 "import_module", "getattr"}
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not names & forbidden
    imports = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imports |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.startswith("sympy.") for name in imports)


def test_parsing_calls_neither_eval_nor_exec(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("called")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    monkeypatch.setattr(sympy, "sympify", refuse)
    text = r"\sqrt[3]{|x|} - \log_2 x \cdot \operatorname{sech}^2(x) + \frac{d}{dx}\sigma(x)"
    assert parse(text) == (sympy.root(sympy.Abs(x), 3) - sympy.log(x, 2) * sympy.sech(x) ** 2
                           + sympy.Derivative(sigma(x), x))
