"""What derive says of a property, written from its facts (derive.analysis.properties): the
claim as a statement, and how it was decided as a method line, each for documents (LaTeX)
and for terminals and JSON (plain text).

The finders state claims and say how they reached them (`Property.claim`, `.how`, and the
verdict from derive.verify); every sentence is here, once. A template can use these words,
or write its own from the same fields (`p.claim.value.latex`, `p.how.method`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

import sympy

from derive.analysis.properties.claim import Property
from derive.model import Verdict
from derive.words.printer import to_latex, to_text
from derive.words.said import Said


@dataclass(frozen=True)
class Named:
    """Whom the properties are about: f's head and variable, as a document writes them."""

    latex: str  # r"\sigma"
    plain: str  # "sigma"
    x: sympy.Symbol

    @property
    def x_latex(self) -> str:
        return to_latex(self.x)


@dataclass(frozen=True)
class PropertyWords:
    statement: Said  # LaTeX math (no $), and plain text
    method: Said  # how it was decided: LaTeX prose (math between $…$), and plain text
    verdict: Verdict  # the verdict as shown: verify's status, with the plain method

    @property
    def mark(self) -> str:
        """The verdict mark for a document: "✓ proved (… $\\frac{1}{4}$ …)"."""
        return replace(self.verdict, method=self.method.latex).mark


def say_property(prop: Property, named: Named) -> PropertyWords:
    statement = _STATEMENTS[prop.name](prop, named)
    method = _METHODS[prop.name](prop, named)
    return PropertyWords(statement, method, replace(prop.verdict, method=method.plain))


def in_terms_of_f_latex(shown: sympy.Expr) -> str:
    """A form of f' in f's value as a document writes it (a reused σ(x) by its name)."""
    return to_latex(shown, {"sigma": r"\sigma"})


# --- printing ---------------------------------------------------------------------------

def _plain(expr: sympy.Basic) -> str:
    """Short plain text for a method line: x^2 rather than x**2."""
    return to_text(expr).replace("**", "^")


def _plain_number(expr: sympy.Basic) -> str:
    return {sympy.oo: "∞", -sympy.oo: "−∞"}.get(expr, _plain(expr))


def _plain_set(where: sympy.Basic) -> str:
    if where == sympy.S.Reals:
        return "ℝ"
    if isinstance(where, sympy.Interval):
        left, right = "(" if where.left_open else "[", ")" if where.right_open else "]"
        return f"{left}{_plain_number(where.start)}, {_plain_number(where.end)}{right}"
    if isinstance(where, sympy.Union):
        return " ∪ ".join(_plain_set(part) for part in where.args)
    return _plain(where)


def _domain_latex(where: sympy.Set | None) -> str:
    """The variable's own domain: ℝ, (0, ∞) or [0, ∞)."""
    if where is None or where == sympy.S.Reals:
        return r"\mathbb{R}"
    return r"(0, \infty)" if where.left_open else r"[0, \infty)"


def _power_of_ten(value: sympy.Rational) -> str:
    """-100000000.37 -> "-10^8": the order of magnitude a reader needs."""
    order = (Decimal(abs(value.p)) / Decimal(value.q)).adjusted()
    return f"{'-' if value < 0 else ''}10^{order}"


def _digits(value: sympy.Float, digits: int) -> str:
    """A number found numerically, to `digits` significant digits (mpmath's nstr)."""
    import mpmath

    text: str = mpmath.libmp.to_str(value._mpf_, digits)
    return text


def _end_latex(end: sympy.Basic) -> str:
    return {sympy.oo: r"\infty", -sympy.oo: r"-\infty"}.get(end, "0^{+}")


def _end_plain(end: sympy.Basic) -> str:
    return {sympy.oo: "∞", -sympy.oo: "−∞"}.get(end, "0+")


def _same(text: str) -> Said:
    """A method line with no formula: the same words in both media."""
    return Said(text, text)


# --- statements -------------------------------------------------------------------------

def _domain(prop: Property, n: Named) -> Said:
    defined = prop.claim.value
    x = n.x_latex
    return Said(rf"{n.latex}({x}) \text{{ is defined for }} {x} \in {to_latex(defined)}",
                f"{n.plain}({n.x}) is defined for {n.x} in {_plain_set(defined)}")


def _limits(prop: Property, n: Named) -> Said:
    end = prop.claim.subject.args[2]
    limit = prop.claim.value
    return Said(rf"\lim_{{{n.x_latex}\to {_end_latex(end)}}} {n.latex}({n.x_latex}) = "
                rf"{to_latex(limit)}",
                f"lim_{{{n.x} → {_end_plain(end)}}} {n.plain}({n.x}) = {_plain_number(limit)}")


def _range(prop: Property, n: Named) -> Said:
    values = prop.claim.value
    assert isinstance(values, sympy.Interval)
    exact = {"low": True, "high": True}
    if prop.claim.relation == "approx in":
        exact = {end: prop.how.tag(end) == "exact" for end in exact}
    relation = ("=", "=") if prop.claim.relation == "in" else (r"\approx", "≈")
    left, right = "(" if values.left_open else "[", ")" if values.right_open else "]"
    low, high = values.start, values.end

    def shown(value: sympy.Basic, is_exact: bool) -> sympy.Basic:
        return value if is_exact or not value.is_finite else sympy.Float(value, 5)

    low, high = shown(low, exact["low"]), shown(high, exact["high"])
    return Said(rf"{n.latex}({_domain_latex(prop.claim.where)}) {relation[0]} \left{left}"
                rf"{to_latex(low)}, {to_latex(high)}\right{right}",
                f"{n.plain}({_plain_set(prop.claim.where or sympy.S.Reals)}) {relation[1]} "
                f"{left}{_plain_number(low)}, {_plain_number(high)}{right}")


def _value_at_zero(prop: Property, n: Named) -> Said:
    value = prop.claim.value
    return Said(f"{n.latex}(0) = {to_latex(value)}", f"{n.plain}(0) = {_plain(value)}")


def _slope_at_zero(prop: Property, n: Named) -> Said:
    value = prop.claim.value
    return Said(f"{n.latex}'(0) = {to_latex(value)}", f"{n.plain}'(0) = {_plain(value)}")


def _critical_points(prop: Property, n: Named) -> Said:
    points = prop.how.part("points").args
    x = n.x_latex
    return Said(rf"{n.latex}'({x}) = 0 \text{{ exactly at }} {x} = "
                + ", ".join(to_latex(p) for p in points),
                f"{n.plain}'({n.x}) = 0 exactly at {n.x} = " + ", ".join(_plain(p) for p in points))


def _poles(prop: Property, n: Named) -> Said:
    point = prop.claim.value
    x = n.x_latex
    return Said(rf"\lim_{{{x} \to {to_latex(point)}}} \left|{n.latex}({x})\right| = \infty",
                f"lim_{{{n.x} → {_plain(point)}}} |{n.plain}({n.x})| = ∞")


def _max_slope(prop: Property, n: Named) -> Said:
    x = n.x_latex
    if prop.claim.relation == "max approx":
        peak, at = _digits(prop.how.part("peak"), 5), _digits(prop.how.part("at"), 5)
        return Said(rf"\max_{{{x}}} {n.latex}'({x}) \approx {peak} \text{{ at }} {x} \approx {at}",
                    f"max_{n.x} {n.plain}'({n.x}) ≈ {peak} at {n.x} ≈ {at}")
    assert prop.claim.where is not None
    (where,) = prop.claim.where.args
    peak = prop.claim.value
    return Said(rf"\max_{{{x}}} {n.latex}'({x}) = {n.latex}'({to_latex(where)}) = {to_latex(peak)}",
                f"max_{n.x} {n.plain}'({n.x}) = {n.plain}'({_plain(where)}) = {_plain(peak)}")


def _symmetry(prop: Property, n: Named) -> Said:
    x = n.x_latex
    kind = prop.how.method
    if kind == "odd":
        return Said(rf"{n.latex}(-{x}) = -{n.latex}({x}) \quad \text{{(odd)}}",
                    f"{n.plain}(-{n.x}) = -{n.plain}({n.x}) (odd)")
    if kind == "even":
        return Said(rf"{n.latex}(-{x}) = {n.latex}({x}) \quad \text{{(even)}}",
                    f"{n.plain}(-{n.x}) = {n.plain}({n.x}) (even)")
    c = prop.how.part("c")
    return Said(rf"{n.latex}(-{x}) = {to_latex(c)} - {n.latex}({x})",
                f"{n.plain}(-{n.x}) = {_plain(c)} - {n.plain}({n.x})")


# The sign of f' each kind of monotonicity rests on.
_SLOPE_SIGNS = {"increasing": (r"> 0", "> 0"), "decreasing": (r"< 0", "< 0"),
                "non-decreasing": (r"\ge 0", "≥ 0"), "non-increasing": (r"\le 0", "≤ 0")}


def _monotonic(prop: Property, n: Named) -> Said:
    kind = prop.claim.relation
    sign = _SLOPE_SIGNS[kind]
    # At a kink (relu at 0) f' does not exist; the statement says so rather than hide it.
    smooth = prop.how.tag("smooth") == "yes"
    where = ("", "") if smooth else (r" \text{ wherever it exists}", " wherever it exists")
    return Said(rf"{n.latex} \text{{ is {kind} on }} {_domain_latex(prop.claim.where)}: \ "
                rf"{n.latex}'({n.x_latex}) {sign[0]}{where[0]}",
                f"{n.plain} is {kind} on {_plain_set(prop.claim.where or sympy.S.Reals)}: "
                f"{n.plain}'({n.x}) {sign[1]}{where[1]}")


def _vanishing_gradient(prop: Property, n: Named) -> Said:
    peak = prop.how.part("peak")
    inverse = 1 / peak
    if inverse.is_Integer:
        bound = (rf"{to_latex(inverse)}^{{-n}}", f"{_plain(inverse)}^(-n)")
    else:
        bound = (rf"\left({to_latex(peak)}\right)^{{n}}", f"({_plain(peak)})^n")
    return Said(rf"0 < \prod_{{i=1}}^{{n}} {n.latex}'(z_i) \le {bound[0]}"
                r" \text{ through } n \text{ layers}",
                f"0 < {n.plain}'(z_1) ⋯ {n.plain}'(z_n) ≤ {bound[1]} through n layers")


_STATEMENTS: Mapping[str, Callable[[Property, Named], Said]] = {
    "domain": _domain, "limits": _limits, "range": _range, "value at 0": _value_at_zero,
    "slope at 0": _slope_at_zero, "critical points": _critical_points, "poles": _poles,
    "max slope": _max_slope, "symmetry": _symmetry, "monotonic": _monotonic,
    "vanishing gradient": _vanishing_gradient,
}


# --- methods ----------------------------------------------------------------------------

def _domain_method(prop: Property, n: Named) -> Said:
    return _same("the domain of each operation in f")


_LIMIT_METHODS = {"each part": "the limit of each part, combined (no indeterminate form)",
                  "leading terms": "a rational function: the leading terms' quotient",
                  "Gruntz": "SymPy's limit (Gruntz)"}


def _limits_method(prop: Property, n: Named) -> Said:
    piece = "the outermost piece: " if prop.how.tag("piece") == "outermost" else ""
    probes = ", ".join(_power_of_ten(p) for p in prop.how.part("probes").args)
    return _same(f"{piece}{_LIMIT_METHODS[prop.how.method]}; confirmed numerically at "
                 f"{n.x} = {probes}")


def _range_method(prop: Property, n: Named) -> Said:
    if prop.how.method == "monotonic, with its end limits":
        return _same(f"f is continuous and {prop.how.tag('kind')} "
                     f"({prop.how.tag('monotonic')}), with the limits at both ends")
    return _same(f"limits at both ends and the value where f' = 0 (found numerically); f stays "
                 f"within at {prop.how.part('grid points')} grid points and far out")


def _value_at_zero_method(prop: Property, n: Named) -> Said:
    return _same(f"{prop.verdict.method}; agrees numerically")


def _slope_at_zero_method(prop: Property, n: Named) -> Said:
    if prop.how.method == "exact substitution, quotients agree":
        return _same("f' at x = 0 by exact substitution; difference quotients agree")
    h = _power_of_ten(prop.how.part("h"))
    return _same(f"both one-sided difference quotients at 0 agree (h = {h}, "
                 f"{prop.how.part('digits')} digits)")


def _verify_method(prop: Property, n: Named) -> Said:
    """derive.verify's own name for the method that decided (solveset, cancel, …)."""
    return _same(prop.verdict.method)


def _poles_method(prop: Property, n: Named) -> Said:
    return _same(f"over one denominator, the denominator is 0 at {n.x} = {prop.claim.value} "
                 "and the numerator, continuous there, is not")


def _max_slope_method(prop: Property, n: Named) -> Said:
    if prop.how.method == "f'' = 0 solved numerically":
        return _same(f"f'' = 0 solved numerically; f' is smaller at "
                     f"{prop.how.part('grid points')} points on the grid and far out")
    assert prop.claim.where is not None
    (where,) = prop.claim.where.args
    critical_point = Said(f"$f''({to_latex(where)}) = 0$", f"f''({_plain(where)}) = 0")
    if prop.how.method == "f'' = 0, and peak − f' ≥ 0":
        form = prop.how.part("form")
        peak = prop.claim.value
        # verify's sentence has a {} for the form that shows the sign.
        sentence = prop.verdict.method
        return Said(rf"{critical_point.latex}, and ${to_latex(peak)} - f'({n.x_latex}) \geq 0$: "
                    + sentence.format(f"${to_latex(form)}$"),
                    f"{critical_point.plain}, and {_plain(peak)} − f'(x) ≥ 0: "
                    + sentence.format(_plain(form)))
    rest = _same(f" ({prop.how.tag('critical')}); f' is smaller on a grid of samples and far out")
    return critical_point + rest


# What each form of f' is called in the method line.
_SIGN_FORMS = {"as written": "each factor of f' has a known sign",
               "factored": "each factor of f', factored, has a known sign",
               "in exponentials": "written in exponentials, each factor of f' has a known sign"}


def _monotonic_method(prop: Property, n: Named) -> Said:
    method = prop.how.method
    if method == "sign of each factor":
        sign = _SLOPE_SIGNS[prop.claim.relation][1]
        return _same(f"f and f' are continuous, and f'(x) {sign} for every x: "
                     f"{_SIGN_FORMS[prop.how.tag('form')]}")
    if method == "solveset: no solution":
        return _same("f and f' are continuous, and solveset: f'(x) ≤ 0 has no solution")
    return _same("the sign of f' on each piece, and the pieces meet where they join")


def _vanishing_gradient_method(prop: Property, n: Named) -> Said:
    peak = prop.how.part("peak")
    return Said(f"each layer's factor is $f' > 0$, at most its maximum ${to_latex(peak)}$",
                f"each layer's factor is f' > 0, at most its maximum {peak}")


_METHODS: Mapping[str, Callable[[Property, Named], Said]] = {
    "domain": _domain_method, "limits": _limits_method, "range": _range_method,
    "value at 0": _value_at_zero_method, "slope at 0": _slope_at_zero_method,
    "critical points": _verify_method, "poles": _poles_method, "max slope": _max_slope_method,
    "symmetry": _verify_method, "monotonic": _monotonic_method,
    "vanishing gradient": _vanishing_gradient_method,
}
