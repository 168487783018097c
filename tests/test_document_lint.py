"""No display artefacts in what derive writes for real exercises (tests/data/exercises/):
no `0 +` term, no factor 1, no `- -` or `+ -`, no fraction nested in a numerator, no prose
restating a trivial equation. The Markdown and TeX of every exercise are read as text."""

from __future__ import annotations

import pytest
from document_lint import artefacts, documents
from exercises import exercises

CASES = exercises()


def test_the_lint_covers_enough_real_exercises():
    assert len(CASES) >= 200


@pytest.mark.parametrize("text, found", [
    (r"$$ f'(x) = 0 + 2 x $$", ["0 + term"]),
    (r"$$ f'(x) = 3 \cdot 1 $$", ["factor 1"]),
    (r"$$ f'(x) = 1 \cdot e^{x} $$", ["factor 1"]),
    (r"$$ f'(x) = x - - 3 $$", ["sign pair"]),
    (r"$$ f'(x) = x + - 3 $$", ["sign pair"]),
    (r"$$ f'(x) = - \frac{3 \frac{1}{\sqrt{x}} \sin x}{2} $$", ["fraction in a numerator"]),
    (r"Putting it together, $0 + 2 x = 2 x$.", ["0 + term", "trivial restatement"]),
    # what is fine: 10, 0.5, x^{0}, a fraction inside a function's argument, d/dx, the law
    (r"$$ f'(x) = 10 x + 0.5 + x^{0} \cdot 15 $$", []),
    (r"$$ f'(x) = \frac{\sin\left(\frac{x}{8}\right)}{8} + \frac{\frac{d}{dx} u}{v} $$", []),
    (r"$$ \sigma'(x) = \frac{0 \cdot \left(1 + e^{- x}\right) - 1 \cdot \frac{d}{dx} u}{v} $$", []),
])
def test_the_lint_finds_each_artefact_and_nothing_else(text, found):
    assert artefacts(text) == found


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_no_display_artefacts(case):
    for fmt, text in documents(case).items():
        assert artefacts(text) == [], (fmt, case.text)


def test_multiplying_through_clears_a_fraction_from_a_numerator_and_keeps_the_value():
    import sympy

    from derive.engine.forms import add, frac, mul, multiply_through, neg, power
    from derive.words.printer import to_latex

    x = sympy.Symbol("x", positive=True)
    root = sympy.sqrt(x)
    # (√x − (7 + x)/(2√x)) / (√x)², the quotient rule's line for (x + 7)/√x
    line = frac(add(root, neg(frac(add(7, x), mul(2, root)))), power(root, 2))
    cleared, factors = multiply_through(line)
    assert factors == (mul(2, root),)
    assert to_latex(cleared) == r"\frac{2 x - \left(7 + x\right)}{2 \sqrt{x} \left(\sqrt{x}\right)^{2}}"
    assert sympy.simplify(cleared.doit() - line.doit()) == 0
    # nothing to clear: the same form, no factor
    plain = frac(add(x, 1), mul(2, root))
    assert multiply_through(plain) == (plain, ())


def test_a_fraction_left_in_a_numerator_is_set_with_a_solidus():
    import sympy

    from derive.engine.forms import add, frac, mul
    from derive.words.printer import to_latex

    t = sympy.Symbol("t")
    inner = add(1, mul(sympy.Rational(1, 5), t**2))  # 1 + t²/5, as the function has it
    assert to_latex(frac(mul(8, inner), 3)) == r"\frac{8 \left(1 + t^{2}/5\right)}{3}"
    assert to_latex(inner) == r"1 + \frac{t^{2}}{5}"  # stacked where it is not in a numerator
