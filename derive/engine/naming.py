"""Letters for the parts a walkthrough talks about, and names for long inner functions.

A teacher writes a long inner function out once, calls it u, and works with u; at the end u
is put back. Here that is a pass over the built steps: each inner function of the chain rule
whose written form is longer than `NAME_WIDTH` characters and that several lines show is
named (u, then v, w, ...), every line and fact refers to it by name, and a last verified step
substitutes the definitions back, so the Result is in x. A name is a `Definition` (a lemma of
the derivation), which is how the verifier and the LaTeX reader read it back.

Letters never clash: none is the variable, a symbol of the expression, or f when f is the
function itself; the quotient rule calls its parts f and g where they are free (σ's
walkthrough, as the seed has it), else u and v; the chain rule's own letter for its inner
function is the first one left.
"""

from __future__ import annotations

import re
from dataclasses import replace

import sympy

from derive.engine.forms import substitute
from derive.model import ASIDE, Definition, Fact, Step

# An inner function at least this wide, in symbols as a reader sees them, is named: the
# GELU's √2(x + 0.044715x³)/√π is 19; the longest textbook inner functions, such as
# 1 − x² + 2x³ + 6x or cos(1 + t² + 3t), are 12 and stay written out.
NAME_WIDTH = 16
# It is named only where it would otherwise be written out in at least this many lines.
NAME_MIN_LINES = 2

_NAME_LETTERS = ("u", "v", "w", "z", "p", "q", "r", "s")
_QUOTIENT_PAIRS = (("f", "g"), ("u", "v"), ("p", "q"), ("r", "s"))
_LOCAL_LETTERS = ("u", "v", "w", "z", "p", "q", "r", "s")


def name(symbol: str) -> sympy.FunctionClass:
    """The function a long inner function is called by: printed bare (u, u'), evaluated by
    its definition."""
    return sympy.Function(symbol, bare=True)


def is_name(expr: sympy.Basic) -> bool:
    """Whether expr is a named inner function (u(x), printed u)."""
    return bool(getattr(getattr(expr, "func", None), "bare", False)) and bool(expr.args)


def taken_letters(definition: Definition) -> set[str]:
    """Letters a walkthrough may not give to anything else: the variable, the expression's
    symbols, and f when f is how the document writes the function."""
    taken = {s.name for s in definition.body.free_symbols} | {definition.variable.name}
    if definition.latex in ("f", "g"):
        taken.add(definition.latex)
    return taken


def name_inner_functions(steps: list[Step], definition: Definition
                         ) -> tuple[list[Step], tuple[Definition, ...]]:
    """The steps with each long inner function named, and a last step writing the names
    out; with the names' definitions. Unchanged (and no definitions) when nothing is long."""
    from derive.words.printer import to_latex

    x = definition.variable
    main = [s for s in steps if s.role != ASIDE]
    asides = [s for s in steps if s.role == ASIDE]
    taken = taken_letters(definition)
    chosen: list[sympy.Expr] = []
    for step in main:
        for fact in step.facts:
            inner = fact.part("inner") if fact.rule == "chain" else None
            if (inner is None or inner in chosen or width(to_latex(inner)) < NAME_WIDTH
                    or any(inner.has(c) or c.has(inner) for c in chosen)
                    or _lines_showing(main, inner) < NAME_MIN_LINES):
                continue
            chosen.append(inner)
    if not chosen:
        return steps, ()
    letters = [c for c in _NAME_LETTERS if c not in taken][:len(chosen)]
    definitions = tuple(Definition(letter, letter, name(letter), x, inner)
                        for letter, inner in zip(letters, chosen, strict=True))
    mapping = {d.body: d.applied() for d in definitions}
    named: list[Step] = []
    introduced: set[sympy.Expr] = set()
    for step in main:
        new = _renamed(step, mapping)
        first = [d for d in definitions if d.body not in introduced and _shows(step, d.body)]
        introduced.update(d.body for d in first)
        if first:
            new = replace(new, facts=(*(Fact("name", (("name", d.applied()), ("value", d.body)))
                                        for d in first), *new.facts))
        named.append(new)
    back = Step(rule="substitute back", expr=main[-1].expr, facts=(Fact("substitute back", (
        ("names", sympy.Tuple(*(d.applied() for d in definitions))),
        ("values", sympy.Tuple(*(d.body for d in definitions))))),))
    return [*named, back, *asides], definitions


def width(latex: str) -> int:
    """How many symbols a reader sees in LaTeX: markup (\\left, braces, \\frac, spacing)
    counts nothing, a symbol command (\\pi, \\sqrt) one, a function name its letters."""
    text = re.sub(r"\\(?:left|right|frac|,|;|!|quad)|\\operatorname|[{}\s]", "", latex)
    return len(re.sub(r"\\([A-Za-z]+)",
                      lambda m: m.group(1) if m.group(1) in _NAMES_READ else "#", text))


# Function names a reader reads letter by letter; any other command is one symbol.
_NAMES_READ = {"sin", "cos", "tan", "sec", "csc", "cot", "ln", "log", "exp", "sinh", "cosh",
               "tanh", "arcsin", "arccos", "arctan"}


def _lines_showing(steps: list[Step], inner: sympy.Expr) -> int:
    return sum(_shows(s, inner) for s in steps)


def _shows(step: Step, inner: sympy.Expr) -> bool:
    if step.focus is not None:
        return any(_contains(side, inner) for side in step.focus)
    return _contains(step.expr, inner) or any(_shows(s, inner) for s in step.substeps)


def _value(expr: sympy.Basic) -> sympy.Basic:
    """A display form's value, to compare forms held in different orders (1 + x + x⁴ and
    x⁴ + x + 1 are one inner function)."""
    try:
        return expr.doit()
    except (TypeError, ValueError, AttributeError):
        return expr


def _contains(expr: sympy.Basic, inner: sympy.Expr) -> bool:
    target = _value(inner)
    return any(node.free_symbols == inner.free_symbols and _value(node) == target
               for node in sympy.preorder_traversal(expr) if not node.is_Atom)


def _by_value(expr: sympy.Basic, mapping: dict[sympy.Basic, sympy.Expr]) -> sympy.Basic:
    """expr with each subtree whose value is a key's value replaced by that key's name."""
    values = {_value(k): v for k, v in mapping.items()}
    found: dict[sympy.Basic, sympy.Expr] = {}
    for node in sympy.preorder_traversal(expr):
        if node.is_Atom or isinstance(node, sympy.Tuple) or node in found:
            continue
        value = _value(node)
        if value in values:
            found[node] = values[value]
    return substitute(expr, found) if found else expr


def _renamed(step: Step, mapping: dict[sympy.Expr, sympy.Expr]) -> Step:
    def sub(expr: sympy.Basic) -> sympy.Basic:
        return _by_value(expr, mapping)

    facts = tuple(Fact(f.rule, tuple((k, sub(v)) for k, v in f.parts)) for f in step.facts)
    focus = None if step.focus is None else (sub(step.focus[0]), sub(step.focus[1]))
    return replace(step, expr=sub(step.expr), focus=focus, facts=facts,
                   substeps=tuple(_renamed(s, mapping) for s in step.substeps))


def assign_letters(steps: list[Step], definition: Definition,
                   names: tuple[Definition, ...]) -> list[Step]:
    """Give the quotient rule its pair of letters and the chain rule its letter, none of
    them in use; the quotient's law is written in its letters."""
    taken = taken_letters(definition) | {d.name for d in names}
    quotient = next(pair for pair in _QUOTIENT_PAIRS if not taken & set(pair))
    uses_quotient = any(f.rule == "quotient" for s in steps for f in s.facts)
    local_taken = taken | (set(quotient) - {"f", "g"} if uses_quotient else set())
    free = [c for c in _LOCAL_LETTERS if c not in local_taken]
    # One derivative worked out over several steps (one focus) may meet an inner function
    # inside an inner function: each takes the next letter (u = ln(1 + e^x), then v = 1 + e^x).
    head: sympy.Basic | None = None
    used = 0
    out = []
    for step in steps:
        if step.focus is not None and step.focus[0] != head:
            head, used = step.focus[0], 0
        letter = _step_letter(step, "")
        chained = any(f.rule == "chain" for f in step.facts)
        if not letter and not chained and "u" in local_taken:
            # a rule applied to x itself, where u means something else here: said of x
            letter = definition.variable.name
            if step.law is not None:
                step = replace(step, law=re.sub(r"(?<![\\A-Za-z])u(?![A-Za-z])", letter,
                                                step.law))
        elif not letter:
            letter = free[min(used, len(free) - 1)]
            used += chained
        if step.law is not None and "f" in taken:
            # f is the function being differentiated: the laws say u and v (g for the chain
            # rule's outer function, whose inner function is this step's letter)
            step = replace(step, law=_law_in_letters(step.law, quotient, letter, taken))
        facts = []
        for fact in step.facts:
            if fact.rule == "quotient":
                fact = Fact(fact.rule, (*fact.parts, ("names", sympy.Tuple(
                    *(sympy.Symbol(c) for c in quotient)))))
                if step.law is not None and quotient != ("f", "g"):
                    step = replace(step, law=_relettered(step.law, quotient))
            elif fact.rule == "elementary" and letter != "u":
                # the rule states f(u)' with u: in this walkthrough's letter
                fact = Fact(fact.rule, tuple((k, v.xreplace({_U: sympy.Symbol(letter)}))
                                             for k, v in fact.parts))
            elif fact.rule in _LETTERED:
                named = letter
                rest = fact.part("rest")
                if named == definition.variable.name and rest is not None \
                        and rest != definition.variable:
                    # said of x only where it is x: −sec x is −w' with w = sec x, not x = sec x
                    named = free[0]
                fact = Fact(fact.rule, (*fact.parts, ("letter", sympy.Symbol(named))))
            facts.append(fact)
        out.append(replace(step, facts=tuple(facts),
                           substeps=tuple(assign_letters(list(step.substeps), definition, names))))
    return out


_U = sympy.Symbol("u")
# Facts whose words name the inner function by a letter (u' in "multiply by u'").
_LETTERED = ("chain", "constant multiple", "exponential", "abs")


def _step_letter(step: Step, local: str) -> str:
    """The letter of the step's inner function: its name where it has one."""
    for fact in step.facts:
        inner = fact.part("inner") if fact.rule == "chain" else None
        if inner is not None and is_name(inner):
            return str(inner.func.__name__)
    return local


def _law_in_letters(law: str, pair: tuple[str, str], letter: str, taken: set[str]) -> str:
    """A law that names its functions f and g, in letters that are not the function's: the
    sum, constant multiple and product rules in the quotient rule's pair, the chain rule as
    g(u)' = g'(u) u' with u this step's inner letter. Other laws are returned as they are."""
    from derive.engine.rules import CHAIN_LAW, RELETTERED_LAWS

    if law == CHAIN_LAW:
        outer = next(c for c in _OUTER_LETTERS if c not in taken and c != letter)
        return (rf"\left({outer}({letter})\right)' = {outer}'({letter})\, {letter}'")
    return _relettered(law, pair) if law in RELETTERED_LAWS else law


_OUTER_LETTERS = ("g", "h", "p", "q")


def _relettered(law: str, pair: tuple[str, str]) -> str:
    """The law (f/g)' = (f'g − fg')/g² in other letters: f and g as whole tokens only."""
    law = re.sub(r"(?<![\\A-Za-z])f(?![A-Za-z])", pair[0], law)
    return re.sub(r"(?<![\\A-Za-z])g(?![A-Za-z])", pair[1], law)
