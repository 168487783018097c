"""Readings added for real documents (issue 12 parts 1-2): each with correct and wrong chains
as the documents write them (cs231n's backprop notes, d2l's multivariable calculus)."""

from __future__ import annotations

from derive.check.documents import parse_markdown, parse_tex
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
    assert second == ("", ["undecided"])  # f is now an unknown function: never failed


def test_a_partial_in_a_variable_the_function_does_not_have_is_refused():
    # d2l: a(w, x, y, z) is defined, and da/du belongs to a chain rule through u
    text = ("$$a(w, x, y, z) = (w+x+y+z)^{2}$$\n\n"
            "$$\\frac{\\partial a}{\\partial u} = 0$$\n\n"
            "$$\\frac{\\partial a}{\\partial w} = 2(w+x+y+z)$$\n")
    (refused, read) = outcome(text)
    assert "a is a function of (w, x, y, z), not of u" in refused[0]
    assert read == ("", ["proved"])


# -- unknown functions: rules for any f and g (APEX, d2l) ----------------------------------

def test_rules_for_unknown_functions_are_proved_as_written():
    text = ("$$\\frac{d}{dx}\\Big(f(g(x))\\Big) = f'(g(x))\\cdot g'(x)$$\n\n"
            "$$\\frac{d}{dx}\\Big(f(x)g(x)\\Big) = f(x)g'(x) + f'(x)g(x)$$\n\n"
            "$$\\frac{d}{dx}\\left(\\frac{f(x)}{g(x)}\\right) = \\frac{g(x)f'(x) - f(x)g'(x)}"
            "{g(x)^2}$$\n")
    assert outcome(text) == [("", ["proved"])] * 3


def test_a_wrong_rule_fails_on_an_instance_and_says_which():
    text = ("$$\\frac{d}{dx}\\Big(f(g(x))\\Big) = f'(g(x))$$\n\n"  # the inner derivative left out
            "$$\\frac{d}{dx} [f(x) g(x)] = \\frac{d}{dx} f(x) \\frac{d}{dx} g(x)$$\n")
    chains = parse_markdown(text, "n.md")
    for chain in chains:
        (step,) = check_chain(chain).steps
        assert step.status.value == "failed"
        assert "false for f(t0) = " in step.verdict.detail


def test_a_claim_about_two_different_unknown_functions_is_never_failed():
    # d2l: dF/dx = f holds because the prose says F is an antiderivative of f
    (only,) = outcome("$$\\frac{dF}{dx}(x) = f(x)$$\n")
    assert only[1] == ["undecided"]


# -- y as a function of x: implicit differentiation (APEX 2.6) ------------------------------

IMPLICIT = r"""
$$\frac{d}{dx}\Big(\sin y\Big) = \cos y \cdot {yp}$$

$$\frac{d}{dx}\Big(y^3\Big) = \frac{d}{dx}\Big((y)^3\Big) = 3(y)^2\cdot y'$$

$$\frac{d}{dx}\Big(\sin(y) + y^3\Big)=\frac{d}{dx}\Big(6-x^3\Big).$$

\begin{align*}
\cos(y)y'+3y^2y' &= -3x^2\\
y' &= \frac{-3x^2}{\cos y+3y^2}
\end{align*}
"""


def test_implicit_differentiation_identities_are_decided_and_equations_never_failed():
    chains = parse_markdown(IMPLICIT.replace("{yp}", "y'"), "n.md")
    results = [check_chain(chain) for chain in chains]
    assert [[s.status.value for s in r.steps] for r in results[:2]] == [
        ["proved"], ["proved", "proved"]]
    assert "both sides of an equation differentiated" in results[2].skipped  # y alone
    for result in results[3:]:
        assert not result.skipped and not result.steps  # equations: reported, not checked
        assert [line.relation for line in result.chain.unchecked] == [
            "= (an equation in y', from implicit differentiation)"]


def test_implicit_differentiation_without_the_inner_derivative_fails():
    chains = parse_markdown(IMPLICIT.replace("{yp}", "1"), "n.md")
    assert [s.status.value for s in check_chain(chains[0]).steps] == ["failed"]


# -- y' after a bare y = … (APEX's chain rule examples) -------------------------------------

def test_y_prime_reads_the_y_written_just_above():
    text = ("Consider $y = \\sin 2x$. Thus $$y' = \\cos (2x)\\cdot 2 = 2\\cos 2x.$$\n\n"
            "Consider $y = \\sin 2x$. Thus $$y' = \\cos (2x) = 2\\cos 2x.$$\n")
    assert outcome(text) == [("", ["proved", "proved"]), ("", ["failed", "failed"])]


def test_dy_dx_of_an_unknown_y_is_an_equation_and_a_y_beside_it_is_read():
    (alone,) = parse_markdown("$$ \\frac{dy}{dx} = 2x $$\n", "n.md")
    assert not alone.skipped and not check_chain(alone).steps
    assert [line.relation for line in alone.unchecked] == [
        "= (an equation in y', from implicit differentiation)"]
    assert outcome("$$ y = x^2 \\quad y' = 2x $$\n") == [("", ["proved"])]
    assert outcome("$$ y = x^2 \\quad y' = x $$\n") == [("", ["failed"])]


def test_a_y_from_far_above_is_not_used():
    text = ("The tangent line is $y = -9.91x + 18$.\n" + "\n" * 12
            + "$$y' = 3x^2$$\n")  # another example's y, named in prose only
    (only,) = outcome(text)
    assert only[1] == []  # y is an unknown function of x: an equation, never failed


# -- f'(x) = 2x - 2 = 0: setting a derivative to zero ---------------------------------------

def test_setting_a_derivative_to_zero_is_an_equation():
    text = "$$f(x) = x^2 - 2x$$\n\n$$f'(x) = 2x - 2 = 0$$\n\n$$f'(x) = 2x - 3 = 0$$\n"
    chains = parse_markdown(text, "n.md")
    right, wrong = (check_chain(chain) for chain in chains)
    assert [s.status.value for s in right.steps] == ["proved"]
    assert [line.relation for line in right.chain.unchecked] == ["= 0 (an equation to solve)"]
    assert [s.status.value for s in wrong.steps] == ["failed"]  # the derivative is still checked


# -- definitions as documents write them ---------------------------------------------------

def test_definitions_in_a_note_are_read():
    # APEX 2.5: $$y=(1-x)^2 = f(g(x)), \text{ where } f(x) = x^2 \text{ and } g(x) = 1-x.$$
    text = ("$$f(x) = \\sin x$$\n\n"
            "$$y=(1-x)^2 = f(g(x)), \\text{ where } f(x) = x^2\\ \\text{ and }\\ g(x) = 1-x.$$\n"
            "$$f'(g(x))\\cdot g'(x) = 2(1-x)\\cdot (-1) = 2x-2.$$\n")
    assert outcome(text)[-1] == ("", ["proved", "proved"])


def test_a_value_at_a_point_and_two_definitions_on_one_line_define_nothing():
    text = ("$g(L)=K$.\n\n$$\\frac{d}{dx} g(x) = 0$$\n\n"
            "1. $f(x) = x^5$ \\quad 2. $f(x) = x^3$\n\n$$f'(x) = 5x^4$$\n")
    for _, steps in outcome(text):
        assert "failed" not in steps


def test_a_parameter_shadows_a_function_of_the_same_name():
    text = ("$$u(a, b) = (a+b)^{2}$$\n\n$$f(u, v) = (u+v)^{2}$$\n\n"
            "$$\\frac{d}{dx} f(x, 1) = 2(x+1)$$\n")
    assert outcome(text)[-1] == ("", ["proved"])


def test_displaystyle_does_not_hide_a_definition():
    text = "Let $\\displaystyle f(x) = \\frac{1}{x+1}$.\n\n$$f'(x) = \\frac{-1}{(x+1)^2}$$\n"
    assert outcome(text) == [("", ["proved"])]


def test_a_defined_function_beside_unknown_ones_never_fails_on_an_instance():
    # d2l: f(x) = log(1 + (x-1)^10) earlier, then f = g o h derived in prose; the old f
    # must not fail the derivation
    text = ("Like $f(x) = \\log\\left(1+(x-1)^{10}\\right)$.\n\n"
            "$$\\begin{aligned}\nf(x+\\epsilon) & = g(h(x+\\epsilon)) \\\\\n"
            "& \\approx g(h(x)) + \\epsilon \\frac{dh}{dx}(x) \\frac{dg}{dh}(h(x))\\\\\n"
            "& = f(x) + \\epsilon \\frac{dg}{dh}(h(x))\\frac{dh}{dx}(x),\n\\end{aligned}$$\n")
    for _, steps in outcome(text):
        assert "failed" not in steps


# -- layouts and notation of APEX and d2l ----------------------------------------------------

def test_a_row_ending_with_its_relation_continues_on_the_next_row():
    # APEX 2.1: the one-sided limits of |x| at 0, one expression per row
    text = ("\\begin{align*}\n\\lim_{h\\to0^-}\\frac{-h-0}{h} &= \\\\\n"
            "\\lim_{h\\to0^-}(-1) & ={v}\n\\end{align*}\n")
    assert outcome(text.replace("{v}", "-1")) == [("", ["proved", "proved"])]
    assert outcome(text.replace("{v}", "1")) == [("", ["proved", "failed"])]


def test_a_unit_after_the_last_number_is_not_read():
    # APEX 2.1: f(t) = -16t^2 + 150, the average velocity in ft/s
    text = ("$$f(t) = -16t^2 + 150$$\n\n"
            "$$\\frac{f(3)-f(2)}{3-2} = \\frac{f(3)-f(2)}{1} ={v}\\ \\text{ft/s},$$\n")
    assert outcome(text.replace("{v}", "-80")) == [("", ["proved", "proved"])]
    assert outcome(text.replace("{v}", "-70")) == [("", ["proved", "failed"])]


def test_what_a_chain_differentiates_by_is_a_variable_there():
    # d2l 18.4: f(u, v), u(a, b), a(w, x, y, z) ... then their partials
    text = ("$$\\begin{aligned}f(u, v) & = (u+v)^{2} \\\\u(a, b) & = (a+b)^{2}, \\qquad "
            "v(a, b) = (a-b)^{2}, \\\\a(w, x, y, z) & = (w+x+y+z)^{2}\\end{aligned}$$\n\n"
            "$$\\frac{\\partial f}{\\partial u} = 2(u+v)$$\n\n"
            "$$\\frac{\\partial v}{\\partial b} = -2(a-b)$$\n\n"
            "$$\\frac{\\partial a}{\\partial w} = 2(w+x+y+z)$$\n\n"
            "$$\\frac{\\partial v}{\\partial b} = 2(a-b)$$\n")
    assert outcome(text) == [("", ["proved"])] * 3 + [("", ["failed"])]


def test_y_prime_at_a_point_reads_the_y_just_defined():
    # APEX 2.4: y = 5x^2 sin x, then y'(pi/2)
    text = ("Compute the derivative of $y=5x^2\\sin x$ at $x = \\pi/2$.\n\n"
            "$$y'(\\pi/2) = 5\\left(\\frac{\\pi}{2}\\right)^2\\cos \\left(\\frac{\\pi}2\\right) "
            "+ 10\\frac{\\pi}2 \\sin\\left(\\frac{\\pi}{2}\\right) = {v}.$$\n")
    assert outcome(text.replace("{v}", "5\\pi")) == [("", ["proved", "proved"])]
    assert outcome(text.replace("{v}", "\\pi")) == [("", ["proved", "failed"])]


# -- CLP-1 (UBC): its \diff macro, conditions in prose, names given values ------------------

CLP_MACROS = r"""\newcommand{\diff}[2]{ \frac{\mathrm{d}\hfil#1\hfil}{\mathrm{d}#2}}
"""


def test_a_braced_derivative_macro_applies_to_what_follows():
    text = CLP_MACROS + ("\\begin{align*}\n\\diff{}{x} \\log(3x) &= \\frac{1}{3x} \\cdot 3 "
                         "= \\frac{1}{x}\\\\\n\\diff{y}{x} &= 0\n\\end{align*}\n")
    chains = parse_tex(text, "n.tex")
    assert [s.status.value for s in check_chain(chains[0]).steps] == ["proved", "proved"]
    wrong = parse_tex(text.replace("\\frac{1}{3x} \\cdot 3", "\\frac{1}{3x}"), "n.tex")
    assert [s.status.value for s in check_chain(wrong[0]).steps] == ["failed", "failed"]


def test_layout_wrappers_are_read_through():
    text = ("$$x \\cdot \\underbrace{\\frac{d}{dx} \\ln x}_{=1/x} = 1 \\hidewidth$$\n\n"
            "$$\\frac{d}{dx} x^{\\nicefrac{1}{2}} = \\parbox{60pt}{$\\frac{1}{2}x^{-1/2}$}$$\n")
    assert outcome(text) == [("", ["proved"]), ("", ["proved"])]


def test_a_condition_stated_just_before_applies_to_the_chain():
    # CLP 2.10: "If $x<0$ then ..." and the chain ends in 1/x = -1/|x| only for x < 0
    chain = "$$\\frac{d}{dx} \\ln|x| = -\\frac{1}{|x|} = \\frac{1}{x}$$\n"
    assert outcome("If $x<0$ then\n" + chain) == [("", ["proved", "proved"])]
    assert outcome("If $x>0$ then\n" + chain)[0][1][0] == "failed"  # -1/|x| is not 1/x there


def test_a_name_given_a_value_is_read_as_it_or_not_at_all():
    # CLP: "Write $X=|x|$ and $H=-h$", then a chain that also differentiates in X
    text = ("Write $X=|x|$.\n$$-\\frac{d}{dX}\\log X = -\\frac{1}{X} = -\\frac{1}{|x|}$$\n\n"
            "Let $H = 3h$.\n$$\\lim_{h \\to 0} \\frac{H}{h} = 3$$\n")
    (both, limit) = outcome(text)
    assert "X stands for |x|" in both[0] and not both[1]
    assert limit == ("", ["proved"])


def test_a_prime_at_a_letter_of_the_function_is_taken_there():
    # CLP 2.9: g(x) = ax + b earlier, then g'(a) in the chain rule's proof: g'(a) is a
    text = "Set $g(x) = ax+b$.\n\n$$g'(a) = \\lim_{h \\to 0} \\frac{g(a+h)-g(a)}{h} = a$$\n"
    assert outcome(text) == [("", ["proved", "proved"])]


# -- hypotheses stated in prose or beside a row (issue 12: "for x > 0", "where a ≠ 0") -------

def test_a_list_of_hypotheses_in_prose_gives_each_variable_its_sign():
    # APEX 2.5: "where $a>0$, $a\neq 1$"; the step to 2/x needs x > 0
    chain = "$$\\frac{d}{dx} \\log(a x^2) = \\frac{2a x}{a x^2} = {last}$$\n"
    right = outcome("Let $a>0, a \\neq 1$ and $x > 0$:\n" + chain.replace("{last}", "\\frac{2}{|x|}"))
    assert right == [("", ["proved", "proved"])]
    wrong = outcome("Let $a>0, a \\neq 1$ and $x > 0$:\n" + chain.replace("{last}", "-\\frac{2}{|x|}"))
    assert wrong == [("", ["proved", "failed"])]
    # the hypothesis is what the step is checked under, and the verdict says so
    (result,) = [check_chain(c) for c in parse_markdown(
        "For $x > 0$,\n" + chain.replace("{last}", "\\frac{2}{|x|}"), "n.md")]
    assert "under the text's hypothesis x > 0 (line 1)" in result.steps[1].verdict.detail
    # without it, 2/x = 2/|x| is not an identity: never proved
    assert outcome(chain.replace("{last}", "\\frac{2}{|x|}"))[0][1][1] != "proved"


def test_a_hypothesis_beside_a_row_governs_its_step():
    # mooculus 3.5: `\ln(|f(x)|) &= \ln\left(|x|^n\right) , x\ne0`; d2l: `&& \textrm{for } n \neq 0`
    text = ("\\begin{align*}\n\\frac{d}{dx} \\sqrt{x^2} &= \\frac{x}{\\sqrt{x^2}}\\\\\n"
            "&= {last}, \\quad x < 0\n\\end{align*}\n")
    assert outcome(text.replace("{last}", "-1")) == [("", ["proved", "proved"])]
    assert outcome(text.replace("{last}", "1")) == [("", ["proved", "failed"])]
    noted = "$$\\frac{d}{dx}\\sqrt{x^2} = {last} \\quad \\text{for } x > 0$$\n"
    assert outcome(noted.replace("{last}", "1")) == [("", ["proved"])]
    assert outcome(noted.replace("{last}", "-1")) == [("", ["failed"])]
    # a row's hypothesis replaces what the prose above said of the same variable
    assert outcome("For $x > 0$:\n" + text.replace("{last}", "-1")) == [("", ["proved", "proved"])]


def test_a_hypothesis_that_is_not_a_sign_fails_a_step_only_inside_it():
    # `x > 1` is checked as x positive: a counterexample at x = 1/2 refutes nothing
    text = "For $x > 1$, the slope is\n$$\\frac{d}{dx} |x - 1| = {slope}$$\n"
    (right,) = [check_chain(c) for c in parse_markdown(text.replace("{slope}", "1"), "n.md")]
    assert right.steps[0].status.value != "failed"
    assert outcome(text.replace("{slope}", "-1")) == [("", ["failed"])]  # false for every x > 1


# -- APEX's layouts: notes in boxes, rows ending with `&=`, a space before a bracket --------

def test_a_box_of_words_is_a_note_and_a_box_of_math_is_math():
    text = ("\\begin{align*}\n\\frac{d}{dx}\\sin x &= \\lim_{h\\to 0} \\frac{\\sin(x+h)-\\sin x}{h}"
            " & & \\left(\\text{\\scriptsize \\parbox{110pt}{\\centering Use trig identity "
            "$\\sin(x+h) = \\sin x\\cos h+\\cos x\\sin h$}}\\right) \\\\\n"
            "&= {last} \\quad \\parbox{100pt}{\\small (regroup)}\\ !\n\\end{align*}\n")
    assert outcome(text.replace("{last}", "\\cos x")) == [("", ["proved", "proved"])]
    assert outcome(text.replace("{last}", "-\\cos x")) == [("", ["proved", "failed"])]
    boxed = "$$\\frac{d}{dx} x^x = \\parbox{50pt}{${last}$}$$\n"
    assert outcome(boxed.replace("{last}", "x^x(\\ln x + 1)")) == [("", ["proved"])]
    assert outcome(boxed.replace("{last}", "x^x \\ln x")) == [("", ["failed"])]


def test_a_row_that_ends_with_its_relation_is_continued_by_a_last_row_without_one():
    # APEX 2.1: each row `… &=`, the value alone on the last row
    text = ("\\begin{align*}\n\\lim_{h\\to0^+}\\frac{(1+h)^2-1}{h} &=\\\\\n"
            "\\lim_{h\\to0^+}(2+h)&=\\\\\n{last}&\\\\\n\\phantom{0}\n\\end{align*}\n")
    assert outcome(text.replace("{last}", "2")) == [("", ["proved", "proved"])]
    assert outcome(text.replace("{last}", "1")) == [("", ["proved", "failed"])]


def test_a_space_before_a_bracket_ends_a_bare_argument():
    # APEX 2.4: `\sin x (-\sin x)` is sin(x) times (-sin x); `\sin x(x)` stays ambiguous
    text = "$$\\frac{d}{dx} \\tan x = \\frac{\\cos x \\cos x - \\sin x ({s}\\sin x)}{\\cos^2 x}$$\n"
    assert outcome(text.replace("{s}", "-")) == [("", ["proved"])]
    assert outcome(text.replace("{s}", "")) == [("", ["failed"])]
    (refused,) = outcome("$$\\frac{d}{dx} \\sin x(1+x) = \\cos x$$\n")
    assert "ambiguous" in refused[0]


# -- notebooks: what an earlier Markdown cell wrote is in force later (Roelants' notes) -------

def notebook_outcome(*cells: str) -> list[tuple[str, list[str]]]:
    import nbformat

    from derive.check.documents import parse_notebook

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(cell) if cell else
                      nbformat.v4.new_code_cell("x = 1") for cell in cells]
    return [(chain.skipped, [s.status.value for s in check_chain(chain).steps])
            for chain in parse_notebook(nbformat.writes(notebook), "n.ipynb")]


def test_a_y_written_in_an_earlier_cell_is_the_y_of_later_cells():
    first = ("The output is $y = \\sigma(z)$, with\n$$ \\sigma(z) = \\frac{1}{1+e^{-z}} $$\n"
             "If $z = x \\cdot w$, the log-odds are linear in $w$.")
    later = "$$\n\\frac{\\partial y}{\\partial z} = \\sigma(z) \\cdot (1 {sign} \\sigma(z))\n$$"
    assert notebook_outcome(first, "", later.replace("{sign}", "-")) == [("", ["proved"])]
    assert notebook_outcome(first, "", later.replace("{sign}", "+")) == [("", ["failed"])]


def test_a_definition_restated_in_a_sentence_stays_in_force():
    # Roelants: the display defines xi(t, y); "which gives $\xi(t,y) = -\sum …$" is a remark
    defined = ("$$\n\\xi(t,y) = -t \\log(y) - (1-t) \\log(1-y)\n$$\n\nWhich will give "
               "$\\xi(t,y) = - \\sum_{i=1}^{n} t_i \\log(y_i)$ over all samples.")
    chain = "$$\n\\frac{\\partial \\xi}{\\partial y} = -\\frac{t}{y} {sign} \\frac{1-t}{1-y}\n$$"
    assert notebook_outcome(defined, chain.replace("{sign}", "+")) == [("", ["proved"])]
    assert notebook_outcome(defined, chain.replace("{sign}", "-")) == [("", ["failed"])]


def test_a_catalog_function_above_a_leibniz_bar_is_taken_at_the_variable():
    # issue 12: \frac{d\sigma}{dx} with sigma known only from derive's catalog
    chain = "$$\\frac{d\\sigma}{dx} = \\sigma(x)(1 {sign} \\sigma(x))$$\n"
    assert outcome(chain.replace("{sign}", "-")) == [("", ["proved"])]
    assert outcome(chain.replace("{sign}", "+")) == [("", ["failed"])]
    tanh = "$$\\frac{d \\tanh}{dx} = 1 {sign} \\tanh^2(x)$$\n"
    assert outcome(tanh.replace("{sign}", "-")) == [("", ["proved"])]
    assert outcome(tanh.replace("{sign}", "+")) == [("", ["failed"])]
    # a bare sigma elsewhere is a value (sigma(1 - sigma): a product? sigma of 1 - sigma?),
    # and a sigma the text gave a value is not the sigmoid: not read, never failed
    for text in ("$$\\frac{d\\sigma}{dx} = \\sigma(1-\\sigma)$$\n",
                 "Let $\\sigma = 2$ be the spread.\n$$\\frac{d\\sigma}{dx} = 0$$\n"):
        (refused,) = outcome(text)
        assert "needs sigma defined" in refused[0] and not refused[1]


# -- TU Delft's Calculus (CC BY 4.0): what its chapters on differentiation write ------------

def test_two_hypotheses_on_one_variable_and_a_bound_variable_take_none():
    # "for $h<0$ we have |h| = -h, while for $h>0$ …": the left limit's h is its own
    chain = ("\\begin{align*}\n\\lim_{h\\rightarrow 0^-}\\frac{|0+h|-|0|}{h} &= "
             "\\lim_{h\\rightarrow 0^-}\\frac{{num}}{h} \\\\\n&= -1\n\\end{align*}\n")
    prose = "Here for $h<0$ we have $|h|=-h$, while for $h>0$ we have $|h|=h$. Then\n"
    assert outcome(prose + chain.replace("{num}", "-h")) == [("", ["proved", "proved"])]
    assert outcome(prose + chain.replace("{num}", "h")) == [("", ["failed", "failed"])]
    assert outcome("For $h>0$:\n" + chain.replace("{num}", "-h")) == [("", ["proved", "proved"])]


def test_the_derivative_of_the_variable_itself_and_the_books_sign_error():
    # TU Delft 2.2: `4\frac{dt^3}{dt}-\frac{dt}{dt}`, and -3(-sin t) written as -3 sin t
    text = ("\\begin{align*}\n\\frac{d}{dt}\\left(-3\\cos(t)+4t^3-t\\right) &= -3\\frac{d\\cos(t)}{dt}"
            "+4\\frac{dt^3}{dt}-\\frac{dt}{dt} \\\\\n&=-3(-\\sin(t))+4(3t^{3-1})-1 \\\\\n"
            "&={last}\n\\end{align*}\n")
    assert outcome(text.replace("{last}", "3\\sin(t)+12t^2-1")) == [("", ["proved"] * 3)]
    assert outcome(text.replace("{last}", "-3\\sin(t)+12t^2-1")) == [("", ["proved", "proved",
                                                                           "failed"])]


def test_a_function_of_another_letter_is_not_differentiated_by_this_one():
    # TU Delft 2.4: p(z) = 10000z (pressure at depth z), then dp/dt = 1700 Pa/s is given
    text = "$$\np(z)=10000z\n$$\n\n$$\n\\frac{dp}{dt}=1700\\,\\frac{\\mathrm{Pa}}{\\mathrm{s}}.\n$$\n"
    (refused,) = outcome(text)
    assert "p is a function of z, not of t" in refused[0]
    # d2l: dF/du(u(x)) is F' at u(x), read as before
    evaluated = ("$$\nF(x) = x^3\n$$\n\n$$\n\\frac{d}{dx}F(u(x)) = \\frac{dF}{du}(u(x)) {rest}\n$$\n")
    assert outcome(evaluated.replace("{rest}", "\\cdot \\frac{du}{dx}")) == [("", ["proved"])]
    # the inner derivative left out: u is unknown, so never failed on an instance here
    assert outcome(evaluated.replace("{rest}", "")) == [("", ["undecided"])]
    assert outcome("$$\np(z)=10000z\n$$\n\n$$\\frac{dp}{dz} = 1000$$\n") == [("", ["failed"])]


def test_a_value_given_at_a_point_is_an_equation_and_an_inline_definition_defines():
    # TU Delft 2.1: `600=s(400)=a\cdot400+b` (an equation for a and b), and
    # "Then $f(x)=x^0=1$" before the limit definition of f'(x)
    (given,) = outcome("$$\n600=s(400)=a\\cdot400+b\n$$\n")
    assert "an equation to solve" in given[0] and not given[1]
    chain = ("Then $f(x)=x^0=1$ and\n$$\nf'(x)=\\lim_{h\\rightarrow 0}\\frac{f(x+h)-f(x)}{h}"
             "=\\lim_{h\\rightarrow 0}\\frac{1-1}{h}={last}\n$$\n")
    assert outcome("$$f(x) = \\sin x$$\n\n" + chain.replace("{last}", "0")) == [
        ("", ["proved", "proved", "proved"])]
    assert outcome(chain.replace("{last}", "1"))[0][1][-1] == "failed"


def test_a_piecewise_function_is_unknown_never_one_of_its_pieces():
    # TU Delft 2.2: f(x) = {x^5 if x<0; x^2 if 0<=x<1; 3-2x if x>=1}, then "For $x<0$, we
    # have $f(x)=x^5$", then the right limit at 1 (where f is 3 - 2x): never failed
    text = ("$$f(x) = 6x^3+5x-4$$\n\n$$\n \\displaystyle f(x)=\\left\\{\\begin{array}{l}x^5,\\qquad "
            "&\\text{if}\\,x<0,\\\\ x^2,\\qquad &\\text{if}\\,0\\leq x<1,\\\\ 3-2x,\\qquad&\\text{if}"
            "\\,x\\geq 1.\\end{array}\\right.\n$$\n\nFor $x<0$, we have $f(x)=x^5$ here.\n\n"
            "\\begin{align*}\n \\lim_{h\\rightarrow 0^+}\\frac{f(1+h)-f(1)}{h} &= "
            "\\lim_{h\\rightarrow 0^+}\\frac{3-2(1+h)-1}{h} \\\\\n &=\\lim_{h\\rightarrow 0^+}"
            "\\frac{-2h}{h} = {last}\n\\end{align*}\n")
    right = outcome(text.replace("{last}", "-2"))
    assert right == [("", ["undecided", "proved", "proved"])]
    assert outcome(text.replace("{last}", "2")) == [("", ["undecided", "proved", "failed"])]


def test_an_array_that_aligns_relations_is_an_alignment_and_a_matrix_is_not():
    # TU Delft 2.2: `\begin{array}{lcl}f'(x)&=&\lim … \\ &=& …\end{array}`
    text = ("$$f(x) = \\sqrt{x}$$\n\n$$\n \\begin{array}{lcl}f'(x)&=&\\displaystyle\\lim_{h\\rightarrow 0}"
            "\\frac{\\sqrt{x+h}-\\sqrt{x}}{h}\\\\\n &=&\\displaystyle\\lim_{h\\rightarrow 0}"
            "\\frac{h}{h\\left(\\sqrt{x+h}+\\sqrt{x}\\right)}\\\\\n &=&{last}.\\end{array}\n$$\n")
    assert outcome(text.replace("{last}", "\\frac{1}{2\\sqrt{x}}")) == [("", ["proved"] * 3)]
    assert outcome(text.replace("{last}", "\\frac{1}{\\sqrt{x}}")) == [("", ["proved", "proved",
                                                                            "failed"])]
    matrix = "$$\n\\begin{array}{lcl} 1 & 2 & 3 \\\\ 4 & 5 & 6\\end{array} = M\n$$\n"
    assert all("vectors and matrices" in skipped for skipped, _ in outcome(matrix))


def test_differences_segments_and_derivative_operators_are_named_not_read():
    for text, reason in (
            ("$$\\text{velocity}=\\frac{\\Delta x}{\\Delta t}=\\frac{600}{400}=\\frac{3}{2}$$\n",
             "differences such as `\\Delta x`"),
            ("$$h\\leq |AD|+|DC| = \\tan(h)$$\n", "lengths of segments such as `|AD|`"),
            ("$$f^{(0)}=\\frac{d^0}{dx^0}f=D^0f=f$$\n", "the derivative notation `f^{(0)}`")):
        (skipped,) = outcome(text)
        assert reason in skipped[0] and not skipped[1]
    # a limit in the difference is read: Δx is its variable there
    (limit,) = outcome("$$\\frac{d}{dx}x^2 = \\lim_{\\Delta x \\to 0} \\frac{(x+\\Delta x)^2-x^2}"
                       "{\\Delta x} = 2x$$\n")
    assert "differences" not in limit[0]
