"""From a function to its walkthrough: the differentiation steps, then the algebraic moves.

The set-up applies the rule for the whole function and leaves the derivatives it needs
pending; each later step works one pending derivative out (a sum or a constant factor is
carried into the rule beneath it, as a teacher does), showing the local equation as the
step's focus. Then the expression is reduced, and the strategies in `derive.engine.strategies`
may rewrite it in terms of the function itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache, partial

import sympy

from derive.engine import strategies
from derive.engine.dispatch import apply_rule, rule_key
from derive.engine.forms import evaluate, pending_nodes, substitute
from derive.engine.rules import Application, Tex
from derive.model import Definition, Derivation, Note, Step, as_function
from derive.words.printer import to_latex, to_text

TITLES: Mapping[str, str] = {
    "chain": "Use the chain rule to find the derivative of the outer function",
    "sum": "Differentiate term by term",
    "constant multiple": "Keep the constant factor",
    "product": "Apply the product rule",
    "quotient": "Apply the quotient rule",
    "power": "Apply the power rule",
    "exponential": "Differentiate the exponential",
    "general power": "Differentiate the power by taking logarithms",
    "abs": "Differentiate the absolute value",
    "piecewise": "Differentiate piece by piece",
    "unknown": "No rule applies",
}
INNER_TITLE = "Calculate the derivative of the inner function"
LINEAR = ("sum", "constant multiple")


def build(definition: Definition, *, name: str) -> Derivation:
    """The unverified walkthrough of d/dx definition.body."""
    x = definition.variable
    tex = partial(to_latex, function_latex={definition.name: definition.latex})
    unknown: set[sympy.Basic] = set()
    notes: list[Note] = []

    top = _expand(definition.body, x, tex)
    gaps = _collect(top, x, unknown, notes, tex)
    template = top.result
    tops = [p for p in pending_nodes(template) if p not in unknown]
    steps = [Step(title=_setup_title(top, bool(tops)), rule=top.rule,
                  explanation=top.explanation, expr=template, law=top.law)]
    if top.rule != "unknown":
        steps += _gap_steps(gaps, template, x, tex)

    forms: dict[sympy.Basic, sympy.Basic] = {}
    inner: set[sympy.Basic] = {sympy.Derivative(top.inner, x)} if top.inner is not None else set()
    for head in tops:
        current: sympy.Basic = head
        while nodes := [n for n in pending_nodes(current) if n not in unknown]:
            node = nodes[0]
            app = _expand(node.expr, x, tex)
            gaps = _collect(app, x, unknown, notes, tex)
            after = substitute(current, {node: app.result})
            explanation = app.explanation
            if not [n for n in pending_nodes(after) if n not in unknown]:
                tidy = evaluate(after, keep=unknown)
                if node in inner and not pending_nodes(app.result):
                    explanation = (f"The inner function ${tex(node.expr)}$ has derivative "
                                   f"${tex(app.result)}$.")
                if tidy != after:
                    explanation += f" Putting it together, ${tex(after)} = {tex(tidy)}$."
                after = tidy
            title = TITLES.get(app.rule, f"Apply the {app.rule} rule")
            if node in inner:
                # An inner function that has an inside of its own is named, so that two
                # steps in a row do not carry the same title.
                title = (f"{INNER_TITLE} ${tex(node.expr)}$, itself by the chain rule"
                         if app.inner is not None else INNER_TITLE)
            if app.inner is not None:
                inner.add(sympy.Derivative(app.inner, x))
            current = after
            forms[head] = current
            steps.append(Step(title=title, rule=app.rule, explanation=explanation,
                              expr=substitute(template, forms), law=app.law,
                              focus=(head, current)))
            steps += _gap_steps(gaps, steps[-1].expr, x, tex)

    reduce_step = _reduce(steps[-1], unknown, tex)
    if reduce_step is not None:
        steps.append(reduce_step)
    # A gap stays a gap: rewriting in terms of f would let SymPy take the pending derivative.
    rewrite = None if unknown else strategies.rewrite_in_terms_of_f(
        definition, steps[-1].expr, name=name, tex=tex)
    if strategies.value_symbol_taken(definition):
        g = definition.name
        notes.append(Note(
            f"the expression has a symbol named $f$, so the function is called ${g}$ and "
            f"${g}'$ is not written in terms of ${g}$'s own value ($f$ would mean two things)",
            f"the expression has a symbol named f, so the function is called {g} and {g}' "
            f"is not written in terms of {g}'s own value (f would mean two things)"))
    if rewrite is not None:
        steps.extend(rewrite.steps)
    return Derivation(name=name, function=definition, variable=x, steps=_label(steps),
                      reference=as_function(sympy.diff(definition.body, x)), notes=tuple(notes),
                      closing=rewrite.closing if rewrite else "",
                      in_terms_of_f=rewrite.in_terms_of_f if rewrite else None,
                      unknown=tuple(sorted(unknown, key=sympy.default_sort_key)))


def _expand(expr: sympy.Expr, x: sympy.Symbol, tex: Tex) -> Application:
    """Apply the rule for expr; a sum or constant factor with one derivative left to take
    goes straight on into the rule beneath it, in the same step."""
    app = apply_rule(expr, x, tex)
    kids = pending_nodes(app.result)
    if app.rule in LINEAR and len(kids) == 1:
        below = _expand(kids[0].expr, x, tex)
        result = substitute(app.result, {kids[0]: below.result})
        return Application(below.rule, expr, result, f"{app.explanation} {below.explanation}",
                           below.law, below.inner, below.note)
    return app


def _collect(app: Application, x: sympy.Symbol, unknown: set[sympy.Basic],
             notes: list[Note], tex: Tex) -> list[sympy.Derivative]:
    """Remember the derivatives no rule covers (they stay pending) and the caveats to show;
    the newly found ones are returned, for a step each."""
    found = []
    for node in pending_nodes(app.result):
        if node not in unknown and rule_key(node.expr, x) == "unknown":
            unknown.add(node)
            found.append(node)
            left = "; its derivative is left as it stands"
            notes.append(Note(f"no rule covers ${tex(node.expr)}${left}",
                              f"no rule covers {to_text(node.expr)}{left}"))
    if app.note and app.note not in notes:
        notes.append(app.note)
    return found


def _gap_steps(gaps: list[sympy.Derivative], expr: sympy.Expr, x: sympy.Symbol,
               tex: Tex) -> list[Step]:
    """A step of rule `unknown` for each derivative no rule covers: the gap is shown where
    it opens, and the verifier calls that step undecided."""
    steps = []
    for node in gaps:
        app = apply_rule(node.expr, x, tex)
        steps.append(Step(title=TITLES["unknown"], rule=app.rule, explanation=app.explanation,
                          expr=expr))
    return steps


def _setup_title(top: Application, more: bool) -> str:
    if not more:
        return TITLES.get(top.rule, "Differentiate")
    return {"quotient": "The quotient rule", "product": "The product rule",
            "chain": "The chain rule", "sum": "The sum rule"}.get(top.rule, f"The {top.rule} rule")


def _reduce(last: Step, unknown: set[sympy.Basic], tex: Tex) -> Step | None:
    value = _nicest(evaluate(last.expr, keep=unknown))
    if value == last.expr:
        return None
    zero_terms = any(a.is_Mul and sympy.S.Zero in a.args for a in sympy.preorder_traversal(last.expr))
    explanation = ("The term multiplied by $0$ drops out, and what remains multiplies out."
                   if zero_terms else "Multiply out and collect terms.")
    # Show where we left off when the previous step only showed its focus.
    substeps = (Step(title="Where we left off", rule="restate", explanation="", expr=last.expr),) \
        if last.focus is not None else ()
    return Step(title="Reduce the expression", rule="reduce", explanation=explanation,
                expr=value, substeps=substeps)


@lru_cache(maxsize=256)
def _nicest(value: sympy.Expr) -> sympy.Expr:
    """The value, or with common factors pulled out of a sum when that is shorter (kept per
    value: factor_terms is not in SymPy's cache)."""
    if not value.is_Add:
        return value
    factored = sympy.factor_terms(value)
    if factored == value:
        return value
    return min((value, factored), key=lambda e: (sympy.count_ops(e), len(str(e))))


def _label(steps: list[Step]) -> tuple[Step, ...]:
    from dataclasses import replace

    labelled = []
    number = 0
    for i, step in enumerate(steps):
        if i == 0 and len(steps) > 1 and step.focus is None and steps[1].focus is not None:
            labelled.append(replace(step, label="Set-up"))
            continue
        number += 1
        labelled.append(replace(step, label=f"Step {number}"))
    return tuple(labelled)
