"""What derive says of a property, written from its facts (derive.analysis.properties): the
claim as a statement, and how it was decided as a method line, each for documents (LaTeX)
and for terminals and JSON (plain text).

The finders state claims and say how they reached them (`Property.claim`, `.how`, and the
verdict from derive.verify); every sentence is here, once. A template can use these words,
or write its own from the same fields (`p.claim.value.latex`, `p.how.method`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sympy

from derive.model import Verdict
from derive.words.printer import to_latex, to_text
from derive.words.said import Said

if TYPE_CHECKING:  # (not imported to run: a document without properties needs no finder)
    from derive.analysis.properties.claim import Property


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


def _domain_said(where: sympy.Set | None) -> Said:
    """The variable's own domain: ℝ, (0, ∞) or [0, ∞)."""
    if where is None or where == sympy.S.Reals:
        return Said(r"\mathbb{R}", "ℝ")
    if where.left_open:
        return Said(r"(0, \infty)", "(0, ∞)")
    return Said(r"[0, \infty)", "[0, ∞)")


def _power_of_ten(value: sympy.Rational) -> str:
    """-100000000.37 -> "-10^8": the order of magnitude a reader needs."""
    order = (Decimal(abs(value.p)) / Decimal(value.q)).adjusted()
    return f"{'-' if value < 0 else ''}10^{order}"


def _digits(value: sympy.Float, digits: int) -> str:
    """A number found numerically, to `digits` significant digits (mpmath's nstr)."""
    import mpmath

    text: str = mpmath.libmp.to_str(value._mpf_, digits)
    return text


def _same(text: str) -> Said:
    """A method line with no formula: the same words in both media."""
    return Said(text, text)


# --- statements -------------------------------------------------------------------------

def _written(n: Named, latex: str, plain: str, **values: sympy.Basic | Said | str) -> Said:
    """A statement from its two templates: {f} and {x} are f's head and variable; a SymPy
    value is printed for each medium, a Said is already written for each, a str for both."""
    tex = {k: _medium(v, to_latex, latex=True) for k, v in values.items()}
    text = {k: _medium(v, _plain_value, latex=False) for k, v in values.items()}
    return Said(latex.format(f=n.latex, x=n.x_latex, **tex),
                plain.format(f=n.plain, x=str(n.x), **text))


def _medium(value: sympy.Basic | Said | str, write: Callable[[sympy.Basic], str], *,
            latex: bool) -> str:
    if isinstance(value, Said):
        return value.latex if latex else value.plain
    return value if isinstance(value, str) else write(value)


def _plain_value(value: sympy.Basic) -> str:
    return _plain_set(value) if isinstance(value, sympy.Set) else _plain_number(value)


def _domain(prop: Property, n: Named) -> Said:
    return _written(n, r"{f}({x}) \text{{ is defined for }} {x} \in {defined}",
                    "{f}({x}) is defined for {x} in {defined}", defined=prop.claim.value)


def _limits(prop: Property, n: Named) -> Said:
    end = prop.claim.subject.args[2]
    shown = {sympy.oo: Said(r"\infty", "∞"), -sympy.oo: Said(r"-\infty", "−∞")}.get(
        end, Said("0^{+}", "0+"))
    return _written(n, r"\lim_{{{x}\to {end}}} {f}({x}) = {limit}",
                    "lim_{{{x} → {end}}} {f}({x}) = {limit}", end=shown, limit=prop.claim.value)


def _range(prop: Property, n: Named) -> Said:
    values = prop.claim.value
    assert isinstance(values, sympy.Interval)
    approximate = prop.claim.relation == "approx in"

    def shown(value: sympy.Basic, end: str) -> sympy.Basic:
        exact = not approximate or prop.how.tag(end) == "exact"
        return value if exact or not value.is_finite else sympy.Float(value, 5)

    left, right = "(" if values.left_open else "[", ")" if values.right_open else "]"
    return _written(n, r"{f}({domain}) {relation} \left{left}{low}, {high}\right{right}",
                    "{f}({domain}) {relation} {left}{low}, {high}{right}",
                    domain=_domain_said(prop.claim.where), left=left, right=right,
                    relation=Said(r"\approx", "≈") if approximate else "=",
                    low=shown(values.start, "low"), high=shown(values.end, "high"))


def _value_at_zero(prop: Property, n: Named) -> Said:
    return _written(n, "{f}(0) = {value}", "{f}(0) = {value}", value=prop.claim.value)


def _slope_at_zero(prop: Property, n: Named) -> Said:
    return _written(n, "{f}'(0) = {value}", "{f}'(0) = {value}", value=prop.claim.value)


def _critical_points(prop: Property, n: Named) -> Said:
    points = prop.how.part("points").args
    listed = Said(", ".join(to_latex(p) for p in points), ", ".join(_plain(p) for p in points))
    return _written(n, r"{f}'({x}) = 0 \text{{ exactly at }} {x} = {points}",
                    "{f}'({x}) = 0 exactly at {x} = {points}", points=listed)


def _poles(prop: Property, n: Named) -> Said:
    return _written(n, r"\lim_{{{x} \to {point}}} \left|{f}({x})\right| = \infty",
                    "lim_{{{x} → {point}}} |{f}({x})| = ∞", point=prop.claim.value)


def _max_slope(prop: Property, n: Named) -> Said:
    if prop.claim.relation == "max approx":
        return _written(n, r"\max_{{{x}}} {f}'({x}) \approx {peak} \text{{ at }} {x} \approx {at}",
                        "max_{x} {f}'({x}) ≈ {peak} at {x} ≈ {at}",
                        peak=_digits(prop.how.part("peak"), 5), at=_digits(prop.how.part("at"), 5))
    assert prop.claim.where is not None
    (where,) = prop.claim.where.args
    return _written(n, r"\max_{{{x}}} {f}'({x}) = {f}'({where}) = {peak}",
                    "max_{x} {f}'({x}) = {f}'({where}) = {peak}", where=where,
                    peak=prop.claim.value)


_SYMMETRIES = {"odd": (r"{f}(-{x}) = -{f}({x}) \quad \text{{(odd)}}", "{f}(-{x}) = -{f}({x}) (odd)"),
               "even": (r"{f}(-{x}) = {f}({x}) \quad \text{{(even)}}", "{f}(-{x}) = {f}({x}) (even)"),
               "point": ("{f}(-{x}) = {c} - {f}({x})", "{f}(-{x}) = {c} - {f}({x})")}


def _symmetry(prop: Property, n: Named) -> Said:
    latex, plain = _SYMMETRIES[prop.how.method]
    return _written(n, latex, plain, c=prop.how.part("c"))


# The sign of f' each kind of monotonicity rests on.
_SLOPE_SIGNS = {"increasing": Said("> 0", "> 0"), "decreasing": Said("< 0", "< 0"),
                "non-decreasing": Said(r"\ge 0", "≥ 0"), "non-increasing": Said(r"\le 0", "≤ 0")}


def _monotonic(prop: Property, n: Named) -> Said:
    kind = prop.claim.relation
    # At a kink (relu at 0) f' does not exist; the statement says so rather than hide it.
    smooth = prop.how.tag("smooth") == "yes"
    return _written(n, r"{f} \text{{ is {kind} on }} {domain}: \ {f}'({x}) {sign}{where}",
                    "{f} is {kind} on {domain}: {f}'({x}) {sign}{where}",
                    kind=kind, domain=_domain_said(prop.claim.where), sign=_SLOPE_SIGNS[kind],
                    where="" if smooth else Said(r" \text{ wherever it exists}",
                                                 " wherever it exists"))


def _vanishing_gradient(prop: Property, n: Named) -> Said:
    peak = prop.how.part("peak")
    inverse = 1 / peak
    if inverse.is_Integer:
        bound = Said(f"{to_latex(inverse)}^{{-n}}", f"{_plain(inverse)}^(-n)")
    else:
        bound = Said(rf"\left({to_latex(peak)}\right)^{{n}}", f"({_plain(peak)})^n")
    return _written(n, r"0 < \prod_{{i=1}}^{{n}} {f}'(z_i) \le {bound} \text{{ through }} n "
                    r"\text{{ layers}}", "0 < {f}'(z_1) ⋯ {f}'(z_n) ≤ {bound} through n layers",
                    bound=bound)


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
                  "L'Hôpital": "L'Hôpital's rule{times}, then the limit of each part, combined",
                  "Gruntz": "SymPy's limit (Gruntz), not a proof"}


# derive.verify.limit_forms' methods, as a chain of rewritings ("rewritten")
_LIMIT_STEPS = {"each part": "the limit of each part, combined",
                "leading terms": "the leading terms' quotient",
                "L'Hôpital": "L'Hôpital's rule{times}",
                "powers as exponentials": "powers written as exponentials",
                "over one denominator": "over one denominator",
                "the logarithms combined": "the logarithms combined",
                "multiplied by the conjugate": "multiplied by the conjugate",
                "the dominant term factored out": "the dominant term factored out",
                "the dominant terms' quotient": "the dominant terms' quotient",
                "the leading power taken out of each root":
                    "the leading power taken out of each root",
                "the logarithm of |f|": "the logarithm of |f|"}
_SUBSTITUTIONS = {"-oo": "{x} = -{t}, {t} → ∞: ", "0": "{x} = 1/{t}, {t} → ∞: "}


def _limits_method(prop: Property, n: Named) -> Said:
    piece = "the outermost piece: " if prop.how.tag("piece") == "outermost" else ""
    probes = ", ".join(_power_of_ten(p) for p in prop.how.part("probes").args)
    times = int(prop.how.tag("times") or 0)
    counted = f" ({times} times)" if times > 1 else ""
    if prop.how.method == "rewritten":
        steps = ", then ".join(_LIMIT_STEPS[m].format(times=counted)
                               for m in prop.how.tag("methods").split(" / "))
        moved = _SUBSTITUTIONS.get(prop.how.tag("at"), "").format(
            x=n.x, t="u" if n.x.name == "t" else "t")
        return _same(f"{piece}{moved}{steps}; confirmed numerically at {n.x} = {probes}")
    method = _LIMIT_METHODS[prop.how.method].format(times=counted)
    return _same(f"{piece}{method}; confirmed numerically at {n.x} = {probes}")


def _range_method(prop: Property, n: Named) -> Said:
    if prop.how.method == "monotonic, with its end limits":
        return _same(f"f is continuous and {prop.how.tag('kind')} "
                     f"({prop.how.tag('monotonic')}), with the limits at both ends "
                     f"({prop.how.tag('limits')})")
    if prop.how.method == "critical points, with its end limits":
        count = len(prop.how.part("points").args)
        where = {0: "f' has no zero, so f is strictly monotonic; its limits at both ends",
                 1: "f' is 0 only at the critical point (solveset lists every zero), so f "
                    "is strictly monotonic on each side of it; its value there and its "
                    "limits at both ends"}.get(count, (
                     f"f' is 0 only at the {count} critical points (solveset lists every "
                     "zero), so f is strictly monotonic between them; its values there and "
                     "its limits at both ends"))
        return _same(f"f and f' are continuous and {where} (proved)")
    if prop.how.method == "one zero of f' isolated by interval arithmetic":
        a, b = prop.how.part("bracket").args
        side = "lowest" if prop.how.tag("kind") == "min" else "highest"
        return _same(
            f"f and f' are continuous; interval arithmetic shows f'' of one sign on "
            f"[{_plain_number(sympy.Float(a, 6))}, {_plain_number(sympy.Float(b, 6))}] and f' "
            f"of opposite signs on either side of it, so f' has one zero, where f is {side}; "
            "its value there enclosed by interval arithmetic, and the limits at both ends "
            "(proved)")
    return _same(f"limits at both ends and the value where f' = 0 (found numerically); f stays "
                 f"within at {prop.how.part('grid points')} grid points and far out")


def _value_at_zero_method(prop: Property, n: Named) -> Said:
    return _same(f"{prop.verdict.method}; agrees numerically")


def _slope_at_zero_method(prop: Property, n: Named) -> Said:
    if prop.how.method == "exact substitution, quotients agree":
        return _same("f' at x = 0 by exact substitution; difference quotients agree")
    if prop.how.method == "the piece around 0, quotients agree":
        return _same("f is one smooth piece around x = 0: its derivative there by exact "
                     "substitution; difference quotients agree")
    if prop.how.method == "the pieces beside 0, quotients agree":
        return _same("f is continuous at the breakpoint x = 0 and both pieces' derivatives "
                     "there are this value (exact substitution); difference quotients agree")
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
        sign = _SLOPE_SIGNS[prop.claim.relation].plain
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


# --- what a reader needs to know, beside the Result ---------------------------------------

def reader_summary(views: list[dict[str, Any]], head: str, x: str) -> dict[str, str] | None:
    """One sentence beside the Result from the proved properties a reader of the answer
    needs: where f is defined, its poles, where f' = 0 (issue 13 part 4). Only proved
    claims are said here (a numerical one stays in the Properties list with its mark);
    `views` are the documents' property views (derive.render.view.properties_view), `head`
    and `x` the LaTeX of f's head and variable. None when there is nothing to say."""
    proved = [v for v in views if v.get("verdict") == "proved"]
    clauses: list[Said] = []
    for view in proved:
        if view["name"] == "domain":
            where = view["claim"]["value"]["latex"]
            clauses.append(Said(rf"${head}({x})$ is defined for ${x} \in {where}$",
                                view["statement_plain"]))
    poles = [v["claim"]["value"] for v in proved if v["name"] == "poles"]
    if poles:
        some = "poles" if len(poles) > 1 else "a pole"
        clauses.append(Said(rf"it has {some} at ${x} = {', '.join(p['latex'] for p in poles)}$",
                            f"it has {some} at {x} = {', '.join(p['text'] for p in poles)}"))
    for view in proved:
        points = view["how"]["parts"].get("points") if view["name"] == "critical points" else None
        if points is not None:
            clauses.append(Said(rf"${head}'({x}) = 0$ exactly at ${x} = {_listed(points['latex'])}$",
                                view["statement_plain"]))
    if not clauses:
        return None
    joined = Said.join(clauses, "; ")
    return {"latex": f"Note: {joined.latex} (each proved; see Properties).",
            "plain": f"Note: {joined.plain} (each proved; see Properties)."}


def _listed(points: str) -> str:
    """The finder's points, a SymPy tuple printed in LaTeX, without its brackets."""
    inner = points.removeprefix(r"\left(").removesuffix(r"\right)").strip()
    return re.sub(r",\s*\\\s+", ", ", inner).rstrip(", ")

