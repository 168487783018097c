"""Readings added for real documents (issue 12 parts 1-2): each with correct and wrong chains
as the documents write them (cs231n's backprop notes, d2l's multivariable calculus)."""

from __future__ import annotations

from derive.check.documents import parse_markdown
from derive.check.runner import check_chain


def outcome(text: str) -> list[tuple[str, list[str]]]:
    """(skip reason or "", step verdicts) of each chain of a Markdown text."""
    return [(chain.skipped, [s.status.value for s in check_chain(chain).steps])
            for chain in parse_markdown(text, "notes.md")]


# cs231n optimization-2.md: a definition, an arrow, then two partials side by side
ARROW = ("$$\nf(x,y) = x y \\hspace{0.5in} \\rightarrow \\hspace{0.5in} "
         "\\frac{\\partial f}{\\partial x} = {dx} \\hspace{0.5in} "
         "\\frac{\\partial f}{\\partial y} = {dy}\n$$\n")


def test_an_arrow_and_wide_spaces_separate_equations():
    assert outcome(ARROW.replace("{dx}", "y").replace("{dy}", "x")) == [
        ("", ["proved"]), ("", ["proved"])]
    assert outcome(ARROW.replace("{dx}", "x").replace("{dy}", "x")) == [
        ("", ["failed"]), ("", ["proved"])]


def test_quad_between_given_values_separates_them():
    chains = parse_markdown("$$\\lim_{x\\to 2} f(x)=2,\\quad\\lim_{x\\to 2} g(x) = 3$$\n", "n.md")
    assert [[line.text for line in chain.lines] for chain in chains] == [
        ["\\lim_{x\\to 2} f(x)", "2"], ["\\lim_{x\\to 2} g(x)", "3"]]


def test_a_subscripted_function_ends_what_the_name_meant():
    # cs231n: f(x) = 1/x, then f_c(x) = c + x -> df/dx = 1 is about f_c, not the old f
    text = ("$$\nf(x) = \\frac{1}{x} \\rightarrow \\frac{df}{dx} = -1/x^2\n$$\n\n"
            "$$\nf_c(x) = c + x \\rightarrow \\frac{df}{dx} = 1\n$$\n")
    (first, second) = outcome(text)
    assert first == ("", ["proved"])
    assert second[0] and "f" in second[0] and not second[1]  # skipped, never failed


def test_a_partial_in_a_variable_the_function_does_not_have_is_refused():
    # d2l: a(w, x, y, z) is defined, and da/du belongs to a chain rule through u
    text = ("$$a(w, x, y, z) = (w+x+y+z)^{2}$$\n\n"
            "$$\\frac{\\partial a}{\\partial u} = 0$$\n\n"
            "$$\\frac{\\partial a}{\\partial w} = 2(w+x+y+z)$$\n")
    (refused, read) = outcome(text)
    assert "a is a function of (w, x, y, z), not of u" in refused[0]
    assert read == ("", ["proved"])
