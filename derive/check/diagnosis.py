"""Feedback on a failed step that differentiates: what the derivative is, and the classic
mistake that reproduces the step exactly, when one does.

"d/dx tanh(x) = 1 - tanh(x)**2; the step says -tanh(x)**2" is the derivative derive took
for the line above. A named mistake is a claim proved by `derive.verify`: the derivative
with one rule replaced by its mistaken variant at one node (`derive.check.differentiate`)
is proved equal to the written step. A quick numeric look only picks which candidates are
worth a proof; it decides nothing, and a candidate the verifier does not prove is not named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import sympy

from derive.check.differentiate import (
    INNER,
    KINDS,
    POWER,
    PRODUCT,
    QUOTIENT,
    SIGN,
    WRONG_FUNCTION,
    Mistaken,
    Slip,
    mistaken_derivatives,
    value_of,
)
from derive.check.names import Name, fold, named_derivative, substitute

# Budgets by size, never by the clock: a derivative of a larger expression gets only the
# statement of its derivative, and only so many candidates are sent to the verifier.
MAX_NODES = 150
MAX_PROOFS = 8
# Pending derivatives on one line that are looked at (d/dx f + d/dx g has two).
MAX_DERIVATIVES = 3
# Numeric look: digits, and how close (relatively) a candidate must come at every point.
DIGITS = 15
CLOSE = 1e-9


@dataclass(frozen=True)
class Mistake:
    kind: str  # one of derive.check.differentiate.KINDS
    text: str  # `the step takes d/dx exp(-x) as exp(-x) (...); it is -exp(-x)`
    method: str  # how derive.verify proved the mistaken derivative equal to the step
    node: str  # the sub-expression differentiated the mistaken way

    def line(self) -> str:
        return f"{self.kind}: {self.text}"


@dataclass(frozen=True)
class Feedback:
    """What a report adds under a failed step that differentiates (plain strings, so it
    crosses process boundaries)."""

    derivative: str  # `d/dx tanh(x) = 1 - tanh(x)**2`
    step: str  # the step's value, printed the same way
    mistakes: tuple[Mistake, ...] = ()

    def lines(self) -> list[str]:
        """The derivative; the first mistake that gives the step; the others, in brief."""
        lines = [f"{self.derivative}; the step says {self.step}"]
        if self.mistakes:
            lines.append(self.mistakes[0].line())
        if len(self.mistakes) > 1:
            lines.append("the same step also comes from: " + "; ".join(
                f"{m.kind} (at {m.node})" for m in self.mistakes[1:]))
        return lines


def diagnose(previous: sympy.Expr, step: sympy.Expr, *, timeout: float,
             names: tuple[Name, ...] = (), step_names: tuple[Name, ...] = ()
             ) -> Feedback | None:
    """Feedback for `previous` (a line holding d/dx EXPR, or f'(2): d/dx f at a point) =
    `step`, a claim that failed; None when `previous` takes no derivative derive can take
    by the rules. `names` are the functions the line above calls by name, `step_names`
    those the step calls: the feedback writes their bodies back as those names
    (derive.check.names)."""
    pending = _outermost_derivatives(previous)
    if not pending or step.has(sympy.Derivative):
        return None
    shown = _Shown(names, previous)
    statements = []
    candidates: list[tuple[sympy.Expr, Slip, sympy.Symbol]] = []
    for node, at in pending:
        taken = _last_derivative(node)
        if taken is None:
            return None
        below, x, name = taken
        mistaken: list[Mistaken] = []
        if sympy.count_ops(below, visual=False) > MAX_NODES:
            right = value_of(node)
        else:
            right, mistaken = mistaken_derivatives(below, x)
        written = named_derivative(node.expr, x, right, names, timeout=timeout)
        statement = f"{shown.name(name)} {shown(node.expr)} = {shown(written)}"
        if at is not None:  # f'(2): the derivative, then its value there
            point = dict(zip(at.variables, at.point, strict=True))
            there = value_of(right).subs(point)
            where = ", ".join(f"{shown(v)} = {shown(p)}" for v, p in point.items())
            statement += f", at {where}: {shown(there)}"
        statements.append(statement)
        whole = at if at is not None else node
        candidates += [(_whole(previous, whole, _at(at, wrong)), slip, x)
                       for wrong, slip in _pairs(mistaken)]
    mistakes = _proved(candidates, step, timeout, shown)
    return Feedback("; ".join(statements), _Shown(step_names, previous)(step), mistakes)


def _at(at: sympy.Subs | None, wrong: sympy.Expr) -> sympy.Expr:
    """A mistaken derivative, taken at the point when the line takes it at one."""
    if at is None:
        return wrong
    return wrong.subs(dict(zip(at.variables, at.point, strict=True)))


class _Shown:
    """How feedback prints an expression: by the document's names (σ(x), not its body),
    and a placeholder variable (f'(2) is d/dx f(x) at x = 2) by its own name."""

    def __init__(self, names: tuple[Name, ...], previous: sympy.Expr) -> None:
        self.names = names
        taken = {symbol.name for symbol in previous.free_symbols
                 if not isinstance(symbol, sympy.Dummy)}
        self.plain = {dummy: sympy.Symbol(dummy.name if dummy.name not in taken else "t",
                                          **dummy.assumptions0)
                      for dummy in previous.atoms(sympy.Dummy)}

    def __call__(self, expr: sympy.Expr) -> str:
        from derive.words.printer import to_text

        return to_text(substitute(fold(expr, self.names), self.plain))

    def name(self, operator: str) -> str:
        """`d/d_x` of a placeholder as `d/dx`."""
        for dummy, plain in self.plain.items():
            operator = operator.replace(f"d{dummy}", f"d{plain}")
        return operator


def _outermost_derivatives(expr: sympy.Expr) -> list[tuple[sympy.Derivative, sympy.Subs | None]]:
    """The derivatives a line takes, each with the point it is taken at (f'(2)) or None."""
    found: list[tuple[sympy.Derivative, sympy.Subs | None]] = []

    def walk(node: sympy.Basic) -> None:
        if isinstance(node, sympy.Subs) and isinstance(node.expr, sympy.Derivative):
            found.append((node.expr, node))
            return
        if isinstance(node, sympy.Derivative):
            found.append((node, None))
            return
        for arg in node.args:
            walk(arg)

    walk(expr)
    return found if len(found) <= MAX_DERIVATIVES else []


def _last_derivative(node: sympy.Derivative) -> tuple[sympy.Expr, sympy.Symbol, str] | None:
    """(what the last differentiation applies to, its variable, `d/dx` or `d^2/dx^2`)."""
    pairs = node.variable_count
    if len(pairs) != 1 or not isinstance(pairs[0][0], sympy.Symbol) or not pairs[0][1].is_Integer:
        return None
    x, count = pairs[0][0], int(pairs[0][1])
    below = value_of(node.expr)
    if count > 1:
        below = value_of(sympy.Derivative(below, (x, count - 1)))
    name = f"d/d{x}" if count == 1 else f"d^{count}/d{x}^{count}"
    return below, x, name


def _pairs(mistaken: list[Mistaken]) -> list[tuple[sympy.Expr, Slip]]:
    # outermost nodes first: of two nodes whose sign slip gives the same step, the report
    # names the larger (the whole derivative negated rather than d/dx (-x) taken as 1)
    return [(item.derivative, item.slip) for item in reversed(mistaken)]


def _whole(previous: sympy.Expr, node: sympy.Expr, wrong: sympy.Expr) -> sympy.Expr:
    """The value of the whole line with this one derivative taken the mistaken way."""
    if previous == node:
        return wrong
    return value_of(previous.xreplace({node: wrong}))


def _proved(candidates: list[tuple[sympy.Expr, Slip, sympy.Symbol]], step: sympy.Expr,
            timeout: float, shown: _Shown) -> tuple[Mistake, ...]:
    """One mistake per kind whose derivative derive.verify proves equal to the step."""
    from derive.model import Status
    from derive.verify import check_equal

    look = _Look(step, [value for value, _, _ in candidates])
    found: dict[str, Mistake] = {}
    methods: dict[sympy.Expr, str | None] = {}  # candidate -> how it was proved, or None
    for value, slip, x in candidates:
        if slip.kind in found or not look.close(value):
            continue
        if value not in methods:
            if len(methods) >= MAX_PROOFS:
                continue
            verdict = check_equal(value, step, timeout=timeout)
            methods[value] = verdict.method if verdict.status is Status.PROVED else None
        method = methods[value]
        if method is not None:
            found[slip.kind] = Mistake(slip.kind, describe(_named(slip, x, shown, timeout),
                                                           shown, shown.name(f"d/d{x}")),
                                       method, shown(slip.node))
    return tuple(found[kind] for kind in KINDS if kind in found)


def _named(slip: Slip, x: sympy.Symbol, shown: _Shown, timeout: float) -> Slip:
    """The slip with its right derivative by the document's names where the node is a
    named function (d/dx softplus(x) is σ(x)), and a sign error as that, negated."""
    if not shown.names:
        return slip
    right = named_derivative(slip.node, x, slip.right, shown.names, timeout=timeout)
    if right is slip.right:
        return slip
    wrong = sympy.Mul(-1, right, evaluate=False) if slip.kind == SIGN else slip.wrong
    return replace(slip, right=right, wrong=wrong)


class _Look:
    """The step's values at a few points, to skip candidates that plainly differ."""

    def __init__(self, step: sympy.Expr, candidates: list[sympy.Expr]) -> None:
        symbols = sorted(set().union(step.free_symbols, *(c.free_symbols for c in candidates)),
                         key=str)
        self.points = [{s: _value(s, i, j) for j, s in enumerate(symbols)} for i in range(3)]
        self.step = [_number(step, point) for point in self.points]

    def close(self, candidate: sympy.Expr) -> bool:
        compared = 0
        for point, expected in zip(self.points, self.step, strict=True):
            if expected is None:
                continue
            got = _number(candidate, point)
            if got is None:
                continue
            if abs(got - expected) > CLOSE * max(1.0, abs(expected)):
                return False
            compared += 1
        return compared > 0


def _value(symbol: sympy.Symbol, point: int, column: int) -> sympy.Rational:
    """A point that respects the symbol's assumptions (positive, negative, integer)."""
    if symbol.is_integer:
        return sympy.Integer((2, 3, 5)[point] + column)
    magnitude = sympy.Rational((37, 129, 211)[point] + 17 * column, 100)
    if symbol.is_negative or symbol.is_nonpositive:
        return -magnitude
    if symbol.is_positive or symbol.is_nonnegative:
        return magnitude
    return magnitude if point != 1 else -magnitude


def _number(expr: sympy.Expr, point: dict[sympy.Symbol, sympy.Rational]) -> complex | None:
    try:
        value = expr.evalf(DIGITS, subs=point)
    except Exception:  # a value SymPy cannot compute here: this point tells nothing
        return None
    if not value.is_number or not value.is_finite:
        return None
    try:
        number = complex(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None


# -- words ------------------------------------------------------------------------------

def describe(slip: Slip, shown: Callable[[sympy.Expr], str] | None = None,
             operator: str = "d/dx") -> str:
    """`the step takes d/dx NODE as WRONG (what went wrong); it is RIGHT`."""
    from derive.words.printer import to_text

    text = shown or to_text
    node, wrong, right = text(slip.node), text(slip.wrong), text(slip.right)
    return f"the step takes {operator} {node} as {wrong} ({_detail(slip, text)}); it is {right}"


def _detail(slip: Slip, text: Callable[[sympy.Expr], str]) -> str:
    parts = [text(part) for part in slip.parts]
    if slip.kind == INNER:
        return f"without the chain rule's factor, the derivative of {parts[0]}"
    if slip.kind == QUOTIENT:
        return f"(u v' - u' v)/v^2 with u = {parts[0]}, v = {parts[1]}"
    if slip.kind == POWER:
        lowered = text(slip.node.exp - 1)
        return f"the power rule with exponent {parts[0]} instead of {lowered}"
    if slip.kind == PRODUCT and slip.about is not None:
        return f"the product rule's term with the derivative of {text(slip.about)} dropped"
    if slip.kind == WRONG_FUNCTION:
        return (f"the derivative of {text(slip.about)}" if slip.about is not None
                else "a misremembered table entry")
    if slip.kind == SIGN:
        return "the sign flipped"
    return slip.kind
