"""How expressions are written for readers: LaTeX and plain text of *display forms*.

Display forms are SymPy trees built with evaluation off, so argument order is the order the
walkthrough chose (``1 + e^{-x}``, not ``e^{-x} + 1``). Printing keeps that order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import sympy
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from derive.engine.forms import split_quotient


class DisplayLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer, keeping the built argument order and a teacher's notation."""

    def __init__(self, function_latex: Mapping[str, str] | None = None) -> None:
        super().__init__({"order": "none"})
        self._function_latex = dict(function_latex or {})
        # Inside a fraction's numerator, a fraction is set with a solidus (t^{2}/5): a
        # fraction stacked in a numerator is what typesetting manuals, and teachers, avoid.
        # The walkthrough clears what it can by multiplying through (forms.multiply_through);
        # what is left belongs to the function as given, such as 1 + t²/5.
        self._numerator_depth = 0

    def _print(self, expr: object, **kwargs: object) -> str:
        # A function's bracketed argument is read on its own, not as part of the numerator
        # around it (e^{u} is a superscript, read as part of it: e^{-x^{2}/2}).
        if (isinstance(expr, sympy.Function) and not isinstance(expr, sympy.exp)
                and self._numerator_depth):
            depth, self._numerator_depth = self._numerator_depth, 0
            try:
                return str(super()._print(expr, **kwargs))
            finally:
                self._numerator_depth = depth
        return str(super()._print(expr, **kwargs))

    def fraction(self, numerator: sympy.Expr, denominator: sympy.Expr) -> str:
        """numerator/denominator: stacked, or with a solidus inside a numerator."""
        if self._numerator_depth:
            return rf"{self._solidus_side(numerator)}/{self._solidus_side(denominator, below=True)}"
        self._numerator_depth += 1
        try:
            top = self._print_factors(numerator)
        finally:
            self._numerator_depth -= 1
        return rf"\frac{{{top}}}{{{self._print_factors(denominator)}}}"

    def _solidus_side(self, expr: sympy.Expr, *, below: bool = False) -> str:
        text = self._print_factors(expr)
        if not below and expr.is_Mul and not any(
                f.is_Add for f in sympy.Mul.make_args(expr)):
            return text  # x√2/2: a product above the bar is read whole, and is one value
        atomic = (expr.is_Symbol or (expr.is_Integer and expr >= 0) or isinstance(expr, AppliedUndef)
                  or (expr.is_Pow and (expr.base.is_Symbol or expr.base.is_Integer))
                  or (isinstance(expr, sympy.Function) and not text.startswith("-")))
        return text if atomic else rf"\left({text}\right)"

    def _print_Derivative(self, expr: sympy.Derivative) -> str:
        (variable, count), = expr.variable_count
        if _is_name(expr.expr):  # a named inner function: u', as a teacher writes it
            return f"{expr.expr.func.__name__}{chr(39) * count}"
        inner = self._print(expr.expr)
        order = "" if count == 1 else f"^{{{count}}}"
        var = self._print(variable)
        # d/dx σ(x) is bracketed too: "d/dx ELU(x) · mish(x)" would leave where it ends open
        if expr.expr.is_Symbol:
            return rf"\frac{{d{order}}}{{d{var}{order}}} {inner}"
        return rf"\frac{{d{order}}}{{d{var}{order}}} \left({inner}\right)"

    def _print_applied(self, expr: sympy.Function, exp: str | None) -> str:
        name = expr.func.__name__
        if _is_name(expr):  # u, not u(x): the name stands for the inner function
            return f"{name}^{{{exp}}}" if exp else name
        head = self._function_latex.get(name) or self._print(sympy.Symbol(name))
        args = ", ".join(self._print(a) for a in expr.args)
        text = rf"{head}({args})"
        if exp and head in _OPERATOR_HEADS:
            # the function written by its operator name (tanh for tanh): its power is
            # written as the page writes the elementary one's, tanh² x, not tanh(x)²
            return rf"{head}^{{{exp}}}({args})"
        return rf"{text}^{{{exp}}}" if exp else text

    def _print_Function(self, expr: sympy.Function, exp: str | None = None) -> str:
        if isinstance(expr, AppliedUndef):
            return self._print_applied(expr, exp)
        name = _FUNCTION_NAMES.get(type(expr).__name__)
        if name is None or len(expr.args) != 1:
            return super()._print_Function(expr, exp)
        (arg,) = expr.args
        head = name if exp is None else f"{name}^{{{exp}}}"
        inner = self._print(arg)
        if arg.is_Symbol or (arg.is_Integer and arg > 0) or _is_name(arg):
            return f"{head} {inner}"
        return rf"{head}\left({inner}\right)"

    def _print_Pow(self, expr: sympy.Pow) -> str:
        base, exponent = expr.args
        root = exponent.is_Rational and abs(exponent.p) == 1 and exponent.q != 1
        if (isinstance(base, sympy.Function) and type(base).__name__ in _FUNCTION_NAMES
                and not (exponent.is_Integer and exponent > 0) and not root):
            if exponent.is_Integer:  # 1/cosh² x, not (cosh x)^{-2}
                return rf"\frac{{1}}{{{self._print(sympy.Pow(base, -exponent))}}}"
            # \sin^{2} x is the custom for a whole power; (\ln x)^{\ln x} is not \ln^{\ln x} x
            return rf"\left({self._print(base)}\right)^{{{self._print(exponent)}}}"
        return super()._print_Pow(expr)

    def _print_Rational(self, expr: sympy.Rational) -> str:
        decimal = _short_decimal(expr)
        if decimal is not None:  # 0.044715 as the user wrote it, not 8943/200000
            return decimal
        if self._numerator_depth and expr.q != 1 and not _long_rational(expr):
            return f"{'-' if expr < 0 else ''}{abs(expr.p)}/{expr.q}"
        # SELU's constants are exact 31-digit decimals; a reader wants 1.0507009873...
        if _long_rational(expr):
            digits = str(sympy.N(abs(expr), 20))
            whole, _, fraction = digits.partition(".")
            sign = "-" if expr < 0 else ""
            return rf"{sign}{whole}.{fraction[:10]}\ldots"
        return super()._print_Rational(expr)

    def _print_Heaviside(self, expr: sympy.Heaviside, exp: str | None = None) -> str:
        # SymPy writes theta(x); H(x) is the name a reader meets in calculus notes.
        text = rf"H\left({self._print(expr.args[0])}\right)"
        return rf"{text}^{{{exp}}}" if exp else text

    def _print_Piecewise(self, expr: sympy.Piecewise) -> str:
        # SymPy keeps x <= 3 after x <= -3 (first match wins); a reader takes each row on its
        # own, so a row shows the interval where it applies: -3 < x <= 3.
        return super()._print_Piecewise(_rows_on_their_own(expr))

    def _print_And(self, expr: sympy.And) -> str:
        # A piece between two breakpoints: -3 < x \leq 3, not x \leq 3 \wedge x > -3.
        chained = _chained_bounds(expr)
        if chained is None:
            return super()._print_And(expr)
        low, low_op, variable, high_op, high = chained
        return (f"{self._print(low)} {low_op} {self._print(variable)} {high_op} "
                f"{self._print(high)}")

    def _print_log(self, expr: sympy.log, exp: str | None = None) -> str:
        return self._print_Function(expr, exp)

    def _print_Add(self, expr: sympy.Add, order: str | None = None) -> str:
        # SymPy puts a constant term first (-1 + e^{x}); a teacher writes e^{x} - 1. A sum
        # SymPy stores with a negative term first (-x + 4x^3) opens with its first term that
        # has no minus sign (4x^3 - x), the rest in their order.
        args = expr.args
        if args and args[0].is_Number and args[0] < 0:
            reordered = sympy.Add(*args[1:], args[0], evaluate=False)
            return super()._print_Add(reordered, order)
        if len(args) > 1 and _stored_order(expr) and args[0].could_extract_minus_sign():
            first = next((i for i, a in enumerate(args) if not a.could_extract_minus_sign()), None)
            if first is not None:
                reordered = sympy.Add(args[first], *args[:first], *args[first + 1:],
                                      evaluate=False)
                return super()._print_Add(reordered, order)
        return super()._print_Add(expr, order)

    def _print_Mul(self, expr: sympy.Mul) -> str:
        if not expr.is_Mul:  # SymPy prints x**-n through here too
            return self._print_product_or_fraction(expr)
        args = expr.args
        over = _over_common_denominator(expr)
        if over is not None:
            return self._print(over)
        if _about_a_unit(args):
            # A product held with a factor 0 or ±1 (0·(…), 1·(…)) is a step *about* that
            # number: show the multiplication explicitly.
            parts = []
            for i, factor in enumerate(args):
                text = self._print(factor)
                core = _core(factor)
                grouped = core.is_Add and len(args) > 1
                negative = i > 0 and ((core.is_Number and core < 0)
                                      or (core.is_Mul and _starts_negative(core)))
                if grouped or negative:
                    text = rf"\left({text}\right)"
                parts.append(text)
            if args[0] == -1:
                return "- " + r" \cdot ".join(parts[1:])
            return r" \cdot ".join(parts)
        # SymPy's own Mul printer calls `fraction`, which asks `is_constant` and so runs
        # `simplify` on every factor: exponential in the depth of a composition. Split
        # the fraction structurally instead.
        coefficient, rest = expr.as_coeff_Mul()
        decimal = coefficient.is_Rational and (_long_rational(coefficient)
                                               or _short_decimal(coefficient) is not None)
        if decimal and rest != 1:
            # a decimal coefficient in front, not a 60-digit fraction
            text = self._print_product_or_fraction(rest)
            if self._needs_mul_brackets(rest, first=False, last=True):
                text = rf"\left({text}\right)"
            space = r"\cdot" if text[:1].isdigit() or text.startswith("-") else r"\,"
            if text.startswith("-"):
                text = rf"\left({text}\right)"
            return rf"{self._print(coefficient)} {space} {text}"
        if coefficient.is_Number and coefficient < 0:
            # rest's own factors beside the coefficient: a Mul inside a Mul would hide its
            # negative powers from split_quotient (3 x^2 \frac{1}{\sqrt{x^3}} over 2).
            positive = rest if coefficient == -1 else sympy.Mul(
                -coefficient, *sympy.Mul.make_args(rest), evaluate=False)
            text = self._print_product_or_fraction(positive)
            # -(a + b) is not - a + b, and - (- u) is not - - u: the minus takes a bracket.
            if _core(positive).is_Add or text.startswith("-"):
                text = rf"\left({text}\right)"
            return "- " + text
        return self._print_product_or_fraction(expr)

    def _print_product_or_fraction(self, expr: sympy.Expr) -> str:
        numerator, denominator = split_quotient(expr)
        if denominator != 1:
            return self.fraction(*_merged(numerator, denominator))
        return self._print_factors(expr)

    def _print_factors(self, expr: sympy.Expr) -> str:
        if not expr.is_Mul:
            return self._print(expr)
        factors = list(expr.args)
        parts: list[str] = []
        for i, factor in enumerate(factors):
            text = self._print(factor)
            # A factor that prints with a leading minus would read as a subtraction.
            solidus = self._numerator_depth and _is_quotient(factor)
            if (self._needs_mul_brackets(factor, first=(i == 0), last=(i == len(factors) - 1))
                    or (i > 0 and text.startswith("-")) or solidus):
                text = rf"\left({text}\right)"
            if parts and _needs_dot(factors[i - 1], text):
                parts.append(r"\cdot")
            parts.append(text)
        return " ".join(parts)


def _over_common_denominator(expr: sympy.Mul) -> sympy.Expr | None:
    """A product of letters with one sum whose coefficients are fractions, written over
    their common denominator as a teacher writes it: π(x/12 − 1/6) is π(x − 2)/12 (SymPy
    distributes the 1/12, so the argument of cos(π(x − 2)/12) would print with fractions
    in a bracket). None for any other product (a number in front, a decimal coefficient,
    a factor below the line or with cases, a sum without fractions)."""
    from derive.engine.forms import Frac

    sums = [f for f in expr.args if isinstance(f, sympy.Add)]
    others = [f for f in expr.args if not isinstance(f, sympy.Add)]
    if len(sums) != 1 or not others or any(
            f.is_Number or (f.is_Pow and f.exp.is_negative) or isinstance(f, Frac)
            or f.has(sympy.Piecewise) for f in others):
        return None
    coefficients = [t.as_coeff_Mul()[0] for t in sums[0].args]
    if any(not c.is_Rational or written_as_decimal(c) for c in coefficients):
        return None
    denominator = sympy.ilcm(*(int(c.q) for c in coefficients))
    if denominator == 1:
        return None
    total = sympy.Add(*(sympy.Mul(denominator * t.as_coeff_Mul()[0], t.as_coeff_Mul()[1])
                        for t in sums[0].args), evaluate=False)
    return Frac(sympy.Mul(*others, total, evaluate=False), sympy.Integer(denominator))


def _stored_order(expr: sympy.Add) -> bool:
    """Whether a sum's terms are in SymPy's own order (an evaluated sum), not an order a
    step built on purpose (a display form held with evaluation off)."""
    try:
        return sympy.Add(*expr.args).args == expr.args
    except (TypeError, ValueError):
        return False


def _merged(numerator: sympy.Expr, denominator: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """A fraction whose numerator has fractions among its factors, as one fraction:
    a·(b/c) over d is written ab over cd (notation, not algebra: the factors only move)."""
    from derive.engine.forms import Frac

    above: list[sympy.Expr] = []
    below: list[sympy.Expr] = list(sympy.Mul.make_args(denominator))
    moved = False
    for factor in sympy.Mul.make_args(numerator):
        if isinstance(factor, Frac):
            above.append(factor.numerator)
            below.append(factor.denominator)
            moved = True
            continue
        if isinstance(factor, sympy.Mul):
            n, d = split_quotient(factor)
            if d != 1:
                above.append(n)
                below.append(d)
                moved = True
                continue
        above.append(factor)
    if not moved:
        return numerator, denominator
    above = [a for a in above if a != 1] or [sympy.S.One]
    return (sympy.Mul(*above, evaluate=False) if len(above) > 1 else above[0],
            sympy.Mul(*below, evaluate=False) if len(below) > 1 else below[0])


def _is_quotient(expr: sympy.Basic) -> bool:
    """Whether expr prints as a fraction (a Frac, a product with a denominator, p/q)."""
    from derive.engine.forms import Frac

    expr = _core(expr)
    if isinstance(expr, Frac) or (expr.is_Rational and not expr.is_Integer):
        return True
    return bool(expr.is_Mul and split_quotient(expr)[1] != 1) or bool(
        expr.is_Pow and expr.exp.is_negative)


def _needs_dot(before: sympy.Basic, text: str) -> bool:
    """Whether a product needs an explicit \\cdot before the factor printed as `text`:
    - two numbers side by side would read as one: 2 \\cdot 3^{x};
    - a function written without brackets (\\cos x) would take in a letter or a bracket
      after it as part of its argument: \\cos x \\cdot x, not cos(x·x);
    - d/dx (u) v could mean d/dx of the whole product u v."""
    if text[:1].isdigit():
        return True
    last = _printed_last(before)
    if isinstance(last, sympy.Derivative):
        return True
    if not bare_function(last):
        return False
    return not text.startswith(_STOPS_AN_ARGUMENT)


def _printed_last(expr: sympy.Basic) -> sympy.Basic:
    """The factor a product's printed form ends with (a product inside a product prints
    its own factors in a row, so 2 ln 5 ends with ln 5)."""
    expr = _core(expr)
    while expr.is_Mul and expr.args and split_quotient(expr)[1] == 1:
        expr = _core(expr.args[-1])
    return expr


def bare_function(expr: sympy.Basic) -> bool:
    """A function the printer writes without brackets around its argument: \\sin x, \\ln^{2} 3."""
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 0:
        expr = expr.base
    if not isinstance(expr, sympy.Function) or type(expr).__name__ not in _FUNCTION_NAMES:
        return False
    if len(expr.args) != 1:
        return False
    (arg,) = expr.args
    return bool(arg.is_Symbol or (arg.is_Integer and arg > 0) or _is_name(arg))


def _is_name(expr: sympy.Basic) -> bool:
    """A named inner function (derive.engine.naming): printed as its letter."""
    return isinstance(expr, AppliedUndef) and bool(getattr(expr.func, "bare", False))


def _rows_on_their_own(expr: sympy.Piecewise) -> sympy.Piecewise:
    """The same Piecewise with each condition replaced by where its row applies (it holds
    and no earlier one does), when that is an interval of one variable; else unchanged."""
    symbols = set().union(*(c.free_symbols for _, c in expr.args))
    if len(symbols) != 1:
        return expr
    (x,) = symbols
    taken: sympy.Set = sympy.S.EmptySet
    rows = []
    for i, (value, condition) in enumerate(expr.args):
        where = _interval_of(condition, x)
        if where is None:
            return expr
        applies = sympy.Complement(where, taken)
        last = i == len(expr.args) - 1
        if condition is sympy.true and last:
            rows.append((value, condition))
        elif isinstance(applies, sympy.Interval):
            rows.append((value, _condition_of(applies, x)))
        else:
            return expr
        taken = sympy.Union(taken, where)
    return sympy.Piecewise(*rows, evaluate=False)


def _interval_of(condition: sympy.Basic, x: sympy.Symbol) -> sympy.Set | None:
    if condition is sympy.true:
        return sympy.S.Reals
    if isinstance(condition, sympy.And | sympy.Or):
        parts = [_interval_of(arg, x) for arg in condition.args]
        if any(p is None for p in parts):
            return None
        combine = sympy.Intersection if isinstance(condition, sympy.And) else sympy.Union
        return combine(*parts)
    if not isinstance(condition, sympy.core.relational.Relational) or condition.rel_op not in (
            "<", "<=", ">", ">="):
        return None
    small, op, large = ((condition.lhs, condition.rel_op, condition.rhs)
                        if condition.rel_op in ("<", "<=")
                        else (condition.rhs, condition.rel_op.replace(">", "<"), condition.lhs))
    if small == x and large.is_comparable:
        return sympy.Interval(-sympy.oo, large, True, op == "<")
    if large == x and small.is_comparable:
        return sympy.Interval(small, sympy.oo, op == "<", True)
    return None


def _condition_of(interval: sympy.Interval, x: sympy.Symbol) -> sympy.Basic:
    if interval.end is sympy.oo and interval.start is not -sympy.oo:  # x > a, not a < x
        return (sympy.Gt(x, interval.start) if interval.left_open
                else sympy.Ge(x, interval.start))
    bounds = []
    if interval.start is not -sympy.oo:
        bounds.append(sympy.Lt(interval.start, x) if interval.left_open
                      else sympy.Le(interval.start, x))
    if interval.end is not sympy.oo:
        bounds.append(sympy.Lt(x, interval.end) if interval.right_open
                      else sympy.Le(x, interval.end))
    return sympy.And(*bounds) if bounds else sympy.true


_BELOW = {"<": "<", "<=": r"\leq"}


def _chained_bounds(expr: sympy.And) -> tuple | None:
    """(low, op, x, op, high) when expr says low < x and x < high (either one non-strict)."""
    if len(expr.args) != 2:
        return None
    lower = upper = None
    for rel in expr.args:
        if not isinstance(rel, sympy.core.relational.Relational) or rel.rel_op not in (
                "<", "<=", ">", ">="):
            return None
        small, op, large = ((rel.lhs, rel.rel_op, rel.rhs) if rel.rel_op in ("<", "<=")
                            else (rel.rhs, rel.rel_op.replace(">", "<"), rel.lhs))
        if small.is_Symbol and large.is_comparable:
            upper = (small, _BELOW[op], large)
        elif large.is_Symbol and small.is_comparable:
            lower = (small, _BELOW[op], large)
        else:
            return None
    if lower is None or upper is None or lower[2] != upper[0]:
        return None
    return lower[0], lower[1], lower[2], upper[1], upper[2]


def _short_decimal(value: sympy.Rational) -> str | None:
    """A terminating decimal of at most 8 significant digits, for a denominator of 1000 or
    more (a half stays 1/2)."""
    q = value.q
    if value.is_Integer or q < 1000:
        return None
    twos = fives = 0
    while q % 2 == 0:
        q //= 2
        twos += 1
    while q % 5 == 0:
        q //= 5
        fives += 1
    if q != 1:
        return None
    places = max(twos, fives)
    digits = str(abs(value.p) * 10**places // value.q)
    if len(digits.lstrip("0")) > 8:
        return None
    whole, fraction = digits[:-places] or "0", digits[-places:].rjust(places, "0")
    return f"{'-' if value < 0 else ''}{whole}.{fraction}"


def written_as_decimal(value: sympy.Basic) -> bool:
    """Whether the printer writes this rational as a decimal (0.044715, 1.0507009873…), not
    as a fraction: it then is no fraction to clear."""
    return bool(value.is_Rational and not value.is_Integer
                and (_short_decimal(value) is not None or _long_rational(value)))


def _long_rational(value: sympy.Basic) -> bool:
    return bool(value.is_Rational and not value.is_Integer and max(abs(value.p), value.q) > 10**6)


def _about_a_unit(args: tuple[sympy.Basic, ...]) -> bool:
    """True for a product held unevaluated with a factor 0 or 1, or −1 after the first place."""
    if len(args) < 2:
        return False
    return any(a == 0 or a == 1 for a in args) or any(a == -1 for a in args[1:])


def _core(expr: sympy.Basic) -> sympy.Basic:
    """What a display-only wrapper (a highlight) holds; the expression itself otherwise."""
    return expr.args[0] if type(expr).__name__ == "Changed" else expr


def _starts_negative(expr: sympy.Expr) -> bool:
    return bool(expr.args) and expr.args[0].is_Number and expr.args[0] < 0


_FUNCTION_NAMES: dict[str, str] = {
    "log": r"\ln", "sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "sec": r"\sec",
    "csc": r"\csc", "cot": r"\cot", "asin": r"\arcsin", "acos": r"\arccos",
    "atan": r"\arctan", "sinh": r"\sinh", "cosh": r"\cosh", "tanh": r"\tanh",
    "sech": r"\operatorname{sech}", "csch": r"\operatorname{csch}", "coth": r"\coth",
    "asinh": r"\operatorname{arsinh}", "acosh": r"\operatorname{arcosh}",
    "atanh": r"\operatorname{artanh}", "erf": r"\operatorname{erf}",
    "erfc": r"\operatorname{erfc}", "sign": r"\operatorname{sign}",
    "asec": r"\operatorname{arcsec}", "acsc": r"\operatorname{arccsc}",
    "acot": r"\operatorname{arccot}", "asech": r"\operatorname{arsech}",
    "acsch": r"\operatorname{arcsch}", "acoth": r"\operatorname{arcoth}",
}
_OPERATOR_HEADS = frozenset(_FUNCTION_NAMES.values())


# What may follow a bracket-less function argument without joining it: another function,
# a fraction, a root (a reader, and derive's LaTeX reader, stop the argument there).
_STOPS_AN_ARGUMENT = (*(f"{name} " for name in _FUNCTION_NAMES.values()),
                      *(f"{name}^" for name in _FUNCTION_NAMES.values()),
                      *(f"{name}\\left" for name in _FUNCTION_NAMES.values()),
                      r"\frac", r"\sqrt")


class DisplayStrPrinter(StrPrinter):
    """Plain text that SymPy can read back (for JSON), keeping the built argument order."""

    def __init__(self) -> None:
        super().__init__({"order": "none"})

    def _print_Derivative(self, expr: sympy.Derivative) -> str:
        if _is_name(expr.expr):
            return f"{expr.expr.func.__name__}{chr(39) * len(expr.variables)}"
        return f"Derivative({self._print(expr.expr)}, {self._print(expr.variables[0])})"

    def _print_Function(self, expr: sympy.Function) -> str:
        if _is_name(expr):
            return str(expr.func.__name__)
        return str(super()._print_Function(expr))


def to_latex(expr: sympy.Expr, function_latex: Mapping[str, str] | None = None) -> str:
    return _latex(expr, tuple(sorted((function_latex or {}).items())))


# Printing is a pure function of the (immutable, hashable) tree, and the same pieces are
# printed again and again: in explanations, in every format, in every document of a batch.
@lru_cache(maxsize=4096)
def _latex(expr: sympy.Expr, function_latex: tuple[tuple[str, str], ...]) -> str:
    return DisplayLatexPrinter(dict(function_latex)).doprint(expr)


def symbols_seen(latex: str) -> int:
    """How many symbols a reader sees in LaTeX: digits, letters, operators, brackets; a
    command (\\sin, \\sqrt, \\pi, \\cdot) or an \\operatorname{…} one symbol, its argument
    what it is (`\\sin x` is two); layout (\\left, \\right, \\frac, spacing, braces, ^, _)
    nothing. −(2x + 1) is 7 and −2x − 1 is 5, where count_ops counts the first fewer."""
    text = re.sub(r"\\operatorname\{[^{}]*\}", "#", latex)
    text = re.sub(r"\\(?:left|right|frac|dfrac|quad|qquad)(?![A-Za-z])|\\[,;:! ]", "", text)
    text = re.sub(r"\\[A-Za-z]+", "#", text)  # before the spaces go: \\sin x is not \\sinx
    return len(re.sub(r"[{}^_\s]", "", text))


def printed_symbols(expr: sympy.Expr) -> int:
    """The symbols a reader sees in expr as documents print it (catalog functions by their
    symbols: σ(x) is four)."""
    from derive.parse import catalog

    names = {e.name: e.symbol_latex for e in catalog.entries()}
    names["sigma"] = r"\sigma"
    return symbols_seen(to_latex(expr, names))


@lru_cache(maxsize=4096)
def to_text(expr: sympy.Expr) -> str:
    return DisplayStrPrinter().doprint(expr)
