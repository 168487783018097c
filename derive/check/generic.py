"""Steps about functions the document leaves unnamed: `f`, `g`, `h`, `u`, `v`, and `y` as a
function of x (implicit differentiation).

A document states rules for *any* function: `\\frac{d}{dx} f(g(x)) = f'(g(x)) g'(x)`,
`\\frac{d}{dx}(\\sin y) = \\cos y \\cdot y'`. Such a name is read as a SymPy undefined
function. Its step is

- **proved** only when derive.verify proves the two sides equal as written, with the
  functions left unknown (the verifier decides such sides symbolically, never at points);
- **failed** when the claim is false for one concrete choice of the functions: a rule for
  every function that fails for one is false, and derive.verify proves the instance's two
  sides differ. The verdict names the functions it took. This is tried only for a step
  that applies an operation (a derivative, limit or integral) and names the same unknown
  functions on both sides: `\\frac{dF}{dx} = f` (F an antiderivative of f, said in prose)
  names two and is never failed;
- otherwise undecided.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy
from sympy.core.function import AppliedUndef

from derive.check.chains import ChainLine
from derive.model import Status, Verdict

# Concrete functions put in for unknown ones, one per name: smooth and positive everywhere
# (a quotient rule's g(x) != 0 holds), and with no simple relation between them or their
# derivatives, so a wrong rule does not happen to hold for them.
_SHAPES: tuple[Callable[[sympy.Expr], sympy.Expr], ...] = (
    lambda t: sympy.exp(t / 3) + t**2 / 5 + 1,
    lambda t: sympy.exp(-t / 2) + t**2 / 7 + 2,
    lambda t: sympy.exp(t / 5) + t**4 / 11 + 3,
    lambda t: sympy.exp(-t / 7) + t**2 / 3 + sympy.Rational(3, 2),
)


def unknown_functions(expr: sympy.Expr) -> set[sympy.FunctionClass]:
    """The undefined functions `expr` names, inside derivatives and substitutions too."""
    return {node.func for node in expr.atoms(AppliedUndef)}


def applies_operation(expr: sympy.Expr) -> bool:
    """Does `expr` hold an operation still to take (not just y'(x), which is a name)?"""
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Limit, sympy.Integral, sympy.Sum, sympy.Product)):
            return True
        if isinstance(node, sympy.Derivative) and not _atomic(node):
            return True
    return False


def _atomic(derivative: sympy.Derivative) -> bool:
    """y'(x), ∂f/∂x (f(x, y)): the derivative of an unknown function at its own variables,
    a name and not an operation (f(g(x))' is an operation: the chain rule)."""
    inner = derivative.expr
    return (isinstance(inner, AppliedUndef) and all(arg.is_Symbol for arg in inner.args)
            and set(derivative.variables) <= set(inner.args))


def instance(expr: sympy.Expr, functions: dict[sympy.FunctionClass, int]) -> tuple[sympy.Expr, str]:
    """`expr` with each unknown function (by its number of arguments) replaced by a
    concrete one, and how to say which."""
    said = []
    replaced = _as_substitutions(expr)
    for index, (function, arity) in enumerate(functions.items()):
        points = sympy.symbols(f"t0:{arity}", real=True)
        shape = _SHAPES[index % len(_SHAPES)]
        body = shape(sum(points[1:], points[0]) if arity > 1 else points[0])
        replaced = replaced.replace(function, sympy.Lambda(points, body))
        shown = ", ".join(str(p) for p in points)
        said.append(f"{function}({shown}) = {sympy.sstr(body)}")
    return replaced.doit(), "; ".join(said)


def _as_substitutions(expr: sympy.Expr) -> sympy.Expr:
    """Derivatives with respect to a function's value (SymPy's d f(g(x)) / d g(x)) as
    f'(t) at t = g(x), so that g can be replaced by a concrete function."""
    def by_value(node: sympy.Basic) -> bool:
        return isinstance(node, sympy.Derivative) and any(
            not v.is_Symbol for v in node.variables)

    def substituted(node: sympy.Derivative) -> sympy.Expr:
        body = node.expr
        points = []
        orders = []
        for variable, order in node.variable_count:
            if variable.is_Symbol:
                orders.append((variable, order))
                continue
            point = sympy.Dummy("t", real=True)
            body = body.subs(variable, point)
            points.append((point, variable))
            orders.append((point, order))
        return sympy.Subs(sympy.Derivative(body, *orders), [p for p, _ in points],
                          [v for _, v in points])

    return expr.replace(by_value, substituted)


def _constant(expr: sympy.Expr, names: set[str]) -> sympy.Expr:
    """`expr` with the unknown functions `names` (y(x)) taken as constants (y)."""
    calls = {call: sympy.Symbol(str(call.func), real=True)
             for call in expr.atoms(AppliedUndef) if str(call.func) in names}
    return expr.subs(calls).doit() if calls else expr


def _highest_orders(expr: sympy.Expr) -> dict[sympy.FunctionClass, int]:
    """The highest derivative of each unknown function in `expr` (0: the function itself)."""
    orders: dict[sympy.FunctionClass, int] = {}
    for call in expr.atoms(AppliedUndef):
        orders[call.func] = max(orders.get(call.func, 0), 0)
    for derivative in expr.atoms(sympy.Derivative):
        for call in derivative.expr.atoms(AppliedUndef):
            order = sum(count for _, count in derivative.variable_count)
            orders[call.func] = max(orders.get(call.func, 0), order)
    return orders


def _substitutes(left: sympy.Expr, right: sympy.Expr) -> bool:
    """`d/dx(y') = d/dx(-x/y)`: the same derivative taken of operands that differ in the
    order of an unknown function's derivatives. Such operands cannot be equal for every
    function, so the step substitutes an equation the text stated (y' = -x/y) inside the
    operation: an instance cannot refute it. (d/dx sin y = cos y is still refuted.)"""
    if not (isinstance(left, sympy.Derivative) and isinstance(right, sympy.Derivative)):
        return False
    variables = {v for v, _ in left.variable_count} | {v for v, _ in right.variable_count}
    if len(variables) != 1:
        return False
    order = sum(c for _, c in right.variable_count)
    excess = sum(c for _, c in left.variable_count) - order
    if excess < 0:
        return False
    # d/dx(y') arrives as y'' (SymPy joins the derivatives): the operand is y'
    operand = left.expr if not excess else sympy.Derivative(left.expr, (variables.pop(), excess))
    before, after = _highest_orders(operand), _highest_orders(right.expr)
    # y' replaced by what an equation gives for it: the order falls, and nowhere rises
    return any(after.get(f, 0) < order for f, order in before.items() if order) and all(
        after[f] <= before.get(f, 0) for f in after)


def compare(left: sympy.Expr, right: sympy.Expr, written: tuple[ChainLine, ChainLine] | None,
            timeout: float) -> Verdict | None:
    """A verdict for a step whose sides name unknown functions; None when they name none.
    `left` and `right` are the values (operations taken where SymPy could), `written` the
    two lines as read (to tell a rule from a statement such as F' = f)."""
    from derive.verify import check_equal

    # most steps name no unknown function: `has` says so without building the sets
    if not (left.has(AppliedUndef) or right.has(AppliedUndef)):
        return None
    named = unknown_functions(left) | unknown_functions(right)
    pending = (left, right)
    if written is not None and written[0].expr is not None and written[1].expr is not None:
        pending = (written[0].expr, written[1].expr)
    refutable = written is None or (written[0].instances and written[1].instances)
    names = sorted(named, key=str)
    arity = {node.func: len(node.args)
             for node in (left.atoms(AppliedUndef) | right.atoms(AppliedUndef))}
    functions = {name: arity[name] for name in names}
    same = unknown_functions(pending[0]) == unknown_functions(pending[1])
    substitutes = _substitutes(*pending)
    dependent = set(written[0].dependent) if written is not None else set()
    if refutable and same and any(applies_operation(side) for side in pending) and not (
            substitutes):
        from derive.timeout import attempt

        outcome = attempt(lambda: (instance(left, functions), instance(right, functions)),
                          timeout, cpu=True)
        concrete = outcome.value if not outcome.timed_out else None
        if concrete is not None and not (unknown_functions(concrete[0][0])
                                         or unknown_functions(concrete[1][0])):
            (concrete_left, said), (concrete_right, _) = concrete
            verdict = check_equal(concrete_left, concrete_right, timeout=timeout)
            if verdict.status is Status.FAILED and dependent:
                # y under d/dx may be meant as a constant: fail only when that reading
                # fails too
                constant = _constant(left, dependent), _constant(right, dependent)
                if check_equal(*constant, timeout=timeout).status is not Status.FAILED:
                    verdict = Verdict(Status.UNDECIDED, "unknown functions")
            if verdict.status is Status.FAILED:
                return Verdict(Status.FAILED, f"an instance: {verdict.method}",
                               verdict.counterexample,
                               f"false for {said}" + (f": {verdict.detail}" if verdict.detail
                                                       else ""))
    verdict = check_equal(left, right, timeout=timeout)
    if verdict.status is Status.PROVED:
        return verdict
    return Verdict(Status.UNDECIDED, "unknown functions",
                   detail=f"{', '.join(str(n) for n in names)} unknown: proved only when the "
                          "two sides are equal as written")
