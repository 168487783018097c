"""Does an equation row follow from the equation row before it?

Implicit differentiation writes a run of equations, each from the last:
`cos(y) y' + 3y^2 y' = -3x^2`, `(cos y + 3y^2) y' = -3x^2`, `y' = -3x^2/(cos y + 3y^2)`.
Each holds on the curve, not for every function y, so none is an identity to prove
(derive.check.documents marks them). What can be proved is that a row follows from the
one before:

- solved for a variable (the stated one: the row's left side alone, `y'` or `x`, or y'
  when both rows hold it), both rows linear in it: the new row's solution is the old
  row's, proved by derive.verify (where the coefficient of the variable is not zero:
  dividing by it is what the author did);
- otherwise the new row is the old one rearranged: new = q·old on the differences of the
  sides, q a nonzero number, proved by derive.verify.

The verdict is "followed", "does not follow" (the solutions proved different) or "not
checked" with the reason. A row is failed only when it stands right below the row it is
compared with (the next row of the same display): across displays a new derivation may
have started, so a proved difference is reported as not checked, never as a failure.
y(x), y'(x) are stood in for by plain symbols while rows are compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from derive.check.chains import Chain, ChainLine
from derive.model import Status, Verdict

FOLLOWED = "followed"
DOES_NOT_FOLLOW = "does not follow"
NOT_CHECKED = "not checked"


@dataclass(frozen=True)
class Following:
    """How an equation row stands to the equation row before it (plain strings, so it
    crosses process boundaries)."""

    status: str  # FOLLOWED, DOES_NOT_FOLLOW or NOT_CHECKED
    from_line: int  # the line of the equation it is compared with
    how: str  # what was proved, or why nothing was

    def message(self) -> str:
        if self.status == FOLLOWED:
            return f"the equation follows from line {self.from_line}: {self.how}"
        if self.status == DOES_NOT_FOLLOW:
            return f"the equation does not follow from line {self.from_line}: {self.how}"
        return f"the equation is not checked against line {self.from_line}: {self.how}"


def equation_of(chain: Chain) -> tuple[ChainLine, ChainLine] | None:
    """(left, right) of the equation a chain states: an implicit-differentiation row, or
    an expression set to zero (`f'(x) = 2x - 2 = 0`); None for a chain of identities."""
    from derive.check.documents import IMPLICIT_EQUATION, SET_TO_ZERO

    if chain.skipped or len(chain.lines) < 2:
        return None
    first, second = chain.lines[0], chain.lines[1]
    if second.relation == IMPLICIT_EQUATION and first.expr is not None \
            and second.expr is not None:
        return first, second
    last, before = chain.lines[-1], chain.lines[-2]
    if last.relation == SET_TO_ZERO and before.expr is not None and last.expr is not None:
        return before, last
    return None


def follows(old: Chain, new: Chain, *, timeout: float) -> Following | None:
    """How `new`'s equation stands to `old`'s; None when either states no equation."""
    before, after = equation_of(old), equation_of(new)
    if before is None or after is None:
        return None
    adjacent = new.cell == old.cell and new.line == old.source[-1][0] + 1
    from_line = before[0].line
    plain = _Plain()
    old_difference = plain(before[0].expr) - plain(before[1].expr)
    new_difference = plain(after[0].expr) - plain(after[1].expr)
    variable = _stated_variable(plain(after[0].expr), old_difference, new_difference,
                                plain)
    from derive.timeout import attempt

    outcome = attempt(lambda: _compare(old_difference, new_difference, variable, plain,
                                       timeout), 4 * timeout, cpu=True)
    if outcome.value is None:
        why = ("comparing the rows did not finish in time" if outcome.timed_out
               else f"comparing the rows failed: {outcome.error}")
        return Following(NOT_CHECKED, from_line, why)
    status, how = outcome.value
    if status == DOES_NOT_FOLLOW and not adjacent:
        return Following(NOT_CHECKED, from_line, "not that equation solved or rearranged, "
                                                 "and it is in another display (perhaps "
                                                 "another derivation)")
    return Following(status, from_line, how)


class _Plain:
    """y(x) and its derivatives as plain real symbols (named y, y', y''), one per term."""

    def __init__(self) -> None:
        self.symbols: dict[sympy.Expr, sympy.Symbol] = {}

    def __call__(self, expr: sympy.Expr | None) -> sympy.Expr:
        assert expr is not None
        found = sorted((node for node in sympy.preorder_traversal(expr)
                        if isinstance(node, sympy.Derivative)
                        and isinstance(node.expr, sympy.core.function.AppliedUndef)),
                       key=lambda node: -sympy.count_ops(node))
        values = {}
        for node in found:
            values[node] = self.symbol(node, node.expr.func.__name__ + "'" * node.derivative_count)
        expr = expr.xreplace(values)
        calls = expr.atoms(sympy.core.function.AppliedUndef)
        return expr.xreplace({call: self.symbol(call, call.func.__name__) for call in calls})

    def symbol(self, node: sympy.Expr, name: str) -> sympy.Symbol:
        if node not in self.symbols:
            self.symbols[node] = sympy.Dummy(name, real=True)
        return self.symbols[node]

    def shown(self, expr: sympy.Expr) -> sympy.Expr:
        """The stand-ins by their names (y, y'), for the report only."""
        return expr.xreplace({symbol: sympy.Symbol(symbol.name, real=True)
                              for symbol in self.symbols.values()})

    def primes(self) -> list[sympy.Symbol]:
        """The stand-ins for derivatives (y', y''), the variables implicit rows solve for."""
        return [symbol for node, symbol in self.symbols.items()
                if isinstance(node, sympy.Derivative)]


def _stated_variable(left: sympy.Expr, old: sympy.Expr, new: sympy.Expr,
                     plain: _Plain) -> sympy.Symbol | None:
    """The variable the new row solves for: its left side alone (y' = ..., x = ...), or
    the one derivative both rows hold."""
    if isinstance(left, sympy.Symbol) and old.has(left):
        return left
    shared = [p for p in plain.primes() if old.has(p) and new.has(p)]
    return shared[0] if len(shared) == 1 else None


def _compare(old: sympy.Expr, new: sympy.Expr, variable: sympy.Symbol | None,
             plain: _Plain, timeout: float) -> tuple[str, str]:
    from derive.words.printer import to_text as printed

    def to_text(expr: sympy.Expr) -> str:
        return printed(plain.shown(expr))

    if variable is not None:
        solved = _linear_solution(old, variable), _linear_solution(new, variable)
        if solved[0] is not None and solved[1] is not None:
            verdict = _equal(solved[0], solved[1], timeout)
            name = to_text(variable)
            if verdict.status is Status.PROVED:
                return FOLLOWED, (f"both give {name} = {to_text(solved[1])} (proved: "
                                  f"{verdict.method}), where the factor of {name} is not zero")
            if verdict.status is Status.FAILED:
                where = (printed_point(verdict.counterexample.describe(), plain)
                         if verdict.counterexample else verdict.method)
                return DOES_NOT_FOLLOW, (f"the row before gives {name} = "
                                         f"{to_text(solved[0])}, this one {name} = "
                                         f"{to_text(solved[1])}; {where}")
            return NOT_CHECKED, f"comparing the solutions for {name}: {verdict.method}"
    factor = sympy.cancel(sympy.together(new / old)) if old != 0 else None
    if factor is not None and factor.is_number and factor != 0 and factor.is_finite:
        verdict = _equal(new, factor * old, timeout)
        if verdict.status is Status.PROVED:
            shown = "" if factor == 1 else f", times {to_text(factor)}"
            return FOLLOWED, f"the row before rearranged{shown} (proved: {verdict.method})"
    return NOT_CHECKED, ("neither solved for a variable both rows hold linearly nor the "
                         "row before rearranged")


def printed_point(text: str, plain: _Plain) -> str:
    """A counterexample's `at _y = 0.5` with the stand-ins by their names."""
    for symbol in plain.symbols.values():
        text = text.replace(str(symbol), symbol.name)
    return text


def _linear_solution(difference: sympy.Expr, variable: sympy.Symbol) -> sympy.Expr | None:
    """v in a·v + b = 0 (a not zero as an expression), or None when not linear in v."""
    try:
        poly = sympy.Poly(difference, variable)
    except (sympy.PolynomialError, sympy.GeneratorsNeeded):
        return None
    if poly.degree() != 1:
        return None
    a, b = poly.all_coeffs()
    if a == 0 or a.has(variable):
        return None
    return -b / a


def _equal(left: sympy.Expr, right: sympy.Expr, timeout: float) -> Verdict:
    from derive.verify import check_equal

    return check_equal(left, right, timeout=timeout)
