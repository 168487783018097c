"""No display artefacts in what derive writes for real exercises (tests/data/exercises/):
no `0 +` term, no factor 1, no `- -` or `+ -`, no fraction nested in a numerator, no prose
restating a trivial equation. The Markdown and TeX of every exercise are read as text."""

from __future__ import annotations

import pytest
from document_lint import artefacts, documents
from exercises import exercises

CASES = exercises()
# Not clean yet, each for the reason given; strict: a case that becomes clean must leave the list.
# A fraction in a numerator here comes from a line where a fractional derivative was put in
# (u'v − uv' with v' = 1/(2√x), ln x's 1/x inside a sum), which a teacher clears by
# multiplying through: not a step derive writes yet.
KNOWN = {
    "apex_calculus_02_04:13",  # fraction in a numerator
    "apex_calculus_02_05:36",  # fraction in a numerator
    "apex_calculus_02_05:40",  # fraction in a numerator
    "apex_calculus_02_06:10",  # fraction in a numerator
    "apex_calculus_02_07:15",  # fraction in a numerator
    "losses:11",  # fraction in a numerator
    "losses:20",  # fraction in a numerator
    "openstax_calculus1_3_3:35",  # fraction in a numerator
    "openstax_calculus1_3_9:20",  # fraction in a numerator
    "openstax_calculus1_3_9:25",  # fraction in a numerator
    "openstax_calculus1_4_3:34",  # fraction in a numerator
    "pytorch_activations:23",  # fraction in a numerator
    "pytorch_activations:24",  # fraction in a numerator
    "pytorch_activations:31",  # fraction in a numerator
}


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


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(strict=True, reason="known artefact")) if c.id in KNOWN
    else c for c in CASES], ids=[c.id for c in CASES])
def test_no_display_artefacts(case):
    for fmt, text in documents(case).items():
        assert artefacts(text) == [], (fmt, case.text)
