"""Caveats and the backpropagation moral, written from the engine's facts."""

from __future__ import annotations

import sympy

from derive.model import Fact, Note
from derive.words.said import Math, Pen, Said


def say_note(note: Note, pen: Pen) -> Said:
    if note.kind == "not differentiable":
        return pen.say("{e} is not differentiable where {eq}.", e=note.part("expression"),
                       eq=_zero(pen, note.part("where")))
    if note.kind == "jump":
        return pen.say("{e} jumps where {eq}: there it has no derivative.",
                       e=note.part("expression"), eq=_zero(pen, note.part("where")))
    if note.kind == "kink":
        x = note.part("variable")
        points = _items(note.part("points"))
        listed = Said.join([pen.say("{eq}", eq=Math(f"{pen.latex(x)} = {pen.latex(k)}",
                                                     f"{pen.plain(x)} = {pen.plain(k)}"))
                            for k in points], " and ")
        kinks = "kinks" if len(points) > 1 else "kink"
        return (pen.say(f"At the {kinks} ") + listed
                + pen.say(" the one-sided derivatives may differ; where they do, the derivative "
                          "is not defined."))
    if note.kind == "no rule":
        return pen.say("no rule covers {e}; its derivative is left as it stands",
                       e=note.part("expression"))
    if note.kind == "symbol f taken":
        g = str(note.part("name"))
        return Said(
            f"the expression has a symbol named $f$, so the function is called ${g}$ and "
            f"${g}'$ is not written in terms of ${g}$'s own value ($f$ would mean two things)",
            f"the expression has a symbol named f, so the function is called {g} and {g}' "
            f"is not written in terms of {g}'s own value (f would mean two things)")
    raise KeyError(f"no words for the note {note.kind!r}")


def _computed(pen: Pen, node: object, meaning: object) -> Said:
    """`e^{logsigmoid(x)}, which is σ(x)`, or the node alone where it names itself."""
    if meaning == node:
        return pen.say("{n}", n=node)
    return pen.say("{n}, which is {m}", n=node, m=meaning)


def _items(value: object) -> tuple[object, ...]:
    return tuple(getattr(value, "args", ()))


def _zero(pen: Pen, expr: object) -> Math:
    return Math(f"{pen.latex(expr)} = 0", f"{pen.plain(expr)} = 0")


def say_closing(fact: Fact, pen: Pen, *, head: str, variable: object,
                result: sympy.Basic | None = None) -> Said:
    """What the backward pass reuses: `head'(x) = form reuses ...`; where it must compute
    something anew, the Result first (the reader's terms: 1 − σ(x)), then the form, and
    what it computes named as the reader knows it (e^{logsigmoid(x)} = σ(x))."""
    form = fact.part("form")
    reused = _items(fact.part("reused"))
    x = pen.latex(variable)
    equation = Math(f"{head}'({x}) = {pen.latex(form)}",
                    f"{head}'({pen.plain(variable)}) = {pen.plain(form)}")
    listed = Said.join([pen.say("{r}", r=r) for r in reused], ", ")
    anew = _items(fact.part("anew"))
    if anew:  # the form uses a function the forward pass never evaluated
        if result is not None and result != form and not result.has(*reused):
            equation = Math(f"{head}'({x}) = {pen.latex(result)} = {pen.latex(form)}",
                            f"{head}'({pen.plain(variable)}) = {pen.plain(result)} = "
                            f"{pen.plain(form)}")
        meanings = _items(fact.part("meaning")) or anew
        plural = "s" if len(reused) > 1 else ""
        return (pen.say(f"{{eq}}: the backward pass reuses the forward value{plural} ",
                        eq=equation) + listed + pen.say(" and must still compute ")
                + Said.join([_computed(pen, n, m) for n, m in zip(anew, meanings, strict=True)],
                            " and ") + pen.say("."))
    if fact.rule == "reuse reciprocal":
        return (pen.say("{eq} reuses the forward value ", eq=equation) + listed
                + pen.say(": the backward pass needs nothing new to compute, only a "
                          "multiplication and a subtraction."))
    plural = "s" if len(reused) > 1 else ""
    return (pen.say(f"{{eq}} reuses the forward value{plural} ", eq=equation) + listed
            + pen.say(": the backward pass needs nothing new that the forward pass did not "
                      "already compute."))
