"""Single-mistake wrong derivative steps, generated: the measure of derive check's feedback.

The wrong steps are made here, independently of derive.check.differentiate: each mistake
class is a hand-written mistaken formula for one node of the function, and the whole
wrong derivative follows from the chain rule written out by SymPy,

    f' with node n differentiated as w  =  f' + (dF/dn)(w - n'),

where F is f with n replaced by a fresh symbol (n occurs once in f). The functions are
derive's catalog and 100 textbook exercises (tests/data/exercises: OpenStax Calculus 1 and
APEX Calculus). For each function, class, node where the class applies (SymPy's preorder)
and mistaken formula, one wrong step, kept when it really differs from f'.

`cases()` is every such step; `sample(n)` a deterministic share of them spread over the
classes, for a test with a bounded run time; `outcomes(cases)` what derive's diagnosis
names for each step the check fails; `reproduces(case, kind)` whether this generator's own
formulas for `kind`, at some node, give the step (proved by derive.verify): a diagnosis
that names a kind for which it is false names a mistake that does not reproduce the step.
Used by tests/test_diagnosis.py and bench/bench_diagnosis.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import sympy
from exercises import textbook

from derive.check.diagnosis import diagnose
from derive.check.differentiate import (
    INNER,
    POWER,
    PRODUCT,
    QUOTIENT,
    SIGN,
    WRONG_FUNCTION,
)
from derive.model import Status
from derive.parse.catalog import entries
from derive.parse.expression import parse_expression
from derive.verify import check_equal

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


def functions() -> list[tuple[str, sympy.Expr, sympy.Symbol]]:
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
    """Every single-mistake step: each function, class, node where it applies, formula."""
    made = []
    for name, f, x in functions():
        right = sympy.diff(f, x)
        nodes = _nodes_once(f, x)
        for kind in CLASSES:
            seen: set[sympy.Expr] = set()  # per class: one step may come from two classes
            for node in nodes + ([f] if f not in nodes else []):
                for local in _local_mistakes(kind, node, x):
                    wrong = _wrong_derivative(f, x, node, local)
                    if wrong not in seen and _differs(wrong, right, x):
                        seen.add(wrong)
                        made.append(Case(name, f, x, kind, node, wrong))
    return tuple(made)


def sample(size: int) -> tuple[Case, ...]:
    """`size` cases at most, evenly spread over each class's cases (deterministic)."""
    by_class = {kind: [case for case in cases() if case.kind == kind] for kind in CLASSES}
    total = sum(len(group) for group in by_class.values())
    chosen: list[Case] = []
    for group in by_class.values():
        share = max(1, round(size * len(group) / total)) if group else 0
        stride = max(1, len(group) // share) if share else 1
        chosen += group[::stride][:share]
    return tuple(chosen)


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


def outcomes(made: tuple[Case, ...]) -> tuple[tuple[Case, tuple[str, ...]], ...]:
    """(case, the kinds its diagnosis names) for each case the check fails."""
    found = []
    for case in made:
        verdict = check_equal(sympy.diff(case.f, case.x), case.wrong, timeout=TIMEOUT)
        if verdict.status is not Status.FAILED:  # only steps the check fails get feedback
            continue
        feedback = diagnose(sympy.Derivative(case.f, case.x), case.wrong, timeout=TIMEOUT)
        kinds = tuple(m.kind for m in feedback.mistakes) if feedback is not None else ()
        found.append((case, kinds))
    return tuple(found)



def false_names(results: tuple[tuple[Case, tuple[str, ...]], ...]) -> list[tuple[str, ...]]:
    """(function, class made, class named, step) for each named class that does not
    reproduce the step by this generator's formulas."""
    return [(case.name, case.kind, kind, str(case.wrong)) for case, kinds in results
            for kind in kinds if kind != case.kind and not reproduces(case, kind)]


@cache
def two_mistakes() -> tuple[Case, ...]:
    """Steps with two mistakes of different classes at once, one per function: no single
    mistake explains them (mostly), so a diagnosis that names one must be proved to
    reproduce the step."""
    by_function: dict[str, list[Case]] = {}
    for case in cases():
        group = by_function.setdefault(case.name, [])
        if all(case.kind != other.kind for other in group):  # the first case of each class
            group.append(case)
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


def derive_text(case: Case) -> str:
    """The step as a user writes it in a .derive file: a catalog function by its name
    (`let gelu(x) = ...`, then `d/dx gelu(x)`), a textbook function as it stands."""
    x = case.x
    catalog = {entry.name for entry in entries()}
    wrong = sympy.sstr(case.wrong)
    if case.name in catalog:
        return (f"let {case.name}({x}) = {sympy.sstr(case.f)}\n"
                f"d/d{x} {case.name}({x})\n  = {wrong}\n")
    return f"d/d{x} {sympy.sstr(case.f)}\n  = {wrong}\n"


def through_check(made: tuple[Case, ...]) -> tuple[tuple[Case, tuple[str, ...]], ...]:
    """Like `outcomes`, but each step written as a .derive file and checked the way
    `derive check` does (read, check, feedback from the runner). A step the file format
    cannot hold (a number too long to write) is left out."""
    from derive.check.chains import FileProblemError
    from derive.check.derive_format import parse_derive
    from derive.check.runner import check_chain

    found = []
    for case in made:
        try:
            chain = parse_derive(derive_text(case), "generated.derive")[0]
        except FileProblemError:
            continue
        step = check_chain(chain, timeout=TIMEOUT).steps[0]
        if step.status is not Status.FAILED:
            continue
        feedback = step.feedback
        found.append((case, tuple(m.kind for m in feedback.mistakes) if feedback else ()))
    return tuple(found)
