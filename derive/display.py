"""How expressions are written for readers: LaTeX and plain text of *display forms*.

Display forms are SymPy trees built with evaluation off, so argument order is the order the
walkthrough chose (``1 + e^{-x}``, not ``e^{-x} + 1``). Printing keeps that order.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter


class DisplayLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer, keeping the built argument order and a teacher's notation."""

    def __init__(self, function_latex: Mapping[str, str] | None = None) -> None:
        super().__init__({"order": "none"})
        self._function_latex = dict(function_latex or {})

    def _print_Derivative(self, expr: sympy.Derivative) -> str:
        (variable, count), = expr.variable_count
        inner = self._print(expr.expr)
        order = "" if count == 1 else f"^{{{count}}}"
        var = self._print(variable)
        if expr.expr.is_Symbol or isinstance(expr.expr, AppliedUndef):
            return rf"\frac{{d{order}}}{{d{var}{order}}} {inner}"
        return rf"\frac{{d{order}}}{{d{var}{order}}} \left({inner}\right)"

    def _print_Function(self, expr: sympy.Function, exp: str | None = None) -> str:
        if isinstance(expr, AppliedUndef):
            name = expr.func.__name__
            head = self._function_latex.get(name) or self._print(sympy.Symbol(name))
            args = ", ".join(self._print(a) for a in expr.args)
            text = rf"{head}({args})"
            return rf"{text}^{{{exp}}}" if exp else text
        return super()._print_Function(expr, exp)

    def _print_Mul(self, expr: sympy.Mul) -> str:
        # An unevaluated product that starts with a number (0·(…), 1·(…), (−1)·…) is a
        # step *about* that number: show the multiplication explicitly.
        args = expr.args
        if len(args) >= 2 and any(a.is_Number for a in args) and not _is_canonical(expr):
            parts = []
            for i, factor in enumerate(args):
                text = self._print(factor)
                if (factor.is_Add and len(args) > 1) or (i > 0 and factor.is_Number and factor < 0):
                    text = rf"\left({text}\right)"
                elif factor.is_Mul and i > 0 and _starts_negative(factor):
                    text = rf"\left({text}\right)"
                parts.append(text)
            if args[0] == -1:
                return "- " + r" \cdot ".join(parts[1:])
            return r" \cdot ".join(parts)
        return super()._print_Mul(expr)


def _is_canonical(expr: sympy.Expr) -> bool:
    """True when `expr` is what SymPy would build anyway (so nothing is held unevaluated)."""
    try:
        return expr.func(*expr.args) == expr and not any(a == 1 or a == 0 for a in expr.args)
    except (TypeError, ValueError):
        return True


def _starts_negative(expr: sympy.Expr) -> bool:
    return bool(expr.args) and expr.args[0].is_Number and expr.args[0] < 0


class DisplayStrPrinter(StrPrinter):
    """Plain text that SymPy can read back (for JSON), keeping the built argument order."""

    def __init__(self) -> None:
        super().__init__({"order": "none"})

    def _print_Derivative(self, expr: sympy.Derivative) -> str:
        return f"Derivative({self._print(expr.expr)}, {self._print(expr.variables[0])})"


def to_latex(expr: sympy.Expr, function_latex: Mapping[str, str] | None = None) -> str:
    return DisplayLatexPrinter(function_latex).doprint(expr)


def to_text(expr: sympy.Expr) -> str:
    return DisplayStrPrinter().doprint(expr)
