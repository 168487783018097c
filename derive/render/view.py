"""What a document shows, as plain data: the Derivation turned into strings for templates.

Templates only place these strings; nothing here (or there) computes or simplifies. The
same data, reduced to its documented keys, is the JSON format.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sympy

from derive.engine.strategies import value_symbol_taken
from derive.model import ASIDE, Definition, Derivation, Step, Verdict
from derive.render.highlight import mark_changes
from derive.words.notes import say_closing, say_note
from derive.words.printer import to_latex, to_text
from derive.words.properties import Named, say_property
from derive.words.said import Pen
from derive.words.steps import explain
from derive.words.steps import title as step_title

if TYPE_CHECKING:
    from derive.analysis.properties import Property


def verdict_view(verdict: Verdict | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    return {
        "status": verdict.status.value,
        "method": verdict.method,
        "mark": verdict.mark,
        "ok": verdict.ok,
        "counterexample": verdict.counterexample.describe() if verdict.counterexample else None,
    }


def properties_view(properties: Iterable[Property], definition: Definition) -> list[dict[str, Any]]:
    """Each verified property as a document shows it: derive's words (the statement in LaTeX
    and plain text, the method, the mark) and the facts they were written from (`claim`,
    `how`: each SymPy value in LaTeX and plain text), so that a template can word a
    property its own way: p.claim.value.latex, p.how.method."""
    named = Named(definition.latex, definition.name, definition.variable)
    shown = []
    for prop in properties:
        if not prop.verdict.ok:
            continue
        words = say_property(prop, named)
        claim = prop.claim
        shown.append({
            "name": prop.name,
            "statement_latex": words.statement.latex,
            "statement_plain": words.statement.plain,
            "verdict": prop.verdict.status.value,
            "method": words.method.plain,
            "method_latex": words.method.latex,
            "mark": words.mark,
            "claim": {"subject": _both(claim.subject), "relation": claim.relation,
                      "value": _both(claim.value),
                      "where": None if claim.where is None else _both(claim.where)},
            "how": {"method": prop.how.method, "tags": dict(prop.how.tags),
                    "parts": {name: _both(value) for name, value in prop.how.parts}},
        })
    return shown


def _both(value: sympy.Basic) -> dict[str, str]:
    return {"latex": to_latex(value), "text": to_text(value)}


def build_view(derivation: Derivation, *, title: str | None = None,
               extras: dict[str, Any] | None = None) -> dict[str, Any]:
    definition = derivation.function
    names = {definition.name: definition.latex,
             **{lemma.name: lemma.latex for lemma in derivation.lemmas}}

    def tex(expr: sympy.Expr) -> str:
        return to_latex(expr, names)

    pen = Pen(names)

    x = tex(derivation.variable)
    head = definition.latex
    symbol = f"{head}({x})"

    # The previous display form, so slides can highlight what each step changed.
    previous: dict[str, Any] = {"expr": None, "focus": {}}

    def step_view(step: Step) -> dict[str, Any]:
        substeps = [step_view(s) for s in step.substeps]
        before = previous["expr"]
        marked = mark_changes(before, step.expr)
        changed = tex(marked)
        previous["expr"] = step.expr
        focus = None
        if step.focus is not None:
            lhs, rhs = step.focus
            focus_before = previous["focus"].get(lhs)
            focus_marked = mark_changes(lhs if focus_before is None else focus_before, rhs)
            focus = {"lhs": tex(lhs), "rhs": tex(rhs), "rhs_lines": _lines(rhs, tex),
                     "rhs_changed": tex(focus_marked),
                     "rhs_changed_lines": _lines(focus_marked, tex),
                     "before": None if focus_before is None else tex(focus_before),
                     "verdict": verdict_view(step.focus_verdict)}
            previous["focus"][lhs] = rhs
        heading = step_title(step, pen, name=derivation.name)
        said = explain(step.facts, pen)
        return {
            "label": step.label,
            "title": heading.latex,
            "title_plain": heading.plain,
            "rule": step.rule,
            "explanation": said.latex,
            "explanation_plain": said.plain,
            "parts": _parts(step, tex),
            "law": step.law,
            "latex": tex(step.expr),
            # The article: the line broken at its terms, where it is wider than the page.
            "latex_lines": _lines(step.expr, tex),
            "latex_changed": changed,
            # Slides: the line before this step, and the new one broken at its terms, for an
            # equation too wide for the frame at body size (it is broken, never shrunk).
            "before": None if before is None else tex(before),
            "latex_changed_lines": _lines(marked, tex),
            "expr": _plain_value(step.expr, derivation),
            "display_expr": to_text(step.expr),
            "verdict": verdict_view(step.verdict),
            "focus": focus,
            "substeps": substeps,
        }

    search = _search_outcome(derivation)
    view: dict[str, Any] = {
        "name": derivation.name,
        # A catalog function (an activation, a loss): its backward pass is the reader's concern.
        "catalog": _is_catalog(derivation.name),
        "title": title or _default_title(derivation),
        "function": {
            "name": definition.name,
            "symbol": symbol,
            "head": head,
            # as written: x σ(x), or tanh's defining identity sinh x / cosh x
            "latex": tex(definition.body if definition.written is None else definition.written),
            "expr": to_text(definition.body),
        },
        "variable": x,
        "variable_name": str(derivation.variable),
        "derivative_symbol": f"{head}'({x})",
        "steps": [step_view(s) for s in derivation.steps if s.role != ASIDE],
        # Lines after the Result, each verified against it: the form in terms of f.
        "after_result": [step_view(s) for s in derivation.steps if s.role == ASIDE],
        "result": {"latex": tex(derivation.result), "latex_lines": _lines(derivation.result, tex),
                   # written with f itself (the sigmoid's σ(1 − σ)): no second line in f needed
                   "in_terms_of_f": bool(derivation.result.has(definition.applied())),
                   "expr": _plain_value(derivation.result, derivation),
                   "verdict": verdict_view(derivation.result_verdict)},
        "reference": {"latex": tex(derivation.reference), "expr": to_text(derivation.reference)},
        "verified": derivation.verified,
        "failed": derivation.failed,
        "closing": "" if derivation.closing is None else say_closing(
            derivation.closing, pen, head=head, variable=derivation.variable,
            result=derivation.result).latex,
        "in_terms_of_f": None if derivation.in_terms_of_f is None else {
            "expr": to_text(derivation.in_terms_of_f),
            "latex": tex(derivation.in_terms_of_f.xreplace(
                {sympy.Symbol("f"): definition.applied()})),
        },
        # True only after a search that ran to its end and found nothing; False where f has
        # a symbol named f (no form was looked for, a note says why) or the search was cut.
        "in_terms_of_f_searched": search is not None and search.complete,
        # Where the search was cut off: its budget, so the document says why it stopped.
        "in_terms_of_f_cut": None if search is None or search.complete else {
            "stopped": search.stopped, "budget": search.budget, "seconds": search.seconds},
        # The form in terms of f is on the page: a line after the Result, or the seed's last steps.
        "in_terms_of_f_shown": derivation.closing is not None,
        "notes": [say_note(note, pen).latex for note in derivation.notes],
        "notes_plain": [say_note(note, pen).plain for note in derivation.notes],
        # How Markdown writes math (derive.render.filters.MD_MATH_FLAVOURS); --md-math.
        "markdown_math": "github",
    }
    view.update(extras or {})
    return view


LINE_BUDGET = 72  # characters of LaTeX source per broken line: a rough width, TeX decides


def _lines(expr: sympy.Basic, tex: Any) -> list[str]:
    """A sum's terms gathered into lines of about LINE_BUDGET characters of LaTeX (each
    line after the first starts with its sign); one line for anything but a sum."""
    inner = expr.args[0] if type(expr).__name__ == "Changed" else expr
    if not isinstance(inner, sympy.Add) or len(inner.args) < 2:
        return [tex(expr)]
    lines: list[str] = []
    for term in inner.args:
        text = tex(term)
        piece = text if text.startswith("-") else f"+ {text}"
        if lines and (len(lines[-1]) + len(piece) <= LINE_BUDGET or len(lines[-1]) < 12):
            lines[-1] = f"{lines[-1]} {piece}"
        else:
            lines.append(piece)
    lines[0] = lines[0].removeprefix("+ ")
    if inner is not expr:  # the whole sum changed: every line is marked
        lines = [rf"\alert{{{line}}}" for line in lines]
    return lines


def _search_outcome(derivation: Derivation):  # -> SearchOutcome | None
    """The f'-in-terms-of-f search's outcome where the walkthrough has no such form (the
    search remembers it, so this is the walkthrough's own search); None where no search
    belongs (a form was found, or f has a symbol named f)."""
    definition = derivation.function
    if derivation.in_terms_of_f is not None or value_symbol_taken(definition):
        return None
    from derive.analysis.in_terms_of_f import search

    return search(definition.body, derivation.variable)


def _parts(step: Step, tex: Any) -> dict[str, Any]:
    """Every named part of the step's facts (numerator, denominator, inner, constant, ...), in
    LaTeX and plain text, so that a template can word a step its own way: step.parts.inner.latex.
    A part two facts share keeps the first (the rule's own, before a carried sum's)."""
    parts: dict[str, Any] = {}
    for fact in step.facts:
        for name, value in fact.parts:
            if name in parts or value.is_Boolean:
                continue
            parts[name] = {"latex": tex(value), "text": to_text(value)}
    return parts


def _plain_value(expr: sympy.Expr, derivation: Derivation) -> str:
    return to_text(derivation.value_of(expr)) if _needs_value(expr, derivation) else to_text(expr)


def _needs_value(expr: sympy.Expr, derivation: Derivation) -> bool:
    """JSON `expr` must read back in SymPy: write σ(x) out, and keep pending d/dx as Derivative."""
    return expr.has(derivation.function.head, *(lemma.head for lemma in derivation.lemmas))


def _default_title(derivation: Derivation) -> str:
    from derive.parse.catalog import is_named, prose_name

    name = derivation.name
    if is_named(name):
        return f"The derivative of the {prose_name(name)} function"
    return "A derivative, step by step"  # an expression's function is just f


def json_document(view: dict[str, Any]) -> dict[str, Any]:
    """The documented JSON shape (see README): stable keys, in a stable order."""

    def step(s: dict[str, Any]) -> dict[str, Any]:
        verdict = s["verdict"] or {}
        out = {
            "label": s["label"],
            "title": s["title"],
            "rule": s["rule"],
            "explanation": s["explanation"],
            "law": s["law"],
            "expr": s["expr"],
            "latex": s["latex"],
            "verdict": verdict.get("status"),
            "method": verdict.get("method"),
            "counterexample": verdict.get("counterexample"),
        }
        if s["focus"] is not None:
            focus_verdict = s["focus"]["verdict"] or {}
            out["focus"] = {"lhs": s["focus"]["lhs"], "rhs": s["focus"]["rhs"],
                            "verdict": focus_verdict.get("status"),
                            "method": focus_verdict.get("method")}
        if s["substeps"]:
            out["substeps"] = [step(sub) for sub in s["substeps"]]
        return out

    result_verdict = view["result"]["verdict"] or {}
    document: dict[str, Any] = {
        "function": {"name": view["name"], "expr": view["function"]["expr"],
                     "latex": view["function"]["latex"]},
        "variable": view["variable_name"],
        "steps": [step(s) for s in view["steps"]],
        "derivative": {"expr": view["reference"]["expr"], "latex": view["reference"]["latex"],
                       "verdict": result_verdict.get("status"),
                       "method": result_verdict.get("method")},
        # derive's own answer, in x (JSON readers: this is the Result the documents print)
        "result": {"expr": view["result"]["expr"], "latex": view["result"]["latex"],
                   "verdict": result_verdict.get("status")},
        "verified": view["verified"],
        "notes": view["notes"],
        "in_terms_of_f": view["in_terms_of_f"],
    }
    if "properties" in view:
        document["properties"] = [
            {"name": p["name"], "statement_latex": p["statement_latex"], "verdict": p["verdict"],
             "method": p["method"]} for p in view["properties"]]
    return document


def _is_catalog(name: str) -> bool:
    from derive.parse.catalog import is_named

    return is_named(name)
