"""Titles and explanations of walkthrough steps, written from the facts the engine records.

The engine says what it did (a `Fact`: the rule and its parts); this module says it in words,
once, for documents (LaTeX) and terminals (plain text). A template can use these words, or
write its own from the same parts (``step.parts.inner``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import sympy

from derive.engine.naming import is_name
from derive.model import Fact, Step
from derive.words.said import Math, Pen, Said, Text

# Each title names the law a textbook names (the sum rule, the power rule, the derivative of
# sin x); a step that is no rule says what it does (reduce, cancel, recognise).
TITLES: Mapping[str, str] = {
    "chain": "Use the chain rule to find the derivative of the outer function",
    "sum": "The sum rule",
    "constant multiple": "The constant multiple rule",
    "product": "The product rule",
    "quotient": "The quotient rule",
    "reciprocal": "The reciprocal rule",
    "power": "The power rule",
    "piecewise": "Differentiate piece by piece",
    "unknown": "No rule applies",
    "reduce": "Reduce the expression",
    "restate": "Where we left off",
    "split": "Split into two fractions",
    "cancel": "Cancel",
    "cancel factor": "Cancel the common factor",
    "clear fractions": "Clear the fractions in the function first",
    "split fraction": "Split the function into two fractions",
    "recognise": "Recognise the sigmoid",
    "in sigmoid": "Write it in terms of the sigmoid",
    "in normal": "Write it with the standard normal distribution",
    "identity": "Use the Pythagorean identity",
    "double angle": "Use the double-angle identity",
    "where defined": "Say where the derivative exists",
    "one piecewise": "Write the derivative as one piecewise function",
    "general power": "Logarithmic differentiation",
    "substitute back": "Write the inner function out again",
}
SETUP_TITLES: Mapping[str, str] = {
    "quotient": "The quotient rule", "product": "The product rule", "chain": "The chain rule",
    "sum": "The sum rule", "general power": "Logarithmic differentiation",
    "piecewise": "Differentiate piece by piece",
}
# Facts whose law is one line of a table of derivatives (sin, eˣ, aˣ, |x|, H(x), a catalog
# function's lemma): the title is that line's subject, "The derivative of sinh x".
TABLE_FACTS = ("elementary", "exponential", "abs", "sign", "heaviside", "lemma")
INNER_TITLE = "Calculate the derivative of the inner function"


def _part(fact: Fact, name: str) -> sympy.Basic:
    value = fact.part(name)
    if value is None:
        raise KeyError(f"fact {fact.rule!r} has no part {name!r}")
    return value


def _listed(pen: Pen, items: sympy.Basic) -> Said:
    return Said.join([pen.say("{e}", e=e) for e in items.args], ", ")


# One writer per fact: fact -> sentence.
Writer = Callable[[Fact, Pen], Said]


def _constant(fact: Fact, pen: Pen) -> Said:
    return pen.say("{c} does not depend on {x}, so its derivative is {zero}.",
                   c=_part(fact, "constant"), x=_part(fact, "variable"), zero=sympy.S.Zero)


def _variable(fact: Fact, pen: Pen) -> Said:
    return pen.say("The derivative of {x} with respect to itself is {one}.",
                   x=_part(fact, "variable"), one=sympy.S.One)


def _sum(fact: Fact, pen: Pen) -> Said:
    constants = _part(fact, "constants")
    if not constants.args:
        return Said("Differentiate term by term.", "Differentiate term by term.")
    return (pen.say("Differentiate term by term; the constant ") + _listed(pen, constants)
            + pen.say(" contributes {zero}.", zero=sympy.S.Zero))


def _constant_multiple(fact: Fact, pen: Pen) -> Said:
    const = _part(fact, "constant")
    if const == -1:
        u = _letter(fact)
        return pen.say("A minus sign carries through: the derivative of {neg} is {dneg} with {eq}.",
                       neg=Math(f"-{u}", f"-{u}"), dneg=Math(f"-{u}'", f"-{u}'"),
                       eq=_equation(pen, u, _part(fact, "rest")))
    return pen.say("The constant factor {c} stays in front of the derivative.", c=const)


def _product(fact: Fact, pen: Pen) -> Said:
    return (pen.say("The product rule differentiates one factor at a time: ")
            + _listed(pen, _part(fact, "factors")) + pen.say("."))


def _quotient(fact: Fact, pen: Pen) -> Said:
    num = _part(fact, "numerator")
    names = fact.part("names") or sympy.Tuple(*sympy.symbols("f g"))  # the law's own letters
    top, bottom = (str(s) for s in names.args)
    said = pen.say("With numerator {f} and denominator {g}", f=_equation(pen, top, num),
                   g=_equation(pen, bottom, _part(fact, "denominator")))
    if not num.has(_part(fact, "variable")):
        said += pen.say("; the numerator is a constant, so {fp}",
                        fp=Math(f"{top}' = 0", f"{top}' = 0"))
    return said + pen.say(".")


def _reciprocal(fact: Fact, pen: Pen) -> Said:
    return pen.say("The reciprocal rule (the chain rule with the outer function {one}) gives "
                   "the derivative of {r} as {d}, with {g}.", one=Math(r"\frac{1}{u}", "1/u"),
                   r=Math(r"\frac{1}{g}", "1/g"), d=Math(r"-\frac{g'}{g^{2}}", "-g'/g^2"),
                   g=_equation(pen, "g", _part(fact, "denominator")))


def _letter(fact: Fact) -> str:
    """The letter the walkthrough gave this rule's inner function (u unless u is taken)."""
    return str(fact.part("letter", sympy.Symbol("u")))


def _equation(pen: Pen, name: str, value: sympy.Basic) -> Math:
    return Math(f"{name} = {pen.latex(value)}", f"{name} = {pen.plain(value)}")


def _power(fact: Fact, pen: Pen) -> Said:
    return pen.say("By the power rule, bring the exponent {n} down and lower it by one.",
                   n=_part(fact, "exponent"))


def _exponential(fact: Fact, pen: Pen) -> Said:
    base = _part(fact, "base")
    b = pen.latex(base)
    p = pen.plain(base)
    u = _letter(fact)
    return pen.say("The derivative of {au} is {d}.", au=Math(f"{b}^{{{u}}}", f"{p}^{u}"),
                   d=Math(f"{b}^{{{u}}} \\ln {b}", f"{p}^{u} ln({p})"))


def _general_power(fact: Fact, pen: Pen) -> Said:
    power, u = _part(fact, "power"), _part(fact, "base")
    log_form = _part(fact, "logarithm")
    lt, pt = pen.latex(log_form), pen.plain(log_form)
    return pen.say("Logarithmic differentiation: with {y}, take logarithms, {ln} (where {pos}); "
                   "differentiate both sides, {both}; and solve for {yp}: {solved}.",
                   y=Math(f"y = {pen.latex(power)}", f"y = {pen.plain(power)}"),
                   ln=Math(f"\\ln y = {lt}", f"ln(y) = {pt}"),
                   pos=Math(f"{pen.latex(u)} > 0", f"{pen.plain(u)} > 0"),
                   both=Math(f"\\frac{{y'}}{{y}} = \\frac{{d}}{{dx}} \\left({lt}\\right)",
                             f"y'/y = d/dx({pt})"),
                   yp=Math("y'", "y'"),
                   solved=Math(f"y' = y \\, \\frac{{d}}{{dx}} \\left({lt}\\right)",
                               f"y' = y * d/dx({pt})"))


def _elementary(fact: Fact, pen: Pen) -> Said:
    if fact.has("walkthrough"):  # a catalog function too (tanh): say where it is derived
        return pen.say("The derivative of {f} is {d}, derived in the {n} walkthrough.",
                       f=_part(fact, "outer"), d=_part(fact, "outer_derivative"),
                       n=Text(str(_part(fact, "walkthrough"))))
    return pen.say("The derivative of {f} is {d}.", f=_part(fact, "outer"),
                   d=_part(fact, "outer_derivative"))


def _chain(fact: Fact, pen: Pen) -> Said:
    inner = _part(fact, "inner")
    if is_name(inner):  # named already: the name is enough
        return pen.say("By the chain rule, take it at the inner function {u} and multiply by "
                       "{du}.", u=inner, du=sympy.Derivative(inner, inner.args[0]))
    u = _letter(fact)
    return pen.say("By the chain rule, take it at the inner function {u} and multiply by {du}.",
                   u=_equation(pen, u, inner), du=Math(f"{u}'", f"{u}'"))


def _name(fact: Fact, pen: Pen) -> Said:
    return pen.say("Call the inner function {eq}, so that it is written out once.",
                   eq=_equation(pen, pen.latex(_part(fact, "name")), _part(fact, "value")))


def _substitute_back(fact: Fact, pen: Pen) -> Said:
    pairs = Said.join([pen.say("{eq}", eq=_equation(pen, pen.latex(n), v)) for n, v in zip(
        _part(fact, "names").args, _part(fact, "values").args, strict=True)], " and ")
    return pen.say("Writing ") + pairs + pen.say(" back in gives the derivative in terms of "
                                                 "the variable alone.")


def _abs(fact: Fact, pen: Pen) -> Said:
    u = _letter(fact)
    return pen.say("The derivative of {a} is {d} wherever {nz}.", a=Math(f"|{u}|", f"|{u}|"),
                   d=Math(f"{u}/|{u}|", f"{u}/|{u}|"), nz=Math(f"{u} \\neq 0", f"{u} != 0"))


def _step_function(fact: Fact, pen: Pen) -> Said:
    u = _part(fact, "argument")
    said = pen.say("{e} is constant on each side of its jump, so its derivative is {zero} "
                   "wherever {nz}.", e=_part(fact, "expression"), zero=sympy.S.Zero,
                   nz=Math(f"{pen.latex(u)} \\neq 0", f"{pen.plain(u)} != 0"))
    if fact.has("inner"):
        said += pen.say(" The inner function does not matter: {z}.", z=Math("0 \\cdot u' = 0",
                                                                           "0*u' = 0"))
    return said


def _piecewise(fact: Fact, pen: Pen) -> Said:
    return pen.say("Differentiate each piece where it holds.")


def _unknown(fact: Fact, pen: Pen) -> Said:
    return pen.say("No rule of derive covers {e}; its derivative is left as it stands, so the "
                   "walkthrough is incomplete and its result is not proved.",
                   e=_part(fact, "expression"))


def _inner_derivative(fact: Fact, pen: Pen) -> Said:
    inner = _part(fact, "inner")
    if is_name(inner):
        du = sympy.Derivative(inner, inner.args[0])
        return pen.say("The inner function has derivative {eq}.", eq=Math(
            f"{pen.latex(du)} = {pen.latex(_part(fact, 'derivative'))}",
            f"{pen.plain(du)} = {pen.plain(_part(fact, 'derivative'))}"))
    return pen.say("The inner function {u} has derivative {d}.", u=inner,
                   d=_part(fact, "derivative"))


def _multiply_through(fact: Fact, pen: Pen) -> Said:
    return pen.say("Multiplying the numerator and the denominator by {c} clears the fraction "
                   "in the numerator.", c=_part(fact, "factor"))


def _cancels(fact: Fact, pen: Pen) -> Said:
    if not fact.has("before"):
        return pen.say("The factor {c} cancels from the numerator and the denominator.",
                       c=_part(fact, "factor"))
    before, after = _part(fact, "before"), _part(fact, "after")
    return pen.say("The factor {c} cancels from the numerator and the denominator: {eq}.",
                   c=_part(fact, "factor"), eq=Math(
                       f"{pen.latex(before)} = {pen.latex(after)}",
                       f"{pen.plain(before)} = {pen.plain(after)}"))


def _tidy(fact: Fact, pen: Pen) -> Said:
    return pen.say("Putting it together, {eq}.",
                   eq=Math(f"{pen.latex(_part(fact, 'before'))} = {pen.latex(_part(fact, 'after'))}",
                           f"{pen.plain(_part(fact, 'before'))} = {pen.plain(_part(fact, 'after'))}"))


def _cancel_factor(fact: Fact, pen: Pen) -> Said:
    product, value = _part(fact, "product"), _part(fact, "value")
    return pen.say("The factor {b} cancels: {eq}.", b=_part(fact, "factor"), eq=Math(
        f"{pen.latex(product)} = {pen.latex(value)}", f"{pen.plain(product)} = {pen.plain(value)}"))


def _clear_fractions(fact: Fact, pen: Pen) -> Said:
    return pen.say("The function has fractions inside its fraction: multiplying its numerator "
                   "and its denominator by {m} clears them, {eq}, and that is the form to "
                   "differentiate.", m=_part(fact, "factor"), eq=Math(
                       f"{pen.latex(_part(fact, 'function'))} = {pen.latex(_part(fact, 'form'))}",
                       f"{pen.plain(_part(fact, 'function'))} = {pen.plain(_part(fact, 'form'))}"))


def _reduce(fact: Fact, pen: Pen) -> Said:
    """Each reduce step says what its move does: a quotient written as one function, a
    common factor cancelled or taken out, terms over one denominator, or collected."""
    said: list[Said] = []
    moves = [name for name, _ in fact.parts if name != "zero_terms"]
    if fact.has("zero_terms"):
        if not moves:
            return pen.say("The term multiplied by {zero} drops out, and what remains "
                           "multiplies out.", zero=sympy.S.Zero)
        said.append(pen.say("The term multiplied by {zero} drops out.", zero=sympy.S.Zero))
    rewritten = fact.part("rewritten")
    if rewritten is not None:
        pairs = Said.join([pen.say("{q} as {n}", q=q, n=n) for q, n in rewritten.args], ", ")
        said.append(pen.say("Write ") + pairs + pen.say("."))
        return Said.join(said, " ")
    reciprocals = fact.part("reciprocals")
    if reciprocals is not None:
        pairs = Said.join([pen.say("{r} as {q}", r=r, q=q) for r, q in reciprocals.args], ", ")
        said.append(pen.say("Write ") + pairs + pen.say("."))
    cancelled, factored = fact.part("cancelled"), fact.part("factored")
    combined = fact.part("combined")
    if cancelled is not None:
        said.append(pen.say("Cancel the common factor {g} from the numerator and the "
                            "denominator, then collect terms.", g=cancelled))
    elif fact.has("reordered"):
        said.append(pen.say("Write the terms in the usual order."))
    elif fact.part("powers") is not None:
        said.append(pen.say("Combine the powers of {b}: their exponents add.", b=fact.part("powers")))
    elif fact.part("divided") is not None:
        said.append(pen.say("Divide each term of the numerator by {d}.", d=fact.part("divided")))
    elif combined is not None:
        said.append(pen.say("Put the terms over the common denominator {d}.", d=combined))
    elif factored is None:
        said.append(pen.say("Multiply out and collect terms."))
    if factored is not None:
        said.append(pen.say("Multiply out, collect terms and take out the common factor {c}."
                            if cancelled is None and fact.has("collected")
                            else "Take out the common factor {c}.", c=factored))
    return Said.join(said, " ")


def _in_terms_of_f(fact: Fact, pen: Pen) -> Said:
    f = _part(fact, "function")
    return pen.say("Solving {eq} for a piece of the derivative and substituting gives a form "
                   "that uses {f} itself.", eq=_equation(pen, "y", f), f=f)


def _add_and_subtract(fact: Fact, pen: Pen) -> Said:
    return pen.say("Adding and subtracting {a} in the numerator changes nothing, and shows the "
                   "denominator {d} there.", a=_part(fact, "shift"), d=_part(fact, "denominator"))


def _split(fact: Fact, pen: Pen) -> Said:
    return pen.say("A fraction whose numerator is a difference splits into two.")


def _cancel(fact: Fact, pen: Pen) -> Said:
    return pen.say("In the first fraction {d} cancels once.", d=_part(fact, "denominator"))


def _one_over(pen: Pen, d: sympy.Basic) -> Math:
    return Math(f"\\frac{{1}}{{{pen.latex(d)}}}", f"1/({pen.plain(d)})")


def _split_fraction(fact: Fact, pen: Pen) -> Said:
    d = _part(fact, "denominator")
    return pen.say("Add and subtract {a} in the numerator, split into two fractions, cancel, and "
                   "factor out {r}.", a=_part(fact, "shift"), r=_one_over(pen, d))


def _substitute(fact: Fact, pen: Pen) -> Said:
    f, d = _part(fact, "function"), _part(fact, "denominator")
    return pen.say("Since {eq}, each {r} is {f}.", f=f, r=_one_over(pen, d),
                   eq=Math(f"{pen.latex(f)} = {pen.latex(_part(fact, 'body'))}",
                           f"{pen.plain(f)} = {pen.plain(_part(fact, 'body'))}"))


def _recognise(fact: Fact, pen: Pen) -> Said:
    # Only the sigmoid's definition is used here, so only it is said: σ' is cited where a
    # step differentiates σ, not where σ is merely recognised (softplus' = σ(x)).
    sigma, body, piece = _part(fact, "function"), _part(fact, "body"), _part(fact, "piece")
    if piece == body:
        return pen.say("By the sigmoid's definition, {same}.", same=Math(
            f"{pen.latex(body)} = {pen.latex(sigma)}", f"{pen.plain(body)} = {pen.plain(sigma)}"))
    return pen.say("Dividing the numerator and the denominator by {e} gives the sigmoid: {same}.",
                   e=sympy.exp(sigma.args[0]), same=Math(
                       f"{pen.latex(piece)} = {pen.latex(body)} = {pen.latex(sigma)}",
                       f"{pen.plain(piece)} = {pen.plain(body)} = {pen.plain(sigma)}"))


def _in_sigmoid(fact: Fact, pen: Pen) -> Said:
    sigma, exponential, ratio, body = (_part(fact, n) for n in ("function", "exponential",
                                                                "ratio", "body"))
    before, after = _part(fact, "before"), _part(fact, "after")
    return pen.say("Since {law}, {exp} is {ratio}; substituting and cancelling, {eq}.",
                   law=Math(f"{pen.latex(sigma)} = {pen.latex(body)}",
                            f"{pen.plain(sigma)} = {pen.plain(body)}"),
                   exp=exponential, ratio=ratio,
                   eq=Math(f"{pen.latex(before)} = {pen.latex(after)}",
                           f"{pen.plain(before)} = {pen.plain(after)}"))


def _in_normal(fact: Fact, pen: Pen) -> Said:
    named = [Math(pen.latex(d), pen.plain(d)) for key in ("Phi", "phi")
             if (d := fact.part(key)) is not None]
    what = {2: "Here {a} is the standard normal distribution function and {b} its density",
            1: ("Here {a} is the standard normal distribution function" if fact.has("Phi")
                else "Here {a} is the standard normal density")}[len(named)]
    return pen.say(what + "; the line is written with them.", **dict(zip("ab", named, strict=False)))


def _lemma(fact: Fact, pen: Pen) -> Said:
    """A catalog function's derivative, cited from its own walkthrough (not derived again)."""
    from derive.parse.catalog import prose_name

    function, derivative = _part(fact, "function"), _part(fact, "derivative")
    latex, plain = pen.latex(function), pen.plain(function)
    # F(u) -> F'(u): the prime goes on the head
    lhs = Math(f"{latex[:-3]}'(u)" if latex.endswith("(u)") else f"\\left({latex}\\right)'",
               f"{plain[:-3]}'(u)" if plain.endswith("(u)") else f"({plain})'")
    name = prose_name(str(_part(fact, "walkthrough")))
    if isinstance(derivative, sympy.Piecewise):
        # cases inside a sentence read badly: the pieces in words (the line shows the formula)
        return (pen.say("The derivative {d} is derived in the {n} walkthrough; it is not "
                        "derived again here. It is ", d=lhs, n=Text(name))
                + _pieces(pen, derivative) + pen.say("."))
    said = Math(f"{lhs.latex} = {pen.latex(derivative)}", f"{lhs.plain} = {pen.plain(derivative)}")
    return pen.say("The derivative {eq} is derived in the {n} walkthrough; it is not derived "
                   "again here.", eq=said, n=Text(name))


def _pieces(pen: Pen, pieces: sympy.Piecewise) -> Said:
    """0 for u < 0 and 1 for u > 0: each piece's value and where it holds, in words."""
    said = [pen.say("{v} for {c}", v=value, c=_where(pen, condition))
            for value, condition in pieces.args]
    if len(said) == 1:
        return said[0]
    return Said.join(said[:-1], ", ") + pen.say(" and ") + said[-1]


def _where(pen: Pen, condition: sympy.Basic) -> Math | sympy.Basic:
    """A condition as a reader writes it: −3 < u < 3, not u > −3 ∧ u < 3."""
    strict = (sympy.StrictLessThan, sympy.StrictGreaterThan)
    if isinstance(condition, sympy.And) and len(condition.args) == 2 and all(
            isinstance(r, strict) for r in condition.args):
        (a_small, a_big), (b_small, b_big) = ((r.lts, r.gts) for r in condition.args)
        for low, middle, high in ((b_small, b_big, a_big), (a_small, a_big, b_big)):
            if middle in (a_small, b_small) and middle.is_Symbol:
                parts = [pen.latex(low), pen.latex(middle), pen.latex(high)]
                plain = [pen.plain(low), pen.plain(middle), pen.plain(high)]
                return Math(" < ".join(parts), " < ".join(plain))
    return condition


def _identity(fact: Fact, pen: Pen) -> Said:
    identity, instance, value = (_part(fact, n) for n in ("identity", "instance", "value"))
    equals = fact.part("equals") if fact.has("equals") else sympy.S.One
    text = ("By the double-angle identity {law}, {eq}." if fact.rule == "double angle"
            else "By the identity {law}, {eq}.")
    return pen.say(text,
                   law=Math(f"{pen.latex(identity)} = {pen.latex(equals)}",
                            f"{pen.plain(identity)} = {pen.plain(equals)}"),
                   eq=Math(f"{pen.latex(instance)} = {pen.latex(value)}",
                           f"{pen.plain(instance)} = {pen.plain(value)}"))


def _at_points(pen: Pen, x: sympy.Basic, points: Sequence[sympy.Basic]) -> Said:
    """x = a, x = b and x = c."""
    said = [pen.say("{eq}", eq=Math(f"{pen.latex(x)} = {pen.latex(k)}",
                                    f"{pen.plain(x)} = {pen.plain(k)}")) for k in points]
    if len(said) <= 2:
        return Said.join(said, " and ")
    return Said.join(said[:-1], ", ") + pen.say(" and ") + said[-1]


def _where_defined(fact: Fact, pen: Pen) -> Said:
    x = _part(fact, "variable")
    jumps = fact.part("jumps")
    jumped = list(jumps.args) if jumps is not None else []
    slopes = [k for k in _part(fact, "points").args if k not in jumped]
    said = pen.say("At ")
    if jumped:  # f itself is not continuous there (derive.engine.pieces)
        said += _at_points(pen, x, jumped) + pen.say(" the function jumps")
        if slopes:
            said += pen.say(", and at ")
    if slopes:
        said += _at_points(pen, x, slopes) + pen.say(" the pieces meet with different slopes")
    return said + pen.say(", so the derivative does not exist there; it is given on the open "
                          "intervals between.")


def _one_piecewise(fact: Fact, pen: Pen) -> Said:
    # short: a slide keeps about three lines, and the sentence on where the derivative does
    # not exist follows (the breakpoints are the rows' ends)
    return pen.say("On each interval between the breakpoints every max, min and piece has "
                   "one branch: one expression, simplified.")


WRITERS: dict[str, Writer] = {
    "constant": _constant, "variable": _variable, "sum": _sum,
    "constant multiple": _constant_multiple, "product": _product, "quotient": _quotient,
    "reciprocal": _reciprocal,
    "power": _power, "exponential": _exponential, "general power": _general_power,
    "elementary": _elementary, "chain": _chain, "abs": _abs, "piecewise": _piecewise,
    "sign": _step_function, "heaviside": _step_function,
    "unknown": _unknown, "inner derivative": _inner_derivative, "tidy": _tidy, "cancels": _cancels,
    "multiply through": _multiply_through, "name": _name, "substitute back": _substitute_back,
    "reduce": _reduce, "in terms of f": _in_terms_of_f, "add and subtract": _add_and_subtract,
    "split": _split, "cancel": _cancel, "split fraction": _split_fraction,
    "substitute": _substitute, "recognise": _recognise, "where defined": _where_defined,
    "one piecewise": _one_piecewise,
    "lemma": _lemma, "identity": _identity, "double angle": _identity,
    "in sigmoid": _in_sigmoid, "in normal": _in_normal, "cancel factor": _cancel_factor,
    "clear fractions": _clear_fractions,
}


def explain(facts: tuple[Fact, ...], pen: Pen) -> Said:
    """The explanation of a step: one sentence per fact, in order. A fact no writer knows (a
    new rule without words yet) is named, never dropped silently."""
    return Said.join([WRITERS[f.rule](f, pen) if f.rule in WRITERS
                      else pen.say("Apply the {r} rule.", r=Text(f.rule)) for f in facts
                      if f.rule != "differentiate"])


def title(step: Step, pen: Pen, *, name: str) -> Said:
    """The step's title, from its rule and role."""
    rule = step.rule
    if step.role == "setup":
        return _words(SETUP_TITLES.get(rule, f"The {rule} rule"))
    if step.role == "inner":
        return _words(INNER_TITLE)
    if step.role == "inner chain":
        subject = _subject(step)
        return pen.say(f"{INNER_TITLE} {{u}}, itself by the chain rule", u=subject)
    if rule == "add and subtract":
        shift = step.facts[0].part("shift")
        return Said(f"Add and subtract {pen.latex(shift)}", f"Add and subtract {pen.plain(shift)}")
    if rule == "in terms of f":
        return pen.say("Write the derivative in terms of {f}", f=step.facts[0].part("function"))
    if rule == "one piecewise":  # its facts end on where the derivative exists: named so
        return _words(TITLES[rule])
    if rule == "substitute":
        f = step.facts[0].part("function")
        who = pen.say("the {n} function", n=Text(name)) if name.isidentifier() else pen.say("{f}", f=f)
        return pen.say("Swap ") + who + pen.say(" into the equation")
    # the law's fact: the last one but the words on clearing a fraction that follow it
    laws = [f for f in step.facts if f.rule not in ("multiply through", "differentiate")
            and not (f.rule == "cancel factor" and step.rule != "reduce")]
    main = laws[-1].rule if laws else rule
    if main in TABLE_FACTS or main == "variable":
        line = laws[-1]  # the table's line (e^x), not a sum carried into it
        subject = line.part("differentiated") or line.part("expression") or _subject(step)
        return pen.say("The derivative of {e}", e=subject)
    if main == "constant":
        return _words("The derivative of a constant")
    return _words(TITLES.get(main) or TITLES.get(rule, "Differentiate"))


def _subject(step: Step, default: sympy.Basic | None = None) -> sympy.Basic:
    """What the step differentiates (its `differentiate` fact)."""
    for fact in step.facts:
        if fact.rule == "differentiate":
            return _part(fact, "expression")
    if default is not None:
        return default
    raise KeyError("step has no subject")


def _words(text: str) -> Said:
    return Said(text, text)
