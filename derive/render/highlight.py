"""Mark the part of an expression that a step changed, for slides (``\\alert{…}``).

Two display forms are compared node by node; subtrees of the new one that differ from the
old one are wrapped in `Changed`, which prints as ``\\alert{…}`` and otherwise behaves like
its content. Nothing is computed: the trees are only compared.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy.logic.boolalg import Boolean
from sympy.printing.precedence import precedence

from derive.engine.forms import Frac
from derive.words.printer import _rows_on_their_own as rows_on_their_own

_HELD = (sympy.Add, sympy.Mul, sympy.Pow)


class Changed(sympy.Expr):
    """Display-only wrapper: the subtree a step changed."""

    is_commutative = True  # else a product prints it after its other factors, out of order

    @property
    def precedence(self) -> int:
        return precedence(self.args[0])

    def sort_key(self, order: Any = None) -> Any:
        # Sorted as its content, so that a product with a marked factor is printed in the
        # order of the same product unmarked.
        return self.args[0].sort_key(order)

    def _latex(self, printer) -> str:
        return rf"\alert{{{printer._print(self.args[0])}}}"

    def _sympystr(self, printer) -> str:
        return printer._print(self.args[0])


class ChangedCondition(Boolean):
    """Display-only wrapper: a piecewise row's condition that a step changed (a Piecewise
    holds Booleans there, never an Expr such as Changed)."""

    def _latex(self, printer) -> str:
        return rf"\alert{{{printer._print(self.args[0])}}}"

    def _sympystr(self, printer) -> str:
        return printer._print(self.args[0])


def mark_changes(old: sympy.Basic | None, new: sympy.Basic) -> sympy.Basic:
    """`new` with the subtrees that differ from `old` wrapped in Changed (all of it when
    nothing stayed); unmarked when there is nothing to compare with."""
    if old is None or old == new:
        return new
    marked = _mark(old, new)
    if not isinstance(marked, Changed) and _unmarked(_latex(marked)) != _latex(new):
        return Changed(new)  # marking parts changed how the line prints: mark it whole
    return marked


def _latex(expr: sympy.Basic) -> str:
    from derive.words.printer import to_latex

    return to_latex(expr, {})


def _unmarked(text: str) -> str:
    """LaTeX with every \\alert{...} replaced by its content."""
    out, depth_marks, i = [], [], 0
    depth = 0
    while i < len(text):
        if text.startswith("\\alert{", i):
            depth += 1
            depth_marks.append(depth)
            i += len("\\alert{")
            continue
        char = text[i]
        if char == "{":
            depth += 1
        elif char == "}":
            if depth_marks and depth_marks[-1] == depth:
                depth_marks.pop()
                depth -= 1
                i += 1
                continue
            depth -= 1
        out.append(char)
        i += 1
    return "".join(out)


def _mark(old: sympy.Basic, new: sympy.Basic) -> sympy.Basic:
    if old == new:
        return new
    if isinstance(old, sympy.Piecewise) and isinstance(new, sympy.Piecewise):
        return _mark_rows(old, new)
    if isinstance(old, Frac) and not isinstance(new, Frac):
        parts = _as_fraction(new)
        if parts is not None:
            marked = _mark(old, Frac(*parts))
            return Changed(new) if isinstance(marked, Changed) else marked
    if isinstance(new, sympy.Add | sympy.Mul) and type(old) is type(new):
        terms = _mark_terms(old, new)
        if terms is not None:
            return terms
    if type(old) is not type(new) or len(old.args) != len(new.args) or not new.args:
        return Changed(new)
    if isinstance(new, sympy.Derivative):
        return Changed(new)
    args = tuple(_mark(o, n) for o, n in zip(old.args, new.args, strict=True))
    if isinstance(new, sympy.Pow) and isinstance(new.base, sympy.Function) \
            and isinstance(args[0], Changed):
        return Changed(new)  # tanh² u marked whole: a marked base would print (tanh u)²
    if all(isinstance(a, Changed) for a, n in zip(args, new.args, strict=True) if a is not n):
        changed = [a for a, n in zip(args, new.args, strict=True) if a is not n]
        if len(changed) == len(args):
            return Changed(new)
    try:
        if isinstance(new, _HELD):
            return new.func(*args, evaluate=False)
        if isinstance(new, Frac):
            return Frac(*args)
        if isinstance(new, sympy.Function):
            return Changed(new)  # rebuilding a function could evaluate it
        return new.func(*args)
    except (TypeError, ValueError, AttributeError):
        return Changed(new)


def _mark_rows(old: sympy.Piecewise, new: sympy.Piecewise) -> sympy.Basic:
    """A piecewise line row by row, as the reader sees the rows (each with the interval where
    it applies): a value marked where it changed, a condition where it changed, so that
    making the conditions strict at the kinks marks the conditions and not the values."""
    old_rows, new_rows = rows_on_their_own(old).args, rows_on_their_own(new).args
    if len(old_rows) != len(new_rows):
        return Changed(new)
    rows = []
    for (old_value, old_where), (value, where) in zip(old_rows, new_rows, strict=True):
        rows.append((_mark(old_value, value),
                     where if where == old_where else ChangedCondition(where)))
    if all(isinstance(v, Changed) and isinstance(c, ChangedCondition) for v, c in rows):
        return Changed(new)
    try:
        return sympy.Piecewise(*rows, evaluate=False)
    except (TypeError, ValueError):
        return Changed(new)


def _mark_terms(old: sympy.Basic, new: sympy.Basic) -> sympy.Basic | None:
    """A sum or product, term by term (factor by factor): a term of the new one that stood in
    the old one unchanged stays unmarked wherever it now stands (mish's tanh(softplus x) moved
    from first to last); the terms left over are compared in order where as many are left
    on both sides, else marked (gelu_tanh's (1 - tanh² u) u' = √2 (1 - tanh² u)(1 +
    0.134145 x²)/√π marks all but 1 - tanh² u). A new denominator is marked inside its
    fraction bar, so the fraction still prints as one. Nothing new (terms only dropped):
    the whole is marked. None where a new term would print differently marked (a number
    factor, -1 in -e^{-x}; a negative term of a sum, whose sign the sum prints): the
    caller compares the trees in order instead."""
    remaining = list(old.args)
    args: list[sympy.Basic | None] = []
    for arg in new.args:
        if arg in remaining:
            remaining.remove(arg)
            args.append(arg)
        else:
            args.append(None)
    left = [n for n, a in zip(new.args, args, strict=True) if a is None]
    if any(n.is_Number or (isinstance(new, sympy.Add) and n.could_extract_minus_sign())
           for n in left):
        return None
    paired = iter(remaining) if len(remaining) == len(left) else None
    marked: list[sympy.Basic] = []
    for arg, kept in zip(new.args, args, strict=True):
        if kept is not None:
            marked.append(kept)
            continue
        previous = next(paired) if paired is not None else None
        if isinstance(new, sympy.Mul) and isinstance(arg, sympy.Pow) and arg.exp.is_negative:
            marked.append(sympy.Pow(Changed(sympy.Pow(arg.base, -arg.exp)), -1, evaluate=False))
        elif previous is not None:
            marked.append(_mark(previous, arg))
        else:
            marked.append(Changed(arg))
    if not left or all(isinstance(m, Changed) for m in marked):
        return Changed(new)
    try:
        return new.func(*marked, evaluate=False)
    except (TypeError, ValueError, AttributeError):
        return Changed(new)


def _as_fraction(expr: sympy.Basic) -> tuple[sympy.Expr, sympy.Expr] | None:
    """A product with a denominator as (numerator, denominator), to compare part by part with
    a fraction before it (tanh's (cosh² x - sinh² x)/cosh² x = 1/cosh² x marks the 1 alone);
    the check on the printed line in mark_changes keeps this only where it prints the same."""
    if not isinstance(expr, sympy.Mul | sympy.Pow):
        return None
    numerator, denominator = sympy.fraction(expr, exact=True)
    return None if denominator == 1 else (numerator, denominator)
