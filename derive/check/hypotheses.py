r"""Hypotheses a document states in words: "for $x > 0$", "where $a \neq 0$", "If $n>0$",
`, x \ne 0` after a row, `\text{for } n \neq 0` beside it.

A hypothesis is an assumption for the verifier, never a claim: the steps it governs are
checked for the values it allows. derive.verify knows signs only (positive, negative,
nonzero ...), so each hypothesis gives the sign it implies:

- `x > 0`, `x \ne 0`, `x \le 0` give exactly their sign: a proof under it proves the step
  where the text says it holds, and a counterexample under it refutes the step there;
- `x > 4`, `x \ge 1`, `0 < x < 1` imply a sign (positive) without being it: a proof under
  the sign still holds for the values allowed, but a counterexample counts only when the
  hypothesis itself holds at its point (else the step is undecided, never failed);
- `a \ne 1` implies no sign: it is kept for that counterexample test alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import sympy

from derive.model import Status, Verdict

# one comparison: NAME REL BOUND, BOUND REL NAME, or BOUND REL NAME REL BOUND
_NAME = r"(?:[A-Za-z]|\\(?:alpha|beta|gamma|delta|theta|lambda|mu|sigma|tau|omega|phi|psi))"
_REL = r"(?:<|>|\\(?:le(?:q|qslant)?|ge(?:q|qslant)?|neq?)(?![A-Za-z])|\\not=)"
_BOUND = (r"(?:[-+]?\s*(?:\\[dt]?frac\s*\{[^{}]*\}\s*\{[^{}]*\}|\\pi|[\d.]+|\\infty)"
          r"(?:\s*/\s*[\d.]+|\s*\\pi)?)")
_ONE = re.compile(rf"""\s*(?:
      (?P<names>{_NAME}(?:\s*,\s*{_NAME})*)\s*(?P<rel>{_REL})\s*(?P<bound>{_BOUND})
    | (?P<low>{_BOUND})\s*(?P<rel1>{_REL})\s*(?P<name>{_NAME})\s*(?:(?P<rel2>{_REL})\s*(?P<high>{_BOUND}))?
    )\s*""", re.VERBOSE)
# what separates two conditions: `,`, `;`, `\text{ and }`, `\quad`, `\ ` ...
_SEPARATOR = re.compile(r"\s*(?:,|;|\\q?quad(?![A-Za-z])|\\[,;: ]|~|\band\b|"
                        r"\\(?:text|textrm|mbox|mathrm)\s*\{\s*(?:and|or)?\s*\})\s*")
_CANONICAL = {"\\leq": "\\le", "\\leqslant": "\\le", "\\geq": "\\ge", "\\geqslant": "\\ge",
              "\\neq": "\\ne", "\\not=": "\\ne"}
_FLIPPED = {"<": ">", ">": "<", "\\le": "\\ge", "\\ge": "\\le", "\\ne": "\\ne"}
# a cheap test for inline math that may be a hypothesis (no `=` in it)
MAYBE = re.compile(rf"{_REL}")


@dataclass(frozen=True)
class Hypothesis:
    name: str  # the variable as SymPy names it (x, a, theta)
    relation: str  # ">", "<", "\\ge", "\\le", "\\ne": name RELATION bound
    bound: sympy.Expr  # a real number
    line: int  # where the text states it
    text: str  # as written, for reports

    @property
    def assumption(self) -> str | None:
        """The SymPy sign assumption the hypothesis implies, or None."""
        zero = self.bound.is_zero
        if self.relation in (">", "\\ge"):
            if zero:
                return "positive" if self.relation == ">" else "nonnegative"
            return "positive" if self.bound.is_positive else None
        if self.relation in ("<", "\\le"):
            if zero:
                return "negative" if self.relation == "<" else "nonpositive"
            return "negative" if self.bound.is_negative else None
        return "nonzero" if zero else None

    @property
    def exact(self) -> bool:
        """Is the hypothesis exactly its sign assumption (a comparison with 0)?"""
        return bool(self.bound.is_zero)

    def holds_at(self, value: sympy.Expr) -> bool:
        """Does the hypothesis hold at this value? False when it cannot be told."""
        relation = {">": sympy.Gt, "<": sympy.Lt, "\\ge": sympy.Ge, "\\le": sympy.Le,
                    "\\ne": sympy.Ne}[self.relation]
        try:
            return bool(relation(value, self.bound) is sympy.true)
        except TypeError:
            return False

    def describe(self) -> str:
        return f"{self.text} (line {self.line})"


def read(text: str, line: int, number: Callable[[str], sympy.Expr | None]) -> list[Hypothesis]:
    """The hypotheses `text` states when it is nothing but comparisons of variables with
    numbers (`x > 0`, `a>0, a\\neq 1`, `x, y > 0`, `0 < x < 1`), else []. `number` reads a
    bound's LaTeX (None when it is not a real number)."""
    found: list[Hypothesis] = []
    at = 0
    text = text.strip().rstrip(".,;").strip()
    while at < len(text):
        match = _ONE.match(text, at)
        if match is None or match.end() == at:
            return []
        if match["names"]:
            names = [n.strip() for n in match["names"].split(",")]
            pairs = [(match["rel"], match["bound"])]
        else:
            names = [match["name"]]
            pairs = [(_FLIPPED[_CANONICAL.get(match["rel1"], match["rel1"])], match["low"])]
            if match["rel2"]:
                pairs.append((match["rel2"], match["high"]))
        written = " ".join(match.group().split())
        for name in names:
            for relation, bound in pairs:
                value = number(bound)
                if value is None or not value.is_real or not value.is_finite:
                    return []
                found.append(Hypothesis(name.lstrip("\\"), _CANONICAL.get(relation, relation),
                                        value, line, written))
        at = match.end()
        separator = _SEPARATOR.match(text, at)
        if separator is not None and separator.end() > at:
            at = separator.end()
        elif at < len(text):
            return []
    return found


def in_words(text: str, line: int, number: Callable[[str], sympy.Expr | None]) -> list[Hypothesis]:
    """The hypotheses of a note beside a row: `for n \\neq 0`, `if x>0`, `, x \\ne 0`,
    `(x > 0)`, `where a \\ne 0`: a leading word, then nothing but comparisons."""
    words = re.sub(r"^\s*[,(]?\s*(?:for|if|when|where|with|provided|assuming)?\s*(?:all\s+)?",
                   "", text, flags=re.I)
    words = re.sub(r"\)?\s*[.,;]?\s*$", "", words)
    return read(words, line, number) if words.strip() else []


def replacements(hypotheses: Iterable[Hypothesis],
                 symbol: Callable[[str], sympy.Symbol]) -> tuple[tuple[sympy.Symbol, sympy.Symbol], ...]:
    """(the document's symbol, the same variable with the hypotheses' signs) for every
    variable a sign applies to; a variable whose signs contradict one another (`x > 0`
    then `x < 0` in one chain) keeps its plain symbol."""
    signs: dict[str, dict[str, bool]] = {}
    for hypothesis in hypotheses:
        if hypothesis.assumption is not None:
            signs.setdefault(hypothesis.name, {})[hypothesis.assumption] = True
    pairs = []
    for name, assumed in sorted(signs.items()):
        plain = symbol(name)
        combined = {**plain.assumptions0, **assumed}
        combined.pop("commutative", None)
        try:
            pairs.append((plain, sympy.Symbol(name, **combined)))
        except Exception:  # InconsistentAssumptions
            continue
    return tuple(pairs)


def qualified(verdict: Verdict, hypotheses: tuple[Hypothesis, ...],
              assumed: tuple[tuple[sympy.Symbol, sympy.Symbol], ...] = ()) -> Verdict:
    """The verdict of a step checked under `hypotheses` (`assumed`: the symbols they gave
    a sign), saying so; a failure stands only where the hypotheses hold (at the
    counterexample's point, or everywhere when each is exactly its sign and was given)."""
    assumed_names = {plain.name for plain, _ in assumed}
    if not hypotheses:
        return verdict
    under = "under the text's hypothesis " + ", ".join(h.describe() for h in hypotheses)
    detail = "; ".join(filter(None, (verdict.detail, under)))
    if verdict.status is Status.FAILED and not all(h.exact and h.name in assumed_names
                                                   for h in hypotheses):
        example = verdict.counterexample
        point = dict(example.point) if example is not None else {}
        # a variable the point leaves out is not in the sides: any value of it will do
        inside = example is not None and all(
            h.name not in point or h.holds_at(_number(point[h.name]))
            for h in hypotheses if not (h.exact and h.name in assumed_names))
        if not inside:
            where = f" ({example.describe()})" if example is not None else ""
            return Verdict(Status.UNDECIDED, "a counterexample outside the hypothesis",
                           detail=f"the sides differ{where}, but the text's hypothesis "
                                  + ", ".join(h.describe() for h in hypotheses)
                                  + " may exclude that point")
    return replace(verdict, detail=detail)


def _number(text: str) -> sympy.Expr:
    try:
        return sympy.Float(text, 30) if "." in text or "e" in text.lower() else sympy.Rational(text)
    except (ValueError, TypeError):
        return sympy.nan


_TRAILING = re.compile(r",|\\q?quad(?![A-Za-z])|\\(?:text|textrm|mbox)\s*\{\s*(?:for|if|when|where)"
                       r"(?:\s+all)?\s*\}")


def trailing(text: str) -> int | None:
    """Where a row's trailing hypothesis starts (`… , x \\ne 0`, `… \\quad x > 0`,
    `… \\text{for } n \\neq 0`), or None: a separator at the top level followed by nothing
    but comparisons of variables with numbers."""
    for found in _TRAILING.finditer(text):
        before = text[:found.start()]
        if before.count("{") != before.count("}") or before.count("(") != before.count(")"):
            continue
        if not before.strip() or "=" not in before:
            continue
        if read(text[found.end():], 0, lambda bound: sympy.Integer(0)):
            return found.start()
    return None
