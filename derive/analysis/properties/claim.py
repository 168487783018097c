"""What a property is: a claim (an equation or inequality, and what it is about) with the
verdict derive.verify gave it, and the LaTeX a document shows for it."""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy

from derive.model import Verdict

# The properties in the order a document lists them.
ORDER = ("domain", "limits", "range", "value at 0", "slope at 0", "critical points", "poles",
         "max slope", "symmetry", "monotonic", "vanishing gradient")


@dataclass(frozen=True)
class Claim:
    """`subject relation value`, e.g. lim_{x→∞} f(x) = 1, f'(x) > 0 for x in ℝ.

    subject: what the claim is about, as a SymPy object (Limit(f, x, oo), f(0), f'(x)).
    relation: "=", "<", "<=", ">", ">=", "in" (a value set), "zero at" (the points where
    the subject vanishes), "pole at", "increasing", "decreasing", "non-decreasing",
    "non-increasing", "odd", "even", "point symmetric".
    value: the right-hand side (a number, an expression, a set).
    where: the x for which it holds (None: wherever f is defined).
    """

    subject: sympy.Basic
    relation: str
    value: sympy.Basic
    where: sympy.Set | None = None


@dataclass(frozen=True)
class Property:
    name: str  # one of ORDER
    statement_latex: str  # e.g. r"\lim_{x\to\infty} f(x) = 1"
    verdict: Verdict  # from derive.verify; its method (plain text) is shown to users
    # The method as a document shows it, its formulas typeset between $…$; None: the plain one.
    method_latex: str | None = None
    claim: Claim | None = None

    @property
    def mark(self) -> str:
        """The verdict mark for a document: "✓ proved (… $\frac{1}{4}$ …)"."""
        if self.method_latex is None:
            return self.verdict.mark
        return replace(self.verdict, method=self.method_latex).mark
