"""f' written with f's own value: the forms a reader is shown, each verified, or no form."""

from __future__ import annotations

import mpmath
import pytest
import sympy

from derive.analysis.in_terms_of_f import F, express_in_terms_of_f
from derive.words.properties import in_terms_of_f_latex

x = sympy.Symbol("x", real=True)
alpha = sympy.Symbol("alpha", positive=True)
sigmoid = 1 / (1 + sympy.exp(-x))

FUNCTIONS = {
    "sigmoid": sigmoid,
    "tanh": sympy.tanh(x),
    "softplus": sympy.log(1 + sympy.exp(x)),
    "log_sigmoid": -sympy.log(1 + sympy.exp(-x)),
    "swish": x * sigmoid,
    "elu": sympy.Piecewise((x, x > 0), (alpha * (sympy.exp(x) - 1), True)),
    "softsign": x / (1 + sympy.Abs(x)),
    "tanh_in_exponentials": (sympy.exp(x) - sympy.exp(-x)) / (sympy.exp(x) + sympy.exp(-x)),
}


@pytest.fixture(scope="module")
def forms():
    return {name: express_in_terms_of_f(f, x) for name, f in FUNCTIONS.items()}


@pytest.mark.parametrize(("name", "expected"), [
    ("sigmoid", F * (1 - F)),
    ("tanh", 1 - F**2),
    ("tanh_in_exponentials", 1 - F**2),
    ("softplus", 1 - sympy.exp(-F)),
    ("log_sigmoid", 1 - sympy.exp(F)),
])
def test_derivative_uses_only_f(forms, name, expected):
    form = forms[name]
    assert form.expr == expected
    assert not form.expr.has(x)
    assert form.reuses == ("f",)
    assert form.verdict.ok


def test_sigmoid_form_as_the_reader_sees_it(forms):
    form = forms["sigmoid"]
    assert str(form.expr) == "f*(1 - f)"
    assert in_terms_of_f_latex(form.shown) == r"f \left(1 - f\right)"


def test_swish_reuses_the_sigmoid_it_computed():
    form = express_in_terms_of_f(x * sigmoid, x)
    assert form is not None and form.verdict.ok
    assert form.reuses == ("f", "sigma(x)")
    assert sympy.simplify(form.expr - (F + sigmoid * (1 - F))) == 0
    assert r"\sigma(x)" in in_terms_of_f_latex(form.shown)


def test_swish_form_is_defined_at_zero():
    # f + f(1 - f)/x equals f' as a formula but is 0/0 at x = 0 in a backward pass.
    form = express_in_terms_of_f(x * sigmoid, x)
    assert form.expr.subs({F: 0, x: 0}).is_finite


def test_elu_piece_by_piece(forms):
    form = forms["elu"]
    assert isinstance(form.expr, sympy.Piecewise)
    assert form.expr.args[0] == (1, x > 0)
    assert form.expr.args[1] == (F + alpha, True)
    assert form.verdict.ok


def test_softsign_pieces_reuse_f(forms):
    # from left to right: x <= 0, then x > 0
    pieces = forms["softsign"].expr.args
    assert pieces[0] == ((1 + F) ** 2, x <= 0)
    assert pieces[1] == ((1 - F) ** 2, True)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_form_gives_the_true_derivative(forms, name):
    """Independent of the verifier: put f's number in, compare with f' at many points."""
    f, form = FUNCTIONS[name], forms[name]
    derivative = sympy.diff(f, x)
    values = {alpha: sympy.Rational(7, 10)}
    for point in ("-3.7", "-1.2", "-0.4", "0.3", "1.9", "5.2"):
        at = {x: sympy.Float(point, 30), **values}
        f_value = f.evalf(30, subs=at)
        got = form.expr.evalf(30, subs={**at, F: f_value})
        want = derivative.evalf(30, subs=at)
        assert mpmath.almosteq(float(got), float(want), rel_eps=1e-12), (name, point)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_form_reads_back_with_sympy(forms, name):
    form = forms[name]
    names = {"f": F, "x": x, "alpha": alpha}
    assert sympy.sympify(str(form.expr), locals=names) == form.expr


@pytest.mark.parametrize("f", [
    x * sympy.exp(-x**2),  # f' = f(1 - 2x²)/x: 0/0 at x = 0
    sympy.Max(0, x),  # relu: f' is 0 or 1, nothing to reuse
    sympy.Max(0, sympy.Min(1, x / 6 + sympy.Rational(1, 2))),
    x**2,  # x = ±√f: no single form in f
    sympy.zeta(x),  # ζ' has no closed form; Derivative(f, x) would say nothing
    sympy.Integer(3),
])
def test_no_form_where_none_exists(f):
    assert express_in_terms_of_f(f, x) is None


def test_a_form_for_an_arbitrary_expression_truly_uses_f():
    f = sympy.sin(x**2) / x
    form = express_in_terms_of_f(f, x)
    if form is not None:
        assert form.expr.has(F) and form.verdict.ok
        at = {x: sympy.Float("1.3", 30)}
        got = form.expr.evalf(30, subs={**at, F: f.evalf(30, subs=at)})
        assert abs(got - sympy.diff(f, x).evalf(30, subs=at)) < 1e-20


def test_the_derivative_handed_in_is_the_one_expressed():
    # The caller's f' (here written as σ(1 − σ), and twice it) is what gets rewritten.
    written = sigmoid * (1 - sigmoid)
    assert express_in_terms_of_f(sigmoid, x, derivative=written).expr == F * (1 - F)
    doubled = express_in_terms_of_f(sigmoid, x, derivative=2 * written)
    assert sympy.expand(doubled.expr - 2 * F * (1 - F)) == 0


@pytest.mark.parametrize(("f", "expected"), [
    (sympy.sqrt(x), 1 / (2 * F)),  # solving gives 1/(2√(f²)): f > 0 makes it 1/(2f)
    (sympy.cbrt(x), 1 / (3 * F**2)),
    (1 / sympy.sqrt(x), -F**3 / 2),
    (-sympy.sqrt(x), 1 / (2 * F)),  # f < 0: −√(f²) = f, so the same form, now proved for f < 0
])
def test_a_root_is_written_through_the_sign_of_f(f, expected):
    form = express_in_terms_of_f(f, x)
    assert form is not None and form.verdict.ok
    assert sympy.simplify(form.expr - expected) == 0


def _tower(levels: int) -> sympy.Expr:
    q = x
    for k in range(1, levels + 1):
        q = (x + k) / (1 + q)
    return q


def test_a_search_cut_by_its_size_budget_says_so_and_is_remembered():
    from derive.analysis.in_terms_of_f import search

    outcome = search(_tower(5), x)
    assert not outcome.complete and outcome.stopped == "size" and outcome.found is None
    assert search(_tower(5), x) is outcome  # remembered: the next run pays nothing


def test_a_complete_search_is_complete():
    from derive.analysis.in_terms_of_f import search

    sigmoid = 1 / (1 + sympy.exp(-x))
    outcome = search(sigmoid, x)
    assert outcome.complete and outcome.found is not None


def test_document_says_the_search_stopped_rather_than_found_nothing():
    from derive.pipeline import Request, produce, resolve

    five = produce(Request(resolve("(x+5)/(1+(x+4)/(1+(x+3)/(1+(x+2)/(1+(x+1)/(1+x)))))"),
                           ("md",), None, plot=False)).texts["md"]
    assert "stopped its search" in five and "size budget" in five
    assert "derive looked for" not in five
