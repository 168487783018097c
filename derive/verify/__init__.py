"""The verifier: decide whether two expressions are equal, and verify every step of a walkthrough.

`check_equal` escalates from cheap to strong and names what decided:

1. ``identical`` — the same SymPy tree.
2. ``cancel`` — equal as rational functions of their generators (`derive.verify.rational`),
   then ``cancel after rewrite to exp`` (trigonometric and hyperbolic functions and
   symbolic powers written with e^x, which turns σ(1 − σ) = 1/(4 cosh²(x/2)) into algebra).
   For one real variable with kinks (|u|, sign, H, max, min, Piecewise): ``cancel on each
   interval`` between the kinks (`derive.verify.cases`), with the kinks themselves checked.
3. the numeric probe (`derive.verify.numeric`), in certified ball arithmetic at points
   derived from the claim: a point where both sides are defined and real and their balls
   are disjoint (or where the exact difference `cancel` left is proved nonzero) is a
   counterexample, and the verdict is ``failed``: a proof, never a rounding accident.
4. ``expand``, ``simplify``, ``simplify after rewrite to exp`` — only in the main thread,
   where a SIGALRM time limit can stop them (`derive.timeout`). These are trusted
   only if the probe saw no contradiction: a symbolic "zero" against two finite sides that
   differ is reported as undecided, never as proved.
5. otherwise the probe's agreement: ``checked`` when both sides agree to 30 digits at
   every probe point (at least `MINIMUM` of them), else ``undecided``.

A numeric agreement is never reported as "proved".

Which stages a claim meets is decided by size budgets (`derive.verify.budget`), never by
elapsed time: every stage is given the claim when the claim is within its budget, and the
stages that loop count their own work. The same claim therefore gets the same method and
verdict on an idle or a loaded machine. `timeout` bounds the whole check, in seconds of
its own CPU time, and only stops runaway work; when it does, the verdict is undecided and
says so in words ("stopped at the time limit"), never a method the clock happened to
leave standing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

import sympy
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from derive.model import Derivation, Status, Step, Verdict
from derive.timeout import attempt, can_interrupt
from derive.verify.budget import (
    EXPAND_TERMS,
    LAW_NODES,
    REWRITE_NODES,
    SIMPLIFY_OPS,
    SIMPLIFY_PIECES,
    expanded_terms,
    nodes,
    pieces,
)
from derive.verify.cases import CaseOutcome, applicable, equal_by_cases
from derive.verify.laws import apply_laws, square_law_applies
from derive.verify.numeric import DIGITS, MAX_BITS, MINIMUM, Probe
from derive.verify.rational import (
    Unsupported,
    difference_numerator,
    equal_as_rational_functions,
)

T = TypeVar("T")

__all__ = ["check_equal", "verify"]


class _Stopped(Exception):
    """The runaway clock stopped a stage: the check ends there, undecided, and says so."""

    def __init__(self, stage: str) -> None:
        super().__init__(stage)
        self.stage = stage


class _Clock:
    """The runaway bound of one check: `timeout` seconds of the stages' own CPU time.

    CPU time, not wall time: it counts the work a check does, which a busy machine does not
    stretch (wall time it does, several times over). Nothing is given a share of it, and no
    stage is skipped or chosen for lack of time: a stage the clock stops ends the check
    (`_Stopped`). Imports a stage needs once per process (python-flint for the probe) are
    done before its time starts."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.used = 0.0

    def left(self) -> float:
        return max(0.0, self.timeout - self.used)

    def run(self, name: str, stage: Callable[[float], T]) -> T | None:
        """stage(deadline) with the time that is left; None if it failed (an error means
        "not decided here"); raises _Stopped when the clock stopped it."""
        start = time.process_time()
        deadline = start + self.left()  # for the stages that watch the clock themselves
        outcome = attempt(lambda: stage(deadline), self.left(), cpu=True)
        self.used += time.process_time() - start
        if outcome.timed_out:
            raise _Stopped(name)
        return outcome.value


def check_equal(left: sympy.Expr, right: sympy.Expr, *, timeout: float = 2.0) -> Verdict:
    """Is left == right wherever both are defined? Plain values in, a Verdict out.

    `timeout` is a runaway bound for the whole check, not a budget the stages share."""
    left, right = sympy.sympify(left, strict=True), sympy.sympify(right, strict=True)
    if left == right:
        return Verdict(Status.PROVED, "identical")
    clock = _Clock(timeout)
    probe = Probe(left, right)
    try:
        return _cascade(left, right, clock, probe)
    except _Stopped as stopped:
        return _stopped_verdict(stopped.stage, clock, probe)


def _stopped_verdict(stage: str, clock: _Clock, probe: Probe) -> Verdict:
    seen = ""
    if probe.tried:
        seen = (f"; before that the numeric probe saw the sides agree at {probe.agreed} of "
                f"{probe.tried} points tried")
    return Verdict(Status.UNDECIDED, f"stopped at the time limit ({clock.timeout:g} s)",
                   detail=f"the {stage} stage was still running when the time limit of "
                          f"{clock.timeout:g} s for one check ran out, so nothing was "
                          f"decided{seen}")


def _cascade(left: sympy.Expr, right: sympy.Expr, clock: _Clock, probe: Probe) -> Verdict:
    # the exact differences, for the probe: written out only if the probe gets to them
    reduced: list[tuple[str, Callable[[], sympy.Expr | None]]] = []

    def exact(name: str, a: sympy.Expr, b: sympy.Expr) -> bool:
        equal = clock.run(name, lambda end: equal_as_rational_functions(a, b, deadline=end))
        if equal:
            return True
        if equal is False:
            reduced.append((name, lambda: difference_numerator(a, b)))
        elif a.has(sympy.Float) or b.has(sympy.Float):
            reduced.append((name, lambda: _float_free_difference(a, b)))
        return False

    if exact("cancel", left, right):
        return Verdict(Status.PROVED, "cancel")
    rewritten = None
    if (_has_exp_form(left) or _has_exp_form(right)) and nodes(left, right) <= REWRITE_NODES:
        rewritten = clock.run("rewrite", lambda _: (left.rewrite(sympy.exp),
                                                    right.rewrite(sympy.exp)))
    if (rewritten is not None and rewritten != (left, right)
            and exact("cancel after rewrite to exp", *rewritten)):
        return Verdict(Status.PROVED, "cancel after rewrite to exp")

    cases = _by_cases(left, right, clock, "cases")
    if cases is not None:
        variable, split = cases
        if not split.differences:
            return Verdict(Status.PROVED, f"cancel on each interval between {_kinks(cases)}")
        point, a, b = split.differences[0]
        # Equal except at a kink where both sides have (different) values: true as a
        # statement about the derivative, which does not exist there, but not a proof.
        return Verdict(Status.CHECKED, f"cancel on each interval; at {variable} = {point} "
                                       f"the sides differ ({a} and {b})",
                       detail="equal on every interval between the kinks; the kink "
                              "values are conventions")
    lawful = _by_laws(left, right, clock, exact)
    if lawful is not None:
        return lawful
    probe.reduced = tuple(reduced)
    if _evaluable(probe):
        from derive.verify import ball  # noqa: F401  (imported once, outside the clock)
    clock.run("numeric probe", lambda end: probe.run(end))
    if probe.cut_off:
        raise _Stopped("numeric probe")
    if probe.counterexample is not None:
        return Verdict(Status.FAILED, "ball arithmetic (certified)",
                       counterexample=probe.counterexample,
                       detail=f"both sides are defined and real there and differ: {probe.proof}")

    skipped = ""
    if can_interrupt():
        difference = left - right
        stages: list[tuple[str, Callable[[float], sympy.Expr]]] = []
        if expanded_terms(difference) <= EXPAND_TERMS:
            stages.append(("expand", lambda _: sympy.expand(difference)))
        if sympy.count_ops(difference) <= SIMPLIFY_OPS and pieces(difference) <= SIMPLIFY_PIECES:
            stages.append(("simplify", lambda _: sympy.simplify(difference)))
            stages.append(("simplify after rewrite to exp",
                           lambda _: sympy.simplify(difference.rewrite(sympy.exp))))
        for name, stage in stages:
            if _zero_where_defined(clock.run(name, stage)):
                if probe.conflict:
                    return Verdict(Status.UNDECIDED, f"{name} contradicted by numeric probe",
                                   detail=f"{name} reduced the difference to 0, but "
                                          f"{probe.conflict}")
                return Verdict(Status.PROVED, name)
        if len(stages) < 3:
            skipped = (f"; {'simplify' if stages else 'expand and simplify'} not tried: "
                       f"the difference is beyond {'its' if stages else 'their'} size budget")
    else:
        skipped = "; simplify skipped outside the main thread (no time limit there)"

    if probe.conflict:
        return Verdict(Status.UNDECIDED, f"numeric, {DIGITS} digits",
                       detail=f"equal wherever both sides are real, but {probe.conflict}")
    if probe.unsupported:
        return Verdict(Status.UNDECIDED, "not evaluable",
                       detail=f"{probe.unsupported}, so no certified value{skipped}")
    if probe.agreed >= MINIMUM and probe.complete:
        unresolved = (f"; {probe.unresolved} more not pinned down at {MAX_BITS} bits"
                      if probe.unresolved else "")
        return Verdict(Status.CHECKED,
                       f"numeric (ball arithmetic): {DIGITS} digits at {probe.agreed} "
                       f"points, {probe.range_text()}{skipped}",
                       detail=f"both sides agree to {DIGITS} significant digits, with "
                              f"certified error bounds, at every point where both are "
                              f"defined and real{unresolved}")
    if probe.unevaluable:
        why = "a side holds an unknown function or a pending derivative, which has no value"
        return Verdict(Status.UNDECIDED, "not evaluable", detail=f"{why} at a point{skipped}")
    return Verdict(Status.UNDECIDED, f"numeric, only {probe.agreed} usable points",
                   detail=f"both sides were real, defined and pinned down at {probe.agreed} "
                          f"of {probe.tried} points tried, fewer than the {MINIMUM} "
                          f"needed{skipped}")


def _evaluable(probe: Probe) -> bool:
    from derive.verify.numeric import _evaluable as evaluable

    return evaluable(probe.left) and evaluable(probe.right)


def _by_cases(left: sympy.Expr, right: sympy.Expr, clock: _Clock,
              stage: str) -> tuple[sympy.Symbol, CaseOutcome] | None:
    """Both sides compared on each interval between the kinks of their one real variable
    (derive.verify.cases); None where that does not apply or was not shown in time."""
    variable = applicable(left, right)
    if variable is None:
        return None
    split = clock.run(stage, lambda end: equal_by_cases(left, right, variable, end))
    return None if split is None else (variable, split)


def _kinks(cases: tuple[sympy.Symbol, CaseOutcome]) -> str:
    variable, split = cases
    return ", ".join(f"{variable} = {p}" for p in split.breakpoints)


def _by_laws(left: sympy.Expr, right: sympy.Expr, clock: _Clock,
             exact: Callable[[str, sympy.Expr, sympy.Expr], bool]) -> Verdict | None:
    """Proved after rewriting both sides by identities whose conditions SymPy proves
    (`derive.verify.laws`), or from equal squares of two nonnegative sides; None if not."""
    used: list[str] = []
    rewritten = None
    if nodes(left, right) <= LAW_NODES:
        rewritten = clock.run("laws", lambda _: (apply_laws(left, used), apply_laws(right, used)))
    if rewritten is not None and rewritten != (left, right):
        a, b = rewritten
        laws = "; ".join(used)
        if a == b or exact(f"cancel after {laws}", a, b):
            return Verdict(Status.PROVED, f"cancel after {laws}")
        cases = _by_cases(a, b, clock, "cases after laws")
        if cases is not None and not cases[1].differences:
            return Verdict(Status.PROVED, f"{laws}; cancel on each interval between {_kinks(cases)}")
    if (max(expanded_terms(left**2), expanded_terms(right**2)) <= EXPAND_TERMS
            and square_law_applies(left, right)):
        squares = clock.run("squares", lambda _: (sympy.expand(left**2), sympy.expand(right**2)))
        if squares is not None and (squares[0] == squares[1]
                                    or exact("cancel of the squares", *squares)):
            return Verdict(Status.PROVED, "both sides are ≥ 0 and their squares cancel")
    return None


def _float_free_difference(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr | None:
    """The reduced difference with every Float read as the binary number it is (the exact
    stage refuses floats, so that a float never proves anything; it may still refute)."""
    floats = a.atoms(sympy.Float) | b.atoms(sympy.Float)
    if not floats:
        return None
    exact = {f: sympy.Rational(f) for f in floats}
    try:
        return difference_numerator(a.xreplace(exact), b.xreplace(exact))
    except Unsupported:
        return None


_EXP_FAMILIES = (TrigonometricFunction, HyperbolicFunction)


def _has_exp_form(expr: sympy.Expr) -> bool:
    """Something rewrite(exp) changes: a trigonometric or hyperbolic function, or a power
    with a symbolic exponent. Max/Min walk the whole rewrite machinery to stay as they are."""
    return any(isinstance(node, _EXP_FAMILIES) or (node.is_Pow and not node.exp.is_Number)
               for node in sympy.preorder_traversal(expr))


def _zero_where_defined(value: sympy.Expr | None) -> bool:
    """0, or a Piecewise that is 0 in every case but those where it is undefined (nan):
    simplify(sign(x) − x/|x|) gives Piecewise((nan, Eq(x, 0)), (0, True))."""
    if value is None:
        return False
    if isinstance(value, sympy.Piecewise):
        return all(piece == 0 or piece is sympy.nan for piece, _ in value.args) and any(
            piece == 0 for piece, _ in value.args)
    return bool(value == 0)


class _Checker:
    """One verify call: step values and verdicts, each distinct pair checked once."""

    def __init__(self, derivation: Derivation, timeout: float) -> None:
        self.derivation = derivation
        self.timeout = timeout
        self.values: dict[sympy.Basic, sympy.Expr | None] = {}
        self.verdicts: dict[tuple[sympy.Expr, sympy.Expr], Verdict] = {}

    def value(self, expr: sympy.Expr) -> sympy.Expr | None:
        if expr not in self.values:
            try:
                self.values[expr] = self.derivation.value_of(expr)
            except Exception:  # reported as an undecided verdict by compare()
                self.values[expr] = None
        return self.values[expr]

    def compare(self, left: sympy.Expr | None, right: sympy.Expr | None) -> Verdict:
        if left is None or right is None:
            return Verdict(Status.UNDECIDED, "not evaluated",
                           detail="the expression could not be evaluated to compare it")
        key = (left, right)
        if key not in self.verdicts:
            mirrored = self.verdicts.get((right, left))
            self.verdicts[key] = (_mirror(mirrored) if mirrored is not None
                                  else check_equal(left, right, timeout=self.timeout))
        return self.verdicts[key]

    def step(self, step: Step, previous: sympy.Expr | None) -> tuple[Step, sympy.Expr | None]:
        """The chain previous → substep 1 → … → step.expr, each link checked."""
        substeps = []
        current = previous
        for sub in step.substeps:
            checked, current = self.step(sub, current)
            substeps.append(checked)
        value = self.value(step.expr)
        verdict = self.compare(current, value)
        if step.rule == "unknown":
            # The step takes no derivative: it leaves one pending that no rule covers, and
            # that derivative has no value here (`Derivation.value_of` makes it a gap).
            verdict = Verdict(Status.UNDECIDED, "no rule",
                              detail="no rule of derive covers this derivative; it is left "
                                     "pending, so nothing was derived to check")
        focus_verdict = None
        if step.focus is not None:
            lhs, rhs = step.focus
            focus_verdict = self.compare(self.value(lhs), self.value(rhs))
        return step.with_verdicts(verdict, focus_verdict, tuple(substeps)), value


def _mirror(verdict: Verdict) -> Verdict:
    """The verdict on right == left from the one on left == right (equality is symmetric)."""
    example = verdict.counterexample
    if example is None:
        return verdict
    return replace(verdict, counterexample=replace(example, left=example.right, right=example.left))


def verify(derivation: Derivation, *, timeout: float = 2.0) -> Derivation:
    """A new Derivation with a verdict on every step, focus and the final result."""
    checker = _Checker(derivation, timeout)
    previous = checker.value(sympy.Derivative(derivation.function.body, derivation.variable))
    steps = []
    for step in derivation.steps:
        checked, previous = checker.step(step, previous)
        steps.append(checked)
    result = checker.compare(previous, checker.value(derivation.reference))
    return replace(derivation, steps=tuple(steps), result_verdict=result)
