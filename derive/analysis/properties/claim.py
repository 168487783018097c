"""What a property is, as data: a claim (an equation or inequality, and what it is about),
the verdict derive.verify gave it, and how the finder reached it. No words: the words layer
(derive.words.properties) says each property in LaTeX and in plain text, and a template may
say it its own way from these fields."""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from derive.model import Parts, Verdict

# The properties in the order a document lists them.
ORDER = ("domain", "limits", "range", "value at 0", "slope at 0", "critical points", "poles",
         "max slope", "symmetry", "monotonic", "vanishing gradient")


@dataclass(frozen=True)
class Claim:
    """`subject relation value`, e.g. lim_{x→∞} f(x) = 1, f'(x) > 0 for x in ℝ.

    subject: what the claim is about, as a SymPy object (Limit(f, x, oo), f(0), f'(x)).
    relation: "=", "<", "<=", ">", ">=", "in" (a value set), "approx in", "defined on",
    "zero at" (the points where the subject vanishes), "pole at", "max", "max approx",
    "increasing", "decreasing", "non-decreasing", "non-increasing".
    value: the right-hand side (a number, an expression, a set).
    where: the x for which it holds (None: wherever f is defined).
    """

    subject: sympy.Basic
    relation: str
    value: sympy.Basic
    where: sympy.Set | None = None


@dataclass(frozen=True)
class How:
    """How a finder reached its claim: the method (a name such as "leading terms"), its
    settings as words-free tags (the kind of monotonicity, the verdict a claim rests on) and
    the SymPy objects it used (the probes, the form whose signs were read)."""

    method: str
    tags: tuple[tuple[str, str], ...] = ()
    parts: Parts = ()

    def tag(self, name: str, default: str = "") -> str:
        return dict(self.tags).get(name, default)

    def part(self, name: str) -> sympy.Basic:
        for key, value in self.parts:
            if key == name:
                return value
        raise KeyError(f"the method {self.method!r} has no part {name!r}")


@dataclass(frozen=True)
class Property:
    name: str  # one of ORDER
    claim: Claim
    # From derive.verify: the status, and the method's name where verify alone decided the
    # claim ("" where the finder combined several of its verdicts: `how` says how).
    verdict: Verdict
    how: How
