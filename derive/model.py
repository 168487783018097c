"""The value types that flow through the pipeline: a `Derivation` of `Step`s with `Verdict`s.

Everything here is a frozen dataclass: the verifier returns a new `Derivation`, it never
mutates one. Expressions are SymPy objects held *unevaluated* for display, so that a form
like ``(1 + e^{-x}) - 1`` survives; `value_of` turns them into plain values to check.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

import sympy


class Status(StrEnum):
    PROVED = "proved"  # a symbolic method showed left - right == 0
    CHECKED = "checked"  # equal at many high-precision points, not proved
    FAILED = "failed"  # a counterexample exists
    UNDECIDED = "undecided"  # neither proved nor refuted in the time allowed


# The short mark each verdict gets in every output format.
MARKS = {
    Status.PROVED: "✓",
    Status.CHECKED: "≈",
    Status.FAILED: "✗",
    Status.UNDECIDED: "?",
}


@dataclass(frozen=True)
class Counterexample:
    """A point where both sides are defined and real, and differ: values as decimal strings."""

    point: tuple[tuple[str, str], ...]  # (variable name, value)
    left: str
    right: str

    def describe(self) -> str:
        where = ", ".join(f"{name} = {value}" for name, value in self.point)
        return f"at {where}: left = {self.left}, right = {self.right}"


@dataclass(frozen=True)
class Verdict:
    status: Status
    method: str  # what decided it, e.g. "cancel", "simplify(exp)", "numeric, 30 digits"
    counterexample: Counterexample | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status in (Status.PROVED, Status.CHECKED)

    @property
    def mark(self) -> str:
        return f"{MARKS[self.status]} {self.status.value} ({self.method})"


Parts = tuple[tuple[str, sympy.Basic], ...]
# The role of a step shown after the Result (verified against it, but not the answer).
ASIDE = "aside"


@dataclass(frozen=True)
class Fact:
    """What one move did, as data: the rule and its named parts (numerator, denominator, outer
    and inner function, the constant factor, ...). The words layer (derive.words) turns facts
    into titles and sentences; nothing upstream of it writes prose."""

    rule: str
    parts: Parts = ()

    def part(self, name: str, default: sympy.Basic | None = None) -> sympy.Basic | None:
        for key, value in self.parts:
            if key == name:
                return value
        return default

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.parts)


@dataclass(frozen=True)
class Step:
    """One move of a walkthrough.

    `expr` is the whole derivative after this step (unevaluated, may hold pending
    `Derivative` nodes and applied function symbols such as sigma(x)). `focus`, when set,
    is the local equation the step works on, e.g. d/dx(1 + e^{-x}) = e^{-x} d/dx(-x).
    """

    rule: str  # machine name: "quotient", "chain", "reduce", "unknown", ...
    expr: sympy.Expr
    facts: tuple[Fact, ...] = ()  # what the step did, in order (a sum carried into a rule: two)
    role: str = ""  # where the step stands: "setup", "inner", ... (the words layer reads it)
    law: str | None = None  # the general law, in LaTeX
    focus: tuple[sympy.Expr, sympy.Expr] | None = None
    substeps: tuple[Step, ...] = ()
    label: str = ""  # "Set-up", "Step 1", ...: decided by the walkthrough builder
    verdict: Verdict | None = None
    focus_verdict: Verdict | None = None

    def with_verdicts(self, verdict: Verdict, focus_verdict: Verdict | None,
                      substeps: tuple[Step, ...]) -> Step:
        return replace(self, verdict=verdict, focus_verdict=focus_verdict, substeps=substeps)


@dataclass(frozen=True)
class Definition:
    """A named function the walkthrough may write back in, e.g. sigma(x) = 1/(1 + e^{-x})."""

    name: str  # "sigma"
    latex: str  # r"\sigma"
    head: sympy.FunctionClass  # the undefined SymPy function used in display forms
    variable: sympy.Symbol
    body: sympy.Expr
    # The form the walkthrough differentiates and the document states, when it is not the
    # body: catalog functions kept by name (x·σ(x), as typed), or a catalog function's defining
    # identity (tanh x = sinh x / cosh x). Same value as `body`, which the rest reads.
    written: sympy.Expr | None = None

    def applied(self) -> sympy.Expr:
        return self.head(self.variable)


@dataclass(frozen=True)
class Note:
    """A caveat the reader must see, as a fact: its kind ("kink", "not differentiable",
    "no rule", "symbol f taken") and its parts. derive.words.notes writes it for documents and
    for a terminal."""

    kind: str
    parts: Parts = ()

    def part(self, name: str) -> sympy.Basic | None:
        return dict(self.parts).get(name)


@dataclass(frozen=True)
class Derivation:
    name: str  # catalog name or the expression the user typed
    function: Definition  # f itself; its head is how the walkthrough writes f back in
    variable: sympy.Symbol
    steps: tuple[Step, ...]
    reference: sympy.Expr  # SymPy's own derivative, for the final cross-check
    result_verdict: Verdict | None = None  # last step vs the reference
    notes: tuple[Note, ...] = ()  # warnings, e.g. an expression no rule covers
    closing: Fact | None = None  # the backpropagation moral, when f' reuses f: what it reuses
    in_terms_of_f: sympy.Expr | None = None  # f' with the symbol f for f's value
    # The derivatives no rule covers, left pending (SymPy manualintegrate's DontKnowRule):
    # while there is one, the walkthrough is incomplete and never verified.
    unknown: tuple[sympy.Derivative, ...] = ()
    # Named functions the walkthrough writes in (σ in softplus'), with their definitions.
    lemmas: tuple[Definition, ...] = ()

    @property
    def incomplete(self) -> bool:
        """Some derivative was left to no rule (manualintegrate's `contains_dont_know`)."""
        return bool(self.unknown)

    @property
    def result(self) -> sympy.Expr:
        """derive's answer: the last step's form (a line after the result, such as the form in
        terms of f, is an aside and not the answer)."""
        main = [s for s in self.steps if s.role != ASIDE]
        return main[-1].expr if main else sympy.Derivative(self.function.body, self.variable)

    @property
    def verified(self) -> bool:
        verdicts = [s.verdict for s in iter_steps(self.steps)]
        verdicts += [s.focus_verdict for s in iter_steps(self.steps) if s.focus is not None]
        verdicts.append(self.result_verdict)
        return not self.incomplete and all(v is not None and v.ok for v in verdicts)

    @property
    def failed(self) -> bool:
        verdicts = [s.verdict for s in iter_steps(self.steps)] + [self.result_verdict]
        verdicts += [s.focus_verdict for s in iter_steps(self.steps)]
        return any(v is not None and v.status is Status.FAILED for v in verdicts)

    def value_of(self, expr: sympy.Expr) -> sympy.Expr:
        """The plain value of a display form: f written back out, the pending derivatives a
        later step works out done, and each one no rule covers an opaque gap."""
        return value_of(expr, (self.function, *self.lemmas), self.unknown)


def iter_steps(steps: tuple[Step, ...]) -> Iterator[Step]:
    for step in steps:
        yield step
        yield from iter_steps(step.substeps)


@lru_cache(maxsize=4096)  # pure, and the same forms recur in every step and every run
def value_of(expr: sympy.Expr, definitions: tuple[Definition, ...] = (),
             unknown: tuple[sympy.Derivative, ...] = ()) -> sympy.Expr:
    """Evaluate a display form: substitute named functions, do pending derivatives.

    A derivative in `unknown` (no rule covers it) becomes a gap: an undefined function of
    the same symbols, which no stage of the verifier can evaluate, simplify or take. So a
    step or result that rests on it cannot be proved, where `doit()` would have let SymPy
    fill the gap before the verifier looked.
    """
    if unknown:
        expr = expr.xreplace({node: gap(i, node) for i, node in enumerate(unknown)})
    for definition in definitions:
        if expr.has(definition.head):
            expr = expr.replace(definition.head, sympy.Lambda(definition.variable, definition.body))
    # doit() rebuilds every node with evaluation on: pending derivatives are taken and
    # display forms such as ((1 + e^-x) - 1) collapse to e^-x. Fine for checking.
    return as_function(expr.doit())


def gap(index: int, node: sympy.Derivative) -> sympy.Expr:
    """The stand-in for a derivative no rule covers: an unknown function of its symbols."""
    symbols = sorted(node.free_symbols, key=sympy.default_sort_key)
    return sympy.Function(f"no_rule_{index + 1}")(*symbols)


def as_function(derivative: sympy.Expr) -> sympy.Expr:
    """A derivative as a function, the way a calculus course means it.

    SymPy differentiates sign(u) and H(u) as distributions: 2δ(u)·u' and δ(u)·u'. As a
    function the derivative is 0 wherever u ≠ 0 and does not exist where u = 0; that is
    Piecewise((0, u ≠ 0)), which has no value where no condition holds.
    """
    if not derivative.has(sympy.DiracDelta):
        return derivative
    return derivative.replace(
        lambda node: isinstance(node, sympy.DiracDelta),
        lambda node: sympy.Piecewise((0, sympy.Ne(node.args[0], 0))))
