"""Feedback on wrong derivative steps: generated single-mistake steps get the right diagnosis.

The wrong steps are made here, independently of derive.check.differentiate: each mistake
class is a hand-written mistaken formula for one node of the function, and the whole
wrong derivative follows from the chain rule written out by SymPy,

    f' with node n differentiated as w  =  f' + (dF/dn)(w - n'),

where F is f with n replaced by a fresh symbol (n occurs once in f). The functions are the
catalog and 100 textbook exercises (tests/data/exercises, OpenStax Calculus 1 and APEX
Calculus). For each (function, class), the first node where the class applies (in SymPy's
preorder) gives one wrong step, when it really is wrong (derive.verify fails it).

Measured: the share of wrong steps whose diagnosis names the class that made them (the
target is 90%), and that every class a diagnosis names reproduces the step by this
generator's own formulas, proved by derive.verify (the target is no exception at all), also
on steps with two mistakes at once, which no single mistake should explain.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import pytest
import sympy
from exercises import textbook

from derive.check.diagnosis import diagnose
from derive.model import Status
from derive.parse.catalog import entries
from derive.parse.expression import parse_expression
from derive.verify import check_equal

# The class names are the report's contract (derive.check.differentiate.KINDS).
SIGN = "sign error"
INNER = "chain rule: inner derivative left out"
QUOTIENT = "quotient rule: numerator reversed"
POWER = "power rule off by one"
PRODUCT = "product rule: term dropped"
WRONG_FUNCTION = "derivative of the wrong function"
CLASSES = (SIGN, INNER, QUOTIENT, POWER, PRODUCT, WRONG_FUNCTION)
TEXTBOOK_FUNCTIONS = 100
TIMEOUT = 2.0

Y = sympy.Symbol("y")  # stands for the node while dF/dn is taken



# Wrong derivatives students write for f(u), as functions of u (classic errors): another
# function's derivative (sin for cos), a dropped sign or square, -tanh^2 for tanh'.
_T = sympy.Symbol("t")
WRONG_TABLE = {
    sympy.cos: [sympy.sin(_T), sympy.cos(_T)],
    sympy.sin: [-sympy.cos(_T), -sympy.sin(_T)],
    sympy.tan: [sympy.sec(_T), 1 - sympy.tan(_T) ** 2],
    sympy.tanh: [-sympy.tanh(_T) ** 2, 1 + sympy.tanh(_T) ** 2],
    sympy.sinh: [sympy.sinh(_T)],
    sympy.cosh: [sympy.cosh(_T)],
    sympy.exp: [_T * sympy.exp(_T - 1)],
    sympy.sec: [sympy.sec(_T) ** 2],
    sympy.asin: [-1 / sympy.sqrt(1 - _T ** 2)],
    sympy.acos: [1 / sympy.sqrt(1 - _T ** 2)],
    sympy.atan: [-1 / (1 + _T ** 2)],
}


def _local_mistakes(kind: str, node: sympy.Expr, x: sympy.Symbol) -> list[sympy.Expr]:
    """What d/dx node becomes under one mistake of this kind (empty: it does not apply)."""
    d = sympy.diff(node, x)
    if kind == SIGN:
        return [-d] if d != 0 else []
    if kind == INNER:
        if node.is_Pow and node.exp.is_number and node.base != x and node.base.has(x):
            return [node.exp * node.base ** (node.exp - 1)]
        if node.is_Pow and node.base.is_number and node.exp != x and node.exp.has(x):
            return [node * sympy.log(node.base)]
        if isinstance(node, sympy.Function) and len(node.args) == 1 and node.args[0] != x \
                and node.args[0].has(x) and node.func in _OUTER_TABLE:
            return [_OUTER_TABLE[node.func](node.args[0])]
        return []
    if kind == QUOTIENT:
        u, v = _quotient(node, x)
        if v is None:
            return []
        return [(u * sympy.diff(v, x) - sympy.diff(u, x) * v) / v ** 2]
    if kind == POWER:
        if node.is_Pow and node.exp.is_number and node.base.has(x):
            n, b = node.exp, node.base
            return [n * b ** n * sympy.diff(b, x), n * b ** (n - 2) * sympy.diff(b, x)]
        return []
    if kind == PRODUCT:
        if not node.is_Mul or _quotient(node, x)[1] is not None:
            return []
        factors = [f for f in node.args if f.has(x)]
        if len(factors) < 2:
            return []
        constant = sympy.Mul(*[f for f in node.args if not f.has(x)])
        out = []
        for drop in range(len(factors)):
            kept = [constant * sympy.Mul(*factors[:i], sympy.diff(factors[i], x), *factors[i + 1:])
                    for i in range(len(factors)) if i != drop]
            out.append(sympy.Add(*kept))
        return out
    if kind == WRONG_FUNCTION:
        if isinstance(node, sympy.Function) and len(node.args) == 1 and node.func in WRONG_TABLE:
            u = node.args[0]
            return [w.subs(_T, u) * sympy.diff(u, x) for w in WRONG_TABLE[node.func]]
        return []
    raise AssertionError(kind)


# f'(u) by hand, for the chain rule's outer factor
_OUTER_TABLE = {
    sympy.sin: sympy.cos, sympy.cos: lambda u: -sympy.sin(u), sympy.exp: sympy.exp,
    sympy.log: lambda u: 1 / u, sympy.tan: lambda u: 1 + sympy.tan(u) ** 2,
    sympy.tanh: lambda u: 1 - sympy.tanh(u) ** 2, sympy.sinh: sympy.cosh,
    sympy.cosh: sympy.sinh, sympy.atan: lambda u: 1 / (1 + u ** 2),
    sympy.asin: lambda u: 1 / sympy.sqrt(1 - u ** 2), sympy.acos: lambda u: -1 / sympy.sqrt(1 - u ** 2),
    sympy.sec: lambda u: sympy.sec(u) * sympy.tan(u), sympy.cot: lambda u: -1 - sympy.cot(u) ** 2,
    sympy.csc: lambda u: -sympy.csc(u) * sympy.cot(u), sympy.erf:
        lambda u: 2 * sympy.exp(-u ** 2) / sympy.sqrt(sympy.pi),
}


def _quotient(node: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr | None]:
    """(u, v) when node is u/v with v depending on x (a factor with a negative power)."""
    if node.is_Pow and node.exp.is_number and node.exp < 0 and node.base.has(x):
        return sympy.S.One, node.base ** -node.exp
    if not node.is_Mul:
        return node, None
    below = [f for f in node.args if f.is_Pow and f.exp.is_number and f.exp < 0 and f.base.has(x)]
    if not below:
        return node, None
    above = sympy.Mul(*[f for f in node.args if f not in below])
    return above, sympy.Mul(*[f.base ** -f.exp for f in below])


def _nodes_once(f: sympy.Expr, x: sympy.Symbol) -> list[sympy.Expr]:
    """Sub-expressions depending on x that occur exactly once in f, in preorder."""
    seen: dict[sympy.Expr, int] = {}
    order = []
    for node in sympy.preorder_traversal(f):
        if isinstance(node, sympy.Expr) and node.has(x) and node != x:
            seen[node] = seen.get(node, 0) + 1
            if seen[node] == 1:
                order.append(node)
    return [node for node in order if seen[node] == 1]


def _wrong_derivative(f: sympy.Expr, x: sympy.Symbol, node: sympy.Expr,
                      local: sympy.Expr) -> sympy.Expr:
    F = f.xreplace({node: Y})
    dF = sympy.diff(F, Y).xreplace({Y: node})
    return sympy.diff(f, x) + dF * (local - sympy.diff(node, x))


@dataclass(frozen=True)
class Case:
    name: str
    f: sympy.Expr
    x: sympy.Symbol
    kind: str
    node: sympy.Expr
    wrong: sympy.Expr


def _differs(a: sympy.Expr, b: sympy.Expr, x: sympy.Symbol) -> bool:
    rng = random.Random(7)
    for _ in range(4):
        point = {s: sympy.Rational(rng.randint(20, 180), 100) for s in (a - b).free_symbols}
        try:
            va, vb = complex(a.evalf(20, subs=point)), complex(b.evalf(20, subs=point))
        except (TypeError, ValueError):
            continue
        if abs(va - vb) > 1e-6 * max(1, abs(va)):
            return True
    return False


def _functions() -> list[tuple[str, sympy.Expr, sympy.Symbol]]:
    found = []
    for entry in entries():
        f, x, _ = entry.build()
        found.append((entry.name, f, x))
    chosen = [case for case in textbook()
              if any(ch.isalpha() for ch in case.text.replace(case.variable, ""))
              or "/" in case.text or "**" in case.text]
    step = max(1, len(chosen) // TEXTBOOK_FUNCTIONS)
    for case in chosen[::step][:TEXTBOOK_FUNCTIONS]:
        x = sympy.Symbol(case.variable, real=True)
        found.append((case.id, parse_expression(case.text, symbols={case.variable: x}), x))
    return found


@cache
def cases() -> tuple[Case, ...]:
    made = []
    for name, f, x in _functions():
        right = sympy.diff(f, x)
        for kind in CLASSES:
            for node in _nodes_once(f, x) + ([f] if f not in _nodes_once(f, x) else []):
                locals_ = _local_mistakes(kind, node, x)
                wrong = next((w for w in (_wrong_derivative(f, x, node, local)
                                          for local in locals_) if _differs(w, right, x)), None)
                if wrong is not None:
                    made.append(Case(name, f, x, kind, node, wrong))
                    break
    return tuple(made)


def reproduces(case: Case, kind: str) -> bool:
    """Does this generator's own `kind` formula, at some node of f, give the wrong step?"""
    f, x = case.f, case.x
    for node in [*_nodes_once(f, x), f]:
        for local in _local_mistakes(kind, node, x):
            candidate = _wrong_derivative(f, x, node, local)
            if not _differs(candidate, case.wrong, x) and check_equal(
                    candidate, case.wrong, timeout=TIMEOUT).status is Status.PROVED:
                return True
    return False


@cache
def outcomes() -> tuple[tuple[Case, tuple[str, ...]], ...]:
    found = []
    for case in cases():
        verdict = check_equal(sympy.diff(case.f, case.x), case.wrong, timeout=TIMEOUT)
        if verdict.status is not Status.FAILED:  # only steps the check fails get feedback
            continue
        feedback = diagnose(sympy.Derivative(case.f, case.x), case.wrong, timeout=TIMEOUT)
        kinds = tuple(m.kind for m in feedback.mistakes) if feedback is not None else ()
        found.append((case, kinds))
    return tuple(found)


def test_the_generator_covers_every_class_over_enough_functions():
    made = cases()
    by_class = {kind: sum(1 for case in made if case.kind == kind) for kind in CLASSES}
    assert len(_functions()) >= len(entries()) + TEXTBOOK_FUNCTIONS
    assert all(count >= 10 for count in by_class.values()), by_class


def test_at_least_90_percent_of_single_mistake_steps_get_the_right_diagnosis():
    results = outcomes()
    assert len(results) >= 300
    right = [case for case, kinds in results if case.kind in kinds]
    missed = [(case.name, case.kind, str(case.node)) for case, kinds in results
              if case.kind not in kinds]
    share = len(right) / len(results)
    assert share >= 0.9, f"{share:.1%} right; missed: {missed[:20]}"


def test_every_named_mistake_reproduces_the_step():
    wrong_names = []
    for case, kinds in outcomes():
        for kind in kinds:
            if kind != case.kind and not reproduces(case, kind):
                wrong_names.append((case.name, case.kind, kind, str(case.wrong)))
    assert wrong_names == []


@cache
def two_mistakes() -> tuple[Case, ...]:
    """Steps with two mistakes of different classes at once: no single mistake explains
    them (mostly), so a diagnosis that names one must be proved to reproduce the step."""
    by_function: dict[str, list[Case]] = {}
    for case in cases():
        by_function.setdefault(case.name, []).append(case)
    made = []
    for name, group in by_function.items():
        for first, second in pairwise(group):
            right = sympy.diff(first.f, first.x)
            wrong = first.wrong + second.wrong - right
            if _differs(wrong, right, first.x) and _differs(wrong, first.wrong, first.x) \
                    and _differs(wrong, second.wrong, first.x):
                made.append(Case(name, first.f, first.x, f"{first.kind} + {second.kind}",
                                 first.node, wrong))
                break
    return tuple(made)


def test_a_step_with_two_mistakes_is_never_given_a_mistake_that_does_not_reproduce_it():
    made = two_mistakes()
    assert len(made) >= 50
    wrong_names = []
    for case in made:
        feedback = diagnose(sympy.Derivative(case.f, case.x), case.wrong, timeout=TIMEOUT)
        assert feedback is not None
        for mistake in feedback.mistakes:
            if not reproduces(case, mistake.kind):
                wrong_names.append((case.name, case.kind, mistake.kind, str(case.wrong)))
    assert wrong_names == []


def test_the_derivative_is_stated_with_the_step():
    x = sympy.Symbol("x", real=True)
    feedback = diagnose(sympy.Derivative(sympy.tanh(x), x), -sympy.tanh(x) ** 2, timeout=TIMEOUT)
    assert feedback is not None
    assert feedback.lines()[0] == "d/dx tanh(x) = 1 - tanh(x)**2; the step says -tanh(x)**2"
    assert [m.kind for m in feedback.mistakes] == [WRONG_FUNCTION]


def test_a_wrong_step_no_single_mistake_explains_names_none():
    x = sympy.Symbol("x", real=True)
    feedback = diagnose(sympy.Derivative(sympy.tanh(x), x), sympy.sin(x), timeout=TIMEOUT)
    assert feedback is not None
    assert feedback.mistakes == ()
    assert feedback.lines() == ["d/dx tanh(x) = 1 - tanh(x)**2; the step says sin(x)"]


@pytest.mark.parametrize("name", [entry.name for entry in entries()])
def test_the_rules_give_sympys_derivative_on_the_catalog(name):
    from derive.check.differentiate import derivative

    f, x, _ = next(e for e in entries() if e.name == name).build()
    assert check_equal(derivative(f, x), sympy.diff(f, x)).status in (Status.PROVED,
                                                                     Status.CHECKED)
