"""The notation people write: primes, Leibniz, partials, limits, integrals, sums, bars,
macros; and real documents (tests/data/check/real/, sources and licences beside them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy

from derive.check.command import main
from derive.check.documents import parse_markdown, parse_tex
from derive.check.runner import check_chain

REAL = Path(__file__).resolve().parent / "data" / "check" / "real"


def verdicts(text: str, kind: str = "md") -> list[list[str]]:
    chains = (parse_markdown if kind == "md" else parse_tex)(text, f"notes.{kind}")
    out = []
    for chain in chains:
        assert not chain.skipped, chain.skipped
        out.append([step.status.value for step in check_chain(chain).steps])
    return out


@pytest.mark.parametrize(("definition", "chain", "expected"), [
    ("f(x) = x^2 \\sin x", "f'(x) = 2x\\sin x + x^2\\cos x", ["proved"]),
    ("f(x) = x^3", "f''(x) = 6x", ["proved"]),
    ("\\sigma(x) = \\frac{1}{1+e^{-x}}", "\\sigma'(x) = -\\frac{e^{-x}}{(1+e^{-x})^2}", ["failed"]),
    ("\\sigma(x) = \\frac{1}{1+e^{-x}}", "\\sigma^{\\prime}(x) = \\sigma(x)(1-\\sigma(x))", ["proved"]),
    ("y(x) = x^2 + 3x", "\\frac{dy}{dx} = 2x + 3", ["proved"]),
    ("y(x) = x^2 + 3x", "y'(x) = 2x + 3", ["proved"]),
    ("y(x) = x^2 + 3x", "\\frac{dy}{dx}(2) = 7", ["proved"]),
    ("g(x) = \\ln x", "\\frac{dg}{dx} = \\frac{1}{x}", ["proved"]),
    ("L(w, b) = (w x + b - y)^2", "\\frac{\\partial L}{\\partial w} = 2x(wx + b - y)", ["proved"]),
    ("L(w, b) = (w x + b - y)^2", "\\frac{\\partial L}{\\partial b} = 2(wx + b)", ["failed"]),
])
def test_functions_defined_in_the_document_are_read_with_primes_and_leibniz(
        definition, chain, expected):
    assert verdicts(f"$$ {definition} $$\n\n$$ {chain} $$\n") == [expected]


@pytest.mark.parametrize(("chain", "expected"), [
    ("\\frac{d\\sigma(x)}{dx} = \\sigma(x)(1 - \\sigma(x))", ["proved"]),  # σ from the catalog
    ("\\operatorname{softplus}'(x) = \\sigma(x)", ["proved"]),
    ("\\frac{\\mathrm{d}}{\\mathrm{d}x} \\tanh(x) = -\\tanh^2(x)", ["failed"]),
    ("\\frac{d}{dx} x^3 \\Big|_{x=2} = 12", ["proved"]),
    ("\\left. \\frac{d}{dx} \\sin x \\right|_{x=0} = 2", ["failed"]),
    ("\\lim_{x \\to 0} \\frac{\\sin x}{x} = 1", ["proved"]),
    ("\\lim_{h \\to 0} \\frac{(x+h)^2 - x^2}{h} = \\lim_{h \\to 0} (2x + h) = 2x",
     ["proved", "proved"]),
    ("\\lim_{x \\to 0^+} x \\ln x = 0", ["proved"]),
    ("\\int x^2 \\, dx = \\frac{x^3}{3} + C", ["proved"]),
    ("\\int \\cos x \\, dx = -\\sin x + C", ["failed"]),
    ("\\int_0^1 x^2 \\,\\mathrm{d}x = \\frac{1}{3}", ["proved"]),
    # a differential in braces, as CLP's \dee{x} expands: it ends the integrand
    ("\\int x e^x {\\mathrm{d}x} = x e^x - \\int e^x {\\mathrm{d}x}", ["proved"]),
    ("\\int_0^1 x^2 \\,{dx} = \\frac{1}{2}", ["failed"]),
    ("\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}", ["proved"]),
    # a number after a closing parenthesis is a factor (TU Delft's chain rule examples)
    ("\\frac{d}{dx}\\sin\\left(x^3\\right) = \\cos\\left(x^3\\right)3x^2", ["proved"]),
    ("\\frac{d}{dx} 2^x = \\ln(2)2^x = \\ln(2)3^x", ["proved", "failed"]),
    # evaluation brackets, and a bar that names its variable twice (CLP-2)
    ("\\int_0^1 e^x\\sin\\big(e^x\\big)\\,dx = \\big[-\\cos\\big(e^x\\big)\\big]_0^1 "
     "= -\\cos(e)+\\cos(1)", ["proved", "proved"]),
    ("\\left[ x^2 \\right]_{x=1}^{x=3} = x^2\\bigg|_{x=1}^{x=3} = 9", ["proved", "failed"]),
    ("\\left(\\sin(u)+C\\right)\\bigg|_{u=x^3} = \\sin(x^3) + C", ["proved"]),
    # the derivative's definition, for a function nothing defines (the product rule's proof)
    ("\\lim_{h\\to 0}\\frac{f(a+h)g(a+h)-f(a)g(a)}{h} = f(a)g'(a)+g(a)f'(a)", ["proved"]),
    ("\\lim_{x\\to a}\\frac{f(x)-f(a)}{x-a} = f'(x)", ["failed"]),
    ("\\lim_{x\\to 0+} x \\ln x = 0", ["proved"]),
    # a prime on a bracket in a Greek variable
    ("\\left(\\left(1+\\cos(\\theta)\\right)^3\\right)' = "
     "3\\left(1+\\cos(\\theta)\\right)^2\\left(-\\sin(\\theta)\\right)", ["proved"]),
    ("\\sum_{k=0}^{\\infty} \\frac{1}{2^k} = 3", ["failed"]),
])
def test_catalog_leibniz_bars_limits_integrals_and_sums(chain, expected):
    assert verdicts(f"$$ {chain} $$\n") == [expected]


@pytest.mark.parametrize(("chain", "reason"), [
    ("\\frac{d}{dx} \\mathbf{w}^\\top \\mathbf{x} = \\mathbf{w}", "vectors and matrices"),
    ("\\textrm{Cov}(X, Y) = E[XY] - E[X]E[Y] = 0 + \\frac{d}{dx} x",
     "expectations and probabilities are not checked (saw `E[`)"),
    ("P(X \\mid \\theta) = \\frac{d}{d\\theta} \\theta", "expectations and probabilities"),
])
def test_what_derive_does_not_check_is_skipped_naming_what_was_seen(chain, reason):
    chains = parse_markdown(f"$$ {chain} $$\n", "notes.md")
    assert len(chains) == 1 and reason in chains[0].skipped, chains[0].skipped
    assert "unbalanced" not in chains[0].skipped and "did you mean" not in chains[0].skipped


def test_document_macros_are_expanded_by_substitution(tmp_path, capsys):
    path = tmp_path / "notes.tex"
    path.write_text("\\newcommand{\\dd}[2]{\\frac{d}{d#2}\\left(#1\\right)}\n"
                    "\\def\\ex{e^{x}}\n\\DeclareMathOperator{\\sech}{sech}\n"
                    "\\[ \\dd{x\\ex}{x} = \\ex + x\\ex \\]\n"
                    "\\[ \\dd{\\tanh x}{x} = \\sech^2 x \\]\n")
    assert main([str(path)]) == 0
    assert "2 proved" in capsys.readouterr().out


def test_a_macros_file_is_read_for_every_document(tmp_path, capsys):
    macros = tmp_path / "macros.tex"
    macros.write_text("\\newcommand{\\fp}{f'}\n")
    doc = tmp_path / "notes.md"
    doc.write_text("$$ f(x) = x^2 $$\n\n$$ \\fp(x) = 2x $$\n")
    assert main(["--macros", str(macros), str(doc)]) == 0
    assert "1 proved" in capsys.readouterr().out
    assert main(["--macros", str(tmp_path / "missing.tex"), str(doc)]) == 2
    assert capsys.readouterr().err.startswith("derive check: error: --macros ")


def test_a_self_calling_macro_ends_with_a_reason(tmp_path):
    chains = parse_tex("\\newcommand{\\a}{\\a x}\n\\[ \\frac{d}{dx} \\a = 1 \\]\n", "n.tex")
    assert "expands more than" in chains[0].skipped


def test_real_documents_right_chains_pass_and_the_published_mistake_fails(capsys):
    code = main(["--format", "json", str(REAL)])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    by_file = {Path(f["path"]).name: f for f in document["files"]}
    d2l = by_file["d2l_single_variable_calculus.md"]["chains"]
    assert [[s["status"] for s in c["steps"]] for c in d2l] == [["proved"] * 5]
    apex = by_file["apex_int_by_parts.tex"]["chains"]
    failed = [(s["line"], s["right"]) for c in apex for s in c["steps"] if s["status"] == "failed"]
    # ∫ arctan x dx = x arctan x − ½ ln(1+x²) + C; the text drops the ½
    assert failed == [(10, "x\\arctan x - \\ln(1+x^2) + C")]
    assert sympy.diff(sympy.Symbol("x") * sympy.atan(sympy.Symbol("x")), sympy.Symbol("x")) != 0


POINT_FREE = ("Let $f$ and $g$ be functions and consider the product $p=fg$ and the "
              "quotient $q=\\frac{f}{g}$.\n\n")


@pytest.mark.parametrize(("chain", "expected"), [
    # the rules for unknown f, g: right, and the mistakes TU Delft's book warns against
    ("p'(a)=f'(a)g(a)+f(a)g'(a)", ["proved"]),
    ("(f g)'(x)=f'(x)g'(x)", ["failed"]),
    ("(f\\circ g)'(x)=f'(g(x))g'(x)", ["proved"]),
    ("(f\\circ g)'(x)=f'(x)g'(x)", ["failed"]),
    ("(f\\circ g)'(x)=f'(g(x))", ["failed"]),
    ("q'(a)=\\frac{g(a)f'(a)-f(a)g'(a)}{g(a)^2}", ["proved"]),
    ("\\left(\\frac{f}{g}\\right)'(x)=\\frac{f(x)g'(x)-f'(x)g(x)}{g(x)^2}", ["failed"]),
])
def test_functions_written_without_their_argument(chain, expected):
    assert verdicts(f"{POINT_FREE}$$ {chain} $$\n") == [expected]


def test_a_point_free_statement_looks_its_functions_up_when_used():
    # TU Delft: "we can write $h=pq$ with $p(x)=\sin(x)$ and $q(x)=\cos(x)$"; and "we note
    # that $h=f\circ g$" just after h(x) = sin(x^3) keeps h
    text = ("Write $h=pq$ with $p(x)=\\sin(x)$ and $q(x)=\\cos(x)$.\n\n"
            "$$ h'(x)=p'(x)q(x)+p(x)q'(x)=\\cos^2(x)-\\sin^2(x) $$\n\n"
            "Consider $k(x)=\\sin\\left(x^3\\right)$. Then $k=f\\circ g$ with $f(u)=\\sin(u)$,"
            " $g(x)=x^3$.\n\n"
            "$$ k'(x)=\\cos\\left(x^3\\right)3x^2 $$\n")
    assert verdicts(text) == [["proved", "proved"], ["proved"]]


def test_any_function_ends_what_the_letter_meant():
    # TU Delft: "functions of the form $f(x)=b^x$" in the introduction, then "Let $f$ and
    # $g$ be functions": the chain rule is about any f
    text = ("We will also find the derivative of functions of the form $f(x)=b^x$.\n\n"
            "Let $f$ and $g$ be functions such that the composition exists.\n\n"
            "$$ (f\\circ g)'(x)=f'(x)g'(x) $$\n")
    assert verdicts(text) == [["failed"]]


def test_a_myst_example_directive_is_local():
    text = ("::::{prf:example}\nLet $q(x)=\\cos(x)$.\n::::\n\n"
            "Let $f$ and $g$ be functions and $q=\\frac{f}{g}$.\n\n"
            "$$ q'(a)=\\frac{g(a)f'(a)-f(a)g'(a)}{g(a)^2} $$\n")
    assert verdicts(text) == [["proved"]]


def test_a_row_that_binds_a_name_reads_it_as_the_variable():
    # CLP-2: u(x) = sin x is set, then the rows integrate in u and substitute u = sin x back
    text = ("Set $u(x)=\\sin(x)$, then\n\n$$ \\int 9\\sin^8(x) \\cos(x) \\,dx "
            "= \\int 9u(x)^8 \\cdot u'(x) \\,dx = \\int 9u^8 \\,du \\bigg|_{u=\\sin(x)} "
            "= \\left( u^9 +C \\right)\\bigg|_{u=\\sin(x)} = \\sin^9(x) +C $$\n")
    assert verdicts(text) == [["proved"] * 4]
    assert verdicts(text.replace("u^9 +C", "u^8 +C")) == [["proved", "proved", "failed", "failed"]]


@pytest.mark.parametrize(("chain", "expected"), [
    # definite integrals are numbers whatever their variable: a substitution with its bounds
    # moved is checked (CLP-2)
    ("\\int_0^1 x^2\\sin\\big(x^3+1\\big)\\,dx = \\frac{1}{3} \\int_{1}^{2} \\sin(u)\\,du"
     " = \\frac{\\cos(1)-\\cos(2)}{3}", ["proved", "proved"]),
    ("\\int_0^1 x^2\\sin\\big(x^3+1\\big)\\,dx = \\int_{1}^{2} \\sin(u)\\,du", ["failed"]),
])
def test_definite_integrals_in_other_variables(chain, expected):
    assert verdicts(f"$$ {chain} $$\n") == [expected]


@pytest.mark.parametrize("chain", [
    # x left in an integral in u, and two indefinite integrals: substitutions not followed
    "\\int_0^1 x^2\\sin(x^3+1)\\,dx = \\int_{1}^{2} \\sin(u) \\frac{x}{3}\\,du",
    "\\int \\sqrt{2x+1}\\,dx = \\int \\sqrt{u} \\frac{1}{2}\\,du",
])
def test_a_substitution_written_half_way_is_skipped(chain):
    chains = parse_markdown(f"$$ {chain} $$\n", "notes.md")
    assert "a substitution" in chains[0].skipped


def test_a_composition_is_read_where_the_document_also_applies_x():
    # TU Delft writes z(t) and x(t) elsewhere: h = f \circ g still takes x as its parameter
    text = ("Let $z=z(t)$ and $x(t)$ be given.\n\n"
            "Consider $h(x)=\\sin\\left(x^3\\right)$. Then $h=f\\circ g$ with $f(u)=\\sin(u)$"
            " and $g(x)=x^3$.\n\n$$ h'(x)=f'(g(x))g'(x)=\\cos\\left(x^3\\right)3x^2 $$\n")
    assert verdicts(text) == [["proved", "proved"]]


def test_an_evaluation_between_bounds_binds_its_letter():
    # CLP-2: u(x) = x^3 + 1 is set, then [-\cos(u)]_1^2 is in u
    text = ("Set $u(x)=x^3+1$.\n\n$$ \\frac{1}{3} \\int_{1}^{2} \\sin(u)\\,du"
            " = \\frac{1}{3} \\big[-\\cos(u)\\big]_1^2 = \\frac{\\cos(1)-\\cos(2)}{3} $$\n")
    assert verdicts(text) == [["proved", "proved"]]
