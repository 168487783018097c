"""What is shown is what was proved: every equation a document displays, read back from its own
LaTeX by derive's LaTeX reader, is proved equal (derive.verify) to what the verifier checked.

Over the catalog and the real exercises in tests/data/exercises/. A dropped sign or bracket in
the printer (``-(a + b)`` shown as ``- a + b``), or a product a reader would take otherwise
(``\\cos x x``, ``0.0001 \\, 857 + t``), reads back as a different expression and fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sympy
from exercises import activations, exercises, losses, textbook

from derive import pipeline
from derive.engine.naming import is_name
from derive.errors import DeriveError
from derive.model import ASIDE, Derivation, Status, Step, as_function
from derive.parse.catalog import entries
from derive.parse.latex import parse_latex_math
from derive.render.view import build_view
from derive.verify import check_equal
from derive.words.printer import to_latex

# What the reader is not meant to read, with the reason; anything else it cannot read fails.
NOT_READ = {
    r"\begin{cases}": "a piecewise expression (the reader has no cases environment)",
    r"\ldots": "a decimal shown abbreviated on purpose (SELU's 31-digit constants)",
}
CATALOG_CALLS = ("x*sigmoid(x)", "relu(x - 1)", "softplus(2*x)", "tanh(sigmoid(x))",
                 "mish(x)*elu(x)", "x*hard_sigmoid(x)", "log(1 + softsign(x**2))")
TIMEOUT = 20.0  # generous: the machine may be busy, and a verdict must not depend on it


def _cases() -> list[Any]:
    found = [pytest.param(entry.name, None, id=entry.name) for entry in entries()]
    # catalog functions inside expressions, their derivatives cited as lemmas
    found += [pytest.param(text, None, id=text) for text in CATALOG_CALLS]
    seen = set()
    for case in textbook() + activations() + losses():
        if (case.text, case.variable) not in seen:
            seen.add((case.text, case.variable))
            found.append(pytest.param(case.text, case.variable, id=case.id))
    return found


def _reader(derivation: Derivation) -> Callable[[str], sympy.Expr]:
    """derive's LaTeX reader, knowing the document's names: the function (σ, f, ReLU) stands
    for its body, H is the Heaviside step, every symbol is the expression's own."""
    definition = derivation.function
    functions: dict[str, Callable[..., sympy.Expr]] = {"H": sympy.Heaviside}
    names = []
    for named in (definition, *derivation.lemmas):  # σ in softplus' Result, ReLU(x - 1)
        if is_name(named.applied()):  # a long inner function named u: u and u' in the text
            names.append(named)
            continue
        head = re.fullmatch(r"\\(?:operatorname|mathrm)\{(\w+)\}|\\?(\w+)", named.latex)
        if head is not None:
            functions[head.group(1) or head.group(2)] = (
                lambda u, named=named: named.body.xreplace({named.variable: u}))
    symbols = {s.name: s for s in definition.body.free_symbols}

    def read(latex: str) -> sympy.Expr:
        for lemma in names:  # each name read as its definition, written out in the text
            latex = _written_out(latex, lemma)
        return as_function(parse_latex_math(latex, symbols=symbols, functions=functions).doit())

    return read


def _written_out(latex: str, lemma: Any) -> str:
    """The LaTeX with the name u (and u') replaced by its definition, bracketed."""
    body = to_latex(lemma.body)
    var = to_latex(lemma.variable)
    letter = re.escape(lemma.latex)
    latex = re.sub(rf"(?<![A-Za-z\\]){letter}'(?!')",
                   lambda _: rf"\left(\frac{{d}}{{d{var}}} \left({body}\right)\right)", latex)
    return re.sub(rf"(?<![A-Za-z\\]){letter}(?![A-Za-z'])",
                  lambda _: rf"\left({body}\right)", latex)


def _displayed(derivation: Derivation, view: dict[str, Any]
               ) -> Iterator[tuple[str, str, sympy.Expr | str]]:
    """(where, LaTeX shown, what it must equal): the checked value of an expression, or the
    LaTeX of the other side of an equation a sentence states."""
    def walk(steps: tuple[Step, ...], shown: list[dict[str, Any]]) -> Iterator[Any]:
        for step, seen in zip(steps, shown, strict=True):
            where = f"{step.label or step.rule}"
            yield where, seen["latex"], derivation.value_of(step.expr)
            if step.focus is not None:
                lhs, rhs = step.focus
                yield f"{where}, focus", seen["focus"]["lhs"], derivation.value_of(lhs)
                yield f"{where}, focus", seen["focus"]["rhs"], derivation.value_of(rhs)
            for stated in re.finditer(r"Putting it together, \$([^$=]*)=([^$=]*)\$",
                                      seen["explanation"]):
                yield f"{where}, explanation", stated.group(1), stated.group(2)
            yield from walk(step.substeps, seen["substeps"])

    main = tuple(s for s in derivation.steps if s.role != ASIDE)
    yield from walk(main, view["steps"])
    yield from walk(tuple(s for s in derivation.steps if s.role == ASIDE), view["after_result"])
    yield "result", view["result"]["latex"], derivation.value_of(derivation.result)
    yield "SymPy's derivative", view["reference"]["latex"], derivation.reference


@pytest.mark.parametrize(("text", "variable"), _cases())
def test_every_equation_shown_reads_back_to_what_was_verified(text, variable):
    target = pipeline.resolve(text, var=variable)
    derivation = pipeline.derive(target, timeout=TIMEOUT)
    read = _reader(derivation)
    problems = []
    for where, latex, expected in _displayed(derivation, build_view(derivation)):
        sides = [latex] + ([expected] if isinstance(expected, str) else [])
        if any(mark in side for side in sides for mark in NOT_READ):
            continue
        try:
            shown = read(latex)
            value = read(expected) if isinstance(expected, str) else expected.doit()
        except DeriveError as error:
            problems.append(f"{where}: cannot read ${latex}$: {error}")
            continue
        verdict = check_equal(shown, value, timeout=TIMEOUT)
        if verdict.status is not Status.PROVED:
            problems.append(f"{where}: ${latex}$ reads as {shown}, but what was checked is "
                            f"{value}: {verdict.mark}")
    assert not problems, "\n".join(problems)


def test_a_named_inner_function_is_read_as_its_definition():
    # gelu_tanh names its inner function u: the lines with u and u' read back as proved
    target = pipeline.resolve("gelu_tanh")
    derivation = pipeline.derive(target, timeout=TIMEOUT)
    (u,) = [lemma for lemma in derivation.lemmas if is_name(lemma.applied())]
    read = _reader(derivation)
    x = derivation.variable
    assert sympy.simplify(read(r"\tanh u") - sympy.tanh(u.body)) == 0
    assert sympy.simplify(read(r"2 u'") - 2 * sympy.diff(u.body, x)) == 0
    shown = [latex for _, latex, _ in _displayed(derivation, build_view(derivation))]
    assert sum(re.search(r"(?<![A-Za-z\\])u(?![A-Za-z])", t) is not None for t in shown) >= 4


def test_the_read_back_covers_the_catalog_and_a_few_hundred_exercises():
    assert len(_cases()) >= 250
    assert {e.source for e in exercises()} >= {"pytorch_activations.txt"}


@pytest.mark.parametrize(("expr", "shown"), [
    # -(a + b) keeps its bracket; a minus inside a product keeps its own
    (lambda x: sympy.Mul(-1, sympy.Add(sympy.csc(x) ** 2, sympy.exp(x), evaluate=False),
                         evaluate=False), r"- \left(\csc^{2} x + e^{x}\right)"),
    (lambda x: sympy.Mul(3, sympy.Mul(-1, sympy.sin(x), evaluate=False), evaluate=False),
     r"3 \left(- \sin x\right)"),
    # a function written without brackets does not swallow what follows it
    (lambda x: sympy.Mul(sympy.cos(x), x, evaluate=False), r"\cos x \cdot x"),
    (lambda x: sympy.Mul(sympy.sin(x), sympy.cos(x), evaluate=False), r"\sin x \cos x"),
    # d/dx(u) times v is written with the product sign
    (lambda x: sympy.Mul(sympy.Derivative(x**2, x), sympy.cos(x), evaluate=False),
     r"\frac{d}{dx} \left(x^{2}\right) \cdot \cos x"),
    # a decimal coefficient in front of a sum keeps the sum's bracket
    (lambda x: sympy.Mul(sympy.Rational(1, 10000), sympy.Add(857, 3 * x, evaluate=False),
                         evaluate=False), r"0.0001 \, \left(857 + 3 x\right)"),
])
def test_the_printer_keeps_signs_brackets_and_products(expr, shown):
    from derive.words.printer import to_latex

    x = sympy.Symbol("x", real=True)
    assert to_latex(expr(x)) == shown
